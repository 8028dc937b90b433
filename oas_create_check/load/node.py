"""A node as the text writes it: the exact span the exact readers (``yaml_tree.py``,
``json_tree.py``) report for positions and the fixer's edits.

One model for YAML and JSON, so that walking a pointer (``Locator.walk``) and everything that
reads spans (where an entry ends, which key follows which) is written once.

A reader keeps its nodes in a ``NodeStore``: one tuple of plain values per node, and the
children of each collection as a tuple of node numbers. Tuples holding only numbers and strings
are dropped from the garbage collector's watch, so a tree of a large spec costs the collector
nothing, where as many live objects made every later collection walk all of them again (on a
3 MB spec, +0.6 s over a run). ``Node`` is a view of one row, made when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

MAP, SEQ, SCALAR, ALIAS = 0, 1, 2, 3
_KINDS = ("map", "seq", "scalar", "alias")
FLOW = 4
#: Scalar styles, coded in the bits above the kind and the flow flag.
STYLES: tuple[str | None, ...] = (None, "'", '"', "|", ">")
_STYLE_CODES = {style: number << 3 for number, style in enumerate(STYLES)}

#: One node: (kind, flow flag and style coded together, start, end, line, column, value).
Row = tuple[int, int, int, int, int, str]


def code(kind: int, flow: bool = False, style: str | None = None) -> int:
    """``kind`` (``MAP``...), the flow flag and a scalar's style as one number."""
    return kind | (FLOW if flow else 0) | _STYLE_CODES.get(style, 0)


class LayoutError(ValueError):
    """The text cannot be read into nodes here (a syntax error PyYAML sees, a lost alias, a merge
    key on the way...). The message says why; the fixer shows it as the reason it refused."""


class NodeStore:
    """The nodes one exact reader found. ``rows[n]`` is node ``n``; ``children[n]`` the node
    numbers of collection ``n``'s children (a mapping's as key, value, key, value...);
    ``targets[n]`` the anchored node alias ``n`` stands for."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.children: dict[int, tuple[int, ...]] = {}
        self.targets: dict[int, int] = {}
        self._views: dict[int, Node] = {}
        self._names: dict[int, dict[str, list[tuple[int, int]]]] = {}

    def node(self, number: int) -> Node:
        view = self._views.get(number)
        if view is None:
            view = self._views[number] = Node(self, number)
        return view

    def kind(self, number: int) -> int:
        return self.rows[number][0] & 3

    def name(self, number: int) -> str:
        """A mapping key as the exact index names it: a scalar's value, else ``?``."""
        row = self.rows[number]
        return row[5] if row[0] & 3 == SCALAR else "?"

    def offset(
        self, root: int | None, path: tuple[str, ...], expand: Callable[[int], int] | None = None
    ) -> int:
        """Offset of the key (or sequence item) at ``path`` below node ``root``, or of its
        nearest existing parent (0 for the root). Keys compare as written (a complex or aliased
        key is ``?``); where a key is written twice in one mapping, the one written first, and
        the paths below either copy exist. Aliases are not followed: a node is where its text
        is. ``expand``: the node whose children are read, for a node read lazily (JSON)."""
        rows, children = self.rows, self.children
        candidates = [] if root is None else [root]
        best = 0
        for part in path:
            found: list[tuple[int, int]] = []
            for number in candidates:
                kind = rows[number][0] & 3
                if kind == MAP:
                    found += ((rows[k][1], v) for k, v in self._by_name(number).get(part, ()))
                elif kind == SEQ:
                    index = sequence_index(part)
                    items = children.get(number, ())
                    if index is not None and index < len(items):
                        found.append((rows[items[index]][1], items[index]))
            if not found:
                break
            best = min(offset for offset, _ in found)
            candidates = [number if expand is None else expand(number) for _, number in found]
        return best

    def _by_name(self, mapping: int) -> dict[str, list[tuple[int, int]]]:
        """Mapping ``mapping``'s keys as written -> [(key, value)], in the text's order
        (memoised)."""
        names = self._names.get(mapping)
        if names is None:
            names = self._names[mapping] = {}
            numbers = self.children.get(mapping, ())
            for key, value in zip(numbers[::2], numbers[1::2], strict=True):
                names.setdefault(self.name(key), []).append((key, value))
        return names

    def entry(self, mapping: int, name: str) -> tuple[int, int] | None:
        """The (key, value) of mapping ``mapping`` whose scalar key is ``name``, the last one
        where it is written twice (as the loaders read it): one lookup in the memoised
        ``_by_name``, so walking a pointer through a mapping of thousands of paths is no scan."""
        for key, value in reversed(self._by_name(mapping).get(name, ())):
            if self.rows[key][0] & 3 == SCALAR:
                return key, value
        return None

    def duplicate_key_offset(self, root: int | None) -> int | None:
        """Offset of the first key (in the text's order) written twice in one mapping below
        ``root``; complex and aliased keys are not compared, nor is anything inside them."""
        rows, children = self.rows, self.children
        first: int | None = None
        stack = [] if root is None else [root]
        while stack:
            number = stack.pop()
            kind = rows[number][0] & 3
            numbers = children.get(number, ())
            if kind == MAP:
                seen: set[str] = set()
                for key, value in zip(numbers[::2], numbers[1::2], strict=True):
                    if rows[key][0] & 3 == SCALAR:
                        if rows[key][5] in seen:
                            offset = rows[key][1]
                            first = offset if first is None else min(first, offset)
                            break  # later entries of this mapping all start after it
                        seen.add(rows[key][5])
                    stack.append(value)
            elif kind == SEQ:
                stack.extend(numbers)
        return first

    def index(self, root: int | None) -> dict[tuple[str, ...], int]:
        """Offset of every key and sequence item below ``root`` by path (what ``offset``
        answers, for every node at once): the oracle the layout scan is tested against."""
        rows, children = self.rows, self.children
        found: list[tuple[int, tuple[str, ...]]] = []
        stack: list[tuple[tuple[str, ...], int]] = [] if root is None else [((), root)]
        while stack:
            path, number = stack.pop()
            kind = rows[number][0] & 3
            numbers = children.get(number, ())
            if kind == MAP:
                for key, value in zip(numbers[::2], numbers[1::2], strict=True):
                    child = (*path, self.name(key))
                    found.append((rows[key][1], child))
                    stack.append((child, value))
            elif kind == SEQ:
                for position, item in enumerate(numbers):
                    child = (*path, str(position))
                    found.append((rows[item][1], child))
                    stack.append((child, item))
        index: dict[tuple[str, ...], int] = {(): 0}
        for offset, child in sorted(found):  # the first written wins, as in ``offset``
            index.setdefault(child, offset)
        return index


class Node:
    """One node: ``kind`` is ``"map"``, ``"seq"``, ``"scalar"`` or ``"alias"``; ``text[start:end]``
    is exactly its text. YAML nodes carry PyYAML's 0-based ``line`` and ``column`` of ``start``;
    JSON nodes carry -1 there (the JSON layout reads its columns from the text). ``flow``: a
    ``{...}``/``[...]`` collection (every JSON one). ``style``: how a scalar is quoted (None plain,
    ``'``, ``"``, ``|``, ``>``); ``value``: a scalar's value (a JSON key's, decoded; other JSON
    scalars keep ""). ``entries``: a mapping's (key, value) pairs in order; ``items``: a
    sequence's items. An alias's ``target`` is the anchored node."""

    __slots__ = ("_entries", "_items", "_store", "number")

    def __init__(self, store: NodeStore, number: int) -> None:
        self._store = store
        self.number = number
        self._entries: list[tuple[Node, Node]] | None = None
        self._items: list[Node] | None = None

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.start}:{self.end})"

    @property
    def store(self) -> NodeStore:
        """The store holding this node's row (for walks over many rows at once)."""
        return self._store

    @property
    def kind(self) -> str:
        return _KINDS[self._store.rows[self.number][0] & 3]

    @property
    def flow(self) -> bool:
        return bool(self._store.rows[self.number][0] & FLOW)

    @property
    def style(self) -> str | None:
        return STYLES[self._store.rows[self.number][0] >> 3]

    @property
    def start(self) -> int:
        return self._store.rows[self.number][1]

    @property
    def end(self) -> int:
        return self._store.rows[self.number][2]

    @property
    def line(self) -> int:
        return self._store.rows[self.number][3]

    @property
    def column(self) -> int:
        return self._store.rows[self.number][4]

    @property
    def value(self) -> str:
        return self._store.rows[self.number][5]

    @property
    def entries(self) -> Sequence[tuple[Node, Node]]:
        if self._entries is None:
            entries: list[tuple[Node, Node]] = []
            if self._store.kind(self.number) == MAP:
                node, numbers = self._store.node, self._store.children.get(self.number, ())
                entries = [
                    (node(k), node(v)) for k, v in zip(numbers[::2], numbers[1::2], strict=True)
                ]
            self._entries = entries
        return self._entries

    @property
    def items(self) -> Sequence[Node]:
        if self._items is None:
            items: list[Node] = []
            if self._store.kind(self.number) == SEQ:
                items = [self._store.node(n) for n in self._store.children.get(self.number, ())]
            self._items = items
        return self._items

    def entry(self, name: str) -> tuple[Node, Node] | None:
        """The (key, value) entry of this mapping whose scalar key is ``name`` (the last one when
        written twice), or None (``NodeStore.entry``)."""
        if self._store.kind(self.number) != MAP:
            return None
        found = self._store.entry(self.number, name)
        if found is None:
            return None
        return self._store.node(found[0]), self._store.node(found[1])

    @property
    def target(self) -> Node | None:
        number = self._store.targets.get(self.number)
        return None if number is None else self._store.node(number)

    @property
    def resolved(self) -> Node:
        """The node itself, or the anchored node an alias stands for."""
        target = self.target if self.kind == "alias" else None
        return self if target is None else target


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
