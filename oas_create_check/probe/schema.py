"""An OpenAPI schema as plain JSON Schema, and validation of bodies against it.

The spec's schema nodes are followed through ``$ref`` with the lint's own workspace (across
files, inside the spec's folder, never the network) and inlined, so the generator and the
validator see one self-contained dict. OpenAPI's dialect is translated where it differs:
``nullable`` (3.0) and ``x-nullable`` (Swagger 2.0) become a ``null`` type, and a property that
is ``readOnly`` is not required of a request nor a ``writeOnly`` one of a response. A reference
cycle is cut with ``{}`` (anything goes there): a probe checks bodies, not recursion.

Validation uses jsonschema-rs (the ``probe`` extra) and falls back to the pure-Python
``jsonschema`` when it is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from oas_create_check.load.refs import Node, Workspace

Context = Literal["request", "response"]
JSON = Any

#: Keywords whose value is one schema, a list of schemas, or a map of name -> schema.
_ONE = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "dependentSchemas")
#: OpenAPI-only annotations dropped from the result (``example`` is kept for the generator).
_DROP = ("nullable", "x-nullable", "discriminator", "xml", "externalDocs", "deprecated")
#: More inlined schema nodes than this and the rest is cut with ``{}``: a bound on hostile specs.
MAX_NODES = 20_000
MAX_DEPTH = 48


class _Budget:
    def __init__(self) -> None:
        self.nodes = 0


def json_schema(node: Node, workspace: Workspace, context: Context) -> dict[str, Any]:
    """The schema at ``node`` as a self-contained JSON Schema dict."""
    converted = _convert(node, workspace, context, (), _Budget(), 0)
    return converted if isinstance(converted, dict) else {}


def _convert(
    node: Node,
    workspace: Workspace,
    context: Context,
    stack: tuple[tuple[str, tuple[str | int, ...]], ...],
    budget: _Budget,
    depth: int,
) -> JSON:
    budget.nodes += 1
    if budget.nodes > MAX_NODES or depth > MAX_DEPTH:
        return {}
    value = node.value
    if isinstance(value, bool):
        return value
    if not isinstance(value, dict):
        return {}
    if isinstance(value.get("$ref"), str):
        place = (str(node.file.key), node.pointer)
        if place in stack:
            return {}
        target = workspace.deref(node)
        if target is None:
            return {}
        return _convert(target, workspace, context, (*stack, place), budget, depth + 1)
    result: dict[str, Any] = {}
    for key, child in node.items():
        if key in _DROP:
            continue
        if key in _ONE:
            result[key] = _convert(child, workspace, context, stack, budget, depth + 1)
        elif key in _LIST and isinstance(child.value, list):
            result[key] = [
                _convert(part, workspace, context, stack, budget, depth + 1)
                for part in child.elements()
            ]
        elif key in _MAP and isinstance(child.value, dict):
            result[key] = {
                name: _convert(part, workspace, context, stack, budget, depth + 1)
                for name, part in child.items()
            }
        else:
            result[key] = child.value
    _hide_one_sided(result, context)
    if value.get("nullable") is True or value.get("x-nullable") is True:
        result = _nullable(result)
    return result


def _hide_one_sided(schema: dict[str, Any], context: Context) -> None:
    """A ``readOnly`` property is not asked of a request, a ``writeOnly`` one not of a response."""
    hidden = "readOnly" if context == "request" else "writeOnly"
    props = schema.get("properties")
    required = schema.get("required")
    if not isinstance(props, dict) or not isinstance(required, list):
        return
    kept = [
        name
        for name in required
        if not (isinstance(props.get(name), dict) and props[name].get(hidden) is True)
    ]
    if len(kept) != len(required):
        schema["required"] = kept


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema = {**schema, "type": [kind, "null"]}
    elif isinstance(kind, list) and "null" not in kind:
        schema = {**schema, "type": [*kind, "null"]}
    elif kind is None:
        return {"anyOf": [schema, {"type": "null"}]}
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema = {**schema, "enum": [*schema["enum"], None]}
    return schema


Validator = Callable[[JSON], str | None]


def validator(schema: dict[str, Any], openapi31: bool) -> Validator:
    """A function that returns ``None`` for a valid instance, else the first error as text.

    OpenAPI 3.0 and Swagger 2.0 schemas are close to Draft 4 (boolean ``exclusiveMinimum``);
    3.1 is Draft 2020-12. Formats are not asserted: ``int32`` and friends are annotations."""
    dialect = (
        "https://json-schema.org/draft/2020-12/schema"
        if openapi31
        else "http://json-schema.org/draft-04/schema#"
    )
    full = {**schema, "$schema": dialect}
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - the probe extra installs it
        return _python_validator(full, openapi31)
    try:
        compiled = jsonschema_rs.validator_for(full, validate_formats=False)
    except (ValueError, jsonschema_rs.ValidationError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return lambda _instance: f"the schema itself is invalid: {reason}"

    def check(instance: JSON) -> str | None:
        for error in compiled.iter_errors(instance):
            where = "/".join(str(p) for p in error.instance_path)
            return f"{'at /' + where + ': ' if where else ''}{error.message}"
        return None

    return check


def _python_validator(full: dict[str, Any], openapi31: bool) -> Validator:  # pragma: no cover
    import jsonschema

    cls = jsonschema.Draft202012Validator if openapi31 else jsonschema.Draft4Validator
    try:
        compiled = cls(full)
    except jsonschema.SchemaError as exc:
        message = exc.message
        return lambda _instance: f"the schema itself is invalid: {message}"

    def check(instance: JSON) -> str | None:
        for error in compiled.iter_errors(instance):
            where = "/".join(str(p) for p in error.absolute_path)
            return f"{'at /' + where + ': ' if where else ''}{error.message}"
        return None

    return check
