"""``oas-create-check lsp`` on the command line: its help, and a clear message instead of a
traceback when the optional ``lsp`` extra is not installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, RunCli


def test_lsp_help_names_the_extra(run_cli: RunCli) -> None:
    code, out, _ = run_cli("lsp", "--help")
    assert code == 0
    assert "--stdio" in out and "--log-file" in out and "'lsp' extra" in out


def test_lsp_without_pygls_says_what_to_install(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pygls", None)  # import pygls now raises ImportError
    monkeypatch.delitem(sys.modules, "oas_create_check.lsp.server", raising=False)
    code, _, err = run_cli("lsp")
    assert code == 2
    assert "pip install 'oas-create-check[lsp]'" in err
    assert "Traceback" not in err


def test_the_linter_never_imports_the_language_server(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
    probe = (
        "import sys; from oas_create_check.cli import main; main([sys.argv[1]]); "
        "print([m for m in sys.modules if m.startswith(('pygls', 'lsprotocol', 'oas_create_check.lsp'))])"
    )
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", probe, str(spec)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        check=False,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
