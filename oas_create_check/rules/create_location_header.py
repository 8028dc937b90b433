"""The ``201`` of a POST create says where the new resource is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import AddEntry, Applicability, Fix, Kind, Severity
from oas_create_check.rules import Problem
from oas_create_check.rules import _remedies as remedies

if TYPE_CHECKING:
    from oas_create_check.load.refs import Node
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "create-location-header"
SEVERITY = Severity.ERROR
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "The 201 response of a POST that creates declares a Location header."
DOC = """
## What it does
Flags the `201` response of a POST `create` that declares no `Location` header (name compared
case-insensitively, headers followed through `$ref`, across files). The finding points at the
response where it is defined: for a `$ref`'d response, its component. PUT upserts are exempt
(RFC 9110 §15.3.2: without `Location`, the target URI is the new resource).

## Why is this bad?
After a POST the client does not know the new resource's URI. RFC 9110 §15.3.2 says the primary
resource created is identified by `Location` (or, failing that, the target URI, which for a POST is
the collection). Without it clients must guess the URI from the body, and a retry-after-timeout
cannot check whether the first attempt succeeded. Zalando (rule 150), Microsoft's REST guidelines
and the IETF httpapi drafts all expect `Location` on `201`.

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
    description: Created
    headers:
      Location:
        description: URI of the created resource.
        schema: {type: string, format: uri-reference}
```

## Options
None.

## Fix safety
Safe: the fix adds a `Location` header (`format: uri-reference`: RFC 9110 §10.2.2 allows a
relative one) to the `201` response where it is defined. A response shared with operations that
are not creates is left alone, with a note naming them; one shared only by creates is fixed
once. The header is the one `fix-templates.location` names; else, in OpenAPI 3.x, the spec's
own reusable Location (in its components or the file its responses `$ref` headers from), else
one added there once for every create, `$ref`'d (inline in Swagger 2.0, which has no reusable
headers). Adding a documented header does not change what servers send; it documents what
clients may rely on.
"""


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    if op.method != "post":
        return
    created = op.responses.get("201")
    if created is None or "location" in op.headers(created):
        return
    target = created.node
    headers = sorted(op.headers(created))
    has = f"it has {', '.join(headers)}" if headers else "it declares no headers"
    remedy = remedies.location_header(
        op.spec, target.file, template=settings.fix_templates.get("location")
    )
    add = AddEntry(
        target.file.key, (*target.pointer, "headers"), _name(target), remedy.value, "header"
    )
    fix = Fix("add a Location header to the 201 response", Applicability.SAFE, remedy.changes(add))
    yield Problem(
        target,
        f"201 response of POST {op.path} has no Location header for the created resource; {has}",
        fix,
        response=created,
    )


def _name(response: Node) -> str:
    """``Location`` as the response writes its header names (``location`` among DigitalOcean's
    ``ratelimit-limit``)."""
    headers = response.child("headers")
    names = [str(k) for k in headers.value] if headers and isinstance(headers.value, dict) else []
    return remedies.styled_name("Location", names)
