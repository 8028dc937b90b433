"""The exact reader of JSON: a scanner that gives the exact span of every member and item.

Read lazily, one container at a time (``node_at``): the members of the containers on the way to a
pointer are scanned and everything else is skipped by the C-accelerated ``json`` decoder
(``raw_decode``), so a 2 MB file costs a few milliseconds however it is laid out. ``read_all``
reads everything in one pass instead (skipping nothing, so any depth costs one reading): for
duplicate keys and as the test oracle. No recursion in either: any depth is safe.
"""

from __future__ import annotations

import json
from typing import Any

from oas_create_check.load.node import MAP, SCALAR, SEQ, LayoutError, Node, NodeStore, code

_WHITESPACE = " \t\r\n"
_DECODER = json.JSONDecoder()
_scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009 - untyped C helper
_OBJECT, _ARRAY = code(MAP, flow=True), code(SEQ, flow=True)
_KEY = code(SCALAR, style='"')


class JsonTree:
    """One JSON text's nodes. Containers are ``"map"``/``"seq"`` with ``flow`` set; a member's
    key is a ``"scalar"`` node spanning its quotes, whose ``value`` is the decoded key."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.store = NodeStore()
        self._expanded: dict[int, int] = {}  # start offset -> node read with its children

    def root(self) -> Node:
        return self.store.node(self.node_at(self._skip(0)))

    def node_at(self, start: int) -> int:
        """The node of the value starting at ``start``, its children read (one level deep:
        theirs are not). Memoised: every change of a fixer pass walks down through the same
        few objects."""
        number = self._expanded.get(start)
        if number is None:
            number = self._expanded[start] = self._scan(start, deep=False)
        return number

    def expanded(self, node: Node) -> Node:
        """``node`` with its children read."""
        return self.store.node(self.node_at(node.start))

    def offset(self, path: tuple[str, ...]) -> int:
        """Offset of the key (or array element) at ``path``, or of its nearest existing parent
        (``NodeStore.offset``, reading each container on the way as it is reached)."""
        try:
            root = self.node_at(self._skip(0))
            return self.store.offset(root, path, lambda n: self.node_at(self.store.rows[n][1]))
        except LayoutError:  # the loader read this text: cannot happen
            return 0

    def duplicate_key_offset(self) -> int | None:
        """Offset of the first key (in the text's order) written twice in one object."""
        try:
            return self.store.duplicate_key_offset(self._scan(self._skip(0), deep=True))
        except LayoutError:
            return None

    def index(self) -> dict[tuple[str, ...], int]:
        """Offset of every key and array element by path: the oracle the layout scan is tested
        against."""
        return self.store.index(self._scan(self._skip(0), deep=True))

    # -- reading ---------------------------------------------------------------------------------
    def _skip(self, index: int) -> int:
        text = self.text
        while index < len(text) and text[index] in _WHITESPACE:
            index += 1
        return index

    def _value_end(self, start: int) -> int:
        try:
            _, end = _DECODER.raw_decode(self.text, start)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise LayoutError(f"cannot locate positions: {exc}") from None
        return int(end)

    def _scan(self, start: int, deep: bool) -> int:
        """The node of the value at ``start``. A container gets its members and items; with
        ``deep`` theirs too, all the way down, else a child container is only spanned (skipped
        in C)."""
        text, rows = self.text, self.store.rows
        # The open containers: number, whether an object, children so far.
        stack: list[tuple[int, bool, list[int]]] = []
        top = -1
        index = start
        while True:
            # ``index`` is at a value.
            opening = text[index : index + 1]
            number = len(rows)
            opened = False
            if opening in ("{", "[") and (deep or not stack):
                kind = _OBJECT if opening == "{" else _ARRAY
                after = self._skip(index + 1)
                if text[after : after + 1] == ("}" if opening == "{" else "]"):
                    rows.append((kind, index, after + 1, -1, -1, ""))
                    self.store.children[number] = ()
                    index = after + 1
                else:
                    rows.append((kind, index, index, -1, -1, ""))
                    index, opened = after, True
            else:
                kind = _OBJECT if opening == "{" else _ARRAY if opening == "[" else SCALAR
                end = self._value_end(index)
                rows.append((kind, index, end, -1, -1, ""))
                index = end
            if stack:
                stack[-1][2].append(number)
            else:
                top = number
            if opened:
                stack.append((number, opening == "{", []))
                if opening == "{":
                    index = self._key(stack[-1][2], index)
                continue
            # After a value: close what ends here, then read the next member or item.
            while stack:
                index = self._skip(index)
                separator = text[index : index + 1]
                parent, is_object, children = stack[-1]
                if separator == ",":
                    index = self._skip(index + 1)
                    if is_object:
                        index = self._key(children, index)
                    break
                if separator == ("}" if is_object else "]"):
                    row = rows[parent]
                    rows[parent] = (row[0], row[1], index + 1, -1, -1, "")
                    self.store.children[parent] = tuple(children)
                    index += 1
                    stack.pop()
                    continue
                raise LayoutError(f"unexpected JSON at offset {index}")
            if not stack:
                return top

    def _key(self, children: list[int], index: int) -> int:
        """Read the key at ``index`` and its colon into ``children``; returns where the value
        starts."""
        text = self.text
        if text[index : index + 1] != '"':
            raise LayoutError(f"unexpected JSON at offset {index}")
        try:
            name, key_end = _scanstring(text, index + 1)
        except ValueError as exc:
            raise LayoutError(f"cannot locate positions: {exc}") from None
        colon = self._skip(key_end)
        if text[colon : colon + 1] != ":":
            raise LayoutError(f"unexpected JSON at offset {colon}")
        children.append(len(self.store.rows))
        self.store.rows.append((_KEY, index, key_end, -1, -1, name))
        return self._skip(colon + 1)
