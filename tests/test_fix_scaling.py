"""The indexes that keep one fix pass near-linear in its number of fixes answer exactly what the
scans they replaced answered (no timing here: benchmarks/bench_fix.py measures the curve)."""

from __future__ import annotations

import random

from oas_create_check.fix.edits import Edit, EditIndex, overlaps
from oas_create_check.load.locate import Locator


def _random_edit(rng: random.Random) -> Edit:
    start = rng.randrange(40)
    if rng.random() < 0.6:
        column = rng.choice([None, 0, 2, 4])
        return Edit(start, start, "x", column)
    return Edit(start, start + rng.randrange(1, 6), "y")


def test_edit_index_agrees_with_pairwise_overlaps() -> None:
    rng = random.Random(20261206)
    for _ in range(300):
        index, taken = EditIndex(), []
        for _ in range(30):
            edit = _random_edit(rng)
            expected = any(overlaps(edit, other) for other in taken)
            assert index.conflicts(edit) == expected, (edit, taken)
            if not expected:
                index.add(edit)
                taken.append(edit)


def test_walk_finds_the_last_of_a_key_written_twice() -> None:
    text = "a: 1\nb:\n  c: 2\nb:\n  d: 3\n"
    depth, chain = Locator(text, is_json=False).walk(("b", "d"))
    assert depth == 2
    assert chain[-1][1].value == "3"
    depth, _ = Locator(text, is_json=False).walk(("b", "c"))
    assert depth == 1  # the first 'b' is not the one the loaders keep


def test_walk_through_a_large_mapping_in_json() -> None:
    paths = ", ".join(f'"/p{i}": {{"post": {{"n": {i}}}}}' for i in range(500))
    locator = Locator('{"paths": {' + paths + "}}", is_json=True)
    depth, chain = locator.walk(("paths", "/p321", "post", "n"))
    assert depth == 4
    key, _ = chain[-1]
    assert key is not None and key.value == "n"
