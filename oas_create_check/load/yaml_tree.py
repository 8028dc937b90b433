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
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate

from oas_create_check.load.node import (
    ALIAS,
    FLOW,
    MAP,
    SCALAR,
    SEQ,
    LayoutError,
    Node,
    NodeStore,
    code,
)

#: Line breaks of YAML 1.1 that YAML 1.2 (yaml-rs, which decides what a document means) reads as
#: ordinary characters. PyYAML breaks lines at them, so it could see a structure yaml-rs never saw
#: (a comment ending at U+2028, then 100,000 levels of ``- - -``) and that the nesting pre-scan in
#: ``parse.py`` was never asked about.
_YAML11_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")
#: PyYAML's event parser keeps its stacks on the heap, but its scanner re-checks every open flow
#: level on each token, so a stream nesting deeper than this is abandoned (the tree keeps what it
#: has): documents the loader accepted nest far less.
_MAX_DEPTH = 2_000
_INDENTATION = re.compile(" *")


def pyyaml_view(text: str) -> str:
    """``text`` as PyYAML must be given it: same length (so offsets stay exact), with the YAML 1.1
    line breaks replaced by spaces, so that PyYAML sees the lines yaml-rs saw."""
    if not _YAML11_ONLY_BREAKS.search(text):
        return text
    return _YAML11_ONLY_BREAKS.sub(" ", text)


class YamlTree:
    """The first document's nodes (``root`` is None for an empty stream), and why the walk
    stopped early, if it did (``error``: the tree then holds what came before)."""

    def __init__(self, store: NodeStore, root: int | None, error: str | None) -> None:
        self.store = store
        self.root = root
        self.error = error

    def complete(self) -> Node:
        """The root of a tree read to its end; ``LayoutError`` otherwise (the fixer edits only
        what it could read whole)."""
        if self.error is not None:
            raise LayoutError(self.error)
        if self.root is None:
            raise LayoutError("empty document")
        return self.store.node(self.root)

    def head(self, limit: int) -> YamlTree:
        """What ``read_yaml_tree(text, stop_after=limit)`` reads, taken from this whole tree
        instead of reading the text again. Events come in the order of their positions, so
        the read keeps the nodes that start within ``limit`` and the collections whose end
        event (a block's, where the next token starts; a flow's, at its bracket) lies within
        it; a collection still open keeps the children read so far (a key without its value
        gets the empty value the read gives it) and no end, as in a read stopped there."""
        rows, children = self.store.rows, self.store.children
        kept = bisect_right([row[1] for row in rows], limit)
        store = NodeStore()
        store.rows = rows[:kept]
        store.targets = {alias: to for alias, to in self.store.targets.items() if alias < kept}
        for number in range(kept):
            kids = children.get(number)
            if kids is None:
                continue
            row = rows[number]
            if row[2] - (1 if row[0] & FLOW else 0) <= limit:
                store.children[number] = kids  # closed within the limit
                continue
            read = [kid for kid in kids if kid < kept]
            if row[0] & 3 == MAP and len(read) % 2:
                key = store.rows[read[-1]]
                read.append(len(store.rows))
                store.rows.append((SCALAR, key[2], key[2], key[3], key[4], ""))
            store.children[number] = tuple(read)
            store.rows[number] = (row[0], row[1], row[1], row[3], row[4], row[5])
        return YamlTree(store, self.root, None)

    def offset(self, path: tuple[str, ...]) -> int:
        """Offset of the key (or sequence item) at ``path``, or of its nearest existing parent
        (``NodeStore.offset``)."""
        return self.store.offset(self.root, path)

    def duplicate_key_offset(self) -> int | None:
        return self.store.duplicate_key_offset(self.root)

    def index(self) -> dict[tuple[str, ...], int]:
        return self.store.index(self.root)


def read_yaml_tree(text: str, stop_after: int | None = None) -> YamlTree:
    """The first document of ``text`` as nodes, from the event stream with an explicit stack.
    PyYAML reads ``pyyaml_view(text)``, which has the same length (offsets stay exact) and no
    YAML 1.1-only line breaks, so it sees the lines the project's loader saw.

    ``stop_after``: stop at the first node starting beyond that offset, as a walk stopped by an
    error does (the collections still open keep what was read), but with no error: the head of
    a large file, which is all the fixer's style survey reads.

    The loop is the cost of every exact answer, so the open collection's state lives in locals,
    saved on a stack only when a collection opens."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(pyyaml_view(text))
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    document_end, stream_end = yaml.DocumentEndEvent, yaml.StreamEndEvent
    store = NodeStore()
    rows, add, collections = store.rows, store.rows.append, store.children
    scalar_codes = {style: code(SCALAR, style=style) for style in (None, "'", '"', "|", ">")}
    anchors: dict[str, int] = {}
    # The open collection: its number (-1 at the top, outside any), whether a mapping, its
    # children so far (a mapping's as key, value, ...), and whether a mapping's next child is a
    # key. The enclosing ones wait on ``stack``.
    parent, in_mapping, children, expect_key = -1, False, [], True
    stack: list[tuple[int, bool, list[int], bool]] = []
    root: int | None = None
    error: str | None = None
    get_event = loader.get_event
    limit = len(text) if stop_after is None else stop_after
    try:
        while True:
            event = get_event()
            cls = type(event)
            mark = event.start_mark
            start = mark.index
            if start > limit:
                break
            number = len(rows)
            if cls is scalar_event:  # most events: their own short way
                add(
                    (
                        scalar_codes.get(event.style, SCALAR),
                        start,
                        event.end_mark.index,
                        mark.line,
                        mark.column,
                        event.value,
                    )
                )
                if event.anchor:
                    anchors[event.anchor] = number
                if parent < 0:
                    root = number
                else:
                    children.append(number)
                    expect_key = not expect_key
                continue
            if cls is mapping_end or cls is sequence_end:
                row = rows[parent]
                rows[parent] = (row[0], row[1], event.end_mark.index, row[3], row[4], "")
                collections[parent] = tuple(children)
                parent, in_mapping, children, expect_key = stack.pop()
                continue
            opens = cls is mapping_start or cls is sequence_start
            if opens:
                kind = code(MAP if cls is mapping_start else SEQ, bool(event.flow_style))
                add((kind, start, start, mark.line, mark.column, ""))
                if event.anchor:
                    anchors[event.anchor] = number
            elif cls is alias_event:
                add((ALIAS, start, event.end_mark.index, mark.line, mark.column, ""))
                target = anchors.get(event.anchor or "")
                if target is not None:
                    store.targets[number] = target
            elif cls is document_end or cls is stream_end:
                break
            else:
                continue
            if parent < 0:
                root = number
            else:
                children.append(number)
                expect_key = not expect_key
            if opens:
                if len(stack) >= _MAX_DEPTH:
                    error = "nesting too deep to edit"
                    break
                stack.append((parent, in_mapping, children, expect_key))
                parent, in_mapping, children, expect_key = number, cls is mapping_start, [], True
    except yaml.YAMLError as exc:
        error = f"cannot locate positions: {exc}"
    finally:
        loader.dispose()
    if parent >= 0:
        # The walk stopped inside collections: they keep what was read. A key read without its
        # value still counts, as far as the walk got: the value stands empty at the key's end.
        for number, mapping, read, key_next in [
            *stack[1:],
            (parent, in_mapping, children, expect_key),
        ]:
            if mapping and not key_next:
                key = rows[read[-1]]
                read.append(len(rows))
                add((SCALAR, key[2], key[2], key[3], key[4], ""))
            collections[number] = tuple(read)
    return YamlTree(store, root, error)


def read_yaml_pieces(
    text: str, pieces: Sequence[tuple[int, int]], first_lines: Sequence[int]
) -> YamlTree:
    """The exact tree of the text made of ``text[start:end]`` for each ``(start, end)`` of
    ``pieces`` (in order, each from a line start; ``first_lines``: the 0-based line of each
    piece's start), with every node's offsets and lines those of ``text`` itself, so that edits
    placed on it land in ``text``. Columns need no change: every piece starts a line. A block
    collection still open where the pieces end ends, as in ``text``, where the next token
    starts: the first character of the line the last piece ends at (the caller ends pieces at
    the next line holding a node, ``LayoutScan.block_entry``).

    How the locator reads one block entry of a large file instead of the whole file, or a
    skeleton of a large mapping (``Locator.walk``)."""
    joined = "".join(text[start:end] for start, end in pieces)
    tree = read_yaml_tree(joined)
    starts = list(accumulate((end - start for start, end in pieces[:-1]), initial=0))
    ends = [at + end - start for at, (start, end) in zip(starts, pieces, strict=True)]
    lines = list(
        accumulate(
            (joined.count("\n", a, b) for a, b in zip(starts, ends[:-1], strict=False)), initial=0
        )
    )
    rows = tree.store.rows
    after = pieces[-1][1]
    indentation = _INDENTATION.match(text, after)  # " *" always matches
    next_token = indentation.end() if indentation is not None else after
    for number, (kind, start, end, line, column, value) in enumerate(rows):
        first = bisect_right(starts, start) - 1
        last = min(bisect_left(ends, end), len(pieces) - 1)
        moved = end - starts[last] + pieces[last][0]
        if end == len(joined) and kind & 3 in (MAP, SEQ) and not kind & FLOW:
            moved = next_token
        rows[number] = (
            kind,
            start - starts[first] + pieces[first][0],
            moved,
            line - lines[first] + first_lines[first],
            column,
            value,
        )
    return tree
