"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-created-body"
SEVERITY = Severity.ERROR
APPLIES_TO = (Kind.CREATE,)
SUMMARY = (
    "The body of a 201 answer is JSON that validates against the schema the spec declares for it."
)
SOURCES = (
    ("RFC 9110 §15.3.2 (201 Created)", "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.2"),
)
DOC = """
## What it does
Validates the body of a `201` answer against the schema of the declared `201` response
(`$ref`s followed, OpenAPI's `nullable` honoured, `writeOnly` properties not required). A body
that is not JSON where JSON is declared is a finding too.

## Why is this bad?
Generated clients deserialize the answer with the declared type: a missing required property
or a wrong type breaks them at run time, far from the cause.

## Example
```
201 Created {"name": "Rex"}      (the schema requires id)
```

## Use instead
```
201 Created {"id": 17, "name": "Rex"}
```

## Options
None.

## Fix safety
No fix: the server has to change, not the spec.
"""
