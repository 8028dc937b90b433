"""Atomic, locked writes: each file is replaced by ``os.replace`` of an fsynced temporary file in
the same directory, with the original mode, under an advisory lock, and only if the file on disk
is still byte for byte what was read. ``kill -9`` leaves each file old or new.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from oas_create_check.atomic import fsync_dir, remove_stale_temps, write_temp

#: How long to wait for another process's lock on a file before giving up on it.
LOCK_TIMEOUT = 30.0


@dataclass(frozen=True)
class Disk:
    """A file as it is on disk: to detect a change before replacing it, and to encode the new
    text exactly as the old one was (BOM and encoding)."""

    size: int
    mtime_ns: int
    digest: str
    bom: bytes
    codec: str

    @classmethod
    def of(cls, raw: bytes, stats: os.stat_result) -> Disk:
        bom, codec = b"", "utf-8"
        for marker, name in _BOMS:
            if raw.startswith(marker):
                bom, codec = marker, name
                break
        return cls(stats.st_size, stats.st_mtime_ns, hashlib.sha256(raw).hexdigest(), bom, codec)

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


def read_disk(path: Path) -> tuple[bytes, Disk]:
    with path.open("rb") as handle:
        stats = os.fstat(handle.fileno())
        raw = handle.read()
    return raw, Disk.of(raw, stats)


# --------------------------------------------------------------------------------------------
# writing


def write_files(payload: Mapping[Path, tuple[Disk, bytes]]) -> dict[Path, Disk]:
    """Replace each file with its new bytes, all under advisory locks taken in path order, and
    only if each is still exactly what was read (else ``Stale``). Every temporary file is
    written and fsynced before the first is renamed, so a full disk leaves all files as they
    were. Returns what is on disk afterwards."""
    held: list[int] = []
    temps: dict[Path, str] = {}
    try:
        modes: dict[Path, os.stat_result] = {}
        for path in sorted(payload):
            descriptor = _lock(path)
            held.append(descriptor)
            stats = os.fstat(descriptor)
            expected = payload[path][0]
            if (stats.st_size, stats.st_mtime_ns) != (expected.size, expected.mtime_ns) or (
                hashlib.sha256(_read_all(descriptor)).hexdigest() != expected.digest
            ):
                raise Stale(str(path))
            modes[path] = stats
        for folder in sorted({path.parent for path in payload}):
            remove_stale_temps(folder)  # left by a fix that was killed before its rename
        for path, (_, data) in payload.items():
            temps[path] = write_temp(path, data, modes[path])
        for path in sorted(payload):
            os.replace(temps.pop(path), path)
        for folder in {path.parent for path in payload}:
            fsync_dir(folder)
        result: dict[Path, Disk] = {}
        for path, (_, data) in payload.items():
            result[path] = Disk.of(data, path.stat())
        return result
    finally:
        for temp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(temp)
        for descriptor in held:
            os.close(descriptor)  # releases the lock


def _lock(path: Path) -> int:
    """An open descriptor of ``path`` holding an exclusive ``flock``. Waits for another process
    holding it; if that process replaced the file meanwhile, locks the new one instead."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, still atomic
        return os.open(path, os.O_RDONLY)
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise OSError(
                            f"{path}: locked by another process for {LOCK_TIMEOUT:.0f} s"
                        ) from None
                    time.sleep(0.02)
            held, current = os.fstat(descriptor), os.stat(path)
        except BaseException:
            os.close(descriptor)
            raise
        if (held.st_dev, held.st_ino) == (current.st_dev, current.st_ino):
            return descriptor
        os.close(descriptor)


def _read_all(descriptor: int) -> bytes:
    os.lseek(descriptor, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(descriptor, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


class Stale(Exception):
    """A file is no longer what the fix was computed from (another process changed it)."""
