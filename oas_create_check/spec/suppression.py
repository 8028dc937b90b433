"""Where a spec says ``x-oas-create-check: {ignore: [...]}``: the names each suppression lists,
with the node each name is written at (an operation or a response; ``ignore: all`` or a single
name may be written as a string). The engine applies them; the ``invalid-suppression`` rule checks
their names; both read them here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from oas_create_check.load.refs import Node
from oas_create_check.spec.operations import EXTENSION, Spec

#: Names that silence every rule at their place.
EVERY_RULE = frozenset({"all", "*"})


@dataclass(frozen=True)
class Suppressed:
    """One name in an ``ignore`` list, and where it is written."""

    name: str
    node: Node

    @property
    def place(self) -> tuple[str, str, str]:
        """A handle for the entry: its file, its pointer, its name."""
        return (str(self.node.file.key), self.node.pointer_text, self.name)


def suppressions(holder: Node) -> list[Suppressed]:
    """The names ``holder``'s ``x-oas-create-check.ignore`` lists (none if it has none)."""
    extension = holder.child(EXTENSION) if isinstance(holder.value, dict) else None
    ignore = (
        extension.child("ignore")
        if extension is not None and isinstance(extension.value, dict)
        else None
    )
    if ignore is None:
        return []
    if isinstance(ignore.value, str):
        return [Suppressed(ignore.value.strip(), ignore)]
    return [
        Suppressed(item.value.strip(), item)
        for item in ignore.elements()
        if isinstance(item.value, str)
    ]


def every_suppression(spec: Spec) -> Iterator[Suppressed]:
    """Each suppression of the spec's POST/PUT operations and their responses, once (a shared
    response is visited through its first operation only)."""
    seen: set[tuple[str, str, str]] = set()
    for op in spec.operations:
        holders = [op.node]
        for response in op.responses.values():
            holders += [response.entry, response.node]
        for holder in holders:
            for entry in suppressions(holder):
                if entry.place not in seen:
                    seen.add(entry.place)
                    yield entry
