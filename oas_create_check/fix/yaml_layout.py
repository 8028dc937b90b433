"""Change -> text edit, in the file's own style: where an entry goes and how it is written.

A fix is data (``AddEntry``/``RenameKey``, see ``model.py``); this module turns one change into one
``Edit`` of one file's text, without ever re-serialising the file. Positions are the exact spans
the locator reports (``load/locate.py``): for YAML, nodes from PyYAML's event stream (its marks
are character offsets into the text, CRLF included); JSON is ``json_layout.py``.

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
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from oas_create_check.fix.edits import (
    FIRST,
    CannotEdit,
    Edit,
    Layout,
    is_code,
    most_common,
    newline_of,
    place_after,
    split_missing,
)
from oas_create_check.load.locate import Locator
from oas_create_check.load.node import FLOW, MAP, SCALAR, SEQ, STYLES, Chain, LayoutError, Node, Row
from oas_create_check.model import AddEntry, Pointer, RenameKey, pointer_to_str

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


#: Plain scalars that YAML reads as something other than a string (for style statistics only).
_PLAIN_NOT_STRING = re.compile(
    r"^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False"
    r"|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|)$"
)


def _is_string(row: Row) -> bool:
    """Whether a node (its row in the exact reader's store) is a string scalar."""
    return row[0] & 3 == SCALAR and (row[0] >> 3 != 0 or not _PLAIN_NOT_STRING.match(row[5]))


class YamlLayout(Layout):
    """Edits placed on the locator's exact nodes (PyYAML's event stream: every node's exact start
    and end in the text, and how it is written)."""

    def __init__(
        self, text: str, locator: Locator | None = None, style: YamlStyle | None = None
    ) -> None:
        self.text = text
        self.locator = locator if locator is not None else Locator(text, is_json=False)
        self._style = style  # the survey's answer for this text, if already known (survey.py)

    @cached_property
    def _head(self) -> Node:
        """The root of what the style survey reads: the exact tree of the text's head
        (``Locator.head_tree``; all of it, unless the file is large)."""
        try:
            return self.locator.head_tree().complete()
        except LayoutError as exc:
            raise CannotEdit(str(exc)) from None

    # -- style ------------------------------------------------------------------------------
    @property
    def style(self) -> YamlStyle:
        """How this file writes what the fixer inserts: given, or surveyed on first use."""
        if self._style is None:
            self._style = self._survey()
        return self._style

    def _survey(self) -> YamlStyle:
        """The survey, read straight from the exact reader's rows (``_sample``): on a large
        spec it looks at tens of thousands of entries, and a ``Node`` view for each cost more
        than the rest of the survey."""
        units: Counter[int] = Counter()
        seq_offsets: Counter[int] = Counter()
        item_offsets: Counter[int] = Counter()
        quotes: Counter[str] = Counter()
        by_key: dict[str, Counter[str]] = {}
        code_quotes: Counter[str] = Counter()
        key_quotes: Counter[str] = Counter()
        store = self._head.store
        rows, children = store.rows, store.children
        for parent_key, number in self._sample():
            row = rows[number]
            kind, numbers = row[0] & 3, children.get(number, ())
            if kind == MAP and numbers:
                first = rows[numbers[0]]
                if not row[0] & FLOW and parent_key is not None:
                    owner = rows[parent_key]
                    if first[3] > owner[3]:
                        units[first[4] - owner[4]] += 1
                for key, value in zip(numbers[::2], numbers[1::2], strict=True):
                    key_row = rows[key]
                    if key_row[0] & 3 != SCALAR:
                        continue
                    name = key_row[5]
                    if is_code(name):
                        code_quotes[STYLES[key_row[0] >> 3] or ""] += 1
                    else:
                        key_quotes[STYLES[key_row[0] >> 3] or ""] += 1
                    value_row = rows[value]
                    if _is_string(value_row):
                        written = STYLES[value_row[0] >> 3]
                        written = written if written in ("'", '"') else ""
                        by_key.setdefault(name, Counter())[written] += 1
                        if written and name != "$ref":
                            quotes[written] += 1
            elif kind == SEQ and not row[0] & FLOW and numbers:
                if parent_key is not None and row[3] > rows[parent_key][3]:
                    seq_offsets[row[4] - rows[parent_key][4]] += 1
                item = rows[numbers[0]]
                if (
                    item[0] & 3 == MAP
                    and not item[0] & FLOW
                    and children.get(numbers[0])
                    and item[3] == row[3]
                ):
                    item_offsets[item[4] - row[4]] += 1
        unit = most_common(units, lambda n: n > 0, 2)
        # the quote for strings that need one: as values are quoted, else as keys are
        keys = code_quotes + key_quotes
        quote = most_common(quotes, lambda q: True, most_common(keys, lambda q: q != "", "'"))
        return YamlStyle(
            unit=unit,
            seq_offset=most_common(seq_offsets, lambda n: n >= 0, unit),
            item_offset=most_common(item_offsets, lambda n: n >= 2, 2),
            quote=quote,
            value_quote={
                key: most_common(counts, lambda q: True, "") for key, counts in by_key.items()
            },
            code_quote=most_common(code_quotes, lambda q: True, quote),
            key_quote=most_common(key_quotes, lambda q: True, ""),
            newline=newline_of(self.text),
        )

    def _sample(self, limit: int = 5000) -> Iterator[tuple[int | None, int]]:
        """Nodes (their numbers in the root's store) in document order with the key that owns
        each (breadth-first, bounded: style is settled long before a big spec's last node).
        Aliases are not followed."""
        store = self._head.store
        rows, children = store.rows, store.children
        queue: list[tuple[int | None, int]] = [(None, self._head.number)]
        index = 0
        while index < len(queue):
            parent_key, number = queue[index]
            index += 1
            yield parent_key, number
            if len(queue) >= limit:
                continue
            kind = rows[number][0] & 3
            numbers = children.get(number, ())
            if kind == MAP:
                pairs = zip(numbers[::2], numbers[1::2], strict=True)
                queue.extend(list(pairs)[: limit - len(queue)])
            elif kind == SEQ:
                queue.extend((None, item) for item in numbers[: limit - len(queue)])

    # -- navigation -------------------------------------------------------------------------
    def _find(self, pointer: Pointer) -> tuple[int, Chain]:
        """Walk ``pointer`` as far as it exists (``Locator.walk``): the depth reached and the
        chain of (owning key, node) from the root, through aliases to where their text is."""
        try:
            return self.locator.walk(pointer)
        except LayoutError as exc:
            raise CannotEdit(str(exc)) from None

    def _line_after(self, index: int) -> int:
        """The start of the line after the one holding ``index`` (or the end of the text)."""
        newline = self.text.find("\n", index)
        return len(self.text) if newline < 0 else newline + 1

    def _block_end(self, node: Node, owner_end: int) -> int:
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

    def _entry_end(self, key: Node, value: Node) -> int:
        """``_block_end`` of one block mapping entry."""
        return max(self._line_after(key.end), self._block_end(value, key.end))

    # -- rendering --------------------------------------------------------------------------
    def _context(self, mapping: Node | None) -> _Context:
        """How keys are written in ``mapping`` (the one receiving the entry): its status-code
        keys' quoting, and whether it quotes its other keys (JSON written as YAML), which the
        whole snippet then does too. A mapping with no example of its own follows the file."""
        style = self.style
        code_quote, key_quote = style.code_quote, style.key_quote
        flow = False
        if mapping is not None and mapping.kind == "map" and mapping.entries:
            flow = mapping.flow
            keys = [k for k, _ in mapping.entries if k.kind == "scalar"]
            codes = [k.style or "" for k in keys if is_code(k.value)]
            if codes:
                code_quote = Counter(codes).most_common(1)[0][0]
            others = {k.style or "" for k in keys if not is_code(k.value)}
            if len(others) == 1:
                key_quote = others.pop()
        quote = key_quote or None
        return _Context(code_quote, quote, quote == '"' and flow)

    def _key(self, key: Any, ctx: _Context) -> str:
        if isinstance(key, str) and is_code(key):
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
        key, value = split_missing(change.pointer, depth, change.key, change.value)
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
        after = place_after(names, key)
        if node.flow:
            return self._add_flow(node, f"{key_text}: {self._flow(value, key, ctx)}", after)
        column = node.entries[0][0].column
        if after == FIRST:
            at = self.text.rfind("\n", 0, node.entries[0][0].start) + 1
        elif after is not None:
            at = self._entry_end(*node.entries[after])
        else:
            at = self._block_end(node, owner_key.end if owner_key is not None else 0)
        entry = f"{' ' * column}{key_text}:{self._block_value(value, column, key, ctx)}\n"
        if self._spaced(node):
            entry = entry + "\n" if after == FIRST else "\n" + entry
        return replace(self._insert_line(at, entry), column=column, key=key)

    def _spaced(self, node: Node) -> bool:
        """Whether the mapping separates its entries with blank lines (DigitalOcean's responses
        do): then the new entry gets one too."""
        pairs = blank = 0
        for following, _ in node.entries[1:]:
            # the line just above the next key (a block scalar's trailing blank lines belong to
            # the scalar, so the end of the previous entry cannot tell)
            line_start = self.text.rfind("\n", 0, following.start) + 1
            above = self.text.rfind("\n", 0, max(line_start - 1, 0)) + 1
            pairs += 1
            if line_start > 0 and not self.text[above : line_start - 1].strip():
                blank += 1
        return pairs > 0 and blank * 2 > pairs

    def _insert_line(self, at: int, entry: str) -> Edit:
        entry = self._with_newlines(entry)
        if at == len(self.text) and not self.text.endswith("\n"):
            # keep the file's missing final newline missing
            nl = self.style.newline
            return Edit(at, at, nl + entry[: -len(nl)])
        return Edit(at, at, entry)

    def _add_flow(self, node: Node, entry: str, after: int | None = None) -> Edit:
        entry = self._with_newlines(entry)
        if node.kind == "map" and node.entries and after == FIRST:
            start = node.entries[0][0].start
            return Edit(start, start, entry + ", ")
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

    def _append_item(self, node: Node, value: Any) -> Edit:
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
