"""A create must answer ``201 Created``; an upsert must be able to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import AddEntry, Applicability, Fix, Kind, RenameKey, Severity
from oas_create_check.rules import Problem
from oas_create_check.rules import _remedies as remedies

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "create-status-201"
SEVERITY = Severity.ERROR
APPLIES_TO = (Kind.CREATE, Kind.UPSERT)
SUMMARY = "An operation that creates a resource declares a 201 Created response."
DOC = """
## What it does
Flags a `create` (usually a POST to a collection) or an `upsert` (a PUT that may create the
resource at the client's URI) that declares no `201` response. `2XX` and `default` do not count.
A `create` that declares `202 Accepted` and no `201` is asynchronous and exempt (see
`accepted-status-monitor`).

## Why is this bad?
RFC 9110 §15.3.2: `201 Created` tells the client that a new resource exists and where
(`Location`). A `200` says only "here is a result", so generated clients, caches and humans cannot
tell a creation from a computation. Zalando's guideline 150, Google AIP-133 and Microsoft's REST
guidelines all use `201` for synchronous creation; for a PUT that creates, RFC 9110 §9.3.4 requires
`201` when the resource did not exist before.

## Example
```yaml
paths:
  /pets:
    post:
      operationId: createPet
      responses:
        "200": {description: The new pet}
```

## Use instead
```yaml
paths:
  /pets:
    post:
      operationId: createPet
      responses:
        "201": {description: The new pet}
```

## Options
None. Which operations count as creations is decided by classification (`classify` selectors and
`x-oas-create-check: {kind: ...}`); an operation can opt out with
`x-oas-create-check: {ignore: [create-status-201]}`.

## Fix safety
No safe fix: changing a status code changes the contract for existing clients. The **unsafe** fix
(`--unsafe-fixes`) renames the lone `200` of a POST `create` to `201` (the one fix that replaces
text rather than inserting it), and gives an `upsert` a `201` that shares its `200`'s content.
"""


def _success(op: Operation) -> list[str]:
    return sorted(code for code in op.status_codes() if code.startswith("2"))


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    declared = op.status_codes()
    if "201" in declared or (kind is Kind.CREATE and "202" in declared):
        return
    codes = op.responses
    target = op.responses_node or op.node
    success = _success(op)
    has = f"it declares {', '.join(success)}" if success else "it declares no 2xx response"
    what = "creates a resource" if kind is Kind.CREATE else "may create the resource (upsert)"
    fix = None
    if op.responses_node is not None and "200" in codes:
        container = op.responses_node
        ok = codes["200"]
        if kind is Kind.CREATE and success == ["200"] and op.method == "post":
            fix = Fix(
                "rename the lone 200 response to 201",
                Applicability.UNSAFE,
                (RenameKey(container.file.key, container.pointer, ok.code, "201"),),
            )
        elif kind is Kind.UPSERT:
            value = remedies.created_like(op.spec, ok.entry, ok.node)
            fix = Fix(
                "add a 201 response sharing the 200's content",
                Applicability.UNSAFE,
                (AddEntry(container.file.key, container.pointer, "201", value, "response"),),
            )
    yield Problem(
        target,
        f"{op.method.upper()} {op.path} {what} but declares no 201 Created response; {has}",
        fix,
    )
