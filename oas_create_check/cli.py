"""Command line: arguments and config in, a report and an exit code out. No rule or format logic.

``oas-create-check [OPTIONS] PATHS...`` lints; ``oas-create-check rules`` and
``oas-create-check rule NAME`` print the rules' documentation. ``main(argv) -> int`` is the entry
point, callable from tests without a subprocess.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__
from .model import Severity

if TYPE_CHECKING:
    from .config import Settings
    from .lint import RunResult
    from .reporters import Report

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

lint_app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


def _names(values: list[str] | None) -> frozenset[str] | None:
    """``--select a,b --select c`` -> {a, b, c}, validated against the known rules."""
    if not values:
        return None
    from .rules import all_rules

    names = frozenset(n.strip() for v in values for n in v.split(",") if n.strip())
    unknown = names - set(all_rules())
    if unknown:
        raise typer.BadParameter(f"unknown rule(s): {', '.join(sorted(unknown))}")
    return names


@lint_app.command(
    epilog="More: 'oas-create-check rules' lists the rules; 'oas-create-check rule NAME' explains "
    "one; --version prints the version."
)
def lint(
    paths: Annotated[list[Path], typer.Argument(help="Spec files or directories to check.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="Output format: text, json, sarif, github, junit or gitlab."
        ),
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option(help="Only these rules (comma-separated).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Skip these rules (comma-separated).")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", help="Lowest severity that fails the run: error, warning, info."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="Config file (default: found from the working directory up)."),
    ] = None,
    validate: Annotated[
        bool,
        typer.Option("--validate", help="Also validate each spec with openapi-spec-validator."),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report in --format to this file; the terminal still gets text (annotations on GitHub Actions).",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Report only findings not recorded in this file (recorded first if it is missing)."
        ),
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Record today's findings to --baseline.")
    ] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REV",
            help="Report only operations added or changed since this git revision.",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes for checking many specs (default: one per core).",
        ),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply safe fixes in place, then report what remains.")
    ] = False,
    unsafe_fixes: Annotated[
        bool,
        typer.Option(
            "--unsafe-fixes",
            help="With --fix or --diff, also apply unsafe fixes (a create's lone 200 becomes 201).",
        ),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff", help="Print the fixes as a unified diff, write nothing; exit 1 if any."
        ),
    ] = False,
) -> None:
    """Check that every operation that creates a resource says so properly."""
    from .config import VALIDATE_RULE, ConfigError, load_settings
    from .reporters import FORMATS, get_renderer

    try:
        settings = load_settings(Path.cwd(), config)
        settings = settings.with_overrides(
            select=_names(select),
            ignore=settings.ignore | (_names(ignore) or frozenset()),
            fail_on=Severity.parse(fail_on) if fail_on else None,
            enable=settings.enable | {VALIDATE_RULE} if validate else None,
        )
    except ConfigError as exc:
        typer.echo(f"oas-create-check: {exc}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    # On GitHub Actions the log is read by the runner: annotations are what the user wants there.
    terminal = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    chosen = fmt or terminal
    if chosen not in FORMATS:
        raise typer.BadParameter(f"unknown format {chosen!r} (choose from {', '.join(FORMATS)})")

    if update_baseline and baseline is None:
        raise typer.BadParameter("--update-baseline needs --baseline FILE")
    revision = _revision(changed_since) if changed_since else None
    # The fixer and --changed-since work on the parsed documents, which stay in one process.
    workers = 1 if (fix or diff or revision) else (jobs or os.cpu_count() or 1)
    run, pending = _lint_or_fix(paths, settings, fix, unsafe_fixes, diff, workers)
    run = _adoption(run, baseline, update_baseline, revision)
    for notice in run.notices:
        typer.echo(f"note: {notice}", err=True)
    for error in run.errors:
        typer.echo(f"error: {error}", err=True)
    report = build_report(run)
    if output is not None:
        _write(output, get_renderer(chosen)(report))
    if not diff:  # with --diff, the diff is what stdout carries
        sys.stdout.write(get_renderer(chosen if output is None else terminal)(report))
    if run.errors:
        raise typer.Exit(EXIT_ERROR)
    failing = pending or any(f.severity >= settings.fail_on for f in run.findings)
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_OK)


def build_report(run: RunResult) -> Report:
    """What every format renders, from one run (the fuzz harness renders through this too)."""
    from .reporters import Report
    from .rules import all_rules

    return Report(
        findings=run.findings,
        operations=run.operations,
        files=[s.file for s in run.specs],
        notices=run.notices,
        rules={rule_id: rule.doc for rule_id, rule in all_rules().items()},
        tool_version=__version__,
    )


def _lint_or_fix(
    paths: list[Path], settings: Settings, fix: bool, unsafe: bool, diff: bool, jobs: int
) -> tuple[RunResult, bool]:
    """Lint, or fix first (``fix.py``) and return what remains; with ``--diff`` the diff goes to
    stdout and ``True`` says there was one."""
    from .lint import lint_paths

    if not (fix or diff):
        if unsafe:
            typer.echo("note: --unsafe-fixes does nothing without --fix or --diff", err=True)
        return lint_paths(paths, settings, jobs), False
    from .fix import FixOptions, fix_paths
    from .reporters import printable, verbatim

    outcome = fix_paths(paths, settings, FixOptions(unsafe=unsafe, write=not diff))
    for change in outcome.changes:
        if diff:
            sys.stdout.write(verbatim(change.diff()))
        verb = "would fix" if diff else "fixed"
        typer.echo(f"{verb} {change.fixed} problem(s) in {printable(change.display)}", err=True)
    return outcome.run, diff and bool(outcome.changes)


def _revision(revision: str) -> tuple[Path, str, str]:
    """(repository top, commit, as given) for ``--changed-since``; exit 2 if git cannot say."""
    from .changes import ChangeError, resolve_revision

    try:
        top, commit = resolve_revision(revision, Path.cwd())
    except ChangeError as exc:
        typer.echo(f"oas-create-check: {exc}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
    return top, commit, revision


def _adoption(
    run: RunResult,
    baseline: Path | None,
    update_baseline: bool,
    revision: tuple[Path, str, str] | None,
) -> RunResult:
    """Narrow a finished run for adopting the linter on a legacy spec. The baseline comes first
    so that recording it sees every finding, not only those of changed operations."""
    if baseline is not None:
        from .baseline import BaselineError, apply

        try:
            run = apply(run, baseline, update=update_baseline)
        except BaselineError as exc:
            typer.echo(f"oas-create-check: {exc}", err=True)
            raise typer.Exit(EXIT_ERROR) from None
    if revision is not None:
        from .changes import ChangeError, only_changed

        try:
            run = only_changed(run, *revision)
        except ChangeError as exc:
            typer.echo(f"oas-create-check: {exc}", err=True)
            raise typer.Exit(EXIT_ERROR) from None
    return run


def _write(path: Path, text: str) -> None:
    """Write a report file (``--output``), creating its folder: CI jobs name ``reports/x``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        typer.echo(
            f"oas-create-check: {path}: cannot write the report: {exc.strerror or exc}", err=True
        )
        raise typer.Exit(EXIT_ERROR) from None


def list_rules() -> None:
    """List every rule with its default severity and summary."""
    from .rules import all_rules

    for rule in all_rules().values():
        typer.echo(f"{rule.id:<28} {rule.doc.severity.label:<8} {rule.doc.summary}")


def show_rule(
    name: Annotated[str, typer.Argument(help="Rule name, e.g. create-status-201.")],
) -> None:
    """Print one rule's documentation."""
    from .rules import all_rules

    rule = all_rules().get(name)
    if rule is None:
        typer.echo(
            f"oas-create-check: unknown rule {name!r}; see 'oas-create-check rules'", err=True
        )
        raise typer.Exit(EXIT_ERROR)
    doc = rule.doc
    kinds = ", ".join(k.value for k in doc.applies_to) or "the whole document"
    typer.echo(
        f"# {doc.id}\n\n{doc.summary}\n\nDefault severity: {doc.severity.label}. Applies to: {kinds}.\n"
    )
    for title, body in doc.sections:
        typer.echo(f"## {title}\n{body}\n")


def _single(command: Callable[..., None]) -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
    app.command()(command)
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["--version"], ["-V"]):
        print(f"oas-create-check {__version__}")
        return EXIT_OK
    app, prog = lint_app, "oas-create-check"
    if args[:1] == ["rules"]:
        app, prog, args = _single(list_rules), "oas-create-check rules", args[1:]
    elif args[:1] == ["rule"]:
        app, prog, args = _single(show_rule), "oas-create-check rule", args[1:]
    try:
        app(args=args, prog_name=prog, standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_ERROR)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
