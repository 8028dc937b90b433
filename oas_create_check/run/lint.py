"""Many specs in one call: every file found under the given paths, a named fragment replaced by
the roots that include it (``roots.py``), large YAML read in two parts (``load/split.py``), many
files spread over worker processes. A file that cannot be read becomes an error for that file
only: the others are still checked.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from oas_create_check.engine import SpecResult, active_rules, check_spec, load_spec
from oas_create_check.escape import printable
from oas_create_check.load.read import SpecError, display_path, real_path
from oas_create_check.load.source import SourceFile, read_file
from oas_create_check.model import Finding, OperationRecord
from oas_create_check.rules import Rule
from oas_create_check.run.discover import discover, marked_openapi
from oas_create_check.settings import VALIDATE_RULE, Settings

if TYPE_CHECKING:
    from oas_create_check.run.roots import RootFinder


@dataclass
class RunResult:
    specs: list[SpecResult] = field(default_factory=list)
    errors: list[SpecError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    # Derived once: a run is read (report, exit code, baseline, --changed-since) only after
    # lint_paths has finished it; narrowing makes a new RunResult with dataclasses.replace.
    @cached_property
    def findings(self) -> list[Finding]:
        return sorted((f for s in self.specs for f in s.findings), key=Finding.sort_key)

    @cached_property
    def operations(self) -> list[OperationRecord]:
        return [o for s in self.specs for o in s.operations]


def lint_paths(
    paths: Iterable[Path], settings: Settings, jobs: int = 1, *, whole: bool = False
) -> RunResult:
    """Check every spec found under ``paths``. A named file that is a ``$ref``'d fragment of a
    multi-file spec stands for the root documents that include it (``roots.py``): a commit that
    touches only ``resources/x.yml`` still gets the spec checked.

    With ``jobs > 1`` and several files, files are read and checked in worker processes; their
    results come back without the in-memory ``Spec`` (``SpecResult.spec`` is None), so callers
    that need it (the fixer, ``--changed-since``) keep ``jobs=1``.

    ``whole``: files checked in this process are read whole, never with the split parse: for
    a caller that goes on to read all of their data anyway (the fixer compares every edited
    file with its original), the split only adds a child process to wait for. The findings
    are the same either way (``split.py``)."""
    run = RunResult()
    rules = active_rules(settings)
    validating = any(rule.id == VALIDATE_RULE for rule in rules)
    skipped = 0
    escaped: list[tuple[Path, Path]] = []
    bounds = (settings.ref_root,) if settings.ref_root is not None else ()
    queue = deque(discover(paths, escaped, bounds))
    finder: RootFinder | None = None
    checked: set[Path] = set()
    pool = _Pool(settings, jobs) if jobs > 1 and len(queue) > 1 else None
    try:
        while queue:
            batch = (
                [queue.popleft()] if pool is None else [queue.popleft() for _ in range(len(queue))]
            )
            outcomes = (
                pool.map(batch)
                if pool is not None
                else [_outcome(batch[0], settings, rules, whole=whole)]
            )
            for (path, named), outcome in zip(batch, outcomes, strict=True):
                if outcome is None:
                    skipped += 1
                elif isinstance(outcome, SpecError):
                    run.errors.append(outcome)
                elif isinstance(outcome, _Fragment):
                    if not named:
                        skipped += 1
                        continue
                    if finder is None:
                        from oas_create_check.run.roots import RootFinder

                        finder = RootFinder(settings.roots)
                    roots = finder.roots_for(path)
                    if not roots and validating:
                        # CI asked for a valid spec: a named file that is none (a broken
                        # ``openapi:`` line, say) must not pass as "skipped".
                        run.errors.append(SpecError(outcome.display, _NOT_OPENAPI))
                        continue
                    queue.extend((root, False) for root in roots)
                    shown = ", ".join(display_path(root) for root in roots)
                    run.notices.append(
                        printable(  # printed to stderr: file names are untrusted text
                            f"{outcome.display}: a fragment, not an OpenAPI document: checking the root document(s) that $ref it: {shown}"
                            if roots
                            else f"{outcome.display}: {_NOT_OPENAPI}: skipped"
                        )
                    )
                else:
                    key = real_path(path)
                    if key in checked:
                        continue  # named, and also reached through a fragment
                    checked.add(key)
                    run.specs.append(outcome)
    finally:
        if pool is not None:
            pool.close()
    for link, top in escaped:
        run.notices.append(
            printable(
                f"{display_path(link)}: a symlink to a file outside {display_path(top)}: skipped"
            )
        )
    if skipped:
        run.notices.append(
            f"{skipped} YAML/JSON file(s) in the given directories are not OpenAPI documents: skipped"
        )
    return run


def lint_stdin(stream: BinaryIO, name: Path | None, settings: Settings) -> RunResult:
    """Check the spec read from ``stream`` (``-`` on the command line), shown as ``name``
    (``--stdin-filename``), whose folder its relative ``$ref``s start from; ``<stdin>`` in the
    working directory without one. Read with the same size limit, decoding and parser as a file."""
    from oas_create_check.load.parse import parse_text
    from oas_create_check.load.read import MAX_FILE_BYTES, decode

    path = name if name is not None else Path("<stdin>")
    shown = display_path(path) if name is not None else "<stdin>"
    run = RunResult()
    raw = stream.read(MAX_FILE_BYTES + 1)
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise SpecError(shown, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: refused")
        text = decode(raw, shown)
        data, is_json = parse_text(path, shown, text)
        source = SourceFile(path=path, display=shown, text=text, partial=data, is_json=is_json)
        if not source.is_openapi:
            raise SpecError(shown, _NOT_OPENAPI)
        run.specs.append(check_spec(load_spec(source, settings), settings, active_rules(settings)))
    except RecursionError:
        run.errors.append(SpecError(shown, "nesting too deep to be an API description"))
    except SpecError as error:
        run.errors.append(error)
    return run


_NOT_OPENAPI = "not an OpenAPI or Swagger document (no top-level 'openapi' or 'swagger' key)"


@dataclass(frozen=True)
class _Fragment:
    """A file that parsed but is not an API description (maybe a fragment of one)."""

    display: str


_Outcome = SpecResult | SpecError | _Fragment | None


def _outcome(
    item: tuple[Path, bool], settings: Settings, rules: list[Rule], whole: bool = False
) -> _Outcome:
    """Read and check one file: its result, its error, a fragment, or None (skipped quietly).

    A large YAML file is read lazily: its schema store is checked by a child process while this
    one parses the rest and runs the checks (``split.py``). The verdict is awaited only here,
    before anything is reported; on a refusal everything found is thrown away and the file is
    read and checked again whole, which reports any error exactly as always."""
    path, named = item
    if not named and not marked_openapi(path):
        return None
    if whole:
        return _read_and_check(path, settings, rules, lazy=False)[0]
    outcome, files = _read_and_check(path, settings, rules, lazy=True)
    if all(file.verified() for file in files):
        return outcome
    return _read_and_check(path, settings, rules, lazy=False)[0]


def _read_and_check(
    path: Path, settings: Settings, rules: list[Rule], lazy: bool
) -> tuple[_Outcome, list[SourceFile]]:
    """The outcome for one file and every file read for it (whose verdicts it depends on)."""
    try:
        source = read_file(path, lazy=lazy)
    except SpecError as error:
        return error, []
    if not source.is_openapi:
        return _Fragment(source.display), [source]
    spec = load_spec(source, settings, lazy=lazy)
    try:
        return check_spec(spec, settings, rules), spec.workspace.files
    except RecursionError:
        too_deep = SpecError(source.display, "nesting too deep to be an API description")
        return too_deep, spec.workspace.files
    except SpecError as error:  # a fault found only when read as an API (a code written twice)
        return error, spec.workspace.files


def _outcome_in_worker(item: tuple[Path, bool], settings: Settings) -> _Outcome:
    outcome = _outcome(item, settings, active_rules(settings))
    if isinstance(outcome, SpecResult):
        outcome.spec = None  # the parsed documents stay in the worker: only results travel
    return outcome


class _Pool:
    """Worker processes for checking many files at once (a directory of specs)."""

    def __init__(self, settings: Settings, jobs: int) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self.settings = settings
        self.executor = ProcessPoolExecutor(max_workers=jobs)
        #: Whether a worker died: then files go one at a time (rare, and only for this run).
        self.alone = False

    def map(self, batch: list[tuple[Path, bool]]) -> list[_Outcome]:
        from concurrent.futures.process import BrokenProcessPool

        futures = [self.executor.submit(_outcome_in_worker, item, self.settings) for item in batch]
        outcomes: list[_Outcome] = []
        for item, future in zip(batch, futures, strict=True):
            try:
                outcomes.append(future.result())
            except BrokenProcessPool:
                outcomes.append(self._alone(item))
        return outcomes

    def _alone(self, item: tuple[Path, bool]) -> _Outcome:
        """A file whose worker died, checked again in a fresh pool of one. A crash in a C parser
        takes its whole process down, and with it the other files that process held; retried one
        at a time, only the file that kills the process again is lost, as an error naming it."""
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        if not self.alone:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = ProcessPoolExecutor(max_workers=1)
            self.alone = True
        try:
            return self.executor.submit(_outcome_in_worker, item, self.settings).result()
        except BrokenProcessPool:
            self.executor = ProcessPoolExecutor(max_workers=1)
            return SpecError(display_path(item[0]), "the checker crashed on this file: refused")

    def close(self) -> None:
        self.executor.shutdown(cancel_futures=True)
