"""The 201 of a POST create tells the client what was created."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import Kind, Severity
from oas_create_check.rules import Problem
from oas_create_check.spec.resource import every_post_declares

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "created-response-body"
SEVERITY = Severity.WARNING
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "The 201 of a POST that creates has a body or a Location: it says what was created."
DOC = """
## What it does
Flags the `201` response of a POST `create` that declares neither a response body nor a
`Location` header (headers followed through `$ref`, names compared case-insensitively), when no
other success response of the operation has a body either (generators such as springfox add an
empty `201 Created` beside the `200` that carries the resource), and unless (nearly) every POST
of the spec declares `201` (a generator's default, which says nothing about the operation; the
judgement weighs it the same way). The finding points at the response where it is defined. A
PUT is exempt: its own URI names the resource.

## Why is this bad?
RFC 9110 §15.3.2 (https://www.rfc-editor.org/rfc/rfc9110#section-15.3.2): the new resource is
identified by `Location`, or else by the target URI, which for a POST is the collection, not the
new item. A `201` that carries neither a body (the new resource, or at least its identifier) nor a
`Location` tells the client only that *something* was made: it cannot read it back, link to it,
update or delete it. Guidance on creation: the `201` body is the newly created resource (or its
ID); Google AIP-133 (https://google.aip.dev/133) returns the resource itself.
`create-location-header` asks for the `Location` on its own; this rule marks the worse case, a
`201` that identifies nothing at all.

## Example
```yaml
responses:
  "201":
    description: Created
```

## Use instead
```yaml
responses:
  "201":
    description: The new pet
    headers:
      Location:
        schema: {type: string, format: uri-reference}
    content:
      application/json:
        schema: {$ref: "#/components/schemas/Pet"}
```

## Options
None.

## Fix safety
No fix: what the body holds is the API designer's choice (`create-location-header` adds the
`Location` header, which settles this finding too).
"""


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    if op.method != "post":
        return
    created = op.responses.get("201")
    if created is None or op.has_body(created) or "location" in op.headers(created):
        return
    # a generator's empty "201 Created" beside the 200 that carries the resource (springfox
    # declares both), or on every POST of the spec: it says nothing about this operation
    if any(code.startswith("2") and op.has_body(r) for code, r in op.responses.items()):
        return
    if every_post_declares(op.spec, "201"):
        return
    headers = sorted(op.headers(created))
    has = (
        f"it has only the headers {', '.join(headers)}" if headers else "it has only a description"
    )
    yield Problem(
        created.node,
        f"201 response of POST {op.path} identifies nothing: no body and no Location header; {has}",
        response=created,
    )
