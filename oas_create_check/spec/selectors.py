"""User selectors: JSONPath expressions (jsonpath-ng, with filters) that pick operations.

Selectors are evaluated over a view of the spec in which every path item is already resolved,
so the same selector works whether a path item is written inline or kept in another file::

    {"paths": {"/pets": {"post": {...}}},
     "operations": [{"path": "/pets", "method": "post", "operationId": ..., ...}, ...]}

A match on an operation selects it; a match on a path item selects all of its POST and PUT
operations. jsonpath-ng applies filters to lists only, so filters go over ``operations``:
``$.operations[?(@.operationId =~ "^search")]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from oas_create_check.model import Kind
from oas_create_check.spec.operations import CHECKED_METHODS, Spec


@cache
def compile_selector(expression: str) -> Any:
    """Parse once; a syntax error becomes a ValueError naming the expression."""
    from jsonpath_ng.ext.parser import parse

    try:
        return parse(expression)
    except Exception as exc:  # jsonpath-ng raises bare Exceptions for syntax errors
        raise ValueError(f"invalid JSONPath {expression!r}: {exc}") from None


def _segments(full_path: Any) -> list[str]:
    """The field names from the root to a match (jsonpath-ng chains Child/Fields/Index nodes)."""
    from jsonpath_ng import Child, Fields, Index

    if isinstance(full_path, Child):
        return _segments(full_path.left) + _segments(full_path.right)
    if isinstance(full_path, Fields):
        return [str(f) for f in full_path.fields]
    if isinstance(full_path, Index):
        return [str(i) for i in full_path.indices]
    return []


def select(spec: Spec, selectors: Mapping[Kind, tuple[str, ...]]) -> dict[tuple[str, str], Kind]:
    """(path, method) -> kind for every operation a selector matches; later kinds in config order
    win over earlier ones only where they match the same operation."""
    if not selectors:
        return {}
    ops = list(spec.operations)
    operations = [(op.path, op.method) for op in ops]
    view = {
        "paths": {path: item.value for path, item in spec.path_items.items()},
        "operations": [{**op.value, "path": op.path, "method": op.method} for op in ops],
    }
    chosen: dict[tuple[str, str], Kind] = {}
    for kind, expressions in selectors.items():
        for expression in expressions:
            for match in compile_selector(expression).find(view):
                parts = _segments(match.full_path)
                if len(parts) >= 2 and parts[0] == "operations" and parts[1].isdigit():
                    if int(parts[1]) < len(operations):
                        chosen[operations[int(parts[1])]] = kind
                elif len(parts) >= 2 and parts[0] == "paths":
                    methods = [parts[2]] if len(parts) >= 3 else list(CHECKED_METHODS)
                    for method in methods:
                        if method in CHECKED_METHODS:
                            chosen[(parts[1], method)] = kind
    return chosen
