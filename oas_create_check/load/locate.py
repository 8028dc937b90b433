"""JSON pointer -> (line, column) in the text a document was parsed from.

The fast parsers keep no positions, and building a positioned tree of a 3 MB spec costs ten times
the parse. Findings point at a few hundred nodes at most, so positions are found on demand:

* The fast path reads the layout. In block-style YAML and pretty-printed JSON the children of a
  mapping are exactly the keys written at one indentation inside the parent's span, so one regex
  pass over that span lists them all. Spans are memoised per pointer prefix, so locating hundreds
  of responses under ``/paths`` costs a few passes, not one per finding.
* Anything the fast path does not understand (flow collections, anchors, complex keys, minified
  JSON, sequences in JSON) falls back to an exact index of every node, built once per file from
  PyYAML's event stream (YAML) or a JSON tokenizer, both without recursion: no input can
  overflow the stack here.

``tests/test_positions.py`` checks the fast path against the exact index over the whole corpus.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml

Segment = str | int

#: A mapping key written at the start of a line (after the indentation the caller anchors):
#: double-quoted, single-quoted or plain, followed by ``:`` and a space or the end of the line.
#: Blanks before the ``:`` belong to the key group (``_unquote`` strips them): a separate
#: ``[ \t]*`` after the lazy plain key would rescan a run of blanks at every step of it, and a
#: line of a million spaces would take minutes.
_KEY = (
    r"(?P<key>\"(?:[^\"\\\n]|\\.)*\"[ \t]*|'(?:[^'\n]|'')*'[ \t]*"
    r"|(?![-?:,\[\]{}#&*!|>'\"%@`\s])[^\n]*?)"
    r":(?=[ \t\r]|$)"
)
CONTENT_LINE = re.compile(r"^([ ]*)([^ \t\r\n#])", re.MULTILINE)
INLINE_REST = re.compile(r"[ \t]*(?:#.*)?\r?$")
_BLOCK_SCALAR = re.compile(r"[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?\r?$")
_KEY_PATTERNS: dict[tuple[int, bool], re.Pattern[str]] = {}


def key_pattern(indent: int, first_line: bool = False) -> re.Pattern[str]:
    """Keys at exactly ``indent``. They are found after a literal newline, not with ``^``: a
    pattern with a literal prefix lets ``re`` skip ahead with a fast substring search instead of
    trying every position (2.4x on a 1.7 MB JSON spec). Most lines the search stops at are deeper
    ones, so a first ``(?! )`` turns them away before the key alternatives are tried (``_KEY``
    refuses a blank there anyway): 20% off a scan of ``/paths``. ``first_line`` matches at the
    text's start, which has no newline before it."""
    pattern = _KEY_PATTERNS.get((indent, first_line))
    if pattern is None:
        prefix = "" if first_line else "\n"
        pattern = re.compile(r"%s {%d}(?! )%s" % (prefix, indent, _KEY), re.MULTILINE)
        _KEY_PATTERNS[(indent, first_line)] = pattern
    return pattern


def _unquote(key: str) -> str:
    key = key.rstrip(" \t")
    if key.startswith('"') and "\\" not in key:
        return key[1:-1]
    if key.startswith('"'):
        try:
            return str(json.loads(key))
        except ValueError:
            return key[1:-1]
    if key.startswith("'"):
        return key[1:-1].replace("''", "'")
    return key.rstrip()


#: A mapping entry found by the fast path: (offset of its key, offset just after its ``:``, end of
#: its value). A plain tuple: thousands are made per scan of ``/paths``, and a dataclass's
#: ``__init__`` costs more than the regex match that found the entry.
_Entry = tuple[int, int, int]


#: ``Locator.line_col`` counts lines from the nearest known offset until it has read this many
#: times the text (plus a constant, for small texts), then builds the full table of line starts.
#: In-order lookups read the text about once; 3000 at random offsets, 4.4 times; 3000 in the
#: worst order (each halving the largest gap), 5.7 times. So the table, which costs about as much
#: as ten readings, is only built for orders worse than any a run makes.
_SCAN_BUDGET_FACTOR = 8
_SCAN_BUDGET_MIN = 1 << 20


class Locator:
    """Answers ``locate(pointer)`` for one file's text; built lazily on the first finding."""

    def __init__(self, text: str, is_json: bool) -> None:
        self.text = text
        self.is_json = is_json
        # Known (offset, line, line start) triples, sorted by offset: see ``line_col``.
        self._anchor_offsets = [0]
        self._anchor_lines = [1]
        self._anchor_starts = [0]
        self._scanned = 0  # characters line_col has read, against the budget
        self._line_starts: list[int] | None = None
        self._children: dict[tuple[str, ...], dict[str, _Entry] | None] = {}
        self._indents: dict[tuple[str, ...], int] = {}  # of the keys in each _children mapping
        self._exact: dict[tuple[str, ...], int] | None = None

    # -- public -----------------------------------------------------------------------------
    def locate(self, pointer: Sequence[Segment]) -> tuple[int, int]:
        """1-based (line, column) of the key (or sequence item) at ``pointer``; for a pointer that
        does not exist, the position of its nearest existing parent."""
        path = tuple(map(str, pointer))
        offset = self._fast(path)
        if offset is None:
            offset = self._exact_offset(path)
        return self.line_col(offset)

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
        """The keys of the mapping at ``pointer`` as the layout writes them, or None when the fast
        path cannot vouch for them (the caller then asks the data). ``tests/test_positions.py``
        checks them against the exact index over the corpus."""
        path = tuple(map(str, pointer))
        if path and self._fast(path) is None:
            return None
        children = self._mapping_children(path)
        if children is None:
            return None
        # Positions need only the keys found; a list of keys must also miss none. Every line at
        # the keys' indentation must be one of them (not a ``? complex`` key, say). Lines are
        # counted with ``str.count`` (a store can be 30 MB): those indented at least as deep,
        # less those deeper. A comment or blank line at that depth counts too and makes the
        # answer None, which only costs the caller a wait.
        entry = self._entry(path) if path else None
        start, end = (entry[1], entry[2]) if entry else (0, len(self.text))
        indent = self._indents[path]
        text = self.text
        lines = text.count("\n" + " " * indent, start, end) - text.count(
            "\n" + " " * (indent + 1), start, end
        )
        lines += not path and indent == 0 and bool(key_pattern(0, first_line=True).match(text))
        return list(children) if lines == len(children) else None

    # -- fast path ------------------------------------------------------------------------------
    def _fast(self, path: tuple[str, ...]) -> int | None:
        """Offset of the key at ``path`` read from the layout, or None when the layout is not one
        the fast path can trust (the caller then uses the exact index)."""
        if not path:
            return 0
        for depth in range(1, len(path) + 1):
            children = self._mapping_children(path[: depth - 1])
            if children is None or path[depth - 1] not in children:
                return None
        entry = self._entry(path)
        return entry[0] if entry else None

    def _entry(self, path: tuple[str, ...]) -> _Entry | None:
        children = self._mapping_children(path[:-1])
        return children.get(path[-1]) if children else None

    def _mapping_children(self, path: tuple[str, ...]) -> dict[str, _Entry] | None:
        if path in self._children:
            return self._children[path]
        result = self._scan_children(path)
        self._children[path] = result
        return result

    def _scan_children(self, path: tuple[str, ...]) -> dict[str, _Entry] | None:
        text = self.text
        if path:
            parent = self._entry(path)
            if parent is None:
                return None
            _, value_offset, end = parent
            line_end = text.find("\n", value_offset)
            line_end = len(text) if line_end < 0 else line_end
            if not self._opens_block(text[value_offset:line_end]):
                return None
            # The parent's key was found at its mapping's indentation: that is its column - 1.
            start, parent_col = line_end, self._indents[path[:-1]]
        else:
            start, end, parent_col = 0, len(text), -1
        first = self._first_content(start, end)
        if first is None:
            return None
        indent, first_char = first
        if indent <= parent_col or first_char == "-":
            return None  # a sequence, or content that is not nested under its key
        children: dict[str, _Entry] = {}
        matches = key_pattern(indent).finditer(text, start, end)
        head = key_pattern(indent, first_line=True).match(text, 0, end) if start == 0 else None
        previous = head if head is not None else next(matches, None)
        if previous is None:
            return None
        for match in chain(matches, (None,)):
            key = previous["key"]
            # A plain key (most of them) only loses trailing blanks; _unquote for quoted ones.
            key = _unquote(key) if key[0] in "\"'" else key.rstrip()
            if key in children:
                return None  # duplicate keys or a layout we misread: let the exact index decide
            children[key] = (
                previous.start("key"),
                previous.end(),
                end if match is None else match.start(),
            )
            if match is None:
                break
            previous = match
        self._indents[path] = indent
        return children

    def _opens_block(self, rest: str) -> bool:
        """Whether the text after ``key:`` leaves the value to the following, deeper lines."""
        if self.is_json:
            return rest.strip() in ("{", "{\r")
        return bool(INLINE_REST.fullmatch(rest)) and not _BLOCK_SCALAR.fullmatch(rest)

    def _first_content(self, start: int, end: int) -> tuple[int, str] | None:
        """Indentation and first character of the first line in [start, end) holding a node
        (comments, blank lines, document markers and, in JSON, lone brackets skipped)."""
        for match in CONTENT_LINE.finditer(self.text, start, end):
            char = match.group(2)
            line_end = self.text.find("\n", match.start(2))
            content = self.text[match.start(2) : line_end if line_end >= 0 else len(self.text)]
            if self.is_json and content.strip() in ("{", "["):
                continue
            if not self.is_json and not match.group(1) and content.startswith(("---", "%")):
                if content.rstrip() in ("---",) or content.startswith("%"):
                    continue
                return None
            return len(match.group(1)), char
        return None

    # -- exact index ----------------------------------------------------------------------------
    def _exact_offset(self, path: tuple[str, ...]) -> int:
        if self._exact is None:
            self._exact = _json_index(self.text) if self.is_json else _yaml_index(self.text)
        for depth in range(len(path), -1, -1):
            offset = self._exact.get(path[:depth])
            if offset is not None:
                return offset
        return 0


#: Line breaks of YAML 1.1 that YAML 1.2 (yaml-rs, which decides what a document means) reads as
#: ordinary characters. PyYAML breaks lines at them, so it could see a structure yaml-rs never saw
#: (a comment ending at U+2028, then 100,000 levels of ``- - -``) and that the nesting pre-scan in
#: ``document.py`` was never asked about.
_YAML11_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")
#: PyYAML's event parser keeps its stacks on the heap, but its scanner re-checks every open flow
#: level on each token, so a stream nesting deeper than this is abandoned (the index keeps what it
#: has): documents the loader accepted nest far less.
_MAX_EVENT_DEPTH = 2_000


def pyyaml_view(text: str) -> str:
    """``text`` as PyYAML must be given it: same length (so offsets stay exact), with the YAML 1.1
    line breaks replaced by spaces, so that PyYAML sees the lines yaml-rs saw."""
    if not _YAML11_ONLY_BREAKS.search(text):
        return text
    return _YAML11_ONLY_BREAKS.sub(" ", text)


def _yaml_entries(text: str) -> Iterator[tuple[int, tuple[str, ...], str | None, int]]:
    """Every mapping key and sequence item of a YAML text's first document, in order, as
    (serial number of its container, the container's path, key or index, offset); the key of a
    complex or aliased key is None.

    Read from PyYAML's event stream, never its composer: the C composer recurses once per nesting
    level and kills the process on very deep input. An alias is a leaf (indexed where it is
    written), so an alias bomb costs nothing here; a complex key's insides are not indexed. Stops
    quietly at the first syntax error."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    # Each frame: container path, serial, whether a mapping, next index (sequence) or whether the
    # next event is a key (mapping), and the path a value started now would get.
    stack: list[_Frame] = []
    skip = 0  # depth inside a complex (collection) mapping key, whose insides are not indexed
    serial = 0
    try:
        for event in yaml.parse(pyyaml_view(text), Loader=loader):
            if isinstance(event, yaml.DocumentEndEvent):
                return
            starts = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
            if skip:
                skip += 1 if starts else -1 if isinstance(event, yaml.CollectionEndEvent) else 0
                if not skip and stack:
                    stack[-1].expect_key = False  # the complex key ended; its value follows
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                if stack and stack[-1].is_mapping:
                    stack[-1].expect_key = True
                continue
            if not isinstance(event, (yaml.NodeEvent, yaml.CollectionStartEvent)):
                continue
            path: tuple[str, ...] = ()
            if stack:
                frame = stack[-1]
                if frame.is_mapping and frame.expect_key:
                    key = event.value if isinstance(event, yaml.ScalarEvent) else None
                    yield frame.serial, frame.path, key, _offset(event)
                    frame.value_path = (*frame.path, "?" if key is None else key)
                    if starts:
                        skip = 1  # the value follows the complex key's end
                    else:
                        frame.expect_key = False
                    continue
                if frame.is_mapping:
                    path = frame.value_path
                    frame.expect_key = True
                else:
                    path = (*frame.path, str(frame.next_index))
                    yield frame.serial, frame.path, str(frame.next_index), _offset(event)
                    frame.next_index += 1
            if starts:
                if len(stack) >= _MAX_EVENT_DEPTH:
                    return
                serial += 1
                stack.append(_Frame(path, serial, isinstance(event, yaml.MappingStartEvent)))
    except yaml.YAMLError:
        return


def _offset(event: yaml.Event) -> int:
    return event.start_mark.index if event.start_mark is not None else 0


@dataclass
class _Frame:
    """An open collection while walking an event stream."""

    path: tuple[str, ...]
    serial: int
    is_mapping: bool
    expect_key: bool = True
    next_index: int = 0
    value_path: tuple[str, ...] = ()


def _yaml_index(text: str) -> dict[tuple[str, ...], int]:
    """Offset of every key and sequence item (exact, a few times the cost of a fast parse)."""
    index: dict[tuple[str, ...], int] = {(): 0}
    for _, parent, key, offset in _yaml_entries(text):
        index.setdefault((*parent, "?" if key is None else key), offset)
    return index


def duplicate_key_offset(text: str, is_json: bool) -> int | None:
    """Offset of the first key written twice in one mapping (the loaders refuse such documents;
    this finds the line to show). Keys compare as written."""
    entries = _json_entries(text) if is_json else _yaml_entries(text)
    seen: set[tuple[int, str]] = set()
    for serial, _, key, offset in entries:
        if key is None:
            continue
        if (serial, key) in seen:
            return offset
        seen.add((serial, key))
    return None


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def _json_index(text: str) -> dict[tuple[str, ...], int]:
    """Offset of every key and array element of a JSON text, in one tokenizer pass."""
    index: dict[tuple[str, ...], int] = {(): 0}
    for _, parent, key, offset in _json_entries(text):
        index.setdefault((*parent, key), offset)
    return index


def _json_entries(text: str) -> Iterator[tuple[int, tuple[str, ...], str, int]]:
    """Every object key and array element of a JSON text, in order, as (serial number of its
    container, the container's path, key or index, offset). Iterative: any depth is safe."""
    stack: list[_Frame] = []
    serial = 0
    expect_key = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("}", "]"):
            if stack:
                stack.pop()
            expect_key = False
        elif token == ",":
            expect_key = bool(stack) and stack[-1].is_mapping
        elif token == ":":
            expect_key = False
        elif stack and stack[-1].is_mapping and expect_key:
            frame = stack[-1]
            try:
                key = str(json.loads(token))
            except ValueError:
                key = token.strip('"')
            frame.value_path = (*frame.path, key)
            yield frame.serial, frame.path, key, match.start()
        else:
            path: tuple[str, ...] = ()
            if stack:
                frame = stack[-1]
                if frame.is_mapping:
                    path = frame.value_path
                else:
                    path = (*frame.path, str(frame.next_index))
                    yield frame.serial, frame.path, str(frame.next_index), match.start()
                    frame.next_index += 1
            if token in ("{", "["):
                serial += 1
                stack.append(_Frame(path, serial, token == "{"))
                expect_key = token == "{"
