"""The protocol: pygls wiring over ``Session`` (what is known), ``fixes`` (code actions as data),
``hover`` and ``convert`` (the tool's values as LSP values).

Threads. The event loop reads the client; checks run in one worker thread (``checker``), so the
session is only ever touched there, and fixes in another (``fixer``): a quick fix on a 3 MB spec
takes seconds to verify, and diagnostics must not wait for it. A fix works on a finished check
(``Checked``), which the checker never changes afterwards.

Debouncing. A change is checked after a pause as long as the document's last check took,
between ``DEBOUNCE_MIN`` and ``DEBOUNCE_MAX``: a small spec is checked at every pause in typing,
a large one once typing stops for a moment, and the wait plus the check of the 3 MB spec stays
within a second (docs/editor.md#latency). A request that needs the current state (a code
action) first runs every pending check.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from oas_create_check import __version__
from oas_create_check.load.read import real_path
from oas_create_check.lsp import fixes
from oas_create_check.lsp.convert import Lines, diagnostics, workspace_edit
from oas_create_check.lsp.hover import hover_markdown
from oas_create_check.lsp.session import Buffer, Checked, Session
from oas_create_check.model import Applicability, Finding

log = logging.getLogger(__name__)

NAME = "oas-create-check"
#: The code action kind of "fix all safe problems in this file" (``source.fixAll`` is what
#: editors run on save; the suffix names the tool, as ESLint and Ruff do).
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{NAME}"
DEBOUNCE_MIN = 0.02
DEBOUNCE_MAX = 0.25
#: Files whose change on disk can change a result: specs and their fragments, config files.
WATCHED = ("**/*.{yaml,yml,json}", "**/pyproject.toml", "**/.oas-create-check.{toml,yaml,yml}")


class OasLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            NAME, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.session = Session()
        self.checker = ThreadPoolExecutor(1, thread_name_prefix="oas-check")
        self.fixer = ThreadPoolExecutor(1, thread_name_prefix="oas-fix")
        self.timers: dict[Path, asyncio.TimerHandle] = {}
        self.dirty: dict[Path, bool] = {}  # path -> closed
        self.running: asyncio.Task[None] | None = None
        self.cost: dict[Path, float] = {}
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.event_loop: asyncio.AbstractEventLoop | None = None

    # -- scheduling (event loop) ------------------------------------------------------------
    def schedule(self, path: Path, delay: float | None = None, closed: bool = False) -> None:
        handle = self.timers.pop(path, None)
        if handle is not None:
            handle.cancel()
        if delay is None:
            delay = min(max(self.cost.get(path, 0.0), DEBOUNCE_MIN), DEBOUNCE_MAX)
        self.event_loop = loop = asyncio.get_running_loop()
        self.timers[path] = loop.call_later(delay, self._due, path, closed)

    def _due(self, path: Path, closed: bool) -> None:
        self.timers.pop(path, None)
        self.dirty[path] = closed or self.dirty.get(path, False)
        if self.running is None or self.running.done():
            self.running = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self.dirty:
            path = next(iter(self.dirty))
            closed = self.dirty.pop(path)
            started = time.perf_counter()
            try:
                publications = await loop.run_in_executor(
                    self.checker, self._check_and_render, path, closed
                )
            except Exception:  # a bug here must not stop the server from serving the rest
                log.exception("checking %s failed", path)
                continue
            self.cost[path] = time.perf_counter() - started
            for params in publications:
                self._publish(params)

    async def settle(self) -> None:
        """Run every pending check now and wait for them."""
        for path, handle in list(self.timers.items()):
            handle.cancel()
            del self.timers[path]
            self.dirty.setdefault(path, False)
        if self.dirty and (self.running is None or self.running.done()):
            self.running = asyncio.ensure_future(self._drain())
        while self.running is not None and not self.running.done():
            await asyncio.shield(self.running)

    def _publish(self, params: types.PublishDiagnosticsParams) -> None:
        if self.published.get(params.uri) == params.diagnostics:
            return
        self.published[params.uri] = list(params.diagnostics)
        self.text_document_publish_diagnostics(params)

    # -- the worker thread ------------------------------------------------------------------
    def _check_and_render(self, path: Path, closed: bool) -> list[types.PublishDiagnosticsParams]:
        touched = self.session.closed(path) if closed else self.session.check(path)
        return [self._render(p) for p in sorted(touched)]

    def _render(self, path: Path) -> types.PublishDiagnosticsParams:
        findings, troubles, source = self.session.diagnostics(path)
        buffer = self.session.buffer(path)
        text = source.text if source is not None else buffer.text if buffer is not None else None
        lines = Lines(text, self.workspace.position_codec) if text is not None else None
        version = None
        for checked in self.session.containing(path):
            version = checked.versions.get(path, version)
        if source is None and buffer is not None:
            version = buffer.version
        return types.PublishDiagnosticsParams(
            uri=self.uri_of(path),
            diagnostics=diagnostics(findings, troubles, lines),
            version=version,
        )

    def tell(self, kind: types.MessageType, message: str) -> None:
        """A message for the client's log, from any thread."""

        def send() -> None:
            self.window_log_message(types.LogMessageParams(type=kind, message=message))

        if self.event_loop is not None:
            self.event_loop.call_soon_threadsafe(send)

    # -- helpers ----------------------------------------------------------------------------
    def uri_of(self, path: Path) -> str:
        buffer = self.session.buffer(path)
        if buffer is not None:
            return buffer.uri
        return str(from_fs_path(str(path)))

    async def in_checker(self, function: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.checker, function, *args)

    async def in_fixer(self, function: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.fixer, function, *args)


class _ClientLog(logging.Handler):
    """Warnings and errors (a crashed rule, a refused fix) also go to the client's log window."""

    def __init__(self, server: OasLanguageServer) -> None:
        super().__init__(logging.WARNING)
        self.server = server

    def emit(self, record: logging.LogRecord) -> None:
        kind = (
            types.MessageType.Warning
            if record.levelno == logging.WARNING
            else types.MessageType.Error
        )
        self.server.tell(kind, self.format(record))


def path_of(uri: str) -> Path | None:
    """The real path of a ``file:`` URI; ``None`` for others (an unsaved ``untitled:`` buffer
    has no folder, so no config, no fragments and nothing to check it against)."""
    path = to_fs_path(uri)
    if path is None or not uri.startswith("file:"):
        return None
    return real_path(Path(path))


def _code_action_options() -> types.CodeActionOptions:
    return types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
        resolve_provider=True,
    )


def build() -> OasLanguageServer:
    """The server with every feature registered."""
    server = OasLanguageServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: OasLanguageServer, params: types.InitializeParams) -> None:
        ls.event_loop = asyncio.get_running_loop()
        folders = [path_of(f.uri) for f in params.workspace_folders or ()]
        if not folders and params.root_uri:
            folders = [path_of(params.root_uri)]
        ls.session = Session(f for f in folders if f is not None)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: OasLanguageServer, params: types.InitializedParams) -> None:
        capabilities = ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if watched is None or not watched.dynamic_registration:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED]
        )
        registration = types.Registration(
            id=f"{NAME}-watch",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        try:
            await ls.client_register_capability_async(types.RegistrationParams([registration]))
        except Exception:
            log.warning("the client refused to watch files: config reloads on the next edit")

    def remember(ls: OasLanguageServer, uri: str) -> Path | None:
        path = path_of(uri)
        if path is None:
            return None
        document = ls.workspace.get_text_document(uri)
        ls.session.put(Buffer(path, uri, document.version, document.source))
        return path

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: OasLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        path = remember(ls, params.text_document.uri)
        if path is not None:
            ls.schedule(path, delay=0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: OasLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        path = remember(ls, params.text_document.uri)
        if path is not None:
            ls.schedule(path)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: OasLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        asyncio.get_running_loop().run_in_executor(ls.checker, ls.session.disk_changed)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: OasLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is not None:
            ls.session.drop(path)
            ls.schedule(path, delay=0.0, closed=True)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(
        ls: OasLanguageServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        """Something changed on disk (a config file, a fragment not open): check every open
        document again; what did not change is not parsed again."""
        asyncio.get_running_loop().run_in_executor(ls.checker, ls.session.disk_changed)
        for path in ls.session.open_documents():
            ls.schedule(path, delay=DEBOUNCE_MIN)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: OasLanguageServer, params: types.HoverParams) -> types.Hover | None:
        path = path_of(params.text_document.uri)
        if path is None:
            return None
        text = await ls.in_checker(_hover_text, ls.session, path, params.position.line + 1)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, _code_action_options())
    async def code_action(
        ls: OasLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        path = path_of(params.text_document.uri)
        if path is None:
            return None
        await ls.settle()
        wanted = params.context.only
        first, last = params.range.start.line + 1, params.range.end.line + 1
        targets = await ls.in_checker(_targets, ls.session, path, first, last)
        if targets is None:
            return None  # the buffer moved on meanwhile: the client asks again
        found, fix_all_in = targets
        requests: list[tuple[Checked, str, Finding | None]] = []
        if _kind_wanted(types.CodeActionKind.QuickFix, wanted):
            for checked, finding in found:
                requests += [
                    (checked, fixes.QUICK_FIX, finding),
                    (checked, fixes.SUPPRESS, finding),
                ]
        if fix_all_in is not None and _kind_wanted(FIX_ALL_KIND, wanted):
            requests.append((fix_all_in, fixes.FIX_ALL, None))
        proposals = await ls.in_fixer(_proposals, requests, path, _resolves_edits(ls))
        uri = params.text_document.uri
        return [_action(ls, proposal, checked, uri) for checked, proposal in proposals]

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def resolve_code_action(
        ls: OasLanguageServer, action: types.CodeAction
    ) -> types.CodeAction:
        """A proposal offered before it was verified (a large spec) is made and verified now;
        if the fixer refuses it, the user is told why and nothing changes."""
        data = action.data if isinstance(action.data, dict) else {}
        uri = str(data.get("uri", ""))
        path = path_of(uri)
        kind = str(data.get("kind", ""))
        if path is None or action.edit is not None:
            return action
        await ls.settle()
        wanted = tuple(data.get("finding") or ())
        checked, finding = await ls.in_checker(_find, ls.session, path, kind, wanted)
        if checked is None:
            raise ValueError("the problem is no longer there")
        proposal = await ls.in_fixer(fixes.propose, checked, kind, finding, path)
        if proposal is None or not proposal.changes:
            why = "; ".join(fixes.refusals(checked, kind, finding, path)) or "nothing to change"
            raise ValueError(f"not fixed: {why}")
        action.edit = _action(ls, proposal, checked, uri).edit
        return action

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: OasLanguageServer, params: None) -> None:
        for handle in ls.timers.values():
            handle.cancel()
        ls.checker.shutdown(wait=False, cancel_futures=True)
        ls.fixer.shutdown(wait=False, cancel_futures=True)

    return server


# --------------------------------------------------------------------------------------------
# requests, answered in the worker threads


def _hover_text(session: Session, path: Path, line: int) -> str | None:
    containing = session.containing(path)
    source = next((c.files[path] for c in containing if path in c.files), None)
    if source is None:
        return None
    findings = [f for c in containing for f in c.findings.get(path, ())]
    operations = [o for c in containing if c.result is not None for o in c.result.operations]
    return hover_markdown(source, line, _unique(findings), operations)


def _targets(
    session: Session, path: Path, first: int, last: int
) -> tuple[list[tuple[Checked, Finding]], Checked | None] | None:
    """The findings on lines ``first``..``last`` of a file, each with the check it came from,
    and the check to fix the whole file from (one with a safe fix in it). ``None`` when the
    checks are older than the buffer."""
    buffer = session.buffer(path)
    found: list[tuple[Checked, Finding]] = []
    seen: set[tuple[str, str, str, str]] = set()
    fix_all_in: Checked | None = None
    for checked in session.containing(path):
        if buffer is not None and checked.versions.get(path, buffer.version) != buffer.version:
            return None
        for finding in checked.findings.get(path, ()):
            if first <= finding.line <= last and fixes.identity(finding) not in seen:
                seen.add(fixes.identity(finding))
                found.append((checked, finding))
            fix = finding.fix
            if fix_all_in is None and fix is not None and fix.applicability is Applicability.SAFE:
                fix_all_in = checked
    return found, fix_all_in


def _proposals(
    requests: list[tuple[Checked, str, Finding | None]], path: Path, lazy: bool
) -> list[tuple[Checked, fixes.Proposal]]:
    """The proposals to offer: verified now on a small spec, or when the client cannot resolve
    them later; on a large one, promises the client resolves when the user picks one."""
    proposals = []
    for checked, kind, finding in requests:
        verify = not lazy or fixes.is_cheap(checked)
        try:
            proposal = fixes.propose(checked, kind, finding, path, verify)
        except Exception:  # a fixer bug costs this action, not the server
            log.exception("computing a fix for %s failed", finding.rule if finding else path)
            continue
        if proposal is not None:
            proposals.append((checked, proposal))
    return proposals


def _find(
    session: Session, path: Path, kind: str, wanted: tuple[str, ...]
) -> tuple[Checked | None, Finding | None]:
    """The check and finding a promised proposal was made for, in the current state."""
    targets = _targets(session, path, 0, 1 << 30)
    if targets is None:
        return None, None
    found, fix_all_in = targets
    if kind == fixes.FIX_ALL:
        return fix_all_in, None
    for checked, finding in found:
        if fixes.identity(finding) == wanted:
            return checked, finding
    return None, None


def _unique(findings: list[Finding]) -> list[Finding]:
    return list({fixes.identity(f): f for f in findings}.values())


# --------------------------------------------------------------------------------------------
# proposals as code actions


def _action(
    ls: OasLanguageServer, proposal: fixes.Proposal, checked: Checked, uri: str
) -> types.CodeAction:
    """A proposal as a code action: with its edit, or (a promise) with what ``resolve`` needs."""
    codec = ls.workspace.position_codec
    related: list[types.Diagnostic] = []
    finding = proposal.finding
    if finding is not None:
        key = checked.key_of(finding.file)
        source = checked.files.get(key) if key is not None else None
        lines = Lines(source.text, codec) if source is not None else None
        related = diagnostics([finding], [], lines)
    kind = FIX_ALL_KIND if proposal.kind == fixes.FIX_ALL else types.CodeActionKind.QuickFix
    action = types.CodeAction(
        title=proposal.title,
        kind=kind,
        diagnostics=related or None,
        is_preferred=proposal.kind == fixes.QUICK_FIX and not proposal.unsafe,
    )
    if not proposal.changes:
        wanted = list(fixes.identity(finding)) if finding is not None else None
        action.data = {"uri": uri, "kind": proposal.kind, "finding": wanted}
        return action
    capabilities = ls.client_capabilities.workspace
    edit_support = capabilities.workspace_edit if capabilities else None
    action.edit = workspace_edit(
        proposal.changes,
        ls.uri_of,
        checked.versions,
        codec,
        bool(edit_support and edit_support.document_changes),
    )
    return action


def _kind_wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether ``kind`` was asked for: LSP kinds are hierarchical (``source`` covers
    ``source.fixAll.oas-create-check``)."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def _resolves_edits(ls: OasLanguageServer) -> bool:
    document = ls.client_capabilities.text_document
    code_action = document.code_action if document else None
    support = code_action.resolve_support if code_action else None
    return support is not None and "edit" in support.properties


def serve(log_file: Path | None = None, level: str = "INFO") -> None:
    """Serve on stdin/stdout until the client says exit. The log goes to stderr (editors keep
    it in their LSP log) or ``log_file``."""
    handler: logging.Handler = (
        logging.FileHandler(log_file, encoding="utf-8")
        if log_file is not None
        else logging.StreamHandler()
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level.upper())
    if level.upper() != "DEBUG":  # pygls logs every message it sends at INFO
        logging.getLogger("pygls").setLevel(logging.WARNING)
    server = build()
    to_client = _ClientLog(server)
    to_client.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("oas_create_check").addHandler(to_client)
    server.start_io()
