"""An inline suppression hides something (``--report-unused-suppressions``)."""

from __future__ import annotations

from oas_create_check.model import Severity

ID = "unused-suppression"
SEVERITY = Severity.WARNING
APPLIES_TO = ()
SUMMARY = "An inline suppression hides at least one finding (opt-in: --report-unused-suppressions)."
ENABLED_BY_DEFAULT = False
SOURCES = (("ruff: unused-noqa (RUF100)", "https://docs.astral.sh/ruff/rules/unused-noqa/"),)
DOC = """
## What it does
With `--report-unused-suppressions` (or the rule selected), reports each name in an
`x-oas-create-check: {ignore: [...]}` list that hid no finding in this run: the rule would report
nothing there, or does not apply to the operation's kind. `ignore: [all]` is reported when it hid
nothing at all. Only rules that ran are judged: with `--select`, a suppression of a rule left out
is not reported.

## Why is this bad?
A suppression that hides nothing is noise, and it will silently hide a real problem if one ever
appears there: after a fix, the suppression should go.

## Example
```yaml
post:
  x-oas-create-check: {ignore: [create-location-header]}  # the 201 has a Location header
  responses:
    "201": {description: created, headers: {Location: {schema: {type: string}}}}
```

## Use instead
```yaml
post:
  responses:
    "201": {description: created, headers: {Location: {schema: {type: string}}}}
```

## Options
Off by default; `--report-unused-suppressions` turns it on.

## Fix safety
No fix.
"""
