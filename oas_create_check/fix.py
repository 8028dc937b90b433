"""Findings -> fixes -> text edits -> verified, atomic writes (``--fix``, ``--unsafe-fixes``,
``--diff``).

The promises (RULES.md section 3) and where each is kept:

* **Insert-only.** ``render.py`` turns each change into an insertion at a position a parser
  reported (the one exception, an unsafe ``RenameKey``, replaces just the key's characters). No
  file is ever re-serialised, so comments, order, quoting, line endings and BOM stay as they are.
* **Fix where defined.** A change names the file that defines the node (``AddEntry.file``); a
  shared component is changed once however many operations use it (identical changes are
  merged), and overlapping edits wait for the next pass, as in ruff's fix loop: apply, lint
  again, repeat until nothing fixable is left or ``MAX_PASSES`` is reached.
* **Verified before written.** Every pass re-parses what it changed with the project's own
  loader and checks that the data only *gained* content (``first_loss``); before writing, the
  exact bytes to be written are decoded and parsed again, and compared with what was read. If
  the spec passed openapi-spec-validator before, it must still pass; otherwise no file of that
  spec is written and the failure is reported.
* **Atomic and concurrent-safe.** Each file is replaced by ``os.replace`` of an fsynced temporary
  file in the same directory, with the original mode. The replacement happens under an advisory
  lock (``flock``) and only if the file on disk is still byte-for-byte what was read; if another
  process (a parallel pre-commit hook) got there first, the spec is fixed again from the new
  content, which normally leaves nothing to do. ``kill -9`` leaves each file old or new (a
  crash may leave a ``.*.oas-create-check.tmp`` file beside it, never a half-written spec).
  Symlinks are followed to the file they name; a hard link keeps the old content.
* **Idempotent.** A fixed spec has no fixable findings, so a second run changes nothing.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .config import Settings
from .document import (
    SourceFile,
    SpecError,
    Workspace,
    decode,
    lookup,
    parse,
    parse_text,
    read_file,
    real_path,
)
from .lint import RunResult, SpecResult, active_rules, check_spec, lint_paths
from .model import AddEntry, Applicability, Change, Finding, Pointer, RenameKey, pointer_to_str
from .operations import Spec
from .render import CannotEdit, Edit, Layout, apply_edits, layout_for, overlaps
from .rules import Rule
from .validation import validate

#: Passes of the fix loop per spec. Fixes enable one another at most a couple of levels deep
#: (a lone 200 renamed 201 then gets its Location header), so this is a safety stop.
MAX_PASSES = 8
#: How many times a spec is fixed again from disk when another process changed it meanwhile.
MAX_ATTEMPTS = 3
#: How long to wait for another process's lock on a file before giving up on it.
LOCK_TIMEOUT = 30.0
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_TEMP_SUFFIX = ".oas-create-check.tmp"

Rename = tuple[Pointer, str, str]
Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


@dataclass(frozen=True)
class FixOptions:
    """``unsafe``: apply unsafe fixes too. ``write``: replace files (``--fix``) or only compute
    the result (``--diff``)."""

    unsafe: bool = False
    write: bool = True


@dataclass(frozen=True)
class FileChange:
    """One file the fixer changed (or, with ``--diff``, would change). ``before`` and ``after``
    are the decoded texts, a byte order mark included (as U+FEFF) if the file has one."""

    path: Path
    display: str
    before: str
    after: str
    fixed: int

    def diff(self) -> str:
        """A unified diff, ``a/``/``b/`` prefixed like git's, marking a missing final newline."""
        before, after = _lines(self.before), _lines(self.after)
        lines = _unified(before, after, f"a/{self.display}", f"b/{self.display}")
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )


def _lines(text: str) -> list[str]:
    """Lines as ``patch`` counts them: split at ``\n`` only (``str.splitlines`` also splits at
    U+2028, NEL and form feeds, which would shift every line number after one)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


class _Opcodes(difflib.SequenceMatcher[str]):
    """A SequenceMatcher that reports given opcodes, to reuse difflib's hunk grouping."""

    def __init__(self, opcodes: list[Opcode]) -> None:
        super().__init__(None, [], [])
        self._codes = opcodes

    def get_opcodes(self) -> list[Opcode]:
        return self._codes


def _anchored_opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    """Line opcodes from ``a`` to ``b``: lines that occur once in each anchor the alignment
    (patience diff), and difflib compares only the short stretches between anchors. A fix
    inserts a few lines here and there into thousands: difflib alone takes seconds on that."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if count_b[line] == 1}
    pairs = [
        (i, where_b[line]) for i, line in enumerate(a) if count_a[line] == 1 and line in where_b
    ]
    anchors = _increasing(pairs)
    codes: list[Opcode] = []
    i = j = 0
    for anchor_a, anchor_b in [*anchors, (len(a), len(b))]:
        if (anchor_a, anchor_b) != (i, j):
            matcher = difflib.SequenceMatcher(None, a[i:anchor_a], b[j:anchor_b], autojunk=False)
            for tag, a1, a2, b1, b2 in matcher.get_opcodes():
                codes.append((tag, i + a1, i + a2, j + b1, j + b2))
        if anchor_a < len(a):
            codes.append(("equal", anchor_a, anchor_a + 1, anchor_b, anchor_b + 1))
        i, j = anchor_a + 1, anchor_b + 1
    merged: list[Opcode] = []
    for code in codes:
        if merged and code[0] == "equal" == merged[-1][0]:
            merged[-1] = ("equal", merged[-1][1], code[2], merged[-1][3], code[4])
        elif code[1] != code[2] or code[3] != code[4]:
            merged.append(code)
    return merged or [("equal", 0, 0, 0, 0)]


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (increasing in the first item) increasing in the second."""
    import bisect

    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(pairs)
    for index, (_, second) in enumerate(pairs):
        slot = bisect.bisect_left(tails, second)
        if slot == len(tails):
            tails.append(second)
            tail_index.append(index)
        else:
            tails[slot] = second
            tail_index[slot] = index
        previous[index] = tail_index[slot - 1] if slot else -1
    result: list[tuple[int, int]] = []
    cursor = tail_index[-1] if tail_index else -1
    while cursor >= 0:
        result.append(pairs[cursor])
        cursor = previous[cursor]
    return result[::-1]


def _unified(a: list[str], b: list[str], old: str, new: str) -> Iterable[str]:
    """``difflib.unified_diff`` over ``_anchored_opcodes`` (same output format)."""

    def span(start: int, stop: int) -> str:
        length = stop - start
        first = start + 1 if length else start
        return str(first) if length == 1 else f"{first},{length}"

    groups = list(_Opcodes(_anchored_opcodes(a, b)).get_grouped_opcodes(3))
    if groups and not (len(groups) == 1 and all(g[0] == "equal" for g in groups[0])):
        yield f"--- {old}\n"
        yield f"+++ {new}\n"
        for group in groups:
            yield f"@@ -{span(group[0][1], group[-1][2])} +{span(group[0][3], group[-1][4])} @@\n"
            for tag, a1, a2, b1, b2 in group:
                if tag == "equal":
                    yield from (" " + line for line in a[a1:a2])
                    continue
                yield from ("-" + line for line in a[a1:a2])
                yield from ("+" + line for line in b[b1:b2])


@dataclass
class FixReport:
    """What remains after fixing (``run``, linted again) and what was changed."""

    run: RunResult
    changes: list[FileChange] = field(default_factory=list)


class _Stale(Exception):
    """A file is no longer what the fix was computed from (another process changed it)."""


class _Refused(Exception):
    """The spec cannot be fixed at all (read-only file, write failure, failed verification)."""


@dataclass(frozen=True)
class _Disk:
    """A file as it is on disk: to detect a change before replacing it, and to encode the new
    text exactly as the old one was (BOM and encoding)."""

    size: int
    mtime_ns: int
    digest: str
    bom: bytes
    codec: str

    @classmethod
    def of(cls, raw: bytes, stats: os.stat_result) -> _Disk:
        bom, codec = b"", "utf-8"
        for marker, name in _BOMS:
            if raw.startswith(marker):
                bom, codec = marker, name
                break
        return cls(stats.st_size, stats.st_mtime_ns, hashlib.sha256(raw).hexdigest(), bom, codec)

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


@dataclass
class _FileState:
    """A file touched in this run: as first read (the diff's left side and the baseline of the
    "only gained" check) and with every fix committed so far."""

    display: str
    disk: _Disk
    original: SourceFile
    current: SourceFile
    fixed: int = 0
    renames: set[Rename] = field(default_factory=set)


def _read_disk(path: Path) -> tuple[bytes, _Disk]:
    with path.open("rb") as handle:
        stats = os.fstat(handle.fileno())
        raw = handle.read()
    return raw, _Disk.of(raw, stats)


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
# planning one pass


def _change_key(change: Change) -> tuple[Any, ...]:
    """Identity of a change, to merge the copies proposed by every user of a shared node."""
    path = str(real_path(Path(change.file)))
    if isinstance(change, RenameKey):
        return ("rename", path, tuple(map(str, change.pointer)), change.old, change.new)
    value = json.dumps(change.value, sort_keys=True, default=str)
    return ("add", path, tuple(map(str, change.pointer)), change.key, value)


class _Plan:
    """The edits of one pass: each fix is taken whole or not at all; a fix whose edit overlaps
    one already taken waits for the next pass; identical changes are made once."""

    def __init__(self, source_of: Callable[[Path], SourceFile]) -> None:
        self.source_of = source_of
        self.layouts: dict[Path, Layout] = {}
        self.edits: dict[Path, list[Edit]] = {}
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
            path = real_path(Path(change.file))
            key = _change_key(change)
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
            pending = self.edits.get(path, []) + [e for p, e, _, _ in staged if p == path]
            if any(overlaps(edit, other) for other in pending):
                return  # next pass
            staged.append((path, edit, key, change))
            paths.add(path)
        if not staged and not merged:
            return
        for path, edit, key, change in staged:
            self.edits.setdefault(path, []).append(edit)
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
            layout = self.layouts[path] = layout_for(source.text, source.is_json)
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


# --------------------------------------------------------------------------------------------
# the fixer


class _Fixer:
    def __init__(self, settings: Settings, options: FixOptions) -> None:
        self.settings = settings
        self.options = options
        self.rules = active_rules(settings)
        # Passes re-run the operation rules (the ones with fixes); the whole-document rules run
        # once on the result: with --validate, one is the validator itself.
        self.operation_rules = [rule for rule in self.rules if rule.check is not None]
        self.document_rules = [rule for rule in self.rules if rule.check is None]
        self.states: dict[Path, _FileState] = {}
        self.errors: list[SpecError] = []
        self.notices: list[str] = []

    def wanted(self, finding: Finding) -> bool:
        fix = finding.fix
        if fix is None:
            return False
        return fix.applicability is Applicability.SAFE or (
            self.options.unsafe and fix.applicability is Applicability.UNSAFE
        )

    def committed(self) -> dict[Path, SourceFile]:
        return {path: state.current for path, state in self.states.items()}

    def relint(
        self,
        root: SourceFile,
        overlay: Mapping[Path, SourceFile],
        rules: list[Rule] | None = None,
    ) -> SpecResult:
        """Lint the spec again as it would be with ``overlay`` (texts not on disk yet)."""
        key = real_path(root.path)
        workspace = Workspace(overlay.get(key, root), self.settings.ref_root)
        workspace.preload(overlay)  # files already edited in memory win over the disk
        return check_spec(Spec(workspace), self.settings, self.rules if rules is None else rules)

    # -- one spec ---------------------------------------------------------------------------
    def fix_spec(self, result: SpecResult) -> SpecResult:
        for _ in range(MAX_ATTEMPTS):
            try:
                return self._attempt(result)
            except _Stale as stale:
                path = Path(str(stale))
                self.states.pop(path, None)
                assert result.spec is not None
                try:
                    root = read_file(result.spec.workspace.root.path)
                except SpecError as error:
                    self.errors.append(error)
                    return result
                result = self.relint(root, self.committed())
            except _Refused as refused:
                self.errors.append(SpecError(result.file, f"fixes not applied: {refused}"))
                return result
        self.errors.append(
            SpecError(result.file, "fixes not applied: the files kept changing on disk meanwhile")
        )
        return result

    def _attempt(self, initial: SpecResult) -> SpecResult:
        assert initial.spec is not None
        workspace = initial.spec.workspace
        root = workspace.root
        base = self.committed()
        result = initial
        if any(real_path(f.path) in base for f in workspace.files):
            result = self.relint(root, base)  # an earlier spec changed a file this one uses
        local: dict[Path, SourceFile] = {}
        loaded = {real_path(f.path): f for f in workspace.files}
        fresh: dict[Path, tuple[_Disk, SourceFile]] = {}
        fixed: Counter[Path] = Counter()
        renames: dict[Path, set[Rename]] = {}
        refused: dict[tuple[str, str], str] = {}
        passes = 0

        def source_of(path: Path) -> SourceFile:
            found = local.get(path) or base.get(path) or loaded.get(path)
            if found is None:
                found = loaded[path] = read_file(path)
            return found

        for _ in range(MAX_PASSES):
            fixable = sorted((f for f in result.findings if self.wanted(f)), key=Finding.sort_key)
            if not fixable:
                break
            plan = _Plan(source_of)
            for finding in fixable:
                plan.offer(finding)
            for finding, reason in plan.refused:
                refused[(finding.rule, finding.pointer)] = (
                    f"{finding.file}:{finding.line}: cannot fix [{finding.rule}]: {reason}"
                )
            if not plan.edits:
                break
            for path in plan.edits:
                if path not in self.states and path not in fresh:
                    fresh[path] = self._snapshot(path, source_of(path))
            if not self._apply(plan, source_of, local, fixed, renames, refused):
                break
            result = self.relint(root, {**base, **local}, self.operation_rules)
            passes += 1
            loaded.update(
                {real_path(f.path): f for f in result.spec.workspace.files} if result.spec else {}
            )
        if passes and result.spec is not None and self.document_rules:
            # whole-document rules (unresolved refs, the validator) carry no fixes: once, at the end
            extra = check_spec(result.spec, self.settings, self.document_rules)
            result.findings.extend(extra.findings)
        for finding in result.findings:  # still fixable: say so rather than stay silent
            if self.wanted(finding):
                refused.setdefault(
                    (finding.rule, finding.pointer),
                    f"{finding.file}:{finding.line}: cannot fix [{finding.rule}]: the fix did not "
                    "take effect (it conflicts with another one or does not satisfy the rule)",
                )
        remaining = {(f.rule, f.pointer) for f in result.findings}
        self.notices.extend(message for key, message in refused.items() if key in remaining)
        if not local:
            return result
        self._verify(root, workspace.root_dir, base, local, fresh, renames)
        self._commit(local, fresh, fixed, renames)
        return result

    def _snapshot(self, path: Path, source: SourceFile) -> tuple[_Disk, SourceFile]:
        """Read a file's bytes before its first edit: they must decode to the text the findings
        were computed from, and, when writing, the file must be writable."""
        try:
            raw, disk = _read_disk(path)
        except OSError as exc:
            raise _Refused(f"{source.display}: cannot read: {exc.strerror or exc}") from None
        try:
            text = decode(raw, source.display)
        except SpecError:
            raise _Stale(str(path)) from None
        if text != source.text:
            raise _Stale(str(path))
        if self.options.write:
            mode = path.stat().st_mode
            if not os.access(path, os.W_OK) or not mode & (
                stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
            ):
                raise _Refused(f"{source.display} is read-only")
        return disk, source

    def _apply(
        self,
        plan: _Plan,
        source_of: Callable[[Path], SourceFile],
        local: dict[Path, SourceFile],
        fixed: Counter[Path],
        renames: dict[Path, set[Rename]],
        refused: dict[tuple[str, str], str],
    ) -> bool:
        """Apply a pass's edits and check each changed file; if the batch fails, retry the fixes
        one at a time and keep those that pass. Returns whether anything changed."""
        outcome = self._try(plan, source_of)
        if isinstance(outcome, dict):
            self._keep(plan, outcome, local, fixed, renames)
            return True
        progress = False
        for finding, _ in plan.taken:
            single = _Plan(source_of)
            single.offer(finding)
            if not single.edits:
                continue
            alone = self._try(single, source_of)
            if isinstance(alone, dict):
                self._keep(single, alone, local, fixed, renames)
                progress = True
            else:
                refused[(finding.rule, finding.pointer)] = (
                    f"{finding.file}:{finding.line}: cannot fix [{finding.rule}]: {alone}"
                )
        return progress

    def _try(
        self, plan: _Plan, source_of: Callable[[Path], SourceFile]
    ) -> dict[Path, SourceFile] | str:
        """The changed files after the plan's edits, or why they are not acceptable."""
        changed: dict[Path, SourceFile] = {}
        for path, edits in plan.edits.items():
            before = source_of(path)
            text = apply_edits(before.text, edits)
            try:
                data = parse(text, before.display, before.is_json)
            except SpecError as exc:
                return f"the edited {before.display} would not parse: {exc.message}"
            loss = first_loss(before.data, data, plan.renames.get(path, ()))
            if loss is not None:
                return f"the edit would change existing content of {before.display}: {loss}"
            changed[path] = replace(before, text=text, partial=data, store=None, _locator=None)
        return changed

    @staticmethod
    def _keep(
        plan: _Plan,
        changed: dict[Path, SourceFile],
        local: dict[Path, SourceFile],
        fixed: Counter[Path],
        renames: dict[Path, set[Rename]],
    ) -> None:
        local.update(changed)
        for _, paths in plan.taken:
            fixed.update(paths)
        for path, names in plan.renames.items():
            renames.setdefault(path, set()).update(names)

    def _verify(
        self,
        root: SourceFile,
        root_dir: Path,
        base: dict[Path, SourceFile],
        local: dict[Path, SourceFile],
        fresh: dict[Path, tuple[_Disk, SourceFile]],
        renames: dict[Path, set[Rename]],
    ) -> None:
        """The last gate: the exact bytes to be written read back, through the project's loader,
        as the original data plus additions; and a spec that passed the validator still does."""
        for path, source in local.items():
            state = self.states.get(path)
            disk, original = (state.disk, state.original) if state else fresh[path]
            allowed = (state.renames if state else set()) | renames.get(path, set())
            try:
                text = decode(disk.encode(source.text), source.display)
                data, _ = parse_text(path, source.display, text)
            except (SpecError, UnicodeError) as exc:
                raise _Refused(
                    f"{source.display}: the fixed text does not read back: {exc}"
                ) from None
            loss = first_loss(original.data, data, allowed)
            if loss is not None:
                raise _Refused(f"{source.display}: the fix would change existing content: {loss}")
        key = real_path(root.path)
        after = {**base, **local}
        fixed = validate(
            after.get(key, root), root_dir, {p: s.data for p, s in after.items()}, first_only=True
        )
        if fixed.passed:
            return
        before = validate(
            base.get(key, root), root_dir, {p: s.data for p, s in base.items()}, first_only=True
        )
        if before.passed:
            why = fixed.issues[0].message if fixed.issues else fixed.detail
            raise _Refused(
                f"the spec passed openapi-spec-validator but would not after fixing ({why})"
            )

    def _commit(
        self,
        local: dict[Path, SourceFile],
        fresh: dict[Path, tuple[_Disk, SourceFile]],
        fixed: Counter[Path],
        renames: dict[Path, set[Rename]],
    ) -> None:
        disks: dict[Path, _Disk] = {}
        for path in local:
            state = self.states.get(path)
            disks[path] = state.disk if state else fresh[path][0]
        if self.options.write:
            payload = {path: (disks[path], disks[path].encode(local[path].text)) for path in local}
            try:
                disks = _write_files(payload)
            except OSError as exc:
                raise _Refused(f"cannot write: {exc.strerror or exc}") from None
        for path, source in local.items():
            state = self.states.get(path)
            if state is None:
                original = fresh[path][1]
                state = self.states[path] = _FileState(
                    source.display, disks[path], original, source
                )
            state.disk = disks[path]
            state.current = source
            state.fixed += fixed[path]
            state.renames |= renames.get(path, set())

    def changes(self) -> list[FileChange]:
        changes = []
        for path, state in sorted(self.states.items()):
            if state.current.text != state.original.text:
                bom = "\ufeff" if state.disk.bom else ""  # kept in line 1, as patch sees it
                before, after = bom + state.original.text, bom + state.current.text
                changes.append(FileChange(path, state.display, before, after, state.fixed))
        return changes


# --------------------------------------------------------------------------------------------
# writing


def _write_files(payload: Mapping[Path, tuple[_Disk, bytes]]) -> dict[Path, _Disk]:
    """Replace each file with its new bytes, all under advisory locks taken in path order, and
    only if each is still exactly what was read (else ``_Stale``). Every temporary file is
    written and fsynced before the first is renamed, so a full disk leaves all files as they
    were. Returns what is on disk afterwards."""
    held: list[int] = []
    temps: dict[Path, str] = {}
    try:
        modes: dict[Path, os.stat_result] = {}
        for path in sorted(payload):
            descriptor = _lock(path)
            held.append(descriptor)
            stats = os.fstat(descriptor)
            expected = payload[path][0]
            if (stats.st_size, stats.st_mtime_ns) != (expected.size, expected.mtime_ns) or (
                hashlib.sha256(_read_all(descriptor)).hexdigest() != expected.digest
            ):
                raise _Stale(str(path))
            modes[path] = stats
        for path, (_, data) in payload.items():
            temps[path] = _write_temp(path, data, modes[path])
        for path in sorted(payload):
            os.replace(temps.pop(path), path)
        for folder in {path.parent for path in payload}:
            _fsync_dir(folder)
        result: dict[Path, _Disk] = {}
        for path, (_, data) in payload.items():
            result[path] = _Disk.of(data, path.stat())
        return result
    finally:
        for temp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(temp)
        for descriptor in held:
            os.close(descriptor)  # releases the lock


def _lock(path: Path) -> int:
    """An open descriptor of ``path`` holding an exclusive ``flock``. Waits for another process
    holding it; if that process replaced the file meanwhile, locks the new one instead."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, still atomic
        return os.open(path, os.O_RDONLY)
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise OSError(
                            f"{path}: locked by another process for {LOCK_TIMEOUT:.0f} s"
                        ) from None
                    time.sleep(0.02)
            held, current = os.fstat(descriptor), os.stat(path)
        except BaseException:
            os.close(descriptor)
            raise
        if (held.st_dev, held.st_ino) == (current.st_dev, current.st_ino):
            return descriptor
        os.close(descriptor)


def _read_all(descriptor: int) -> bytes:
    os.lseek(descriptor, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(descriptor, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_temp(path: Path, data: bytes, stats: os.stat_result) -> str:
    """Write ``data`` to a new file next to ``path`` (same filesystem, so the rename is atomic)
    with ``path``'s mode, and fsync it."""
    import secrets

    temp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}{_TEMP_SUFFIX}")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
        os.fchmod(descriptor, stat.S_IMODE(stats.st_mode))
        if hasattr(os, "fchown") and os.geteuid() == 0:
            os.fchown(descriptor, stats.st_uid, stats.st_gid)
        os.fsync(descriptor)
    except BaseException:
        os.close(descriptor)
        os.unlink(temp)
        raise
    os.close(descriptor)
    return temp


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a directory)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# --------------------------------------------------------------------------------------------
# entry point


def fix_paths(paths: Iterable[Path], settings: Settings, options: FixOptions) -> FixReport:
    """Lint ``paths``, apply the wanted fixes spec by spec, and lint what results."""
    run = lint_paths(paths, settings)
    fixer = _Fixer(settings, options)
    specs: list[SpecResult] = []
    for result in run.specs:
        if result.spec is None:
            specs.append(result)
            continue
        uses = {real_path(f.path) for f in result.spec.workspace.files}
        if any(f.fix is not None and fixer.wanted(f) for f in result.findings) or uses & set(
            fixer.states
        ):
            specs.append(fixer.fix_spec(result))
        else:
            specs.append(result)
    fixed = replace(
        run,
        specs=specs,
        errors=[*run.errors, *fixer.errors],
        notices=[*run.notices, *fixer.notices],
    )
    return FixReport(run=fixed, changes=fixer.changes())


__all__ = ["FileChange", "FixOptions", "FixReport", "first_loss", "fix_paths"]
