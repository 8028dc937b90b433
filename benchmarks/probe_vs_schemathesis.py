#!/usr/bin/env python3
"""Side by side: which defects of the probe's reference API (tests/probe_server.py) each tool
catches. For the correct server and for each defect, in a fresh server on 127.0.0.1:

  * ``oas-create-check probe fixtures/probe/reference.yaml --base-url URL``: the rules found;
  * ``st run fixtures/probe/reference.yaml --url URL --checks all -n N --seed S``: the
    Schemathesis failure codes of its summary (``ST302 Created resource not found`` ...).

A Schemathesis failure (its code, the operation, and for an undocumented status the status)
counts as catching a defect when it does not occur on the correct server with the same seed (its failures there are noise for this comparison: the reference spec does
not document every 404, and random sequences delete what others created). Needs the
``compare`` and ``test`` extras. Usage: python3 benchmarks/probe_vs_schemathesis.py [-n 25]
[--seed 1] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))
SPEC = REPO / "fixtures" / "probe" / "reference.yaml"
_SECTION = re.compile(r"^_+ ([A-Z]+ /\S*) _+$")
_FAILURE = re.compile(r"^- (ST\d+ .+)$")
_RECEIVED = re.compile(r"^\s+Received: (\d+)$")


def schemathesis(url: str, examples: int, seed: int) -> set[str]:
    """Every failure Schemathesis reports, as "CODE Title on METHOD /path" (with the status
    received, for undocumented ones)."""
    with tempfile.TemporaryDirectory() as scratch:  # Schemathesis keeps a cache in its cwd
        done = _st(url, examples, seed, scratch)
    found: set[str] = set()
    operation, last = "", ""
    for line in done.stdout.splitlines():
        if section := _SECTION.match(line):
            operation = section.group(1)
        elif failure := _FAILURE.match(line):
            last = f"{failure.group(1)} on {operation}"
            found.add(last)
        elif (received := _RECEIVED.match(line)) and last.startswith("ST103"):
            found.discard(last)
            found.add(f"{last} ({received.group(1)})")
    return found


def _st(url: str, examples: int, seed: int, scratch: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "st",
            "run",
            str(SPEC),
            "--url",
            url,
            "--checks",
            "all",
            "-n",
            str(examples),
            "--seed",
            str(seed),
            "--no-color",
            "--request-timeout",
            "5",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=scratch,
    )


def probe(url: str) -> set[str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "oas_create_check",
            "probe",
            str(SPEC),
            "--base-url",
            url,
            "--format",
            "json",
            "--propagation",
            "1",
            "--async-wait",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )
    return {f["rule"] for f in json.loads(done.stdout)["findings"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from probe_server import DEFECTS, make_app, serve

    rows: list[tuple[str, set[str], set[str]]] = []
    for defect in [None, *DEFECTS]:
        app = make_app()
        found: list[set[str]] = []
        for tool in (probe, lambda url: schemathesis(url, args.n, args.seed)):
            app.state.probe.reset(defect)
            with serve(app) as url:
                found.append(tool(url))
        rows.append((defect or "(correct server)", found[0], found[1]))
        print(
            f"{defect or '(correct)'}: probe {sorted(found[0])}; schemathesis {sorted(found[1])}",
            flush=True,
        )
    baseline = rows[0][2]
    print("\n| defect | probe finds | Schemathesis: failures not seen on the correct server |")
    print("|---|---|---|")
    for defect, mine, theirs in rows:
        new = sorted(theirs - baseline) if defect != "(correct server)" else sorted(theirs)
        print(
            f"| {defect} | {', '.join(sorted(mine)) or 'nothing'} | {', '.join(new) or 'nothing'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
