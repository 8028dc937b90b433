"""Property: whatever the bytes, the loader, the rules and the reporters raise nothing.

Mutated real specs and generated ones (``fuzz_cases``) go through the whole pipeline as the CLI
runs it. A file that cannot be used must come back as a ``SpecError`` in the result, never as an
exception, and every report must be printable. The CI budget is small (about a hundred cases, a
few seconds); ``HYPOTHESIS_LONG=1`` runs thousands, and ``benchmarks/fuzz_long.py`` runs tens of
thousands in worker processes (where even a segfault is caught and its input kept).
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import pytest
from fuzz_cases import OTHER, check, generated, mutate, seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LONG = os.environ.get("HYPOTHESIS_LONG") == "1"
SEEDS = seeds()

_budget = settings(
    deadline=None,
    database=None,  # a failure prints its reproducing example; nothing is written to the repo
    derandomize=not LONG,  # CI runs the same cases every time; the long run explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _case_folder() -> Path:
    """A fresh folder per example (hypothesis runs many examples per test function)."""
    return Path(tempfile.mkdtemp(prefix="oas-fuzz-"))


@settings(_budget, max_examples=5000 if LONG else 60)
@given(seed=st.sampled_from(SEEDS), rnd=st.randoms(use_true_random=False))
def test_mutated_real_specs_never_raise(seed: tuple[str, bytes], rnd: random.Random) -> None:
    name, data = seed
    other = mutate(OTHER, rnd) if rnd.random() < 0.3 else OTHER
    check(name, mutate(data, rnd), _case_folder(), other)


@settings(_budget, max_examples=5000 if LONG else 40)
@given(rnd=st.randoms(use_true_random=False))
def test_generated_specs_never_raise(rnd: random.Random) -> None:
    name, data = generated(rnd)
    if rnd.random() < 0.3:
        data = mutate(data, rnd)
    check(name, data, _case_folder())


@pytest.mark.parametrize("seed", SEEDS, ids=[name for name, _ in SEEDS])
def test_unmutated_seeds_load(seed: tuple[str, bytes], tmp_path: Path) -> None:
    """The seeds themselves (cut at a line end) are the baseline: most load as specs."""
    name, data = seed
    run = check(name, data, tmp_path)
    assert run.specs or run.errors or run.notices
