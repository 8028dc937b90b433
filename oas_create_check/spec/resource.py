"""What a POST or PUT would bring into existence, read from the spec's own structure.

One place answers "where is the created resource?": the item path below the collection, the
``GET`` that reads one item and the schema it returns, the ``GET`` that lists the collection,
whether the operation's success response carries an identifier, which ``GET`` reads the result
back, and whether its lifecycle says it is still being made. The judgement weighs these facts
(``classify.py``); the rules that ask about the created resource (can it be read back, does the
``201`` identify it, is it still pending) read them from here too (``Resource.of``), never from a
copy.

Schemas are compared by where they are defined (the target of their ``$ref``) before anything is
read: two responses that ``$ref`` one component describe the same type without a look inside.
For the judgement, only the success responses of the operation and of its ``GET`` neighbours are
ever opened, one level deep, so a large spec's schema store is not read as a whole. Reading a
result back is decided from the paths alone. The rules' deeper questions about a body (its
properties, the values of its state: ``schemas.py``) follow ``$ref`` and ``allOf`` into the
store, and are asked only where the cheap evidence leaves the answer open.

Why this module is long (about 800 lines, past the house's ~500): it is deliberately the one place
that decides what a create creates, read by the judgement and by the creation rules alike; the
schema-reading primitives already moved to ``schemas.py``. Splitting the resource facts from the
path facts (item paths, families, RPC style) is the next cut.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import unquote

from oas_create_check.load.refs import Node
from oas_create_check.spec.operations import HTTP_METHODS, Operation, Response, Spec, per_spec
from oas_create_check.spec.schemas import (
    ENVELOPES,
    NO_PROPERTIES,
    Properties,
    enum_values,
    envelope_payload,
    only_scalars,
    payload_node,
    schema_properties,
)
from oas_create_check.spec.words import NOT_PLURAL

#: Property names that identify a resource or link to it.
_ID_NAMES = frozenset(
    "id uuid guid sid key self href url uri link links location resource_id resourceid".split()
)
_ID_SUFFIX = re.compile(r"(?:_id|Id|ID|_uuid|Uuid|_key|Key)$")
#: The success statuses, in the order the result of a POST or PUT is looked for.
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
    return {parts: found[0] for parts, found in _all_item_paths(spec).items()}


@per_spec
def _all_item_paths(spec: Spec) -> dict[tuple[str, ...], list[str]]:
    """Collection segments -> every item path right below it, as the item's segments joined
    (``("pets",)`` -> ``["/pets/{id}", "/pets/{name}"]``), in document order."""
    found: dict[tuple[str, ...], list[str]] = {}
    for path in spec.path_items:
        parts = segments(path)
        for depth, segment in enumerate(parts):
            if is_param(segment):
                item = "/" + "/".join(parts[: depth + 1])
                known = found.setdefault(tuple(parts[:depth]), [])
                if item not in known:
                    known.append(item)
    return found


@per_spec
def _paths_by_segments(spec: Spec) -> dict[tuple[str, ...], list[str]]:
    """Path keys by their segments (``/pets/{id}/`` and ``/pets/{id}`` are one path), in
    document order."""
    found: dict[tuple[str, ...], list[str]] = {}
    for path in spec.path_items:
        found.setdefault(_segments(path), []).append(path)
    return found


def _get_below(spec: Spec, item: tuple[str, ...]) -> str | None:
    """A path right below the item path, named by a singular noun, that answers ``GET``
    (``/zip_downloads/{id}/status``, ``/containers/{id}/json``): it reads the resource's state
    or content. A plural one (``/tags/{id}/shows``) lists something else."""
    for parts, spelled in _paths_by_segments(spec).items():
        if len(parts) <= len(item) or parts[: len(item)] != item:
            continue
        below = parts[len(item)]
        if is_param(below) or _plural(below):
            continue
        for path in spelled:
            if "get" in spec.methods_at(path):
                return path
    return None


def _plural(segment: str) -> bool:
    """Whether a path segment names many things (``posts.json`` and ``children`` do)."""
    word = re.sub(r"\.\w+$", "", segment).lower()
    if word in _IRREGULAR_PLURALS:
        return True
    return word.endswith("s") and not word.endswith("ss") and word not in NOT_PLURAL


_IRREGULAR_PLURALS = frozenset("children people data media criteria indices".split())


@per_spec
def _item_gets_by_noun(spec: Spec) -> dict[str, list[str]]:
    """Item paths that answer ``GET``, by the lower-cased name of their collection (the
    segment before the last parameter): ``snapshots`` -> ``/v2/snapshots/{snapshot_id}``."""
    found: dict[str, list[str]] = {}
    for parts, spelled in _paths_by_segments(spec).items():
        if len(parts) < 2 or not is_param(parts[-1]) or is_param(parts[-2]):
            continue
        for path in spelled:
            if "get" in spec.methods_at(path):
                found.setdefault(parts[-2].lower(), []).append(path)
                break
    return found


def _same_name_item_get(spec: Spec, own: str) -> str | None:
    """An item ``GET`` of a collection of the same name elsewhere (``/v2/actions/{id}`` for
    ``POST /v2/nfs/{id}/actions``), or named after the parent and the noun
    (``/v2/vpc_peerings/{id}`` for ``POST /v2/vpcs/{id}/peerings``): at the top of the API,
    where a resource type has its own home, or in the same family of paths. A namesake
    elsewhere (``/v2/account/keys`` for ``/v2/functions/.../keys``) may be another thing."""
    parts = _segments(own)
    nouns = [p for p in parts if not is_param(p)]
    if not nouns or is_param(parts[-1]):
        return None
    noun = nouns[-1].lower()
    names = {noun}
    if len(nouns) > 1:
        parent = nouns[-2].lower()
        single = parent[:-1] if _plural(parent) else parent
        names |= {f"{single}_{noun}", f"{single}-{noun}", f"{parent}_{noun}"}
    top = family(own)
    for name in names:
        for path in _item_gets_by_noun(spec).get(name, ()):
            home = [p for p in _segments(path) if not _VERSION.match(p)]
            if path.startswith(own.rstrip("/") + "/"):
                continue
            if len(home) == 2 or family(path) == top:
                return path
    return None


@per_spec
def every_post_declares(spec: Spec, code: str) -> bool:
    """Whether (nearly) every POST of the spec declares ``code``, verbs and lookups included:
    a generator's default (springfox puts 201 and 202 on every POST), not a statement about
    any one operation."""
    posts = [op for op in spec.operations if op.method == "post"]
    declaring = sum(code in op.status_codes() for op in posts)
    return len(posts) >= 5 and declaring >= 0.9 * len(posts)


def path_key(spec: Spec, path: str) -> str | None:
    """The key under ``paths`` that spells ``path`` (maybe with a trailing slash), or None when
    the spec has no such path (``/pets/{id}`` may appear only as the start of deeper paths)."""
    spelled = _paths_by_segments(spec).get(_segments(path))
    return spelled[0] if spelled else None


@per_spec
def rpc_style(spec: Spec) -> bool:
    """Whether the API names operations rather than resources in its paths, as AWS's
    ``/#X-Amz-Target=Service.CreateThing`` and ``/?Action=CreateThing`` ones do: nothing there is
    addressable by path, so a missing item path is no evidence of anything."""
    paths = list(spec.path_items)
    if not paths:
        return False
    return sum("X-Amz-Target=" in p or "Action=" in p for p in paths) * 2 >= len(paths)


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
    return SchemaRef(os.path.normpath(file), unquote(fragment))


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


#: Last path segments that name the one resource of its kind that always exists.
_FIXED_NAMES = frozenset("current default latest active".split())

_LOCATION_HEADERS = frozenset({"location", "operation-location"})

#: Where ``Resource.of`` keeps an operation's resource.
_MEMO = "_created_resource"


class Resource:
    """The facts about the resource that ``op`` would create, each computed on first use. Ask
    ``Resource.of(op)``: the judgement and the rules then share one set of answers."""

    def __init__(self, op: Operation) -> None:
        self.op = op
        self.spec = op.spec
        self.segments = segments(op.path)
        self._bodies: dict[tuple[str, str], Properties | None] = {}

    @classmethod
    def of(cls, op: Operation) -> Resource:
        """The one ``Resource`` of ``op``, kept on the operation view like its other cached
        facts (and gone with it)."""
        found = op.__dict__.get(_MEMO)
        if not isinstance(found, Resource):
            found = op.__dict__[_MEMO] = cls(op)
        return found

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
    def read_by_name(self) -> str | None:
        """The ``GET`` that reads any resource by its full name, for a collection below a
        ``{parent}`` (``POST /v1/{parent}/subscriptions`` -> ``GET /v1/{name}``): Google's
        resource names (AIP-122), where an item has no path of its own below the collection."""
        for depth, segment in enumerate(self.segments[:-1]):
            if segment.strip("{}+") != "parent" or not is_param(segment):
                continue
            for name in ("{name}", "{+name}"):
                path = path_key(self.spec, "/" + "/".join((*self.segments[:depth], name)))
                if path is not None and "get" in self.spec.methods_at(path):
                    return path
        return None

    @cached_property
    def singleton_name(self) -> str | None:
        """The names the last path segment is limited to: the values of an enum on its
        parameter (Azure's ``{settingName}`` with ``enum: [current]``, a fixed list of
        notification names), or a literal that names the one in force (``/pricingPlans/current``,
        ``/networkRuleSets/default``). Such a resource exists already, one per name, and a PUT to
        it configures rather than creates."""
        last = self.segments[-1] if self.segments else ""
        if last.lower() in _FIXED_NAMES:
            return last  # ``.../pricingPlans/current``: the one that is in force
        if not is_param(last):
            return None
        name = last.strip("{}+")
        for node in self.op.parameters:
            value = node.value
            if value.get("in") != "path" or value.get("name") != name:
                continue
            schema = value.get("schema") if isinstance(value.get("schema"), dict) else value
            enum = schema.get("enum") if isinstance(schema, dict) else None
            if isinstance(enum, list) and enum:
                return ", ".join(map(str, enum[:3])) + (", ..." if len(enum) > 3 else "")
        return None

    @property
    def deletable(self) -> bool:
        """The operation's own path has a ``DELETE`` (read from the path item's keys)."""
        item = self.spec.path_items.get(self.op.path)
        return item is not None and isinstance(item.value.get("delete"), dict)

    @cached_property
    def collection_takes_post(self) -> bool:
        """The path one segment up (``/things`` for ``/things/{id}``), or the item path itself,
        answers ``POST``: items there can be made without a ``PUT`` (read from the path item's
        keys)."""
        if "post" in self.spec.methods_at(self.op.path):
            return True
        if len(self.segments) < 2:
            return False
        path = path_key(self.spec, "/" + "/".join(self.segments[:-1]))
        return path is not None and "post" in self.spec.methods_at(path)

    @cached_property
    def item_get(self) -> Operation | None:
        """The ``GET`` of the item path, as a view (to read its schema)."""
        if self.item_path is None:
            return None
        for path in _paths_by_segments(self.spec).get(_segments(self.item_path), ()):
            node = self.spec.path_items[path]
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
        names_a, names_b = set(_inline_properties(mine)), set(_inline_properties(theirs))
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
    def location(self) -> str | None:
        """The header of a success response that points at what was made, by name (headers are
        not opened): ``Location``, or ``Operation-Location``, the status monitor of a job that a
        ``202`` started (RFC 9110's "pointer to a status monitor")."""
        response = success_response(self.op)
        headers = response.node.value.get("headers") if response is not None else None
        names = [str(h) for h in headers] if isinstance(headers, dict) else []
        return next((h for h in names if h.lower() in _LOCATION_HEADERS), None)

    def body_properties(self, response: Response) -> Properties:
        """The properties of a response's JSON body (``schema_properties``), read once per
        response however many rules ask."""
        key = ("body", response.code)
        found = self._bodies.get(key)
        if found is None:
            schema = response_schema(self.op, response)
            found = schema_properties(self.spec, schema) if schema is not None else NO_PROPERTIES
            self._bodies[key] = found
        return found

    def payload_properties(self, response: Response) -> Properties | None:
        """The properties of the payload of a response's envelope body (``envelope_payload``),
        or None when the body is no envelope."""
        key = ("payload", response.code)
        if key not in self._bodies:
            inner = envelope_payload(self.body_properties(response))
            self._bodies[key] = schema_properties(self.spec, inner) if inner is not None else None
        return self._bodies[key]

    def names_nothing(self, response: Response) -> list[str] | None:
        """The property names of a response body that cannot identify anything: every property
        a plain inline value, none of them an id, a name or a link (``{"message": ...,
        "success": ...}``); None if the body may identify something, or is not seen whole. Only
        the body's own schema is read (through ``$ref`` and ``allOf``), never what it nests."""
        properties = self.body_properties(response)
        if not properties.complete or identifying_property(properties.names) is not None:
            return None
        return properties.names if only_scalars(properties) else None

    def same_type_as_item(self, response: Response) -> bool:
        """The response's body is the type the item's ``GET`` returns, compared by ``$ref``
        target after unwrapping an envelope on both sides (``{"droplet": {$ref: droplet.yml}}``),
        without opening either; or the judgement's own ``returns_the_item``."""
        schema = response_schema(self.op, response)
        get = self.item_get
        theirs = success_schema(get) if get is not None else None
        if schema is None or theirs is None:
            return False
        mine_id = schema_identity(payload_node(schema))
        theirs_id = schema_identity(payload_node(theirs))
        if mine_id is not None and mine_id == theirs_id:
            return True
        return response.code == "201" and self.returns_the_item

    # -- how the created resource is read back ----------------------------------------------
    @cached_property
    def read_by(self) -> str | None:
        """The ``GET`` that reads the created resource back, as the spec documents it, or None.

        The paths alone answer, cheapest evidence first: a ``GET`` on an item path right below
        the collection, or on a singular path below that item (``/zip_downloads/{id}/status``);
        one on an item below the parent collection (``POST /things/create``); a ``GET`` that the
        success response's ``links`` name, or on the path an example or the description of its
        ``Location`` header shows; one on an item of a collection of the same name at the top
        of the API or in the same family of paths (``POST /v2/nfs/{id}/actions`` and ``GET
        /v2/actions/{id}``); a ``GET`` on the same path when a singular noun names it (a
        singleton: ``POST`` and ``GET /users/{id}/avatar``). Last, a ``GET`` on an item path of
        the API that returns the very type the operation returns, compared by ``$ref``
        (``POST /files/{id}/copy`` gives a file). An RPC-style API (AWS's ``X-Amz-Target``)
        has no paths to read by: it is never asked."""
        spec = self.spec
        below = _all_item_paths(spec).get(tuple(self.segments), [])
        parent = (
            _all_item_paths(spec).get(tuple(self.segments[:-1]), [])
            if len(self.segments) > 1 and not is_param(self.segments[-1])
            else []
        )
        for item in (*below, *parent):
            path = self._path_with_get(item)
            if path is not None:
                return f"GET {path}"
        for item in below:
            path = _get_below(spec, _segments(item))
            if path is not None:
                return f"GET {path}"
        if self.linked_get is not None:
            return self.linked_get  # read from the success response itself
        response = self.own_success
        if response is not None:
            shown = self._location_get(response)
            if shown is not None:
                return shown
        same_name = _same_name_item_get(spec, self.op.path)
        if same_name is not None:
            return f"GET {same_name}"
        # a singular noun's GET reads the one thing there (``/users/{id}/avatar``, the active
        # ``/garbage-collection``), as does an item URI's; a plural noun's lists a collection
        last = self.segments[-1] if self.segments else ""
        if self.answers_get and (is_param(last) or not _plural(last)):
            return f"GET {self.op.path}"
        if self.returns_a_resource:
            return "a GET on an item path that returns the same schema"
        return None

    @cached_property
    def linked_get(self) -> str | None:
        """The ``GET`` that the success response's ``links`` name (OpenAPI 3), if any (the
        first success response only, dereferenced alone, as ``location`` reads it)."""
        response = success_response(self.op)
        return self._linked_get(response) if response is not None else None

    @cached_property
    def own_success(self) -> Response | None:
        """The operation's own first success response (201, 200, 202, 2XX), from the responses
        it has resolved already."""
        for code in _SUCCESS:
            if code in self.op.responses:
                return self.op.responses[code]
        return None

    @cached_property
    def unit_of_work(self) -> bool:
        """The created thing is a unit of work, by the last noun of its path: a job, run, task,
        report, export, import, batch, action, scan, build, deployment, operation..."""
        nouns = [s for s in self.segments if not is_param(s)]
        last = re.findall(r"[A-Za-z]+", nouns[-1]) if nouns else []
        return bool(last) and last[-1].lower() in _WORK_NOUNS

    @cached_property
    def item_paths(self) -> list[str]:
        """Every item path right below the collection (``/pets`` -> ``/pets/{id}``), with or
        without a ``GET``."""
        return list(_all_item_paths(self.spec).get(tuple(self.segments), []))

    def _path_with_get(self, item: str) -> str | None:
        path = path_key(self.spec, item)
        return path if path is not None and "get" in self.spec.methods_at(path) else None

    def _linked_get(self, response: Response) -> str | None:
        """A ``GET`` named by the response's ``links`` (OpenAPI 3): by ``operationId`` or by an
        ``operationRef`` into this document's ``paths``."""
        links = response.node.child("links")
        if links is None or not isinstance(links.value, dict):
            return None
        by_id = _operations_by_id(self.spec)
        for _, entry in links.items():
            link = self.spec.workspace.deref(entry)
            value = link.value if link is not None else None
            if not isinstance(value, dict):
                continue
            target = by_id.get(str(value.get("operationId", "")))
            ref = value.get("operationRef")
            if target is None and isinstance(ref, str) and ref.startswith("#/paths/"):
                pointer = [
                    unquote(p).replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")
                ]
                if len(pointer) == 3:
                    target = (pointer[1], pointer[2].lower())
            if target is not None and target[1] == "get" and target[0] in self.spec.path_items:
                return f"GET {target[0]} (linked)"
        return None

    def _location_get(self, response: Response) -> str | None:
        """A ``GET`` on the path that the ``Location`` header's example or description shows
        (``/v1/pets/42``, ``https://api.example.com/pets/{petId}``), matched against the path
        templates from the end, past any server prefix."""
        holder = response.node.child("headers")
        if holder is None or not isinstance(holder.value, dict):
            return None
        for name, entry in holder.items():
            if name.lower() != "location":
                continue
            header = self.spec.workspace.deref(entry)
            for text in _example_texts(header.value if header is not None else None):
                for found in _URL_PATH.findall(text):
                    path = _get_matching(self.spec, tuple(s for s in found.split("/") if s))
                    if path is not None:
                        return f"GET {path} (where Location points)"
        return None


@per_spec
def _operations_by_id(spec: Spec) -> dict[str, tuple[str, str]]:
    """operationId -> (path, method), read from the path items' operations as written."""
    found: dict[str, tuple[str, str]] = {}
    for path, item in spec.path_items.items():
        for method in HTTP_METHODS:
            operation = item.value.get(method)
            if isinstance(operation, dict) and isinstance(operation.get("operationId"), str):
                found.setdefault(operation["operationId"], (path, method))
    return found


#: A URI path in free text: after a scheme and host, or starting with ``/``.
_URL_PATH = re.compile(r"(?:https?://[^/\s\"'<>]+)?(/[\w\-.~%{}:@/]+)")


def _example_texts(header: object) -> list[str]:
    """What a header object says about its value: its examples, then its description."""
    if not isinstance(header, dict):
        return []
    texts: list[object] = [header.get("example"), header.get("x-example")]
    schema = header.get("schema")
    if isinstance(schema, dict):
        texts += [schema.get("example"), *(schema.get("examples") or [])[:3]]
    examples = header.get("examples")
    if isinstance(examples, dict):
        texts += [e.get("value") for e in examples.values() if isinstance(e, dict)]
    texts.append(header.get("description"))
    return [t for t in texts if isinstance(t, str)]


def _get_matching(spec: Spec, shown: tuple[str, ...]) -> str | None:
    """The path with a ``GET`` whose template matches the end of ``shown`` (``{x}`` matches any
    segment), ending in a parameter: a collection's own path is no item."""
    for parts, spelled in _paths_by_segments(spec).items():
        if not parts or not is_param(parts[-1]) or len(parts) > len(shown):
            continue
        tail = shown[len(shown) - len(parts) :]
        if all(is_param(t) or t == s for t, s in zip(parts, tail, strict=True)):
            for path in spelled:
                if "get" in spec.methods_at(path):
                    return path
    return None


#: Property names that identify a resource for a client reading a ``201`` or ``202`` body:
#: those of the judgement, and the other names APIs identify things by (Google's and
#: Kubernetes' ``name``, a ``slug``, an order ``number``, a ``job``, an ``ip``...).
_BODY_ID_NAMES = _ID_NAMES | frozenset(
    "name _links job slug code number ip handle token ids".split()
)
_BODY_ID_SUFFIX = re.compile(
    r"(?:_id|Id|ID|_ids|Ids|IDs|_uuid|Uuid|_key|Key|_url|Url|URL|_uri|Uri|URI|_href|Href|"
    r"_link|Link|_links|Links|_number|Number)$"
)


def identifying_property(names: list[str]) -> str | None:
    """The first property that identifies the resource or links to it: ``id``, ``*_id``,
    ``uuid``, ``href``, ``self``, ``url``, ``*_url``, ``links``, ``name``, ``slug``..."""
    for name in names:
        if name.lower() in _BODY_ID_NAMES or _BODY_ID_SUFFIX.search(name):
            return name
    return None


#: Property names that hold a resource's lifecycle state.
_STATE_NAMES = re.compile(
    r"^(?:status|state|phase|lifecycle_?state|provisioning_?state|processing_?status|"
    r"(?:job|task|run|operation|creation|build|deployment)_?(?:status|state))$",
    re.IGNORECASE,
)


#: Lifecycle values that say the resource itself is still being made, whatever it is.
CREATION_STATES = frozenset({"creating", "provisioning", "initializing", "initialising"})
#: Nouns for a unit of work (the last word of the path's last noun: ``/reports``,
#: ``/droplets/{id}/actions``, ``/detail_records_reports``): its "pending" is its own.
_WORK_NOUNS = frozenset(
    """
    jobs runs tasks reports exports imports batches actions scans builds deployments
    operations executions analyses syncs backups migrations conversions evaluations
    """.split()
)


def pending_state(
    spec: Spec, properties: list[Properties], pending: frozenset[str], work: bool
) -> tuple[str, list[str]] | None:
    """A lifecycle property (of the first of ``properties`` that has one) whose listed values
    include one of ``pending`` (compared lower-case, without ``_``, ``-`` or spaces) that says
    the creation is unfinished: a ``CREATION_STATES`` value always, any other only when the
    resource is a unit of work (``work``: a job's "queued" is its own; an invitation's or a
    payment's "pending" is its business, not its creation). The property and those values."""
    for listed in properties:
        for name in listed.names:
            if not _STATE_NAMES.match(name):
                continue
            node = listed.node(name)
            values = [v for v in enum_values(spec, node) if isinstance(v, str)] if node else []
            hits = [
                v
                for v in values
                if normal_word(v) in pending and (work or normal_word(v) in CREATION_STATES)
            ]
            if hits:
                return name, hits
    return None


def normal_word(text: str) -> str:
    """``In_Progress``, ``in-progress`` and ``inProgress`` -> ``inprogress``."""
    return re.sub(r"[\s_-]", "", text).lower()


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


def _inline_properties(node: Node) -> list[str]:
    """Property names of an inline object schema (one level into an inline ``allOf``), in the
    order they are written: the first identifier found is the one a reason names, the same on
    every run."""
    value = node.value
    if not isinstance(value, dict) or "$ref" in value:
        return []
    props = value.get("properties")
    if isinstance(props, dict):
        return [str(k) for k in props]
    found: dict[str, None] = {}
    for part in value.get("allOf") or ():
        if isinstance(part, dict) and isinstance(part.get("properties"), dict):
            found.update(dict.fromkeys(str(k) for k in part["properties"]))
    return list(found)


def _unwrap(node: Node) -> Node:
    """``{"data": {...}}`` -> the payload schema; anything else as it is. A ``$ref``'d schema is
    taken as it is: it names a type already, and is not opened."""
    value = node.value
    if not isinstance(value, dict) or "$ref" in value:
        return node
    props = node.child("properties")
    if props is None or not isinstance(props.value, dict) or len(props.value) > 4:
        return node
    for envelope in ENVELOPES:
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
