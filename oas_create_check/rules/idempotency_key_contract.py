"""An Idempotency-Key header keeps the IETF draft's contract."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import Kind, Severity
from oas_create_check.rules import Problem

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "idempotency-key-contract"
SEVERITY = Severity.INFO
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "An operation taking an Idempotency-Key documents the draft's errors and a string key."
DOC = """
## What it does
For a POST `create` that accepts an idempotency header (`Idempotency-Key` by default), checks the
contract of the IETF draft (draft-ietf-httpapi-idempotency-key-header §2): the header is a string,
and the operation documents `400` (key missing where it is required), `422` (key reused with a
different payload) and `409` (a retry arrives while the first request is still processing).

## Why is this bad?
A key whose error cases are undocumented is a key clients cannot use safely: they cannot tell
"you forgot the key" from "you reused it with another body" from "try again later", and generated
clients have no types for those responses. The draft names these three statuses so that every
API answers them the same way.

## Example
```yaml
parameters:
  - {name: Idempotency-Key, in: header, schema: {type: integer}}
responses:
  "201": {description: Created}
```

## Use instead
```yaml
parameters:
  - {name: Idempotency-Key, in: header, schema: {type: string}}
responses:
  "201": {description: Created}
  "400": {description: Idempotency-Key missing}
  "409": {description: A request with this key is still being processed}
  "422": {description: Idempotency-Key reused with a different payload}
```

## Options
- `idempotency-headers` (shared with `create-duplicate-policy`): which header names count.

## Fix safety
No fix: the right descriptions and bodies of these errors are the API designer's to write.
"""

_DRAFT_STATUSES = (
    ("400", "a missing key"),
    ("409", "a concurrent retry"),
    ("422", "a key reused with another payload"),
)


def _type(value: object, is_swagger: bool) -> str | None:
    if not isinstance(value, dict):
        return None
    holder = value if is_swagger else value.get("schema")
    if isinstance(holder, dict) and isinstance(holder.get("type"), str):
        return str(holder["type"])
    return None


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    if op.method != "post":
        return
    param = op.header_parameter(settings.idempotency_headers)
    if param is None:
        return
    name = str(param.value.get("name"))
    declared = _type(param.value, op.spec.is_swagger)
    if declared not in (None, "string"):
        yield Problem(
            param,
            f"{name} header of POST {op.path} should be a string; it is declared as {declared}",
        )
    missing = [f"{code} ({why})" for code, why in _DRAFT_STATUSES if code not in op.responses]
    if missing:
        yield Problem(
            op.responses_node or op.node,
            f"POST {op.path} accepts {name} but does not document {', '.join(missing)}",
        )
