"""The one locator: where a node is written in the text a document was parsed from.

Every question about a node's place in the text comes here, for YAML and JSON alike:

* findings ask for the (line, column) of a JSON pointer (``locate``);
* the split parse asks for the lines of the schema store's entry (``block_entry``) and, later,
  for its keys (``keys``);
* the fixer asks for the exact nodes on the way to a pointer, with their spans and how they are
  written (``walk``, ``root``).

Two readers answer, and nothing else reads the text's structure:

* the layout scan (``layout.py``), fast: block YAML and pretty-printed JSON list a mapping's keys
  at one indentation, so positions come from a few regex passes over the spans on the way;
* the exact readers, where the layout cannot vouch for itself (flow collections, anchors, complex
  keys, sequences, minified JSON) and wherever spans must be exact: the YAML tree built from
  PyYAML's event stream (``yaml_tree.py``) and the JSON scanner (``json_tree.py``), both without
  recursion. They are also the test oracle of the layout scan (``tests/test_positions.py``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import TYPE_CHECKING

from oas_create_check.load.layout import BlockEntry, LayoutScan
from oas_create_check.model import pointer_to_str

if TYPE_CHECKING:  # the exact readers are imported when first needed: most runs never are
    from oas_create_check.load.json_tree import JsonTree
    from oas_create_check.load.node import Chain, Node
    from oas_create_check.load.yaml_tree import YamlTree

Segment = str | int

#: ``Locator.line_col`` counts lines from the nearest known offset until it has read this many
#: times the text (plus a constant, for small texts), then builds the full table of line starts.
#: In-order lookups read the text about once; 3000 at random offsets, 4.4 times; 3000 in the
#: worst order (each halving the largest gap), 5.7 times. So the table, which costs about as much
#: as ten readings, is only built for orders worse than any a run makes.
_SCAN_BUDGET_FACTOR = 8
_SCAN_BUDGET_MIN = 1 << 20
#: The fixer's style survey of a YAML text reads this much of its head (``head_tree``).
HEAD_CHARS = 512 * 1024
#: A YAML text longer than this many ``HEAD_CHARS`` is not read whole for the fixer unless an
#: edit needs it: each edit reads only the block entry it lands in (``walk``). Shorter texts are
#: read whole, once, which then gives the survey its head too: at twice the head, a walk that
#: needs the whole tree after the head was read would cost half as much again.
_PARTIAL_HEADS = 2
#: A block entry larger than this, where a walk stops, is read as a skeleton (``walk``).
_SKELETON_MIN_CHARS = 64 * 1024
#: Once the entries read alone would add up to more than the text over this, the whole tree
#: is read instead (it costs little more, and serves every later walk): thousands of edits in
#: one file cost one whole reading, not thousands of small ones.
_WHOLE_SHARE = 4
#: What setting up one reading costs, counted as characters read (about 40 measured).
_READ_OVERHEAD_CHARS = 64


class Locator:
    """Answers every question about where one file's text writes its nodes; each reader is
    built lazily, on the first question that needs it."""

    def __init__(self, text: str, is_json: bool) -> None:
        self.text = text
        self.is_json = is_json
        # Known (offset, line, line start) triples, sorted by offset: see ``line_col``.
        self._anchor_offsets = [0]
        self._anchor_lines = [1]
        self._anchor_starts = [0]
        self._scanned = 0  # characters line_col has read, against the budget
        self._line_starts: list[int] | None = None
        self._layout: LayoutScan | None = None
        self._yaml: YamlTree | None = None
        self._head: YamlTree | None = None
        #: the entries (or skeletons) ``walk`` has read alone, by their pieces
        self._pieces: dict[tuple[tuple[int, int], ...], YamlTree] = {}
        self._pieces_cost = 0  # what reading them cost, in characters (``_WHOLE_SHARE``)
        self._json: JsonTree | None = None

    # -- findings ---------------------------------------------------------------------------
    def locate(self, pointer: Sequence[Segment]) -> tuple[int, int]:
        """1-based (line, column) of the key (or sequence item) at ``pointer``; for a pointer that
        does not exist, the position of its nearest existing parent."""
        return self.line_col(self.offset(pointer))

    def offset(self, pointer: Sequence[Segment]) -> int:
        """Offset of the key (or sequence item) at ``pointer``, or of its nearest existing
        parent: from the layout when it can vouch for it, else from the exact reader."""
        path = tuple(map(str, pointer))
        offset = self.layout.key_offset(path)
        if offset is None:
            offset = (
                self.json_tree().offset(path) if self.is_json else self.yaml_tree().offset(path)
            )
        return offset

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset`` (0 <= offset <= len(text)); lines end at "\n".

        Splitting a 20 MB text into lines to bisect its line starts costs more than all the
        lookups of a run together, and they ask for a few thousand offsets, nearly in document
        order. So the line is counted (``str.count``, in C) from the nearest offset answered
        before, below or above, and the answer is kept as a new anchor: in-order lookups read
        the text about once, up to their last offset. The line start is the last "\n" between the
        anchor below and the offset, or that anchor's own line start when there is none. Lookups
        out of order read more (each splits the gap it falls in and reads the smaller part: at
        worst about log2(lookups) times the text); past ``_SCAN_BUDGET_FACTOR`` readings the full
        table of line starts is built after all, so no order costs more than the table plus the
        budget."""
        if self._line_starts is not None:
            line = bisect_right(self._line_starts, offset)
            return line, offset - self._line_starts[line - 1] + 1
        text = self.text
        offsets, lines, starts = self._anchor_offsets, self._anchor_lines, self._anchor_starts
        index = bisect_right(offsets, offset) - 1  # offsets[0] == 0 <= offset
        below = offsets[index]
        if offset == below:
            return lines[index], offset - starts[index] + 1
        above = offsets[index + 1] if index + 1 < len(offsets) else None
        if above is not None and above - offset < offset - below:
            newlines = text.count("\n", offset, above)
            line, scanned = lines[index + 1] - newlines, above - offset
            same_line_start = None if newlines else starts[index + 1]
        else:
            newlines = text.count("\n", below, offset)
            line, scanned = lines[index] + newlines, offset - below
            same_line_start = None
        if line == lines[index]:
            start = starts[index]
        elif same_line_start is not None:
            start = same_line_start
        else:  # a "\n" lies between below and offset: the last one ends the line before
            newline = text.rfind("\n", below, offset)
            start = newline + 1
            scanned += offset - newline
        self._scanned += scanned
        if self._scanned > _SCAN_BUDGET_FACTOR * len(text) + _SCAN_BUDGET_MIN:
            lengths = map((1).__add__, map(len, text.split("\n")))
            self._line_starts = [0, *accumulate(lengths)]
        else:
            offsets.insert(index + 1, offset)
            self._anchor_lines.insert(index + 1, line)
            self._anchor_starts.insert(index + 1, start)
        return line, offset - start + 1

    def keys(self, pointer: Sequence[Segment]) -> list[str] | None:
        """The keys of the mapping at ``pointer`` as the layout writes them, or None when the
        layout cannot vouch for them (the caller then asks the data). ``tests/test_positions.py``
        checks them against the exact readers over the corpus."""
        return self.layout.keys(tuple(map(str, pointer)))

    # -- the split parse -------------------------------------------------------------------------
    def block_entry(self, pointer: Sequence[Segment]) -> BlockEntry | None:
        """The lines of the block mapping entry at ``pointer`` when the layout proves them (see
        ``LayoutScan.block_entry``), or None."""
        return self.layout.block_entry(tuple(map(str, pointer)))

    # -- the fixer ----------------------------------------------------------------------------
    def root(self) -> Node:
        """The document's root node, exact; ``LayoutError`` if the text cannot be read whole."""
        if self.is_json:
            return self.json_tree().root()
        return self.yaml_tree().complete()

    def walk(self, pointer: Sequence[Segment]) -> tuple[int, Chain]:
        """The exact nodes on the way to ``pointer``, as far as it exists: the depth reached and
        the chain of (owning key, node) down to the last node found. Where a key is written
        twice the last one counts, as in the loaders. In YAML the walk goes on through an alias
        in the anchored node, where its text is: a fix goes where the shared value is defined,
        like a ``$ref``'d component, and every alias of it gains the same content.
        ``LayoutError`` for a text that cannot be read whole, a lost alias, or a key that may
        come from a merge key (``<<``), whose text is elsewhere.

        The chain starts at the root, except in a large YAML text (``_PARTIAL_HEADS``) whose
        whole tree nobody has needed yet: there it starts at the deepest block entry on the way
        that the layout proves, read alone (``_walk_in_entry``), as every caller only needs
        the nodes where the walk ends. PyYAML then never reads the rest of the file, so a
        passage elsewhere that it alone refuses (the project's loader read the whole file) no
        longer stops an edit: the fixer still reads every edited file back whole and keeps it
        only if it holds exactly the original plus the additions."""
        large = len(self.text) > _PARTIAL_HEADS * HEAD_CHARS
        if not self.is_json and self._yaml is None and large:
            found = self._walk_in_entry(tuple(map(str, pointer)))
            if found is not None:
                return found
        node = self.root()
        return self._descend([(None, node)], tuple(pointer), 0)

    def _walk_in_entry(self, parts: tuple[str, ...]) -> tuple[int, Chain] | None:
        """``walk`` from the deepest block entry on the way to ``parts`` whose lines the layout
        proves (``block_entry``), reading only those lines; None when there is none, or when
        anything the entry alone cannot answer turns up (an alias, whose anchor may be outside
        it; a text PyYAML refuses): the caller then reads the whole tree.

        The layout must list the entry among its mapping's keys, and every key on the way among
        theirs (``LayoutScan.entry``: a mapping with a key written twice, whose last copy the
        loaders keep, lists none), on the lines ``block_entry`` proved, and none of those
        mappings may hold a key the scan cannot read (``LayoutScan.may_hide_keys``). When the walk will stop
        at a large mapping (the next key is not among its keys), a skeleton of it is read
        instead (``LayoutScan.skeleton``: the values of its entries but the last left out where
        they are blocks below their keys, read as empty), which is all an insertion at its end
        needs (``YamlLayout.add``). A mapping of status codes places a new code between the
        existing ones, after an entry's whole value, so it is always read whole."""
        from oas_create_check.load.node import ALIAS
        from oas_create_check.load.yaml_tree import read_yaml_pieces

        layout, text = self.layout, self.text
        for depth in range(len(parts), 0, -1):
            entry = layout.block_entry(parts[:depth])
            if entry is not None:
                break
        else:
            return None
        listed = layout.entry(parts[:depth])
        if listed is None or text.rfind("\n", 0, listed[0]) + 1 != entry.start:
            return None
        if any(layout.may_hide_keys(parts[:above]) for above in range(depth)):
            return None  # a ``? key`` the scan cannot see may repeat one on the way
        pieces = [(entry.start, entry.end)]
        if entry.end - entry.start > _SKELETON_MIN_CHARS:
            keys = layout.keys(parts[:depth])
            stops = depth == len(parts) or (keys is not None and parts[depth] not in keys)
            if keys and stops and not any(key[:1].isdigit() or key == "default" for key in keys):
                pieces = layout.skeleton(parts[:depth], keys, entry)
        read = tuple(pieces)
        tree = self._pieces.get(read)
        if tree is None:
            cost = sum(end - start for start, end in pieces) + _READ_OVERHEAD_CHARS
            if (self._pieces_cost + cost) * _WHOLE_SHARE > len(text):
                return None  # as dear as the whole tree, which then serves every later walk
            self._pieces_cost += cost
            lines = [self.line_col(start)[0] - 1 for start, _ in pieces]
            tree = self._pieces[read] = read_yaml_pieces(text, pieces, lines)
        rows = tree.store.rows
        if tree.error is not None or tree.root is None or any(row[0] & 3 == ALIAS for row in rows):
            return None
        found = tree.store.node(tree.root).entry(parts[depth - 1])
        if found is None:
            return None
        key, value = found
        return self._descend([(key, value)], parts, depth)

    def _descend(self, chain: Chain, pointer: tuple[Segment, ...], start: int) -> tuple[int, Chain]:
        """Walk ``pointer`` on from depth ``start``, where ``chain`` ends (see ``walk``)."""
        from oas_create_check.load.node import LayoutError

        node = chain[-1][1]
        for depth, part in enumerate(pointer[start:], start):
            found: tuple[Node | None, Node] | None = None
            if node.kind == "map":
                found = node.entry(str(part))
                if (
                    found is None
                    and not self.is_json
                    and any(k.value == "<<" for k, _ in node.entries)
                ):
                    where = pointer_to_str(pointer[: depth + 1])
                    raise LayoutError(f"'{where}' may come from a YAML merge key")
            elif node.kind == "seq":
                try:
                    index = int(part)
                except ValueError:
                    index = -1
                if 0 <= index < len(node.items):
                    found = (None, node.items[index])
            if found is None:
                return depth, chain
            owner, child = found
            if child.kind == "alias":
                if child.target is None:
                    raise LayoutError(f"'{pointer_to_str(pointer[: depth + 1])}' is a lost alias")
                owner, child = None, child.target  # its anchor has no key here
            if self.is_json:
                child = self.json_tree().expanded(child)  # its children, read now
            chain.append((owner, child))
            node = child
        return len(pointer), chain

    # -- the readers ----------------------------------------------------------------------------
    @property
    def layout(self) -> LayoutScan:
        if self._layout is None:
            self._layout = LayoutScan(self.text, self.is_json)
        return self._layout

    def head_tree(self) -> YamlTree:
        """The exact tree of the nodes that start in the first ``HEAD_CHARS`` characters: the
        whole tree of a text no longer than that."""
        if len(self.text) <= HEAD_CHARS:
            return self.yaml_tree()
        if self._head is None and self._yaml is not None and self._yaml.error is None:
            self._head = self._yaml.head(HEAD_CHARS)  # a walk needed it whole: no reading again
        if self._head is None:
            from oas_create_check.load.yaml_tree import read_yaml_tree

            self._head = read_yaml_tree(self.text, stop_after=HEAD_CHARS)
        return self._head

    def yaml_tree(self) -> YamlTree:
        """The exact YAML tree (read once, on the first question the layout cannot answer)."""
        if self._yaml is None:
            from oas_create_check.load.yaml_tree import read_yaml_tree

            self._yaml = read_yaml_tree(self.text)
        return self._yaml

    def json_tree(self) -> JsonTree:
        """The exact JSON reader (reading on demand)."""
        if self._json is None:
            from oas_create_check.load.json_tree import JsonTree

            self._json = JsonTree(self.text)
        return self._json


def duplicate_key_offset(text: str, is_json: bool) -> int | None:
    """Offset of the first key written twice in one mapping (the loaders refuse such documents;
    this finds the line to show). Keys compare as written."""
    from oas_create_check.load.json_tree import JsonTree
    from oas_create_check.load.yaml_tree import read_yaml_tree

    if is_json:
        return JsonTree(text).duplicate_key_offset()
    return read_yaml_tree(text).duplicate_key_offset()


def exact_index(text: str, is_json: bool) -> dict[tuple[str, ...], int]:
    """Offset of every key and sequence item by path, from the exact readers: the oracle the
    layout scan is tested against (``tests/test_positions.py``)."""
    from oas_create_check.load.json_tree import JsonTree
    from oas_create_check.load.yaml_tree import read_yaml_tree

    return JsonTree(text).index() if is_json else read_yaml_tree(text).index()
