"""Which operations reach each response of a spec: the fixer's guard against changing what the
spec says about operations a finding is not about.

A response defined once and ``$ref``'d from many operations (DigitalOcean's
``shared/responses/no_content.yml`` serves some 85 of them, mostly DELETEs) must not gain a
``Location`` header because one create that uses it lacks one. Every method of every path item
counts, not only the POSTs and PUTs the rules check.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from oas_create_check.model import Pointer
from oas_create_check.spec.operations import HTTP_METHODS, Spec, per_spec

#: An operation, as (path, method).
User = tuple[str, str]


@per_spec
def response_users(spec: Spec) -> dict[tuple[Path, Pointer], frozenset[User]]:
    """Each response object, by the file and pointer that define it, and the operations that
    declare it (directly or through ``$ref``)."""
    users: dict[tuple[Path, Pointer], set[User]] = {}
    workspace = spec.workspace
    for path, item in spec.path_items.items():
        for method in HTTP_METHODS:
            entry = item.child(method)
            node = workspace.deref(entry) if entry is not None else None
            responses = node.child("responses") if node is not None else None
            if responses is None or not isinstance(responses.value, dict):
                continue
            for code, response_entry in responses.items():
                if code.startswith("x-"):
                    continue
                target = workspace.deref(response_entry)
                if target is not None:
                    key = (target.file.key, tuple(map(str, target.pointer)))
                    users.setdefault(key, set()).add((path, method))
    return {key: frozenset(found) for key, found in users.items()}


def users_of(spec: Spec, file: Path, pointer: Pointer) -> frozenset[User]:
    """The operations that reach the response holding ``pointer`` in ``file`` (none when the
    pointer is not inside a response)."""
    index = response_users(spec)
    parts = tuple(map(str, pointer))
    for depth in range(len(parts), -1, -1):  # down to the whole file (a response file)
        found = index.get((file, parts[:depth]))
        if found is not None:
            return found
    return frozenset()


def describe(users: Iterable[User], limit: int = 3) -> str:
    """``POST /a, DELETE /b and 4 more``."""
    names = sorted(f"{method.upper()} {path}" for path, method in users)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
