"""The check that a fixed document only *gained* content: nothing lost, nothing changed, apart
from the unsafe renames that were asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from oas_create_check.fix.edits import split_missing
from oas_create_check.load.source import key_text, lookup
from oas_create_check.model import (
    AddEntry,
    Change,
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
                text = key_text(key)
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
            stack.extend(((*at, key_text(k)), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*at, i), v) for i, v in enumerate(value))


# --------------------------------------------------------------------------------------------
# what the changes inserted


def inserted(
    before: Any, after: Any, file: Path, changes: Iterable[Change]
) -> list[tuple[Pointer, Any]] | None:
    """Each value the ``changes`` of ``file`` inserted, with where it sits in ``after``, when
    ``after`` is exactly ``before`` with those insertions; ``None`` when that cannot be vouched
    for (a rename, a change that does not land where the model puts it, anything else in
    ``after``), and the caller must look at the whole document instead.

    The model replays the changes on a copy of ``before`` (copied only along their paths) the
    way the edits make them: missing parents created, a key already present left alone (its
    edit is skipped), an item appended to a sequence unless an equal one is there. Then one
    ``==`` over the whole data (C speed) compares it with ``after`` as read from the edited
    text. Equal means nothing else was gained anywhere, so the values listed are all that
    ``after`` has beyond ``before``: a ``$ref`` in ``after`` and not in ``before`` is one of
    theirs."""
    expected = _shallow(before)
    if expected is None:
        return None
    fresh = {id(expected)}
    added: list[tuple[Pointer, Any]] = []
    for change in changes:
        if change.file != file:
            continue
        if not isinstance(change, AddEntry):
            return None
        holder, mirror = expected, after
        at: Pointer = ()
        while len(at) < len(change.pointer):
            key = _key_of(holder, change.pointer[len(at)])
            if key is None:
                break  # a missing parent: created below, with the entry
            child = holder[key]
            if id(child) not in fresh:
                child = _shallow(child)
                if child is None:
                    return None
                holder[key] = child
                fresh.add(id(child))
            at = (*at, key if isinstance(holder, list) else key_text(key))
            holder, mirror = child, lookup(mirror, at[-1])[1]
        if len(at) == len(change.pointer) and isinstance(holder, list):
            if change.value not in holder:
                holder.append(change.value)
                added.append(((*at, len(holder) - 1), change.value))
            continue
        if not isinstance(holder, dict):
            return None
        name, value = split_missing(change.pointer, len(at), change.key, change.value)
        if _key_of(holder, name) is None:
            read_as = _key_of(mirror, name) if isinstance(mirror, dict) else None
            holder[name if read_as is None else read_as] = value
            added.append(((*at, name), value))
    return added if expected == after else None


def _shallow(value: Any) -> Any:
    """A shallow copy of a mapping or sequence (``None`` for anything else)."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return None


def _key_of(holder: Any, part: str | int) -> Any:
    """The key or index of ``holder`` that the pointer segment ``part`` names, ``None`` if
    none: in a mapping, the key written that way (YAML reads ``409:`` as an int)."""
    if isinstance(holder, dict):
        text = str(part)
        if text in holder:
            return text
        return next((k for k in holder if not isinstance(k, str) and key_text(k) == text), None)
    if isinstance(holder, list):
        try:
            index = int(part)
        except (TypeError, ValueError):
            return None
        return index if 0 <= index < len(holder) else None
    return None
