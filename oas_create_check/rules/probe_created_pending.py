"""Checked by ``oas-create-check probe`` against a running server (``probe/checks.py``); the
lint has nothing to run for it."""

from __future__ import annotations

from oas_create_check.model import Kind, Severity

ID = "probe-created-pending"
SEVERITY = Severity.WARNING
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A 201 answer does not describe a resource that is still being created."
DOC = """
## What it does
Flags a `201` whose body has a status-like property (`status`, `state`, `provisioningState`,
`phase`...) with a value that says the work is not done: `pending`, `queued`, `creating`,
`provisioning`, `in_progress`...

## Why is this bad?
`201 Created` says the resource exists now. A resource still being built is an asynchronous
create: RFC 9110 gives it `202 Accepted` and a status monitor, so that clients wait instead of
using something that is not there yet.

## Example
```
POST /pets -> 201 {"id": 17, "status": "pending"}
```

## Use instead
```
POST /pets -> 202 Accepted
Location: /pets/jobs/9
```

## Options
None.

## Fix safety
No fix: the server has to change, not the spec.
"""
