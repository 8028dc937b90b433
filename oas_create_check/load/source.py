"""One parsed file (``SourceFile``) and ``read_file``, the one way a file is read: bytes
(``read.py``), text, data (``parse.py``, or ``split.py`` for a large YAML spec), and positions on
demand (``locate.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oas_create_check.load.locate import Locator
from oas_create_check.load.parse import looks_like_json, parse_text
from oas_create_check.load.read import decode, display_path, read_bytes, real_path
from oas_create_check.model import Pointer

if TYPE_CHECKING:
    from oas_create_check.load.split import Store
#: Smaller YAML texts are parsed whole, without even importing ``split.py``: a fork and a
#: second parse cost more than they save.
SPLIT_MIN_CHARS = 1_000_000
_OPENAPI_KEYS = ("openapi", "swagger")


@dataclass
class SourceFile:
    """One parsed file. ``text`` has any BOM removed; ``data`` is plain JSON-like Python data.

    A large YAML file read with ``read_file(lazy=True)`` may hold back its schema store
    (``split.py``): then ``store`` is set and ``partial`` is the data with the store's value still
    ``None``. ``data`` parses the store and puts it in place on first access, in the same dict, so
    values read from ``partial`` stay valid. The lint's hot path reads ``partial`` (top-level
    keys), ``value_at``, ``keys_at`` and ``Node``, which complete the data only when asked for
    what the store holds; everything else reads ``data``. Without a store both are the same.
    Whoever reads a file lazily must ask ``verified()`` before trusting what it found.
    """

    path: Path
    display: str
    text: str
    partial: Any
    is_json: bool
    store: Store | None = None
    _locator: Locator | None = field(default=None, repr=False)
    _refused: bool = field(default=False, repr=False)

    @cached_property
    def key(self) -> Path:
        """The file's handle: its real path, which the ``$ref`` workspace and the fixer key files
        by (two spellings of one file, through a symlink or ``..``, are one file)."""
        return real_path(self.path)

    def edited(self, text: str, data: Any) -> SourceFile:
        """The same file with a new text and its parsed data (the fixer's result before it is
        written): positions are computed afresh for the new text; the real path is this
        file's (asked of the file system once)."""
        edited = SourceFile(self.path, self.display, text, data, self.is_json)
        if "key" in self.__dict__:
            edited.__dict__["key"] = self.key  # the cached_property's own slot
        return edited

    @property
    def data(self) -> Any:
        """The complete data."""
        if self.store is not None:
            self._complete()
        return self.partial

    def verified(self) -> bool:
        """False if the part parsed on the side (``split.py``) was refused: then nothing read
        from this file can be trusted, and the file must be read again whole. Waits for the
        verdict if it is not in yet."""
        if self.store is not None:
            return self.store.verdict()
        return not self._refused

    def reveal(self, pointer: Pointer) -> None:
        """Complete the data if the value at ``pointer`` is, holds or lies inside the store."""
        if self.store is not None and self.store.overlaps(pointer):
            self._complete()

    def _complete(self) -> None:
        assert self.store is not None
        self.store.fill(self.text, self.partial)
        self._refused = not self.store.verdict()
        self.store = None

    def value_at(self, pointer: Pointer) -> tuple[bool, Any]:
        """Whether ``pointer`` exists, and its value; parses the store only if it leads there."""
        self.reveal(pointer)
        value = self.partial
        for part in pointer:
            found, value = lookup(value, part)
            if not found:
                return False, None
        return True, value

    def keys_at(self, pointer: Pointer) -> list[Any]:
        """The keys of the mapping at ``pointer`` (none if it is not one). For the store itself
        they come from the layout (``Locator.keys``), else from the child's verdict: finding a
        Problem schema by its name needs no parse of every schema, nor a wait for the child."""
        if self.store is not None and tuple(map(str, pointer)) == self.store.pointer:
            keys = self.locator.keys(pointer)
            return list(self.store.names) if keys is None else keys
        found, value = self.value_at(pointer)
        return list(value) if found and isinstance(value, dict) else []

    @property
    def locator(self) -> Locator:
        """Where this text writes its nodes (``locate.py``), for findings and the fixer alike;
        built on the first question."""
        if self._locator is None:
            self._locator = Locator(self.text, self.is_json)
        return self._locator

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        """1-based (line, column) of the node at ``pointer``, or of its nearest existing parent."""
        return self.locator.locate(pointer)

    @property
    def is_openapi(self) -> bool:
        return isinstance(self.partial, dict) and any(k in self.partial for k in _OPENAPI_KEYS)


def read_file(path: Path, display: str | None = None, *, lazy: bool = False) -> SourceFile:
    """Read, decode and parse one file. ``lazy``: a large YAML spec may hold back its schema store
    until something asks for it (``split.py``, ``SourceFile``); an error in it is then known only
    to ``SourceFile.verified()``, which the caller must ask before reporting (``lint._outcome``)."""
    shown = display or display_path(path)
    raw = read_bytes(path, shown)
    text = decode(raw, shown)
    del raw  # a large spec's bytes need not stay alive while its text is parsed
    if lazy and len(text) >= SPLIT_MIN_CHARS and not looks_like_json(path, text):
        from oas_create_check.load.split import parse_split

        split = parse_split(text)
        if split is not None:
            partial, store = split
            return SourceFile(path, shown, text, partial, is_json=False, store=store)
    data, is_json = parse_text(path, shown, text)
    return SourceFile(path=path, display=shown, text=text, partial=data, is_json=is_json)


def key_text(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def lookup(value: Any, key: str | int) -> tuple[bool, Any]:
    """Index a mapping or sequence the way a JSON pointer does, tolerating YAML's int keys."""
    if isinstance(value, dict):
        if key in value:
            return True, value[key]
        text = str(key)
        if text in value:
            return True, value[text]
        if text.lstrip("-").isdigit() and int(text) in value:
            return True, value[int(text)]
        for candidate, item in value.items():
            if not isinstance(candidate, str) and key_text(candidate) == text:
                return True, item
        return False, None
    if isinstance(value, list):
        try:
            index = int(key)
        except (TypeError, ValueError):
            return False, None
        if 0 <= index < len(value):
            return True, value[index]
    return False, None
