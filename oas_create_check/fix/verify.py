"""The check that a fixed document only *gained* content: nothing lost, nothing changed, apart
from the unsafe renames that were asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from oas_create_check.load.source import lookup
from oas_create_check.model import (
    Pointer,
    pointer_to_str,
)

Rename = tuple[Pointer, str, str]


# --------------------------------------------------------------------------------------------
# the "only gained" check


def first_loss(before: Any, after: Any, renames: Iterable[Rename] = ()) -> str | None:
    """Where ``after`` lost or changed something ``before`` had, or ``None`` if it only gained:
    every mapping key is still there (under its new name for a ``RenameKey``) with a value that
    in turn only gained, every sequence still starts with the same items, every scalar is equal
    and of the same type. Subtrees equal by ``==`` are accepted without descending (C speed)."""
    renamed: dict[Pointer, dict[str, str]] = {}
    for pointer, old, new in renames:
        renamed.setdefault(tuple(str(p) for p in pointer), {})[old] = new
    stack: list[tuple[Pointer, Any, Any]] = [((), before, after)]
    while stack:
        at, old, new = stack.pop()
        if isinstance(old, dict):
            if not isinstance(new, dict):
                return f"{pointer_to_str(at) or '/'} is no longer a mapping"
            names = renamed.get(tuple(str(p) for p in at), {})
            if old == new and not names:
                continue
            for key, value in old.items():
                text = _key_text(key)
                found, other = lookup(new, names.get(text, text))
                if not found:
                    return f"{pointer_to_str((*at, text))} disappeared"
                stack.append(((*at, text), value, other))
        elif isinstance(old, list):
            if not isinstance(new, list) or len(new) < len(old):
                return f"{pointer_to_str(at) or '/'} lost sequence items"
            if old != new[: len(old)] or renamed:
                stack.extend(((*at, i), value, new[i]) for i, value in enumerate(old))
        elif type(old) is not type(new) or (old != new and old == old):
            return f"{pointer_to_str(at) or '/'} changed from {_short(old)} to {_short(new)}"
    return None


def _key_text(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


# --------------------------------------------------------------------------------------------
# the $refs of a document


def refs_in(data: Any) -> Iterator[tuple[Pointer, str]]:
    """Every ``$ref`` string in ``data`` with the pointer of the mapping holding it (iterative:
    nesting deep enough to exhaust the recursion limit is no reason to skip the check)."""
    stack: list[tuple[Pointer, Any]] = [((), data)]
    while stack:
        at, value = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                yield at, ref
            stack.extend(((*at, _key_text(k)), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*at, i), v) for i, v in enumerate(value))
