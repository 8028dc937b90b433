"""Peak memory of a lint whose YAML spec is parsed in two processes (``split.py``).

bench.py's peak RSS comes from ``wait4``: the largest single process of the run. For a YAML spec
over 1 MB, oas-create-check forks a child that checks the schema store while the parent parses the
rest, so the run's memory is the parent's and the child's together. This script runs the lint
in-process and prints both peaks, and their sum: an upper bound, since the child's figure includes
the pages it shares with the parent (the text, the interpreter).

Usage: python3 benchmarks/split_rss.py SPEC...   (with oas-create-check importable)
"""

from __future__ import annotations

import contextlib
import subprocess
import sys


def measure(spec: str) -> tuple[int, int]:
    """(parent peak, child peak) in MB for one lint of ``spec``, in a fresh interpreter."""
    code = (
        "import contextlib, io, resource, sys\n"
        "from oas_create_check.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main([sys.argv[1], '--format', 'json'])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, spec], capture_output=True, text=True, check=True
    ).stdout
    parent_kb, child_kb = (int(n) for n in out.split())
    return parent_kb // 1024, child_kb // 1024


def main(specs: list[str]) -> None:
    print("| spec | parent peak MB | child peak MB | sum (upper bound) |")
    print("|---|---|---|---|")
    for spec in specs:
        parent, child = measure(spec)
        print(f"| {spec.rsplit('/', 1)[-1]} | {parent} | {child or '-'} | {parent + child} |")


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        main(sys.argv[1:])
