"""An asynchronous create tells the client where to watch for the result."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import AddEntry, Applicability, Fix, Kind, Severity
from oas_create_check.rules import Problem
from oas_create_check.rules import _remedies as remedies
from oas_create_check.spec.resource import Resource, every_post_declares

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "accepted-status-monitor"
SEVERITY = Severity.WARNING
APPLIES_TO = (Kind.CREATE,)
SUMMARY = (
    "The 202 response of a create points at a status monitor: a Location header, or a body "
    "with a job id or a status URL."
)
DOC = """
## What it does
Flags the `202 Accepted` response of a `create` that has no status-monitor header (`Location` by
default, compared case-insensitively) and either no response body at all, or a body whose schema
lists its properties (through `$ref` and `allOf`, across files) and offers neither a job id
(`id`, `*_id`, `name`, `uuid`...) nor a URL to poll (`href`, `self`, `url`, `*_url`, `links`,
`location`...). A body whose properties are left open (`oneOf`, a free-form object, a plain
string) is given the benefit of the doubt, and so is an empty `202` that (nearly) every POST of
the spec declares: that is a generator's default (springfox), not a statement about the
operation.

## Why is this bad?
RFC 9110 §15.3.3 (https://www.rfc-editor.org/rfc/rfc9110#section-15.3.3): a `202` "ought to"
describe the request's current status and point to a status monitor. An empty `202` is a dead
end for the client: it has no way to learn whether, when and where the resource appeared, except
by polling the collection; a body with nothing to follow (`{"message": "accepted"}`) is no
better. Microsoft's guidelines use `Operation-Location`
(https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#long-running-operations--jobs);
Google AIP-151 (https://google.aip.dev/151) returns a long-running operation, named by its
`name`, in the body.

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
defined (for an empty `202` and for a body with nothing to follow alike). The header is
documentation of what clients may poll; it changes no payload.
"""


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    accepted = op.responses.get("202")
    if accepted is None:
        return
    headers = op.headers(accepted)
    if any(name.lower() in headers for name in settings.monitor_headers):
        return
    monitors = "/".join(settings.monitor_headers)
    if op.has_body(accepted):
        names = Resource.of(op).names_nothing(accepted)
        if names is None:
            return
        listed = ", ".join(sorted(names)[:6]) + (", ..." if len(names) > 6 else "")
        missing = (
            f"no {monitors} header, and its body holds only plain values ({listed}), no job id "
            "and no URL to poll"
        )
    elif every_post_declares(op.spec, "202"):
        return  # an empty 202 on every POST is a generator's default, not this operation's
    else:
        has = f"it has headers {', '.join(sorted(headers))}" if headers else "it has no headers"
        missing = f"no {monitors} header and no body; {has}"
    target = accepted.node
    value = remedies.location_header(op.spec, target.file, monitor=True).value
    fix = Fix(
        "add a Location header pointing at the status monitor",
        Applicability.SAFE,
        (
            AddEntry(
                target.file.key,
                (*target.pointer, "headers"),
                settings.monitor_headers[0],
                value,
                "header",
            ),
        ),
    )
    yield Problem(
        target,
        f"202 response of {op.method.upper()} {op.path} points at no status monitor: {missing}",
        fix,
        response=accepted,
    )
