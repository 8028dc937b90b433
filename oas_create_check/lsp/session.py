"""What the language server knows, without any protocol: the editor's buffers, the specs checked
from them, and the settings of each folder. ``server.py`` feeds it edits and publishes what it
finds.

Everything is the CLI's own machinery run on other input: an open buffer is parsed by the same
``parse_text`` as a file and handed to the ``$ref`` workspace with ``preload``, so the engine
checks the text being typed; a fragment stands for the root documents that include it
(``run/roots.py``); settings come from the config file nearest each document
(``config.load_settings``).

Parsed state is kept between edits where it pays: a buffer is parsed again only when its text
changed, and the other files of a multi-file spec (DigitalOcean's has 390) are read again only
when their size or time on disk changed. A config file is looked up by its time on disk at every
check, so an edited ``pyproject.toml`` applies from the next keystroke on.

``check`` and everything after it run in one worker thread; only the buffer table is shared with
the server's event loop, under a lock.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oas_create_check.config import CONFIG_FILES
from oas_create_check.engine import SpecResult, active_rules, check_spec
from oas_create_check.load.parse import parse_text
from oas_create_check.load.read import MAX_FILE_BYTES, SpecError, display_path, real_path
from oas_create_check.load.refs import Workspace
from oas_create_check.load.source import SourceFile, read_file
from oas_create_check.model import Finding, Severity, ToolError
from oas_create_check.run.discover import marked_openapi
from oas_create_check.settings import Settings
from oas_create_check.spec.operations import Spec

log = logging.getLogger(__name__)

#: Codes of the diagnostics that are not a rule's findings.
PARSE_ERROR = "parse-error"
CONFIG_ERROR = "config-error"
INTERNAL_ERROR = "internal-error"

#: A file's identity on disk: a cached parse is reused while it stays the same.
Stamp = tuple[int, int]


@dataclass(frozen=True)
class Buffer:
    """An open document as the editor holds it: ``path`` is its real path, the key every file
    is known by (``SourceFile.key``)."""

    path: Path
    uri: str
    version: int | None
    text: str


@dataclass(frozen=True)
class Trouble:
    """Something to show that is not a rule's finding: a document that does not parse, a bad
    configuration, a check that crashed. ``line`` is 1-based."""

    line: int
    message: str
    code: str
    severity: Severity = Severity.ERROR


@dataclass
class Checked:
    """One root document checked: its result, every file it read (by key) and what to show in
    each of them. ``versions``: the buffer versions the check read."""

    root: Path
    settings: Settings | None = None
    result: SpecResult | None = None
    files: dict[Path, SourceFile] = field(default_factory=dict)
    findings: dict[Path, list[Finding]] = field(default_factory=dict)
    troubles: dict[Path, list[Trouble]] = field(default_factory=dict)
    versions: dict[Path, int | None] = field(default_factory=dict)
    #: quick fixes computed for this result (``fixes.py``), by what was asked
    fixes: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def shown_in(self) -> set[Path]:
        """The files this result puts diagnostics in."""
        return {p for p, f in self.findings.items() if f} | {
            p for p, t in self.troubles.items() if t
        }

    def key_of(self, display: str) -> Path | None:
        """The file a finding names (``Finding.file`` is the path as shown to users)."""
        for key, source in self.files.items():
            if source.display == display:
                return key
        return None


class Session:
    """The server's state. ``folders``: the workspace folders, where fragments look for roots
    when they are not in a git repository."""

    def __init__(self, folders: Iterable[Path] = ()) -> None:
        self.folders = [real_path(f) for f in folders]
        self._lock = threading.Lock()
        self._buffers: dict[Path, Buffer] = {}
        self._parsed: dict[Path, tuple[str, SourceFile | SpecError]] = {}
        self._disk: dict[Path, tuple[Stamp, SourceFile]] = {}
        self._settings: dict[Path, tuple[tuple[Any, ...], Settings | ToolError]] = {}
        self._finders: dict[tuple[Path, tuple[Path, ...]], Any] = {}
        self._fragment_roots: dict[Path, tuple[Path, ...]] = {}
        #: the roots each open document was last checked through
        self._roots_of: dict[Path, tuple[Path, ...]] = {}
        self.checked: dict[Path, Checked] = {}
        #: open buffers that do not parse, with the parser's complaint
        self.broken: dict[Path, Trouble] = {}

    # -- the buffer table (called from the event loop) --------------------------------------
    def put(self, buffer: Buffer) -> None:
        with self._lock:
            self._buffers[buffer.path] = buffer

    def drop(self, path: Path) -> None:
        with self._lock:
            self._buffers.pop(path, None)

    def buffers(self) -> dict[Path, Buffer]:
        with self._lock:
            return dict(self._buffers)

    def buffer(self, path: Path) -> Buffer | None:
        with self._lock:
            return self._buffers.get(path)

    # -- checking (the worker thread) -------------------------------------------------------
    def check(self, path: Path) -> set[Path]:
        """Check again every spec the document at ``path`` is part of, as the buffers now read.
        Returns the files whose diagnostics may have changed."""
        buffers = self.buffers()
        touched = {path}
        source = self._source(path, buffers)
        if isinstance(source, SpecError):
            if path in buffers and self._is_spec_file(path):
                self.broken[path] = _parse_trouble(source)
            return touched
        self.broken.pop(path, None)
        roots = self._roots(path, source)
        if path in buffers:
            self._roots_of[path] = roots
        for root in roots:
            touched |= self._check_root(root, buffers)
        touched |= self._forget_unwanted(buffers)
        return touched

    def closed(self, path: Path) -> set[Path]:
        """A document was closed: its specs are checked again from disk if another open
        document still needs them, forgotten otherwise."""
        buffers = self.buffers()
        self.broken.pop(path, None)
        self._parsed.pop(path, None)
        roots = self._roots_of.pop(path, ())
        touched = {path} | self._forget_unwanted(buffers)
        for root in roots:
            if root in self._wanted():
                touched |= self._check_root(root, buffers)
        return touched

    def disk_changed(self) -> None:
        """Files changed on disk (saved, created, deleted): roots are searched for again."""
        self._finders.clear()
        self._fragment_roots.clear()

    def open_documents(self) -> list[Path]:
        return sorted(self.buffers())

    def diagnostics(self, path: Path) -> tuple[list[Finding], list[Trouble], SourceFile | None]:
        """What to show in one file: the findings every checked spec places there, the
        troubles, and the text they were found in (for positions)."""
        broken = self.broken.get(path)
        if broken is not None:
            return [], [broken], None
        findings: dict[tuple[Any, ...], Finding] = {}
        troubles: list[Trouble] = []
        text: SourceFile | None = None
        for checked in self._containing(path):
            for finding in checked.findings.get(path, ()):
                key = (finding.rule, finding.pointer, finding.path, finding.method, finding.message)
                findings.setdefault(key, finding)
            troubles.extend(t for t in checked.troubles.get(path, ()) if t not in troubles)
            text = text or checked.files.get(path)
        return sorted(findings.values(), key=Finding.sort_key), troubles, text

    def containing(self, path: Path) -> list[Checked]:
        """The checked specs that read the file at ``path``."""
        return self._containing(path)

    def _containing(self, path: Path) -> list[Checked]:
        return [c for _, c in sorted(self.checked.items()) if path in c.files or c.root == path]

    # -- roots ------------------------------------------------------------------------------
    def _roots(self, path: Path, source: SourceFile) -> tuple[Path, ...]:
        """The root documents a file is checked through: itself if it is an API description,
        else the roots whose ``$ref`` graph reaches it (the CLI's fragment search)."""
        if source.is_openapi:
            return (path,)
        found = self._fragment_roots.get(path)
        if found is None:
            found = self._fragment_roots[path] = self._search_roots(path)
        return found

    def _search_roots(self, path: Path) -> tuple[Path, ...]:
        from oas_create_check.run.roots import RootFinder

        try:
            configured = self.settings_for(path).roots
        except ToolError:
            configured = ()
        folder = next((f for f in self.folders if path.is_relative_to(f)), path.parent)
        key = (folder, configured)
        finder = self._finders.get(key)
        if finder is None:
            finder = self._finders[key] = RootFinder(configured, cwd=folder)
        try:
            return tuple(real_path(root) for root in finder.roots_for(path))
        except OSError as exc:
            log.warning("cannot search for the roots of %s: %s", path, exc)
            return ()

    def _wanted(self) -> set[Path]:
        return {root for roots in self._roots_of.values() for root in roots}

    def _forget_unwanted(self, buffers: Mapping[Path, Buffer]) -> set[Path]:
        """Drop the results of roots no open document leads to; their files get cleared."""
        for path in [p for p in self._roots_of if p not in buffers]:
            del self._roots_of[path]
        wanted = self._wanted()
        touched: set[Path] = set()
        for root in [r for r in self.checked if r not in wanted]:
            touched |= self.checked.pop(root).shown_in()
        if touched:
            used = {k for c in self.checked.values() for k in c.files}
            self._disk = {k: v for k, v in self._disk.items() if k in used}
        return touched

    def _is_spec_file(self, path: Path) -> bool:
        """Whether a document that does not parse deserves a parse diagnostic: it was part of a
        spec, or its saved text says it is one."""
        return path in self._roots_of or bool(self._containing(path)) or marked_openapi(path)

    # -- one root ---------------------------------------------------------------------------
    def _check_root(self, root: Path, buffers: Mapping[Path, Buffer]) -> set[Path]:
        previous = self.checked.get(root)
        checked = self._checked(root, buffers, previous)
        self.checked[root] = checked
        return checked.shown_in() | (previous.shown_in() if previous is not None else set())

    def _checked(
        self, root: Path, buffers: Mapping[Path, Buffer], previous: Checked | None
    ) -> Checked:
        checked = Checked(root)
        try:
            settings = checked.settings = self.settings_for(root)
        except ToolError as exc:
            checked.troubles[root] = [Trouble(1, f"configuration: {exc}", CONFIG_ERROR)]
            return checked
        source = self._source(root, buffers)
        if isinstance(source, SpecError):
            checked.troubles[root] = [_parse_trouble(source)]
            return checked
        if not source.is_openapi:
            return checked
        workspace = Workspace(source, settings.ref_root)
        workspace.preload(self._known(previous, buffers))
        result, crashes = self._run(workspace, settings)
        checked.result = result
        checked.files = {f.key: f for f in workspace.reached}
        checked.versions = {k: b.version for k, b in buffers.items() if k in checked.files}
        self._remember(checked.files, buffers)
        if crashes:
            checked.troubles[root] = [
                Trouble(1, message, INTERNAL_ERROR, Severity.WARNING) for message in crashes
            ]
        if result is not None:
            displays = {f.display: k for k, f in checked.files.items()}
            for finding in result.findings:
                key = displays.get(finding.file, root)
                checked.findings.setdefault(key, []).append(finding)
        return checked

    def _run(self, workspace: Workspace, settings: Settings) -> tuple[SpecResult | None, list[str]]:
        """The engine on one spec. A rule that raises costs only its own findings: the spec is
        checked again rule by rule, the crash is logged, and the others' findings are kept."""
        rules = active_rules(settings)
        try:
            return check_spec(Spec(workspace), settings, rules), []
        except RecursionError:
            return None, ["nesting too deep to be an API description"]
        except Exception:
            log.exception("checking %s failed; checking again rule by rule", workspace.root.display)
        merged: SpecResult | None = None
        crashes: list[str] = []
        for rule in rules:
            try:
                part = check_spec(Spec(workspace), settings, [rule])
            except Exception as exc:
                log.exception("rule %s crashed on %s", rule.id, workspace.root.display)
                crashes.append(
                    f"internal error in rule {rule.id} ({type(exc).__name__}: {exc}); "
                    "the other rules ran; details are in the server's log"
                )
                continue
            if merged is None:
                merged = part
            else:
                merged.findings.extend(part.findings)
        return merged, crashes

    # -- files ------------------------------------------------------------------------------
    def _source(self, path: Path, buffers: Mapping[Path, Buffer]) -> SourceFile | SpecError:
        """A file as the editor has it, or as it is on disk if it is not open."""
        buffer = buffers.get(path)
        if buffer is not None:
            return self._parse(buffer)
        cached = self._disk.get(path)
        stamp = _stamp(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            source = read_file(path)
        except SpecError as error:
            return error
        if stamp is not None:
            self._disk[path] = (stamp, source)
        return source

    def _parse(self, buffer: Buffer) -> SourceFile | SpecError:
        """A buffer parsed as a file with its text would be, once per text."""
        cached = self._parsed.get(buffer.path)
        if cached is not None and cached[0] == buffer.text:
            return cached[1]
        display = display_path(buffer.path)
        text = buffer.text.removeprefix("\ufeff")
        parsed: SourceFile | SpecError
        if len(text) * 4 > MAX_FILE_BYTES and len(text.encode("utf-8", "surrogatepass")) > (
            MAX_FILE_BYTES
        ):
            parsed = SpecError(display, f"too large (limit {MAX_FILE_BYTES} bytes)")
        else:
            try:
                data, is_json = parse_text(buffer.path, display, text)
                parsed = SourceFile(buffer.path, display, text, data, is_json)
            except SpecError as error:
                parsed = error
            except RecursionError:
                parsed = SpecError(display, "nesting too deep to be an API description")
        self._parsed[buffer.path] = (buffer.text, parsed)
        return parsed

    def _known(
        self, previous: Checked | None, buffers: Mapping[Path, Buffer]
    ) -> dict[Path, SourceFile]:
        """Files to hand the workspace instead of letting it read them: every buffer that
        parses, and the files the spec read last time that have not changed on disk since."""
        known: dict[Path, SourceFile] = {}
        for path, buffer in buffers.items():
            parsed = self._parse(buffer)
            if isinstance(parsed, SourceFile):
                known[path] = parsed
        for path in previous.files if previous is not None else ():
            if path not in known and path not in buffers:
                cached = self._disk.get(path)
                if cached is not None and cached[0] == _stamp(path):
                    known[path] = cached[1]
        return known

    def _remember(self, files: Mapping[Path, SourceFile], buffers: Mapping[Path, Buffer]) -> None:
        for path, source in files.items():
            if path in buffers:
                continue
            cached = self._disk.get(path)
            if cached is None or cached[1] is not source:
                stamp = _stamp(path)
                if stamp is not None:
                    self._disk[path] = (stamp, source)

    # -- settings ---------------------------------------------------------------------------
    def settings_for(self, path: Path) -> Settings:
        """The settings of the config file nearest to ``path`` (raises ``ToolError`` for a bad
        one). Looked up by the config files' times on disk, so an edit applies at once."""
        from oas_create_check.config import load_settings

        folder = path.parent
        stamp = _config_stamp(folder)
        cached = self._settings.get(folder)
        if cached is None or cached[0] != stamp:
            try:
                value: Settings | ToolError = load_settings(folder)
            except ToolError as exc:
                value = exc
            cached = self._settings[folder] = (stamp, value)
        if isinstance(cached[1], ToolError):
            raise cached[1]
        return cached[1]


def _parse_trouble(error: SpecError) -> Trouble:
    return Trouble(error.line or 1, error.message, PARSE_ERROR)


def _stamp(path: Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_size, info.st_mtime_ns)


def _config_stamp(folder: Path) -> tuple[Any, ...]:
    """Every config file that could apply to ``folder``, with its time on disk: the settings
    are read again when any of them appears, changes or goes."""
    found = []
    for parent in (folder, *folder.parents):
        for name in (*CONFIG_FILES, "pyproject.toml"):
            stamp = _stamp(parent / name)
            if stamp is not None:
                found.append((str(parent / name), stamp))
    return tuple(found)
