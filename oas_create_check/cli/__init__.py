"""Command line entry point: ``oas-create-check [OPTIONS] PATHS...`` lints;
``oas-create-check rules`` and ``oas-create-check rule NAME`` print the rules' documentation.
``main(argv) -> int`` is the console script, callable from tests without a subprocess.

The options, their help and their usage errors are typer's (``typer_app.py``). But importing
typer and click costs about 40 ms, which on a small spec is most of the run, and a pre-commit hook
runs on every commit. So the two invocations made on every commit, paths alone (pre-commit) and
paths with ``--format NAME`` (CI), are read here without typer: there is nothing to parse in them
but the format's name. Anything else, and any value ``command.prepare`` refuses, goes to typer,
which then parses the whole command line and reports in its usual form.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

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

#: The option names ``quick_request`` reads; ``tests/test_cli.py`` checks that typer's ``lint``
#: command declares exactly these for ``--format``.
FORMAT_OPTION = ("--format", "-f")
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
    """The request for ``PATHS...`` with at most one ``--format NAME`` (or ``-f NAME``,
    ``--format=NAME``) among them; ``None`` for anything else, which typer then reads."""
    if not args or args[0] in ("rules", "rule", "explain", "probe", "lsp"):
        return None
    paths: list[Path] = []
    fmt: str | None = None
    position = 0
    while position < len(args):
        arg = args[position]
        if arg in FORMAT_OPTION or arg.startswith(f"{FORMAT_OPTION[0]}="):
            if fmt is not None:
                return None
            if "=" in arg:
                fmt = arg.partition("=")[2]
            elif position + 1 < len(args):
                position += 1
                fmt = args[position]
            if not fmt or fmt.startswith("-"):
                return None
        elif not arg or arg.startswith("-"):
            return None
        else:
            paths.append(Path(arg))
        position += 1
    return Request(paths=tuple(paths), fmt=fmt) if paths else None


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
