"""A 303 answer to a duplicate POST says where the existing resource is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import AddEntry, Applicability, Fix, Kind, Severity
from oas_create_check.rules import Problem
from oas_create_check.rules import _remedies as remedies

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation, Response

ID = "duplicate-see-other"
SEVERITY = Severity.WARNING
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A 303 See Other answer of a POST that creates declares the Location it redirects to."
DOC = """
## What it does
Flags the `303 See Other` response of a POST `create` that declares no `Location` header (name
compared case-insensitively, headers followed through `$ref`, across files). The finding points
at the response where it is defined.

## Why is this bad?
RFC 9110 §9.3.3 (https://www.rfc-editor.org/rfc/rfc9110#section-9.3.3): when a POST would
create the equivalent of a resource that already exists, the server may answer `303 See Other`
"with the existing resource's identifier in the Location field"; §15.4.4
(https://www.rfc-editor.org/rfc/rfc9110#section-15.4.4) defines `303` as a redirect to the URI
in `Location`. A `303` without it redirects nowhere: the client of a duplicate create learns that
the resource exists but not where. With `Location`, `303` is a legitimate duplicate policy
(`create-duplicate-policy` counts it as one).

## Example
```yaml
responses:
  "201": {description: Created}
  "303":
    description: A pet with this chip number exists already
```

## Use instead
```yaml
  "303":
    description: A pet with this chip number exists already
    headers:
      Location:
        description: URI of the existing resource that this request duplicates.
        schema: {type: string, format: uri-reference}
```

## Options
None.

## Fix safety
Safe: adds a `Location` header, described as the URI of the existing resource, to the `303`
response where it is defined (a shared response component is fixed once). It documents what the
status already means; it changes no payload.
"""


def see_other_without_location(op: Operation) -> Response | None:
    """The operation's ``303`` when it declares no ``Location`` header."""
    see_other = op.responses.get("303")
    if see_other is None or "location" in op.headers(see_other):
        return None
    return see_other


def location_fix(op: Operation, see_other: Response) -> Fix:
    """Add ``Location`` to the ``303``: this rule's fix, and the duplicate policy's when the
    ``303`` is all it lacks (one change, so the fixer makes it once)."""
    target = see_other.node
    value = remedies.location_header(op.spec, target.file, points_at="existing").value
    return Fix(
        "add a Location header to the 303 response",
        Applicability.SAFE,
        (AddEntry(target.file.key, (*target.pointer, "headers"), "Location", value, "header"),),
    )


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    if op.method != "post":
        return
    see_other = see_other_without_location(op)
    if see_other is None:
        return
    headers = sorted(op.headers(see_other))
    has = f"it has {', '.join(headers)}" if headers else "it declares no headers"
    yield Problem(
        see_other.node,
        f"303 response of POST {op.path} redirects nowhere: no Location header naming the "
        f"existing resource; {has}",
        location_fix(op, see_other),
        response=see_other,
    )
