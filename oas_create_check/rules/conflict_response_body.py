"""A 409/422 answer carries a body the client can act on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import Kind, Severity
from oas_create_check.rules import Problem

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "conflict-response-body"
SEVERITY = Severity.INFO
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A create's 409/422 response has a body (ideally RFC 9457 problem details)."
DOC = """
## What it does
Flags a `409` or `422` response of a `create` that documents no response body.

## Why is this bad?
A bare `409` tells the client that *something* conflicts, not what: the existing resource's URI,
which field collided, whether a retry may succeed. RFC 9457 problem details
(`application/problem+json` with `type`, `title`, `detail`) give clients a machine-readable way to
recognise "duplicate" and act on it; Zalando rule 176 requires them.

## Example
```yaml
responses:
  "409":
    description: Conflict
```

## Use instead
```yaml
responses:
  "409":
    description: A pet with this name already exists
    content:
      application/problem+json:
        schema: {$ref: "#/components/schemas/Problem"}
```

## Options
- `duplicate-statuses` (shared with `create-duplicate-policy`): which responses are checked
  (`409`, `422` by default).

## Fix safety
No fix: what the body says is the API designer's choice.
"""


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    for status in settings.duplicate_statuses:
        response = op.responses.get(status)
        if response is None or not status.startswith("4") or op.has_body(response):
            continue
        yield Problem(
            response.node,
            f"{status} response of {op.method.upper()} {op.path} has no body describing the conflict; "
            "it has only a description",
            response=response,
        )
