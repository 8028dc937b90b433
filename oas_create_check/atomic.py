"""Replacing a file atomically: the new bytes go to an fsynced temporary file in the same folder,
which is then renamed over the old one, so a full disk, a crash or ``kill -9`` leaves the old file
or the new one, never half of one. The fixer writes specs this way (``fix/write.py`` adds locks
and a check that the file did not change meanwhile); ``--output`` reports and baselines too.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from pathlib import Path

#: The temporary files' names end so: ``.NAME.xxxxxxxx.oas-create-check.tmp``.
TEMP_SUFFIX = ".oas-create-check.tmp"
#: A name ``write_temp`` gives, and nothing else: a dot, the file's name, 8 hex digits, the suffix.
_OUR_TEMP = re.compile(r"\..+\.[0-9a-f]{8}" + re.escape(TEMP_SUFFIX))
#: A temporary file this much older than now belongs to a run that was killed: no write takes an
#: hour, so no running fix can still be about to rename it.
STALE_SECONDS = 3600.0


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, keeping the mode (and, as root, the owner) of the
    file it replaces; a new file gets the mode ``open`` would give it (0666 less the umask). A
    symlink at ``path`` is replaced, not written through. Raises ``OSError``."""
    try:
        stats: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        stats = None
    temp = write_temp(path, data, stats)
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_dir(path.parent)


def write_temp(path: Path, data: bytes, stats: os.stat_result | None) -> str:
    """Write ``data`` to a new file next to ``path`` (same filesystem, so the rename is atomic)
    with ``stats``'s mode, and fsync it; returns its name. Without ``stats`` the file is created
    with 0666 less the umask, as a plain ``open`` would."""
    import secrets

    temp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if stats else 0o666)
    try:
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
        if stats is not None:
            os.fchmod(descriptor, stat.S_IMODE(stats.st_mode))
            if hasattr(os, "fchown") and os.geteuid() == 0:
                os.fchown(descriptor, stats.st_uid, stats.st_gid)
        os.fsync(descriptor)
    except BaseException:
        os.close(descriptor)
        os.unlink(temp)
        raise
    os.close(descriptor)
    return temp


def fsync_dir(folder: Path) -> None:
    """Make a rename itself durable (best effort: not every platform can open a directory)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def remove_stale_temps(folder: Path, now: float | None = None) -> None:
    """Delete the temporary files a killed run left in ``folder``: only regular files (not
    symlinks) whose names ``write_temp`` gives and that are older than ``STALE_SECONDS``. Best
    effort: a file that cannot be removed stays, and the write goes on."""
    limit = (time.time() if now is None else now) - STALE_SECONDS
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not _OUR_TEMP.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                os.unlink(entry.path)
