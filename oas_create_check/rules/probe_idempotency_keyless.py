"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-idempotency-keyless"
SEVERITY = Severity.WARNING
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A create sent without its Idempotency-Key is answered as the spec documents."
SOURCES = (
    (
        "IETF draft: The Idempotency-Key HTTP Header Field",
        "https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/",
    ),
)
DOC = """
## What it does
Sends the create without the idempotency header. Where the spec marks the header `required`,
the answer must be a client error (the draft's `400`) and nothing may be created; where it is
optional, the answer must be the declared success status.

## Why is this bad?
A required key that the server does not require gives clients no protection from duplicates;
an optional key that the server in fact requires breaks every client that omits it.

## Example
```
POST /payments  (no Idempotency-Key; the spec says required) -> 201
```

## Use instead
```
POST /payments  (no Idempotency-Key) -> 400 Bad Request
```

## Options
`idempotency-headers` (config).

## Fix safety
No fix: the server has to change, not the spec.
"""
