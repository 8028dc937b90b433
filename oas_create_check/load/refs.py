"""``$ref`` resolution across files: ``Node`` (a value and where it is written) and
``Workspace`` (the files of one spec, loaded on demand).

Resolution is cycle-safe, never touches the network (a remote reference is a ``RefProblem``),
and refuses relative paths that leave the spec's root (``ref-root``) without reading them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from oas_create_check.load.read import SpecError, real_path
from oas_create_check.load.source import SourceFile, key_text, lookup, read_file
from oas_create_check.model import Pointer, pointer_from_str, pointer_to_str

#: A chain of ``$ref`` to ``$ref`` longer than this is treated as a cycle.
MAX_REF_HOPS = 64


@dataclass(frozen=True)
class Node:
    """A value together with where it is written: the file and the pointer inside that file."""

    file: SourceFile
    pointer: Pointer
    value: Any

    def child(self, key: str | int) -> Node | None:
        """The direct child (no ``$ref`` following); mapping keys match ``201`` and ``"201"``."""
        if self.file.store is not None:
            self.file.reveal((*self.pointer, key))
        found, actual = lookup(self.value, key)
        if not found:
            return None
        return Node(self.file, (*self.pointer, key), actual)

    def items(self) -> Iterator[tuple[str, Node]]:
        """Mapping entries with keys as strings (YAML may give ``201`` as an int)."""
        if self.file.store is not None:
            self.file.reveal(self.pointer)
        if isinstance(self.value, dict):
            for key, value in self.value.items():
                text = key_text(key)
                yield text, Node(self.file, (*self.pointer, text), value)

    def elements(self) -> Iterator[Node]:
        if isinstance(self.value, list):
            for index, value in enumerate(self.value):
                yield Node(self.file, (*self.pointer, index), value)

    @property
    def location(self) -> tuple[int, int]:
        return self.file.locate(self.pointer)

    @property
    def pointer_text(self) -> str:
        return pointer_to_str(self.pointer)


@dataclass(frozen=True)
class RefProblem:
    """A ``$ref`` that cannot be followed: where it is written and why."""

    node: Node
    ref: str
    message: str


class RefError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class Workspace:
    """All files of one spec: the root document and every file its references reach.

    References are followed lazily, so only the files an operation actually needs are read. Files
    are cached by real path; ``root_dir`` bounds where references may lead.
    """

    def __init__(
        self,
        root: SourceFile,
        root_dir: Path | None = None,
        lazy: bool = False,
        paths: dict[tuple[Path, str], Path] | None = None,
    ) -> None:
        self.root = root
        self.root_dir = real_path(root_dir or root.path.parent)
        self.lazy = lazy  # read referenced files with read_file(lazy=True): see SourceFile
        self._files: dict[Path, SourceFile] = {real_path(root.path): root}
        self._reached: dict[Path, SourceFile] = dict(self._files)
        self._broken: dict[Path, str] = {}
        #: the real path of each (folder, file name) a ``$ref`` named: ``realpath`` asks the file
        #: system for every component, so the fixer's workspaces of one run share this memo
        #: (``paths``), as the files do not move meanwhile
        self.paths: dict[tuple[Path, str], Path] = {} if paths is None else paths
        self.problems: dict[tuple[str, Pointer], RefProblem] = {}

    def preload(self, files: Mapping[Path, SourceFile]) -> None:
        """Use these in-memory files instead of reading the disk (the fixer lints its edited
        texts before writing them). Keys are real paths, as ``real_path`` gives them."""
        self._files.update(files)

    @property
    def files(self) -> list[SourceFile]:
        return list(self._files.values())

    @property
    def reached(self) -> list[SourceFile]:
        """The files the spec used so far: the root and every file a reference led to
        (``files`` also holds preloaded files that nothing refers to)."""
        return list(self._reached.values())

    def root_node(self) -> Node:
        """The root document's node. Its value may still lack the schema store (see
        ``SourceFile``): read it through ``child`` and ``items``, which complete it when needed."""
        return Node(self.root, (), self.root.partial)

    def deref(self, node: Node) -> Node | None:
        """Follow ``$ref`` (chains too) to the node that defines the value. A reference that cannot
        be followed is recorded in ``problems`` and gives ``None``."""
        seen: set[tuple[Path, Pointer]] = set()
        current = node
        for _ in range(MAX_REF_HOPS):
            ref = current.value.get("$ref") if isinstance(current.value, dict) else None
            if not isinstance(ref, str):
                return current
            key = (current.file.path, current.pointer)
            if key in seen:
                self._problem(node, ref, "reference cycle")
                return None
            seen.add(key)
            try:
                current = self._target(current, ref)
            except RefError as exc:
                self._problem(current, ref, exc.message)
                return None
        self._problem(node, str(node.value.get("$ref")), "reference chain too long (cycle?)")
        return None

    def _problem(self, node: Node, ref: str, message: str) -> None:
        self.problems.setdefault(
            (node.file.display, node.pointer), RefProblem(node=node, ref=ref, message=message)
        )
        return None

    def _target(self, node: Node, ref: str) -> Node:
        location, _, fragment = ref.partition("#")
        file = self._external(node.file, location) if location else node.file
        try:
            pointer = pointer_from_str(unquote(fragment)) if fragment else ()
        except ValueError:  # "#name": a JSON Schema anchor, or a typo
            raise RefError(
                "the fragment is not a JSON pointer (anchors are not followed)"
            ) from None
        found, value = file.value_at(pointer)
        if not found:
            raise RefError(f"'{pointer_to_str(pointer)}' not found in {file.display}")
        return Node(file, pointer, value)

    def _external(self, base: SourceFile, location: str) -> SourceFile:
        if location[:5].lower() == "file:":
            raise RefError("absolute file reference refused")
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", location) or location.startswith("//"):
            raise RefError("remote reference not followed (no network access)")
        if location.startswith("/") or os.path.isabs(location):
            raise RefError("absolute file reference refused")
        name = unquote(location)
        if "\x00" in name:  # no file has that name, and the OS calls raise ValueError on it
            raise RefError("file name contains a NUL character")
        key = (base.path.parent, name)
        target = self.paths.get(key)
        if target is None:
            target = self.paths[key] = real_path(base.path.parent / name)
        if not target.is_relative_to(self.root_dir):
            raise RefError("reference leaves the spec's root directory: refused")
        if target in self._files:
            found = self._reached[target] = self._files[target]
            return found
        if target in self._broken:
            raise RefError(self._broken[target])
        try:
            loaded = read_file(target, lazy=self.lazy)
        except SpecError as exc:
            message = f"cannot use {exc}"
            self._broken[target] = message
            raise RefError(message) from None
        self._files[target] = self._reached[target] = loaded
        return loaded


#: What a URI reference cannot hold as it is: ``%`` (it starts an escape: a component named
#: ``Conflict%41`` written raw reads back as ``ConflictA``), ``#``, white space and controls, and
#: the characters RFC 3986 excludes. ``{}`` (in every path template) and non-ASCII letters stay:
#: every resolver reads them, and so do people.
_URI_UNSAFE = re.compile(r'[%#\s"<>\\^`|\[\]\x00-\x1f\x7f]')
_LOCATION_UNSAFE = re.compile(r'[%#?\s"<>\\^`|\[\]\x00-\x1f\x7f]')


def _escaped(text: str, unsafe: re.Pattern[str]) -> str:
    return unsafe.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), text)


#: A ``$ref`` location that names no file relative to the one it is written in: a URI with a
#: scheme, or an absolute path.
NOT_LOCAL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|/)")


def relative_location(source: Path, target: Path) -> str:
    """The location part of a ``$ref`` written in the file ``source`` that names the file
    ``target``: relative, ``/``-separated, percent-escaped where a URI reference needs it."""
    relative = _escaped(
        os.path.relpath(target, source.parent).replace(os.sep, "/"), _LOCATION_UNSAFE
    )
    if ":" in relative.partition("/")[0]:
        relative = "./" + relative  # "a:b.yaml" would read as a URI with the scheme "a"
    return relative


def ref_between(source: SourceFile, target: SourceFile, pointer: Pointer) -> str:
    """The ``$ref`` text that, written in ``source``, points at ``pointer`` in ``target``; a whole
    other file is named without an empty fragment (``conflict.yml``, not ``conflict.yml#``).
    Percent-escaped as a URI reference (RFC 6901 section 6), since every resolver, this one
    included, unescapes it before reading the pointer."""
    fragment = "#" + _escaped(pointer_to_str(pointer), _URI_UNSAFE)
    if source.path == target.path:
        return fragment
    relative = relative_location(source.path, target.path)
    return relative + fragment if pointer else relative
