"""``oas-create-check lsp`` through the protocol: a real client over stdio (pytest-lsp) opens specs,
edits buffers without saving, and asks for diagnostics, code actions and hovers.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the 'lsp' extra (pygls)")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="the protocol tests need pytest-lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import LanguageClient  # noqa: E402

from tests.conftest import CORPUS, FIXTURES, needs_corpus  # noqa: E402
from tests.lsp_client import (  # noqa: E402
    apply_edits,
    codes,
    diagnostics,
    edits_by_uri,
    open_file,
    replace_all,
    server_config,
    start,
    uri,
)

PETSTORE = FIXTURES / "specs" / "petstore.yaml"


@pytest_lsp.fixture(config=server_config())
async def client(lsp_client: LanguageClient) -> None:
    """A server; each test initializes it with its own workspace folder (``start``)."""
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def petstore(tmp_path: Path) -> Path:
    target = tmp_path / "petstore.yaml"
    shutil.copyfile(PETSTORE, target)
    return target


async def test_diagnostics_on_open_are_the_cli_findings(
    client: LanguageClient, petstore: Path, run_cli
) -> None:
    await start(client, petstore.parent)
    document = open_file(client, petstore)
    found = await diagnostics(client, document, lambda d: len(d) >= 2)
    _, out, _ = run_cli("--format", "json", petstore)
    expected = json.loads(out)["findings"]
    assert codes(found) == sorted(f["rule"] for f in expected)
    by_rule = {str(d.code): d for d in found}
    for finding in expected:
        diagnostic = by_rule[finding["rule"]]
        assert diagnostic.range.start == types.Position(finding["line"] - 1, finding["column"] - 1)
        assert diagnostic.source == "oas-create-check"
        assert diagnostic.code_description is not None
        assert finding["rule"].replace("-", "_") in diagnostic.code_description.href
    assert by_rule["create-status-201"].severity == types.DiagnosticSeverity.Error
    assert by_rule["create-duplicate-policy"].severity == types.DiagnosticSeverity.Warning
