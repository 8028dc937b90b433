"""Merge the two blind labelling passes and the adjudication into ``tests/data/blind/labels.yaml``.

Each card was labelled twice, independently, by labellers who saw only the card and the guide
(``tests/data/blind/GUIDE.md``); a third read only the cards on which the two disagreed about
creation and decided. The final ``kind`` is the agreed one, else the adjudicated one; where the
two agreed on creation but not on the exact kind, the first labeller's kind stands.

    python3 benchmarks/blind_labels.py tests/data/blind/passes      # -> tests/data/blind/labels.yaml
    python3 benchmarks/blind_labels.py tests/data/blind2/passes     # -> tests/data/blind2/labels.yaml
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


def main(folder: Path) -> int:
    out = folder.parent / "labels.yaml"
    first, second = load(folder, "pass1-*.yaml"), load(folder, "pass2-*.yaml")
    decided = load(folder, "adjudicated.yaml")
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
            "note": a.get("note", ""),
        }
        if not agree:
            entry["adjudication"] = decided[card].get("note", "")
        merged.append(entry)
    header = (
        "# Blind labels of tests/data/blind/cards: two independent labellers per card (a, b), an\n"
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
