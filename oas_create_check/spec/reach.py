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

from oas_create_check.load.refs import Node
from oas_create_check.model import Pointer
from oas_create_check.spec.operations import HTTP_METHODS, Spec, per_spec

#: An operation, as (path, method).
User = tuple[str, str]
#: A node by the file that holds it (``SourceFile.key``) and its pointer, as strings.
Where = tuple[Path, tuple[str, ...]]


def _where(node: Node) -> Where:
    return (node.file.key, tuple(map(str, node.pointer)))


class ResponseIndex:
    """Each response object, by the file and pointer that define it, and the operations that
    declare it (directly or through ``$ref``), with what was read on the way: the path items,
    the operations, and the ``responses`` mappings with the operations that declare each. The
    fixer carries an index from one pass to the next through those records
    (``fix/users.py``)."""

    def __init__(self, spec: Spec) -> None:
        #: each response object (where defined) and the operations that declare it
        self.users: dict[Where, set[User]] = {}
        #: the responses each operation declares, as keys of ``users``
        self.targets: dict[User, list[Where]] = {}
        self.items: set[Where] = set()
        self.operations: set[Where] = set()
        #: each ``responses`` mapping read and the operations whose it is
        self.responses: dict[Where, set[User]] = {}
        self.paths: Where | None = None
        #: every reference followed resolved and every path item is one
        self.exact = True
        paths = spec.workspace.root_node().child("paths")
        if paths is not None and isinstance(paths.value, dict):
            self.paths = _where(paths)
            named = sum(1 for key in paths.value if not str(key).startswith("x-"))
            self.exact = named == len(spec.path_items)
        for path, item in spec.path_items.items():
            self.items.add(_where(item))
            for method in HTTP_METHODS:
                self._add(spec, path, method, item)

    def _add(self, spec: Spec, path: str, method: str, item: Node) -> None:
        """One operation's part: every method of every path item counts, not only the POSTs
        and PUTs the rules check."""
        workspace = spec.workspace
        entry = item.child(method)
        node = workspace.deref(entry) if entry is not None else None
        if entry is not None and node is None:
            self.exact = False
        if node is not None:
            self.operations.add(_where(node))
        responses = node.child("responses") if node is not None else None
        if responses is None or not isinstance(responses.value, dict):
            return
        user = (path, method)
        self.responses.setdefault(_where(responses), set()).add(user)
        for code, response_entry in responses.items():
            if code.startswith("x-"):
                continue
            target = workspace.deref(response_entry)
            if target is None:
                self.exact = False
                continue
            key = _where(target)
            self.users.setdefault(key, set()).add(user)
            self.targets.setdefault(user, []).append(key)

    def users_of(self, file: Path, pointer: Pointer) -> frozenset[User]:
        """The operations that reach the response holding ``pointer`` in ``file`` (none when
        the pointer is not inside a response)."""
        parts = tuple(map(str, pointer))
        for depth in range(len(parts), -1, -1):  # down to the whole file (a response file)
            found = self.users.get((file, parts[:depth]))
            if found is not None:
                return frozenset(found)
        return frozenset()


@per_spec
def response_index(spec: Spec) -> ResponseIndex:
    """``ResponseIndex`` of ``spec``, read once however many changes ask."""
    return ResponseIndex(spec)


def users_of(spec: Spec, file: Path, pointer: Pointer) -> frozenset[User]:
    """``ResponseIndex.users_of`` on ``spec``."""
    return response_index(spec).users_of(file, pointer)


def describe(users: Iterable[User], limit: int = 3) -> str:
    """``POST /a, DELETE /b and 4 more``."""
    names = sorted(f"{method.upper()} {path}" for path, method in users)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
