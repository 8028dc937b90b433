"""Text edits and the interface of a file layout: where a change goes in a file's text and how it
is written there. ``yaml_layout.py`` and ``json_layout.py`` implement it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from dataclasses import dataclass
from typing import Any

from oas_create_check.model import AddEntry, Change, Pointer, RenameKey


class CannotEdit(Exception):
    """The change cannot be written as an insertion here (alias, null parent, parse failure...)."""


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``text``; ``start == end`` is a pure insertion (every fix
    but ``RenameKey`` is one)."""

    start: int
    end: int
    text: str
    #: For whole lines inserted into a YAML block mapping: the column of the inserted key. Two
    #: such insertions at one point have an obvious order (the deeper entry ends the inner
    #: mapping, so it comes first) and can go in the same pass.
    column: int | None = None
    #: For such an insertion: the key it adds. Two entries with different keys inserted at one
    #: point and column (a ``Conflict`` and a ``BadRequest`` appended to the same components
    #: map) go in the order they were taken; the same key twice waits a pass.
    key: str | None = None

    @property
    def is_insertion(self) -> bool:
        return self.start == self.end


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (see ``overlaps``) in one pass."""
    parts: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end, -(e.column or 0))):
        parts.append(text[position : edit.start])
        parts.append(edit.text)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


def overlaps(a: Edit, b: Edit) -> bool:
    """Two edits conflict when they touch the same characters or insert at the same point (the
    order of two insertions at one point would be arbitrary, so the second waits a pass)."""
    if a.is_insertion and b.is_insertion:
        return a.start == b.start and not _ordered(a.column, a.key, b.column, b.key)
    if a.is_insertion:
        return b.start < a.start < b.end
    if b.is_insertion:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _ordered(column: int | None, key: str | None, other: int | None, other_key: str | None) -> bool:
    """Whether two insertions at one point have an order that does not depend on chance: block
    entries at different columns, or at one column with different keys."""
    if column is None or other is None:
        return False
    return column != other or (key is not None and other_key is not None and key != other_key)


class EditIndex:
    """The edits taken so far in one file, indexed so that ``conflicts`` answers what
    ``any(overlaps(edit, other) for other in taken)`` would with a lookup and two bisections:
    a pass over a spec with thousands of creating operations takes thousands of edits in one
    file, and a scan per offer made the pass quadratic."""

    def __init__(self) -> None:
        #: insertion point -> the (column, key) of the insertions there (None: not a block entry)
        self._columns: dict[int, list[tuple[int | None, str | None]]] = {}
        self._points: list[int] = []  # the insertion points, sorted
        #: replacements as (start, end), sorted; disjoint, since overlapping ones conflict
        self._spans: list[tuple[int, int]] = []

    def add(self, edit: Edit) -> None:
        if edit.is_insertion:
            columns = self._columns.get(edit.start)
            if columns is None:
                columns = self._columns[edit.start] = []
                insort(self._points, edit.start)
            columns.append((edit.column, edit.key))
        else:
            insort(self._spans, (edit.start, edit.end))

    def conflicts(self, edit: Edit) -> bool:
        if edit.is_insertion:
            for column, key in self._columns.get(edit.start, ()):
                if not _ordered(edit.column, edit.key, column, key):
                    return True
            return self._covers(edit.start, edit.start, strict=True)
        # an insertion strictly inside, or a replacement sharing characters
        point = bisect_left(self._points, edit.start + 1)
        if point < len(self._points) and self._points[point] < edit.end:
            return True
        return self._covers(edit.start, edit.end, strict=False)

    def _covers(self, start: int, end: int, strict: bool) -> bool:
        """Whether a replacement span ``(s, e)`` taken so far has ``s < end`` and ``e > start``
        (``strict``: ``s < start``, for a point): spans are disjoint and sorted, so only the
        last one starting before ``end`` can."""
        limit = start if strict else end
        index = bisect_left(self._spans, (limit, -1)) - 1
        return index >= 0 and self._spans[index][1] > start


def newline_of(text: str) -> str:
    """The file's line ending, judged by its first line break."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


class Layout:
    """Where and how changes go in one version of one file's text."""

    text: str

    def edit(self, change: Change) -> Edit | None:
        """The edit for ``change``, or ``None`` when the text already holds exactly that entry."""
        if isinstance(change, RenameKey):
            return self.rename(change)
        return self.add(change)

    def add(self, change: AddEntry) -> Edit | None:
        raise NotImplementedError

    def rename(self, change: RenameKey) -> Edit | None:
        raise NotImplementedError


def _nest(rest: tuple[str | int, ...], key: str, value: Any) -> Any:
    """The value to add at the deepest existing node: the missing parents wrapped around it."""
    nested: Any = {key: value}
    for part in reversed(rest):
        nested = {str(part): nested}
    return nested


def split_missing(pointer: Pointer, depth: int, key: str, value: Any) -> tuple[str, Any]:
    """For a pointer whose first ``depth`` segments exist: the key and value to add there."""
    rest = pointer[depth:]
    if not rest:
        return key, value
    return str(rest[0]), _nest(rest[1:], key, value)


def _code_order(key: str) -> tuple[int, str] | None:
    if key == "default":
        return (10, "")
    return (int(key[0]), key[1:].replace("X", "9")) if is_code(key) else None


#: ``place_after``'s answer for "before the first entry".
FIRST = -1


def place_after(keys: list[str], new: str) -> int | None:
    """Status codes go in numeric order: after the last entry with a smaller code (``default``
    counts as the largest). With no smaller one, before the first larger one (``FIRST`` when
    that is the first entry), so that nothing lands after ``default``. ``None``: at the end, as
    for any other key."""
    order = _code_order(new)
    if order is None:
        return None
    codes = [(i, o) for i, key in enumerate(keys) if (o := _code_order(key)) is not None]
    smaller = [i for i, o in codes if o < order]
    if smaller:
        return smaller[-1]
    larger = [i for i, o in codes if o > order]
    if not larger:
        return None
    return larger[0] - 1 if larger[0] > 0 else FIRST


def most_common(counter: Counter[Any], accept: Any, default: Any) -> Any:
    for value, _ in counter.most_common():
        if accept(value):
            return value
    return default


#: Keys that are status codes (or code ranges): they get the quoting the file uses for codes.
_CODE_KEY = re.compile(r"^(?:[1-5][0-9][0-9]|[1-5]XX|default)$")


def is_code(key: str) -> bool:
    """A status code or range (``201``, ``4XX``), quoted the way the file quotes codes."""
    return bool(_CODE_KEY.match(key)) and key != "default"
