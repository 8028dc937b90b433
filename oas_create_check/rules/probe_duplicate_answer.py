"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-duplicate-answer"
SEVERITY = Severity.WARNING
APPLIES_TO = (Kind.CREATE,)
SUMMARY = (
    "A duplicate create without a key gets the duplicate answer the spec documents (409/422/303)."
)
SOURCES = (
    ("RFC 9110 §15.5.10 (409 Conflict)", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10"),
    ("RFC 9457 (problem details)", "https://www.rfc-editor.org/rfc/rfc9457"),
)
DOC = """
## What it does
Where the operation documents a duplicate answer (`duplicate-statuses`, `409` and `422` by
default, or `303`), sends the probe's first body again without an idempotency key. Flags any
other answer, and a `303` without `Location`.

## Why is this bad?
The spec tells clients a duplicate is refused; if the server creates it instead, every retry
makes another copy and clients relying on the `409` never see it.

## Example
```
POST /users {"email": "a@example.com"} -> 201
POST /users {"email": "a@example.com"} -> 201   (a second user)
```

## Use instead
```
POST /users {"email": "a@example.com"} -> 409 Conflict
```

## Options
`duplicate-statuses` (config): the statuses that answer a duplicate.

## Fix safety
No fix: the server has to change, not the spec.
"""
