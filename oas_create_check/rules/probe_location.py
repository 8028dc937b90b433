"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-location"
SEVERITY = Severity.ERROR
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A 201 answer of the running server carries a Location header on the base URL's origin."
DOC = """
## What it does
Flags a `201` answer to a POST create without a `Location` header, with one that is not a URI
reference, or with one that points away from the `--base-url` origin (which the probe never
follows). A relative `Location` is resolved against the request URL.

## Why is this bad?
RFC 9110 §15.3.2: the `Location` of a `201` identifies the resource just created. Without
it the client must guess the new URI from the body, and a retry after a timeout cannot check
whether the first attempt succeeded.

## Example
```
POST /pets -> 201 Created      (no Location)
```

## Use instead
```
POST /pets -> 201 Created
Location: /pets/17
```

## Options
None.

## Fix safety
No fix: the server has to change, not the spec.
"""
