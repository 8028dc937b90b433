"""The engine: paths -> specs -> classified operations -> rules -> findings.

Rules report a node; the engine turns it into ``file:line:col`` in the file that defines the node,
applies selection, severities and ``x-oas-create-check`` suppressions, and collects one result per
spec. A file that cannot be read becomes an error for that file only: the others are still checked.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .classify import classify
from .config import Settings
from .document import (
    SourceFile,
    SpecError,
    Workspace,
    display_path,
    read_bytes,
    read_file,
    real_path,
)
from .model import Finding, Kind, OperationRecord, Severity
from .operations import EXTENSION, Operation, Spec
from .reporters import printable
from .rules import Problem, Rule, all_rules

if TYPE_CHECKING:
    from .roots import RootFinder

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"}
#: A cheap test run before parsing files found in a directory walk: most YAML/JSON files in a
#: repository (and every fragment of a multi-file spec) are not API descriptions.
_OPENAPI_MARKER = re.compile(
    rb"""(?m)^(?:openapi|swagger|["']openapi["']|["']swagger["'])\s*:|["'](?:openapi|swagger)["']\s*:"""
)


@dataclass
class SpecResult:
    """What checking one root document produced."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    operations: list[OperationRecord] = field(default_factory=list)
    spec: Spec | None = None


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


def active_rules(settings: Settings) -> list[Rule]:
    rules = []
    for rule in all_rules().values():
        if settings.select is not None:
            if rule.id not in settings.select:
                continue
        elif not rule.enabled_by_default and rule.id not in settings.enable:
            continue
        if rule.id in settings.ignore:
            continue
        rules.append(rule)
    return rules


def _suppressed(rule_id: str, *holders: object) -> bool:
    for holder in holders:
        ext = holder.get(EXTENSION) if isinstance(holder, dict) else None
        ignore = ext.get("ignore") if isinstance(ext, dict) else None
        if isinstance(ignore, str):
            ignore = [ignore]
        if isinstance(ignore, list) and (rule_id in ignore or "all" in ignore or "*" in ignore):
            return True
    return False


def _finding(rule: Rule, severity: Severity, problem: Problem, path: str, method: str) -> Finding:
    line, column = problem.node.location
    return Finding(
        rule=rule.id,
        severity=severity,
        message=problem.message,
        file=problem.node.file.display,
        line=line,
        column=column,
        pointer=problem.node.pointer_text,
        path=path,
        method=method,
        fix=problem.fix,
    )


def check_spec(spec: Spec, settings: Settings, rules: list[Rule]) -> SpecResult:
    """Classify every POST/PUT of ``spec`` and run ``rules`` on it."""
    from .selectors import select

    result = SpecResult(file=spec.workspace.root.display, spec=spec)
    selected = select(spec, settings.classify) if settings.classify else {}
    op_rules = [r for r in rules if r.check is not None]
    for op in spec.operations:
        verdict = classify(op, selected)
        line, column = op.node.location
        result.operations.append(
            OperationRecord(
                file=op.node.file.display,
                path=op.path,
                method=op.method,
                kind=verdict.kind,
                reason=verdict.reason,
                line=line,
                column=column,
                pointer=op.node.pointer_text,
            )
        )
        for rule in op_rules:
            if verdict.kind not in rule.doc.applies_to:
                continue
            result.findings.extend(_run(rule, op, verdict.kind, settings))
    for rule in rules:
        if rule.check_spec is not None:
            severity = settings.severity.get(rule.id, rule.doc.severity)
            for problem in rule.check_spec(spec, settings):
                result.findings.append(_finding(rule, severity, problem, "", ""))
    return result


def _run(rule: Rule, op: Operation, kind: Kind, settings: Settings) -> Iterator[Finding]:
    assert rule.check is not None
    if _suppressed(rule.id, op.value):
        return
    severity = settings.severity.get(rule.id, rule.doc.severity)
    for problem in rule.check(op, kind, settings):
        response = problem.response
        if response is not None and _suppressed(rule.id, response.entry.value, response.node.value):
            continue
        yield _finding(rule, severity, problem, op.path, op.method)


def load_spec(source: SourceFile, settings: Settings, lazy: bool = False) -> Spec:
    return Spec(Workspace(source, settings.ref_root, lazy))


def spec_files(top: Path) -> Iterator[Path]:
    """Every ``*.yaml``/``*.yml``/``*.json`` below ``top`` in a stable order, skipping VCS,
    dependency and cache folders and never following directory links (no loops)."""
    for folder, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.lower().endswith(SPEC_SUFFIXES):
                yield Path(folder) / name


def discover(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """Files to check, each with whether the user named it (named files that are not OpenAPI get
    a notice; files found in a directory walk are skipped quietly)."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for candidate in spec_files(path):
                key = real_path(candidate)
                if key not in seen:
                    seen.add(key)
                    yield candidate, False
        else:
            key = real_path(path)
            if key not in seen:
                seen.add(key)
                yield path, True


def _marked_openapi(path: Path) -> bool:
    try:
        return bool(_OPENAPI_MARKER.search(read_bytes(path, str(path))))
    except SpecError:
        return True  # let read_file report the problem


def lint_paths(paths: Iterable[Path], settings: Settings, jobs: int = 1) -> RunResult:
    """Check every spec found under ``paths``. A named file that is a ``$ref``'d fragment of a
    multi-file spec stands for the root documents that include it (``roots.py``): a commit that
    touches only ``resources/x.yml`` still gets the spec checked.

    With ``jobs > 1`` and several files, files are read and checked in worker processes; their
    results come back without the in-memory ``Spec`` (``SpecResult.spec`` is None), so callers
    that need it (the fixer, ``--changed-since``) keep ``jobs=1``."""
    run = RunResult()
    rules = active_rules(settings)
    skipped = 0
    queue = deque(discover(paths))
    finder: RootFinder | None = None
    checked: set[Path] = set()
    pool = _Pool(settings, jobs) if jobs > 1 and len(queue) > 1 else None
    try:
        while queue:
            batch = (
                [queue.popleft()] if pool is None else [queue.popleft() for _ in range(len(queue))]
            )
            outcomes = (
                pool.map(batch) if pool is not None else [_outcome(batch[0], settings, rules)]
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
                        from .roots import RootFinder

                        finder = RootFinder(settings.roots)
                    roots = finder.roots_for(path)
                    queue.extend((root, False) for root in roots)
                    shown = ", ".join(display_path(root) for root in roots)
                    run.notices.append(
                        printable(  # printed to stderr: file names are untrusted text
                            f"{outcome.display}: a fragment, not an OpenAPI document: checking the root document(s) that $ref it: {shown}"
                            if roots
                            else f"{outcome.display}: not an OpenAPI or Swagger document (no top-level 'openapi' or 'swagger' key): skipped"
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
    if skipped:
        run.notices.append(
            f"{skipped} YAML/JSON file(s) in the given directories are not OpenAPI documents: skipped"
        )
    return run


@dataclass(frozen=True)
class _Fragment:
    """A file that parsed but is not an API description (maybe a fragment of one)."""

    display: str


_Outcome = SpecResult | SpecError | _Fragment | None


def _outcome(item: tuple[Path, bool], settings: Settings, rules: list[Rule]) -> _Outcome:
    """Read and check one file: its result, its error, a fragment, or None (skipped quietly).

    A large YAML file is read lazily: its schema store is checked by a child process while this
    one parses the rest and runs the checks (``split.py``). The verdict is awaited only here,
    before anything is reported; on a refusal everything found is thrown away and the file is
    read and checked again whole, which reports any error exactly as always."""
    path, named = item
    if not named and not _marked_openapi(path):
        return None
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


__all__ = ["RunResult", "SpecResult", "check_spec", "discover", "lint_paths"]
