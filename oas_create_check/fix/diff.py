"""The unified diff ``--diff`` prints: a patience diff (lines unique to both sides anchor the
alignment) over difflib's hunk grouping, because a fix inserts a few lines into thousands and
difflib alone takes seconds on that.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from typing import Literal

Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


def _lines(text: str) -> list[str]:
    """Lines as ``patch`` counts them: split at ``\n`` only (``str.splitlines`` also splits at
    U+2028, NEL and form feeds, which would shift every line number after one)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


class _Opcodes(difflib.SequenceMatcher[str]):
    """A SequenceMatcher that reports given opcodes, to reuse difflib's hunk grouping."""

    def __init__(self, opcodes: list[Opcode]) -> None:
        super().__init__(None, [], [])
        self._codes = opcodes

    def get_opcodes(self) -> list[Opcode]:
        return self._codes


def _anchored_opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    """Line opcodes from ``a`` to ``b``: lines that occur once in each anchor the alignment
    (patience diff), and difflib compares only the short stretches between anchors. A fix
    inserts a few lines here and there into thousands: difflib alone takes seconds on that."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if count_b[line] == 1}
    pairs = [
        (i, where_b[line]) for i, line in enumerate(a) if count_a[line] == 1 and line in where_b
    ]
    anchors = _increasing(pairs)
    codes: list[Opcode] = []
    i = j = 0
    for anchor_a, anchor_b in [*anchors, (len(a), len(b))]:
        if (anchor_a, anchor_b) != (i, j):
            matcher = difflib.SequenceMatcher(None, a[i:anchor_a], b[j:anchor_b], autojunk=False)
            for tag, a1, a2, b1, b2 in matcher.get_opcodes():
                codes.append((tag, i + a1, i + a2, j + b1, j + b2))
        if anchor_a < len(a):
            codes.append(("equal", anchor_a, anchor_a + 1, anchor_b, anchor_b + 1))
        i, j = anchor_a + 1, anchor_b + 1
    merged: list[Opcode] = []
    for code in codes:
        if merged and code[0] == "equal" == merged[-1][0]:
            merged[-1] = ("equal", merged[-1][1], code[2], merged[-1][3], code[4])
        elif code[1] != code[2] or code[3] != code[4]:
            merged.append(code)
    return merged or [("equal", 0, 0, 0, 0)]


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (increasing in the first item) increasing in the second."""
    import bisect

    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(pairs)
    for index, (_, second) in enumerate(pairs):
        slot = bisect.bisect_left(tails, second)
        if slot == len(tails):
            tails.append(second)
            tail_index.append(index)
        else:
            tails[slot] = second
            tail_index[slot] = index
        previous[index] = tail_index[slot - 1] if slot else -1
    result: list[tuple[int, int]] = []
    cursor = tail_index[-1] if tail_index else -1
    while cursor >= 0:
        result.append(pairs[cursor])
        cursor = previous[cursor]
    return result[::-1]


def _unified(a: list[str], b: list[str], old: str, new: str) -> Iterable[str]:
    """``difflib.unified_diff`` over ``_anchored_opcodes`` (same output format)."""

    def span(start: int, stop: int) -> str:
        length = stop - start
        first = start + 1 if length else start
        return str(first) if length == 1 else f"{first},{length}"

    groups = list(_Opcodes(_anchored_opcodes(a, b)).get_grouped_opcodes(3))
    if groups and not (len(groups) == 1 and all(g[0] == "equal" for g in groups[0])):
        yield f"--- {old}\n"
        yield f"+++ {new}\n"
        for group in groups:
            yield f"@@ -{span(group[0][1], group[-1][2])} +{span(group[0][3], group[-1][4])} @@\n"
            for tag, a1, a2, b1, b2 in group:
                if tag == "equal":
                    yield from (" " + line for line in a[a1:a2])
                    continue
                yield from ("-" + line for line in a[a1:a2])
                yield from ("+" + line for line in b[b1:b2])


#: Git's C-style escapes (``quote_c_style``); other controls, ``"``/``\\`` aside, and every
#: byte of a non-ASCII character are written in octal, as git does with ``core.quotePath``.
_C_ESCAPES = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r"}
_C_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\"})


def git_quoted(name: str) -> str:
    """A file name for a diff header as git writes it: as is when plain, else in double quotes
    with C escapes. A name is spec-supplied text (a stranger's pull request names its files):
    raw, ``a\\n::error::x.yaml`` would forge a CI annotation line and ESC would drive the
    terminal. ``git apply`` and GNU ``patch`` read the quoted form back; a name with a space
    gets git's trailing tab, which ends the name for them."""
    raw = name.encode("utf-8", "surrogateescape")
    if not any(b < 0x20 or b >= 0x7F or b in _C_ESCAPES for b in raw):
        return name + "\t" if " " in name else name
    body = "".join(
        _C_ESCAPES.get(b) or (f"\\{b:03o}" if b < 0x20 or b >= 0x7F else chr(b)) for b in raw
    )
    return f'"{body}"'


def file_diff(before: str, after: str, display: str) -> str:
    """A unified diff, ``a/``/``b/`` prefixed like git's, marking a missing final newline; the
    file name quoted as git quotes it (``git_quoted``)."""
    old, new = git_quoted(f"a/{display}"), git_quoted(f"b/{display}")
    lines = _unified(_lines(before), _lines(after), old, new)
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def changed_lines(before: str, after: str) -> list[tuple[int, int, str]]:
    """The changes from ``before`` to ``after`` as ``file_diff`` shows them, as replacements: for
    each changed run of ``before``'s lines, its first line and the line after it (0-based, lines
    split at ``\n`` as ``patch`` counts them) and the text that takes its place. An editor
    applies these as its text edits."""
    a, b = _lines(before), _lines(after)
    return [
        (a1, a2, "".join(b[b1:b2]))
        for tag, a1, a2, b1, b2 in _anchored_opcodes(a, b)
        if tag != "equal"
    ]
