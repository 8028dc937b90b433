"""``file:line:col: severity [rule] message``, one line a finding, then a summary line."""

from __future__ import annotations

from oas_create_check.escape import printable
from oas_create_check.report import Report, summary


def _file(name: str) -> str:
    """A file name as the start of an output line: ``./`` before one that begins with a blank or
    a colon, so that ``::error::x.yaml`` cannot make the line a CI workflow command."""
    shown = printable(name)
    return "./" + shown if shown[:1] in (" ", "\t", ":") else shown


def render(report: Report) -> str:
    lines = [
        f"{_file(f.file)}:{f.line}:{f.column}: {f.severity.label} [{f.rule}] {printable(f.message)}"
        for f in report.findings
    ]
    counts = summary(report)
    kinds = ", ".join(f"{n} {kind}" for kind, n in counts["kinds"].items())  # type: ignore[attr-defined]
    if report.findings:
        total = (
            f"{counts['findings']} finding(s): {counts['errors']} error(s), "
            f"{counts['warnings']} warning(s), {counts['infos']} info"
        )
    else:
        total = "no findings"
    lines.append(
        f"{total} in {counts['files']} spec(s); {counts['operations']} POST/PUT operation(s)"
        + (f" ({kinds})" if kinds else "")
    )
    return "\n".join(lines) + "\n"
