"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-create-status"
SEVERITY = Severity.ERROR
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "The running server answers a create with the status the spec declares (201, or 202 for an async create)."
SOURCES = (
    ("RFC 9110 §9.3.3 (POST)", "https://www.rfc-editor.org/rfc/rfc9110#section-9.3.3"),
    ("RFC 9110 §15.3.2 (201 Created)", "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.2"),
)
DOC = """
## What it does
Sends the operation's request (built from the spec's examples, else a seeded minimal instance
of its schema, else `--data`) and compares the answer's status with the declared ones. A `200`
where `201` is declared, any status the operation does not declare, and a request that gets no
answer (timeout, reset connection) are findings. A `4xx` to the probe's own valid request is
reported too: it usually means the body, the auth (`--header`) or a parent resource is wrong.

## Why is this bad?
A client written against the spec branches on the status: a `200` where `201` was promised
makes it treat a creation as a read or an update, and an undeclared status falls into its error
path. The spec is only worth what the server does with it.

## Example
```
POST /pets {"name": "Rex"}
-> 200 OK            (the spec declares 201)
```

## Use instead
```
POST /pets {"name": "Rex"}
-> 201 Created
   Location: /pets/17
```

## Options
`--data FILE` supplies the body or path parameters the probe cannot make up. `--timeout`, `--max-requests` and `--time-limit` bound every probe run.

## Fix safety
No fix: the server has to change, not the spec.
"""
