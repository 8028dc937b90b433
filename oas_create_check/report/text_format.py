"""The terminal's formats.

``concise``: ``file:line:col: severity [rule] message``, one line a finding, then a summary line;
editors, grep and problem matchers depend on that shape, so it is what ``text`` prints anywhere
but on a terminal. ``grouped``: the findings under their file's name, for a person at a terminal
(what ``text`` prints there). Both end with the same summary, the fixable hint and, on request,
per-rule counts (``--statistics``); colour only when the report asks for it.

A file that could not be read or parsed is reported on stderr as the error it is (exit 2); here
it is counted in the summary, so that a run whose only file is missing never reads like a pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from oas_create_check.escape import printable
from oas_create_check.model import Finding, Severity
from oas_create_check.report import PARSE_ERROR, Report, summary

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_COLOR = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
}


class _Style:
    """ANSI colours, or nothing. Applied after escaping: the codes are ours, the text is not."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.color and text else text

    def severity(self, severity: Severity, text: str | None = None) -> str:
        return self(_SEVERITY_COLOR[severity], severity.label if text is None else text)


def file_start(name: str) -> str:
    """A file name as the start of an output line: ``./`` before one that begins with a blank or
    a colon, so that ``::error::x.yaml`` cannot make the line a CI workflow command."""
    shown = printable(name)
    return "./" + shown if shown[:1] in (" ", "\t", ":") else shown


def _shown(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.rule != PARSE_ERROR]


def render_concise(report: Report) -> str:
    style = _Style(report.color)
    lines = [
        f"{style(_BOLD, file_start(f.file))}:{f.line}:{f.column}: {style.severity(f.severity)} "
        f"[{style(_DIM, f.rule)}] {printable(f.message)}"
        for f in _shown(report)
    ]
    return "\n".join([*lines, *_closing(report, style)]) + "\n"


#: ``text`` as the renderers' registry sees it: without a terminal, one line per finding.
render = render_concise


def render_grouped(report: Report) -> str:
    style = _Style(report.color)
    findings = _shown(report)
    groups: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        groups.setdefault(finding.file, []).append(finding)
    lines: list[str] = []
    for file, group in groups.items():
        lines.append(style(_BOLD, file_start(file)))
        where = [f"{f.line}:{f.column}" for f in group]
        width = max(map(len, where))
        rule_width = max(len(f.rule) for f in group)
        for place, f in zip(where, group, strict=True):
            mark = " [*]" if f.fix is not None and f.fix.applicability.value == "safe" else ""
            lines.append(
                f"  {place:<{width}}  {style.severity(f.severity, f'{f.severity.label:<7}')}  "
                f"{style(_DIM, f'{f.rule:<{rule_width}}')}{mark}  {printable(f.message)}"
            )
        lines.append("")
    return "\n".join([*lines, *_closing(report, style)]) + "\n"


def _closing(report: Report, style: _Style) -> list[str]:
    """Statistics (on request), the fixable hint and the summary line, which comes last."""
    lines = _statistics(_shown(report)) if report.statistics else []
    counts = summary(report)
    safe, unsafe = int(counts["fixable"]), int(counts["unsafe_fixable"])  # type: ignore[call-overload]
    if safe or unsafe:
        hint = f"[*] {safe} fixable with --fix" if safe else "no safe fixes"
        if unsafe:
            hint += f" ({unsafe} more with --fix --unsafe-fixes)"
        lines.append(hint)
    lines.append(style(_BOLD, _summary_line(report)))
    return lines


def _statistics(findings: Sequence[Finding]) -> list[str]:
    """``--statistics``: how many findings each rule gave, most first, and how many are fixable."""
    counts = Counter(f.rule for f in findings)
    if not counts:
        return []
    fixable = Counter(f.rule for f in findings if f.fix is not None)
    severities = {f.rule: f.severity.label for f in findings}
    width = max(len(rule) for rule in counts)
    lines = []
    for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        fix = f"  ({fixable[rule]} fixable)" if fixable[rule] else ""
        label = f"{severities[rule]:<7}" if fix else severities[rule]
        lines.append(f"{count:>6}  {rule:<{width}}  {label}{fix}")
    return [*lines, ""]


def _summary_line(report: Report) -> str:
    shown = _shown(report)
    by_severity = Counter(f.severity for f in shown)
    counts = summary(report)
    unreadable = int(counts["unreadable"])  # type: ignore[call-overload]
    kinds = ", ".join(f"{n} {kind}" for kind, n in counts["kinds"].items())  # type: ignore[attr-defined]
    not_read = f"{unreadable} file(s) could not be read or parsed (see the errors above)"
    if not report.files:
        return (
            f"nothing checked: {not_read}"
            if unreadable
            else "nothing checked: no OpenAPI document found"
        )
    if shown:
        total = (
            f"{len(shown)} finding(s): {by_severity[Severity.ERROR]} error(s), "
            f"{by_severity[Severity.WARNING]} warning(s), {by_severity[Severity.INFO]} info"
        )
    else:
        total = "no findings"
    line = f"{total} in {counts['files']} spec(s); {counts['operations']} POST/PUT operation(s)" + (
        f" ({kinds})" if kinds else ""
    )
    return f"{line}; {not_read}" if unreadable else line
