"""One pass's plan: the changes the findings propose, merged (a shared component is changed once
however many operations use it), ordered, and with overlapping ones left for the next pass.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from oas_create_check.fix.edits import CannotEdit, Edit, EditIndex, Layout, overlaps
from oas_create_check.fix.json_layout import JsonLayout
from oas_create_check.fix.verify import Rename
from oas_create_check.fix.yaml_layout import YamlLayout, YamlStyle
from oas_create_check.load.locate import Locator
from oas_create_check.load.source import SourceFile, lookup
from oas_create_check.model import (
    AddEntry,
    Change,
    Finding,
    Pointer,
    RenameKey,
)
from oas_create_check.spec.operations import Spec
from oas_create_check.spec.reach import User, describe, users_of

# --------------------------------------------------------------------------------------------
# planning one pass


def _change_key(change: Change) -> tuple[Any, ...]:
    """Identity of a change, to merge the copies proposed by every user of a shared node."""
    path = str(change.file)
    if isinstance(change, RenameKey):
        return ("rename", path, tuple(map(str, change.pointer)), change.old, change.new)
    value = json.dumps(change.value, sort_keys=True, default=str)
    return ("add", path, tuple(map(str, change.pointer)), change.key, value)


#: The style of a YAML file's text when already surveyed (``survey.py``), else None.
StyleOf = Callable[[SourceFile], YamlStyle | None]

#: Why a change may not be made (None: it may).
Guard = Callable[[Change], str | None]


def sharing_guard(
    spec: Spec,
    findings: Iterable[Finding],
    users: Callable[[Path, Pointer], frozenset[User]] | None = None,
) -> Guard:
    """Refuse a change inside a response that operations reach whose findings do not propose
    that very change: the edit would change what the spec says about them
    (docs/contract.md#fixing). A response shared only by operations that all need the change
    is edited once for all of them. ``users``: who reaches the response holding a pointer
    (``spec.reach.users_of`` on ``spec`` unless given; the fixer gives ``fix/users.py``'s
    answer, carried over from the pass before)."""
    proposers: dict[tuple[Any, ...], set[User]] = {}
    for finding in findings:
        for change in finding.fix.changes if finding.fix is not None else ():
            proposers.setdefault(_change_key(change), set()).add((finding.path, finding.method))

    def check(change: Change) -> str | None:
        if not isinstance(change, AddEntry):
            return None
        reach = (users or partial(users_of, spec))(change.file, change.pointer)
        others = reach - proposers.get(_change_key(change), set())
        if not others:
            return None
        return (
            f"the response it would change is shared with {len(others)} operation(s) the "
            f"finding is not about ({describe(others)}); give this operation its own response"
        )

    return check


class PassPlan:
    """The edits of one pass: each fix is taken whole or not at all; a fix whose edit overlaps
    one already taken waits for the next pass; identical changes are made once; a change that
    ``guard`` refuses is not made."""

    def __init__(
        self,
        source_of: Callable[[Path], SourceFile],
        guard: Guard | None = None,
        style_of: StyleOf | None = None,
    ) -> None:
        self.source_of = source_of
        self.guard = guard
        self.style_of = style_of
        self.layouts: dict[Path, Layout] = {}
        self.edits: dict[Path, list[Edit]] = {}
        self._taken: dict[Path, EditIndex] = {}
        self.renames: dict[Path, set[Rename]] = {}
        self.keys: set[tuple[Any, ...]] = set()
        self.taken: list[tuple[Finding, frozenset[Path]]] = []
        self.refused: list[tuple[Finding, str]] = []

    def offer(self, finding: Finding) -> None:
        assert finding.fix is not None
        staged: list[tuple[Path, Edit, tuple[Any, ...], Change]] = []
        paths: set[Path] = set()
        merged = False
        for change in finding.fix.changes:
            path = change.file
            key = _change_key(change)
            refusal = self.guard(change) if self.guard is not None else None
            if refusal is not None:
                self.refused.append((finding, refusal))
                return
            if key in self.keys:
                merged = True
                paths.add(path)
                continue
            try:
                edit = self._edit(path, change)
            except CannotEdit as exc:
                self.refused.append((finding, str(exc)))
                return
            if edit is None:
                continue
            taken = self._taken.get(path)
            if (taken is not None and taken.conflicts(edit)) or any(
                overlaps(edit, other) for p, other, _, _ in staged if p == path
            ):
                return  # next pass
            staged.append((path, edit, key, change))
            paths.add(path)
        if not staged and not merged:
            return
        for path, edit, key, change in staged:
            self.edits.setdefault(path, []).append(edit)
            self._taken.setdefault(path, EditIndex()).add(edit)
            self.keys.add(key)
            if isinstance(change, RenameKey):
                rename = (change.pointer, change.old, change.new)
                self.renames.setdefault(path, set()).add(rename)
        self.taken.append((finding, frozenset(paths)))

    def _edit(self, path: Path, change: Change) -> Edit | None:
        source = self.source_of(path)
        if isinstance(change, AddEntry) and _already_in_sequence(source.data, change):
            return None
        layout = self.layouts.get(path)
        if layout is None:
            style = self.style_of(source) if self.style_of is not None else None
            layout = layout_for(source.text, source.is_json, source.locator, style)
            self.layouts[path] = layout
        return layout.edit(change)


def _already_in_sequence(data: Any, change: AddEntry) -> bool:
    """An item appended to a sequence has no key to find it by: look for an equal item, so that
    a fix that did not satisfy its rule is not appended again on every run."""
    value = data
    for part in change.pointer:
        found, value = lookup(value, part)
        if not found:
            return False
    return isinstance(value, list) and change.value in value


def layout_for(
    text: str, is_json: bool, locator: Locator | None = None, style: YamlStyle | None = None
) -> Layout:
    """The layout that places changes in ``text``, on ``locator`` if the file has one already
    (its exact nodes are then read once for positions and edits alike); ``style``: a YAML
    text's survey, when already known (``survey.py``)."""
    return JsonLayout(text, locator) if is_json else YamlLayout(text, locator, style)
