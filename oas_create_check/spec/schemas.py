"""What a schema says, read through ``$ref`` and ``allOf`` (across files): the properties it
lists and whether that list is complete, the payload of an envelope, the values it allows.

These are the rules' deeper questions about a response body; ``resource.py`` asks them about
the created resource. Each opens only the schemas it is asked about (a large spec's schema store
is parsed when one of them lies there), and every walk is bounded: a cycle adds nothing and no
chain is followed further than ``MAX_SCHEMA_DEPTH``.
"""

from __future__ import annotations

from dataclasses import dataclass

from oas_create_check.load.refs import Node
from oas_create_check.load.source import key_text
from oas_create_check.spec.operations import Spec

#: Envelope properties that hold the payload (``{"data": {...}}``).
ENVELOPES = ("data", "result", "item", "resource", "object")

#: How many ``$ref``/``allOf`` levels a question about a schema follows.
MAX_SCHEMA_DEPTH = 8


@dataclass(frozen=True)
class Properties:
    """The properties an object schema lists, each with the ``properties`` mapping that lists it
    (a node per property is made only when asked: a large schema has hundreds), and whether the
    list is complete: a ``oneOf``, a free-form part or a broken ``$ref`` leaves it open, so no
    rule may conclude that a property is absent."""

    owners: dict[str, Node]
    complete: bool

    @property
    def names(self) -> list[str]:
        return list(self.owners)

    def node(self, name: str) -> Node | None:
        owner = self.owners.get(name)
        return owner.child(name) if owner is not None else None


#: What an unreadable schema has: nothing, and not all of it.
NO_PROPERTIES = Properties({}, complete=False)


def schema_properties(spec: Spec, node: Node) -> Properties:
    """The properties of the object schema at ``node``, merged through ``$ref`` and ``allOf``
    (across files)."""
    found: dict[str, Node] = {}
    complete = _collect(spec, node, found, set(), 0)
    return Properties(found, complete and bool(found))


def envelope_payload(properties: Properties) -> Node | None:
    """The payload of an envelope body: its one property (``{"droplet": {...}}``), or the
    ``data``/``result``/``item``... of a body of at most four properties (not opened)."""
    names = properties.names
    if len(names) == 1:
        return properties.node(names[0])
    if 0 < len(names) <= 4:
        for envelope in ENVELOPES:
            if envelope in properties.owners:
                return properties.node(envelope)
    return None


def payload_node(node: Node) -> Node:
    """``envelope_payload`` of an inline schema, read without opening any ``$ref``: a
    ``$ref``'d schema names its type already."""
    value = node.value
    props = value.get("properties") if isinstance(value, dict) and "$ref" not in value else None
    if not isinstance(props, dict) or not 0 < len(props) <= 4:
        return node
    holder = node.child("properties")
    names = [key_text(k) for k in props]
    if holder is None:
        return node
    if len(names) == 1:
        return holder.child(names[0]) or node
    for envelope in ENVELOPES:
        if envelope in names:
            return holder.child(envelope) or node
    return node


def _collect(
    spec: Spec, node: Node, found: dict[str, Node], seen: set[tuple[object, ...]], depth: int
) -> bool:
    """Add the properties of ``node`` to ``found``; whether they are all there is."""
    if depth > MAX_SCHEMA_DEPTH:
        return False
    target = spec.workspace.deref(node)
    if target is None or not isinstance(target.value, dict):
        return False
    mark = (target.file.key, target.pointer)
    if mark in seen:
        return True  # a cycle adds nothing new
    seen.add(mark)
    value = target.value
    props = target.child("properties") if isinstance(value.get("properties"), dict) else None
    listed = complete = props is not None
    if props is not None:
        for name in props.value:
            found.setdefault(key_text(name), props)
    if isinstance(value.get("allOf"), list):
        parts = target.child("allOf")
        results = [
            _collect(spec, part, found, seen, depth + 1)
            for part in (parts.elements() if parts is not None else ())
        ]
        complete = (listed or bool(results)) and all(results)
    for branching in ("oneOf", "anyOf"):
        if isinstance(value.get(branching), list):
            options = target.child(branching)
            for option in options.elements() if options is not None else ():
                _collect(spec, option, found, seen, depth + 1)
            complete = False
    return complete


def enum_values(spec: Spec, node: Node, depth: int = 0) -> list[object]:
    """The values a schema allows when it lists them: ``enum``, ``const``, or those of the
    parts of its ``allOf``/``oneOf``/``anyOf``, through ``$ref``."""
    if depth > MAX_SCHEMA_DEPTH:
        return []
    target = spec.workspace.deref(node)
    if target is None or not isinstance(target.value, dict):
        return []
    value = target.value
    if isinstance(value.get("enum"), list):
        return list(value["enum"])
    if "const" in value:
        return [value["const"]]
    found: list[object] = []
    for combiner in ("allOf", "oneOf", "anyOf"):
        parts = target.child(combiner)
        if parts is not None and isinstance(parts.value, list):
            for part in parts.elements():
                found += enum_values(spec, part, depth + 1)
    return found


#: JSON Schema types that hold no further properties.
SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean", "null"})
#: Keywords that let a property hold more than one plain value.
NESTING = frozenset({"$ref", "properties", "items", "allOf", "oneOf", "anyOf"})


def only_scalars(properties: Properties) -> bool:
    """Whether every property is a plain value written inline (``type: string``, ``boolean``...):
    nothing nested could hold the resource or its identifier. A ``$ref``'d, object, array or
    combined property, or one without a type, may hold anything."""
    for name in properties.names:
        node = properties.node(name)
        value = node.value if node is not None else None
        if not isinstance(value, dict) or value.keys() & NESTING:
            return False
        declared = value.get("type")
        types = [declared] if isinstance(declared, str) else declared
        if not isinstance(types, list) or not types or not set(map(str, types)) <= SCALAR_TYPES:
            return False
    return True
