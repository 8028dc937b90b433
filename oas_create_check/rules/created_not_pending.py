"""A 201 hands back a resource that exists, not one that is still being made."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import Kind, Severity
from oas_create_check.rules import Problem
from oas_create_check.spec.resource import Resource, normal_word, pending_state, response_schema

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "created-not-pending"
SEVERITY = Severity.INFO
APPLIES_TO = (Kind.CREATE,)
#: Off unless ``enable``d: it must open every 201 body schema and the enums it refers to, which
#: on a large YAML spec means parsing the schema store the other checks leave unread.
ENABLED_BY_DEFAULT = False
SUMMARY = "The 201 of a create does not return a resource whose state may still be pending."
DOC = """
## What it does
Flags the `201` response of a `create` whose JSON body schema (through `$ref` and `allOf`,
across files, and inside an envelope such as `{"cluster": {...}}` or `{"data": {...}}`) has a
lifecycle property (`status`, `state`, `phase`, `provisioning_state`, `job_status`...) whose
listed values (`enum` or `const`, through `$ref`) say the creation is not finished: a value
that says so of any resource (`creating`, `provisioning`, `initializing`), or any of the
`pending-states` (`pending`, `queued`, `processing`, `in_progress`, `not_started`...) when the
resource is a unit of work by the last noun of its path (jobs, runs, tasks, reports, exports,
imports, batches, actions, scans, builds, deployments, operations...). Values compare ignoring
case, `_`, `-` and spaces. An invitation's or a payment's "pending" is its business, not its
creation: it is not flagged.

Off by default (`enable = ["created-not-pending"]`): it must open every `201` body schema and
the enums it refers to, which on a large YAML spec means parsing the schema store the other
checks leave unread (docs/rules-precision.md has its measured precision and cost).

## Why is this bad?
`201 Created` says the resource exists now (RFC 9110 §15.3.2,
https://www.rfc-editor.org/rfc/rfc9110#section-15.3.2). A common mistake is returning `201` and a
resource that is still "pending": clients take the `201` at its word, use the resource at once and
fail. If creation finishes later, `202 Accepted` (§15.3.3,
https://www.rfc-editor.org/rfc/rfc9110#section-15.3.3) with a status monitor tells clients to
wait, as Microsoft's long-running-operation guidelines
(https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#long-running-operations--jobs)
and Google AIP-151 (https://google.aip.dev/151) do. A resource whose creation is finished may
still go through stages of its own; when the rule mistakes one for an unfinished creation,
suppress it on the operation.

## Example
```yaml
"201":
  description: The export
  content:
    application/json:
      schema:
        type: object
        properties:
          id: {type: string}
          status: {type: string, enum: [queued, running, done, failed]}
```

## Use instead
```yaml
"202":
  description: Export accepted; poll the Location until it is done
  headers:
    Location: {schema: {type: string, format: uri-reference}}
```

## Options
- `pending-states` (default `["pending", "queued", "processing", "in_progress",
  "provisioning", "creating", "initializing", "not_started"]`): the lifecycle values that mean
  "not there yet"; `creating`, `provisioning` and `initializing` count on any resource, the
  others on units of work.

## Fix safety
No fix: moving to `202` changes the contract; it is the API designer's call.
"""


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    created = op.responses.get("201")
    schema = response_schema(op, created) if created is not None else None
    if created is None or schema is None:
        return
    pending = frozenset(normal_word(word) for word in settings.pending_states)
    resource = Resource.of(op)
    payload = resource.payload_properties(created)
    bodies = [resource.body_properties(created), *([payload] if payload is not None else [])]
    found = pending_state(op.spec, bodies, pending, resource.unit_of_work)
    if found is None:
        return
    name, values = found
    yield Problem(
        schema,
        f"201 response of {op.method.upper()} {op.path} returns a resource whose '{name}' may be "
        f"{', '.join(values)}: the creation may not be finished; 202 Accepted with a status "
        "monitor says so",
        response=created,
    )
