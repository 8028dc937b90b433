"""What the probe will send for one create: its URL template, parameters, body and the schemas
the answers are held to, all read from the spec through the lint's own views.

Values come from, in order of precedence: the user's ``--data`` file (keyed by ``operationId``
or ``"POST /path"``), the identifier of a parent resource the probe creates first (for
``POST /users/{id}/keys``, the user made by ``POST /users``), the spec's ``example``/``examples``,
and last a seeded minimal instance of the schema (``generate.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oas_create_check.model import OperationRecord, ToolError
from oas_create_check.probe.generate import CannotGenerate, Generator, build_body
from oas_create_check.probe.schema import JSON, Validator, json_schema, validator
from oas_create_check.settings import Settings
from oas_create_check.spec.operations import Operation
from oas_create_check.spec.resource import Resource, is_param, response_schema, segments

#: Header parameters the probe never fills itself (the user's ``--header`` or httpx's own).
_OWN_HEADERS = frozenset({"content-type", "accept", "authorization", "content-length", "host"})


class CannotBuild(Exception):
    """The request for an operation cannot be made: the message says why and what to give."""


@dataclass
class UserData:
    """One operation's entry of the ``--data`` file."""

    body: JSON = None
    has_body: bool = False
    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def load_data(path: Path) -> dict[str, UserData]:
    """The ``--data`` file: a JSON or YAML mapping of operationId (or ``"POST /path"``) to
    ``{body, path, query, headers}``. Anything else is a clear error."""
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ToolError(f"{path}: cannot read the --data file: {exc.strerror or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ToolError(f"{path}: the --data file is not JSON or YAML: {exc}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ToolError(f"{path}: the --data file must map operationIds to request data")
    found: dict[str, UserData] = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict) or not set(entry) <= {"body", "path", "query", "headers"}:
            raise ToolError(
                f"{path}: entry {key!r} must be a mapping with body, path, query or headers"
            )
        maps: dict[str, dict[str, str]] = {}
        for part in ("path", "query", "headers"):
            value = entry.get(part) or {}
            if not isinstance(value, dict):
                raise ToolError(f"{path}: {key}.{part} must be a mapping of names to values")
            maps[part] = {str(k): _text(v) for k, v in value.items()}
        found[str(key)] = UserData(body=entry.get("body"), has_body="body" in entry, **maps)
    return found


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class Target:
    """One create to probe, with everything its checks need."""

    op: Operation
    record: OperationRecord
    resource: Resource
    label: str
    body: JSON = None
    has_body: bool = False
    body_source: str = ""
    body_schema: dict[str, Any] = field(default_factory=dict)
    valid_body: Validator | None = None
    #: Path parameter values known before anything is sent.
    params: dict[str, str] = field(default_factory=dict)
    #: Path parameters to take from a parent's created resource: name -> parent target.
    parents: dict[str, Target] = field(default_factory=dict)
    #: Path parameters the user gave (``--data``): never taken from a parent.
    given: set[str] = field(default_factory=set)
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    key_header: str | None = None
    key_required: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def declared(self) -> set[str]:
        return self.op.status_codes()

    def response_validator(self, status: str) -> Validator | None:
        """The validator of the body of the declared response ``status``, if it has a schema."""
        response = self.op.responses.get(status)
        if response is None:
            return None
        node = response_schema(self.op, response)
        if node is None:
            return None
        return validator(json_schema(node, self.op.spec.workspace, "response"), _is_31(self.op))


def _is_31(op: Operation) -> bool:
    return op.spec.version.startswith("3.1")


def label(op: Operation) -> str:
    return op.operation_id or f"{op.method.upper()} {op.path}"


def build_targets(
    creates: list[tuple[Operation, OperationRecord]],
    settings: Settings,
    data: dict[str, UserData],
    seed: int,
) -> tuple[list[Target], list[str]]:
    """A target per create that can be built, parents before their children, and the reasons
    the others cannot (each names the operation)."""
    targets: dict[tuple[str, str], Target] = {}
    errors: list[str] = []
    for op, record in creates:
        entry = data.get(op.operation_id) or data.get(f"{op.method.upper()} {op.path}")
        try:
            targets[(op.path, op.method)] = _target(op, record, settings, entry, seed)
        except CannotBuild as exc:
            errors.append(f"{op.method.upper()} {op.path}: {exc}")
    by_path = {t.op.path: t for t in targets.values() if t.op.method == "post"}
    for target in targets.values():
        _link_parents(target, by_path)
    return _ordered(list(targets.values())), errors


def _target(
    op: Operation,
    record: OperationRecord,
    settings: Settings,
    entry: UserData | None,
    seed: int,
) -> Target:
    target = Target(op=op, record=record, resource=Resource(op), label=label(op))
    entry = entry or UserData()
    key = op.header_parameter(settings.idempotency_headers)
    if key is not None:
        target.key_header = str(key.value.get("name"))
        target.key_required = key.value.get("required") is True
    generator = Generator(seed)
    for node in op.parameters:
        value = node.value
        where, name = value.get("in"), str(value.get("name", ""))
        if where == "path":
            if name in entry.path:
                target.params[name] = entry.path[name]
                target.given.add(name)
            else:
                target.params[name] = _parameter_value(op, node.value, generator)
        elif where == "query" and (value.get("required") is True or name in entry.query):
            target.query[name] = entry.query.get(name) or _parameter_value(
                op, node.value, generator
            )
        elif where == "header" and name.lower() not in _OWN_HEADERS:
            if target.key_header and name.lower() == target.key_header.lower():
                continue
            if value.get("required") is True or name in entry.headers:
                target.headers[name] = entry.headers.get(name) or _parameter_value(
                    op, node.value, generator
                )
    target.query.update({k: v for k, v in entry.query.items() if k not in target.query})
    target.headers.update({k: v for k, v in entry.headers.items() if k not in target.headers})
    _body(target, entry, seed)
    return target


def _parameter_value(op: Operation, parameter: dict[str, Any], generator: Generator) -> str:
    """A parameter's example, else a value generated from its schema, as URL text."""
    for key in ("example", "x-example"):
        if key in parameter:
            return _text(parameter[key])
    examples = parameter.get("examples")
    if isinstance(examples, dict):
        for example in examples.values():
            if isinstance(example, dict) and "value" in example:
                return _text(example["value"])
    schema: dict[str, Any] = (
        parameter["schema"] if isinstance(parameter.get("schema"), dict) else parameter
    )
    try:
        value = generator.instance(_plain(op, schema))
    except CannotGenerate:
        value = "probe"
    return _text(value)


def _plain(op: Operation, schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter schema with a top-level ``$ref`` followed (parameters rarely go deeper)."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        from oas_create_check.load.refs import Node

        holder = Node(op.node.file, (), {"$ref": ref})
        target = op.spec.workspace.deref(holder)
        if target is not None and isinstance(target.value, dict):
            return json_schema(target, op.spec.workspace, "request")
        return {}
    return schema


def _body(target: Target, entry: UserData, seed: int) -> None:
    op = target.op
    found = _body_schema(op)
    if found is None:
        if entry.has_body:
            target.body, target.has_body, target.body_source = entry.body, True, "--data"
        return
    schema_node, candidates, required = found
    schema = json_schema(schema_node, op.spec.workspace, "request") if schema_node else {}
    valid = validator(schema, _is_31(op))
    target.body_schema, target.valid_body, target.has_body = schema, valid, True
    if entry.has_body:
        target.body, target.body_source = entry.body, "--data"
        return
    try:
        target.body, target.body_source = build_body(candidates, schema, valid, seed)
    except CannotGenerate as exc:
        if not required:
            target.has_body = False
            target.notes.append(f"sent without a body (it is optional; {exc})")
            return
        raise CannotBuild(
            f"cannot build a valid request body: {exc}; give one with --data "
            f"(under {target.label!r})"
        ) from None


def _body_schema(op: Operation) -> tuple[Any, list[JSON], bool] | None:
    """(schema node, the spec's whole-body examples, required) of the JSON request body;
    ``None`` when the operation takes no body. A body that is not JSON cannot be built."""
    workspace = op.spec.workspace
    if op.spec.is_swagger:
        for node in op.parameters:
            if node.value.get("in") == "body":
                schema = node.child("schema")
                return schema, [], node.value.get("required") is True
            if node.value.get("in") == "formData":
                raise CannotBuild("form bodies are not supported; give the body with --data")
        return None
    entry = op.node.child("requestBody")
    body = workspace.deref(entry) if entry is not None else None
    if body is None or not isinstance(body.value, dict):
        return None
    content = body.child("content")
    if content is None or not isinstance(content.value, dict) or not content.value:
        return None
    types = [str(t) for t in content.value]
    chosen = next((t for t in types if t.split(";")[0].strip().endswith("json")), None)
    if chosen is None:
        raise CannotBuild(f"only JSON request bodies are supported; it takes {', '.join(types)}")
    media = content.child(chosen)
    assert media is not None
    candidates: list[JSON] = []
    if "example" in media.value:
        candidates.append(media.value["example"])
    examples = media.child("examples")
    for _, example in examples.items() if examples is not None else ():
        resolved = workspace.deref(example)
        if resolved is not None and isinstance(resolved.value, dict) and "value" in resolved.value:
            candidates.append(resolved.value["value"])
    return media.child("schema"), candidates, body.value.get("required") is True


def _link_parents(target: Target, by_path: dict[str, Target]) -> None:
    """Path parameters that name a resource some other create of the spec makes: ``{id}`` of
    ``/users/{id}/keys`` comes from what ``POST /users`` creates. The user's ``--data`` wins."""
    parts = segments(target.op.path)
    for index, part in enumerate(parts):
        if not is_param(part):
            continue
        name = part.strip("{}")
        collection = "/" + "/".join(parts[:index])
        parent = by_path.get(collection)
        if parent is None or parent is target or name in target.given:
            continue
        target.parents[name] = parent


def _ordered(targets: list[Target]) -> list[Target]:
    """Parents before children (a cycle, which a spec cannot really have, keeps its order)."""
    done: list[Target] = []
    seen: set[int] = set()

    def visit(target: Target, trail: tuple[int, ...]) -> None:
        if id(target) in seen or id(target) in trail:
            return
        for parent in target.parents.values():
            visit(parent, (*trail, id(target)))
        seen.add(id(target))
        done.append(target)

    for target in targets:
        visit(target, ())
    return done
