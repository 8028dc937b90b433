"""Bytes -> documents: reading, decoding, parsing and ``$ref`` resolution across files.

This module is the one place for input hardening. Everything a user (or a stranger's pull request)
can hand us passes through here first: binary files, bad encodings, alias bombs, deep nesting,
duplicate keys, remote references and references that climb out of the spec's directory. Each turns
into a ``SpecError`` (the file cannot be used at all) or a ``RefProblem`` (one reference cannot be
followed); nothing else escapes.

Speed: data comes from ``json.loads`` or the Rust ``yaml_rs`` parser, which keep no positions.
Positions are computed only for the few nodes a finding points at (``positions.py``).
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .model import Pointer, pointer_from_str, pointer_to_str
from .positions import Locator, duplicate_key_offset

if TYPE_CHECKING:
    from .split import Store

#: Larger documents are refused before parsing: memory stays bounded whatever the input.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Deeper block nesting crashes yaml-rs (its recursion is not guarded: the process dies at about
#: 10,000 levels), so it is refused by a pre-scan. Real specs nest a few dozen levels.
MAX_BLOCK_NESTING = 1000
#: An alias expanding into more nodes than this is an alias bomb, not an API description.
MAX_ALIAS_EVENTS = 2_000_000
#: Smaller YAML texts are parsed whole, without even importing ``split.py``: a fork and a
#: second parse cost more than they save.
SPLIT_MIN_CHARS = 1_000_000
#: A chain of ``$ref`` to ``$ref`` longer than this is treated as a cycle.
MAX_REF_HOPS = 64

#: The pre-scans map every byte to a class and search the result for a literal: one C pass over
#: the bytes, where a regex over 100 MB takes seconds. Each level of block nesting costs at least
#: one character before a line's first token: a space of indentation or a compact ``- ``, ``? ``
#: or ``: `` (properties such as ``&a`` or ``!t`` cannot stand between them), so a line starting
#: with ``MAX_BLOCK_NESTING`` of them is too deep. A line starts after LF or after CR: YAML breaks
#: lines at a lone CR too.
_NESTING_CLASSES = bytes(
    ord("i") if byte in b" \t?:-" else ord("\n") if byte in b"\n\r" else ord(".")
    for byte in range(256)
)
_DEEP_LINE = b"\n" + b"i" * MAX_BLOCK_NESTING
#: Python refuses to turn an integer of more than 4,300 digits into text
#: (``sys.get_int_max_str_digits``), so one in a spec would make any message quoting it raise.
_INT_DIGITS = 4300
_DIGIT_CLASSES = bytes(ord("d") if byte in b"0123456789abcdefABCDEF" else 0 for byte in range(256))
_LONG_DIGIT_RUN = b"d" * _INT_DIGITS
_BLANK = re.compile(r"\s*")
_FIRST_CHAR = re.compile(r"\S")
_YAML_ERROR_LINE = re.compile(r"line (\d+), column (\d+)")
_OPENAPI_KEYS = ("openapi", "swagger")


class SpecError(Exception):
    """A file that cannot be read or parsed. Shown as ``file:line: message`` and exits with 2."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[SpecError], tuple[str, str, int | None]]:
        # Results of worker processes (``lint_paths(jobs=...)``) travel pickled.
        return (SpecError, (self.file, self.message, self.line))

    def __str__(self) -> str:
        # Printed to stderr, which a CI log reads too: file names and parser verdicts quote
        # untrusted text, so control characters and workflow commands are escaped.
        from .reporters import printable

        where = f"{self.file}:{self.line}" if self.line else self.file
        return printable(f"{where}: {self.message}")


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
            keys = self._locate().keys(pointer)
            return list(self.store.names) if keys is None else keys
        found, value = self.value_at(pointer)
        return list(value) if found and isinstance(value, dict) else []

    def _locate(self) -> Locator:
        if self._locator is None:
            self._locator = Locator(self.text, self.is_json)
        return self._locator

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        """1-based (line, column) of the node at ``pointer``, or of its nearest existing parent."""
        return self._locate().locate(pointer)

    @property
    def is_openapi(self) -> bool:
        return isinstance(self.partial, dict) and any(k in self.partial for k in _OPENAPI_KEYS)


def display_path(path: Path) -> str:
    """The path as users see it in findings: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def decode(raw: bytes, display: str) -> str:
    """Bytes -> text. UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read; anything
    else that is not UTF-8, and binary data, is refused with the line of the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _decode_with(raw, "utf-32", display)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_with(raw, "utf-16", display)
    if b"\x00" in raw[:8192]:
        raise SpecError(display, "binary file (contains NUL bytes), not a YAML or JSON document")
    return _decode_with(raw, "utf-8", display)


def _decode_with(raw: bytes, encoding: str, display: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1 if encoding == "utf-8" else None
        raise SpecError(
            display, f"not valid {encoding.upper()} (byte {exc.start}: {exc.reason})", line
        ) from None


def parse(text: str, display: str, is_json: bool) -> Any:
    """Text -> data, with every parser failure turned into a ``SpecError`` naming the line."""
    if _BLANK.fullmatch(text):
        raise SpecError(display, "empty file")
    if is_json:
        return _parse_json(text, display)
    encoded = text.encode("utf-8", "surrogatepass")
    offset = _deep_line(encoded)
    if offset is not None:
        line = _line_at(encoded, offset)
        raise SpecError(display, f"nesting deeper than {MAX_BLOCK_NESTING} levels: refused", line)
    long_number = _has_long_digit_run(encoded)
    del encoded
    import yaml_rs

    try:
        data = load_yaml(text)
    except yaml_rs.YAMLDecodeError as exc:
        raise _yaml_error(text, display, str(exc)) from None
    except (RecursionError, MemoryError):
        raise SpecError(display, "nesting too deep to be an API description") from None
    except ValueError as exc:  # not a YAMLDecodeError: Python's limit on integer digits
        raise _number_error(text, display, exc) from None
    except Exception as exc:
        # The parser's own failures (a mapping used as a key inside a key, say) surface as plain
        # TypeErrors: whatever the file holds, the user gets a message, never a traceback.
        raise SpecError(display, f"invalid YAML: the parser failed ({exc})") from None
    if long_number and _has_huge_int(data):
        raise _number_error(text, display, ValueError("digits"))
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data):
        if len(data) > 1:
            raise SpecError(display, f"{len(data)} YAML documents in one file; expected one")
        data = data[0]
    return data


def load_yaml(text: str) -> Any:
    """The one call of the YAML parser, with the options every YAML text is read with. Raises the
    parser's exceptions; ``parse`` turns them into messages."""
    import yaml_rs

    return yaml_rs.loads(
        text,
        parse_datetime=False,
        alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_EVENTS),
    )


def _deep_line(encoded: bytes) -> int | None:
    """Byte offset of the first line nested deeper than ``MAX_BLOCK_NESTING``, if any."""
    if (b"\n" + encoded[:MAX_BLOCK_NESTING]).translate(_NESTING_CLASSES) == _DEEP_LINE:
        return 0
    found = encoded.translate(_NESTING_CLASSES).find(_DEEP_LINE)
    return found + 1 if found >= 0 else None


def _has_long_digit_run(encoded: bytes) -> bool:
    """Whether a run of digits is long enough that the parsed data must be checked for an
    integer Python cannot print."""
    return encoded.translate(_DIGIT_CLASSES).find(_LONG_DIGIT_RUN) >= 0


def prescan_clean(text: str) -> bool:
    """Whether ``parse``'s pre-scans pass ``text`` without a remark. Both look at one line at a
    time, so a text cut at line starts passes exactly when each of its pieces does."""
    encoded = text.encode("utf-8", "surrogatepass")
    return _deep_line(encoded) is None and not _has_long_digit_run(encoded)


class _DuplicateKey(ValueError):
    """Raised inside ``json.loads`` by the object hook; turned into a ``SpecError`` by the caller."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Object hook refusing duplicate keys: ``json.loads`` would silently keep the last one, so a
    spec could say one thing to this tool and another to a reader or another tool. YAML's
    duplicates are refused too."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _parse_json(text: str, display: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise SpecError(
            display, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno
        ) from None
    except RecursionError:
        raise SpecError(display, "nesting too deep to be an API description") from None
    except _DuplicateKey as exc:
        offset = duplicate_key_offset(text, is_json=True)
        line = text.count("\n", 0, offset) + 1 if offset is not None else None
        key = _quoted(str(exc))
        raise SpecError(display, f"invalid JSON: duplicate key {key}", line) from None
    except ValueError as exc:  # Python's limit on integer digits
        raise _number_error(text, display, exc) from None


def _quoted(key: str) -> str:
    """A key quoted for a message, cut short: it is spec text and may be long."""
    return json.dumps(key if len(key) <= 80 else key[:80] + "…")


def _number_error(text: str, display: str, exc: ValueError) -> SpecError:
    if "digits" not in str(exc):
        return SpecError(display, f"cannot read: {exc}")
    encoded = text.encode("utf-8", "surrogatepass")
    found = encoded.translate(_DIGIT_CLASSES).find(_LONG_DIGIT_RUN)
    line = _line_at(encoded, found) if found >= 0 else None
    return SpecError(display, f"a number with more than {_INT_DIGITS:,} digits: refused", line)


def _has_huge_int(data: Any) -> bool:
    """Whether ``data`` holds an integer too long for ``str()``: every message or report that
    printed it would raise. Only called when the text has such a run of digits (rarely)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, int) and value.bit_length() > 14_000:
            try:
                str(value)
            except ValueError:
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            stack.extend(value)
    return False


def _line_at(encoded: bytes, offset: int) -> int:
    """1-based line of a byte offset, counting lines the way YAML does (LF, CRLF or a lone CR)."""
    crlf = encoded.count(b"\r\n", 0, offset)
    return encoded.count(b"\n", 0, offset) + encoded.count(b"\r", 0, offset) - crlf + 1


def _yaml_error(text: str, display: str, message: str) -> SpecError:
    """Make a parser message short and give it a line. The Rust parser echoes the offending source
    line, which may be megabytes long or hold another file's secrets: keep only its verdict."""
    lines = [ln for ln in message.splitlines() if ln.strip()]
    verdict = lines[-1].strip() if lines else message
    if verdict.startswith("^") or verdict.startswith("|"):
        verdict = lines[0]
    found = _YAML_ERROR_LINE.search(message)
    line = int(found.group(1)) if found else None
    first = lines[0] if lines else message
    if first.startswith("duplicate mapping key"):
        verdict = first
        line = _duplicate_key_line(text)
    elif "alias replay limit" in first:
        verdict = "too many alias expansions (a YAML alias bomb?): refused"
    elif "recursion limit" in message:
        verdict = "nesting too deep to be an API description"
    elif first.startswith("Invalid tag"):
        verdict = first.split(":")[0] + " (YAML tags that construct objects are not allowed)"
    verdict = verdict.removeprefix("YAML parse error: ")
    if len(verdict) > 200:
        verdict = verdict[:200] + "…"
    return SpecError(display, f"invalid YAML: {verdict}", line)


def _duplicate_key_line(text: str) -> int | None:
    """The line of the first duplicated mapping key (keys compared as written); only runs on the
    error path."""
    offset = duplicate_key_offset(text, is_json=False)
    return text.count("\n", 0, offset) + 1 if offset is not None else None


def looks_like_json(path: Path, text: str) -> bool:
    first = _FIRST_CHAR.search(text)
    return path.suffix.lower() == ".json" or (first is not None and first.group() in "{[")


def real_path(path: Path) -> Path:
    """The absolute path with every symlink followed, never raising: ``Path.resolve`` raises
    ``RuntimeError`` on a symlink loop, which a stranger's repository may well contain."""
    return Path(os.path.realpath(path))


def read_bytes(path: Path, shown: str) -> bytes:
    """The bytes of a regular file, at most ``MAX_FILE_BYTES`` of them. The file is opened without
    blocking and checked on the open descriptor, so a FIFO, a device or a directory is refused
    instead of hanging or streaming forever, and a file that lies about its size is cut off."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise SpecError(shown, "no such file") from None
    except IsADirectoryError:
        raise SpecError(shown, "is a directory") from None
    except PermissionError:
        raise SpecError(shown, "permission denied") from None
    except OSError as exc:
        raise SpecError(shown, f"cannot read: {exc.strerror or exc}") from None
    except ValueError:  # a NUL character: no such file can exist
        raise SpecError(shown, "not a valid file name") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SpecError(shown, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise SpecError(shown, "not a regular file (a device, FIFO or socket): refused")
        if info.st_size > MAX_FILE_BYTES:
            raise SpecError(shown, f"file too large ({info.st_size} bytes; limit {MAX_FILE_BYTES})")
        with os.fdopen(fd, "rb") as handle:
            fd = -1  # the handle owns it now
            # One byte more than the size, to notice a file that grew or reports none (/proc).
            raw = handle.read(info.st_size + 1)
            if len(raw) > info.st_size:
                raw += handle.read(MAX_FILE_BYTES + 1 - len(raw))
    except OSError as exc:
        raise SpecError(shown, f"cannot read: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise SpecError(shown, f"file too large (over {MAX_FILE_BYTES} bytes)")
    return raw


def read_file(path: Path, display: str | None = None, *, lazy: bool = False) -> SourceFile:
    """Read, decode and parse one file. ``lazy``: a large YAML spec may hold back its schema store
    until something asks for it (``split.py``, ``SourceFile``); an error in it is then known only
    to ``SourceFile.verified()``, which the caller must ask before reporting (``lint._outcome``)."""
    shown = display or display_path(path)
    raw = read_bytes(path, shown)
    text = decode(raw, shown)
    del raw  # a large spec's bytes need not stay alive while its text is parsed
    if lazy and len(text) >= SPLIT_MIN_CHARS and not looks_like_json(path, text):
        from .split import parse_split

        split = parse_split(text)
        if split is not None:
            partial, store = split
            return SourceFile(path, shown, text, partial, is_json=False, store=store)
    data, is_json = parse_text(path, shown, text)
    return SourceFile(path=path, display=shown, text=text, partial=data, is_json=is_json)


def parse_text(path: Path, display: str, text: str) -> tuple[Any, bool]:
    """Parse a file's text: JSON by suffix or first character, falling back to YAML for a
    non-``.json`` file (a YAML file may start with ``{``). Returns the data and whether it was
    read as JSON. The fixer parses its results through here too, so both read alike."""
    is_json = looks_like_json(path, text)
    try:
        return parse(text, display, is_json), is_json
    except SpecError:
        if not is_json or path.suffix.lower() == ".json":
            raise
        return parse(text, display, False), False


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
                text = _key_text(key)
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


def _key_text(key: object) -> str:
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
            if not isinstance(candidate, str) and _key_text(candidate) == text:
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

    def __init__(self, root: SourceFile, root_dir: Path | None = None, lazy: bool = False) -> None:
        self.root = root
        self.root_dir = real_path(root_dir or root.path.parent)
        self.lazy = lazy  # read referenced files with read_file(lazy=True): see SourceFile
        self._files: dict[Path, SourceFile] = {real_path(root.path): root}
        self._broken: dict[Path, str] = {}
        self.problems: dict[tuple[str, Pointer], RefProblem] = {}

    def preload(self, files: Mapping[Path, SourceFile]) -> None:
        """Use these in-memory files instead of reading the disk (the fixer lints its edited
        texts before writing them). Keys are real paths, as ``real_path`` gives them."""
        self._files.update(files)

    @property
    def files(self) -> list[SourceFile]:
        return list(self._files.values())

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
        target = real_path(base.path.parent / name)
        if not target.is_relative_to(self.root_dir):
            raise RefError("reference leaves the spec's root directory: refused")
        if target in self._files:
            return self._files[target]
        if target in self._broken:
            raise RefError(self._broken[target])
        try:
            loaded = read_file(target, lazy=self.lazy)
        except SpecError as exc:
            message = f"cannot use {exc}"
            self._broken[target] = message
            raise RefError(message) from None
        self._files[target] = loaded
        return loaded


def ref_between(source: SourceFile, target: SourceFile, pointer: Pointer) -> str:
    """The ``$ref`` text that, written in ``source``, points at ``pointer`` in ``target``; a whole
    other file is named without an empty fragment (``conflict.yml``, not ``conflict.yml#``)."""
    fragment = "#" + pointer_to_str(pointer)
    if source.path == target.path:
        return fragment
    relative = os.path.relpath(target.path, source.path.parent).replace(os.sep, "/")
    return relative + fragment if pointer else relative
