#!/usr/bin/env python3
"""Latency of ``oas-create-check lsp``: from a change in the editor to its diagnostics.

A pygls client starts the server over stdio, as an editor does, opens a spec and edits it the
way typing does: small incremental changes to the unsaved buffer. Each edit flips one create's
``200`` to ``201`` and back, which changes the findings, so every check ends in a publication.
What is timed, on the client's clock:

* **open**: ``didOpen`` to the first diagnostics (parse and check from nothing);
* **edit**: one change, then nothing: the change to the diagnostics for its version (the
  server's debounce included);
* **typing**: nine changes 60 ms apart, then nothing: the last change to its diagnostics;
* **quick fixes offered**: a ``codeAction`` request on a finding's line to its answer, the
  first after a change (nothing cached). On a small spec every fix is made and verified before
  it is offered; on a large one the fixes are offered as promises, and
* **fix picked** is the ``codeAction/resolve`` of one of them: the fix made and verified.

Usage::

    python3 benchmarks/lsp_latency.py                  # petstore, a 22 KB and the 3 MB spec, DO
    python3 benchmarks/lsp_latency.py --only openai --edits 20
    python3 benchmarks/lsp_latency.py --write-docs     # and put the table into docs/editor.md

Needs the ``lsp`` extra (pygls). The corpus is read from ``../shared/corpus`` beside the checkout
or from ``$OAS_BENCH_CORPUS``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

REPO = Path(__file__).resolve().parent.parent
DOCS_START, DOCS_END = "<!-- lsp-latency:start -->", "<!-- lsp-latency:end -->"
CORPUS = Path(os.environ.get("OAS_BENCH_CORPUS", REPO.parent / "shared" / "corpus"))


@dataclass(frozen=True)
class Case:
    name: str
    #: the folder copied to a temporary place (the corpus is read-only) and the file to edit in it
    folder: Path
    file: str
    #: the root document, when ``file`` is a fragment
    root: str = ""


CASES = (
    Case("petstore (2 KB)", REPO / "fixtures" / "specs", "petstore.yaml"),
    Case("nordigen (22 KB)", CORPUS / "apisguru" / "nordigen.com" / "1.7", "openapi.yaml"),
    Case("openai (3 MB)", CORPUS, "openai-openapi.yaml"),
    Case(
        "digitalocean fragment (390 files)",
        CORPUS / "digitalocean",
        "resources/ssh_keys/sshKeys_create.yml",
        "DigitalOcean-public.v2.yaml",
    ),
)


@dataclass
class Timings:
    open: float = 0.0
    edit: list[float] = field(default_factory=list)
    typing: list[float] = field(default_factory=list)
    quick_fix: list[float] = field(default_factory=list)
    resolve: list[float] = field(default_factory=list)


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("lsp-latency", "1")
        self.arrived: dict[tuple[str, int | None], float] = {}
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.event = asyncio.Event()


def make_client() -> Client:
    client = Client()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        client.arrived[(params.uri, params.version)] = time.perf_counter()
        client.diagnostics[params.uri] = list(params.diagnostics)
        client.event.set()

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def logged(params: types.LogMessageParams) -> None:
        pass

    return client


async def wait_for(client: Client, uri: str, version: int, timeout: float = 60.0) -> float:
    deadline = time.perf_counter() + timeout
    while (uri, version) not in client.arrived:
        client.event.clear()
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError(f"no diagnostics for version {version} of {uri}")
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(client.event.wait(), remaining)
    return client.arrived[(uri, version)]


def toggle_position(path: Path, root: Path) -> tuple[int, int]:
    """0-based line and column in ``path`` of the last digit of a create's ``200`` or ``201``
    status key, found by the tool itself (checking ``root``). Flipping it to the other changes
    the findings: a lone ``200`` is what ``create-status-201`` flags."""
    sys.path.insert(0, str(REPO))
    from oas_create_check.engine import active_rules, check_spec, load_spec
    from oas_create_check.load.read import real_path
    from oas_create_check.load.source import read_file
    from oas_create_check.model import Kind, pointer_from_str
    from oas_create_check.settings import Settings

    settings = Settings()
    spec = load_spec(read_file(root), settings)
    result = check_spec(spec, settings, active_rules(settings))
    files = {f.display: f for f in spec.workspace.files}
    for operation in result.operations:
        source = files.get(operation.file)
        if operation.kind is not Kind.CREATE or source is None or source.key != real_path(path):
            continue
        responses = (*pointer_from_str(operation.pointer), "responses")
        found, codes = source.value_at(responses)
        for code in ("200", "201"):
            if found and isinstance(codes, dict) and code in map(str, codes):
                line, column = source.locate((*responses, code))
                text = source.text.split("\n")[line - 1]
                return line - 1, text.index(code, column - 1) + 2
    raise SystemExit(f"{path}: no create with a 200 or 201 to flip")


async def run_case(case: Case, edits: int, server: list[str]) -> Timings:
    workdir = Path(tempfile.mkdtemp(prefix="lsp-latency-"))
    try:
        if case.folder.is_dir() and case.folder != CORPUS:
            shutil.copytree(case.folder, workdir / "spec")
        else:
            (workdir / "spec").mkdir()
            shutil.copyfile(case.folder / case.file, workdir / "spec" / case.file)
        path = workdir / "spec" / case.file
        return await _measure(case, path, workdir / "spec", edits, server)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


async def _measure(case: Case, path: Path, root: Path, edits: int, server: list[str]) -> Timings:
    client = make_client()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    await client.start_io(server[0], *server[1:], env=env)
    uri = str(from_fs_path(str(path)))
    root_uri = str(from_fs_path(str(root)))
    timings = Timings()
    try:
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(
                    text_document=types.TextDocumentClientCapabilities(
                        code_action=types.CodeActionClientCapabilities(
                            resolve_support=types.ClientCodeActionResolveOptions(["edit"])
                        )
                    )
                ),
                root_uri=root_uri,
                workspace_folders=[types.WorkspaceFolder(uri=root_uri, name="spec")],
            )
        )
        client.initialized(types.InitializedParams())
        text = path.read_text(encoding="utf-8")
        line, column = toggle_position(path, root / (case.root or case.file))
        started = time.perf_counter()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "yaml", 1, text))
        )
        timings.open = await wait_for(client, uri, 1) - started
        version = 1
        digit = original = text.split("\n")[line][column]

        def change() -> float:
            nonlocal version, digit
            version += 1
            digit = "1" if digit == "0" else "0"
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[
                        types.TextDocumentContentChangePartial(
                            range=types.Range(
                                types.Position(line, column), types.Position(line, column + 1)
                            ),
                            text=digit,
                        )
                    ],
                )
            )
            return time.perf_counter()

        for _ in range(edits):
            sent = change()
            timings.edit.append(await wait_for(client, uri, version) - sent)
            if digit == original:  # as opened: ask for the quick fixes of its findings
                finding = next(iter(client.diagnostics[uri]), None)
                if finding is not None:
                    asked = time.perf_counter()
                    offered = await client.text_document_code_action_async(
                        types.CodeActionParams(
                            text_document=types.TextDocumentIdentifier(uri=uri),
                            range=finding.range,
                            context=types.CodeActionContext(diagnostics=[finding]),
                        )
                    )
                    timings.quick_fix.append(time.perf_counter() - asked)
                    promised = [
                        a
                        for a in offered or ()
                        if isinstance(a, types.CodeAction) and a.edit is None and a.data
                    ]
                    if promised:  # a large spec: the fix is made and verified when picked
                        picked = time.perf_counter()
                        await client.code_action_resolve_async(promised[0])
                        timings.resolve.append(time.perf_counter() - picked)
            await asyncio.sleep(0.3)
        for _ in range(max(1, edits // 4)):
            for _ in range(8):  # nine changes: the last state differs from the one shown
                change()
                await asyncio.sleep(0.06)
            sent = change()
            timings.typing.append(await wait_for(client, uri, version) - sent)
            await asyncio.sleep(0.3)
    finally:
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
    return timings


def _ms(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    median = statistics.median(ordered) * 1000
    worst = ordered[-1] * 1000
    return f"{median:.0f} ({worst:.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated words matching case names")
    parser.add_argument("--edits", type=int, default=12, help="single edits per spec (default 12)")
    parser.add_argument("--markdown", action="store_true", help="print only the Markdown table")
    parser.add_argument(
        "--write-docs", action="store_true", help="also put the table into docs/editor.md"
    )
    args = parser.parse_args()
    server = [sys.executable, "-m", "oas_create_check", "lsp"]
    wanted = [w.strip() for w in args.only.split(",")] if args.only else None
    rows = []
    for case in CASES:
        if wanted and not any(w in case.name for w in wanted):
            continue
        if not (case.folder / case.file).is_file():
            print(f"skipped {case.name}: {case.folder / case.file} not found", file=sys.stderr)
            continue
        timings = asyncio.run(run_case(case, args.edits, server))
        rows.append(
            f"| {case.name} | {timings.open * 1000:.0f} | {_ms(timings.edit)} | "
            f"{_ms(timings.typing)} | {_ms(timings.quick_fix)} | {_ms(timings.resolve)} |"
        )
        if not args.markdown:
            print(rows[-1], file=sys.stderr)
    table = "\n".join(
        [
            "| spec | open | edit | typing (last change) | quick fixes offered | fix picked |",
            "|---|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} CPUs ({platform.machine()}), load average "
            f"{os.getloadavg()[0]:.1f} at the end; {args.edits} edits per spec.",
        ]
    )
    print(table)
    if args.write_docs:
        page = REPO / "docs" / "editor.md"
        text = page.read_text(encoding="utf-8")
        start, end = text.index(DOCS_START) + len(DOCS_START), text.index(DOCS_END)
        page.write_text(f"{text[:start]}\n{table}\n{text[end:]}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
