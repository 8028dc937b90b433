"""Record, then compare, what the tool says about every corpus spec: proof that a refactor changed
no behaviour.

For each root document of ``../shared/corpus`` it keeps three outputs of the installed command,
run from the corpus folder so that the file names in them do not depend on where the repository
is: ``--format json`` (every finding with its line and column, and every classified operation),
``--diff`` (the safe fixes) and ``--diff --unsafe-fixes``, plus each exit code. ``record`` writes
them to one JSON file; ``compare`` runs again and prints every spec whose outputs differ.

    python3 benchmarks/behaviour.py record before.json
    ... change the code ...
    python3 benchmarks/behaviour.py compare before.json      # exit 1 on any difference

Only the standard library: it drives the command line, so it keeps working when the package's
modules move.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
RUNS = {
    "json": ["--format", "json"],
    "diff": ["--diff"],
    "diff-unsafe": ["--diff", "--unsafe-fixes"],
}


def corpus_roots() -> list[str]:
    """Every root document of the corpus, relative to it (DigitalOcean's fragments excluded)."""
    found = sorted(
        p.relative_to(CORPUS).as_posix()
        for p in CORPUS.rglob("*")
        if p.suffix in (".yaml", ".yml", ".json")
    )
    return [p for p in found if not p.startswith("digitalocean/") or p.endswith("public.v2.yaml")]


def command() -> list[str]:
    found = shutil.which("oas-create-check")
    return [found] if found else [sys.executable, "-m", "oas_create_check"]


def run_one(spec: str) -> dict[str, object]:
    """The outputs of every run of one spec."""
    out: dict[str, object] = {}
    env = {**os.environ, "NO_COLOR": "1", "GITHUB_ACTIONS": ""}
    for name, args in RUNS.items():
        done = subprocess.run(
            [*command(), *args, spec],
            cwd=CORPUS,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        out[name] = {"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
    return out


def record_all(jobs: int) -> dict[str, object]:
    specs = corpus_roots()
    with ThreadPoolExecutor(jobs) as pool:
        return dict(zip(specs, pool.map(run_one, specs), strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["record", "compare"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    now = record_all(args.jobs)
    if args.mode == "record":
        args.file.write_text(json.dumps(now, indent=1, sort_keys=True))
        print(f"recorded {len(now)} specs into {args.file}")
        return 0
    before = json.loads(args.file.read_text())
    differ = 0
    for spec in sorted(set(before) | set(now)):
        old, new = before.get(spec), now.get(spec)
        if old == new:
            continue
        differ += 1
        print(f"== {spec}")
        for run in RUNS:
            a = json.dumps((old or {}).get(run), indent=1, sort_keys=True).splitlines()
            b = json.dumps((new or {}).get(run), indent=1, sort_keys=True).splitlines()
            for line in list(difflib.unified_diff(a, b, run, run, lineterm="", n=1))[:40]:
                print(line)
    print(f"{len(now)} specs compared, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
