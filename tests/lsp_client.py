"""Driving ``oas-create-check lsp`` through the protocol in tests: a real client (pytest-lsp) talks
to the server in a subprocess over stdio, as an editor does.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = Path(__file__).resolve().parent.parent


class Client(LanguageClient):
    """pytest-lsp's client, which also keeps every publication (``published``: uri and
    version, in order) and every registration the server asked for."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: list[tuple[str, int | None]] = []
        self.registrations: list[types.Registration] = []


def _publish(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.published.append((params.uri, params.version))
    client.diagnostics[params.uri] = params.diagnostics


def _register(client: Client, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def make_client() -> Client:
    client = Client()
    features = {
        **DEFAULT_CLIENT_FEATURES,
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _publish,
        types.CLIENT_REGISTER_CAPABILITY: _register,
    }
    register_lsp_features(client, features)
    return client


def server_config(*extra: str, script: Path | None = None) -> ClientServerConfig:
    """The server as an editor starts it; ``script`` runs a test's own wrapper instead."""
    command = (
        [sys.executable, str(script)]
        if script
        else [sys.executable, "-m", "oas_create_check", "lsp"]
    )
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return ClientServerConfig(
        server_command=[*command, *extra],
        client_factory=make_client,
        server_env={**os.environ, "PYTHONPATH": path},
    )


async def close(client: LanguageClient) -> None:
    """Shut the server down; kill it if the session failed (pytest-lsp would wait forever)."""
    server = client._server
    try:
        if client.error is None:
            await asyncio.wait_for(client.shutdown_session(), 30)
    finally:
        if server is not None and server.returncode is None:
            server.kill()


def uri(path: Path) -> str:
    return str(from_fs_path(str(path)))


async def start(client: LanguageClient, root: Path, editor: str = "visual-studio-code") -> None:
    """Initialize the server with ``root`` as the workspace folder and ``editor``'s capabilities."""
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(editor),
            root_uri=uri(root),
            workspace_folders=[types.WorkspaceFolder(uri=uri(root), name=root.name)],
        )
    )


def open_file(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    document_uri = uri(path)
    language = "json" if path.suffix == ".json" else "yaml"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                uri=document_uri,
                language_id=language,
                version=version,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return document_uri


def replace_all(client: LanguageClient, document_uri: str, text: str, version: int) -> None:
    """The whole text replaced (a client may send full texts; pygls applies either)."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=document_uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(
    client: LanguageClient,
    document_uri: str,
    until: Callable[[Sequence[types.Diagnostic]], bool] = lambda d: True,
    timeout: float = 30.0,
) -> Sequence[types.Diagnostic]:
    """The diagnostics published for ``document_uri`` once ``until`` accepts them."""
    deadline = time.monotonic() + timeout
    while True:
        found = client.diagnostics.get(document_uri)
        if found is not None and until(found):
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"no matching diagnostics for {document_uri}; last: {found}")
        await asyncio.sleep(0.02)


def codes(found: Sequence[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in found)


def apply_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions; the corpus files tested are ASCII where edited)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(position: types.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        return starts[position.line] + position.character

    result = text
    for edit in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        start, end = offset(edit.range.start), offset(edit.range.end)
        result = result[:start] + edit.new_text + result[end:]
    return result


def edits_by_uri(edit: types.WorkspaceEdit | None) -> dict[str, list[types.TextEdit]]:
    """Every file's edits, whether the server sent ``changes`` or ``documentChanges``."""
    assert edit is not None
    found: dict[str, list[types.TextEdit]] = {}
    for document_uri, edits in (edit.changes or {}).items():
        found.setdefault(document_uri, []).extend(edits)
    for change in edit.document_changes or ():
        assert isinstance(change, types.TextDocumentEdit)
        found.setdefault(change.text_document.uri, []).extend(
            e for e in change.edits if isinstance(e, types.TextEdit)
        )
    return found


async def actions(
    client: LanguageClient,
    document_uri: str,
    line: int,
    only: Sequence[str] | None = None,
) -> list[types.CodeAction]:
    """The code actions offered on 0-based ``line`` (fix-all resolved, as an editor does before
    applying one)."""
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=document_uri),
            range=types.Range(types.Position(line, 0), types.Position(line, 0)),
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    found = []
    for action in result or ():
        assert isinstance(action, types.CodeAction)
        if action.edit is None and action.data is not None:
            action = await client.code_action_resolve_async(action)
        found.append(action)
    return found


async def hover(client: LanguageClient, document_uri: str, line: int, column: int = 0) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=document_uri),
            position=types.Position(line, column),
        )
    )
    if result is None:
        return ""
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


def split_diff(diff: str) -> dict[str, str]:
    """A multi-file unified diff (``--diff``'s output) by file, each part as printed."""
    parts: dict[str, str] = {}
    current = None
    for line in diff.splitlines(keepends=True):
        if line.startswith("--- a/"):
            current = line[len("--- a/") :].rstrip("\n")
            parts[current] = ""
        if current is not None:
            parts[current] += line
    return parts
