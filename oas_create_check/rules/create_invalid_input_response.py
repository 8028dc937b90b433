"""A create that takes a body says how it refuses a bad one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import AddEntry, Applicability, Fix, Kind, Severity
from oas_create_check.rules import Problem
from oas_create_check.rules import _remedies as remedies

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "create-invalid-input-response"
SEVERITY = Severity.WARNING
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A create that takes a request body documents a 400 or 422 for invalid input."
DOC = """
## What it does
Flags a `create` (POST or PUT) that takes a request body (OpenAPI 3 `requestBody`, Swagger 2.0
`in: body` or `in: formData` parameters, through `$ref`) and declares neither `400` nor `422`.
`4XX` and `default` do not count unless the configuration says so.

## Why is this bad?
Every create can be sent a payload it must refuse: a missing field, a wrong type, a value out of
range. RFC 9110 §15.5.1 (https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1) gives `400 Bad
Request` for that, and §15.5.21 (https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21) `422`
for content that is well-formed but unprocessable; guidance on creation says to return 400 for
invalid input instead of 201. When neither is documented, clients cannot tell a rejected payload
from a server fault, generated clients have no type for the error body, and an API that answers
`201` to bad input goes unnoticed. Zalando's guideline 151
(https://opensource.zalando.com/restful-api-guidelines/#151) requires the error responses to be
specified, and 176 (#176) that they are problem details.

## Example
```yaml
post:
  operationId: createPet
  requestBody:
    content:
      application/json:
        schema: {$ref: "#/components/schemas/NewPet"}
  responses:
    "201": {description: Created}
```

## Use instead
```yaml
  responses:
    "201": {description: Created}
    "400":
      description: The pet is invalid; nothing was created.
      content:
        application/problem+json:
          schema: {$ref: "#/components/schemas/Problem"}
```

## Options
- `invalid-input-statuses` (default `["400", "422"]`): responses that document how bad input is
  refused; add `"4XX"` or `"default"` to accept a catch-all.

## Fix safety
Safe: adds a `400` response to the operation, the spec's own parts first: the one
`fix-templates.bad-request` names, the `400` its other operations share by `$ref`, else its
reusable response named for a bad request, else a `BadRequest` added once to the reusable
responses and `$ref`'d, whose body is the schema the spec's client errors share (with their
media type), else its `Problem` schema, else RFC 9457 problem details. An operation whose own
client errors use another schema gets an inline `400` with that body. Documenting an error the
server already sends changes no payload.
"""


def takes_body(op: Operation) -> bool:
    """Whether the operation documents a request body (``requestBody``; Swagger 2.0's ``body``
    and ``formData`` parameters)."""
    if op.spec.is_swagger:
        return any(node.value.get("in") in ("body", "formData") for node in op.parameters)
    return isinstance(op.value.get("requestBody"), dict)


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    if not takes_body(op):
        return
    declared = op.status_codes()
    if any(status.upper() in declared for status in settings.invalid_input_statuses):
        return
    target = op.responses_node or op.node
    errors = sorted(code for code in declared if code[:1] in "45" or code == "default")
    has = f"it declares {', '.join(errors)}" if errors else "it declares no error response"
    remedy = remedies.invalid_input_response(op, settings.fix_templates.get("bad-request"))
    add = AddEntry(
        op.node.file.key, (*op.node.pointer, "responses"), "400", remedy.value, "response"
    )
    fix = Fix("add a 400 Bad Request response", Applicability.SAFE, remedy.changes(add))
    yield Problem(
        target,
        f"{op.method.upper()} {op.path} creates from a request body but documents no "
        f"{_either(settings.invalid_input_statuses)} response for invalid input; {has}",
        fix,
    )


def _either(statuses: tuple[str, ...]) -> str:
    """``400 or 422``; ``400, 422 or 4XX``."""
    if len(statuses) < 2:
        return "".join(statuses)
    return f"{', '.join(statuses[:-1])} or {statuses[-1]}"
