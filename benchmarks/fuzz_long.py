"""Long fuzzing run: tens of thousands of mutated and generated specs through the whole pipeline.

    python benchmarks/fuzz_long.py --cases 25000 --workers 4 [--out fuzz-out]

The cases and the oracle are ``tests/fuzz_cases.py`` (the same ones ``tests/test_fuzz.py`` runs in
CI with a small budget). Here each worker is a separate process that writes every case to disk
before running it, so that a case that kills the interpreter (a segfault in a C parser) or hangs
is still known: the parent restarts the worker past it and keeps the input. A case that raises
is saved with its traceback; one slower than ``--slow`` seconds is saved too (a hang in the
making). The summary (counts, outcome mix, failures) is printed and written to
``OUT/summary.json``; a non-empty failure list exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent / "tests"


def _case(seed_list: list[tuple[str, bytes]], rnd: random.Random) -> tuple[str, str, bytes, bytes]:
    """(kind, file name, bytes, bytes of other.yaml) of one case."""
    from fuzz_cases import OTHER, generated, mutate

    other = mutate(OTHER, rnd) if rnd.random() < 0.3 else OTHER
    if seed_list and rnd.random() < 0.6:
        name, data = rnd.choice(seed_list)
        return "mutated", name, mutate(data, rnd), other
    name, data = generated(rnd)
    if rnd.random() < 0.3:
        data = mutate(data, rnd)
    return "generated", name, data, other


def worker(seed: int, start: int, stop: int, out: Path, slow: float) -> None:
    """Run cases ``start..stop`` of stream ``seed``; one JSON line per case, for the parent to
    follow."""
    sys.path.insert(0, str(TESTS))
    from fuzz_cases import check, seeds

    seed_list = seeds()
    current = out / f"current-{seed}"
    outcomes: Counter[str] = Counter()
    slowest = 0.0
    for index in range(start, stop):
        rnd = random.Random(f"{seed}:{index}")
        kind, name, data, other = _case(seed_list, rnd)
        (current.with_suffix(".bin")).write_bytes(data)
        (current.with_suffix(".json")).write_text(json.dumps({"index": index, "name": name}))
        folder = Path(tempfile.mkdtemp(prefix="oas-fuzz-"))
        began = time.monotonic()
        try:
            run = check(name, data, folder, other)
            outcomes[
                f"{kind}:" + ("spec" if run.specs else "error" if run.errors else "notice")
            ] += 1
        except BaseException as exc:  # everything: the point is to see what escapes
            outcomes[f"{kind}:raised"] += 1
            stem = out / f"fail-{seed}-{index}"
            stem.with_suffix(".input").write_bytes(data)
            stem.with_suffix(".txt").write_text(f"{name}\n{traceback.format_exc()}")
            if isinstance(exc, KeyboardInterrupt):
                raise
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        elapsed = time.monotonic() - began
        slowest = max(slowest, elapsed)
        if elapsed > slow:
            (out / f"slow-{seed}-{index}.input").write_bytes(data)
        # Every case is reported, so that one killing the process loses no count.
        report = {"index": index + 1, "outcomes": outcomes, "slowest": slowest}
        print(json.dumps(report), flush=True)
        outcomes, slowest = Counter(), 0.0


def supervise(seed: int, cases: int, out: Path, slow: float, hang: float) -> dict[str, Any]:
    """Run one worker stream to the end, restarting it past any case that crashed or hung."""
    totals: Counter[str] = Counter()
    crashes: list[str] = []
    slowest = 0.0
    done = 0
    while done < cases:
        command = [sys.executable, __file__, "--worker", str(seed), str(done), str(cases)]
        command += ["--out", str(out), "--slow", str(slow)]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        lines: queue.Queue[str | None] = queue.Queue()
        reader = threading.Thread(target=_pump, args=(child, lines), daemon=True)
        reader.start()
        while True:
            try:
                line = lines.get(timeout=hang)
            except queue.Empty:
                child.kill()
                break
            if line is None:
                break
            report = json.loads(line)
            done = report["index"]
            totals.update(report["outcomes"])
            slowest = max(slowest, report["slowest"])
        child.wait()
        if child.returncode == 0:
            continue
        why = "hang" if child.returncode == -9 else f"exit {child.returncode}"
        current = out / f"current-{seed}"
        index = json.loads(current.with_suffix(".json").read_text())["index"]
        shutil.copy(current.with_suffix(".bin"), out / f"crash-{seed}-{index}.input")
        crashes.append(f"{why} at case {seed}:{index}")
        totals["crashed"] += 1
        done = index + 1
    return {"outcomes": totals, "crashes": crashes, "slowest": slowest}


def _pump(child: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    """Hand the worker's progress lines to the supervisor; ``None`` when the worker is gone."""
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip():
            lines.put(line)
    lines.put(None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=25_000, help="total cases (all workers)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    parser.add_argument("--slow", type=float, default=5.0, help="seconds that make a case 'slow'")
    parser.add_argument("--hang", type=float, default=120.0, help="seconds without progress")
    parser.add_argument("--worker", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.worker:
        seed, start, stop = args.worker
        worker(seed, start, stop, args.out, args.slow)
        return 0

    from concurrent.futures import ThreadPoolExecutor

    began = time.monotonic()
    share = -(-args.cases // args.workers)
    with ThreadPoolExecutor(args.workers) as pool:
        streams = list(
            pool.map(
                lambda seed: supervise(seed, share, args.out, args.slow, args.hang),
                range(args.workers),
            )
        )
    outcomes: Counter[str] = Counter()
    for stream in streams:
        outcomes.update(stream["outcomes"])
    failures = sorted(p.name for p in args.out.glob("fail-*.txt"))
    summary = {
        "cases": sum(v for k, v in outcomes.items() if k != "crashed") + outcomes["crashed"],
        "seconds": round(time.monotonic() - began, 1),
        "outcomes": dict(sorted(outcomes.items())),
        "failures": failures,
        "crashes": [c for stream in streams for c in stream["crashes"]],
        "slow_cases": sorted(p.name for p in args.out.glob("slow-*.input")),
        "slowest_seconds": round(max(s["slowest"] for s in streams), 2),
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 1 if failures or summary["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
