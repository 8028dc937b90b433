"""The language server with one rule that raises on every operation, for
``tests/test_lsp.py::test_a_crashing_rule_is_logged_and_the_rest_still_served``."""

from __future__ import annotations

from dataclasses import replace

from oas_create_check.lsp import serve
from oas_create_check.rules import all_rules

CRASHING = "create-duplicate-policy"


def _explode(*args: object) -> None:
    raise RuntimeError("a bug in this rule")


if __name__ == "__main__":
    rules = all_rules()  # cached: the engine sees the same table
    rules[CRASHING] = replace(rules[CRASHING], check=_explode)
    serve()
