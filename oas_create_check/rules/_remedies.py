"""What fixes insert, in the spec's own dialect, reusing what the spec already defines.

Rules decide *that* something is missing; this module knows *what* the missing piece looks like
in Swagger 2.0 and in OpenAPI 3.x, and which existing component to ``$ref`` instead of inlining a
copy (the spec's own Location header, its 409 response, its error schema, its Idempotency-Key
parameter, or the one a ``fix-templates`` setting names). What many operations would each get
the same copy of is defined once instead, where the spec keeps such pieces (a store file its
operations already ``$ref`` them from, else the root document's components), and ``$ref``'d:
a ``Remedy`` carries that definition beside the value, and the fixer's plan makes an identical
addition proposed by many fixes only once. Values are plain data; the fixer renders
them in the file's style.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from oas_create_check.load.refs import NOT_LOCAL, Node, ref_between, relative_location
from oas_create_check.load.source import SourceFile
from oas_create_check.model import AddEntry, Pointer
from oas_create_check.spec.operations import Operation, Spec, per_spec
from oas_create_check.spec.resource import SchemaRef, schema_identity

PROBLEM_MEDIA_TYPE = "application/problem+json"
_PROBLEM_SCHEMA_NAMES = (
    "problem",
    "problemdetails",
    "problemdetail",
    "problem-details",
    "problem_details",
)


@dataclass(frozen=True)
class Remedy:
    """What a fix puts at the operation (``value``, often a ``$ref``) and the reusable definition
    that ``$ref`` needs when the fix is the one to add it (``adds``; empty when the spec already
    has it or the value is inline)."""

    value: Any
    adds: tuple[AddEntry, ...] = ()

    def changes(self, at: AddEntry) -> tuple[AddEntry, ...]:
        """The fix's changes: the definition first, then ``at`` (which inserts ``value``)."""
        return (*self.adds, at)


def _section_pointer(spec: Spec, section: str) -> Pointer:
    return (section,) if spec.is_swagger else ("components", section)


def _ref(spec: Spec, target_file: SourceFile, pointer: Pointer) -> dict[str, str]:
    return {"$ref": ref_between(target_file, spec.workspace.root, pointer)}


def _template(spec: Spec, target_file: SourceFile, ref: str | None) -> Remedy | None:
    """The ``$ref`` a ``fix-templates`` setting names (written as from the root document),
    rewritten to mean the same from ``target_file``."""
    if not ref:
        return None
    return Remedy({"$ref": _rebased(ref, spec.workspace.root, target_file)})


def _shared(
    spec: Spec, target_file: SourceFile, section: str, name: str, definition: Any
) -> Remedy:
    """``definition`` kept once where the spec keeps reusable ``section`` pieces (``_store``),
    under ``name`` in the store's style (or with a number appended if the spec uses the name for
    something else), and ``$ref``'d from ``target_file``. ``definition``'s own ``$ref``s are
    written as from the root document. Inline when the store is itself a ``$ref``, and in a
    file other than the root when the store is the root's components: a fragment may be shared
    by several root documents, and must not come to depend on one of them."""
    store, pointer = _store(spec, section)
    found, value = store.value_at(pointer)
    existing = value if found and isinstance(value, dict) else {}
    if (
        "$ref" in existing
        or (found and not isinstance(value, dict))
        or (store.path == spec.workspace.root.path != target_file.path)
    ):
        return Remedy(_relocated(spec, definition, target_file))
    definition = _relocated(spec, definition, store)
    key = base = styled_name(name, [str(k) for k in existing])
    number = 2
    while key in existing and existing[key] != definition:
        key, number = f"{base}{number}", number + 1
    what = {"responses": "response", "headers": "header", "parameters": "parameter"}[section]
    adds = () if key in existing else (AddEntry(store.key, pointer, key, definition, what),)
    return Remedy({"$ref": ref_between(target_file, store, (*pointer, key))}, adds)


@per_spec
def _store(spec: Spec, section: str) -> tuple[SourceFile, Pointer]:
    """Where the spec keeps reusable ``section`` pieces (``responses``, ``parameters``,
    ``headers``): the file or components section that its operations' ``$ref``s name such
    pieces in by key most often (DigitalOcean's ``shared/headers.yml#/ratelimit-limit``), else
    the root document's components (Swagger 2.0: its top-level section). Found from the
    operations as written, so the pieces a fix adds never move the choice."""
    root = spec.workspace.root
    components = _section_pointer(spec, section)
    counts: dict[tuple[str, Pointer], int] = {}
    files: dict[str, SourceFile] = {str(root.key): root}
    for entry in _entries(spec, section):
        target = spec.workspace.deref(entry)
        if target is None:
            continue
        if target.file.path != root.path and len(target.pointer) == 1:
            where: tuple[str, Pointer] = (str(target.file.key), ())
        elif target.file.path == root.path and target.pointer[:-1] == components:
            where = (str(root.key), components)
        else:
            continue
        files[where[0]] = target.file
        counts[where] = counts.get(where, 0) + 1
    if not counts:
        return root, components
    best = max(counts, key=lambda k: counts[k])  # ties: the first seen
    return files[best[0]], best[1]


def _entries(spec: Spec, section: str) -> Iterator[Node]:
    """The ``$ref`` entries the spec's POSTs and PUTs write for ``section`` pieces."""
    for op in spec.operations:
        if section == "headers":
            containers = [r.node.child("headers") for r in op.responses.values()]
        else:
            containers = [op.node.child(section)]
        for container in containers:
            if container is None or not isinstance(container.value, (dict, list)):
                continue
            children = (
                container.items()
                if isinstance(container.value, dict)
                else ((str(i), container.child(i)) for i in range(len(container.value)))
            )
            for _, child in children:
                if child is not None and isinstance(child.value, dict) and "$ref" in child.value:
                    yield child


def styled_name(name: str, keys: list[str]) -> str:
    """``name`` (``BadRequest``) as the store writes its keys: ``bad-request`` or
    ``bad_request`` where every key is lower-case, else as given."""
    if not keys or any(k != k.lower() for k in keys):
        return name
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", name)
    joiner = "_" if sum("_" in k for k in keys) > sum("-" in k for k in keys) else "-"
    return joiner.join(w.lower() for w in words)


#: What a ``Location`` header points at, by the status it is added to.
_LOCATION_DESCRIPTIONS = {
    "created": "URI of the created resource.",
    "monitor": "URI of a status monitor for the request; poll it until the resource is created.",
    "existing": "URI of the existing resource that this request duplicates.",
}


def _problem_details() -> dict[str, Any]:
    """RFC 9457 problem details, for a spec that has no error schema of its own."""
    return {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
    }


def location_header(
    spec: Spec,
    target_file: SourceFile,
    monitor: bool = False,
    points_at: str = "created",
    template: str | None = None,
) -> Remedy:
    """A ``Location`` header. ``points_at``: ``created``, ``monitor`` (also ``monitor=True``) or
    ``existing`` (a ``303 See Other`` to the resource a duplicate request names). For a created
    resource: the ``fix-templates`` header; else, in OpenAPI 3.x, the spec's own reusable one,
    else one added once where the spec keeps its headers (``_shared``); Swagger 2.0 has no
    reusable headers, so it is inline there. Its format is ``uri-reference``: RFC 9110 section
    10.2.2 allows a relative Location, and most servers send one."""
    if monitor:
        points_at = "monitor"
    description = _LOCATION_DESCRIPTIONS[points_at]
    chosen = _template(spec, target_file, template) if points_at == "created" else None
    if chosen is not None:
        return chosen
    if spec.is_swagger:
        return Remedy({"description": description, "type": "string", "format": "uri-reference"})
    header = {"description": description, "schema": {"type": "string", "format": "uri-reference"}}
    if points_at != "created":
        return Remedy(header)
    own = _reuse(target_file, _named(spec, "headers", _is_location))
    if own is not None:
        return own
    return _shared(spec, target_file, "headers", "Location", header)


@per_spec
def _problem_schema(spec: Spec) -> tuple[Pointer, str] | None:
    # Names only: the schema store is not parsed for them (``SourceFile.keys_at``).
    pointer = _section_pointer(spec, "definitions" if spec.is_swagger else "schemas")
    for name in spec.workspace.root.keys_at(pointer):
        if str(name).lower() in _PROBLEM_SCHEMA_NAMES:
            return (*pointer, name), str(name)
    return None


@per_spec
def _shared_response(spec: Spec, code: str) -> Node | None:
    """The ``code`` response (``409``, ``400``) some POST or PUT already uses by ``$ref``
    (looked up once per spec: every create that lacks one asks)."""
    for op in spec.operations:
        container = op.node.child("responses")
        entry = container.child(code) if container is not None else None
        if entry is not None and isinstance(entry.value, dict) and "$ref" in entry.value:
            resolved = spec.workspace.deref(entry)
            if resolved is not None:
                return resolved
    return None


def _is_conflict(name: str, value: Any, wanted: str) -> bool:
    """A reusable response named for a conflict: ``Conflict``, ``409``, ``AlreadyExists``..."""
    words = re.sub(r"[^a-z0-9]", "", name.lower())
    return "conflict" in words or words.startswith("409") or "alreadyexists" in words


def _is_bad_request(name: str, value: Any, wanted: str) -> bool:
    """A reusable response named for a rejected request."""
    return bool(_BAD_REQUEST_NAMES.match(re.sub(r"[^a-z0-9]", "", name.lower())))


def _is_location(name: str, value: Any, wanted: str) -> bool:
    return name.lower() == "location"


def _is_header_parameter(name: str, value: Any, wanted: str) -> bool:
    """A reusable header parameter named ``wanted`` (case-insensitively, as HTTP names are)."""
    return value.get("in") == "header" and str(value.get("name", "")).lower() == wanted.lower()


@per_spec
def _named(
    spec: Spec, section: str, accept: Callable[[str, Any, str], bool], wanted: str = ""
) -> tuple[SourceFile, Pointer] | None:
    """The spec's own reusable ``section`` piece that ``accept`` recognises by its name and
    value (and ``wanted``, passed on): in the root document's components, else in the store its
    operations ``$ref`` such pieces from (``_store``). Found once per spec."""
    places = [(spec.workspace.root, _section_pointer(spec, section)), _store(spec, section)]
    for file, pointer in places:
        found, value = file.value_at(pointer)
        if found and isinstance(value, dict):
            for name, entry in value.items():
                if isinstance(entry, dict) and accept(str(name), entry, wanted):
                    return file, (*pointer, str(name))
    return None


def _reuse(target_file: SourceFile, found: tuple[SourceFile, Pointer] | None) -> Remedy | None:
    return None if found is None else Remedy({"$ref": ref_between(target_file, *found)})


def conflict_response(
    op: Operation, target_file: SourceFile, template: str | None = None
) -> Remedy:
    """A ``409 Conflict`` response: the ``fix-templates`` one, else the spec's own reusable one
    if any operation already uses it by ``$ref`` or its reusable responses name one so, else a
    ``Conflict`` added to them whose body is the error schema the spec's client errors share
    (its Problem schema, or RFC 9457 problem details, when they share none). An operation whose
    own client errors use another schema or media type gets its own 409 with that body, inline.
    The description claims no more than a duplicate: the spec may have no idempotency key."""
    spec = op.spec
    chosen = _template(spec, target_file, template)
    if chosen is not None:
        return chosen
    shared = _shared_response(spec, "409")
    if shared is not None:
        return Remedy({"$ref": ref_between(target_file, shared.file, shared.pointer)})
    own = _reuse(target_file, _named(spec, "responses", _is_conflict))
    if own is not None:
        return own
    return _error_remedy(op, target_file, "Conflict", "Conflict: the resource already exists.")


def _error_remedy(op: Operation, target_file: SourceFile, name: str, description: str) -> Remedy:
    """An error response whose body is what the API's client errors use: shared as ``name`` when
    the operation's own errors use the spec's common body, else inline with the operation's."""
    spec = op.spec
    own, common = _error_body(op), _spec_error_body(spec)
    if own is not None and not _same_body(own, common):
        return Remedy(_relocated(spec, _error_response(spec, own, description), target_file))
    definition = _error_response(spec, common, description)
    return _shared(spec, target_file, "responses", name, definition)


def _error_response(spec: Spec, error: tuple[Node, str] | None, description: str) -> Any:
    """An error response as the root document would define it: its body the ``error`` schema
    (by ``$ref``, with its media type), else the spec's Problem schema, else RFC 9457 problem
    details. ``$ref``s are written as from the root; ``_relocated`` moves them."""
    root = spec.workspace.root
    media = PROBLEM_MEDIA_TYPE
    schema: Any
    problem = _problem_schema(spec)
    if error is not None:
        node, media = error
        schema = {"$ref": _rebased(str(node.value["$ref"]), node.file, root)}
    elif problem is not None:
        schema = _ref(spec, root, problem[0])
    else:
        schema = _problem_details()
    if spec.is_swagger:
        return {"description": description, "schema": schema}
    return {
        "description": description,
        "content": {media or PROBLEM_MEDIA_TYPE: {"schema": schema}},
    }


def _relocated(spec: Spec, definition: Any, target_file: SourceFile) -> Any:
    """``definition`` (written as from the root document) placed in ``target_file``: its body's
    ``$ref`` rewritten to mean the same from there (a copy; ``definition`` is left as it is)."""
    root = spec.workspace.root
    if target_file.path == root.path or not isinstance(definition, dict):
        return definition
    definition = copy.deepcopy(definition)
    holders = (
        [definition]
        if spec.is_swagger
        else [m for m in definition.get("content", {}).values() if isinstance(m, dict)]
    )
    for holder in holders:
        schema = holder.get("schema")
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            holder["schema"] = {"$ref": _rebased(schema["$ref"], root, target_file)}
    return definition


#: Names of reusable responses for a rejected request (compared without case or punctuation).
_BAD_REQUEST_NAMES = re.compile(
    r"^(?:400|badrequest|badrequesterror|invalidrequest|invalidinput|validationerror|"
    r"validationfailed|clienterror|error400|response400|http400)",
)


def _error_body(op: Operation) -> tuple[Node, str] | None:
    """The body schema, by ``$ref`` (never opened), with its media type, that the operation's
    own client errors use (``4xx``, else ``default``), else the one the spec's POSTs and PUTs
    use most: the fix answers bad input the way the API answers its other errors."""
    for client_errors in (True, False):
        for code, response in op.responses.items():
            if code.startswith("4") == client_errors and (client_errors or code == "default"):
                found = _body_ref(op.spec, response.node)
                if found is not None:
                    return found
    return _spec_error_body(op.spec)


@per_spec
def _spec_error_body(spec: Spec) -> tuple[Node, str] | None:
    counts: dict[tuple[SchemaRef | None, str], int] = {}
    first: dict[tuple[SchemaRef | None, str], tuple[Node, str]] = {}
    for client_errors in (True, False):
        for op in spec.operations:
            for code, response in op.responses.items():
                if code.startswith("4") != client_errors or (
                    not client_errors and code != "default"
                ):
                    continue
                found = _body_ref(spec, response.node)
                if found is None:
                    continue
                schema, media = found
                key = (schema_identity(schema), media)
                counts[key] = counts.get(key, 0) + 1
                first.setdefault(key, (schema, media))
        if counts:
            best = max(counts, key=lambda k: counts[k])  # ties: the first seen (dicts keep order)
            return first[best]
    return None


def _body_ref(spec: Spec, response: Node) -> tuple[Node, str] | None:
    """A response's body schema if it is a ``$ref``, with its media type."""
    if spec.is_swagger:
        schema = response.child("schema")
        media = ""
    else:
        content = response.child("content")
        if content is None or not isinstance(content.value, dict):
            return None
        media = next((str(m) for m in content.value if "json" in str(m).lower()), "")
        holder = content.child(media) if media else None
        schema = holder.child("schema") if holder is not None else None
    if schema is None or not isinstance(schema.value, dict) or "$ref" not in schema.value:
        return None
    if NOT_LOCAL.match(str(schema.value["$ref"])):
        return None  # a remote schema: a fix must not add a $ref the tool itself cannot follow
    return schema, media


def invalid_input_response(op: Operation, template: str | None = None) -> Remedy:
    """A ``400 Bad Request`` response for ``op``, the spec's own parts first: the
    ``fix-templates`` one, the ``400`` its operations already share by ``$ref``, else its
    reusable response named so, else a ``BadRequest`` added to them whose body is the schema its
    client errors share. An operation whose own errors use another schema gets its own 400 with
    that body, inline."""
    spec, target_file = op.spec, op.node.file
    chosen = _template(spec, target_file, template)
    if chosen is not None:
        return chosen
    shared = _shared_response(spec, "400")
    if shared is not None:
        return Remedy({"$ref": ref_between(target_file, shared.file, shared.pointer)})
    own = _reuse(target_file, _named(spec, "responses", _is_bad_request))
    if own is not None:
        return own
    description = "Bad Request: the request body is invalid; nothing was created."
    return _error_remedy(op, target_file, "BadRequest", description)


def _same_body(a: tuple[Node, str], b: tuple[Node, str] | None) -> bool:
    """Two ``$ref``'d bodies that name the same schema with the same media type."""
    if b is None:
        return False
    (one, media_one), (other, media_other) = a, b
    return media_one == media_other and schema_identity(one) == schema_identity(other)


def _rebased(ref: str, written_in: SourceFile, moved_to: SourceFile) -> str:
    """``ref`` as written in ``written_in``, rewritten to mean the same from ``moved_to``,
    without reading its target (it may lie in a large spec's unread schema store)."""
    return _rebased_path(ref, written_in.path, moved_to.path)


@lru_cache(maxsize=256)
def _rebased_path(ref: str, written_in: Path, moved_to: Path) -> str:
    location, _, fragment = ref.partition("#")
    if NOT_LOCAL.match(location) or written_in == moved_to:
        return ref  # a URL or an absolute path means the same from anywhere; keep the spelling
    if not location:
        target = os.path.normpath(written_in)
    else:
        target = os.path.normpath(written_in.parent / unquote(location))
    if target == os.path.normpath(moved_to):
        return "#" + fragment
    relative = relative_location(moved_to, Path(target))
    return relative + ("#" + fragment if fragment else "")


def idempotency_parameter(
    spec: Spec, target_file: SourceFile, name: str, template: str | None = None
) -> Remedy:
    """The ``Idempotency-Key`` header parameter: the ``fix-templates`` one, else the spec's own
    reusable one, else one added to its reusable parameters."""
    chosen = _template(spec, target_file, template)
    if chosen is not None:
        return chosen
    own = _reuse(target_file, _named(spec, "parameters", _is_header_parameter, name))
    if own is not None:
        return own
    description = (
        "Unique key for this request (IETF draft-ietf-httpapi-idempotency-key-header); a retry "
        "with the same key returns the first result instead of creating a duplicate."
    )
    definition: dict[str, Any] = {"name": name, "in": "header", "required": False}
    if spec.is_swagger:
        definition.update(type="string", description=description)
    else:
        definition.update(description=description, schema={"type": "string"})
    component = re.sub(r"[^A-Za-z0-9]", "", name) or "IdempotencyKey"
    return _shared(spec, target_file, "parameters", component, definition)


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
