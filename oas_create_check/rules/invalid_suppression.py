"""An ``x-oas-create-check: {ignore: [...]}`` names only rules that exist."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.escape import did_you_mean
from oas_create_check.model import Severity
from oas_create_check.rules import Problem, all_rules

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Spec

ID = "invalid-suppression"
SEVERITY = Severity.ERROR
APPLIES_TO = ()
SUMMARY = "An inline suppression names only rules that exist (or all)."
SOURCES = (("ruff: unused-noqa (RUF100)", "https://docs.astral.sh/ruff/rules/unused-noqa/"),)
DOC = """
## What it does
Reports each name in an `x-oas-create-check: {ignore: [...]}` list, on an operation or a
response, that is not a rule of this tool (nor `all`), with the closest rule name when there is
one.

## Why is this bad?
A misspelt rule name suppresses nothing, silently: the finding it was meant to hide comes back, or
worse, the author believes a rule is silenced on purpose when it is not, and the next reader
cannot tell what was intended.

## Example
```yaml
post:
  x-oas-create-check: {ignore: [create-location-headers]}
```

## Use instead
```yaml
post:
  x-oas-create-check: {ignore: [create-location-header]}
```

## Options
None. `oas-create-check rules` lists every rule name.

## Fix safety
No fix: the intended rule is for the author to say.
"""


def check_spec(spec: Spec, settings: Settings) -> Iterator[Problem]:
    from oas_create_check.spec.suppression import EVERY_RULE, every_suppression

    known = set(all_rules())
    for entry in every_suppression(spec):
        if entry.name not in known and entry.name not in EVERY_RULE:
            hint = did_you_mean(entry.name, sorted(known))
            yield Problem(
                entry.node,
                f"x-oas-create-check ignores {entry.name!r}, which is not a rule{hint}",
            )
