#!/usr/bin/env python3
"""Which generator makes valid request bodies for more of the corpus's creates: the probe's own
(examples first, then a seeded minimal instance: ``probe/generate.py``) or Schemathesis as a
library (``schema[path][method].as_strategy()``, one drawn case per operation).

For every operation the judgement calls a create and whose request body is JSON, in every
root spec of the corpus (``../shared/corpus``), each generator is asked for one body, and the
body is validated against the request schema (``$ref``s inlined, OpenAPI's dialect translated:
``probe/schema.py``, jsonschema-rs). An exception, a timeout or an invalid body all count as a
miss. Prints the counts and the time each took. Needs the ``compare`` extra.

Usage: python3 benchmarks/probe_generators.py [--corpus DIR] [--limit N] [--timeout S]
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Timeout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--limit", type=int, default=0, help="stop after N operations")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per generation")
    args = parser.parse_args(argv)

    from conftest import corpus_specs

    from oas_create_check.probe.build import CannotBuild, _body_schema
    from oas_create_check.probe.generate import CannotGenerate, build_body
    from oas_create_check.probe.runner import creates, load
    from oas_create_check.probe.schema import json_schema, validator
    from oas_create_check.settings import Settings

    warnings.filterwarnings("ignore")
    signal.signal(signal.SIGALRM, _alarm)
    totals = {"operations": 0, "own": 0, "schemathesis": 0, "own_s": 0.0, "st_s": 0.0}
    both_missed: list[str] = []
    only_own: list[str] = []
    only_st: list[str] = []
    specs = [p for p in corpus_specs() if args.corpus in p.parents]
    for spec_path in specs:
        try:
            spec, records, _ = load(spec_path, Settings())
        except Exception as exc:  # a corpus spec the lint cannot read: not this comparison's
            print(f"skip {spec_path.name}: {exc}", file=sys.stderr)
            continue
        st_schema = None
        for op, _record in creates(spec, records):
            try:
                found = _body_schema(op)
            except CannotBuild:
                continue
            if found is None or found[0] is None:
                continue
            node, candidates, _ = found
            schema = json_schema(node, spec.workspace, "request")
            valid = validator(schema, spec.version.startswith("3.1"))
            name = f"{spec_path.relative_to(args.corpus)} {op.method.upper()} {op.path}"
            totals["operations"] += 1
            started = time.perf_counter()
            try:
                build_body(candidates, schema, valid, 0)
                own = True
            except CannotGenerate:
                own = False
            totals["own_s"] += time.perf_counter() - started
            started = time.perf_counter()
            theirs = False
            try:
                signal.setitimer(signal.ITIMER_REAL, args.timeout)
                if st_schema is None:
                    import schemathesis

                    st_schema = schemathesis.openapi.from_path(str(spec_path))
                case = st_schema[op.path][op.method.upper()].as_strategy().example()
                theirs = valid(case.body) is None
            except (Exception, _Timeout):
                theirs = False
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            totals["st_s"] += time.perf_counter() - started
            totals["own"] += own
            totals["schemathesis"] += theirs
            if not own and not theirs:
                both_missed.append(name)
            elif own and not theirs:
                only_own.append(name)
            elif theirs and not own:
                only_st.append(name)
            if args.limit and totals["operations"] >= args.limit:
                break
        if args.limit and totals["operations"] >= args.limit:
            break
    n = totals["operations"]
    print(f"creates with a JSON body: {n}")
    print(
        f"own generator:  {totals['own']} valid ({totals['own'] / max(n, 1):.0%}), {totals['own_s']:.1f} s"
    )
    print(
        f"Schemathesis:   {totals['schemathesis']} valid ({totals['schemathesis'] / max(n, 1):.0%}), {totals['st_s']:.1f} s"
    )
    print(
        f"only own: {len(only_own)}; only Schemathesis: {len(only_st)}; neither: {len(both_missed)}"
    )
    for title, names in (("only Schemathesis", only_st), ("neither", both_missed)):
        for name in names[:15]:
            print(f"  {title}: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
