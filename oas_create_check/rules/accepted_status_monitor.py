"""An asynchronous create tells the client where to watch for the result."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import AddEntry, Applicability, Fix, Kind, Severity
from oas_create_check.rules import Problem
from oas_create_check.rules import _remedies as remedies

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "accepted-status-monitor"
SEVERITY = Severity.WARNING
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "The 202 response of a create points at a status monitor (Location header or a body)."
DOC = """
## What it does
Flags the `202 Accepted` response of a `create` that has neither a status-monitor header
(`Location` by default, compared case-insensitively) nor a response body that could describe the
pending operation.

## Why is this bad?
RFC 9110 §15.3.3: a `202` "ought to" describe the request's current status and point to a status
monitor. Without one, the client of an asynchronous create has no way to learn whether, when and
where the resource appeared, except by polling the collection. Microsoft's guidelines use
`Operation-Location`; Google AIP-151 returns a long-running operation in the body.

## Example
```yaml
responses:
  "202":
    description: Accepted
```

## Use instead
```yaml
responses:
  "202":
    description: Accepted
    headers:
      Location:
        description: URI of a status monitor for the request.
        schema: {type: string, format: uri-reference}
```

## Options
- `monitor-headers` (default `["Location"]`): headers accepted as a status monitor, e.g.
  `Operation-Location` (Microsoft) or `Azure-AsyncOperation`.

## Fix safety
Safe: adds a `Location` header described as the status monitor to the `202` response where it is
defined. The header is documentation of what clients may poll; it changes no payload.
"""


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    accepted = op.responses.get("202")
    if accepted is None:
        return
    headers = op.headers(accepted)
    if any(name.lower() in headers for name in settings.monitor_headers) or op.has_body(accepted):
        return
    target = accepted.node
    has = f"it has headers {', '.join(sorted(headers))}" if headers else "it has no headers"
    value = remedies.location_header(op.spec, target.file, monitor=True)
    fix = Fix(
        "add a Location header pointing at the status monitor",
        Applicability.SAFE,
        (
            AddEntry(
                target.file.key,
                (*target.pointer, "headers"),
                settings.monitor_headers[0],
                value,
            ),
        ),
    )
    yield Problem(
        target,
        f"202 response of {op.method.upper()} {op.path} points at no status monitor: no "
        f"{'/'.join(settings.monitor_headers)} header and no body; {has}",
        fix,
        response=accepted,
    )
