"""JSON pointer -> (line, column) in the text a document was parsed from.

The fast parsers keep no positions, and building a positioned tree of a 3 MB spec costs ten times
the parse. Findings point at a few hundred nodes at most, so positions are found on demand:

* The fast path reads the layout. In block-style YAML and pretty-printed JSON the children of a
  mapping are exactly the keys written at one indentation inside the parent's span, so one regex
  pass over that span lists them all. Spans are memoised per pointer prefix, so locating hundreds
  of responses under ``/paths`` costs a few passes, not one per finding.
* Anything the fast path does not understand (flow collections, anchors, complex keys, minified
  JSON, sequences in JSON) falls back to an exact index of every node, built once per file from
  PyYAML's composer (YAML) or a JSON tokenizer.

``tests/test_positions.py`` checks the fast path against the exact index over the whole corpus.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

Segment = str | int

#: A mapping key written at the start of a line (after the indentation the caller anchors):
#: double-quoted, single-quoted or plain, followed by ``:`` and a space or the end of the line.
_KEY = (
    r"(?P<key>\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\n]|'')*'|(?![-?:,\[\]{}#&*!|>'\"%@`\s])[^\n]*?)"
    r"[ \t]*:(?=[ \t\r]|$)"
)
_CONTENT_LINE = re.compile(r"^([ ]*)([^ \t\r\n#])", re.MULTILINE)
_INLINE_REST = re.compile(r"[ \t]*(?:#.*)?\r?$")
_BLOCK_SCALAR = re.compile(r"[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?\r?$")
_KEY_PATTERNS: dict[int, re.Pattern[str]] = {}


def _key_pattern(indent: int) -> re.Pattern[str]:
    pattern = _KEY_PATTERNS.get(indent)
    if pattern is None:
        pattern = re.compile(r"^ {%d}%s" % (indent, _KEY), re.MULTILINE)
        _KEY_PATTERNS[indent] = pattern
    return pattern


def _unquote(key: str) -> str:
    if key.startswith('"'):
        try:
            return str(json.loads(key))
        except ValueError:
            return key[1:-1]
    if key.startswith("'"):
        return key[1:-1].replace("''", "'")
    return key.rstrip()


@dataclass(frozen=True)
class _Entry:
    """A mapping entry found by the fast path: where its key starts and how far its value runs."""

    key_offset: int
    value_offset: int  # just after the ``:``
    end: int


class Locator:
    """Answers ``locate(pointer)`` for one file's text; built lazily on the first finding."""

    def __init__(self, text: str, is_json: bool) -> None:
        self.text = text
        self.is_json = is_json
        self._line_starts: list[int] | None = None
        self._children: dict[tuple[str, ...], dict[str, _Entry] | None] = {}
        self._exact: dict[tuple[str, ...], int] | None = None

    # -- public -----------------------------------------------------------------------------
    def locate(self, pointer: Sequence[Segment]) -> tuple[int, int]:
        """1-based (line, column) of the key (or sequence item) at ``pointer``; for a pointer that
        does not exist, the position of its nearest existing parent."""
        path = tuple(str(part) for part in pointer)
        offset = self._fast(path)
        if offset is None:
            offset = self._exact_offset(path)
        return self.line_col(offset)

    def line_col(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            # Lengths of the "\n"-separated lines, accumulated in C: ~10x a Python loop.
            lengths = map((1).__add__, map(len, self.text.split("\n")))
            self._line_starts = [0, *accumulate(lengths)]
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

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
        return entry.key_offset if entry else None

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
            line_end = text.find("\n", parent.value_offset)
            line_end = len(text) if line_end < 0 else line_end
            rest = text[parent.value_offset : line_end]
            if not self._opens_block(rest):
                return None
            start, end, parent_col = line_end, parent.end, self.line_col(parent.key_offset)[1] - 1
        else:
            start, end, parent_col = 0, len(text), -1
        first = self._first_content(start, end)
        if first is None:
            return None
        indent, first_char = first
        if indent <= parent_col or first_char == "-":
            return None  # a sequence, or content that is not nested under its key
        children: dict[str, _Entry] = {}
        matches = list(_key_pattern(indent).finditer(text, start, end))
        if not matches:
            return None
        for index, match in enumerate(matches):
            key = _unquote(match.group("key"))
            if key in children:
                return None  # duplicate keys or a layout we misread: let the exact index decide
            child_end = matches[index + 1].start() if index + 1 < len(matches) else end
            children[key] = _Entry(match.start("key"), match.end(), child_end)
        return children

    def _opens_block(self, rest: str) -> bool:
        """Whether the text after ``key:`` leaves the value to the following, deeper lines."""
        if self.is_json:
            return rest.strip() in ("{", "{\r")
        return bool(_INLINE_REST.fullmatch(rest)) and not _BLOCK_SCALAR.fullmatch(rest)

    def _first_content(self, start: int, end: int) -> tuple[int, str] | None:
        """Indentation and first character of the first line in [start, end) holding a node
        (comments, blank lines, document markers and, in JSON, lone brackets skipped)."""
        for match in _CONTENT_LINE.finditer(self.text, start, end):
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


def _yaml_index(text: str) -> dict[tuple[str, ...], int]:
    """Offset of every key and sequence item, from PyYAML's composer (exact, ~10x a fast parse).
    Aliased nodes are indexed once, where their anchor is, so an alias bomb costs nothing here."""
    import yaml

    index: dict[tuple[str, ...], int] = {(): 0}
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return index
    if root is None:
        return index
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value) if isinstance(key, yaml.ScalarNode) else "?")
                index.setdefault(child, key.start_mark.index)
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                child = (*path, str(position))
                index.setdefault(child, item.start_mark.index)
                stack.append((item, child))
    return index


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def _json_index(text: str) -> dict[tuple[str, ...], int]:
    """Offset of every key and array element of a JSON text, in one tokenizer pass."""
    index: dict[tuple[str, ...], int] = {(): 0}
    # Each frame: the container's path, whether it is an object, the next array index, and the
    # pending key of an object member.
    stack: list[list[object]] = []
    path: tuple[str, ...] = ()
    expect_key = False
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("{", "["):
            if stack:
                path = _value_path(stack, match.start(), index)
            stack.append([path, token == "{", 0, None])
            expect_key = token == "{"
        elif token in ("}", "]"):
            if stack:
                stack.pop()
            expect_key = False
        elif token == ",":
            if stack and stack[-1][1]:
                expect_key = True
        elif token == ":":
            expect_key = False
        elif stack:
            frame = stack[-1]
            if frame[1] and expect_key:
                try:
                    key = str(json.loads(token))
                except ValueError:
                    key = token.strip('"')
                frame[3] = key
                parent = frame[0]
                assert isinstance(parent, tuple)
                index.setdefault((*parent, key), match.start())
            else:
                _value_path(stack, match.start(), index)
    return index


def _value_path(
    stack: list[list[object]], offset: int, index: dict[tuple[str, ...], int]
) -> tuple[str, ...]:
    """The path of a value starting at ``offset`` in the innermost container (records array items)."""
    frame = stack[-1]
    parent = frame[0]
    assert isinstance(parent, tuple)
    if frame[1]:
        return (*parent, str(frame[3]))
    position = frame[2]
    assert isinstance(position, int)
    frame[2] = position + 1
    child = (*parent, str(position))
    index.setdefault(child, offset)
    return child
