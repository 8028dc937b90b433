"""Run one command once and report its wall time and peak memory as one JSON line.

bench.py starts this script in a fresh Python process for every measurement, so that nothing but
the measured command is ever a child of it. The resource usage comes from ``os.wait4`` on that
child: the same numbers ``getrusage(RUSAGE_CHILDREN)`` would give, for exactly the command and the
descendants it waited for. ``ru_maxrss`` is the peak resident set of the largest single process in
that tree, which for the tools compared here (one Python, node or Go process each) is the tool.

A watchdog thread guards the machine: the command runs in its own session, and its whole process group
is killed on timeout or when the group's summed resident memory passes the cap (vacuum 0.8.5 takes
several GB on a 3 MB spec, so a 50 MB one would otherwise take the machine down).

Usage: python3 measure.py --timeout S --mem-cap-mb MB --stdout FILE --stderr FILE [--cwd DIR] -- CMD...
Prints: {"status": "exited"|"timeout"|"memcap", "exit": int|null, "signal": int|null,
         "wall_s": float, "maxrss_kb": int, "tree_rss_peak_kb": int}
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

#: How often the watchdog looks at the clock and at the group's memory. The command's exit is seen
#: at once (a blocking wait4 in the main thread), so this only bounds how late a kill comes.
POLL_S = 0.25
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def group_rss_kb(pgid: int) -> int:
    """Summed resident memory of every process in the group (threads share their process's RSS)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # Fields after the ")" that ends the command name: state ppid pgrp ... (rss is field 24).
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:
            total += int(fields[21]) * PAGE_KB
    return total


def kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


@dataclass
class Watchdog:
    """Kills the command's process group on timeout or memory cap, from a background thread."""

    pgid: int
    timeout_s: float
    mem_cap_kb: int
    verdict: str = "exited"
    peak_kb: int = 0
    done: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        deadline = time.monotonic() + self.timeout_s
        while not self.done.wait(POLL_S):
            if self.mem_cap_kb:
                self.peak_kb = max(self.peak_kb, group_rss_kb(self.pgid))
                if self.peak_kb > self.mem_cap_kb:
                    self.verdict = "memcap"
                    kill_group(self.pgid)
                    return
            if time.monotonic() > deadline:
                self.verdict = "timeout"
                kill_group(self.pgid)
                return


def measure(cmd: list[str], args: argparse.Namespace) -> dict[str, object]:
    """Run ``cmd`` once; wait4 gives the exact exit moment and the child tree's resource usage."""
    with open(args.stdout, "wb") as out, open(args.stderr, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=args.cwd,
            start_new_session=True,
        )
        dog = Watchdog(proc.pid, args.timeout, args.mem_cap_mb * 1024)
        thread = threading.Thread(target=dog.run, daemon=True)
        thread.start()
        _, wait_status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        dog.done.set()
        thread.join()
    code = os.waitstatus_to_exitcode(wait_status)
    proc.returncode = code  # reaped by wait4 above; tell Popen so it does not wait again
    kill_group(proc.pid)  # leftovers (daemons, workers) must not outlive the measurement
    return {
        "status": dog.verdict,
        "exit": code if code >= 0 else None,
        "signal": -code if code < 0 else None,
        "wall_s": round(wall, 4),
        "maxrss_kb": usage.ru_maxrss,
        "tree_rss_peak_kb": dog.peak_kb,
    }


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    if "--" not in argv:
        raise SystemExit("measure.py: missing '--' before the command")
    split = argv.index("--")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--mem-cap-mb", type=int, default=0, help="0: no cap")
    parser.add_argument("--stdout", required=True)
    parser.add_argument("--stderr", required=True)
    parser.add_argument("--cwd", default=None)
    return parser.parse_args(argv[:split]), argv[split + 1 :]


def main(argv: list[str]) -> int:
    args, cmd = parse_args(argv)
    try:
        result = measure(cmd, args)
    except OSError as exc:  # command not found, not executable, bad cwd
        result = {"status": "error", "error": str(exc)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
