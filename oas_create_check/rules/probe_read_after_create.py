"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-read-after-create"
SEVERITY = Severity.ERROR
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A GET on the new resource's Location answers 200 with the resource just created, within the propagation window."
SOURCES = (
    ("RFC 9110 §10.2.2 (Location)", "https://www.rfc-editor.org/rfc/rfc9110#section-10.2.2"),
    ("RFC 9110 §15.3.2 (201 Created)", "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.2"),
)
DOC = """
## What it does
Follows the `Location` of a `201` with `GET`, retrying with backoff for the propagation window
(`--propagation`, 2 s by default). Flags a `Location` that never answers `200`, and a `200` whose
body is not the resource just created: another identifier than the create's answer, or a body
that does not validate against the schema of the item's `GET`.

## Why is this bad?
A `Location` that 404s is a promise the server cannot keep; a client that reads its new
resource back (the most common next step) fails, or worse, reads another one.

## Example
```
POST /pets -> 201, Location: /pets/17
GET /pets/17 -> 404 Not Found (still, 2 s later)
```

## Use instead
```
GET /pets/17 -> 200 OK {"id": 17, "name": "Rex"}
```

## Options
`--propagation SECONDS`: how long a new resource may take to become readable (default 2).

## Fix safety
No fix: the server has to change, not the spec.
"""
