"""What a POST or PUT would bring into existence, read from the spec's own structure.

One place answers "where is the created resource?": the item path below the collection, the
``GET`` that reads one item and the schema it returns, the ``GET`` that lists the collection, and
whether the operation's success response carries an identifier. The judgement weighs these facts
(``classify.py``); rules that ask about the created resource read them from here too.

Schemas are compared by where they are defined (the target of their ``$ref``) before anything is
read: two responses that ``$ref`` one component describe the same type without a look inside.
Only the success responses of the operation and of its ``GET`` neighbours are ever opened, one
level deep, so a large spec's schema store is not read as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import unquote

from oas_create_check.load.refs import Node
from oas_create_check.spec.operations import Operation, Response, Spec, per_spec
from oas_create_check.spec.words import NOT_PLURAL

#: Property names that identify a resource or link to it.
_ID_NAMES = frozenset(
    "id uuid guid sid key self href url uri link links location resource_id resourceid".split()
)
_ID_SUFFIX = re.compile(r"(?:_id|Id|ID|_uuid|Uuid|_key|Key)$")
#: Envelope properties that hold the payload (``{"data": {...}}``).
_ENVELOPES = ("data", "result", "item", "resource", "object")
#: Properties that hold the items of a list response (``{"items": [...], "next": ...}``).
_SUCCESS = ("201", "200", "202", "2XX")


@lru_cache(maxsize=4096)
def _segments(path: str) -> tuple[str, ...]:
    bare = re.split(r"[?#]", path, maxsplit=1)[0]
    return tuple(s for s in bare.split("/") if s)


def segments(path: str) -> list[str]:
    """Path segments, ignoring a query or fragment some specs put in path keys
    (``/responses?beta=true``, Box's ``/files/{id}#add_shared_link``)."""
    return list(_segments(path))


def is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


@per_spec
def _item_paths(spec: Spec) -> dict[tuple[str, ...], str]:
    """Collection segments -> the first item path right below it (``("pets",)`` ->
    ``/pets/{id}``), computed once per spec: every POST asks."""
    found: dict[tuple[str, ...], str] = {}
    for path in spec.path_items:
        parts = segments(path)
        for depth, segment in enumerate(parts):
            if is_param(segment):
                found.setdefault(tuple(parts[:depth]), "/" + "/".join(parts[: depth + 1]))
    return found


_VERSION = re.compile(r"^(?:v\d+(?:\.\d+)*|api|rest)$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def family(path: str) -> str:
    """The top-level collection a path belongs to, past version prefixes (``/v2/droplets/...``
    -> ``droplets``)."""
    for part in _segments(path):
        if not _VERSION.match(part):
            return part
    return ""


@per_spec
def _item_paths_by_family(spec: Spec) -> dict[str, list[str]]:
    """Every item path (ending in a parameter), by family: computed once per spec."""
    found: dict[str, list[str]] = {}
    for path in spec.path_items:
        parts = _segments(path)
        if parts and is_param(parts[-1]):
            found.setdefault(family(path), []).append(path)
    return found


@per_spec
def item_types(spec: Spec, top: str) -> frozenset[SchemaRef]:
    """The schemas that ``GET`` on an item path of the family ``top`` returns: the resource types
    a POST there may hand back. Compared by ``$ref`` target only (no schema is read); one family
    at a time, so a multi-file spec loads only the response files of the paths nearby."""
    found: set[SchemaRef] = set()
    for path in _item_paths_by_family(spec).get(top, ()):
        item = spec.path_items[path]
        get = item.child("get")
        target = spec.workspace.deref(get) if get is not None else None
        if target is None or not isinstance(target.value, dict):
            continue
        schema = success_schema(Operation(spec, path, "get", item, target))
        identity = schema_identity(_unwrap(schema)) if schema is not None else None
        if identity is not None:
            found.add(identity)
    return frozenset(found)


@dataclass(frozen=True)
class SchemaRef:
    """Where a schema is defined: a file and a pointer, as text."""

    file: str
    fragment: str


def schema_identity(node: Node) -> SchemaRef | None:
    """The ``$ref`` target of a schema node, without reading it (None for an inline schema)."""
    value = node.value
    ref = value.get("$ref") if isinstance(value, dict) else None
    if not isinstance(ref, str):
        return None
    location, _, fragment = ref.partition("#")
    file = node.file.key
    if location:
        file = file.parent / unquote(location)
    return SchemaRef(str(file).replace("/./", "/"), unquote(fragment))


def response_schema(op: Operation, response: Response) -> Node | None:
    """The schema node of a response's JSON body (or first body), unresolved."""
    node = response.node
    if op.spec.is_swagger:
        return node.child("schema")
    content = node.child("content")
    if content is None or not isinstance(content.value, dict) or not content.value:
        return None
    types = list(content.value)
    chosen = next((t for t in types if "json" in str(t).lower()), types[0])
    media = content.child(chosen)
    return media.child("schema") if media is not None else None


class Resource:
    """The facts about the resource that ``op`` would create, each computed on first use."""

    def __init__(self, op: Operation) -> None:
        self.op = op
        self.spec = op.spec
        self.segments = segments(op.path)

    # -- where the resource would live -------------------------------------------------------
    @cached_property
    def item_path(self) -> str | None:
        """An item path right below the collection (``/pets`` -> ``/pets/{id}``)."""
        return _item_paths(self.spec).get(tuple(self.segments))

    @cached_property
    def parent_item_path(self) -> str | None:
        """An item path below the parent collection (``/v1/shoppers/subaccount`` ->
        ``/v1/shoppers/{id}``): weaker, the parent's items may be another kind of thing."""
        if len(self.segments) > 1 and not is_param(self.segments[-2]):
            return _item_paths(self.spec).get(tuple(self.segments[:-1]))
        return None

    @cached_property
    def singleton_name(self) -> str | None:
        """The value the last path parameter is limited to when its schema allows only a few
        fixed names (Azure's ``{settingName}`` with ``enum: [current]``): such a resource always
        exists, one per parent, and a PUT to it configures rather than creates."""
        last = self.segments[-1] if self.segments else ""
        if not is_param(last):
            return None
        name = last.strip("{}+")
        for node in self.op.parameters:
            value = node.value
            if value.get("in") != "path" or value.get("name") != name:
                continue
            schema = value.get("schema") if isinstance(value.get("schema"), dict) else value
            enum = schema.get("enum") if isinstance(schema, dict) else None
            if isinstance(enum, list) and 0 < len(enum) <= 3:
                return ", ".join(map(str, enum))
        return None

    @property
    def deletable(self) -> bool:
        """The operation's own path has a ``DELETE`` (read from the path item's keys)."""
        item = self.spec.path_items.get(self.op.path)
        return item is not None and isinstance(item.value.get("delete"), dict)

    @cached_property
    def item_get(self) -> Operation | None:
        """The ``GET`` of the item path, as a view (to read its schema)."""
        if self.item_path is None:
            return None
        for path, node in self.spec.path_items.items():
            if segments(path) == segments(self.item_path):
                get = node.child("get")
                target = self.spec.workspace.deref(get) if get is not None else None
                if target is not None and isinstance(target.value, dict):
                    return Operation(self.spec, path, "get", node, target)
        return None

    @property
    def answers_get(self) -> bool:
        """The operation's own path has a ``GET`` (read from the path item's keys: the ``GET``
        itself, maybe in another file, is not opened)."""
        item = self.spec.path_items.get(self.op.path)
        return item is not None and isinstance(item.value.get("get"), dict)

    @cached_property
    def same_path_get(self) -> Operation | None:
        item = self.spec.path_items.get(self.op.path)
        get = item.child("get") if item is not None else None
        target = self.spec.workspace.deref(get) if get is not None else None
        if item is None or target is None or not isinstance(target.value, dict):
            return None
        return Operation(self.spec, self.op.path, "get", item, target)

    # -- schemas -----------------------------------------------------------------------------
    @cached_property
    def created_schema(self) -> Node | None:
        """The schema of the operation's own success response, unwrapped from an envelope."""
        schema = success_schema(self.op)
        return _unwrap(schema) if schema is not None else None

    @cached_property
    def item_schema(self) -> Node | None:
        get = self.item_get
        schema = success_schema(get) if get is not None else None
        return _unwrap(schema) if schema is not None else None

    @cached_property
    def returns_the_item(self) -> bool:
        """The success response is the very schema the item's ``GET`` returns: the same
        ``$ref`` target, or inline schemas with (nearly) the same properties."""
        mine, theirs = self.created_schema, self.item_schema
        if mine is None or theirs is None:
            return False
        a, b = schema_identity(mine), schema_identity(theirs)
        if a is not None or b is not None:
            return a == b
        names_a, names_b = _inline_properties(mine), _inline_properties(theirs)
        if len(names_a) < 3 or len(names_b) < 3:
            return False
        return len(names_a & names_b) / len(names_a | names_b) >= 0.8

    @cached_property
    def returns_a_resource(self) -> bool:
        """The success response is a type that some item path of the API returns: whatever
        the path looks like (``/files/{id}/copy``), the result can be read again."""
        schema = self.created_schema
        identity = schema_identity(schema) if schema is not None else None
        return identity is not None and identity in item_types(self.spec, family(self.op.path))

    @cached_property
    def identifier(self) -> str | None:
        """A property of an inline success schema that identifies or links to a resource (a
        ``$ref``'d schema is not opened for so weak a clue)."""
        schema = self.created_schema
        for name in _inline_properties(schema) if schema is not None else ():
            if name.lower() in _ID_NAMES or _ID_SUFFIX.search(name):
                return name
        return None

    @cached_property
    def listing(self) -> bool | None:
        """Whether a ``GET`` on the same path lists objects (True), answers something else
        (False), or there is none (None). A path that answers ``GET`` with one object is an RPC
        endpoint or a singleton, not a collection."""
        get = self.same_path_get
        if get is None:
            return None
        schema = success_schema(get)
        if schema is None:
            return True  # an undocumented body: give the collection the benefit of the doubt
        return _lists_objects(schema)

    @cached_property
    def location(self) -> bool:
        """A success response declares a ``Location`` header (by name: headers are not opened)."""
        response = success_response(self.op)
        headers = response.node.value.get("headers") if response is not None else None
        return isinstance(headers, dict) and any(str(h).lower() == "location" for h in headers)


def success_response(op: Operation) -> Response | None:
    """The first success response (201, 200, 202, 2XX), dereferenced alone: the other
    responses of a neighbouring ``GET`` may live in files nobody else needs."""
    container = op.node.value.get("responses")
    if not isinstance(container, dict):
        return None
    by_code = {str(code).upper(): code for code in container}
    for code in _SUCCESS:
        if code in by_code:
            holder = op.node.child("responses")
            entry = holder.child(by_code[code]) if holder is not None else None
            node = op.spec.workspace.deref(entry) if entry is not None else None
            if entry is not None and node is not None and isinstance(node.value, dict):
                return Response(code, entry, node)
    return None


def success_schema(op: Operation) -> Node | None:
    response = success_response(op)
    return response_schema(op, response) if response is not None else None


def _inline_properties(node: Node) -> set[str]:
    """Property names of an inline object schema (one level into an inline ``allOf``)."""
    value = node.value
    if not isinstance(value, dict) or "$ref" in value:
        return set()
    props = value.get("properties")
    if isinstance(props, dict):
        return {str(k) for k in props}
    found: set[str] = set()
    for part in value.get("allOf") or ():
        if isinstance(part, dict) and isinstance(part.get("properties"), dict):
            found |= {str(k) for k in part["properties"]}
    return found


def _unwrap(node: Node) -> Node:
    """``{"data": {...}}`` -> the payload schema; anything else as it is. A ``$ref``'d schema is
    taken as it is: it names a type already, and is not opened."""
    value = node.value
    if not isinstance(value, dict) or "$ref" in value:
        return node
    props = node.child("properties")
    if props is None or not isinstance(props.value, dict) or len(props.value) > 4:
        return node
    for envelope in _ENVELOPES:
        inner = props.child(envelope)
        if inner is None or not isinstance(inner.value, dict):
            continue
        if inner.value.get("type") != "array" and "items" not in inner.value:
            return inner
    return node


def _lists_objects(node: Node) -> bool:
    """An array of objects, or an object holding one (a page: ``{"items": [...]}``). A ``$ref``'d
    schema is judged by its name (``ListFilesResponse``, ``Droplets``, ``PagedUsers``), never
    opened: that would read a large spec's whole schema store for one word of evidence."""
    identity = schema_identity(node)
    if identity is not None:
        return _names_a_list(identity)
    value = node.value
    if not isinstance(value, dict):
        return False
    if _is_object_array(value):
        return True
    props = value.get("properties")
    if not isinstance(props, dict):
        return False
    for child in props.values():
        if not isinstance(child, dict):
            continue
        ref = child.get("$ref")
        if isinstance(ref, str) and _names_a_list(SchemaRef("", ref.partition("#")[2] or ref)):
            return True
        if _is_object_array(child):
            return True
    return False


_LIST_WORDS = frozenset(
    "list lists page paged paginated pagination collection results items".split()
)


def _names_a_list(ref: SchemaRef) -> bool:
    name = ref.fragment.rstrip("/").rsplit("/", 1)[-1] or ref.file.rsplit("/", 1)[-1]
    name = re.sub(r"\.(ya?ml|json)$", "", name)
    parts = [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)]
    if not parts:
        return False
    if _LIST_WORDS & set(parts):
        return True
    last = (
        parts[-1]
        if parts[-1] not in ("response", "result", "body", "dto", "model")
        else (parts[-2] if len(parts) > 1 else "")
    )
    return last.endswith("s") and not last.endswith(("ss", "us", "is")) and last not in NOT_PLURAL


def _is_object_array(value: dict[str, object]) -> bool:
    """An inline array whose items are objects or a ``$ref`` (a named type: not opened)."""
    if value.get("type") != "array" and "items" not in value:
        return False
    items = value.get("items")
    if not isinstance(items, dict):
        return False
    return (
        "$ref" in items
        or items.get("type") == "object"
        or "properties" in items
        or ("allOf" in items)
    )
