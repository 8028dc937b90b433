"""A POST create says what happens when the same request arrives twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import AddEntry, Applicability, Change, Fix, Kind, Severity
from oas_create_check.rules import Problem
from oas_create_check.rules import _remedies as remedies
from oas_create_check.rules.duplicate_see_other import location_fix, see_other_without_location

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "create-duplicate-policy"
SEVERITY = Severity.WARNING
APPLIES_TO = (Kind.CREATE,)
SUMMARY = (
    "A POST that creates declares a duplicate response (409/422, a 303 with Location) or an "
    "Idempotency-Key header."
)
DOC = """
## What it does
Flags a POST `create` that declares none of the duplicate responses (`409`, `422` by default,
and a `303 See Other` that declares `Location`) **and** accepts no `Idempotency-Key` header
parameter (operation or path level, name compared case-insensitively, through `$ref`). PUT is
idempotent by definition and is not checked. A `303` without `Location` does not count: it
redirects nowhere (see `duplicate-see-other`).

## Why is this bad?
POST is neither safe nor idempotent (RFC 9110 §9.2.2,
https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2). When a create times out the client cannot
know whether the resource was made; retrying may create a duplicate. An API should say how a
duplicate is refused (`409 Conflict`, or `422` for a semantically invalid repeat), where the
existing resource is (`303 See Other` with its `Location`, RFC 9110 §9.3.3,
https://www.rfc-editor.org/rfc/rfc9110#section-9.3.3), or how a retry is made safe (the IETF
`Idempotency-Key` header,
https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/; Stripe, Adyen and
Zalando rule 229 use it). Without any of them, every client invents its own answer.

## Example
```yaml
post:
  operationId: createOrder
  responses:
    "201": {description: Created}
```

## Use instead
```yaml
post:
  operationId: createOrder
  parameters:
    - {name: Idempotency-Key, in: header, schema: {type: string}}
  responses:
    "201": {description: Created}
    "409": {description: An order with this key already exists}
```

## Options
- `duplicate-statuses` (default `["409", "422"]`): responses that document a duplicate policy.
  A `303` with `Location` always counts; list `"303"` here to count one without it too.
- `idempotency-headers` (default `["Idempotency-Key"]`): header parameters that make a retry safe,
  e.g. `Repeatability-Request-ID` (Microsoft).
- `duplicate-fix` (default `"409"`): what the fix adds: a `409` response, or `"idempotency-key"`
  for the header parameter.

## Fix safety
Safe: adds a `409` response, or, with `duplicate-fix = "idempotency-key"`, an optional
`Idempotency-Key` header parameter, each by `$ref`: the one `fix-templates` names (`conflict`,
`idempotency-key`), else the spec's own (a 409 its operations share, a reusable response named
for a conflict, its header parameter of that name, in its components or in the file its
operations `$ref` such pieces from), else one added once there: a `Conflict` response (its body
the error schema the spec's client errors share, else its Problem schema, else RFC 9457
problem details) or an `IdempotencyKey` parameter. An operation whose own errors use another
schema, or one in a fragment file where the spec keeps pieces in the root's components, gets
the piece inline. Both are additions to the documented contract. When the operation has a `303` without `Location`, the
fix adds that `Location` instead (the same change as `duplicate-see-other`'s).
"""


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    if op.method != "post":
        return
    declared = op.status_codes()
    if any(status in declared for status in settings.duplicate_statuses):
        return
    if op.header_parameter(settings.idempotency_headers) is not None:
        return
    bare_see_other = see_other_without_location(op)
    if "303" in op.responses and bare_see_other is None:
        return  # RFC 9110 §9.3.3: a 303 to the existing resource is a duplicate answer
    target = op.responses_node or op.node
    statuses = "/".join(settings.duplicate_statuses)
    headers = "/".join(settings.idempotency_headers)
    changes: tuple[Change, ...]
    if bare_see_other is not None:
        fix = location_fix(op, bare_see_other)
        yield Problem(
            target,
            f"POST {op.path} creates a resource but documents no duplicate policy: no "
            f"{statuses} response, no {headers} header parameter, and its 303 declares no "
            "Location to redirect to",
            fix,
        )
        return
    if settings.duplicate_fix == "idempotency-key":
        file = op.node.file
        template = settings.fix_templates.get("idempotency-key")
        remedy = remedies.idempotency_parameter(
            op.spec, file, settings.idempotency_headers[0], template
        )
        params = op.node.child("parameters")
        if params is not None and isinstance(params.value, list):
            add = AddEntry(
                file.key, params.pointer, str(len(params.value)), remedy.value, "parameter"
            )
        else:
            add = AddEntry(file.key, op.node.pointer, "parameters", [remedy.value], "parameter")
        changes = remedy.changes(add)
        description = f"add an optional {settings.idempotency_headers[0]} header parameter"
    else:
        remedy = remedies.conflict_response(op, target.file, settings.fix_templates.get("conflict"))
        add = AddEntry(
            target.file.key, (*op.node.pointer, "responses"), "409", remedy.value, "response"
        )
        changes = remedy.changes(add)
        description = "add a 409 Conflict response"
    yield Problem(
        target,
        f"POST {op.path} creates a resource but documents no duplicate policy: no {statuses} "
        f"response and no {headers} header parameter; it declares {', '.join(sorted(declared)) or 'no responses'}",
        Fix(description, Applicability.SAFE, changes),
    )
