"""What fixes insert, in the spec's own dialect, reusing what the spec already defines.

Rules decide *that* something is missing; this module knows *what* the missing piece looks like
in Swagger 2.0 and in OpenAPI 3.x, and which existing component to ``$ref`` instead of inlining a
copy (the spec's own Location header, its 409 response, its Problem schema, its Idempotency-Key
parameter). Values are plain data; ``fix.py`` renders them in the file's style.
"""

from __future__ import annotations

import re
from typing import Any

from oas_create_check.load.refs import Node, ref_between
from oas_create_check.load.source import SourceFile
from oas_create_check.model import Pointer
from oas_create_check.spec.operations import Spec, per_spec

PROBLEM_MEDIA_TYPE = "application/problem+json"
_PROBLEM_SCHEMA_NAMES = (
    "problem",
    "problemdetails",
    "problemdetail",
    "problem-details",
    "problem_details",
)


def _components(spec: Spec, section: str) -> tuple[Pointer, dict[str, Any]]:
    """The root document's reusable ``section`` (``headers``, ``responses``...) and its pointer."""
    pointer = _section_pointer(spec, section)
    found, value = spec.workspace.root.value_at(pointer)
    return pointer, value if found and isinstance(value, dict) else {}


def _section_pointer(spec: Spec, section: str) -> Pointer:
    return (section,) if spec.is_swagger else ("components", section)


def _ref(spec: Spec, target_file: SourceFile, pointer: Pointer) -> dict[str, str]:
    return {"$ref": ref_between(target_file, spec.workspace.root, pointer)}


def location_header(spec: Spec, target_file: SourceFile, monitor: bool = False) -> Any:
    """A ``Location`` header object (or a ``$ref`` to the spec's own reusable one)."""
    if not spec.is_swagger and not monitor:
        pointer, headers = _components(spec, "headers")
        for name in headers:
            if str(name).lower() == "location":
                return _ref(spec, target_file, (*pointer, name))
    description = (
        "URI of a status monitor for the request; poll it until the resource is created."
        if monitor
        else "URI of the created resource."
    )
    if spec.is_swagger:
        return {"description": description, "type": "string", "format": "uri"}
    return {"description": description, "schema": {"type": "string", "format": "uri-reference"}}


@per_spec
def _problem_schema(spec: Spec) -> tuple[Pointer, str] | None:
    # Names only: the schema store is not parsed for them (``SourceFile.keys_at``).
    pointer = _section_pointer(spec, "definitions" if spec.is_swagger else "schemas")
    for name in spec.workspace.root.keys_at(pointer):
        if str(name).lower() in _PROBLEM_SCHEMA_NAMES:
            return (*pointer, name), str(name)
    return None


@per_spec
def _shared_conflict(spec: Spec) -> Node | None:
    """The 409 response some operation already uses by ``$ref`` (looked up once per spec: every
    create without a duplicate policy asks)."""
    for op in spec.operations:
        container = op.node.child("responses")
        entry = container.child("409") if container is not None else None
        if entry is not None and isinstance(entry.value, dict) and "$ref" in entry.value:
            resolved = spec.workspace.deref(entry)
            if resolved is not None:
                return resolved
    return None


@per_spec
def _conflict_component(spec: Spec) -> Pointer | None:
    """The root document's reusable response for a conflict, found by its name (``Conflict``,
    ``409``, ``ConflictError``, ``AlreadyExists``...), for specs that define one but no
    operation uses it yet."""
    pointer, responses = _components(spec, "responses")
    for name, value in responses.items():
        words = re.sub(r"[^a-z0-9]", "", str(name).lower())
        if isinstance(value, dict) and (
            "conflict" in words or words.startswith("409") or "alreadyexists" in words
        ):
            return (*pointer, name)
    return None


def conflict_response(spec: Spec, target_file: SourceFile) -> Any:
    """A ``409 Conflict`` response: the spec's own reusable one if any operation already uses it
    by ``$ref`` or its reusable responses name one so, else one whose body is the spec's Problem
    schema or RFC 9457 problem details."""
    shared = _shared_conflict(spec)
    if shared is not None:
        return {"$ref": ref_between(target_file, shared.file, shared.pointer)}
    component = _conflict_component(spec)
    if component is not None:
        return _ref(spec, target_file, component)
    description = (
        "Conflict: the resource already exists, or a retry with the same key is in progress."
    )
    problem = _problem_schema(spec)
    schema: Any
    if problem is not None:
        schema = _ref(spec, target_file, problem[0])
    else:
        schema = {
            "type": "object",
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
            },
        }
    if spec.is_swagger:
        return {"description": description, "schema": schema}
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}}}


def idempotency_parameter(spec: Spec, target_file: SourceFile, name: str) -> Any:
    """The ``Idempotency-Key`` header parameter (a ``$ref`` to the spec's own if it has one)."""
    pointer, parameters = _components(spec, "parameters")
    for key, value in parameters.items():
        if (
            isinstance(value, dict)
            and value.get("in") == "header"
            and str(value.get("name", "")).lower() == name.lower()
        ):
            return _ref(spec, target_file, (*pointer, key))
    description = (
        "Unique key for this request (IETF draft-ietf-httpapi-idempotency-key-header); a retry "
        "with the same key returns the first result instead of creating a duplicate."
    )
    if spec.is_swagger:
        return {
            "name": name,
            "in": "header",
            "required": False,
            "type": "string",
            "description": description,
        }
    return {
        "name": name,
        "in": "header",
        "required": False,
        "description": description,
        "schema": {"type": "string"},
    }


def created_like(spec: Spec, ok_entry: Node, ok_response: Node) -> Any:
    """A ``201`` for an upsert that shares the ``200``'s content: the same ``$ref`` if the 200 is
    one, else a copy of its body under a "Created" description."""
    if isinstance(ok_entry.value, dict) and "$ref" in ok_entry.value:
        return dict(ok_entry.value)
    value = ok_response.value if isinstance(ok_response.value, dict) else {}
    created: dict[str, Any] = {"description": "Created"}
    for key in ("headers", "content", "schema", "examples"):
        if key in value:
            created[key] = value[key]
    return created
