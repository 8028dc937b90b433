"""Merge the two blind labelling passes and the adjudication into ``tests/data/blind/labels.yaml``.

Each card was labelled twice, independently, by labellers who saw only the card and the guide
(``tests/data/blind/GUIDE.md``); a third read only the cards on which the two disagreed about
creation and decided. The final ``kind`` is the agreed one, else the adjudicated one; where the
two agreed on creation but not on the exact kind, the first labeller's kind stands.

    python3 benchmarks/blind_labels.py tests/data/blind/passes      # -> tests/data/blind/labels.yaml
    python3 benchmarks/blind_labels.py tests/data/blind2/passes     # -> tests/data/blind2/labels.yaml
    python3 benchmarks/blind_labels.py tests/data/blind4/passes     # -> tests/data/blind4/labels.yaml

The later sets rotate batches between labellers (``hN-bNN.yaml``: labeller N's pass over batch
NN, two labellers per batch); the first two sets have ``pass1-*.yaml`` and ``pass2-*.yaml``. When
the two disagree about creation and ``adjudicated.yaml`` does not decide the card yet, the cards
are listed in ``disagreements.md`` for the adjudicator and nothing is merged.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

CREATION = {"create", "upsert"}


def load(folder: Path, pattern: str) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for file in sorted(folder.glob(pattern)):
        for entry in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            found[str(entry["id"])] = entry
    return found


def passes(folder: Path) -> tuple[dict[str, dict[str, object]], dict[str, dict[str, object]]]:
    """The two passes over every card, each entry tagged with its labeller (``by``)."""
    if any(folder.glob("pass1-*.yaml")):
        return load(folder, "pass1-*.yaml"), load(folder, "pass2-*.yaml")
    by_batch: dict[str, list[Path]] = {}
    for file in sorted(folder.glob("h*-b*.yaml")):
        by_batch.setdefault(file.stem.split("-")[1], []).append(file)
    first: dict[str, dict[str, object]] = {}
    second: dict[str, dict[str, object]] = {}
    for batch, files in sorted(by_batch.items()):
        if len(files) != 2:
            sys.exit(f"batch {batch}: {len(files)} passes, not 2")
        for side, file in zip((first, second), files, strict=True):
            for entry in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
                side[str(entry["id"])] = {**entry, "by": file.stem.split("-")[0]}
    return first, second


Passes = dict[str, dict[str, object]]


def disagreements(folder: Path, cards: list[str], first: Passes, second: Passes) -> None:
    """What the adjudicator reads: the card and both labellers' kinds and reasons."""
    lines = ["# Cards where the two labellers disagree about creation", ""]
    for card in cards:
        lines += [f"## {card} (card: cards/{card}.md)", ""]
        for entry in (first[card], second[card]):
            unsure = f" (unsure: {entry.get('note', '')})" if entry.get("unsure") else ""
            lines.append(
                f"- labeller {entry.get('by', '?')}: {entry['kind']} — {entry['why']}{unsure}"
            )
        lines.append("")
    (folder / "disagreements.md").write_text("\n".join(lines), encoding="utf-8")


def main(folder: Path) -> int:
    out = folder.parent / "labels.yaml"
    first, second = passes(folder)
    decided = load(folder, "adjudicated.yaml")
    split = [
        c
        for c in sorted(first)
        if (first[c]["kind"] in CREATION) != (second[c]["kind"] in CREATION)
    ]
    if any(c not in decided for c in split):
        disagreements(folder, split, first, second)
        print(f"{len(split)} cards need adjudication: {folder / 'disagreements.md'}")
        return 1
    merged = []
    for card in sorted(first):
        a, b = first[card], second[card]
        agree = (a["kind"] in CREATION) == (b["kind"] in CREATION)
        final = a["kind"] if agree else decided[card]["kind"]
        entry = {
            "id": card,
            "kind": final,
            "unsure": bool(a.get("unsure") or b.get("unsure")),
            "labeller_a": a["kind"],
            "labeller_b": b["kind"],
            "note": a.get("note") or a.get("why", ""),
        }
        if not agree:
            entry["adjudication"] = decided[card].get("note", "")
        merged.append(entry)
    header = (
        f"# Blind labels of {folder.parent.name}/cards: two independent labellers per card (a, b), an\n"
        "# adjudicator where they disagreed about creation. Written before any tool verdict was seen.\n"
    )
    out.write_text(header + yaml.safe_dump(merged, sort_keys=False, allow_unicode=True, width=100))
    agree_creation = sum(
        (e["labeller_a"] in CREATION) == (e["labeller_b"] in CREATION) for e in merged
    )
    agree_kind = sum(e["labeller_a"] == e["labeller_b"] for e in merged)
    print(f"{len(merged)} cards; agreement on creation {agree_creation}, on kind {agree_kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
