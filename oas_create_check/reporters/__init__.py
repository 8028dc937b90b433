"""Output formats: one module per format, each exposing a pure ``render(report) -> str``.

Modules are imported only when their format is asked for, so a plain text run never pays for the
XML or JSON-schema machinery of the CI formats.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..model import Finding, OperationRecord, RuleDoc

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


def get_renderer(fmt: str) -> Renderer:
    """The ``render`` function of format ``fmt`` (a name from ``FORMATS``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    module = importlib.import_module(f".{fmt}_format", __name__)
    renderer: Renderer = module.render
    return renderer
