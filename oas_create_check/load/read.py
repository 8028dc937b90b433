"""Bytes from disk, hardened: whatever a stranger's pull request names (a FIFO, a device, a
directory, a 100 GB file, a symlink loop, a non-UTF-8 or binary file) becomes a ``SpecError``
naming the file, never a hang or a traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Larger documents are refused before parsing: memory stays bounded whatever the input.
MAX_FILE_BYTES = 256 * 1024 * 1024


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
        from oas_create_check.escape import printable

        where = f"{self.file}:{self.line}" if self.line else self.file
        return printable(f"{where}: {self.message}")


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
