"""The JSON layout: edits placed on the locator's exact nodes (``load/json_tree.py``, a scanner
that reads only the members on the way to the target); inserted members follow the file's
indentation and separators (minified JSON stays on one line).
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any

from oas_create_check.fix.edits import (
    FIRST,
    CannotEdit,
    Edit,
    Layout,
    newline_of,
    place_after,
    split_missing,
)
from oas_create_check.load.locate import Locator
from oas_create_check.load.node import LayoutError, Node
from oas_create_check.model import AddEntry, Pointer, RenameKey, pointer_to_str


class JsonLayout(Layout):
    """Edits placed on the locator's exact JSON nodes: the scanner reads only the members on the
    way to a target and skips siblings in C (``raw_decode``), so a 2 MB file costs a few
    milliseconds."""

    def __init__(self, text: str, locator: Locator | None = None) -> None:
        self.text = text
        self.locator = locator if locator is not None else Locator(text, is_json=True)

    def _find(self, pointer: Pointer) -> tuple[int, Node]:
        try:
            depth, chain = self.locator.walk(pointer)
        except LayoutError as exc:
            raise CannotEdit(str(exc)) from None
        return depth, chain[-1][1]

    # -- style ------------------------------------------------------------------------------
    @cached_property
    def _root(self) -> Node:
        return self._find(())[1]

    @cached_property
    def pretty(self) -> bool:
        """Whether the document is laid out on several lines (else it is minified)."""
        return self._multiline(self._root)

    @cached_property
    def unit(self) -> str:
        """The indentation step: the indentation of the root's first entry on its own line."""
        root = self._root
        starts = [k.start for k, _ in root.entries] or [i.start for i in root.items]
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

    def _separators(self, node: Node) -> tuple[str, str]:
        """The separators written in ``node`` itself (between its last two entries, and after
        its last key), falling back to the file's."""
        item_sep, key_sep = self._file_separators
        if node.entries:
            key, value = node.entries[-1]
            key_sep = self.text[key.end : value.start]
        entries = [(k.start, v.end) for k, v in node.entries] or [
            (i.start, i.end) for i in node.items
        ]
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

    def _multiline(self, node: Node) -> bool:
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
        if depth == len(change.pointer) and node.kind == "seq":
            return self._insert(node, None, change.value)
        key, value = split_missing(change.pointer, depth, change.key, change.value)
        if node.kind != "map":
            raise CannotEdit(f"'{pointer_to_str(change.pointer[:depth])}' is not an object")
        names = [k.value for k, _ in node.entries]
        if key in names:
            if depth == len(change.pointer):
                return None
            raise CannotEdit(f"'{pointer_to_str(change.pointer[: depth + 1])}' is not an object")
        return self._insert(node, key, value, place_after(names, key))

    def _insert(self, node: Node, key: str | None, value: Any, after: int | None = None) -> Edit:
        separators = self._separators(node)
        item_sep, key_sep = separators
        prefix = "" if key is None else json.dumps(key, ensure_ascii=self.ensure_ascii) + key_sep
        nl = newline_of(self.text)
        starts = [k.start for k, _ in node.entries] or [i.start for i in node.items]
        if starts and after == FIRST:
            start = starts[0]
            indent = self._indent_of(start) if self._multiline(node) else None
            rendered = self._render(value, indent, separators)
            if indent is None:
                return Edit(start, start, prefix + rendered + item_sep)
            return Edit(start, start, f"{prefix}{rendered},{nl}{indent}")
        if starts:
            index = len(starts) - 1 if after is None else after
            end = node.entries[index][1].end if node.entries else node.items[index].end
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
        if depth < len(change.pointer) or node.kind != "map":
            raise CannotEdit(f"'{pointer_to_str(change.pointer)}' is not an object")
        keys = {k.value: k for k, _ in node.entries}
        if change.new in keys:
            if change.old not in keys:
                return None
            raise CannotEdit(f"'{change.new}' already exists")
        written = keys.get(change.old)
        if written is None:
            raise CannotEdit(f"no key '{change.old}' at '{pointer_to_str(change.pointer)}'")
        key_start, key_end = written.start, written.end
        if self.text[key_start + 1 : key_end - 1] != change.old:
            raise CannotEdit(f"key '{change.old}' is written with escapes")
        return Edit(key_start + 1, key_end - 1, change.new)
