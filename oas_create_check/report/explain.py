"""``oas-create-check explain``: each POST/PUT with its kind, confidence and every signal weighed.

The judgement's own account of itself, for a user who asks "why is this a create?" and for a
developer tuning the weights (``spec/classify.py``). Text for people; ``--format json`` gives the
same ``operations`` list as the lint's JSON output.
"""

from __future__ import annotations

from collections.abc import Sequence

from oas_create_check.escape import printable
from oas_create_check.model import OperationRecord


def render_text(operations: Sequence[OperationRecord]) -> str:
    """One block per operation: where, what, how sure, then each signal with its weight."""
    blocks = []
    for op in operations:
        score = sum(s.weight for s in op.signals)
        head = f"{op.file}:{op.line}:{op.column}: {op.method.upper()} {op.path}"
        if op.signals:
            verdict = f"  {op.kind.value} ({op.confidence.value} confidence, score {score:+.1f})"
        else:
            verdict = f"  {op.kind.value} (set by the user)"
        lines = [head, f"{verdict}: {op.reason}"]
        width = max((len(s.name) for s in op.signals), default=0)
        lines += [f"    {s.weight:+5.1f}  {s.name:<{width}}  {s.detail}" for s in op.signals]
        blocks.append(printable_lines(lines))
    count = len(operations)
    return "\n\n".join(blocks) + ("\n\n" if blocks else "") + f"{count} POST/PUT operation(s)\n"


def printable_lines(lines: list[str]) -> str:
    """Each line escaped on its own (spec text is untrusted), joined by real line breaks."""
    return "\n".join(printable(line) for line in lines)
