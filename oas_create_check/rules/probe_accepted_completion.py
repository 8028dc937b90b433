"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-accepted-completion"
SEVERITY = Severity.WARNING
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A polled status monitor reaches completion within the bound and leads to the resource."
SOURCES = (
    ("RFC 9110 §15.3.3 (202 Accepted)", "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.3"),
)
DOC = """
## What it does
Polls the monitor of a `202` with backoff until it says the work is done (`303` to the
resource, `201` with `Location`, or a body whose status is `succeeded`, `completed`, `done`...)
or `--async-wait` runs out. Flags a monitor that never finishes, one that reports failure, and
a resource link that does not answer `200`.

## Why is this bad?
An asynchronous create that never completes, or completes without saying where its result is,
leaves the client polling forever.

## Example
```
GET /reports/jobs/9 -> 200 {"status": "running"}   (still, after 10 s)
```

## Use instead
```
GET /reports/jobs/9 -> 303 See Other
Location: /reports/41
```

## Options
`--async-wait SECONDS`: how long to poll a monitor (default 10).

## Fix safety
No fix: the server has to change, not the spec.
"""
