"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-accepted-monitor"
SEVERITY = Severity.ERROR
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A 202 answer of the running server points at a status monitor that answers."
DOC = """
## What it does
For a `202` answer, looks for a status monitor in the headers named by `monitor-headers`
(`Location` by default) or as a URL in the body (`href`, `statusUrl`, `monitor`...). Flags a
`202` with none, a monitor on another origin, and a monitor that does not answer `200`, `201` or
`303`.

## Why is this bad?
Without a monitor the client of an asynchronous create cannot learn whether, when or where the
resource appeared (RFC 9110 §15.3.3).

## Example
```
POST /reports -> 202 Accepted      (no Location, no body)
```

## Use instead
```
POST /reports -> 202 Accepted
Location: /reports/jobs/9
GET /reports/jobs/9 -> 200 {"status": "running"}
```

## Options
`monitor-headers` (config): the headers that carry a monitor, e.g. `Operation-Location`.

## Fix safety
No fix: the server has to change, not the spec.
"""
