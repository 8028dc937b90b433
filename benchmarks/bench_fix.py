#!/usr/bin/env python3
"""What ``--fix`` costs compared with linting: whole-process wall times on copies of real specs.

For each spec (openai-openapi.yaml, box-openapi.json, the multi-file DigitalOcean tree):
  * lint          ``oas-create-check SPEC``
  * validation    one full openapi-spec-validator run on the spec (through validation.py's
                  sandbox, in its own process, import included)
  * fix --diff    ``oas-create-check --fix --diff SPEC`` (computes and verifies, writes nothing)
  * fix           ``oas-create-check --fix SPEC`` on a fresh copy each run
  * fix again     the same on the already fixed copy (the idempotent, nothing-to-do run)
and the ratio fix / (lint + validation). The target is at most 2: fixing verifies its result
with the validator, so "lint plus one validation" is the honest baseline.

Usage: python3 benchmarks/bench_fix.py [--runs 3] [--corpus DIR] [--unsafe]
Each cell is the median of --runs runs. Standard library only (plus the tool itself).
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPECS = ("openai-openapi.yaml", "box-openapi.json", "digitalocean/DigitalOcean-public.v2.yaml")
VALIDATE = (
    "import sys; from pathlib import Path; from oas_create_check.document import read_file; "
    "from oas_create_check.validation import validate; "
    "v = validate(read_file(Path(sys.argv[1]))); print(v.status, len(v.issues))"
)


def _default_corpus() -> Path:
    return REPO.parent / "shared" / "corpus"


def _tool(*args: str) -> list[str]:
    return [sys.executable, "-m", "oas_create_check", *args]


def _copy(corpus: Path, spec: str, into: Path) -> Path:
    """A writable copy of ``spec`` (with the whole tree of a multi-file spec)."""
    top = spec.split("/")[0]
    if "/" in spec:
        shutil.copytree(corpus / top, into / top)
    else:
        shutil.copyfile(corpus / spec, into / spec)
    for path in [into, *into.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return into / spec


def _time(command: list[str], prepare: Callable[[], None] | None = None) -> float:
    if prepare is not None:
        prepare()
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def _median(runs: int, command: list[str], prepare: Callable[[], None] | None = None) -> float:
    return statistics.median(_time(command, prepare) for _ in range(runs))


def bench(corpus: Path, runs: int, unsafe: bool) -> list[tuple[str, dict[str, float]]]:
    extra = ["--unsafe-fixes"] if unsafe else []
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        for spec in SPECS:
            if not (corpus / spec).exists():
                print(f"skipped {spec}: not in {corpus}", file=sys.stderr)
                continue
            pristine = base / "pristine"
            if pristine.exists():
                shutil.rmtree(pristine)
            pristine.mkdir()
            original = _copy(corpus, spec, pristine)
            work = base / "work"

            def fresh(work: Path = work, pristine: Path = pristine) -> None:
                if work.exists():
                    shutil.rmtree(work)
                shutil.copytree(pristine, work)

            target = work / spec
            cells = {
                "lint": _median(runs, _tool(str(original))),
                "validation": _median(runs, [sys.executable, "-c", VALIDATE, str(original)]),
                "fix --diff": _median(runs, _tool("--fix", "--diff", *extra, str(original))),
                "fix": _median(runs, _tool("--fix", *extra, str(target)), fresh),
                "fix again": _median(runs, _tool("--fix", *extra, str(target))),
            }
            cells["ratio"] = cells["fix"] / (cells["lint"] + cells["validation"])
            rows.append((spec, cells))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--unsafe", action="store_true", help="time --unsafe-fixes too")
    options = parser.parse_args()
    if not options.corpus.is_dir():
        print(f"corpus not found at {options.corpus}", file=sys.stderr)
        return 2
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    rows = bench(options.corpus, options.runs, options.unsafe)
    columns = ("lint", "validation", "fix --diff", "fix", "fix again", "ratio")
    print(f"| spec | {' | '.join(columns)} |")
    print("|---" * (len(columns) + 1) + "|")
    for spec, cells in rows:
        values = [f"{cells[c]:.2f}" + ("x" if c == "ratio" else " s") for c in columns]
        print(f"| {spec} | {' | '.join(values)} |")
    worst = max((cells["ratio"] for _, cells in rows), default=0.0)
    print(f"\nworst fix / (lint + validation): {worst:.2f}x (target <= 2x)")
    return 0 if worst <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
