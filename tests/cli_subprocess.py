"""Running the real CLI in a child process, for inputs that could crash or hang it.

A parser that overflows its C stack kills the whole process with SIGSEGV: run in-process, that would
take pytest down with it instead of failing one test. In a child, a crash is a negative return code
and a hang is a timeout, and both become ordinary test failures with the evidence attached.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

#: Every run must end within this many seconds: the promise is "within seconds", not "eventually".
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Outcome:
    """What one CLI run produced, with its wall time and the peak memory of the child (bytes)."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int


def run_cli(
    *args: str | Path,
    cwd: Path,
    timeout: float = DEFAULT_TIMEOUT,
    env: dict[str, str] | None = None,
) -> Outcome:
    """``python -m oas_create_check ARGS`` in ``cwd``; fails the calling test on a crash (killed by
    a signal), a traceback on stderr, or a run longer than ``timeout`` seconds."""
    command = [sys.executable, "-m", "oas_create_check", *map(str, args)]
    start = time.monotonic()
    child = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    streams: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda n=n, s=s: streams.__setitem__(n, s.read()), daemon=True)
        for n, s in (("out", child.stdout), ("err", child.stderr))
    ]
    for reader in readers:
        reader.start()
    # wait4, not Popen.wait: it also gives this child's own peak memory.
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > timeout:
            child.kill()
            os.wait4(child.pid, 0)
            child.returncode = -9
            raise AssertionError(f"{command} did not finish within {timeout} s")
        time.sleep(0.005)
    seconds = time.monotonic() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    stdout = streams.get("out", b"").decode("utf-8", "replace")
    stderr = streams.get("err", b"").decode("utf-8", "replace")
    code = child.returncode
    assert code >= 0, f"killed by signal {-code}: {command}\n{stderr[-2000:]}"
    assert "Traceback" not in stderr, stderr[-4000:]
    # ru_maxrss is in kilobytes on Linux.
    return Outcome(code, stdout, stderr, seconds, usage.ru_maxrss * 1024)
