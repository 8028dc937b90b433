#!/usr/bin/env python3
"""Time ``Locator`` (``load/locate.py``) alone on the lookups a real lint run makes, against a git revision.

The pointers come from one ``lint_paths`` run per spec with ``Locator.locate`` wrapped to record
its arguments (cached in ``benchmarks/results/positions-pointers.json``, gitignored). Each timed
run builds a fresh ``Locator(text, is_json)`` and locates every recorded pointer in the order the
run asked for them; the cell is the median of ``--runs`` runs. The baseline is the module as of
``--base`` (default HEAD), loaded from ``git show`` into the same process, so both columns share
one interpreter, one warm file cache and one machine state. Both must give the same answers.

``--worst`` adds the bounded-worst-case check: random offsets and random pointers, in random
order, on the largest text.

Usage: python3 benchmarks/bench_positions.py [--runs 7] [--base REV] [--worst] [SPEC ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CACHE = REPO / "benchmarks" / "results" / "positions-pointers.json"
DEFAULT_SPECS = (
    str(REPO.parent / "shared/corpus/openai-openapi.yaml"),
    str(REPO.parent / "shared/corpus/box-openapi.json"),
    str(REPO / "benchmarks/.peers/generated/gen-folded-1mb.yaml"),
    str(REPO / "benchmarks/.peers/generated/gen-20mb.yaml"),
    str(REPO / "benchmarks/.peers/generated/gen-50mb.yaml"),
)


def record(spec: str) -> list[list[str]]:
    """The pointers a whole lint run of ``spec`` asks the locator for, in order."""
    from oas_create_check.config import load_settings
    from oas_create_check.load import locate as positions
    from oas_create_check.run.lint import lint_paths

    calls: list[list[str]] = []
    original = positions.Locator.locate

    def locate(self: Any, pointer: Sequence[str | int]) -> tuple[int, int]:
        calls.append([str(part) for part in pointer])
        return original(self, pointer)

    positions.Locator.locate = locate  # type: ignore[method-assign]
    try:
        lint_paths([Path(spec)], load_settings(Path.cwd(), None), 1)
    finally:
        positions.Locator.locate = original  # type: ignore[method-assign]
    return calls


def pointers_for(specs: Sequence[str]) -> dict[str, list[list[str]]]:
    cached: dict[str, list[list[str]]] = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    missing = [spec for spec in specs if spec not in cached]
    for spec in missing:
        cached[spec] = record(spec)
    if missing:
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps(cached))
    return {spec: cached[spec] for spec in specs}


def load_revision(rev: str) -> ModuleType:
    source = subprocess.run(
        ["git", "show", f"{rev}:oas_create_check/load/locate.py"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader(f"positions_{rev}", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    exec(compile(source, f"{rev}:positions.py", "exec"), module.__dict__)
    return module


def median_time(run: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def locate_all(
    module: Any, text: str, is_json: bool, ptrs: Sequence[Sequence[str]], runs: int
) -> tuple[float, object]:
    """Median time of a fresh ``module.Locator`` locating every pointer, and its answers."""

    def run() -> list[tuple[int, int]]:
        locator = module.Locator(text, is_json)
        return [locator.locate(pointer) for pointer in ptrs]

    return median_time(run, runs)


def line_cols(
    module: Any, text: str, is_json: bool, offsets: Sequence[int], runs: int
) -> tuple[float, object]:
    """Median time of a fresh ``module.Locator`` answering ``line_col`` for every offset."""

    def run() -> list[tuple[int, int]]:
        locator = module.Locator(text, is_json)
        return [locator.line_col(offset) for offset in offsets]

    return median_time(run, runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("specs", nargs="*", default=list(DEFAULT_SPECS))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--base", default="HEAD")
    parser.add_argument("--worst", action="store_true")
    args = parser.parse_args()

    from oas_create_check.load import locate as current

    base = load_revision(args.base)
    pointers = pointers_for(args.specs)
    print(f"{'spec':<24} {'lookups':>7} {args.base[:10]:>10} {'working':>10} {'ratio':>6}")
    for spec, ptrs in pointers.items():
        text = Path(spec).read_text(encoding="utf-8-sig")
        is_json = spec.endswith(".json")
        cells = [locate_all(module, text, is_json, ptrs, args.runs) for module in (base, current)]
        (t_base, r_base), (t_new, r_new) = cells
        assert r_base == r_new, f"{spec}: answers differ"
        name = Path(spec).name
        print(f"{name:<24} {len(ptrs):>7} {t_base:>10.4f} {t_new:>10.4f} {t_base / t_new:>6.1f}")

    if args.worst:
        spec = max(args.specs, key=lambda s: Path(s).stat().st_size)
        text = Path(spec).read_text(encoding="utf-8-sig")
        is_json = spec.endswith(".json")
        rng = random.Random(1)
        offsets = [rng.randrange(len(text) + 1) for _ in range(3000)]
        ptrs = list(pointers[spec])
        rng.shuffle(ptrs)
        answers = []
        for module, label in ((base, args.base[:10]), (current, "working")):
            t_off, by_offset = line_cols(module, text, is_json, offsets, 3)
            t_ptr, by_pointer = locate_all(module, text, is_json, ptrs, 3)
            answers.append((by_offset, by_pointer))
            print(
                f"worst case {Path(spec).name} [{label}]: 3000 random offsets {t_off:.4f} s, "
                f"{len(ptrs)} shuffled pointers {t_ptr:.4f} s"
            )
        assert answers[0] == answers[1], "worst case: answers differ"


if __name__ == "__main__":
    main()
