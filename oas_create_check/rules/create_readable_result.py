"""A create leaves something the client can read back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import Kind, Severity
from oas_create_check.rules import Problem
from oas_create_check.spec.resource import Resource, path_key, rpc_style

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "create-readable-result"
SEVERITY = Severity.INFO
APPLIES_TO = (Kind.CREATE,)
SUMMARY = "A POST that creates leaves a resource the spec can read back with GET."
DOC = """
## What it does
Flags a POST `create` whose new resource the spec gives no way to read, as far as its paths
show: no `GET` on an item path right below the collection (`/pets` -> `/pets/{id}`) or on a
singular path below that item (`/zip_downloads/{id}/status`); none on an item below the parent
collection (`/pets/create` -> `/pets/{id}`); none that the success response's `links` name or
that an example or the description of its `Location` header shows; none on an item of a
collection of the same name at the top of the API or in the same family of paths
(`POST /v2/nfs/{id}/actions` -> `GET /v2/actions/{id}`); no `GET` on the same path when a
singular noun or a parameter names it (`POST` and `GET /users/{id}/avatar`); and no item path
whose `GET` returns the very schema the create returns (compared by `$ref`). A `GET` that only
lists the collection does not count: it finds the resource, it does not read it. The finding
says what the spec has instead (an item path without `GET`, a list). RPC-style APIs (AWS's
`X-Amz-Target`), which address nothing by path, are not checked.

The default severity is `info`: real APIs sometimes read a new resource in ways their paths
cannot show (the caller's own `/account` after `/register`, a `POST /get_channel`), and 77 % of
the findings on the corpus were right (docs/rules-precision.md).

## Why is this bad?
A creation exists to be used afterwards. RFC 9110 §15.3.2
(https://www.rfc-editor.org/rfc/rfc9110#section-15.3.2) identifies the new resource by
`Location` so that the client can retrieve it (§9.3.1, GET); guidance on creation says to verify
the created resource is immediately accessible via GET at the Location URI. A create whose result
has no documented read is a dead end: clients cannot confirm what was stored, poll it, or check,
after a timeout, whether the first attempt succeeded. Google AIP-131/133
(https://google.aip.dev/133) pair every Create with a Get of the same resource.

## Example
```yaml
paths:
  /pets:
    post:
      operationId: createPet
      responses:
        "201": {description: Created}
  /pets/{petId}:
    delete:
      responses:
        "204": {description: Deleted}
```

## Use instead
```yaml
  /pets/{petId}:
    get:
      operationId: getPet
      responses:
        "200": {description: The pet}
    delete:
      responses:
        "204": {description: Deleted}
```

## Options
None. A create that is read another way (a search, a listing) can say so with
`x-oas-create-check: {ignore: [create-readable-result]}`.

## Fix safety
No fix: the read operation (its path, parameters and schema) is the API designer's to write. The
message names what to add.
"""


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    if op.method != "post" or rpc_style(op.spec):
        return
    resource = Resource.of(op)
    if resource.read_by is not None:
        return
    yield Problem(
        op.node,
        f"POST {op.path} creates a resource that no GET reads back: none on "
        f"{_where(op, resource)}; {_instead(op, resource)}",
    )


def _where(op: Operation, resource: Resource) -> str:
    """The place a GET is missing from."""
    if resource.item_paths:
        return " or ".join(resource.item_paths[:2])
    return f"an item path below {op.path} (such as {op.path.rstrip('/')}/{{id}})"


def _instead(op: Operation, resource: Resource) -> str:
    """What the spec has in the GET's place."""
    has: list[str] = []
    for item in resource.item_paths[:2]:
        path = path_key(op.spec, item)
        if path is None:
            has.append(f"{item} is no path of its own, only the start of deeper ones")
            continue
        methods = ", ".join(m.upper() for m in sorted(op.spec.methods_at(path)))
        has.append(f"{path} answers only {methods}" if methods else f"{path} has no operations")
    if resource.answers_get:
        has.append(f"GET {op.path} lists the collection")
    response = resource.own_success
    headers = response.node.value.get("headers") if response is not None else None
    names = [str(name).lower() for name in headers] if isinstance(headers, dict) else []
    if response is not None and "location" in names:
        has.append(f"its {response.code} declares Location without saying where it points")
    return "; ".join(has) if has else "no other path of the spec reads it either"
