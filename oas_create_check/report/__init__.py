"""Output formats: one module per format, each exposing a pure ``render(report) -> str``.

Modules are imported only when their format is asked for, so a plain text run never pays for the
XML or JSON-schema machinery of the CI formats.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from oas_create_check.escape import defused
from oas_create_check.model import Finding, OperationRecord, RuleDoc

#: Every format the CLI accepts, in the order ``--help`` lists them.
FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")


@dataclass(frozen=True)
class Report:
    """Everything a reporter may show. ``files`` are the display paths of every document that was
    checked (clean ones included: JUnit shows a passing testcase for them); ``notices`` are one-line
    messages such as skipped non-OpenAPI files; ``rules`` documents every rule that can appear."""

    findings: Sequence[Finding]
    operations: Sequence[OperationRecord] = ()
    files: Sequence[str] = ()
    notices: Sequence[str] = ()
    rules: Mapping[str, RuleDoc] = field(default_factory=dict)
    tool_version: str = ""


Renderer = Callable[[Report], str]


def summary(report: Report) -> dict[str, object]:
    """Counts shared by the text and JSON formats."""
    by_severity = {"error": 0, "warning": 0, "info": 0}
    for finding in report.findings:
        by_severity[finding.severity.label] += 1
    kinds: dict[str, int] = {}
    for op in report.operations:
        kinds[op.kind.value] = kinds.get(op.kind.value, 0) + 1
    return {
        "files": len(report.files),
        "findings": len(report.findings),
        **{f"{label}s": count for label, count in by_severity.items()},
        "operations": len(report.operations),
        "kinds": dict(sorted(kinds.items())),
    }


def get_renderer(fmt: str) -> Renderer:
    """The ``render`` function of format ``fmt`` (a name from ``FORMATS``), its output made safe
    to print in a CI log (``defused``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    module = importlib.import_module(f".{fmt}_format", __name__)
    renderer: Renderer = module.render
    return lambda report: defused(fmt, renderer(report))
