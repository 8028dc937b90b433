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

import signal
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

from oas_create_check.model import Kind, ToolError
from oas_create_check.spec.operations import CHECKED_METHODS, Spec

#: How long one selector may run on one spec. A real selector takes milliseconds even on a large
#: spec (``$..operationId`` on openai's 3 MB: 60 ms); a filter such as ``=~ '^(a+)+$'`` meets an
#: ``operationId`` of 40 ``a``s and a ``!`` and backtracks for longer than the universe lasts.
SELECTOR_BUDGET_SECONDS = 5.0


class SelectorError(ToolError):
    """A selector that cannot be evaluated within bounds: exit code 2, naming the selector and
    where it is configured (config is as untrusted as the spec)."""


class _OverBudget(BaseException):
    """Raised by the alarm inside a selector's evaluation. A ``BaseException``, so that no
    ``except Exception`` inside jsonpath-ng can swallow it."""


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Raise ``_OverBudget`` in the block after ``seconds``. Python's regular expression engine
    checks for signals while it backtracks, so an alarm stops even a catastrophic pattern. Only
    where there is ``SIGALRM`` and on the main thread (the CLI and its worker processes); elsewhere
    the block runs unbounded."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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


def select(
    spec: Spec, selectors: Mapping[Kind, tuple[str, ...]], source: str = "config"
) -> dict[tuple[str, str], Kind]:
    """(path, method) -> kind for every operation a selector matches; later kinds in config order
    win over earlier ones only where they match the same operation. A selector that runs longer
    than ``SELECTOR_BUDGET_SECONDS`` or nests too deep to evaluate raises ``SelectorError`` naming
    it and ``source`` (the config file)."""
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
            for match in _find(expression, view, f"{source}: classify.{kind.value}", spec):
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


def _find(expression: str, view: Any, where: str, spec: Spec) -> list[Any]:
    """The matches of one selector, within the time budget and the recursion limit."""
    try:
        with _time_budget(SELECTOR_BUDGET_SECONDS):
            return list(compile_selector(expression).find(view))
    except _OverBudget:
        raise SelectorError(
            f"{where}: selector {_short(expression)!r} ran for more than "
            f"{SELECTOR_BUDGET_SECONDS:g} seconds on {spec.workspace.root.display}: stopped "
            "(a regular expression that backtracks catastrophically?)"
        ) from None
    except RecursionError:
        raise SelectorError(
            f"{where}: selector {_short(expression)!r} is too deeply nested to evaluate"
        ) from None


def _short(expression: str) -> str:
    return expression if len(expression) <= 100 else expression[:100] + "…"
