"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

The runner turns each such line of a step's output into an annotation on the pull request. Messages
quote text from the spec being checked, and that text is not ours: a description holding a newline
followed by ``::add-mask::`` or ``::set-env`` would, printed raw, become a command of its own. So
every value is escaped exactly as the ``@actions/core`` toolkit escapes it (``command.ts``), which
keeps each finding on one physical line; the runner only recognises a command at the start of a
line, so whatever follows on that line stays data. Terminal escape sequences and other control
characters are removed first: they have no meaning in an annotation, and some tools that sit between
the step and the log treat them as line breaks or colour codes.
"""

from __future__ import annotations

import re
from collections import Counter

from oas_create_check.escape import BIDI_CONTROLS, printable
from oas_create_check.model import Finding, Severity
from oas_create_check.report import Report, by_importance

#: The annotation command for each severity (the runner knows no "info": its lowest is ``notice``).
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

#: GitHub shows at most this many annotations of each kind (error, warning, notice) per step and
#: drops the rest without a word, so the most important come first and the last notice says how
#: many were left out.
ANNOTATION_LIMIT = 10

#: ANSI/ECMA-48 sequences: CSI (``ESC [`` or the 8-bit ``0x9B``) with parameters, OSC strings
#: ended by BEL or ``ESC \\`` on the same line, and the two-character escapes. Removed whole, so no
#: ``[31m`` residue is left; an unterminated OSC loses only its ``ESC ]``, never the text after it.
_ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b\r\n]*(?:\x07|\x1b\\)"
    r"|\x1b[ -/]*[0-~]"
)

#: Line separators other than CR/LF. The runner splits only on CR and LF, but a log shim or a
#: consumer using Unicode line rules would split on these too, so they become ordinary newlines,
#: which are then escaped like any other.
_OTHER_NEWLINES = re.compile("[\x85\u2028\u2029]")

#: C0 controls (tab, LF and CR excepted: the toolkit escapes LF and CR, and tab is harmless), DEL,
#: the C1 block and the bidi controls ("Trojan Source", ``escape.BIDI_CONTROLS``). Includes the vertical tab, form feed and file/group/record separators, which
#: Python's ``str.splitlines`` treats as line breaks.
_CONTROLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}]")

#: Lone surrogates (a spec may write ``"\\ud800"`` in JSON) cannot be encoded for output at all.
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """Remove terminal escape sequences and control characters that no annotation should carry."""
    text = _ANSI.sub("", text)
    text = _OTHER_NEWLINES.sub("\n", text)
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", text))


def escape_data(text: str) -> str:
    """The toolkit's ``escapeData``: ``%`` first, so that the runner's unescaping is exact."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """The toolkit's ``escapeProperty``: data escaping plus ``:`` and ``,``, which would otherwise
    end the property list or split one property into two."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(finding: Finding) -> str:
    properties: list[tuple[str, str]] = [("file", finding.file)]
    if finding.line >= 1:
        properties.append(("line", str(finding.line)))
        if finding.column >= 1:
            properties.append(("col", str(finding.column)))
        if finding.end_line is not None and finding.end_line >= finding.line:
            properties.append(("endLine", str(finding.end_line)))
            if finding.end_column is not None and finding.end_column >= 1:
                properties.append(("endColumn", str(finding.end_column)))
    properties.append(("title", f"oas-create-check({finding.rule})"))
    # Like the toolkit, leave out empty values: ``file=`` would name no file at all.
    rendered = ",".join(
        f"{key}={escape_property(clean(value))}" for key, value in properties if clean(value)
    )
    return f"::{_COMMANDS[finding.severity]} {rendered}::{escape_data(clean(finding.message))}"


def render(report: Report) -> str:
    """One command line per finding, the most important first (unreadable files, errors, then by
    rule and place), at most ``ANNOTATION_LIMIT`` of each kind. Findings past the limit are
    printed as plain ``file:line:col`` lines (escaped as the text format is, so no line can be a
    command) and a final notice says how many of each kind were not shown as annotations."""
    ordered = by_importance(report.findings, list(report.rules))
    wanted = Counter(_COMMANDS[f.severity] for f in ordered)
    overflow = any(count > ANNOTATION_LIMIT for count in wanted.values())
    limits = {kind: ANNOTATION_LIMIT for kind in _COMMANDS.values()}
    if overflow:
        limits["notice"] -= 1  # the last notice is ours
    used: Counter[str] = Counter()
    lines: list[str] = []
    rest: list[Finding] = []
    for finding in ordered:
        kind = _COMMANDS[finding.severity]
        if used[kind] < limits[kind]:
            used[kind] += 1
            lines.append(_command(finding))
        else:
            rest.append(finding)
    if rest:
        lines += [_plain(finding) for finding in rest]
        left = Counter(finding.severity.label for finding in rest)
        parts = ", ".join(
            f"{left[s.label]} {s.label}" for s in sorted(Severity, reverse=True) if left[s.label]
        )
        message = (
            f"{len(rest)} more finding(s) not shown as annotations ({parts}): GitHub shows at most "
            f"{ANNOTATION_LIMIT} of each kind per step. All are in this step's log and the job "
            "summary."
        )
        lines.append(f"::notice title=oas-create-check::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def _plain(finding: Finding) -> str:
    """A finding past the annotation limit, as the text format prints it."""
    from oas_create_check.report.text_format import file_start

    return (
        f"{file_start(finding.file)}:{finding.line}:{finding.column}: {finding.severity.label} "
        f"[{finding.rule}] {printable(finding.message)}"
    )
