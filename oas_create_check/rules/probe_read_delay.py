"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-read-delay"
SEVERITY = Severity.INFO
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "The new resource is readable at once, not only after retries."
SOURCES = (
    ("RFC 9110 §15.3.2 (201 Created)", "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.2"),
)
DOC = """
## What it does
Reports a resource that answered `GET` on its `Location` only after one or more retries within
the propagation window (replication lag, an eventually consistent store), with the delay
measured.

## Why is this bad?
Clients read their new resource straight after creating it. A lag forces every one of them to
retry, and the ones that do not will show "not found" to their users. If the lag is by design,
document it; if not, the read path is behind the write path.

## Example
```
POST /pets -> 201, Location: /pets/17
GET /pets/17 -> 404    (after 0 ms)
GET /pets/17 -> 200    (after 310 ms)
```

## Use instead
```
GET /pets/17 -> 200    (at once)
```

## Options
`--propagation SECONDS` sets how long the probe waits before it gives up (`probe-read-after-create`).

## Fix safety
No fix: the server has to change, not the spec.
"""
