"""A Location header is documented as what it is: a URI reference."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from oas_create_check.model import Kind, Severity
from oas_create_check.rules import Problem

if TYPE_CHECKING:
    from oas_create_check.load.refs import Node
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation

ID = "location-header-schema"
SEVERITY = Severity.INFO
APPLIES_TO = (Kind.CREATE, Kind.UPSERT)
SUMMARY = "The Location header of a creation's 201, 202 or 303 is a string, not a date or a number."
DOC = """
## What it does
Checks the `Location` header of the `201`, `202` and `303` responses of a `create` or `upsert`
(and, on the `202`, the other `monitor-headers`), through `$ref`, across files: its schema
(Swagger 2.0: the header's own `type` and `format`) must be a string, and its `format` must not
be one that JSON Schema or OpenAPI define for something else (`date-time`, `uuid`, `email`,
`int64`, `uri-template`...). `uri`, `uri-reference`, `iri` and `iri-reference` are right; a
home-made `url` says the same and is left alone. A header without a schema or type is not
flagged: it promises nothing wrong.

## Why is this bad?
RFC 9110 §10.2.2 (https://www.rfc-editor.org/rfc/rfc9110#section-10.2.2): `Location` is a
URI-reference, relative ones included. A schema that says `integer`, `object` or `format:
date-time` is wrong documentation: generated clients parse the header into the wrong type (or
fail on every response), and validators reject correct responses. JSON Schema's URI formats
(https://json-schema.org/draft/2020-12/json-schema-validation#section-7.3.5) are the right ones;
`uri-reference` accepts the relative URIs servers commonly send.

## Example
```yaml
headers:
  Location:
    schema: {type: string, format: uuid}
```

## Use instead
```yaml
headers:
  Location:
    description: URI of the created resource.
    schema: {type: string, format: uri-reference}
```

## Options
- `monitor-headers` (shared with `accepted-status-monitor`): on a `202`, these headers are
  checked as well.

## Fix safety
No fix: changing a declared type changes generated clients; the designer decides.
"""

#: Formats JSON Schema (draft 2020-12 §7.3) and OpenAPI define for values that are not URI
#: references. A format outside this list and the URI ones (``url``, ``link``) is a
#: home-made spelling of the same intent: it is not flagged.
NOT_URI_FORMATS = frozenset(
    """
    date-time date time duration email idn-email hostname idn-hostname ipv4 ipv6 uuid
    uri-template json-pointer relative-json-pointer regex int32 int64 float double byte
    binary password
    """.split()
)
_STATUSES = ("201", "202", "303")


def check(op: Operation, kind: Kind, settings: Settings) -> Iterator[Problem]:
    for status in _STATUSES:
        response = op.responses.get(status)
        if response is None:
            continue
        wanted = {"location"}
        if status == "202":
            wanted |= {name.lower() for name in settings.monitor_headers}
        holder = response.node.child("headers")
        for name, entry in holder.items() if holder is not None else ():
            if name.lower() not in wanted:
                continue  # the others are never opened (they may live in other files)
            header = op.spec.workspace.deref(entry)
            found = _declared(op, header) if header is not None else None
            if found is None:
                continue
            node, types, form = found
            wrong = _what_is_wrong(types, form)
            if wrong is None:
                continue
            yield Problem(
                node,
                f"{name} header of the {status} of {op.method.upper()} {op.path} is declared "
                f"{wrong}; a Location is a URI reference (type string, format uri-reference)",
                response=response,
            )


def _declared(op: Operation, header: Node) -> tuple[Node, list[str], str | None] | None:
    """The node that declares the header's type (its schema, or the Swagger header itself),
    the types it allows and its format."""
    if not isinstance(header.value, dict):
        return None
    holder: Node | None = header
    if not op.spec.is_swagger:
        schema = header.child("schema")
        holder = op.spec.workspace.deref(schema) if schema is not None else None
    if holder is None or not isinstance(holder.value, dict):
        return None
    value: dict[str, Any] = holder.value
    declared = value.get("type")
    types = [declared] if isinstance(declared, str) else declared
    if not isinstance(types, list):
        types = []
    form = value.get("format")
    return holder, [str(t) for t in types], form if isinstance(form, str) else None


def _what_is_wrong(types: list[str], form: str | None) -> str | None:
    others = [t for t in types if t not in ("string", "null")]
    if types and (others or "string" not in types):
        return f"of type {'/'.join(types)}"
    if form is not None and form.lower() in NOT_URI_FORMATS:
        return f"with format {form}"
    return None
