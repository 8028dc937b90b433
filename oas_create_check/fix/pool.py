"""Fixing a directory of specs in worker processes: specs that share no file are fixed side by
side, each group of specs that may share one in a single worker, in order, exactly as one process
fixes them (``fixer.fix_run``: a file two specs use is fixed once, and the second spec sees the
first one's edit).

Which specs may share a file is known before anything is read twice: a spec reads and writes
only files inside its bounds (its ref-root and the real folder of its root document, see
``load/refs.py`` and ``fixer._Attempt._snapshot``), so specs whose bounds do not nest cannot
touch one file. Those are grouped together, conservatively: a multi-file spec and every spec
under its folder stay in one worker. A group with nothing to fix keeps its lint result; a group
with fixes is linted again and fixed in its worker (the parsed documents cannot travel).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from oas_create_check.engine import SpecResult
from oas_create_check.fix.fixer import FixOptions, FixReport, fix_paths, fix_run, wanted
from oas_create_check.fix.survey import start_survey
from oas_create_check.load.read import SpecError
from oas_create_check.run.lint import RunResult, lint_paths
from oas_create_check.settings import Settings

if TYPE_CHECKING:
    from concurrent.futures import Future


def fix_many(
    paths: Iterable[Path], settings: Settings, options: FixOptions, jobs: int
) -> FixReport:
    """``fixer.fix_paths`` with the files linted in ``jobs`` worker processes and the specs
    that share no file fixed there side by side. One spec (or ``jobs`` 1, or an editor's
    ``only`` filter, which cannot travel) is fixed in this process."""
    if options.only is not None:
        jobs = 1
    paths = list(paths)
    survey = start_survey(paths)  # a large YAML file's style, surveyed while it is linted
    try:
        run = lint_paths(paths, settings, jobs, whole=True)
        if all(result.spec is not None for result in run.specs):  # checked in this process
            style_of = survey.style_for if survey is not None else None
            return fix_run(run, settings, options, style_of=style_of)
        return fix_in_pool(run, settings, options, jobs)
    finally:
        if survey is not None:
            survey.close()


def fix_in_pool(run: RunResult, settings: Settings, options: FixOptions, jobs: int) -> FixReport:
    """Fix the specs of ``run`` (linted in workers: no ``Spec`` in memory) group by group."""
    specs = run.specs
    tasks = [
        group
        for group in spec_groups(specs)
        if any(wanted(f, options) for index in group for f in specs[index].findings)
    ]
    if not tasks:
        return FixReport(run=run)
    reports: dict[int, FixReport | SpecError] = {}
    if len(tasks) == 1 or jobs <= 1:
        for number, group in enumerate(tasks):
            reports[number] = _fix_group(_roots(specs, group), settings, options)
    else:
        # imported here: a pool costs ~17 ms of imports, and one spec is fixed in this process
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            futures: dict[int, Future[FixReport]] = {
                number: pool.submit(_fix_group, _roots(specs, group), settings, options)
                for number, group in enumerate(tasks)
            }
            for number, future in futures.items():
                reports[number] = _result(future, specs[tasks[number][0]].file)
    return _merged(run, tasks, reports)


def spec_groups(specs: list[SpecResult]) -> list[list[int]]:
    """The indexes of ``specs`` in groups whose bounds do not nest across groups (in order)."""
    parent = list(range(len(specs)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    folders = sorted(
        (folder.parts, index) for index, spec in enumerate(specs) for folder in spec.bounds
    )
    stack: list[tuple[tuple[str, ...], int]] = []
    for parts, index in folders:  # a folder's descendants follow it in sorted order
        while stack and parts[: len(stack[-1][0])] != stack[-1][0]:
            stack.pop()
        if stack:
            parent[find(index)] = find(stack[-1][1])
        stack.append((parts, index))
    groups: dict[int, list[int]] = {}
    for index in range(len(specs)):
        groups.setdefault(find(index), []).append(index)
    return sorted(groups.values())


def _roots(specs: list[SpecResult], group: list[int]) -> list[Path]:
    return [path for index in group if (path := specs[index].path) is not None]


def _fix_group(roots: list[Path], settings: Settings, options: FixOptions) -> FixReport:
    """In a worker: fix one group as a single process would, and send back results only."""
    report = fix_paths(roots, settings, options)
    for result in report.run.specs:
        result.spec = None
    return report


def _result(future: Future[FixReport], shown: str) -> FixReport | SpecError:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        return SpecError(shown, "the fixer crashed on this spec (or one sharing its folder)")


def _merged(
    run: RunResult, tasks: list[list[int]], reports: dict[int, FixReport | SpecError]
) -> FixReport:
    """The run with each fixed group's results in place of its lint results (a group whose
    worker died keeps them, with an error), errors and notices once each, changes by path."""
    first = {group[0]: number for number, group in enumerate(tasks)}
    fixed = {index for group in tasks for index in group}
    specs: list[SpecResult] = []
    errors, notices = list(run.errors), list(run.notices)
    changes = []
    for index, spec in enumerate(run.specs):
        if index not in fixed:
            specs.append(spec)
            continue
        number = first.get(index)
        if number is None:
            continue
        report = reports[number]
        if isinstance(report, SpecError):
            specs.extend(run.specs[i] for i in tasks[number])
            errors.append(report)
            continue
        specs.extend(report.run.specs)
        errors.extend(e for e in report.run.errors if str(e) not in {str(x) for x in errors})
        notices.extend(n for n in report.run.notices if n not in notices)
        changes.extend(report.changes)
    merged = RunResult(specs=specs, errors=errors, notices=notices)
    return FixReport(run=merged, changes=sorted(changes, key=lambda change: change.path))
