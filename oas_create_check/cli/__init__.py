"""Command line entry point: ``oas-create-check [OPTIONS] PATHS...`` lints;
``oas-create-check rules`` and ``oas-create-check rule NAME`` print the rules' documentation.
``main(argv) -> int`` is the console script, callable from tests without a subprocess.

The options, their help and their usage errors are typer's (``typer_app.py``). But importing
typer and click costs about 40 ms, which on a small spec is most of the run, and a pre-commit hook
runs on every commit. So the invocations made on every commit, the two hooks' (paths alone, and
``--fix --changed-since HEAD`` with paths) and CI's (``--format NAME``, ``--output FILE``,
``--fail-on``...), are read here without typer: their options are flags and plain strings, with
nothing to convert (``QUICK``).
Anything else (``--help``, ``--jobs N``, a repeated option, ``--``), and any value
``command.prepare`` refuses, goes to typer, which then parses the whole command line and reports
in its usual form.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from oas_create_check import __version__
from oas_create_check.cli.command import (
    EXIT_OK,
    Request,
    UsageError,
    build_report,
    execute,
    fail,
    prepare,
)
from oas_create_check.model import ToolError

__all__ = ["build_report", "main", "quick_request"]

#: The option names of ``--format``; ``tests/test_cli.py`` checks that typer's ``lint`` command
#: declares exactly these, and every name of ``QUICK`` with its kind.
FORMAT_OPTION = ("--format", "-f", "--output-format")

#: What the quick path reads: option name -> (``Request`` field, kind). ``flag`` takes no value;
#: ``text`` and ``path`` take one (at most once); ``list`` may repeat (``--select a --select b``).
QUICK: dict[str, tuple[str, str]] = {
    **{name: ("fmt", "text") for name in FORMAT_OPTION},
    "--fail-on": ("fail_on", "text"),
    "--select": ("select", "list"),
    "--ignore": ("ignore", "list"),
    "--config": ("config", "path"),
    "--output": ("output", "path"),
    "-o": ("output", "path"),
    "--baseline": ("baseline", "path"),
    "--changed-since": ("changed_since", "text"),
    "--job-summary": ("job_summary", "path"),
    "--fix": ("fix", "flag"),
    "--unsafe-fixes": ("unsafe_fixes", "flag"),
    "--diff": ("diff", "flag"),
    "--validate": ("validate", "flag"),
    "--update-baseline": ("update_baseline", "flag"),
    "--statistics": ("statistics", "flag"),
    "--report-unused-suppressions": ("report_unused_suppressions", "flag"),
}
#: Click's exit code when a run is interrupted or its output pipe closes.
_EXIT_ABORTED = 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["--version"], ["-V"]):
        print(f"oas-create-check {__version__}")
        return EXIT_OK
    request = quick_request(args)
    if request is not None:
        try:
            plan = prepare(request)
        except ToolError as exc:
            return fail(exc)
        except UsageError:
            pass  # typer parses again and shows the error in its usage form
        else:
            return _as_click_would(lambda: execute(plan))
    from oas_create_check.cli.typer_app import run

    return run(args)


def quick_request(args: Sequence[str]) -> Request | None:
    """The request for ``PATHS...`` with options from ``QUICK``; ``None`` for anything else,
    which typer then reads."""
    if not args or args[0] in ("rules", "rule", "explain", "probe", "lsp"):
        return None
    paths: list[Path] = []
    values: dict[str, Any] = {}
    position = 0
    while position < len(args):
        arg = args[position]
        name, equals, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in QUICK:
            field, kind = QUICK[name]
            if kind == "flag":
                if equals or field in values:
                    return None
                values[field] = True
            else:
                if equals:
                    value = inline
                elif position + 1 < len(args):
                    position += 1
                    value = args[position]
                else:
                    return None
                if not value or value.startswith("-"):
                    return None
                if kind == "list":
                    values[field] = (*values.get(field, ()), value)
                elif field in values:
                    return None  # given twice: typer decides which one counts
                else:
                    values[field] = Path(value) if kind == "path" else value
        elif not arg or arg.startswith("-"):
            return None
        else:
            paths.append(Path(arg))
        position += 1
    return Request(paths=tuple(paths), **values) if paths else None


def _as_click_would(run: Callable[[], int]) -> int:
    """Run as click's standalone mode does for typer's path: Ctrl-C prints ``Aborted!`` and a
    closed output pipe (``| head``) ends the run quietly, both with exit code 1, not a traceback."""
    try:
        return run()
    except (KeyboardInterrupt, EOFError):
        print("\nAborted!", file=sys.stderr)
        return _EXIT_ABORTED
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        # Python flushes stdout again at exit and would complain about the pipe: point it at
        # nothing, as click does with its PacifyFlushWrapper.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # not a real file (a test's capture): nothing to flush
            pass
        return _EXIT_ABORTED


if __name__ == "__main__":
    sys.exit(main())
