"""The command line as typer reads it: every option, its help text and its usage errors.

``cli.main`` sends here every invocation it does not read itself (any option besides
``--format``, ``--help``, a usage error, the ``rules`` and ``rule NAME`` commands). Options become
a ``command.Request``; what a run does is ``command.py``'s business.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import click
import typer

from oas_create_check.cli.command import (
    EXIT_ERROR,
    EXIT_OK,
    Request,
    UsageError,
    execute,
    fail,
    prepare,
)
from oas_create_check.model import Severity, ToolError
from oas_create_check.report import FORMATS

lint_app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)


@lint_app.command(
    epilog="More: 'oas-create-check rules' lists the rules; 'oas-create-check rule NAME' explains "
    "one; --version prints the version."
)
def lint(
    paths: Annotated[list[Path], typer.Argument(help="Spec files or directories to check.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            "--output-format",
            click_type=click.Choice(FORMATS),
            help="Output format. text: grouped by file on a terminal, one line per finding "
            "(concise) elsewhere. Default: github on GitHub Actions, else text; with --output, "
            "the file's extension (.json, .sarif, .xml, .md, .txt).",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(help="Only these rules (comma-separated; 'all' for every rule)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(help="Skip these rules (comma-separated; 'all' for every rule)."),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            click_type=click.Choice(
                [s.label for s in sorted(Severity, reverse=True)], case_sensitive=False
            ),
            help="Lowest severity that fails the run (default: warning).",
        ),
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
            help="Write the report to this file, in --format or by the file's extension; the terminal still gets text (annotations on GitHub Actions).",
        ),
    ] = None,
    job_summary: Annotated[
        Path | None,
        typer.Option(
            "--job-summary",
            metavar="FILE",
            help='Append a Markdown summary to FILE (on GitHub Actions: "$GITHUB_STEP_SUMMARY").',
        ),
    ] = None,
    statistics: Annotated[
        bool,
        typer.Option("--statistics", help="End with how many findings each rule gave."),
    ] = False,
    report_unused_suppressions: Annotated[
        bool,
        typer.Option(
            "--report-unused-suppressions",
            help="Report x-oas-create-check ignores that hide nothing (rule unused-suppression).",
        ),
    ] = False,
    stdin_filename: Annotated[
        Path | None,
        typer.Option(
            "--stdin-filename",
            metavar="PATH",
            help="With '-' as the path: the name to show for the spec read from stdin; its folder is where $refs and config are looked for.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Report and fix only findings not recorded in this file (recorded first if it "
            "is missing)."
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
            help="Report and fix only operations added or changed since this git revision.",
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
    request = Request(
        paths=tuple(paths),
        fmt=fmt,
        select=tuple(select or ()),
        ignore=tuple(ignore or ()),
        fail_on=fail_on,
        config=config,
        validate=validate,
        output=output,
        baseline=baseline,
        update_baseline=update_baseline,
        changed_since=changed_since,
        jobs=jobs,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        diff=diff,
        statistics=statistics,
        report_unused_suppressions=report_unused_suppressions,
        stdin_filename=stdin_filename,
        job_summary=job_summary,
    )
    try:
        plan = prepare(request)
    except UsageError as exc:
        from oas_create_check.escape import printable

        raise typer.BadParameter(printable(str(exc))) from None
    except ToolError as exc:
        raise typer.Exit(fail(exc)) from None
    raise typer.Exit(execute(plan))


def list_rules() -> None:
    """List every rule with its default severity and summary."""
    from oas_create_check.rules import all_rules

    width = max(len(rule_id) for rule_id in all_rules())
    for rule in all_rules().values():
        typer.echo(f"{rule.id:<{width}} {rule.doc.severity.label:<8} {rule.doc.summary}")


def show_rule(
    name: Annotated[str, typer.Argument(help="Rule name, e.g. create-status-201.")],
) -> None:
    """Print one rule's documentation."""
    from oas_create_check.escape import did_you_mean, printable
    from oas_create_check.report import rule_url
    from oas_create_check.rules import all_rules

    rules = all_rules()
    rule = rules.get(name)
    if rule is None:
        hint = did_you_mean(name, list(rules))
        typer.echo(
            printable(
                f"oas-create-check: unknown rule {name!r}{hint} (see 'oas-create-check rules')"
            ),
            err=True,
        )
        raise typer.Exit(EXIT_ERROR)
    doc = rule.doc
    kinds = ", ".join(k.value for k in doc.applies_to) or "the whole document"
    typer.echo(
        f"# {doc.id}\n\n{doc.summary}\n\nDefault severity: {doc.severity.label}. Applies to: {kinds}.\n"
        f"Documentation: {rule_url(doc.id)}\n"
    )
    for title, body in doc.sections:
        typer.echo(f"## {title}\n{body}\n")


def explain(
    spec: Annotated[Path, typer.Argument(help="The spec whose POST/PUT operations to explain.")],
    path: Annotated[
        str | None, typer.Option("--path", help="Only this path (as written under 'paths').")
    ] = None,
    method: Annotated[
        str | None, typer.Option("--method", help="Only this method (post or put).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output format: text or json.")] = (
        "text"
    ),
    config: Annotated[
        Path | None,
        typer.Option(help="Config file (default: found from the working directory up)."),
    ] = None,
) -> None:
    """Show each POST/PUT with its kind, confidence and every signal behind the verdict."""
    from oas_create_check.cli.command import explain_spec

    if fmt not in ("text", "json"):
        raise typer.BadParameter(f"unknown format {fmt!r} (choose text or json)")
    try:
        code = explain_spec(spec, path, method, fmt, config)
    except ToolError as exc:
        raise typer.Exit(fail(exc)) from None
    raise typer.Exit(code)


def probe(
    spec: Annotated[Path, typer.Argument(help="The spec whose creates to probe.")],
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="The running API; every request stays on its origin."),
    ] = None,
    header: Annotated[
        list[str] | None,
        typer.Option(
            "--header",
            "-H",
            help="'Name: value' sent with every request (repeatable); ${VAR} reads the environment. Values are redacted in all output.",
        ),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(help="JSON/YAML: operationId -> {body, path, query, headers} to send."),
    ] = None,
    plan: Annotated[
        bool, typer.Option("--plan", help="Print the requests it would send; send nothing.")
    ] = False,
    cleanup: Annotated[
        bool, typer.Option("--cleanup", help="DELETE what the probe created, at the end.")
    ] = False,
    app: Annotated[
        str | None,
        typer.Option("--app", metavar="MODULE:ATTR", help="Probe this ASGI/WSGI app in process."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="Output format: text, json, sarif, github, junit or gitlab."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report in --format to this file."),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", help="Lowest severity that fails the run: error, warning, info."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="Config file (default: found from the working directory up)."),
    ] = None,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds to wait for each answer.")] = 5.0,
    max_requests: Annotated[
        int, typer.Option("--max-requests", min=1, help="Most requests the run may send.")
    ] = 500,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=1, help="Most seconds the run may take.")
    ] = 120.0,
    propagation: Annotated[
        float,
        typer.Option(min=0, help="Seconds a new resource may take to become readable."),
    ] = 2.0,
    async_wait: Annotated[
        float, typer.Option("--async-wait", min=0, help="Seconds to poll a 202's monitor.")
    ] = 10.0,
    seed: Annotated[int, typer.Option(help="Seed of the generated request bodies.")] = 0,
) -> None:
    """Check a running API: every create answers as its spec promises (docs/probe.md)."""
    from oas_create_check.cli.probe_command import ProbeRequest, run_probe

    request = ProbeRequest(
        spec=spec,
        base_url=base_url,
        headers=tuple(header or ()),
        data=data,
        plan=plan,
        cleanup=cleanup,
        app=app,
        fmt=fmt,
        output=output,
        fail_on=fail_on,
        config=config,
        timeout=timeout,
        max_requests=max_requests,
        time_limit=time_limit,
        propagation=propagation,
        async_wait=async_wait,
        seed=seed,
    )
    raise typer.Exit(run_probe(request))


def lsp(
    stdio: Annotated[
        bool,
        typer.Option(
            "--stdio",
            help="Talk over stdin/stdout: the only transport, accepted as editors pass it.",
        ),
    ] = True,
    log_file: Annotated[
        Path | None, typer.Option("--log-file", help="Write the log here instead of to stderr.")
    ] = None,
    log_level: Annotated[
        str, typer.Option("--log-level", help="debug, info, warning or error.")
    ] = "info",
) -> None:
    """Run the language server on stdin/stdout (needs the 'lsp' extra); see docs/editor.md."""
    from oas_create_check.lsp import MISSING, serve

    if log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise typer.BadParameter(f"unknown log level {log_level!r}")
    try:
        serve(log_file, log_level)
    except ImportError as exc:
        typer.echo(f"oas-create-check: {MISSING} ({exc})", err=True)
        raise typer.Exit(EXIT_ERROR) from None


def _single(command: Callable[..., None]) -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
    app.command()(command)
    return app


def run(args: list[str]) -> int:
    """Parse ``args`` with typer and run; the exit code, instead of exiting."""
    app, prog = lint_app, "oas-create-check"
    if args[:1] == ["rules"]:
        app, prog, args = _single(list_rules), "oas-create-check rules", args[1:]
    elif args[:1] == ["rule"]:
        app, prog, args = _single(show_rule), "oas-create-check rule", args[1:]
    elif args[:1] == ["explain"]:
        app, prog, args = _single(explain), "oas-create-check explain", args[1:]
    elif args[:1] == ["probe"]:
        app, prog, args = _single(probe), "oas-create-check probe", args[1:]
    elif args[:1] == ["lsp"]:
        app, prog, args = _single(lsp), "oas-create-check lsp", args[1:]
    try:
        app(args=args, prog_name=prog, standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_ERROR)
    return EXIT_OK
