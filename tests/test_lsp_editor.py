"""End to end with a real editor: headless Neovim starts ``oas-create-check lsp``, opens a spec,
reads the diagnostics, applies the preferred quick fix, saves, and sees the diagnostics follow.
The saved file must be what ``--fix`` writes (``tests/editor/nvim_quickfix.lua`` drives it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO
from tests.test_lsp import PROTOCOL_RULES

NVIM = shutil.which("nvim")
SCRIPT = Path(__file__).parent / "editor" / "nvim_quickfix.lua"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        NVIM is None,
        reason="Neovim is not installed (apt-get install neovim; .ci/run installs it as root)",
    ),
]
pytest.importorskip("pygls", reason="the language server needs the 'lsp' extra (pygls)")


def test_neovim_applies_a_quick_fix_and_saves_what_fix_writes(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the rules this test counts (test_lsp.PROTOCOL_RULES), for the editor's server and the CLI
    rules = ", ".join(f'"{name}"' for name in PROTOCOL_RULES)
    (tmp_path / ".oas-create-check.toml").write_text(f"select = [{rules}]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "editor" / "petstore.yaml"
    spec.parent.mkdir()
    shutil.copyfile(FIXTURES / "specs" / "petstore.yaml", spec)
    by_cli = tmp_path / "cli" / "petstore.yaml"
    by_cli.parent.mkdir()
    shutil.copyfile(FIXTURES / "specs" / "petstore.yaml", by_cli)
    run_cli("--fix", by_cli)

    out = tmp_path / "result.json"
    python_path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env = {
        **os.environ,
        "OAS_SPEC": str(spec),
        "OAS_OUT": str(out),
        "OAS_SERVER": json.dumps([sys.executable, "-m", "oas_create_check", "lsp"]),
        "PYTHONPATH": python_path,
        "HOME": str(tmp_path),  # no user config, shada or swap files
    }
    assert NVIM is not None
    subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"luafile {SCRIPT}"],
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
        capture_output=True,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["error"] is None, result
    assert result["before"] == ["create-duplicate-policy", "create-status-201"]
    assert result["applied"] == "Add a 409 Conflict response (create-duplicate-policy)"
    assert any("unsafe" in title for title in result["titles"])
    assert result["after"] == ["create-status-201"]
    assert spec.read_text(encoding="utf-8") == by_cli.read_text(encoding="utf-8")
