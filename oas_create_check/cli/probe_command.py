"""``oas-create-check probe SPEC --base-url URL``: the options of a probe run, checked, then
the run (``probe/``), its report in the chosen format, and the exit code (the lint's: 0 clean,
1 findings at or above ``--fail-on``, 2 an error that kept something from being probed).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from oas_create_check.cli.command import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from oas_create_check.model import Severity, ToolError


@dataclass(frozen=True)
class ProbeRequest:
    spec: Path
    base_url: str | None = None
    headers: tuple[str, ...] = ()
    data: Path | None = None
    plan: bool = False
    cleanup: bool = False
    app: str | None = None
    fmt: str | None = None
    output: Path | None = None
    fail_on: str | None = None
    config: Path | None = None
    timeout: float = 5.0
    max_requests: int = 500
    time_limit: float = 120.0
    propagation: float = 2.0
    async_wait: float = 10.0
    seed: int = 0


#: Where an in-process app (``--app``) is reached when no ``--base-url`` is given.
APP_BASE_URL = "http://app.local"


def run_probe(request: ProbeRequest) -> int:
    """Run one probe and print its report; the exit code. A ``ToolError`` becomes exit 2."""
    try:
        return _run(request)
    except ToolError as exc:
        print(f"oas-create-check: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _run(request: ProbeRequest) -> int:
    try:
        import httpx  # noqa: F401
    except ImportError:
        raise ToolError(
            "the probe needs its extra: pip install 'oas-create-check[probe]'"
        ) from None
    from oas_create_check.config import load_settings
    from oas_create_check.probe.checks import Waits
    from oas_create_check.probe.client import Limits, Redactor, parse_header
    from oas_create_check.probe.runner import ProbeOptions, prepare, run
    from oas_create_check.report import FORMATS

    settings = load_settings(Path.cwd(), request.config)
    if request.fail_on:
        try:
            settings = settings.with_overrides(fail_on=Severity.parse(request.fail_on))
        except ValueError as exc:
            raise ToolError(f"--fail-on: {exc}") from None
    terminal = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    fmt = request.fmt or terminal
    if fmt not in FORMATS:
        raise ToolError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    base_url = request.base_url or (APP_BASE_URL if request.app else None)
    if base_url is None:
        raise ToolError("probe needs --base-url URL (or --app module:attr)")
    headers: dict[str, str] = {}
    secrets: list[str] = []
    for text in request.headers:
        name, value, found = parse_header(text, dict(os.environ))
        headers[name] = value
        secrets.extend(found)
    options = ProbeOptions(
        spec=request.spec,
        base_url=base_url,
        headers=headers,
        secrets=tuple(secrets),
        data=request.data,
        cleanup=request.cleanup,
        app=request.app,
        limits=Limits(request.timeout, request.max_requests, request.time_limit),
        waits=Waits(request.propagation, request.async_wait),
        seed=request.seed,
    )
    if request.plan:
        from oas_create_check.probe.output import plan

        targets, result = prepare(options, settings)
        _say(result.notices, result.errors)
        redactor = Redactor([*headers.values(), *secrets])
        sys.stdout.write(plan(targets, base_url, redactor, headers))
        return EXIT_ERROR if result.errors else EXIT_OK
    transport = None
    if request.app:
        from oas_create_check.probe.app import load_app
        from oas_create_check.probe.app import transport as app_transport

        transport = app_transport(load_app(request.app), request.timeout)
    from oas_create_check.probe.output import render

    result = run(options, settings, transport)
    _say(result.notices, result.errors)
    if request.output is not None:
        _write(request.output, render(result, fmt))
    sys.stdout.write(render(result, fmt if request.output is None else terminal))
    print(
        f"probe: {len(result.operations)} create(s), {result.requests} request(s) in {result.seconds:.2f} s",
        file=sys.stderr,
    )
    if result.errors:
        return EXIT_ERROR
    failing = any(f.severity >= settings.fail_on for f in result.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _say(notices: list[str], errors: list[str]) -> None:
    from oas_create_check.escape import printable

    for notice in notices:
        print(f"note: {printable(notice)}", file=sys.stderr)
    for error in errors:
        print(f"error: {printable(error)}", file=sys.stderr)


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ToolError(f"{path}: cannot write the report: {exc.strerror or exc}") from None
