"""docs/judgement.md documents every signal the judgement weighs, with the weight it has."""

from __future__ import annotations

import re

from conftest import REPO

from oas_create_check.spec.classify import WEIGHTS


def test_the_signal_table_matches_the_weights() -> None:
    text = (REPO / "docs" / "judgement.md").read_text(encoding="utf-8")
    documented = {
        name: float(weight)
        for name, weight in re.findall(r"^\| `([a-z0-9-]+)` \| ([+-]\d+\.\d) \|", text, re.M)
    }
    assert documented == WEIGHTS
