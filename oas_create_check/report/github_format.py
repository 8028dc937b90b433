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

from oas_create_check.escape import BIDI_CONTROLS
from oas_create_check.model import Finding, Severity
from oas_create_check.report import Report

#: The annotation command for each severity (the runner knows no "info": its lowest is ``notice``).
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

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
    """One command line per finding, in file/line order, and nothing else: a trailing summary line
    is exactly the kind of free text the runner could misread."""
    lines = [_command(finding) for finding in sorted(report.findings, key=Finding.sort_key)]
    return "".join(line + "\n" for line in lines)
