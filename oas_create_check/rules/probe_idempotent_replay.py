"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-idempotent-replay"
SEVERITY = Severity.ERROR
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "Replaying a create with the same Idempotency-Key and body returns the first result and creates nothing."
DOC = """
## What it does
Where the operation documents an idempotency header (`idempotency-headers`, `Idempotency-Key`
by default), sends the create twice with the same key and body. Flags a replay answered with
another status, another `Location` or identifier, or that added an item to the collection
(counted through the collection's list `GET` where the spec has one).

## Why is this bad?
The key exists so that a client may retry after a timeout without creating twice (IETF
draft-ietf-httpapi-idempotency-key-header). A server that documents the header and ignores it
creates duplicates exactly when the network is unreliable.

## Example
```
POST /payments  Idempotency-Key: k1 -> 201, Location: /payments/1
POST /payments  Idempotency-Key: k1 -> 201, Location: /payments/2
```

## Use instead
```
POST /payments  Idempotency-Key: k1 -> 201, Location: /payments/1
POST /payments  Idempotency-Key: k1 -> 201, Location: /payments/1
```

## Options
`idempotency-headers` (config): the header names that carry the key.

## Fix safety
No fix: the server has to change, not the spec.
"""
