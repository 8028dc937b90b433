"""One run of the tool from options already read off the command line: check the options, lint
(or fix), narrow for adoption, report, and give the exit code.

Argument parsing is not done here. ``cli.py`` builds a ``Request``: from typer's parse in general,
or directly for the plain invocations that pre-commit and CI make on every commit
(``cli.quick_request``), which then never import typer and click (about 40 ms, most of a small
spec's run). Both end here, so a run means the same whichever way it was asked for.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from oas_create_check import __version__
from oas_create_check.model import Finding, Severity, ToolError

if TYPE_CHECKING:
    from collections.abc import Callable

    from oas_create_check.adopt.changes import Changed
    from oas_create_check.fix.fixer import Scope
    from oas_create_check.report import Report
    from oas_create_check.run.lint import RunResult
    from oas_create_check.settings import Settings

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class Request:
    """The command line's options, as typed values (``None``: not given)."""

    paths: tuple[Path, ...]
    fmt: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    config: Path | None = None
    validate: bool = False
    output: Path | None = None
    baseline: Path | None = None
    update_baseline: bool = False
    changed_since: str | None = None
    jobs: int | None = None
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    statistics: bool = False
    report_unused_suppressions: bool = False
    stdin_filename: Path | None = None
    job_summary: Path | None = None


#: ``PATHS`` given as this one name: the spec is read from standard input.
STDIN = Path("-")

#: The format ``-o FILE`` is written in when ``--format`` is not given, by FILE's extension.
FORMAT_OF_SUFFIX = {
    ".json": "json",
    ".sarif": "sarif",
    ".xml": "junit",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "concise",
    ".log": "concise",
}


class UsageError(Exception):
    """An option value the run cannot use. Raised before anything is read or written, so the
    caller may show it in its own usage style (typer's "Invalid value") or re-parse."""


@dataclass(frozen=True)
class Plan:
    """A checked request: the settings it resolves to and what to print where."""

    request: Request
    settings: Settings
    fmt: str
    terminal: str
    revision: tuple[Path, str, str] | None
    #: The format ``--output`` is written in (None: no ``--output``).
    output_fmt: str | None = None


def prepare(request: Request) -> Plan:
    """Resolve settings and check every option. Raises ``UsageError`` for a bad value and
    ``ToolError`` for a bad config file or git revision; reads nothing else and writes nothing."""
    from oas_create_check.config import load_settings
    from oas_create_check.report import FORMATS
    from oas_create_check.settings import UNUSED_SUPPRESSION, VALIDATE_RULE

    stdin = _check_stdin(request)
    start = request.stdin_filename.parent if stdin and request.stdin_filename else Path.cwd()
    settings = load_settings(start, request.config)
    select, ignore = _selection(request.select, request.ignore)
    enable = set(settings.enable)
    if request.validate:
        enable.add(VALIDATE_RULE)
    if request.report_unused_suppressions:
        enable.add(UNUSED_SUPPRESSION)
        if select is not None:
            select = select | {UNUSED_SUPPRESSION}
        elif settings.select is not None:
            select = settings.select | {UNUSED_SUPPRESSION}
    try:
        settings = settings.with_overrides(
            select=select,
            ignore=settings.ignore | (ignore or frozenset()),
            fail_on=Severity.parse(request.fail_on) if request.fail_on else None,
            enable=frozenset(enable),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    # On GitHub Actions the log is read by the runner: annotations are what the user wants there.
    terminal = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    fmt = request.fmt or terminal
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    output_fmt = None
    if request.output is not None and request.fmt is None:
        # ``-o spec.yaml spec.yaml``: the report would replace a spec, which says more than
        # "no format for .yaml"
        _refuse_overwriting_inputs(request)
        output_fmt = _format_of(request.output)
    elif request.output is not None:
        output_fmt = request.fmt
    if request.update_baseline and request.baseline is None:
        raise UsageError("--update-baseline needs --baseline FILE")
    revision = None
    if request.changed_since:
        from oas_create_check.adopt.changes import resolve_revision

        top, commit = resolve_revision(request.changed_since, Path.cwd())
        revision = (top, commit, request.changed_since)
    return Plan(request, settings, fmt, terminal, revision, output_fmt)


def _check_stdin(request: Request) -> bool:
    """Whether the spec comes from standard input (``-``), refusing what cannot go with it."""
    if STDIN not in request.paths:
        if request.stdin_filename is not None:
            raise UsageError("--stdin-filename names the spec read from '-' (standard input)")
        return False
    if len(request.paths) > 1:
        raise UsageError("'-' (standard input) must be the only path")
    for given, option in (
        (request.fix, "--fix"),
        (request.diff, "--diff"),
        (request.changed_since, "--changed-since"),
    ):
        if given:
            raise UsageError(f"{option} cannot be used with '-' (standard input)")
    return True


def _format_of(output: Path) -> str:
    """The format ``-o FILE`` implies by its extension (``.sarif``, ``.json``, ``.xml``...)."""
    suffixes = [suffix.lower() for suffix in output.suffixes]
    if suffixes[-2:] == [".sarif", ".json"]:
        return "sarif"
    fmt = FORMAT_OF_SUFFIX.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        known = ", ".join(f"{suffix} ({name})" for suffix, name in FORMAT_OF_SUFFIX.items())
        raise UsageError(
            f"cannot tell the format of --output {output} from its name: give --format, "
            f"or name it with one of {known}"
        )
    return fmt


def execute(plan: Plan) -> int:
    """Run a checked request: lint or fix, narrow, print the report, and return the exit code.
    A ``ToolError`` on the way (an unwritable report, a bad baseline) is printed and gives 2."""
    try:
        return _execute(plan)
    except ToolError as exc:
        return fail(exc)


def fail(exc: ToolError) -> int:
    """Print a tool error the one way all of them are printed; the exit code for it. Escaped like
    every other message: a config file, a baseline or a file name is as untrusted as a spec, and
    ``select = ["\\u001b[2J::error::x"]`` is echoed in "names unknown rules"."""
    from oas_create_check.escape import printable

    print(f"oas-create-check: {printable(str(exc))}", file=sys.stderr)
    return EXIT_ERROR


def _execute(plan: Plan) -> int:
    from oas_create_check.report import get_renderer

    request = plan.request
    _refuse_overwriting_inputs(request)
    # --changed-since works on the parsed documents, which stay in one process; the fixer
    # keeps each group of specs that may share a file in one worker (fix/pool.py).
    workers = 1 if plan.revision else (request.jobs or os.cpu_count() or 1)
    run, pending, changes = _lint_or_fix(plan, workers)
    _refuse_overwriting_read(request, run)
    run = _adoption(run, plan, changes)
    from oas_create_check.escape import printable

    for notice in run.notices:  # escaping twice changes nothing: escaped text has no controls
        print(f"note: {printable(notice)}", file=sys.stderr)
    for error in run.errors:
        print(f"error: {error}", file=sys.stderr)
    shown = plan.fmt if request.output is None else plan.terminal
    formats = {shown, plan.output_fmt}
    report = build_report(
        run,
        fail_on=plan.settings.fail_on,
        edits="sarif" in formats,
        statistics=request.statistics,
    )
    if request.output is not None and plan.output_fmt is not None:
        _write(request.output, get_renderer(plan.output_fmt)(report))
    if request.job_summary is not None:
        _append(request.job_summary, get_renderer("markdown")(_linked(report)))
    if not request.diff:  # with --diff, the diff is what stdout carries
        if shown in ("text", "concise", "grouped"):
            color = _use_color(sys.stdout)
            if shown == "text":
                shown = "grouped" if _is_terminal(sys.stdout) else "concise"
            report = replace(report, color=color)
        sys.stdout.write(get_renderer(shown)(report))
    if run.errors:
        return EXIT_ERROR
    failing = pending or any(f.severity >= plan.settings.fail_on for f in run.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):
        return False


def _use_color(stream: object) -> bool:
    """Colour on a terminal. ``FORCE_COLOR`` (set, not ``0``) forces it, for CI logs that render
    ANSI; otherwise ``NO_COLOR`` (set, not empty: https://no-color.org) or ``TERM=dumb``
    turns it off."""
    forced = os.environ.get("FORCE_COLOR")
    if forced is not None and forced.strip() not in ("", "0", "false"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return _is_terminal(stream)


def _linked(report: Report) -> Report:
    """The report with ``source_url`` set from the GitHub Actions environment, so the Markdown
    summary links each file to its lines at the commit being checked."""
    server = os.environ.get("GITHUB_SERVER_URL", "")
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    sha = os.environ.get("GITHUB_SHA", "")
    workspace = os.environ.get("GITHUB_WORKSPACE", "")
    if not (server and repository and sha and workspace):
        return report
    try:
        inside = os.path.relpath(Path.cwd(), workspace)
    except ValueError:
        return report
    if inside.startswith(".."):
        return report
    from urllib.parse import quote

    url = f"{server.rstrip('/')}/{repository}/blob/{sha}"
    if inside != ".":
        url += "/" + quote(inside.replace(os.sep, "/"))
    return replace(report, source_url=url)


def _written(request: Request) -> list[tuple[str, Path]]:
    """The files the run writes besides specs, by option."""
    named = [
        ("--output", request.output),
        ("--baseline", request.baseline),
        ("--job-summary", request.job_summary),
    ]
    return [(option, path) for option, path in named if path is not None]


def _refuse_overwriting_inputs(request: Request) -> None:
    """Exit 2 before anything is read or written when ``--output`` or ``--baseline`` resolves to a
    file to be checked: ``-f json -o spec.yaml spec.yaml`` would replace the spec with its own
    report. A file counts when it is named, or found in a named folder and an API description
    (a report left inside a scanned folder is not one, and may be written again)."""
    from oas_create_check.load.read import real_path
    from oas_create_check.run.discover import discover, marked_openapi

    written = _written(request)
    if not written:
        return
    checked = {real_path(path): named for path, named in discover(request.paths)}
    for option, path in written:
        target = real_path(path)
        if target in checked and (checked[target] or marked_openapi(target)):
            raise ToolError(f"{option} {path} is one of the files being checked: refused")


def _refuse_overwriting_read(request: Request, run: RunResult) -> None:
    """The same, once the run is done and before the report or baseline is written, for every
    file the specs read (a ``$ref``'d fragment)."""
    from oas_create_check.load.read import real_path

    written = _written(request)
    if not written:
        return
    read = {f.key for result in run.specs if result.spec for f in result.spec.workspace.files}
    for option, path in written:
        if real_path(path) in read:
            raise ToolError(f"{option} {path} is one of the files being checked: refused")


def build_report(
    run: RunResult,
    fail_on: Severity = Severity.WARNING,
    edits: bool = False,
    statistics: bool = False,
) -> Report:
    """What every format renders, from one run (the fuzz harness renders through this too). A
    file that could not be read or parsed becomes a ``parse-error`` finding, so that every
    machine format shows it; ``edits`` computes the text edits of fixable findings (SARIF)."""
    from oas_create_check.report import PARSE_ERROR, Report, SpecSummary
    from oas_create_check.rules import all_rules

    rules = all_rules()
    unreadable = [
        Finding(
            rule=PARSE_ERROR,
            severity=rules[PARSE_ERROR].doc.severity,
            message=error.message,
            file=error.file,
            line=error.line or 1,
            column=1,
            pointer="",
            path="",
            method="",
        )
        for error in run.errors
    ]
    findings = sorted([*run.findings, *unreadable], key=Finding.sort_key)
    text_edits = {}
    if edits and any(f.fix is not None for f in findings):
        from oas_create_check.fix.preview import text_edits as preview

        text_edits = preview(findings)
    return Report(
        findings=findings,
        operations=run.operations,
        files=[s.file for s in run.specs],
        notices=run.notices,
        rules={rule_id: rule.doc for rule_id, rule in rules.items()},
        tool_version=__version__,
        specs=[SpecSummary(s.file, s.operations, s.findings) for s in run.specs],
        fail_on=fail_on,
        edits=text_edits,
        statistics=statistics,
    )


def explain_spec(
    spec: Path, path: str | None, method: str | None, fmt: str, config: Path | None
) -> int:
    """``oas-create-check explain``: classify every POST/PUT of one spec (no rule runs) and print
    the verdicts with their signals. Exit 2 if the spec cannot be read, else 0."""
    from oas_create_check.config import load_settings
    from oas_create_check.run.lint import lint_paths

    settings = load_settings(Path.cwd(), config).with_overrides(select=frozenset())
    run = lint_paths([spec], settings)
    for notice in run.notices:
        print(f"note: {notice}", file=sys.stderr)
    for error in run.errors:
        print(f"error: {error}", file=sys.stderr)
    if run.errors:
        return EXIT_ERROR
    wanted = [
        op
        for op in run.operations
        if (path is None or op.path == path) and (method is None or op.method == method.lower())
    ]
    if fmt == "json":
        import json

        from oas_create_check.escape import defused
        from oas_create_check.report.json_format import operation_dict

        text = json.dumps({"operations": [operation_dict(o) for o in wanted]}, indent=2)
        sys.stdout.write(defused("json", text + "\n"))
    else:
        from oas_create_check.report.explain import render_text

        sys.stdout.write(render_text(wanted))
    return EXIT_OK


def _names(values: tuple[str, ...], option: str) -> frozenset[str] | None:
    """``--select a,b --select c`` -> {a, b, c}, validated against the known rules; ``all``
    stays as written (``_selection`` expands it)."""
    if not values:
        return None
    from oas_create_check.escape import did_you_mean
    from oas_create_check.rules import all_rules

    names = frozenset(n.strip() for v in values for n in v.split(",") if n.strip())
    known = set(all_rules())
    unknown = sorted(names - known - {ALL})
    if unknown:
        hints = "".join(did_you_mean(name, sorted(known)) for name in unknown[:1])
        raise UsageError(f"{option}: unknown rule(s): {', '.join(unknown)}{hints}")
    return names


#: The name that means every rule, in ``--select``/``--ignore`` as in ``ignore: [all]``.
ALL = "all"


def _selection(
    select: tuple[str, ...], ignore: tuple[str, ...]
) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """``--select`` and ``--ignore`` as rule sets, ``all`` expanded. Naming one rule in both, or
    ignoring all while selecting some, would check nothing without saying so: refused."""
    selected, ignored = _names(select, "--select"), _names(ignore, "--ignore")
    if selected is not None and ignored is not None:
        both = sorted(selected & ignored)
        if both or ALL in ignored:
            named = ", ".join(both) or ALL
            raise UsageError(
                f"--select and --ignore both name {named}: the rule(s) would be selected and "
                "ignored at once; drop one of the two"
            )
    from oas_create_check.rules import all_rules

    every = frozenset(all_rules())
    return (
        every if selected is not None and ALL in selected else selected,
        every if ignored is not None and ALL in ignored else ignored,
    )


def _lint_or_fix(plan: Plan, jobs: int) -> tuple[RunResult, bool, list[Changed] | None]:
    """Lint, or fix first (``fix.py``) and return what remains; with ``--diff`` the diff goes to
    stdout and ``True`` says there was one. When fixing with ``--changed-since``, also what
    changed, decided before the first edit: the report that follows is narrowed by the same."""
    from oas_create_check.run.lint import lint_paths

    settings, request = plan.settings, plan.request
    paths = list(request.paths)
    if paths == [STDIN]:
        from oas_create_check.run.lint import lint_stdin

        return lint_stdin(sys.stdin.buffer, request.stdin_filename, settings), False, None
    if not (request.fix or request.diff):
        if request.unsafe_fixes:
            print("note: --unsafe-fixes does nothing without --fix or --diff", file=sys.stderr)
        return lint_paths(paths, settings, jobs), False, None
    from oas_create_check.escape import printable, verbatim
    from oas_create_check.fix.fixer import FixOptions, fix_run
    from oas_create_check.fix.pool import fix_many

    options = FixOptions(unsafe=request.unsafe_fixes, write=not request.diff)
    changes = None
    if plan.revision is None and request.baseline is None:
        outcome = fix_many(paths, settings, options, jobs)
    else:
        # the scope is decided from this one lint, before any edit, in this process
        run = lint_paths(paths, settings)
        if plan.revision is not None:
            from oas_create_check.adopt.changes import changes_since

            changes = changes_since(run, *plan.revision[:2])
        scopes = _fix_scopes(run, request.baseline, changes, request.update_baseline)
        outcome = fix_run(run, settings, options, scopes)
    for change in outcome.changes:
        if request.diff:
            sys.stdout.write(verbatim(change.diff()))
        verb = "would fix" if request.diff else "fixed"
        shown = printable(change.display)
        if change.fixed:
            print(f"{verb} {change.fixed} problem(s) in {shown}", file=sys.stderr)
        else:  # only what other files' fixes share (a Conflict response, a Location header)
            added = "would add" if request.diff else "added"
            print(f"{added} what the other fixes share to {shown}", file=sys.stderr)
    return outcome.run, request.diff and bool(outcome.changes), changes


def _fix_scopes(
    run: RunResult, baseline: Path | None, changes: list[Changed] | None, update: bool = False
) -> list[Scope]:
    """Per spec of ``run``, the findings ``--fix`` may touch: those the report would show, so
    not the ones recorded in the baseline, and with ``--changed-since`` only those of what
    changed. Empty: every finding. A baseline that does not exist yet (or ``--update-baseline``)
    is about to record every finding, as the lint does, so nothing is fixed: adopting starts
    from the spec as it is."""
    if baseline is None and changes is None:
        return []
    known: Callable[[Finding], bool] | None = None
    if baseline is not None and (update or not baseline.exists()):
        known = _everything
    elif baseline is not None:
        from oas_create_check.adopt.baseline import recorded

        known = recorded(baseline)
    per_spec: list[Changed | None] = [*changes] if changes is not None else [None] * len(run.specs)
    return [_scope(changed, known) for changed in per_spec]


def _everything(finding: Finding) -> bool:
    return True


def _scope(changed: Changed | None, known: Callable[[Finding], bool] | None) -> Scope:
    if changed is None:
        return None if known is None else lambda finding: not known(finding)
    if known is None:
        return changed.keeps
    return lambda finding: changed.keeps(finding) and not known(finding)


def _adoption(run: RunResult, plan: Plan, changes: list[Changed] | None) -> RunResult:
    """Narrow a finished run for adopting the linter on a legacy spec. The baseline comes first
    so that recording it sees every finding, not only those of changed operations. ``changes``:
    what changed, if decided already (before fixing)."""
    request = plan.request
    if request.baseline is not None:
        from oas_create_check.adopt.baseline import apply
        from oas_create_check.engine import active_rules

        active = {rule.id for rule in active_rules(plan.settings)}
        run = apply(run, request.baseline, update=request.update_baseline, active=active)
    if plan.revision is not None:
        from oas_create_check.adopt.changes import only_changed

        run = only_changed(run, *plan.revision, changes=changes)
    return run


def _write(path: Path, text: str) -> None:
    """Write a report file (``--output``), creating its folder: CI jobs name ``reports/x``.
    Atomically, as specs are written: a CI job reading the last report never sees half of it."""
    from oas_create_check.atomic import replace_file

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise ToolError(f"{path}: cannot write the report: {exc.strerror or exc}") from None


def _append(path: Path, text: str) -> None:
    """Append to a file others write too (``--job-summary "$GITHUB_STEP_SUMMARY"``: every step
    of a job appends its own part)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise ToolError(f"{path}: cannot write the job summary: {exc.strerror or exc}") from None
