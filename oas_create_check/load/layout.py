"""The layout scan: mapping entries read from how block YAML and pretty-printed JSON lay them out.

The fast parsers keep no positions, and building a positioned tree of a 3 MB spec costs ten times
the parse. But in block-style YAML and pretty-printed JSON the children of a mapping are exactly
the keys written at one indentation inside the parent's span, so one regex pass over that span
lists them all. Spans are memoised per pointer, so locating hundreds of responses under ``/paths``
costs a few passes, not one per finding. The scan answers only where it can vouch for the layout
(flow collections, anchors, complex keys, sequences and minified JSON are left to the exact
readers); ``tests/test_positions.py`` checks every answer against them over the corpus.

The one module that reads layout: the locator's fast path (``entry``, ``keys``) and the lines a
split parse may cut at (``block_entry``) are read here, with the same patterns.
"""

from __future__ import annotations

import json
import re
from itertools import chain
from typing import NamedTuple

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
#: A line holding a node: indentation, then a character that starts neither a comment nor a blank.
_CONTENT_LINE = re.compile(r"^([ ]*)([^ \t\r\n#])", re.MULTILINE)
#: What may follow ``key:`` when the value is the block below: blanks and a comment.
_INLINE_REST = re.compile(r"[ \t]*(?:#.*)?\r?$")
_BLOCK_SCALAR = re.compile(r"[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?\r?$")
_DOCUMENT_START = re.compile(r"---[ \t]*(?:#.*)?\r?$", re.MULTILINE)
_KEY_PATTERNS: dict[tuple[int, bool], re.Pattern[str]] = {}
_SHALLOW_LINES: dict[int, re.Pattern[str]] = {}


def _key_pattern(indent: int, first_line: bool = False) -> re.Pattern[str]:
    """Keys at exactly ``indent``. They are found after a literal newline, not with ``^``: a
    pattern with a literal prefix lets ``re`` skip ahead with a fast substring search instead of
    trying every position (2.4x on a 1.7 MB JSON spec). Most lines the search stops at are deeper
    ones, so a first ``(?! )`` turns them away before the key alternatives are tried (``_KEY``
    refuses a blank there anyway): 20% off a scan of ``/paths``. ``first_line`` matches at the
    position given, which has no newline before it."""
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


#: A mapping entry found by the scan: (offset of its key, offset just after its ``:``, end of its
#: value). A plain tuple: thousands are made per scan of ``/paths``, and a dataclass's
#: ``__init__`` costs more than the regex match that found the entry.
Entry = tuple[int, int, int]


class BlockEntry(NamedTuple):
    """The lines of one block mapping entry, as a split parse cuts them: ``text[start:end]`` is
    its key's line through the last line of its value, which starts at ``value_start`` (the line
    after the key's)."""

    start: int
    value_start: int
    end: int


class LayoutScan:
    """The layout of one file's text, read on demand and memoised per pointer."""

    def __init__(self, text: str, is_json: bool) -> None:
        self.text = text
        self.is_json = is_json
        self._children: dict[tuple[str, ...], dict[str, Entry] | None] = {}
        self._indents: dict[tuple[str, ...], int] = {}  # of the keys in each _children mapping
        self._entries: dict[tuple[str, ...], BlockEntry | None] = {}  # block_entry's answers
        self._hiding: dict[tuple[str, ...], bool] = {}  # may_hide_keys's answers
        #: ``_first_shallow_line``'s progress: how far it has read from each (start, indent),
        #: and the line it found (None: none yet)
        self._shallow: dict[tuple[int, int], tuple[int, int | None]] = {}

    def key_offset(self, path: tuple[str, ...]) -> int | None:
        """Offset of the key at ``path`` read from the layout, or None when the layout is not
        one the scan can trust (the caller then asks the exact reader)."""
        if not path:
            return 0
        for depth in range(1, len(path) + 1):
            children = self._mapping_children(path[: depth - 1])
            if children is None or path[depth - 1] not in children:
                return None
        entry = self.entry(path)
        return entry[0] if entry else None

    def entry(self, path: tuple[str, ...]) -> Entry | None:
        """The entry at ``path`` if its parent's children are known (``key_offset`` checks the
        whole way down)."""
        children = self._mapping_children(path[:-1])
        return children.get(path[-1]) if children else None

    def keys(self, path: tuple[str, ...]) -> list[str] | None:
        """The keys of the mapping at ``path`` as the layout writes them, or None when the scan
        cannot vouch for them (the caller then asks the data)."""
        if path and self.key_offset(path) is None:
            return None
        children = self._mapping_children(path)
        if children is None:
            return None
        # Positions need only the keys found; a list of keys must also miss none. Every line at
        # the keys' indentation must be one of them (not a ``? complex`` key, say). Lines are
        # counted with ``str.count`` (a store can be 30 MB): those indented at least as deep,
        # less those deeper. A comment or blank line at that depth counts too and makes the
        # answer None, which only costs the caller a wait.
        entry = self.entry(path) if path else None
        start, end = (entry[1], entry[2]) if entry else (0, len(self.text))
        indent = self._indents[path]
        text = self.text
        lines = text.count("\n" + " " * indent, start, end) - text.count(
            "\n" + " " * (indent + 1), start, end
        )
        lines += not path and indent == 0 and bool(_key_pattern(0, first_line=True).match(text))
        return list(children) if lines == len(children) else None

    # -- the children of one mapping ---------------------------------------------------------
    def _mapping_children(self, path: tuple[str, ...]) -> dict[str, Entry] | None:
        if path in self._children:
            return self._children[path]
        result = self._scan_children(path)
        self._children[path] = result
        return result

    def _scan_children(self, path: tuple[str, ...]) -> dict[str, Entry] | None:
        text = self.text
        if path:
            parent = self.entry(path)
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
        children: dict[str, Entry] = {}
        matches = _key_pattern(indent).finditer(text, start, end)
        head = _key_pattern(indent, first_line=True).match(text, 0, end) if start == 0 else None
        previous = head if head is not None else next(matches, None)
        if previous is None:
            return None
        for match in chain(matches, (None,)):
            key = previous["key"]
            # A plain key (most of them) only loses trailing blanks; _unquote for quoted ones.
            key = _unquote(key) if key[0] in "\"'" else key.rstrip()
            if key in children:
                return None  # duplicate keys or a layout we misread: let the exact reader decide
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

    # -- the lines of one entry ----------------------------------------------------------------
    def block_entry(self, path: tuple[str, ...]) -> BlockEntry | None:
        """The lines of the block mapping entry at ``path`` (keys written plain), when the
        layout proves them: the text is one block mapping at column 0; every mapping on the way
        is a block whose first line holding a node is a key, and its keys' indentation is that
        line's; no line of it before the key holds a node less indented; and the first line after
        the entry's value that holds a node at the key's indentation or less is a key there or at
        column 0 (or there is none). None otherwise.

        Why such lines are the entry's own, so that the split parse (``split.py``) may cut there:
        yaml-rs refuses flow and quoted scalars continued on a line no deeper than their block
        parent, and a plain scalar cannot be, so a line of a mapping's span at its keys'
        indentation, or a line at column 0, is a key of that mapping (or of the root) or an
        error; text cut at such lines parses as the pieces did in the whole.

        Memoised: the fixer asks for every entry on the way to each of its edits."""
        if path not in self._entries:
            self._entries[path] = self._block_entry(path)
        return self._entries[path]

    def _block_entry(self, path: tuple[str, ...]) -> BlockEntry | None:
        text = self.text
        if self.is_json or not path or not self._block_mapping_root():
            return None
        body, indent, line = 0, 0, 0
        for depth, key in enumerate(path):
            if depth:
                first = _CONTENT_LINE.search(text, body) if body > 0 else None
                if first is None:
                    return None
                outer, indent = indent, len(first.group(1))
                if indent <= outer or not _key_pattern(indent, True).match(text, first.start()):
                    return None
            found = self._key_line(key, indent, body, path[:depth])
            if found is None:
                return None
            if depth and self._first_shallow_line(body, found, indent - 1) != found:
                return None  # a line before it belongs elsewhere: so may this key
            line, body = found, text.find("\n", found) + 1
        if body == 0:
            return None
        end = self._first_shallow_line(body, len(text), indent)
        if end == body:
            return None  # no value below the key
        if end < len(text):
            ends_entry = _key_pattern(indent, first_line=True).match(text, end)
            if ends_entry is None and _key_pattern(0, first_line=True).match(text, end) is None:
                return None
        return BlockEntry(line, body, end)

    def may_hide_keys(self, path: tuple[str, ...]) -> bool:
        """Whether the block mapping at ``path`` (its keys scanned: ``entry`` found one) may hold
        a key the scan does not read: a line at its keys' indentation that starts an explicit
        (``? key``), aliased, anchored, tagged or flow key. Such a key could repeat a listed one,
        whose last copy the loaders keep. Memoised: one search of the mapping's span."""
        found = self._hiding.get(path)
        if found is None:
            indent = self._indents.get(path)
            entry = self.entry(path) if path else (0, 0, len(self.text))
            if indent is None or entry is None:
                found = True
            else:
                _, start, end = entry
                hidden = re.compile(r"\n {%d}[?*&!\[{]" % indent)
                found = hidden.search(self.text, max(start - 1, 0), end) is not None or (
                    not path and self.text[:1] in "?*&![{"
                )
            self._hiding[path] = found
        return found

    def skeleton(
        self, path: tuple[str, ...], keys: list[str], entry: BlockEntry
    ) -> list[tuple[int, int]]:
        """The pieces of the block mapping entry at ``path`` (``entry``, whose mapping has
        ``keys``, as ``keys`` lists them) that its skeleton keeps: its key's line, then each
        entry of the mapping whole, except that an entry whose value is a block below its key
        keeps only its key's line, unless it is the last. Every piece is whole lines, and an
        entry's value is either kept whole or not at all (a quoted scalar may go on for lines)."""
        text = self.text
        pieces = [(entry.start, entry.value_start)]
        for index, key in enumerate(keys):
            found = self.entry((*path, key))
            assert found is not None  # listed by ``keys``
            line_start = text.rfind("\n", 0, found[0]) + 1
            if index == len(keys) - 1:
                pieces.append((line_start, entry.end))
                continue
            line_end = text.find("\n", found[1])
            line_end = len(text) if line_end < 0 else line_end
            if _INLINE_REST.fullmatch(text, found[1], line_end):
                pieces.append((line_start, min(line_end + 1, len(text))))
            else:
                pieces.append((line_start, min(found[2] + 1, len(text))))
        return pieces

    def _block_mapping_root(self) -> bool:
        """Whether the first node is a key at column 0 (after at most a bare ``---``): the root is
        a block mapping, so every other line at column 0 is a root key, a comment or an error."""
        text = self.text
        first = _CONTENT_LINE.search(text)
        if first is not None and not first.group(1) and _DOCUMENT_START.match(text, first.start()):
            first = _CONTENT_LINE.search(text, text.find("\n", first.start()) + 1)
        return (
            first is not None
            and not first.group(1)
            and _key_pattern(0, first_line=True).match(text, first.start()) is not None
        )

    def _key_line(
        self, key: str, indent: int, start: int, parent: tuple[str, ...] = ()
    ) -> int | None:
        """Start of the first line from ``start`` (a line start) written ``key:`` at exactly
        ``indent``, with at most a comment after the colon (so its value is the block below).

        Where the keys of the mapping at ``parent`` (whose value starts at ``start``) were
        already scanned at that indentation, the line is the one they list: a line that reads
        ``key:`` at their indentation inside its span is one of them, and they list no key
        twice. The fixer asks for thousands of entries under ``/paths``; searching the text from
        the mapping's start for each made that quadratic."""
        text = self.text
        written = " " * indent + key + ":"
        listed = self._children.get(parent) if parent else None
        if listed is not None and self._indents.get(parent) == indent and key in listed:
            at = text.rfind("\n", 0, listed[key][0]) + 1
            if not text.startswith(written, at):
                return None
        elif text.startswith(written, start):
            at = start
        else:
            at = text.find("\n" + written, start) + 1
            if at == 0:
                return None
        colon = at + len(written)
        line_end = text.find("\n", colon)
        line_end = len(text) if line_end < 0 else line_end
        if colon < line_end and text[colon] not in " \t\r":
            return None  # ``schemas:x`` is a plain scalar, not this key
        return at if _INLINE_REST.fullmatch(text, colon, line_end) else None

    def _first_shallow_line(self, start: int, end: int, indent: int) -> int:
        """Start of the first line in [start, end) (``start`` a line start after the first)
        holding a node at ``indent`` or less (blank and comment lines do not count); ``end`` if
        there is none. Each (start, indent) remembers how far it has read and what it found:
        the fixer asks ``block_entry`` for one path after another under the same mapping, each
        from that mapping's first line, and no text is read twice."""
        read, found = self._shallow.get((start, indent), (start, None))
        if found is None and read < end:
            # from the line break before the first line not yet read whole
            found = self._scan_shallow(read - 1, end, indent)
            self._shallow[(start, indent)] = (end, found) if found is None else (found, found)
        return end if found is None or found >= end else found

    def _scan_shallow(self, read: int, end: int, indent: int) -> int | None:
        """``_first_shallow_line`` reading on from ``read``; None if there is no such line before
        ``end``."""
        text = self.text
        pattern = _SHALLOW_LINES.get(indent)
        if pattern is None:
            # Lines not indented deeper, and not blank: 2x faster than ``\n {0,n}(?=[^ \r\n])``.
            pattern = re.compile(r"\n(?! {%d})(?! *\r?$)" % (indent + 1), re.MULTILINE)
            _SHALLOW_LINES[indent] = pattern
        for match in pattern.finditer(text, read, end):
            line = match.start() + 1
            line_end = text.find("\n", line)
            content = text[line : line_end if line_end >= 0 else len(text)].strip()
            if content and not content.startswith("#"):
                return line
        return None
