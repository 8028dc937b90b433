"""Operation and response views over a spec, hiding Swagger 2.0 vs OpenAPI 3.x differences.

Rules ask questions in API terms ("which responses?", "does the 201 carry Location?", "is there an
Idempotency-Key parameter?") and get answers with the ``Node`` where each answer is written, after
``$ref`` resolution across files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps
from typing import Any, Concatenate, ParamSpec, TypeVar
from weakref import WeakKeyDictionary

from oas_create_check.load.read import SpecError
from oas_create_check.load.refs import Node, Workspace
from oas_create_check.load.source import key_text

CHECKED_METHODS = ("post", "put")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
EXTENSION = "x-oas-create-check"


@dataclass(frozen=True)
class Response:
    """One declared response. ``entry`` is where the operation lists it (maybe a ``$ref``);
    ``node`` is the response object itself, in the file and component that define it."""

    code: str
    entry: Node
    node: Node


class Spec:
    """One API description: its workspace, dialect and the facts shared by all its operations."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        data = workspace.root.partial  # top-level keys only: the schema store may wait
        self.is_swagger = isinstance(data, dict) and "swagger" in data
        version = str(data.get("openapi" if not self.is_swagger else "swagger", ""))
        self.version = version

    @cached_property
    def path_items(self) -> dict[str, Node]:
        """Every path item under ``paths``, resolved (DigitalOcean keeps each in its own file)."""
        paths = self.workspace.root_node().child("paths")
        items: dict[str, Node] = {}
        if paths is None or not isinstance(paths.value, dict):
            return items
        for path, entry in paths.items():
            if path.startswith("x-"):
                continue
            item = self.workspace.deref(entry)
            if item is not None and isinstance(item.value, dict):
                items[path] = item
        return items

    @cached_property
    def operations(self) -> tuple[Operation, ...]:
        """Every POST and PUT under ``paths`` (never callbacks or webhooks), in document order.
        Built once: the engine, selectors and remedies all walk them, and each ``Operation``
        caches its resolved responses."""
        found: list[Operation] = []
        for path, item in self.path_items.items():
            for method in CHECKED_METHODS:
                entry = item.child(method)
                if entry is None:
                    continue
                node = self.workspace.deref(entry)
                if node is not None and isinstance(node.value, dict):
                    _refuse_duplicate_codes(node)
                    found.append(Operation(self, path, method, item, node))
        return tuple(found)

    def methods_at(self, path: str) -> set[str]:
        item = self.path_items.get(path)
        if item is None:
            return set()
        return {m for m in HTTP_METHODS if isinstance(item.value.get(m), dict)}


def _refuse_duplicate_codes(operation: Node) -> None:
    """Raise ``SpecError`` if one status code is a key of the operation's responses twice.

    YAML reads ``201:`` as the integer 201 and ``"201":`` as a string: two keys to the parser,
    one code to OpenAPI (keys are strings) and to every rule here, which would silently keep
    one. Duplicate keys are errors (and refused as such when spelled alike), so this is too."""
    container = operation.value.get("responses")
    if not isinstance(container, dict) or all(type(key) is str for key in container):
        return
    seen: dict[str, object] = {}
    for key in container:
        code = key_text(key)
        if code in seen:
            pointer = (*operation.pointer, "responses")
            raise SpecError(
                operation.file.display,
                f"duplicate response code {code} (as {_written(seen[code])} and {_written(key)})",
                _second_line(operation, pointer, code),
            )
        seen[code] = key


def _written(key: object) -> str:
    return json.dumps(key) if isinstance(key, str) else key_text(key)


def _second_line(operation: Node, pointer: tuple[str | int, ...], code: str) -> int:
    """The line of the second key spelling ``code`` below the responses map (that map's own line
    if the text does not show two): only runs on the way to the error."""
    start, _ = operation.file.locate(pointer)
    key = re.compile(r"(?:^|[\s{,])[\"']?%s[\"']?[ \t]*:(?=\s|$)" % re.escape(code))
    lines = operation.file.text.split("\n")
    found = 0
    for number in range(start, len(lines) + 1):
        found += len(key.findall(lines[number - 1]))
        if found >= 2:
            return number
    return start


P = ParamSpec("P")
R = TypeVar("R")


def per_spec(function: Callable[Concatenate[Spec, P], R]) -> Callable[Concatenate[Spec, P], R]:
    """Memoise a fact about a spec for as long as the spec lives: computed once however many
    operations ask, and dropped with the spec (an ``lru_cache`` would keep large specs alive in a
    long-running process such as the language server)."""
    memo: WeakKeyDictionary[Spec, dict[tuple[Any, ...], R]] = WeakKeyDictionary()

    def cached(spec: Spec, /, *args: P.args, **kwargs: P.kwargs) -> R:
        found = memo.setdefault(spec, {})
        key = (*args, *sorted(kwargs.items()))
        if key not in found:
            found[key] = function(spec, *args, **kwargs)
        return found[key]

    return wraps(function)(cached)


class Operation:
    """A POST or PUT with its effective responses and parameters."""

    def __init__(self, spec: Spec, path: str, method: str, path_item: Node, node: Node) -> None:
        self.spec = spec
        self.path = path
        self.method = method
        self.path_item = path_item
        self.node = node

    @property
    def value(self) -> dict[str, Any]:
        value: dict[str, Any] = self.node.value
        return value

    @property
    def operation_id(self) -> str:
        value = self.value.get("operationId")
        return value if isinstance(value, str) else ""

    @cached_property
    def summary(self) -> str:
        for key in ("summary", "description"):
            value = self.value.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip().splitlines()[0]
        return ""

    @property
    def extension(self) -> dict[str, Any]:
        """The operation's ``x-oas-create-check`` settings (empty when absent or malformed)."""
        value = self.value.get(EXTENSION)
        return value if isinstance(value, dict) else {}

    @cached_property
    def responses(self) -> dict[str, Response]:
        """Responses by status code as text ("201", "2XX", "default"), ``$ref`` resolved."""
        container = self.node.child("responses")
        result: dict[str, Response] = {}
        if container is None:
            return result
        for code, entry in container.items():
            if code.startswith("x-"):
                continue
            node = self.spec.workspace.deref(entry)
            if node is not None:
                result[code.upper() if "x" in code.lower() else code] = Response(code, entry, node)
        return result

    @property
    def responses_node(self) -> Node | None:
        return self.node.child("responses")

    def status_codes(self) -> set[str]:
        """Every declared status code, including those whose ``$ref`` cannot be followed: an
        unresolvable 201 is still a declared 201 (``unresolved-ref`` reports the reference)."""
        container = self.node.value.get("responses")
        if not isinstance(container, dict):
            return set()
        codes = {str(code) for code in container if not str(code).startswith("x-")}
        return {code.upper() if "x" in code.lower() else code for code in codes}

    def headers(self, response: Response) -> dict[str, Node]:
        """Response headers by lower-cased name, each resolved to where it is defined."""
        container = response.node.child("headers")
        result: dict[str, Node] = {}
        if container is None:
            return result
        for name, entry in container.items():
            node = self.spec.workspace.deref(entry)
            result[name.lower()] = node if node is not None else entry
        return result

    def has_body(self, response: Response) -> bool:
        """Whether the response documents a body a client can read."""
        value = response.node.value
        if not isinstance(value, dict):
            return False
        if self.spec.is_swagger:
            return value.get("schema") is not None
        content = value.get("content")
        return isinstance(content, dict) and bool(content)

    @cached_property
    def parameters(self) -> list[Node]:
        """Effective parameters: path-level ones overridden by operation-level ones of the same
        name and location (OpenAPI's rule), each resolved."""
        effective: dict[tuple[str, str], Node] = {}
        for owner in (self.path_item, self.node):
            container = owner.child("parameters")
            if container is None:
                continue
            for entry in container.elements():
                node = self.spec.workspace.deref(entry)
                if node is None or not isinstance(node.value, dict):
                    continue
                name = str(node.value.get("name", "")).lower()
                effective[(name, str(node.value.get("in", "")))] = node
        return list(effective.values())

    def header_parameter(self, names: tuple[str, ...]) -> Node | None:
        """The first header parameter whose name is one of ``names`` (case-insensitive)."""
        wanted = {n.lower() for n in names}
        for node in self.parameters:
            if (
                node.value.get("in") == "header"
                and str(node.value.get("name", "")).lower() in wanted
            ):
                return node
        return None
