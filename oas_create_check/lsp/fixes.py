"""Code actions as data: a finding's own fix, every safe fix of one file, and the suppression of a
rule on one operation. Each is computed by the CLI's fixer from the editor's texts
(``fix_texts``: the same plan, layout, verification and loop as ``--diff``) and offered once it
passed, or, on a spec too large to verify every fix up front, offered as a promise that is
verified when picked. Nothing here writes text itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from oas_create_check.engine import SpecResult
from oas_create_check.fix.fixer import FileChange, FixOptions, fix_texts
from oas_create_check.lsp.session import Checked
from oas_create_check.model import (
    AddEntry,
    Applicability,
    Finding,
    Fix,
    OperationRecord,
    pointer_from_str,
)
from oas_create_check.spec.operations import EXTENSION

log = logging.getLogger(__name__)

#: Up to this size (all files of a spec together) every fix of a file is computed and verified
#: in well under a second, before anything is offered.
CHEAP_SPEC_CHARS = 400_000

#: Kinds of proposals (``server.py`` maps them to LSP code action kinds).
QUICK_FIX, FIX_ALL, SUPPRESS = "quickfix", "fixall", "suppress"


@dataclass(frozen=True)
class Proposal:
    """A change to offer: ``changes`` are whole files before and after. A proposal made with
    ``verify=False`` has none yet: it is a promise, kept (or refused) when the user picks it."""

    title: str
    kind: str
    changes: tuple[FileChange, ...]
    finding: Finding | None = None
    unsafe: bool = False


@dataclass(frozen=True)
class Outcome:
    """What the fixer made of one request: the changed files, and why fixes were refused."""

    changes: tuple[FileChange, ...]
    refused: tuple[str, ...]


def identity(finding: Finding) -> tuple[str, str, str, str]:
    """What makes a finding the same one after a re-check: never its line."""
    return (finding.rule, finding.pointer, finding.path, finding.method)


def is_cheap(checked: Checked) -> bool:
    """Whether every fix of this spec is verified in well under a second (a small spec): then
    proposals are verified before they are offered, else when they are picked."""
    return sum(len(f.text) for f in checked.files.values()) <= CHEAP_SPEC_CHARS


def propose(
    checked: Checked, kind: str, finding: Finding | None, path: Path, verify: bool = True
) -> Proposal | None:
    """The proposal of ``kind`` for ``finding`` (or, for ``FIX_ALL``, for the file ``path``);
    ``None`` if there is none or the fixer refused it."""
    if kind == FIX_ALL:
        return fix_all(checked, path, verify)
    assert finding is not None
    return (fix_one if kind == QUICK_FIX else suppress)(checked, finding, verify)


def refusals(checked: Checked, kind: str, finding: Finding | None, path: Path) -> tuple[str, ...]:
    """Why a verified proposal came to nothing (the fixer's own words)."""
    key = (kind, path) if kind == FIX_ALL else (kind, identity(finding) if finding else None)
    outcome = checked.fixes.get(key)
    return outcome.refused if isinstance(outcome, Outcome) else ()


def fix_one(checked: Checked, finding: Finding, verify: bool = True) -> Proposal | None:
    """The finding's own fix, safe or unsafe, alone."""
    fix = finding.fix
    if fix is None or fix.applicability is Applicability.DISPLAY_ONLY:
        return None
    unsafe = fix.applicability is Applicability.UNSAFE
    title = f"{_sentence(fix.description)} ({finding.rule})"
    if unsafe:
        title += " (unsafe: changes what the API promises)"
    wanted = identity(finding)
    changes = _outcome(
        checked,
        (QUICK_FIX, wanted),
        verify,
        lambda: _fix(checked, FixOptions(unsafe=unsafe, only=lambda f: identity(f) == wanted)),
    )
    if changes is None:
        return None
    return Proposal(title, QUICK_FIX, changes, finding, unsafe)


def fix_all(checked: Checked, path: Path, verify: bool = True) -> Proposal | None:
    """Every safe fix of the findings located in one file, as ``--fix`` would make them."""
    source = checked.files.get(path)
    if source is None or checked.result is None:
        return None
    display = source.display
    changes = _outcome(
        checked,
        (FIX_ALL, path),
        verify,
        lambda: _fix(checked, FixOptions(only=lambda f: f.file == display)),
    )
    if changes is None:
        return None
    return Proposal("Fix all safe oas-create-check problems in this file", FIX_ALL, changes)


def suppress(checked: Checked, finding: Finding, verify: bool = True) -> Proposal | None:
    """``x-oas-create-check: {ignore: [RULE]}`` on the finding's operation, where the operation
    is written, as an insertion the fixer makes and verifies. Findings about the whole document
    belong to no operation and cannot be suppressed this way."""
    if checked.result is None or not finding.path:
        return None
    operation = _operation(checked, finding)
    if operation is None:
        return None
    change = _suppression(checked, operation, finding.rule)
    if change is None:
        return None
    where = f"{finding.method.upper()} {finding.path}"
    description = f"Suppress {finding.rule} for {where}"
    stand_in = replace(finding, fix=Fix(description, Applicability.SAFE, (change,)))
    result = replace(checked.result, findings=[stand_in])
    changes = _outcome(
        checked,
        (SUPPRESS, identity(finding)),
        verify,
        lambda: _fix(checked, FixOptions(only=lambda f: f is stand_in), result),
    )
    if changes is None:
        return None
    return Proposal(f"{description} (x-oas-create-check)", SUPPRESS, changes, finding)


def _operation(checked: Checked, finding: Finding) -> OperationRecord | None:
    assert checked.result is not None
    for operation in checked.result.operations:
        if (operation.path, operation.method) == (finding.path, finding.method):
            return operation
    return None


def _suppression(checked: Checked, operation: OperationRecord, rule: str) -> AddEntry | None:
    """The insertion that adds ``rule`` to the operation's ignore list, creating what is
    missing; ``None`` when the extension is written in a form an insertion cannot extend."""
    key = checked.key_of(operation.file)
    if key is None:
        return None
    pointer = pointer_from_str(operation.pointer)
    found, extension = checked.files[key].value_at((*pointer, EXTENSION))
    if not found:
        return AddEntry(key, pointer, EXTENSION, {"ignore": [rule]})
    if not isinstance(extension, dict):
        return None
    ignore = extension.get("ignore")
    if ignore is None:
        return AddEntry(key, (*pointer, EXTENSION), "ignore", [rule])
    if isinstance(ignore, list):
        return AddEntry(key, (*pointer, EXTENSION, "ignore"), str(len(ignore)), rule)
    return None


def _fix(checked: Checked, options: FixOptions, result: SpecResult | None = None) -> Outcome:
    assert checked.result is not None and checked.settings is not None
    changes, refused = fix_texts(result or checked.result, checked.settings, options, checked.files)
    for reason in refused:
        log.info("fix not offered: %s", reason)
    return Outcome(tuple(changes), tuple(refused))


def _outcome(
    checked: Checked, key: tuple[Any, ...], verify: bool, compute: Callable[[], Outcome]
) -> tuple[FileChange, ...] | None:
    """The changes for ``key``: computed once per check of a spec (editors ask again at every
    cursor move); without ``verify``, what is known so far (``()`` if nothing yet). ``None``:
    the fixer made nothing of it."""
    outcome = checked.fixes.get(key)
    if outcome is None and verify:
        outcome = checked.fixes[key] = compute()
    if outcome is None:
        return ()
    assert isinstance(outcome, Outcome)
    return outcome.changes or None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
