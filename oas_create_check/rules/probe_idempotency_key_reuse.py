"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-idempotency-key-reuse"
SEVERITY = Severity.ERROR
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "Reusing an Idempotency-Key with a different body is refused and creates nothing."
SOURCES = (
    (
        "IETF draft: The Idempotency-Key HTTP Header Field",
        "https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/",
    ),
)
DOC = """
## What it does
Sends the key of an earlier create again with a different body. Flags an answer that is not a
client error (the draft asks for `422`) and a reuse that added an item to the collection.

## Why is this bad?
A key reused with another payload is a client bug; accepting it silently either drops the new
request (returning the old result) or creates a second resource under a key meant to prevent
that.

## Example
```
POST /payments  Idempotency-Key: k1 {"amount": 10} -> 201
POST /payments  Idempotency-Key: k1 {"amount": 99} -> 201
```

## Use instead
```
POST /payments  Idempotency-Key: k1 {"amount": 99} -> 422 Unprocessable Content
```

## Options
`idempotency-headers` (config).

## Fix safety
No fix: the server has to change, not the spec.
"""
