#!/usr/bin/env python3
"""What ``--fix`` costs compared with the plain lint of the same call, measured side by side.

Rows (whole-process wall times, each cell the median of --runs runs, lint and fix alternating
so that a busy machine slows both alike):
  * openai-openapi.yaml (3 MB, one file)
  * digitalocean/DigitalOcean-public.v2.yaml (multi-file)
  * apisguru/: the 236 specs in one call (a writable copy; the pool spreads them over --jobs)
  * generated specs with 1k, 4k and 16k creating POSTs (three fixes each): the curve, whose
    seconds per 1k fixes should stay roughly flat
For each: ``lint`` (``oas-create-check SPEC``), ``fix`` (``--fix`` on a fresh copy each run)
and the ratio fix / lint. The target is at most 3x for the real specs (docs/speed.md#fixing).

Usage: python3 benchmarks/bench_fix.py [--runs 3] [--corpus DIR] [--curve 1000,4000,16000]
Standard library only (plus the tool itself). Never writes into the corpus.
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
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPECS = ("openai-openapi.yaml", "digitalocean/DigitalOcean-public.v2.yaml", "apisguru")


def _default_corpus() -> Path:
    return REPO.parent / "shared" / "corpus"


def _tool(*args: str) -> list[str]:
    return [sys.executable, "-m", "oas_create_check", *args]


def _copy(source: Path, into: Path) -> None:
    """A writable copy of a file or a folder."""
    if source.is_dir():
        shutil.copytree(source, into)
    else:
        into.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, into)
    for path in [into, *into.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def _run(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def creating_posts(count: int) -> str:
    """An OpenAPI 3.0 document with ``count`` creating POSTs, each answering 201 with a body and
    no Location header, 400 or 409: three safe fixes per operation."""
    ref = "$ref: '#/components/schemas/Thing'"
    out = ["openapi: 3.0.3", "info:", "  title: Generated", "  version: '1'", "paths:"]
    for i in range(count):
        out += [
            f"  /things{i}:",
            "    post:",
            f"      operationId: createThing{i}",
            "      requestBody:",
            "        content:",
            "          application/json:",
            "            schema:",
            f"              {ref}",
            "      responses:",
            "        '201':",
            "          description: Created",
            "          content:",
            "            application/json:",
            "              schema:",
            f"                {ref}",
        ]
    out += ["components:", "  schemas:", "    Thing:", "      type: object", "      properties:"]
    out += ["        id:", "          type: string", "        name:", "          type: string"]
    return "\n".join(out) + "\n"


def side_by_side(pristine: Path, target: str, runs: int, scratch: Path) -> dict[str, float]:
    """Median lint and fix times of ``target`` (relative to ``pristine``), alternating."""
    lints, fixes = [], []
    for _ in range(runs):
        work = scratch / "work"
        if work.exists():
            shutil.rmtree(work)
        _copy(pristine, work)
        lints.append(_run(_tool(str(work / target))))
        fixes.append(_run(_tool("--fix", str(work / target))))
    lint, fix = statistics.median(lints), statistics.median(fixes)
    return {"lint": lint, "fix": fix, "ratio": fix / lint}


def bench(corpus: Path, runs: int, curve: list[int]) -> list[tuple[str, dict[str, float]]]:
    rows = []
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        for spec in SPECS:
            source = corpus / spec.split("/")[0]
            if not source.exists():
                print(f"skipped {spec}: not in {corpus}", file=sys.stderr)
                continue
            pristine = scratch / "pristine"
            if pristine.exists():
                shutil.rmtree(pristine)
            _copy(source, pristine / source.name)
            rows.append((spec, side_by_side(pristine, spec, runs, scratch)))
        for count in curve:
            pristine = scratch / "pristine"
            if pristine.exists():
                shutil.rmtree(pristine)
            pristine.mkdir()
            (pristine / "spec.yaml").write_text(creating_posts(count))
            cells = side_by_side(pristine, "spec.yaml", 1 if count > 4000 else runs, scratch)
            cells["s per 1k fixes"] = cells["fix"] / (3 * count / 1000)
            rows.append((f"{count} creating POSTs ({3 * count} fixes)", cells))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--curve", default="1000,4000,16000", help="POST counts ('' for none)")
    options = parser.parse_args()
    if not options.corpus.is_dir():
        print(f"corpus not found at {options.corpus}", file=sys.stderr)
        return 2
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    curve = [int(n) for n in options.curve.split(",") if n]
    rows = bench(options.corpus, options.runs, curve)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print("| spec | lint | fix | fix / lint | s per 1k fixes |")
    print("|---|---|---|---|---|")
    for spec, cells in rows:
        per = cells.get("s per 1k fixes")
        extra = f"{per:.2f} s" if per is not None else ""
        print(
            f"| {spec} | {cells['lint']:.2f} s | {cells['fix']:.2f} s | "
            f"{cells['ratio']:.1f}x | {extra} |"
        )
    real = [cells["ratio"] for spec, cells in rows if spec in SPECS]
    worst = max(real, default=0.0)
    print(f"\nworst fix / lint over the real specs: {worst:.1f}x (target <= 3x)")
    return 0 if worst <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
