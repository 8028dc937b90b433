"""A node as the text writes it: the exact span the exact readers (``yaml_tree.py``,
``json_tree.py``) report for positions and the fixer's edits.

One type for YAML and JSON, so that walking a pointer (``Locator.walk``) and everything that
reads spans (where an entry ends, which key follows which) is written once.
"""

from __future__ import annotations

from collections.abc import Sequence


class LayoutError(ValueError):
    """The text cannot be read into nodes here (a syntax error PyYAML sees, a lost alias, a merge
    key on the way...). The message says why; the fixer shows it as the reason it refused."""


class Node:
    """One node: ``kind`` is ``"map"``, ``"seq"``, ``"scalar"`` or ``"alias"``; ``text[start:end]``
    is exactly its text. YAML nodes carry PyYAML's 0-based ``line`` and ``column`` of ``start``;
    JSON nodes carry -1 there (the JSON layout reads its columns from the text). ``flow``: a
    ``{...}``/``[...]`` collection (every JSON one). ``style``: how a scalar is quoted (None plain,
    ``'``, ``"``, ``|``, ``>``); ``value``: a scalar's value (a JSON key's, decoded; other JSON
    scalars keep ""). ``entries``: a mapping's (key, value) pairs in order; ``items``: a sequence's
    items. An alias's ``target`` is the anchored node.

    A class with slots, not a dataclass: a large spec has hundreds of thousands of nodes and the
    exact readers build them in their hot loop."""

    __slots__ = (
        "column",
        "end",
        "entries",
        "flow",
        "items",
        "kind",
        "line",
        "start",
        "style",
        "target",
        "value",
    )

    def __init__(
        self,
        kind: str,
        start: int,
        end: int,
        line: int = -1,
        column: int = -1,
        flow: bool = False,
        style: str | None = None,
        value: str = "",
    ) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.line = line
        self.column = column
        self.flow = flow
        self.style = style
        self.value = value
        self.entries: Sequence[tuple[Node, Node]] = ()
        self.items: Sequence[Node] = ()
        self.target: Node | None = None

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.start}:{self.end})"

    @property
    def resolved(self) -> Node:
        """The node itself, or the anchored node an alias stands for."""
        return self.target if self.kind == "alias" and self.target is not None else self


#: (owning key or None, node) from the root down: the way to a pointer (``Locator.walk``). The
#: key is None for the root, a sequence item and an alias's target (its anchor has no key here).
Chain = list[tuple[Node | None, Node]]


def sequence_index(part: str) -> int | None:
    """A pointer segment as the index of a sequence item, if it is written as one: ``3``, not
    ``03`` or ``+3`` (the exact index names items ``0``, ``1``...)."""
    if not part.isdigit():
        return None
    try:
        number = int(part)
    except ValueError:  # a digit of another script
        return None
    return number if str(number) == part else None
