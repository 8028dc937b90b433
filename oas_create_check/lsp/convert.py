"""The tool's values as LSP values: findings as diagnostics, fixed files as text edits.

Positions: the tool counts lines at ``\\n`` and columns in code points, 1-based; LSP counts from 0
in the units the client negotiated (UTF-16 unless it offered another), which ``PositionCodec``
converts. A text edit replaces whole lines, exactly the lines ``--diff`` shows changed
(``changed_lines``), so a quick fix is the diff the CLI prints, applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from oas_create_check.escape import printable
from oas_create_check.fix.diff import changed_lines
from oas_create_check.fix.fixer import FileChange
from oas_create_check.lsp.session import Trouble
from oas_create_check.model import Finding, Severity
from oas_create_check.rules import all_rules

SOURCE = "oas-create-check"
#: Where a rule's documentation is read: its own module, whose ``DOC`` is what
#: ``oas-create-check rule NAME`` prints.
RULE_DOCS = "https://github.com/oas-create-check/oas-create-check/blob/main/{module}.py"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def rule_url(rule: str) -> str | None:
    """The address of a rule's documentation (``None`` for a name no rule has)."""
    found = all_rules().get(rule)
    check = found and (found.check or found.check_spec)
    if not check:
        return None
    return RULE_DOCS.format(module=check.__module__.replace(".", "/"))


class Lines:
    """A text's lines as the tool counts them, for converting positions."""

    def __init__(self, text: str, codec: PositionCodec) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.codec = codec

    def position(self, line: int, column: int) -> types.Position:
        """0-based ``line`` and ``column`` in code points -> an LSP position."""
        if line >= len(self.lines):
            last = len(self.lines) - 1
            return types.Position(last, self.units(last, len(self.lines[last])))
        return types.Position(line, self.units(line, column))

    def units(self, line: int, column: int) -> int:
        return int(self.codec.client_num_units(self.lines[line][:column]))

    def content_end(self, line: int) -> int:
        """Where a line's content ends (code points): trailing blanks and ``\\r`` left out."""
        return len(self.lines[line].rstrip(" \t\r")) if line < len(self.lines) else 0

    def line_start(self, line: int) -> types.Position:
        """The start of 0-based ``line``; one past the last line is the end of the text."""
        if line < len(self.lines):
            return types.Position(line, 0)
        return self.position(len(self.lines) - 1, len(self.lines[-1]))


def diagnostics(
    findings: Iterable[Finding], troubles: Iterable[Trouble], lines: Lines | None
) -> list[types.Diagnostic]:
    """One diagnostic per finding (from its node's key to the end of that line) and per trouble
    (its whole line)."""
    result = []
    for finding in findings:
        result.append(
            types.Diagnostic(
                range=_span(lines, finding.line - 1, finding.column - 1),
                message=printable(finding.message),
                severity=_SEVERITY[finding.severity],
                code=finding.rule,
                code_description=_link(finding.rule),
                source=SOURCE,
                data={"pointer": finding.pointer, "path": finding.path, "method": finding.method},
            )
        )
    for trouble in troubles:
        result.append(
            types.Diagnostic(
                range=_span(lines, trouble.line - 1, 0),
                message=printable(trouble.message),
                severity=_SEVERITY[trouble.severity],
                code=trouble.code,
                source=SOURCE,
            )
        )
    return result


def _link(rule: str) -> types.CodeDescription | None:
    url = rule_url(rule)
    return types.CodeDescription(href=url) if url else None


def _span(lines: Lines | None, line: int, column: int) -> types.Range:
    line = max(line, 0)
    if lines is None:
        return types.Range(types.Position(line, 0), types.Position(line + 1, 0))
    end = max(lines.content_end(line), column)
    return types.Range(lines.position(line, column), lines.position(line, end))


def text_edits(change: FileChange, codec: PositionCodec) -> list[types.TextEdit]:
    """The edits that turn ``change.before`` into ``change.after``: the diff's changed lines."""
    lines = Lines(change.before, codec)
    return [
        types.TextEdit(
            range=types.Range(lines.line_start(first), lines.line_start(end)), new_text=text
        )
        for first, end, text in changed_lines(change.before, change.after)
    ]


def workspace_edit(
    changes: Iterable[FileChange],
    uri_of: Callable[[Path], str],
    versions: Mapping[Path, int | None],
    codec: PositionCodec,
    document_changes: bool,
) -> types.WorkspaceEdit:
    """The fixed files as one edit. With ``document_changes`` (the client supports it), each
    open document's edits carry the version they were computed from, so a client whose buffer
    moved on refuses them instead of applying them in the wrong place."""
    per_file = [(c.path, text_edits(c, codec)) for c in changes]
    if not document_changes:
        return types.WorkspaceEdit(changes={uri_of(path): edits for path, edits in per_file})
    return types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri_of(path), version=versions.get(path)
                ),
                edits=list(edits),
            )
            for path, edits in per_file
        ]
    )
