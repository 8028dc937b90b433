"""The JSON layout: a scanner that walks only the members on the way to the target and skips
everything else with the C-accelerated ``json`` decoder; inserted members follow the file's
indentation and separators (minified JSON stays on one line).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from oas_create_check.fix.edits import (
    CannotEdit,
    Edit,
    Layout,
    newline_of,
    place_after,
    split_missing,
)
from oas_create_check.model import AddEntry, Pointer, RenameKey, pointer_to_str

_JSON_WS = " \t\r\n"


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
        key, value = split_missing(change.pointer, depth, change.key, change.value)
        if node.kind != "object":
            raise CannotEdit(f"'{pointer_to_str(change.pointer[:depth])}' is not an object")
        if any(member[0] == key for member in node.members):
            if depth == len(change.pointer):
                return None
            raise CannotEdit(f"'{pointer_to_str(change.pointer[: depth + 1])}' is not an object")
        return self._insert(node, key, value, place_after([m[0] for m in node.members], key))

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
