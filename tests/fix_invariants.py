"""The fixer's promises as checks, shared by the fixture cases, the property test and the corpus.

Each check is written independently of ``fix.py`` (its own subsequence walk and its own "only
gained" comparison), so a bug in the fixer's gate cannot hide the same bug here. Only the exact
place of an unsafe key rename is taken from ``render.py``: the check then proves that nothing
*else* changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reach_check import Location, User, added_pointers, intruders, reach

from oas_create_check.fix.edits import apply_edits
from oas_create_check.fix.fixer import FixOptions, FixReport, fix_paths
from oas_create_check.fix.plan import layout_for
from oas_create_check.load.parse import looks_like_json, parse
from oas_create_check.load.read import decode
from oas_create_check.model import AddEntry, Applicability, Finding, RenameKey
from oas_create_check.run.lint import RunResult, lint_paths
from oas_create_check.settings import Settings

BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def snapshot(folder: Path) -> dict[Path, bytes]:
    """Every file under ``folder`` by relative path (temporary files of a crashed run included:
    they must not be mistaken for specs, so they are reported too)."""
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def wanted(finding: Finding, unsafe: bool) -> bool:
    fix = finding.fix
    if fix is None:
        return False
    return fix.applicability is Applicability.SAFE or (
        unsafe and fix.applicability is Applicability.UNSAFE
    )


def planned_renames(run: RunResult, unsafe: bool) -> dict[Path, set[RenameKey]]:
    """The key renames the fixer may make, by resolved file (only unsafe fixes rename)."""
    renames: dict[Path, set[RenameKey]] = {}
    for finding in run.findings:
        if wanted(finding, unsafe) and finding.fix is not None:
            for change in finding.fix.changes:
                if isinstance(change, RenameKey):
                    renames.setdefault(change.file, set()).add(change)
    return renames


Planned = dict[tuple[Path, tuple[str, ...]], set[str]]


def planned_by_rule(run: RunResult, unsafe: bool) -> Planned:
    """Where each fix the fixer may make puts a new key (file, pointer of the key or of any
    mapping above it) -> the rules whose findings plan it there. Several findings may plan one
    shared piece."""
    renames = {
        (file.resolve(), (*map(str, r.pointer), r.old)): r.new
        for file, found in planned_renames(run, unsafe).items()
        for r in found
    }
    planned: Planned = {}
    for finding in run.findings:
        if wanted(finding, unsafe) and finding.fix is not None:
            for change in finding.fix.changes:
                key = change.key if isinstance(change, AddEntry) else change.new
                file, pointer = change.file.resolve(), (*map(str, change.pointer), key)
                places = [pointer]
                # an entry planned under a key another fix renames lands under the new name
                for depth in range(1, len(pointer)):
                    new = renames.get((file, pointer[:depth]))
                    if new is not None:
                        places.append((*pointer[: depth - 1], new, *pointer[depth:]))
                # the mappings on the way that did not exist yet are made with it: the
                # addition then shows at the first of them
                for place in places:
                    for depth in range(1, len(place) + 1):
                        planned.setdefault((file, place[:depth]), set()).add(finding.rule)
    return planned


def is_subsequence(small: str, big: str) -> bool:
    stream = iter(big)
    return all(char in stream for char in small)


def _text(path: Path, raw: bytes) -> tuple[str, Any]:
    text = decode(raw, str(path))
    is_json = looks_like_json(path, text)
    try:
        return text, parse(text, str(path), is_json)
    except Exception:
        if is_json and path.suffix != ".json":
            return text, parse(text, str(path), False)
        raise


def gained_only(
    before: Any,
    after: Any,
    renamed: dict[tuple[str, ...], dict[str, str]],
    at: tuple[str, ...] = (),
) -> str | None:
    """Where ``after`` lost something of ``before`` (``None``: it only gained)."""
    if isinstance(before, dict):
        if not isinstance(after, dict):
            return f"{at}: mapping became {type(after).__name__}"
        names = renamed.get(at, {})
        texts = {str(k): k for k in after}
        for key, value in before.items():
            wanted_key = names.get(str(key), str(key))
            if wanted_key not in texts:
                return f"{at}: key {key!r} lost"
            lost = gained_only(value, after[texts[wanted_key]], renamed, (*at, str(key)))
            if lost:
                return lost
        return None
    if isinstance(before, list):
        if not isinstance(after, list) or len(after) < len(before):
            return f"{at}: sequence shrank"
        for index, item in enumerate(before):
            lost = gained_only(item, after[index], renamed, (*at, str(index)))
            if lost:
                return lost
        return None
    if type(before) is not type(after) or (before != after and before == before):
        return f"{at}: {before!r} became {after!r}"
    return None


def check_file(path: Path, before: bytes, after: bytes, renames: Iterable[RenameKey]) -> None:
    """Insert-only (after the renames), BOM kept, data only gained."""
    for bom in BOMS:
        assert before.startswith(bom) == after.startswith(bom), f"{path}: BOM changed"
    old_text, old_data = _text(path, before)
    new_text, new_data = _text(path, after)
    # A planned rename the fixer refused (a $ref points into the entry) was not made.
    renames = [r for r in renames if _renamed(new_data, r)]
    adjusted = old_text
    if renames:
        layout = layout_for(old_text, looks_like_json(path, old_text))
        edits = [e for e in (layout.edit(r) for r in renames) if e is not None]
        assert all(len(e.text) == e.end - e.start for e in edits)
        adjusted = apply_edits(old_text, edits)
    assert is_subsequence(adjusted, new_text), f"{path}: the original is not kept in order"
    if "\r\n" in old_text:
        assert new_text.count("\n") == new_text.count("\r\n"), f"{path}: mixed line endings"
    assert old_text.endswith("\n") == new_text.endswith("\n"), f"{path}: final newline changed"
    renamed: dict[tuple[str, ...], dict[str, str]] = {}
    for rename in renames:
        renamed.setdefault(tuple(map(str, rename.pointer)), {})[rename.old] = rename.new
    lost = gained_only(old_data, new_data, renamed)
    assert lost is None, f"{path}: {lost}"


def _renamed(data: Any, rename: RenameKey) -> bool:
    """Whether ``rename`` was made in ``data``: its old key is gone from the mapping."""
    for part in rename.pointer:
        if not isinstance(data, dict):
            return False
        data = {str(k): v for k, v in data.items()}.get(str(part))
    return isinstance(data, dict) and rename.old not in {str(k) for k in data}


def _users(folder: Path, files: dict[Path, bytes], roots: list[Path]) -> dict[User, set[Location]]:
    """Each operation of ``roots`` with the nodes it reaches, read from the files as they were
    before the fix (``reach_check``, independent of the fixer's own reachability)."""
    parsed: dict[Path, Any] = {}
    by_path = {(folder / relative).resolve(): raw for relative, raw in files.items()}

    def data_of(path: Path) -> Any:
        if path not in parsed:
            raw = by_path[path] if path in by_path else path.read_bytes()
            parsed[path] = _text(path, raw)[1]
        return parsed[path]

    users: dict[User, set[Location]] = {}
    for root in roots:
        users.update(reach(root.resolve(), data_of))
    return users


def _check_reach(
    path: Path,
    before: bytes,
    after: bytes,
    users: dict[User, set[Location]],
    allowed: dict[str, set[User]],
    planned: Planned,
) -> None:
    """Nothing was added inside a node that an operation reaches unless that operation has a
    fixable finding of a rule that planned this very addition. An addition no first-pass finding
    planned (one a later pass found, after the first edits) must at least be inside nodes only
    operations with some fixable finding reach."""
    old, new = _text(path, before)[1], _text(path, after)[1]
    anyone = set().union(*allowed.values())
    for pointer in added_pointers(old, new):
        rules = planned.get((path, pointer))
        permitted = set().union(*(allowed.get(r, set()) for r in rules)) if rules else anyone
        others = intruders(users, path, pointer, permitted)
        why = f" (planned by {sorted(rules)})" if rules else ""
        assert not others, f"{path}: /{'/'.join(pointer)}{why} changes {sorted(others)[:3]} too"


def fix_and_check(
    folder: Path, roots: list[Path], settings: Settings, unsafe: bool
) -> tuple[FixReport, dict[Path, bytes], dict[Path, bytes]]:
    """Fix the specs under ``folder`` and assert every promise; returns the report and the
    files before and after."""
    before = snapshot(folder)
    linted = lint_paths(roots, settings)
    renames = planned_renames(linted, unsafe)
    users = _users(folder, before, roots)
    # by rule, the operations with a finding the fixer may fix; every other one must be left as
    # it was, and one with a finding must only change as that finding's rule asks
    allowed: dict[str, set[User]] = {}
    for finding in linted.findings:
        if wanted(finding, unsafe):
            allowed.setdefault(finding.rule, set()).add((finding.path, finding.method))
    planned = planned_by_rule(linted, unsafe)
    report = fix_paths(roots, settings, FixOptions(unsafe=unsafe))
    after = snapshot(folder)
    assert set(after) == set(before), "files appeared or disappeared"
    for relative, old in before.items():
        path = (folder / relative).resolve()
        if after[relative] != old:
            check_file(path, old, after[relative], renames.get(path, ()))
            _check_reach(path, old, after[relative], users, allowed, planned)
    changed = {(folder / r).resolve() for r in before if after[r] != before[r]}
    assert changed == {c.path for c in report.changes}
    # what remains fixable is exactly what the fixer said it could not fix
    again = lint_paths(roots, settings)
    left = [f for f in again.findings if wanted(f, unsafe)]
    for finding in left:
        assert any(f"[{finding.rule}]" in n for n in report.run.notices), finding
    # idempotent: a second run finds nothing to change
    second = fix_paths(roots, settings, FixOptions(unsafe=unsafe))
    assert second.changes == [], [c.display for c in second.changes]
    assert snapshot(folder) == after
    return report, before, after
