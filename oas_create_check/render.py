"""Change -> text edit, in the file's own style: where an entry goes and how it is written.

A fix is data (``AddEntry``/``RenameKey``, see ``model.py``); this module turns one change into one
``Edit`` of one file's text, without ever re-serialising the file. Positions come from parsers
that report exact spans: PyYAML's event stream for YAML (its marks are character offsets into
the text, CRLF included) and, for JSON, a scanner that walks only the members on the way to the
target and skips everything else with the C-accelerated ``json`` decoder.

An entry is added after the last line of the mapping's last entry (or, for a status code, after
the entry with the next smaller code), so comments and blank lines that follow stay where they
are; into a flow collection (``{...}``, JSON) it goes after the last member, with a comma.

The inserted text copies the style found around the insertion point: indentation width, sequence
dash offset, the quoting of status-code keys (``'201':``, ``"201":`` or ``201:``), of ``$ref``
values and of other strings (per key: prose under ``description`` may be quoted where
``type: string`` is not), blank lines between entries, flow vs block collections, JSON
indentation and separators (minified JSON stays on one line), and the file's line ending. The
snippet is rendered here rather than by ruamel.yaml: a handful of shapes, rendered exactly, and
checked by re-parsing. Nothing here decides *what* to insert: that is ``remedies.py``; nor
whether the result is acceptable: that is ``fix.py``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import yaml

from .model import AddEntry, Change, Pointer, RenameKey, pointer_to_str

#: Keys that are status codes (or code ranges): they get the quoting the file uses for codes.
_CODE_KEY = re.compile(r"^(?:[1-5][0-9][0-9]|[1-5]XX|default)$")
#: A string that may be written as a YAML plain scalar in both block and flow context, and that
#: YAML 1.1 and 1.2 loaders alike read back as the same string. Deliberately narrow: anything
#: else is quoted.
_PLAIN_SAFE = re.compile(r"^[A-Za-z_$/][A-Za-z0-9_ ./$+()=;@~^-]*$")
_YAML_RESERVED = frozenset(
    "y n yes no on off true false null ~ nan inf .nan .inf -.inf +.inf".split()
)
#: Characters a YAML double-quoted scalar must escape beyond what ``json.dumps`` escapes: YAML
#: treats them as line breaks, BOMs or non-printable.
_YAML_EXTRA_ESCAPES = {
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
    "\ufeff": "\\ufeff",
}
_NON_PRINTABLE = re.compile("[\x7f-\x9f\x85\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_JSON_WS = " \t\r\n"


class CannotEdit(Exception):
    """The change cannot be written as an insertion here (alias, null parent, parse failure...)."""


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``text``; ``start == end`` is a pure insertion (every fix
    but ``RenameKey`` is one)."""

    start: int
    end: int
    text: str
    #: For whole lines inserted into a YAML block mapping: the column of the inserted key. Two
    #: such insertions at one point have an obvious order (the deeper entry ends the inner
    #: mapping, so it comes first) and can go in the same pass.
    column: int | None = None

    @property
    def is_insertion(self) -> bool:
        return self.start == self.end


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (see ``overlaps``) in one pass."""
    parts: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end, -(e.column or 0))):
        parts.append(text[position : edit.start])
        parts.append(edit.text)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


def overlaps(a: Edit, b: Edit) -> bool:
    """Two edits conflict when they touch the same characters or insert at the same point (the
    order of two insertions at one point would be arbitrary, so the second waits a pass)."""
    if a.is_insertion and b.is_insertion:
        ordered = a.column is not None and b.column is not None and a.column != b.column
        return a.start == b.start and not ordered
    if a.is_insertion:
        return b.start < a.start < b.end
    if b.is_insertion:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def newline_of(text: str) -> str:
    """The file's line ending, judged by its first line break."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def layout_for(text: str, is_json: bool) -> Layout:
    return JsonLayout(text) if is_json else YamlLayout(text)


class Layout:
    """Where and how changes go in one version of one file's text."""

    text: str

    def edit(self, change: Change) -> Edit | None:
        """The edit for ``change``, or ``None`` when the text already holds exactly that entry."""
        if isinstance(change, RenameKey):
            return self.rename(change)
        return self.add(change)

    def add(self, change: AddEntry) -> Edit | None:
        raise NotImplementedError

    def rename(self, change: RenameKey) -> Edit | None:
        raise NotImplementedError


def _nest(rest: tuple[str | int, ...], key: str, value: Any) -> Any:
    """The value to add at the deepest existing node: the missing parents wrapped around it."""
    nested: Any = {key: value}
    for part in reversed(rest):
        nested = {str(part): nested}
    return nested


def _split_missing(pointer: Pointer, depth: int, key: str, value: Any) -> tuple[str, Any]:
    """For a pointer whose first ``depth`` segments exist: the key and value to add there."""
    rest = pointer[depth:]
    if not rest:
        return key, value
    return str(rest[0]), _nest(rest[1:], key, value)


# --------------------------------------------------------------------------------------------
# YAML


@dataclass(frozen=True)
class YamlStyle:
    """What the file does where the file is consistent; defaults are what most specs do."""

    unit: int  # indentation step of nested block mappings
    seq_offset: int  # dash column minus the owning key's column (0: "indentless" sequences)
    item_offset: int  # first key column minus dash column inside "- key: value" items
    quote: str  # preferred quote for strings that need one
    #: How the file writes string values, by key: "" plain when safe, "'" or '"' (prose under
    #: ``description`` is often quoted while ``type: string`` is not).
    value_quote: dict[str, str]
    code_quote: str  # how status-code keys are written
    key_quote: str  # how other keys are written when the file quotes them ("" plain)
    newline: str


@dataclass(frozen=True)
class _Context:
    """Key quoting of the mapping that receives an entry, applied to the whole snippet."""

    code_quote: str  # quoting of status-code keys: "", "'" or '"'
    key_quote: str | None  # every key quoted with this character, or None (plain when safe)
    json_like: bool  # a flow mapping written as JSON: every string double-quoted


def _is_code(key: str) -> bool:
    """A status code or range (``201``, ``4XX``), quoted the way the file quotes codes."""
    return bool(_CODE_KEY.match(key)) and key != "default"


def _yaml_scalar(value: Any, quote: str, force_quote: bool = False) -> str:
    """One scalar as YAML text that every loader reads back as ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        mantissa, _, exponent = text.partition("e")
        if "." not in mantissa:  # YAML 1.1 needs a dot to read a float
            text = mantissa + ".0" + ("e" + exponent if exponent else "")
        return text
    text = str(value)
    if (
        not force_quote
        and _PLAIN_SAFE.match(text)
        and not text.endswith(" ")
        and text.lower() not in _YAML_RESERVED
        and " #" not in text
    ):
        return text
    if quote == "'" and text.isprintable() and not _NON_PRINTABLE.search(text):
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


def _double_quoted(text: str) -> str:
    escaped = json.dumps(text, ensure_ascii=False)
    for char, escape in _YAML_EXTRA_ESCAPES.items():
        escaped = escaped.replace(char, escape)
    return _NON_PRINTABLE.sub(lambda m: "\\u%04x" % ord(m.group()), escaped)


#: Deeper event nesting is refused (the loader accepts far less); the walk keeps a stack, so
#: this bounds memory, not recursion.
_MAX_DEPTH = 2_000
#: Plain scalars that YAML reads as something other than a string (for style statistics only).
_PLAIN_NOT_STRING = re.compile(
    r"^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False"
    r"|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|)$"
)


@dataclass(eq=False)
class _Node:
    """A YAML node as PyYAML's event stream describes it: what it is, its exact span (character
    offsets into the text), how it is written, and its children. An alias is a node of its own
    (its span is the ``*name`` token) whose ``target`` is the anchored node."""

    kind: str  # "map", "seq", "scalar" or "alias"
    start: int
    end: int
    line: int
    column: int
    flow: bool = False
    style: str | None = None  # scalars: None (plain), "'", '"', "|" or ">"
    value: str = ""
    entries: list[tuple[_Node, _Node]] = field(default_factory=list)
    items: list[_Node] = field(default_factory=list)
    target: _Node | None = None

    @property
    def resolved(self) -> _Node:
        return self.target if self.kind == "alias" and self.target is not None else self

    @property
    def is_string(self) -> bool:
        return self.kind == "scalar" and (
            self.style is not None or not _PLAIN_NOT_STRING.match(self.value)
        )


def _tree(text: str) -> _Node:
    """The first document of ``text`` as ``_Node``s, built from the event stream with an explicit
    stack: PyYAML's composer recurses once per level and can kill the process on deep input.
    PyYAML reads ``pyyaml_view(text)``, which has the same length (offsets stay exact) and no
    YAML 1.1-only line breaks, so it sees the lines the project's loader saw."""
    from .positions import pyyaml_view

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    anchors: dict[str, _Node] = {}
    stack: list[_Node] = []
    keys: list[_Node | None] = []  # per open mapping: a key waiting for its value
    root: _Node | None = None
    try:
        for event in yaml.parse(pyyaml_view(text), Loader=loader):
            if isinstance(event, yaml.DocumentEndEvent):
                break
            if isinstance(event, yaml.CollectionEndEvent):
                closed = stack.pop()
                keys.pop()
                closed.end = _span(event)[1]
                continue
            if isinstance(event, yaml.ScalarEvent):
                node = _Node("scalar", *_span(event))
                node.style, node.value = event.style, event.value
            elif isinstance(event, yaml.AliasEvent):
                node = _Node("alias", *_span(event))
                node.target = anchors.get(event.anchor or "")
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                start, _, line, column = _span(event)
                node = _Node(kind, start, start, line, column)
                node.flow = bool(event.flow_style)
            else:
                continue
            anchor = getattr(event, "anchor", None)
            if anchor and node.kind != "alias":
                anchors[anchor] = node
            if not stack:
                root = node
            elif stack[-1].kind == "seq":
                stack[-1].items.append(node)
            elif keys[-1] is None:
                keys[-1] = node
            else:
                key = keys[-1]
                assert key is not None
                stack[-1].entries.append((key, node))
                keys[-1] = None
            if node.kind in ("map", "seq"):
                if len(stack) >= _MAX_DEPTH:
                    raise CannotEdit("nesting too deep to edit")
                stack.append(node)
                keys.append(None)
    except yaml.YAMLError as exc:
        raise CannotEdit(f"cannot locate positions: {exc}") from None
    if root is None:
        raise CannotEdit("empty document")
    return root


def _span(event: yaml.Event) -> tuple[int, int, int, int]:
    """(start offset, end offset, line, column) of an event."""
    start, end = event.start_mark, event.end_mark
    if start is None or end is None:
        raise CannotEdit("the YAML parser gave no positions")
    return start.index, end.index, start.line, start.column


class YamlLayout(Layout):
    """Positions from PyYAML's event stream: every node's exact start and end in the text."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def root(self) -> _Node:
        return _tree(self.text)

    # -- style ------------------------------------------------------------------------------
    @cached_property
    def style(self) -> YamlStyle:
        units: Counter[int] = Counter()
        seq_offsets: Counter[int] = Counter()
        item_offsets: Counter[int] = Counter()
        quotes: Counter[str] = Counter()
        by_key: dict[str, Counter[str]] = {}
        code_quotes: Counter[str] = Counter()
        key_quotes: Counter[str] = Counter()
        for parent_key, node in self._sample():
            if node.kind == "map" and node.entries:
                first = node.entries[0][0]
                if not node.flow and parent_key is not None and first.line > parent_key.line:
                    units[first.column - parent_key.column] += 1
                for key, value in node.entries:
                    if key.kind != "scalar":
                        continue
                    if _is_code(key.value):
                        code_quotes[key.style or ""] += 1
                    else:
                        key_quotes[key.style or ""] += 1
                    if value.is_string:
                        written = value.style if value.style in ("'", '"') else ""
                        by_key.setdefault(key.value, Counter())[written or ""] += 1
                        if written and key.value != "$ref":
                            quotes[written] += 1
            elif node.kind == "seq" and not node.flow and node.items:
                if parent_key is not None and node.line > parent_key.line:
                    seq_offsets[node.column - parent_key.column] += 1
                item = node.items[0]
                if item.kind == "map" and not item.flow and item.entries and item.line == node.line:
                    item_offsets[item.column - node.column] += 1
        unit = _most_common(units, lambda n: n > 0, 2)
        # the quote for strings that need one: as values are quoted, else as keys are
        keys = code_quotes + key_quotes
        quote = _most_common(quotes, lambda q: True, _most_common(keys, lambda q: q != "", "'"))
        return YamlStyle(
            unit=unit,
            seq_offset=_most_common(seq_offsets, lambda n: n >= 0, unit),
            item_offset=_most_common(item_offsets, lambda n: n >= 2, 2),
            quote=quote,
            value_quote={
                key: _most_common(counts, lambda q: True, "") for key, counts in by_key.items()
            },
            code_quote=_most_common(code_quotes, lambda q: True, quote),
            key_quote=_most_common(key_quotes, lambda q: True, ""),
            newline=newline_of(self.text),
        )

    def _sample(self, limit: int = 5000) -> Iterator[tuple[_Node | None, _Node]]:
        """Nodes in document order with the key that owns each (breadth-first, bounded: style is
        settled long before a big spec's last node). Aliases are not followed."""
        queue: list[tuple[_Node | None, _Node]] = [(None, self.root)]
        index = 0
        while index < len(queue):
            parent_key, node = queue[index]
            index += 1
            yield parent_key, node
            if len(queue) >= limit:
                continue
            if node.kind == "map":
                queue.extend(node.entries[: limit - len(queue)])
            elif node.kind == "seq":
                queue.extend((None, item) for item in node.items[: limit - len(queue)])

    # -- navigation -------------------------------------------------------------------------
    def _find(self, pointer: Pointer) -> tuple[int, list[tuple[_Node | None, _Node]]]:
        """Walk ``pointer`` as far as it exists; returns the depth reached and the chain of
        (owning key, node) from the root. Through an alias the walk continues in the anchored
        node, where its text is: the fix goes where the shared value is defined, like a
        ``$ref``'d component, and every alias of it gains the same content."""
        chain: list[tuple[_Node | None, _Node]] = [(None, self.root)]
        node = self.root
        for depth, part in enumerate(pointer):
            found: tuple[_Node | None, _Node] | None = None
            if node.kind == "map":
                for name, value in node.entries:
                    if name.kind == "scalar" and name.value == str(part):
                        found = (name, value)
                if found is None and any(k.value == "<<" for k, _ in node.entries):
                    where = pointer_to_str(pointer[: depth + 1])
                    raise CannotEdit(f"'{where}' may come from a YAML merge key")
            elif node.kind == "seq":
                try:
                    index = int(part)
                except ValueError:
                    index = -1
                if 0 <= index < len(node.items):
                    found = (None, node.items[index])
            if found is None:
                return depth, chain
            child = found[1]
            if child.kind == "alias":
                target = child.target
                if target is None:
                    raise CannotEdit(f"'{pointer_to_str(pointer[: depth + 1])}' is a lost alias")
                found = (None, target)  # its anchor has no key here
            chain.append(found)
            node = found[1]
        return len(pointer), chain

    def _line_after(self, index: int) -> int:
        """The start of the line after the one holding ``index`` (or the end of the text)."""
        newline = self.text.find("\n", index)
        return len(self.text) if newline < 0 else newline + 1

    def _block_end(self, node: _Node, owner_end: int) -> int:
        """Where a new line may be inserted right after ``node``'s last content: after the line
        holding its last character, so a trailing comment stays with its line. ``owner_end`` is
        the end of the key owning ``node`` (an empty value has no text of its own)."""
        if node.kind == "map" and not node.flow and node.entries:
            return self._entry_end(*node.entries[-1])
        if node.kind == "seq" and not node.flow and node.items:
            item = node.items[-1]
            return self._block_end(item, item.start)
        if node.kind == "scalar":
            if node.style in ("|", ">"):
                line_start = self.text.rfind("\n", 0, node.end) + 1
                if line_start > node.start and not self.text[line_start : node.end].strip(" "):
                    return line_start
                return self._line_after(node.end)
            if node.value == "" and node.style is None and node.end <= owner_end + 1:
                return self._line_after(owner_end)
        return self._line_after(node.end)

    def _entry_end(self, key: _Node, value: _Node) -> int:
        """``_block_end`` of one block mapping entry."""
        return max(self._line_after(key.end), self._block_end(value, key.end))

    # -- rendering --------------------------------------------------------------------------
    def _context(self, mapping: _Node | None) -> _Context:
        """How keys are written in ``mapping`` (the one receiving the entry): its status-code
        keys' quoting, and whether it quotes its other keys (JSON written as YAML), which the
        whole snippet then does too. A mapping with no example of its own follows the file."""
        style = self.style
        code_quote, key_quote = style.code_quote, style.key_quote
        flow = False
        if mapping is not None and mapping.kind == "map" and mapping.entries:
            flow = mapping.flow
            keys = [k for k, _ in mapping.entries if k.kind == "scalar"]
            codes = [k.style or "" for k in keys if _is_code(k.value)]
            if codes:
                code_quote = Counter(codes).most_common(1)[0][0]
            others = {k.style or "" for k in keys if not _is_code(k.value)}
            if len(others) == 1:
                key_quote = others.pop()
        quote = key_quote or None
        return _Context(code_quote, quote, quote == '"' and flow)

    def _key(self, key: Any, ctx: _Context) -> str:
        if isinstance(key, str) and _is_code(key):
            quote = ctx.code_quote
            if quote == '"':
                return f'"{key}"'
            return f"'{key}'" if quote == "'" else key
        if ctx.key_quote and isinstance(key, str):
            return _yaml_scalar(key, ctx.key_quote, force_quote=True)
        return _yaml_scalar(key, self.style.quote)

    def _scalar(self, value: Any, key: Any, ctx: _Context) -> str:
        if ctx.json_like and isinstance(value, str):
            return _double_quoted(value)
        if isinstance(value, str):
            # a $ref is quoted by convention when the file shows none
            usual = self.style.quote if key == "$ref" else ""
            quote = self.style.value_quote.get(str(key), usual)
            if quote:
                return _yaml_scalar(value, quote, force_quote=True)
        return _yaml_scalar(value, self.style.quote)

    def _block_value(self, value: Any, column: int, key: Any, ctx: _Context) -> str:
        """The text after ``key:`` for ``value`` when the key sits at ``column``."""
        style = self.style
        if isinstance(value, dict):
            if not value:
                return " {}"
            inner = column + style.unit
            return "".join(
                f"\n{' ' * inner}{self._key(k, ctx)}:{self._block_value(v, inner, k, ctx)}"
                for k, v in value.items()
            )
        if isinstance(value, list):
            if not value:
                return " []"
            dash = column + style.seq_offset
            return "".join(f"\n{' ' * dash}-{self._block_item(v, dash, ctx)}" for v in value)
        return " " + self._scalar(value, key, ctx)

    def _block_item(self, value: Any, dash: int, ctx: _Context) -> str:
        """The text after ``-`` for one sequence item whose dash sits at ``dash``."""
        if isinstance(value, dict) and value:
            inner = dash + self.style.item_offset
            parts = []
            for index, (k, v) in enumerate(value.items()):
                lead = " " * (self.style.item_offset - 1) if index == 0 else f"\n{' ' * inner}"
                parts.append(f"{lead}{self._key(k, ctx)}:{self._block_value(v, inner, k, ctx)}")
            return "".join(parts)
        if isinstance(value, (dict, list)):
            return " " + self._flow(value, None, ctx)
        return " " + self._scalar(value, None, ctx)

    def _flow(self, value: Any, key: Any, ctx: _Context) -> str:
        if isinstance(value, dict):
            entries = (f"{self._key(k, ctx)}: {self._flow(v, k, ctx)}" for k, v in value.items())
            return "{" + ", ".join(entries) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self._flow(v, None, ctx) for v in value) + "]"
        return self._scalar(value, key, ctx)

    def _with_newlines(self, text: str) -> str:
        return text.replace("\n", self.style.newline) if self.style.newline != "\n" else text

    # -- edits ------------------------------------------------------------------------------
    def add(self, change: AddEntry) -> Edit | None:
        depth, chain = self._find(change.pointer)
        owner_key, node = chain[-1]
        if depth == len(change.pointer) and node.kind == "seq":
            return self._append_item(node, change.value)
        key, value = _split_missing(change.pointer, depth, change.key, change.value)
        if node.kind != "map":
            empty = node.kind == "scalar" and node.value in ("", "~", "null")
            what = "empty (null)" if empty else "not a mapping"
            raise CannotEdit(f"'{pointer_to_str(change.pointer[:depth])}' is {what}")
        for existing, _ in node.entries:
            if existing.kind == "scalar" and existing.value == key:
                if depth == len(change.pointer):
                    return None  # already there: the re-lint tells whether it is enough
                where = pointer_to_str(change.pointer[: depth + 1])
                raise CannotEdit(f"'{where}' is not a mapping")
        ctx = self._context(node)
        key_text = self._key(key, ctx)
        names = [k.value if k.kind == "scalar" else "" for k, _ in node.entries]
        after = _place_after(names, key)
        if node.flow:
            return self._add_flow(node, f"{key_text}: {self._flow(value, key, ctx)}", after)
        column = node.entries[0][0].column
        if after is not None:
            at = self._entry_end(*node.entries[after])
        else:
            at = self._block_end(node, owner_key.end if owner_key is not None else 0)
        entry = f"{' ' * column}{key_text}:{self._block_value(value, column, key, ctx)}\n"
        if self._spaced(node):
            entry = "\n" + entry
        return replace(self._insert_line(at, entry), column=column)

    def _spaced(self, node: _Node) -> bool:
        """Whether the mapping separates its entries with blank lines (DigitalOcean's responses
        do): then the new entry gets one too."""
        pairs = blank = 0
        for (key, value), (following, _) in zip(node.entries, node.entries[1:], strict=False):
            end = self._entry_end(key, value)
            line_start = self.text.rfind("\n", 0, following.start) + 1
            pairs += 1
            if any(not line.strip() for line in self.text[end:line_start].splitlines()):
                blank += 1
        return pairs > 0 and blank * 2 > pairs

    def _insert_line(self, at: int, entry: str) -> Edit:
        entry = self._with_newlines(entry)
        if at == len(self.text) and not self.text.endswith("\n"):
            # keep the file's missing final newline missing
            nl = self.style.newline
            return Edit(at, at, nl + entry[: -len(nl)])
        return Edit(at, at, entry)

    def _add_flow(self, node: _Node, entry: str, after: int | None = None) -> Edit:
        entry = self._with_newlines(entry)
        if node.kind == "map" and node.entries:
            key, value = node.entries[-1 if after is None else after]
            end = max(key.end, value.end)
            return Edit(end, end, ", " + entry)
        if node.kind == "seq" and node.items:
            end = node.items[-1].end
            return Edit(end, end, ", " + entry)
        opening = self.text.find("{" if node.kind == "map" else "[", node.start, node.end)
        if opening < 0:
            raise CannotEdit("cannot find the flow collection's opening bracket")
        return Edit(opening + 1, opening + 1, entry)

    def _append_item(self, node: _Node, value: Any) -> Edit:
        ctx = self._context(None)
        if node.flow:
            return self._add_flow(node, self._flow(value, None, ctx))
        dash = node.column
        at = self._block_end(node, node.start)
        return self._insert_line(at, f"{' ' * dash}-{self._block_item(value, dash, ctx)}\n")

    def rename(self, change: RenameKey) -> Edit | None:
        depth, chain = self._find(change.pointer)
        node = chain[-1][1]
        if depth < len(change.pointer) or node.kind != "map":
            raise CannotEdit(f"'{pointer_to_str(change.pointer)}' is not a mapping")
        keys = {k.value: k for k, _ in node.entries if k.kind == "scalar"}
        if change.new in keys:
            if change.old not in keys:
                return None
            raise CannotEdit(f"'{change.new}' already exists")
        key = keys.get(change.old)
        if key is None:
            raise CannotEdit(f"no key '{change.old}' at '{pointer_to_str(change.pointer)}'")
        start, end = key.start, key.end
        if key.style in ("'", '"'):
            start, end = start + 1, end - 1
        if self.text[start:end] != change.old:
            raise CannotEdit(
                f"key '{change.old}' is written in a form that cannot be renamed in place"
            )
        return Edit(start, end, change.new)


def _code_order(key: str) -> tuple[int, str] | None:
    if key == "default":
        return (10, "")
    return (int(key[0]), key[1:].replace("X", "9")) if _is_code(key) else None


def _place_after(keys: list[str], new: str) -> int | None:
    """Status codes go in numeric order: after the last entry with a smaller code (``default``
    counts as the largest). ``None``: at the end, as for any other key."""
    order = _code_order(new)
    if order is None:
        return None
    smaller = [i for i, key in enumerate(keys) if (o := _code_order(key)) is not None and o < order]
    return smaller[-1] if smaller else None


def _most_common(counter: Counter[Any], accept: Any, default: Any) -> Any:
    for value, _ in counter.most_common():
        if accept(value):
            return value
    return default


# --------------------------------------------------------------------------------------------
# JSON


@dataclass
class _JsonNode:
    """A JSON value's span; for objects the members as (key, key start, key end, value start,
    value end), for arrays the items as (start, end)."""

    start: int
    end: int
    kind: str  # "object", "array" or "scalar"
    members: list[tuple[str, int, int, int, int]]
    items: list[tuple[int, int]]


_DECODER = json.JSONDecoder()
_scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009 - untyped C helper


class JsonLayout(Layout):
    """Positions from a scanner that descends only along the pointer: siblings are skipped by
    the C decoder (``raw_decode``), so a 2 MB file costs a few milliseconds."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._nodes: dict[int, _JsonNode] = {}

    def _skip_ws(self, index: int) -> int:
        text = self.text
        while index < len(text) and text[index] in _JSON_WS:
            index += 1
        return index

    def _value_end(self, start: int) -> int:
        try:
            _, end = _DECODER.raw_decode(self.text, start)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise CannotEdit(f"cannot locate positions: {exc}") from None
        return int(end)

    def _node(self, start: int) -> _JsonNode:
        """Scan the value at ``start`` one level deep (memoised: every change of a pass walks
        down from the root through the same few objects)."""
        node = self._nodes.get(start)
        if node is None:
            node = self._nodes[start] = self._scan(start)
        return node

    def _scan(self, start: int) -> _JsonNode:
        text = self.text
        opening = text[start : start + 1]
        if opening not in ("{", "["):
            return _JsonNode(start, self._value_end(start), "scalar", [], [])
        members: list[tuple[str, int, int, int, int]] = []
        items: list[tuple[int, int]] = []
        index = self._skip_ws(start + 1)
        closing = "}" if opening == "{" else "]"
        if text[index : index + 1] == closing:
            return _JsonNode(start, index + 1, "object" if opening == "{" else "array", [], [])
        while True:
            if opening == "{":
                if text[index : index + 1] != '"':
                    raise CannotEdit(f"unexpected JSON at offset {index}")
                key, key_end = _scanstring(text, index + 1)
                colon = self._skip_ws(key_end)
                if text[colon : colon + 1] != ":":
                    raise CannotEdit(f"unexpected JSON at offset {colon}")
                value_start = self._skip_ws(colon + 1)
                value_end = self._value_end(value_start)
                members.append((key, index, key_end, value_start, value_end))
            else:
                value_start = index
                value_end = self._value_end(value_start)
                items.append((value_start, value_end))
            index = self._skip_ws(value_end)
            separator = text[index : index + 1]
            if separator == ",":
                index = self._skip_ws(index + 1)
                continue
            if separator == closing:
                return _JsonNode(
                    start, index + 1, "object" if opening == "{" else "array", members, items
                )
            raise CannotEdit(f"unexpected JSON at offset {index}")

    def _find(self, pointer: Pointer) -> tuple[int, _JsonNode]:
        node = self._node(self._skip_ws(0))
        for depth, part in enumerate(pointer):
            start: int | None = None
            if node.kind == "object":
                for key, _, _, value_start, _ in node.members:
                    if key == str(part):
                        start = value_start  # the last duplicate wins, as in json.loads
            elif node.kind == "array":
                try:
                    index = int(part)
                except ValueError:
                    index = -1
                if 0 <= index < len(node.items):
                    start = node.items[index][0]
            if start is None:
                return depth, node
            node = self._node(start)
        return len(pointer), node

    # -- style ------------------------------------------------------------------------------
    @cached_property
    def _root(self) -> _JsonNode:
        return self._node(self._skip_ws(0))

    @cached_property
    def pretty(self) -> bool:
        """Whether the document is laid out on several lines (else it is minified)."""
        return self._multiline(self._root)

    @cached_property
    def unit(self) -> str:
        """The indentation step: the indentation of the root's first entry on its own line."""
        root = self._root
        starts = [m[1] for m in root.members] or [i[0] for i in root.items]
        indent = self._indent_of(starts[0]) if starts else None
        return indent or "  "

    @cached_property
    def _file_separators(self) -> tuple[str, str]:
        """(item separator, key separator) as the file writes them on one line, judged from the
        first occurrences; used where the receiving object has no example of its own."""
        match = re.search(r'"\s*:(\s*)\S', self.text)
        key_sep = ":" + (" " if match and match.group(1) else "")
        item = re.search(r'[}\]"0-9el],([ ]*)[\[{"0-9tfn-]', self.text)
        spaced = bool(item.group(1)) if item else key_sep.endswith(" ")
        item_sep = "," + (" " if spaced else "")
        return item_sep, key_sep

    def _separators(self, node: _JsonNode) -> tuple[str, str]:
        """The separators written in ``node`` itself (between its last two entries, and after
        its last key), falling back to the file's."""
        item_sep, key_sep = self._file_separators
        if node.members:
            _, _, key_end, value_start, _ = node.members[-1]
            key_sep = self.text[key_end:value_start]
        entries = [(m[1], m[4]) for m in node.members] or node.items
        if len(entries) > 1:
            between = self.text[entries[-2][1] : entries[-1][0]]
            if "\n" not in between:
                item_sep = between
        return item_sep, key_sep

    @cached_property
    def ensure_ascii(self) -> bool:
        return self.text.isascii() and "\\u" in self.text

    def _indent_of(self, index: int) -> str | None:
        """The whitespace before ``index`` if it is the first thing on its line, else None."""
        line_start = self.text.rfind("\n", 0, index) + 1
        lead = self.text[line_start:index]
        return lead if line_start > 0 and lead.strip(" \t") == "" else None

    def _line_indent(self, index: int) -> str:
        line_start = self.text.rfind("\n", 0, index) + 1
        line = self.text[line_start:index]
        return line[: len(line) - len(line.lstrip(" \t"))]

    def _multiline(self, node: _JsonNode) -> bool:
        return "\n" in self.text[node.start : node.end]

    def _render(self, value: Any, indent: str | None, separators: tuple[str, str]) -> str:
        item_sep, key_sep = separators
        if indent is None:
            return json.dumps(value, ensure_ascii=self.ensure_ascii, separators=(item_sep, key_sep))
        text = json.dumps(
            value, ensure_ascii=self.ensure_ascii, indent=self.unit, separators=(",", key_sep)
        )
        return text.replace("\n", newline_of(self.text) + indent)

    # -- edits ------------------------------------------------------------------------------
    def add(self, change: AddEntry) -> Edit | None:
        depth, node = self._find(change.pointer)
        if depth == len(change.pointer) and node.kind == "array":
            return self._insert(node, None, change.value)
        key, value = _split_missing(change.pointer, depth, change.key, change.value)
        if node.kind != "object":
            raise CannotEdit(f"'{pointer_to_str(change.pointer[:depth])}' is not an object")
        if any(member[0] == key for member in node.members):
            if depth == len(change.pointer):
                return None
            raise CannotEdit(f"'{pointer_to_str(change.pointer[: depth + 1])}' is not an object")
        return self._insert(node, key, value, _place_after([m[0] for m in node.members], key))

    def _insert(
        self, node: _JsonNode, key: str | None, value: Any, after: int | None = None
    ) -> Edit:
        separators = self._separators(node)
        item_sep, key_sep = separators
        prefix = "" if key is None else json.dumps(key, ensure_ascii=self.ensure_ascii) + key_sep
        nl = newline_of(self.text)
        starts = [m[1] for m in node.members] or [i[0] for i in node.items]
        if starts:
            index = len(starts) - 1 if after is None else after
            end = node.members[index][4] if node.members else node.items[index][1]
            indent = self._indent_of(starts[index]) if self._multiline(node) else None
            if indent is None:
                return Edit(end, end, item_sep + prefix + self._render(value, None, separators))
            rendered = self._render(value, indent, separators)
            return Edit(end, end, f",{nl}{indent}{prefix}{rendered}")
        # an empty object or array: laid out on lines if the document is
        if self.pretty:
            outer = self._line_indent(node.start)
            inner = outer + self.unit
            rendered = self._render(value, inner, separators)
            return Edit(node.start + 1, node.start + 1, f"{nl}{inner}{prefix}{rendered}{nl}{outer}")
        return Edit(node.start + 1, node.start + 1, prefix + self._render(value, None, separators))

    def rename(self, change: RenameKey) -> Edit | None:
        depth, node = self._find(change.pointer)
        if depth < len(change.pointer) or node.kind != "object":
            raise CannotEdit(f"'{pointer_to_str(change.pointer)}' is not an object")
        keys = {m[0]: m for m in node.members}
        if change.new in keys:
            if change.old not in keys:
                return None
            raise CannotEdit(f"'{change.new}' already exists")
        member = keys.get(change.old)
        if member is None:
            raise CannotEdit(f"no key '{change.old}' at '{pointer_to_str(change.pointer)}'")
        _, key_start, key_end, _, _ = member
        if self.text[key_start + 1 : key_end - 1] != change.old:
            raise CannotEdit(f"key '{change.old}' is written with escapes")
        return Edit(key_start + 1, key_end - 1, change.new)


__all__ = [
    "CannotEdit",
    "Edit",
    "JsonLayout",
    "Layout",
    "YamlLayout",
    "apply_edits",
    "layout_for",
    "newline_of",
    "overlaps",
]
