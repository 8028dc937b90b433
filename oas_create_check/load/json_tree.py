"""The exact reader of JSON: a scanner that gives the exact span of every member and item.

Read lazily, one container at a time (``node_at``): the members of the containers on the way to a
pointer are scanned and everything else is skipped by the C-accelerated ``json`` decoder
(``raw_decode``), so a 2 MB file costs a few milliseconds however it is laid out. ``walk`` reads
everything in one pass instead (skipping nothing, so any depth costs one reading): for duplicate
keys and as the test oracle. No recursion in either: any depth is safe.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from oas_create_check.load.node import LayoutError, Node, sequence_index

_WHITESPACE = " \t\r\n"
_DECODER = json.JSONDecoder()
_scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009 - untyped C helper


class _Open:
    """A container being read: its node, its children so far, and the key read last."""

    __slots__ = ("entries", "items", "key", "node")

    def __init__(self, node: Node) -> None:
        self.node = node
        self.entries: list[tuple[Node, Node]] = []
        self.items: list[Node] = []
        node.entries, node.items = self.entries, self.items
        self.key: Node | None = None

    def attach(self, child: Node) -> None:
        if self.node.kind == "map":
            assert self.key is not None
            self.entries.append((self.key, child))
        else:
            self.items.append(child)


class JsonTree:
    """One JSON text's nodes. Containers are ``"map"``/``"seq"`` with ``flow`` set; a member's
    key is a ``"scalar"`` node spanning its quotes, whose ``value`` is the decoded key."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._nodes: dict[int, Node] = {}

    def root(self) -> Node:
        return self.node_at(self._skip(0))

    def node_at(self, start: int) -> Node:
        """The value starting at ``start``, its children scanned (one level deep: theirs are
        not). Memoised: every change of a fixer pass walks down through the same few objects."""
        node = self._nodes.get(start)
        if node is None:
            node = self._nodes[start] = self._scan(start, deep=False)
        return node

    def walk(self) -> Iterator[Node]:
        """Every container, each with its children, parents before children (one pass)."""
        text = self.text
        start = self._skip(0)
        if text[start : start + 1] not in ("{", "["):
            return
        stack = [self._scan(start, deep=True)]
        while stack:
            node = stack.pop()
            yield node
            children = [value for _, value in node.entries] + list(node.items)
            stack.extend(child for child in reversed(children) if child.kind != "scalar")

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

    def _scan(self, start: int, deep: bool) -> Node:
        """The value at ``start``. A container gets its members and items; with ``deep`` theirs
        too, all the way down, else a child container is only spanned (skipped in C)."""
        text = self.text
        stack: list[_Open] = []
        top: Node | None = None
        index = start
        while True:
            # ``index`` is at a value.
            opening = text[index : index + 1]
            opened: _Open | None = None
            if opening in ("{", "[") and (deep or not stack):
                node = Node("map" if opening == "{" else "seq", index, index, flow=True)
                opened = _Open(node)
                index = self._skip(index + 1)
                if text[index : index + 1] == ("}" if opening == "{" else "]"):
                    node.end = index + 1
                    index += 1
                    opened = None  # empty: nothing to read inside
            else:
                kind = "map" if opening == "{" else "seq" if opening == "[" else "scalar"
                end = self._value_end(index)
                node = Node(kind, index, end, flow=kind != "scalar")
                index = end
            if stack:
                stack[-1].attach(node)
            else:
                top = node
            if opened is not None:
                stack.append(opened)
                if node.kind == "map":
                    index = self._key(opened, index)
                continue
            # After a value: close what ends here, then read the next member or item.
            while stack:
                index = self._skip(index)
                separator = text[index : index + 1]
                parent = stack[-1]
                if separator == ",":
                    index = self._skip(index + 1)
                    if parent.node.kind == "map":
                        index = self._key(parent, index)
                    break
                if separator == ("}" if parent.node.kind == "map" else "]"):
                    parent.node.end = index + 1
                    index += 1
                    stack.pop()
                    continue
                raise LayoutError(f"unexpected JSON at offset {index}")
            if not stack:
                assert top is not None
                return top

    def _key(self, mapping: _Open, index: int) -> int:
        """Read the key at ``index`` and its colon; returns where the value starts."""
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
        mapping.key = Node("scalar", index, key_end, style='"', value=name)
        return self._skip(colon + 1)

    # -- answers -------------------------------------------------------------------------------
    def offset(self, path: tuple[str, ...]) -> int:
        """Offset of the key (or array element) at ``path``, or of its nearest existing parent
        (0 for the root). JSON keys are unique here (the loader refuses duplicates), so the first
        match is the match."""
        best = 0
        try:
            node = self.root()
            for part in path:
                found: tuple[int, Node] | None = None
                if node.kind == "map":
                    for key, value in node.entries:
                        if key.value == part:
                            found = (key.start, value)
                            break
                elif node.kind == "seq":
                    number = sequence_index(part)
                    if number is not None and number < len(node.items):
                        found = (node.items[number].start, node.items[number])
                if found is None:
                    break
                best = found[0]
                node = self.node_at(found[1].start)
        except LayoutError:
            pass  # the loader read this text: cannot happen, and the nearest answer stands
        return best

    def duplicate_key_offset(self) -> int | None:
        """Offset of the first key (in the text's order) written twice in one object."""
        first: int | None = None
        try:
            for node in self.walk():
                seen: set[str] = set()
                for key, _ in node.entries:
                    if key.value in seen:
                        first = key.start if first is None else min(first, key.start)
                        break
                    seen.add(key.value)
        except LayoutError:
            pass
        return first

    def index(self) -> dict[tuple[str, ...], int]:
        """Offset of every key and array element by path: the oracle the layout scan is tested
        against."""
        index: dict[tuple[str, ...], int] = {(): 0}
        paths: dict[int, tuple[str, ...]] = {}
        for node in self.walk():
            path = paths.pop(id(node), ())
            children = [(key.value, key.start, value) for key, value in node.entries]
            children += [(str(n), item.start, item) for n, item in enumerate(node.items)]
            for name, offset, child in children:
                index.setdefault((*path, name), offset)
                if child.kind != "scalar":
                    paths[id(child)] = (*path, name)
        return index
