"""Hover text: on an operation, the judgement (kind, confidence, the reason and every signal, as
``oas-create-check explain`` prints them); on a finding's line, each rule's summary and message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from oas_create_check.escape import printable
from oas_create_check.load.source import SourceFile
from oas_create_check.model import Finding, OperationRecord
from oas_create_check.rules import all_rules

#: CommonMark's backslash-escapable punctuation: spec text must not become links, images or
#: markup in the editor's hover.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def hover_markdown(
    source: SourceFile,
    line: int,
    findings: Iterable[Finding],
    operations: Iterable[OperationRecord],
) -> str | None:
    """Markdown for the 1-based ``line`` of ``source``, or ``None`` when there is nothing to say.
    ``findings`` and ``operations`` are those of the specs that read the file."""
    parts = [_finding(f) for f in findings if f.file == source.display and f.line == line]
    operation = operation_at(source, line, operations)
    if operation is not None:
        parts.append(_operation(operation))
    return "\n\n---\n\n".join(parts) if parts else None


def operation_at(
    source: SourceFile, line: int, operations: Iterable[OperationRecord]
) -> OperationRecord | None:
    """The operation written around ``line``: from its key to the last line indented deeper
    than it (a whole file for an operation that is its file's root, as DigitalOcean writes
    them)."""
    lines: list[str] | None = None
    best: OperationRecord | None = None
    for operation in operations:
        if operation.file != source.display or operation.line > line:
            continue
        if best is not None and operation.line <= best.line:
            continue
        if operation.pointer in ("", "/"):
            best = operation
            continue
        if lines is None:
            lines = source.text.split("\n")
        if _inside(lines, operation.line, operation.column - 1, line):
            best = operation
    return best


def _inside(lines: list[str], start: int, indent: int, line: int) -> bool:
    """Whether 1-based ``line`` belongs to the block whose key is at ``start``, column
    ``indent``: no line between them holds content at that indentation or less."""
    for number in range(start + 1, min(line, len(lines)) + 1):
        text = lines[number - 1].rstrip("\r")
        content = text.lstrip(" ")
        if not content or content.startswith("#"):
            continue
        if len(text) - len(content) <= indent:
            return False
    return True


def _finding(finding: Finding) -> str:
    rule = all_rules().get(finding.rule)
    summary = rule.doc.summary if rule is not None else ""
    head = f"**{finding.rule}** ({finding.severity.label})"
    message = markdown_text(finding.message)
    return f"{head}: {summary}\n\n{message}" if summary else f"{head}\n\n{message}"


def _operation(operation: OperationRecord) -> str:
    title = (
        f"**{operation.method.upper()} {markdown_text(operation.path)}**: {operation.kind.value}"
    )
    if operation.signals:
        score = sum(s.weight for s in operation.signals)
        title += f" ({operation.confidence.value} confidence, score {score:+.1f})"
    else:
        title += " (set by the user)"
    lines = [title, "", markdown_text(operation.reason)]
    if operation.signals:
        lines += ["", "| weight | signal | detail |", "|---:|---|---|"]
        lines += [
            f"| {s.weight:+.1f} | `{s.name}` | {_cell(s.detail)} |" for s in operation.signals
        ]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Spec text inside a Markdown table cell: one line, escaped."""
    return markdown_text(" ".join(text.split()))


def markdown_text(text: str) -> str:
    """Untrusted text shown as itself in Markdown: control characters as escapes, and every
    punctuation character that could start markup backslash-escaped."""
    return _MARKDOWN.sub(r"\\\1", printable(text))
