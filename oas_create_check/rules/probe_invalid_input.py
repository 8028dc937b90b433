"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-invalid-input"
SEVERITY = Severity.ERROR
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A create with an invalid body is refused with 400 or 422 and creates nothing."
SOURCES = (
    ("RFC 9110 §15.5.1 (400 Bad Request)", "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1"),
    (
        "RFC 9110 §15.5.21 (422 Unprocessable Content)",
        "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
    ),
)
DOC = """
## What it does
Sends bodies the schema rejects: one with a required property dropped, one with a property of
the wrong type. Flags an answer other than `400` or `422` (a `2xx` above all) and an item added
to the collection (counted through its list `GET`).

## Why is this bad?
A server that stores what its own contract forbids hands every reader a resource that breaks
them; "return 400 for invalid input instead of 201" is the guidance.

## Example
```
POST /pets {} -> 201 Created    (name is required)
```

## Use instead
```
POST /pets {} -> 422 Unprocessable Content
```

## Options
None.

## Fix safety
No fix: the server has to change, not the spec.
"""
