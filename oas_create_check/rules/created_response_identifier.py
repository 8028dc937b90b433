"""The body of a 201 identifies the resource it created."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import Kind, Severity
from oas_create_check.rules import Problem
from oas_create_check.spec.resource import (
    Resource,
    response_schema,
    schema_identity,
    success_schema,
)

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "created-response-identifier"
SEVERITY = Severity.INFO
APPLIES_TO = (Kind.CREATE,)
#: Off unless ``enable``d: on the corpus it fired twice in 251 specs, once on a body the client
#: could do without (docs/rules-precision.md), and a ``$ref``'d body must be opened to judge it.
ENABLED_BY_DEFAULT = False
SUMMARY = "The 201 body of a POST that creates is the resource or carries its identifier."
DOC = """
## What it does
Flags the `201` response of a POST `create` whose JSON body schema (through `$ref` and `allOf`,
across files) holds nothing but plain values written inline (`type: string`, `boolean`...) and
none of them identifies anything: no `id`, `*_id`/`*Id`, `uuid`, `key`, `name`, `slug`,
`number`, `self`, `href`, `url`, `*_url`, `links`, `location`... (`{"message": "ok",
"success": true}`). It is not flagged when the body is the schema the item's `GET` returns (or
a type some item path of the API returns), when a property nests an object or a `$ref` (the
resource may be inside), nor when the schema leaves its properties open (`oneOf`, a free-form
object, a plain string such as the new ID).

Off by default (`enable = ["created-response-identifier"]`): on the corpus it fired twice in
251 specs, and a `$ref`'d body must be opened to judge it (docs/rules-precision.md).

## Why is this bad?
Guidance on creation: the `201` body is the newly created resource, or its ID. Google AIP-133
(https://google.aip.dev/133) returns the resource itself; RFC 9110 §15.3.2
(https://www.rfc-editor.org/rfc/rfc9110#section-15.3.2) says a `201` identifies what it created.
A body such as `{"message": "ok", "success": true}` forces the client to search the collection
for what it just made, and breaks the moment two similar resources exist.

## Example
```yaml
"201":
  description: Created
  content:
    application/json:
      schema:
        type: object
        properties:
          message: {type: string}
```

## Use instead
```yaml
"201":
  description: Created
  content:
    application/json:
      schema: {$ref: "#/components/schemas/Pet"}   # what GET /pets/{petId} returns
```

## Options
None.

## Fix safety
No fix: what the body holds is the API designer's choice.
"""


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    if op.method != "post":
        return
    created = op.responses.get("201")
    schema = response_schema(op, created) if created is not None else None
    if created is None or schema is None:
        return
    resource = Resource.of(op)
    # cheapest first: a $ref'd body is compared with the item's type by its target before it
    # is opened; an inline one is read at once
    referenced = schema_identity(schema) is not None
    if referenced and resource.same_type_as_item(created):
        return
    names = resource.names_nothing(created)
    if names is None or resource.same_type_as_item(created) or resource.returns_a_resource:
        return
    listed = ", ".join(sorted(names)[:6]) + (", ..." if len(names) > 6 else "")
    yield Problem(
        schema,
        f"201 body of POST {op.path} identifies no resource: it holds only plain values "
        f"({listed}), none an id, a name or a link, and {_item(resource)}",
        response=created,
    )


def _item(resource: Resource) -> str:
    """What the item's GET returns, for comparison."""
    get = resource.item_get
    schema = success_schema(get) if get is not None else None
    if get is None or schema is None:
        return "no item GET returns a schema to compare it with"
    identity = schema_identity(schema)
    name = (
        (identity.fragment.rsplit("/", 1)[-1] or identity.file.rsplit("/", 1)[-1])
        if identity is not None
        else "an inline schema"
    )
    return f"it is not what GET {get.path} returns ({name})"
