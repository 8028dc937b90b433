"""The exact reader of YAML: every node of a text's first document with its exact span, built
from PyYAML's event stream. The one place the project walks PyYAML events: positions the layout
cannot vouch for, duplicate-key lines, the fixer's spans and styles, and the test oracle of the
layout scan (``tests/test_positions.py``) all read this tree.

Events, never the composer: PyYAML's C composer recurses once per nesting level and kills the
process on very deep input; the walk here keeps its own stack. An alias is a node of its own
(an alias bomb costs nothing); the insides of a complex (collection) key are kept in the key node
but never indexed. A syntax error or a nesting past ``_MAX_DEPTH`` ends the walk: the tree keeps
what was read (enough to place findings and duplicate keys) and says why it stopped (the fixer
then refuses to edit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from oas_create_check.load.node import LayoutError, Node, sequence_index

#: Line breaks of YAML 1.1 that YAML 1.2 (yaml-rs, which decides what a document means) reads as
#: ordinary characters. PyYAML breaks lines at them, so it could see a structure yaml-rs never saw
#: (a comment ending at U+2028, then 100,000 levels of ``- - -``) and that the nesting pre-scan in
#: ``parse.py`` was never asked about.
_YAML11_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")
#: PyYAML's event parser keeps its stacks on the heap, but its scanner re-checks every open flow
#: level on each token, so a stream nesting deeper than this is abandoned (the tree keeps what it
#: has): documents the loader accepted nest far less.
_MAX_DEPTH = 2_000


def pyyaml_view(text: str) -> str:
    """``text`` as PyYAML must be given it: same length (so offsets stay exact), with the YAML 1.1
    line breaks replaced by spaces, so that PyYAML sees the lines yaml-rs saw."""
    if not _YAML11_ONLY_BREAKS.search(text):
        return text
    return _YAML11_ONLY_BREAKS.sub(" ", text)


@dataclass
class YamlTree:
    """The first document's nodes (``root`` is None for an empty stream), and why the walk
    stopped early, if it did (``error``: the tree then holds what came before)."""

    root: Node | None
    error: str | None
    #: Per mapping (by id): key as written -> [(key offset, value)], built on first use.
    _names: dict[int, dict[str, list[tuple[int, Node]]]] = field(default_factory=dict, repr=False)

    def complete(self) -> Node:
        """The root of a tree read to its end; ``LayoutError`` otherwise (the fixer edits only
        what it could read whole)."""
        if self.error is not None:
            raise LayoutError(self.error)
        if self.root is None:
            raise LayoutError("empty document")
        return self.root

    def offset(self, path: tuple[str, ...]) -> int:
        """Offset of the key (or sequence item) at ``path``, or of its nearest existing parent
        (0 for the root). Keys compare as written (a complex or aliased key is ``?``); where a key
        is written twice in one mapping, the one written first, and the paths below either copy
        exist. Aliases are not followed: the node is where its text is."""
        candidates = [self.root] if self.root is not None else []
        best = 0
        for part in path:
            found: list[tuple[int, Node]] = []
            for node in candidates:
                if node.kind == "map":
                    found.extend(self._by_name(node).get(part, ()))
                elif node.kind == "seq":
                    index = sequence_index(part)
                    if index is not None and index < len(node.items):
                        item = node.items[index]
                        found.append((item.start, item))
            if not found:
                break
            best = min(offset for offset, _ in found)
            candidates = [node for _, node in found]
        return best

    def _by_name(self, mapping: Node) -> dict[str, list[tuple[int, Node]]]:
        names = self._names.get(id(mapping))
        if names is None:
            names = {}
            for key, value in mapping.entries:
                name = key.value if key.kind == "scalar" else "?"
                names.setdefault(name, []).append((key.start, value))
            self._names[id(mapping)] = names
        return names

    def duplicate_key_offset(self) -> int | None:
        """Offset of the first key (in the text's order) written twice in one mapping; keys
        compare as written, complex and aliased keys are not compared."""
        first: int | None = None
        stack = [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            if node.kind == "map":
                seen: set[str] = set()
                for key, value in node.entries:
                    if key.kind == "scalar":
                        if key.value in seen:
                            first = key.start if first is None else min(first, key.start)
                            break  # later entries of this mapping all start after it
                        seen.add(key.value)
                    stack.append(value)
            elif node.kind == "seq":
                stack.extend(node.items)
        return first

    def index(self) -> dict[tuple[str, ...], int]:
        """Offset of every key and sequence item by path (what ``offset`` answers, for every
        node at once): the oracle the layout scan is tested against."""
        index: dict[tuple[str, ...], int] = {(): 0}
        stack: list[tuple[tuple[str, ...], Node]] = []
        if self.root is not None:
            stack.append(((), self.root))
        pending: list[tuple[int, tuple[str, ...]]] = []
        while stack:
            path, node = stack.pop()
            children: list[tuple[int, tuple[str, ...], Node]] = []
            if node.kind == "map":
                for key, value in node.entries:
                    child = (*path, key.value if key.kind == "scalar" else "?")
                    children.append((key.start, child, value))
            elif node.kind == "seq":
                for number, item in enumerate(node.items):
                    children.append((item.start, (*path, str(number)), item))
            for offset, child, value in children:
                pending.append((offset, child))
                stack.append((child, value))
        for offset, child in sorted(pending):  # the first written wins, as in ``offset``
            index.setdefault(child, offset)
        return index


def read_yaml_tree(text: str) -> YamlTree:
    """The first document of ``text`` as nodes, from the event stream with an explicit stack.
    PyYAML reads ``pyyaml_view(text)``, which has the same length (offsets stay exact) and no
    YAML 1.1-only line breaks, so it sees the lines the project's loader saw.

    The loop is the cost of every exact answer (twice the event stream's own cost), so the open
    collection's state lives in locals, saved on a stack only when a collection opens."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(pyyaml_view(text))
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    document_end, stream_end = yaml.DocumentEndEvent, yaml.StreamEndEvent
    anchors: dict[str, Node] = {}
    # The open collection: node, whether a sequence, its items or entries so far, and (in a
    # mapping) the key whose value comes next. The enclosing ones wait on ``stack``.
    parent: Node | None = None
    in_sequence = False
    items: list[Node] = []
    entries: list[tuple[Node, Node]] = []
    key: Node | None = None
    stack: list[tuple[Node | None, bool, list[Node], list[tuple[Node, Node]], Node | None]] = []
    root: Node | None = None
    error: str | None = None
    get_event = loader.get_event
    try:
        while True:
            event = get_event()
            cls = type(event)
            if cls is mapping_end or cls is sequence_end:
                assert parent is not None
                parent.end = event.end_mark.index
                parent, in_sequence, items, entries, key = stack.pop()
                continue
            mark = event.start_mark
            if cls is scalar_event:
                node = Node(
                    "scalar",
                    mark.index,
                    event.end_mark.index,
                    mark.line,
                    mark.column,
                    False,
                    event.style,
                    event.value,
                )
            elif cls is mapping_start or cls is sequence_start:
                kind = "map" if cls is mapping_start else "seq"
                node = Node(kind, mark.index, mark.index, mark.line, mark.column, event.flow_style)
            elif cls is alias_event:
                node = Node("alias", mark.index, event.end_mark.index, mark.line, mark.column)
                node.target = anchors.get(event.anchor or "")
            elif cls is document_end or cls is stream_end:
                break
            else:
                continue
            anchor = event.anchor
            if anchor and cls is not alias_event:
                anchors[anchor] = node
            if in_sequence:
                items.append(node)
            elif parent is None:
                root = node
            elif key is None:
                key = node
            else:
                entries.append((key, node))
                key = None
            if cls is mapping_start or cls is sequence_start:
                if len(stack) >= _MAX_DEPTH:
                    error = "nesting too deep to edit"
                    break
                stack.append((parent, in_sequence, items, entries, key))
                parent, in_sequence, items, entries, key = node, cls is sequence_start, [], [], None
                node.items, node.entries = items, entries
    except yaml.YAMLError as exc:
        error = f"cannot locate positions: {exc}"
    finally:
        loader.dispose()
    if error is not None:
        # A key read before the walk stopped is placed even without its value, as far as the
        # walk got: the value stands empty at the key's end.
        for open_key, open_entries in [(key, entries), *((k, e) for _, _, _, e, k in stack)]:
            if open_key is not None:
                empty = Node("scalar", open_key.end, open_key.end, open_key.line, open_key.column)
                open_entries.append((open_key, empty))
    return YamlTree(root, error)
