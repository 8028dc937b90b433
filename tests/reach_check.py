"""Which operations reach each node of a spec, computed here independently of the fixer's own
``spec/reach.py``: the check behind "a fix never changes what the spec says about an operation it
was not asked to fix".

An operation reaches its own node, its path item's shared ``parameters``, and everything any
``$ref`` inside them leads to, transitively and across files. An edit inside a node reached by
an operation is an edit of what the spec says about that operation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

Location = tuple[Path, tuple[str, ...]]
User = tuple[str, str]


def _at(data: Any, pointer: tuple[str, ...]) -> Any:
    for part in pointer:
        if isinstance(data, dict):
            data = {str(k): v for k, v in data.items()}.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _target(file: Path, ref: str) -> Location:
    location, _, fragment = ref.partition("#")
    path = (file.parent / unquote(location)).resolve() if location else file
    parts = unquote(fragment).split("/")[1:] if fragment.startswith("/") else []
    return path, tuple(p.replace("~1", "/").replace("~0", "~") for p in parts)


def _closure(start: Location, data_of: Callable[[Path], Any]) -> set[Location]:
    """``start`` and every node a ``$ref`` under it leads to, transitively."""
    seen: set[Location] = set()
    todo = [start]
    while todo:
        location = todo.pop()
        if location in seen:
            continue
        seen.add(location)
        file, pointer = location
        try:
            document = data_of(file)
        except Exception:
            continue  # an unreadable target: nothing under it to reach
        stack = [_at(document, pointer)]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                ref = value.get("$ref")
                if isinstance(ref, str) and not ref.startswith(("http:", "https:")):
                    todo.append(_target(file, ref))
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
    return seen


def reach(root: Path, data_of: Callable[[Path], Any]) -> dict[User, set[Location]]:
    """Every operation of the spec rooted at ``root`` with the nodes it reaches."""
    users: dict[User, set[Location]] = {}
    paths = _at(data_of(root), ("paths",))
    for name, item in (paths or {}).items():
        where: Location = (root, ("paths", str(name)))
        while isinstance(item, dict) and isinstance(item.get("$ref"), str):
            where = _target(where[0], item["$ref"])
            item = _at(data_of(where[0]), where[1])
        if not isinstance(item, dict):
            continue
        shared = _closure((where[0], (*where[1], "parameters")), data_of)
        for method in METHODS:
            if method in item:
                op = (where[0], (*where[1], method))
                users[(str(name), method)] = _closure(op, data_of) | shared
    return users


def added_pointers(before: Any, after: Any, at: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Where ``after`` has a key or item that ``before`` lacks (or another scalar)."""
    if isinstance(before, dict) and isinstance(after, dict):
        old = {str(k): v for k, v in before.items()}
        found: list[tuple[str, ...]] = []
        for key, value in after.items():
            key = str(key)
            if key in old:
                found += added_pointers(old[key], value, (*at, key))
            else:
                found.append((*at, key))
        return found
    if isinstance(before, list) and isinstance(after, list):
        found = [(*at, str(i)) for i in range(len(before), len(after))]
        for i, (one, other) in enumerate(zip(before, after, strict=False)):
            found += added_pointers(one, other, (*at, str(i)))
        return found
    return [] if before == after or before != before else [at]


def intruders(
    users: dict[User, set[Location]], file: Path, pointer: tuple[str, ...], allowed: set[User]
) -> set[User]:
    """The operations outside ``allowed`` that reach where ``pointer`` was added: its parent
    or any node above it."""
    parent = pointer[:-1]
    above = {(file, parent[:depth]) for depth in range(len(parent) + 1)}
    return {user for user, reached in users.items() if user not in allowed and above & reached}
