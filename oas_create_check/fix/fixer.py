"""The fix loop, after ruff's: lint, apply the non-overlapping fixes, verify, lint again, until
nothing fixable is left or ``MAX_PASSES`` is reached; then write every changed file of the spec
or none.

Why this module is a little past the house's ~500 lines: the loop, one attempt's state and the
in-memory seam the language server uses belong together; the diff, plan, verification and writes
are their own modules already.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from oas_create_check.engine import SpecResult, active_rules, check_spec
from oas_create_check.fix.diff import file_diff
from oas_create_check.fix.edits import apply_edits
from oas_create_check.fix.plan import PassPlan, StyleOf, sharing_guard
from oas_create_check.fix.snippets import Resolve, unchecked, version_of
from oas_create_check.fix.users import CarriedIndex, Gains, gains
from oas_create_check.fix.verify import Rename, first_loss, inserted, refs_in
from oas_create_check.fix.write import Disk, Stale, read_disk, write_files
from oas_create_check.load.parse import looks_like_json, parse, parse_text
from oas_create_check.load.read import SpecError, decode, real_path
from oas_create_check.load.refs import NOT_LOCAL, Node, Workspace
from oas_create_check.load.source import SourceFile, read_file
from oas_create_check.model import (
    Applicability,
    Change,
    Finding,
    Pointer,
    RenameKey,
    pointer_from_str,
    pointer_to_str,
)
from oas_create_check.rules import Rule
from oas_create_check.run.lint import RunResult, lint_paths
from oas_create_check.settings import Settings
from oas_create_check.spec.operations import Spec
from oas_create_check.spec.reach import User

if TYPE_CHECKING:
    from oas_create_check.spec.validation import Validation

#: Passes of the fix loop per spec. Fixes enable one another at most a couple of levels deep
#: (a lone 200 renamed 201 then gets its Location header), so this is a safety stop.
MAX_PASSES = 8
#: How many times a spec is fixed again from disk when another process changed it meanwhile.
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class FixOptions:
    """``unsafe``: apply unsafe fixes too. ``write``: replace files (``--fix``) or only compute
    the result (``--diff``). ``only``: fix just the findings it accepts (an editor's quick fix
    for one finding or one file); ``None``, every finding."""

    unsafe: bool = False
    write: bool = True
    only: Callable[[Finding], bool] | None = None


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
        return file_diff(self.before, self.after, self.display)


@dataclass
class FixReport:
    """What remains after fixing (``run``, linted again) and what was changed."""

    run: RunResult
    changes: list[FileChange] = field(default_factory=list)


def wanted(finding: Finding, options: FixOptions) -> bool:
    """Whether ``options`` ask for this finding's fix to be applied."""
    fix = finding.fix
    if fix is None or (options.only is not None and not options.only(finding)):
        return False
    return fix.applicability is Applicability.SAFE or (
        options.unsafe and fix.applicability is Applicability.UNSAFE
    )


def validate(
    root: SourceFile, root_dir: Path, files: Mapping[Path, Any], *, first_only: bool
) -> Validation:
    """openapi-spec-validator over the spec (``spec/validation.py``), imported on the first
    call: most fixes are vouched for by ``fix/snippets.py`` and never need it, and its module
    alone costs more to import than a small spec takes to fix."""
    from oas_create_check.spec.validation import validate as run

    return run(root, root_dir, files, first_only=first_only)


class _Refused(Exception):
    """The spec cannot be fixed at all (read-only file, write failure, failed verification)."""


@dataclass
class _FileState:
    """A file touched in this run: as first read (the diff's left side and the baseline of the
    "only gained" check) and with every fix committed so far."""

    display: str
    disk: Disk
    original: SourceFile
    current: SourceFile
    fixed: int = 0
    renames: set[Rename] = field(default_factory=set)


# --------------------------------------------------------------------------------------------
# the fixer


#: What ``_Attempt`` knows of a file given as text rather than read from disk: no byte order
#: mark, UTF-8. Such files are never written, so size, time and digest are not needed.
_IN_MEMORY = Disk(size=0, mtime_ns=0, digest="", bom=b"", codec="utf-8")


class _Fixer:
    def __init__(
        self,
        settings: Settings,
        options: FixOptions,
        texts: Mapping[Path, SourceFile] | None = None,
        style_of: StyleOf | None = None,
    ) -> None:
        self.settings = settings
        #: a file's YAML style when already surveyed (``survey.py``)
        self.style_of = style_of
        #: the real paths ``$ref``s led to, shared by every workspace of the run (``Workspace``)
        self.paths: dict[tuple[Path, str], Path] = {}
        #: set again for each spec by ``fix_run``, whose scope narrows ``only`` per spec
        self.options = options
        #: files given as text (an editor's unsaved buffers), used instead of the disk
        self.texts = dict(texts or {})
        self.rules = active_rules(settings)
        # Passes re-run the operation rules (the ones with fixes); the whole-document rules run
        # once on the result: with --validate, one is the validator itself.
        self.operation_rules = [rule for rule in self.rules if rule.check is not None]
        self.document_rules = [rule for rule in self.rules if rule.check is None]
        self.states: dict[Path, _FileState] = {}
        self.errors: list[SpecError] = []
        self.notices: list[str] = []

    def wanted(self, finding: Finding) -> bool:
        return wanted(finding, self.options)

    def committed(self) -> dict[Path, SourceFile]:
        return {path: state.current for path, state in self.states.items()}

    def relint(
        self,
        root: SourceFile,
        overlay: Mapping[Path, SourceFile],
        rules: list[Rule] | None = None,
        read: Mapping[Path, SourceFile] | None = None,
    ) -> SpecResult:
        """Lint the spec again as it would be with ``overlay`` (texts not on disk yet). ``read``:
        the spec's files as this attempt has read them, used instead of reading and parsing them
        again (DigitalOcean's ~900 files): the edits were planned on those very texts, and every
        file an edit touches is compared with the disk before anything is written."""
        key = real_path(root.path)
        workspace = Workspace(overlay.get(key, root), self.settings.ref_root, paths=self.paths)
        # files already edited in memory win over the texts given, which win over the files
        # already read, which win over the disk
        workspace.preload({**(read or {}), **self.texts, **overlay})
        return check_spec(Spec(workspace), self.settings, self.rules if rules is None else rules)

    # -- one spec ---------------------------------------------------------------------------
    def fix_spec(self, result: SpecResult) -> SpecResult:
        if result.spec is not None:
            self.paths.update(result.spec.workspace.paths)  # asked already by the lint
        for _ in range(MAX_ATTEMPTS):
            try:
                return self._attempt(result)
            except Stale as stale:
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
        attempt = _Attempt(self, workspace)
        result = initial
        if any(f.key in attempt.base for f in workspace.files):
            result = self.relint(root, attempt.base)  # an earlier spec changed a file this one uses
        passes = 0
        for number in range(MAX_PASSES):
            fixable = sorted((f for f in result.findings if self.wanted(f)), key=Finding.sort_key)
            if not fixable:
                break
            guard = None
            if result.spec is not None:
                guard = sharing_guard(result.spec, fixable, attempt.users(result.spec, number))
            plan = PassPlan(attempt.source_of, guard, self.style_of)
            for finding in fixable:
                blocked = attempt.pointed_into(finding)
                if blocked is not None:
                    attempt.refuse(finding, blocked)
                    continue
                plan.offer(finding)
            for finding, reason in plan.refused:
                attempt.refuse(finding, reason)
            before = {path: attempt.source_of(path) for path in plan.edits}
            if not plan.edits or not attempt.apply(plan):
                break
            attempt.note_gains(before)
            # every file read so far, the ones this pass's checks read included
            read = {f.key: f for f in result.spec.workspace.files} if result.spec else {}
            read.update(attempt.loaded)
            result = self.relint(root, attempt.overlay, self.operation_rules, read)
            passes += 1
            if result.spec is not None:
                attempt.loaded.update({f.key: f for f in result.spec.workspace.files})
        if passes and result.spec is not None and self.document_rules:
            # whole-document rules (unresolved refs, the validator) carry no fixes: once, at the end
            extra = check_spec(result.spec, self.settings, self.document_rules)
            result.findings.extend(extra.findings)
        for finding in result.findings:  # still fixable: say so rather than stay silent
            if self.wanted(finding):
                attempt.refuse(
                    finding,
                    "the fix did not take effect (it conflicts with another one or does not "
                    "satisfy the rule)",
                    overwrite=False,
                )
        remaining = {(f.rule, f.pointer) for f in result.findings}
        self.notices.extend(m for key, m in attempt.refused.items() if key in remaining)
        if attempt.local:
            attempt.verify(root, workspace.root_dir)
            attempt.commit()
        return result

    def changes(self) -> list[FileChange]:
        changes = []
        for path, state in sorted(self.states.items()):
            if state.current.text != state.original.text:
                bom = "\ufeff" if state.disk.bom else ""  # kept in line 1, as patch sees it
                before, after = bom + state.original.text, bom + state.current.text
                changes.append(FileChange(path, state.display, before, after, state.fixed))
        return changes


class _Attempt:
    """One try at fixing one spec: the files it has edited in memory so far, and what it knows
    of each (its bytes on disk before the first edit, how many fixes, which renames). Nothing is
    written until ``commit``; a ``Stale`` or ``_Refused`` raised on the way drops the attempt."""

    def __init__(self, fixer: _Fixer, workspace: Workspace) -> None:
        self.fixer = fixer
        #: where this spec's files may be written: its ref-root and the root document's folder
        self.bounds = (workspace.root_dir, real_path(workspace.root.path.parent))
        #: files committed by earlier specs of this run (a file shared by two specs)
        self.base = fixer.committed()
        #: every file of the spec read so far, as read
        self.loaded: dict[Path, SourceFile] = {f.key: f for f in workspace.files}
        #: files edited by this attempt, with every edit so far
        self.local: dict[Path, SourceFile] = {}
        #: bytes on disk and parsed original of each file before this run's first edit of it
        self.fresh: dict[Path, tuple[Disk, SourceFile]] = {}
        self.fixed: Counter[Path] = Counter()
        #: every change made so far, for ``fix/snippets.py`` to check where it landed
        self.added: list[Change] = []
        self.renames: dict[Path, set[Rename]] = {}
        #: each file's local $refs and where they lead, as last read (``_ref_targets``)
        self._targets: dict[Path, tuple[SourceFile, list[tuple[Pointer, _Target]]]] = {}
        #: why a finding could not be fixed, by (rule, pointer)
        self.refused: dict[tuple[str, str], str] = {}
        #: who reaches each response (``fix/users.py``), built in pass ``_index_pass``
        self._index: CarriedIndex | None = None
        self._index_pass = -1
        #: what the last pass's edits gained, by file (None: something else changed too)
        self._gains: dict[Path, Gains] | None = None

    def users(self, spec: Spec, number: int) -> Callable[[Path, Pointer], frozenset[User]]:
        """The sharing guard's ``users`` for pass ``number`` on ``spec``: the index of the pass
        before, carried over through what that pass's edits gained (``CarriedIndex.carried``),
        or built afresh; only when the guard first asks."""

        def users_of(file: Path, pointer: Pointer) -> frozenset[User]:
            if self._index is None or self._index_pass != number:
                carried = None
                previous = self._index is not None and self._index_pass == number - 1
                if previous and self._index is not None and self._gains is not None:
                    carried = self._index.carried(spec, self._gains)
                self._index = carried or CarriedIndex(spec)
                self._index_pass = number
            return self._index.users_of(file, pointer)

        return users_of

    def note_gains(self, before: Mapping[Path, SourceFile]) -> None:
        """Record what the pass just applied gained in each file it changed (``users.gains``,
        from the data itself), against ``before``, the files as the pass found them."""
        found: dict[Path, Gains] | None = {}
        for path, old in before.items():
            new = self.local.get(path)
            if new is None or new is old:
                continue
            gained = gains(old.data, new.data)
            if gained is None or found is None:
                found = None
                continue
            found.setdefault(new.key, []).extend(gained)
        self._gains = found

    @property
    def overlay(self) -> dict[Path, SourceFile]:
        """The files as this attempt would leave them (edits over earlier specs' commits)."""
        return {**self.base, **self.local}

    def source_of(self, path: Path) -> SourceFile:
        found = self.local.get(path) or self.base.get(path) or self.loaded.get(path)
        if found is None:
            found = self.loaded[path] = self.fixer.texts.get(path) or read_file(path)
        return found

    def pointed_into(self, finding: Finding) -> str | None:
        """Why the finding's fix would break a ``$ref``, if it would: a rename (the lone ``200``
        renamed ``201``) moves everything under the entry, and a ``$ref`` pointing into it
        (``#/paths/~1x/post/responses/200/content/...``, as fire.com's spec has) would then lead
        nowhere. Such a fix is not offered; the note names the reference."""
        assert finding.fix is not None
        for change in finding.fix.changes:
            if not isinstance(change, RenameKey):
                continue
            moved = (*map(str, change.pointer), change.old)
            for source, at, target in self._ref_targets():
                if target[0] == change.file and target[1][: len(moved)] == moved:
                    line, _ = source.locate(at)
                    return (
                        f"a $ref at {source.display}:{line} points into "
                        f"{pointer_to_str(moved)}, which the fix would rename to "
                        f"{change.new!r}"
                    )
        return None

    def _ref_targets(self) -> Iterator[tuple[SourceFile, Pointer, _Target]]:
        """Each local ``$ref`` of the spec's files as this attempt has them: the file holding
        it, where, and the (file, pointer) it leads to. Refs that cannot be read are left out
        (``unresolved-ref`` reports them)."""
        for path, source in {**self.loaded, **self.overlay}.items():
            cached = self._targets.get(path)
            if cached is None or cached[0] is not source:
                cached = self._targets[path] = (source, list(_targets_in(source)))
            for at, target in cached[1]:
                yield source, at, target

    def refuse(self, finding: Finding, reason: str, overwrite: bool = True) -> None:
        key = (finding.rule, finding.pointer)
        if overwrite or key not in self.refused:
            self.refused[key] = (
                f"{finding.file}:{finding.line}: cannot fix [{finding.rule}]: {reason}"
            )

    def apply(self, plan: PassPlan) -> bool:
        """Apply a pass's edits and check each changed file; if the batch fails, retry the fixes
        one at a time and keep those that pass. Returns whether anything changed."""
        for path in plan.edits:
            if path not in self.fixer.states and path not in self.fresh:
                self.fresh[path] = self._snapshot(path, self.source_of(path))
        outcome = self._try(plan)
        if isinstance(outcome, dict):
            self._keep(plan, outcome)
            return True
        progress = False
        for finding, _ in plan.taken:
            single = PassPlan(self.source_of, plan.guard, plan.style_of)
            single.offer(finding)
            if not single.edits:
                continue
            alone = self._try(single)
            if isinstance(alone, dict):
                self._keep(single, alone)
                progress = True
            else:
                self.refuse(finding, alone)
        return progress

    def _snapshot(self, path: Path, source: SourceFile) -> tuple[Disk, SourceFile]:
        """Read a file's bytes before its first edit: they must decode to the text the findings
        were computed from, and, when writing, the file must be writable. A file whose real path
        leaves the spec's root (a named ``link.yaml -> ../../elsewhere.yaml``) is never edited,
        not even for ``--diff``: what a diff shows is what ``--fix`` would write."""
        if not any(path.is_relative_to(bound) for bound in self.bounds):
            raise _Refused(
                f"{source.display} leads (through a symlink) to a file outside the spec's root "
                "directory: not written"
            )
        if path in self.fixer.texts:
            return _IN_MEMORY, source
        try:
            raw, disk = read_disk(path)
        except OSError as exc:
            raise _Refused(f"{source.display}: cannot read: {exc.strerror or exc}") from None
        try:
            text = decode(raw, source.display)
        except SpecError:
            raise Stale(str(path)) from None
        if text != source.text:
            raise Stale(str(path))
        if self.fixer.options.write:
            mode = path.stat().st_mode
            if not os.access(path, os.W_OK) or not mode & (
                stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
            ):
                raise _Refused(f"{source.display} is read-only")
        return disk, source

    def _try(self, plan: PassPlan) -> dict[Path, SourceFile] | str:
        """The changed files after the plan's edits, or why they are not acceptable."""
        changed: dict[Path, SourceFile] = {}
        for path, edits in plan.edits.items():
            before = self.source_of(path)
            text = apply_edits(before.text, edits)
            try:
                data = parse(text, before.display, before.is_json)
            except SpecError as exc:
                return f"the edited {before.display} would not parse: {exc.message}"
            loss = first_loss(before.data, data, plan.renames.get(path, ()))
            if loss is not None:
                return f"the edit would change existing content of {before.display}: {loss}"
            changed[path] = before.edited(text, data)
        return changed

    def _keep(self, plan: PassPlan, changed: dict[Path, SourceFile]) -> None:
        self.local.update(changed)
        for finding, paths in plan.taken:
            self.added.extend(finding.fix.changes if finding.fix is not None else ())
            # one problem is counted once, in the file of its last change (the operation's own;
            # a shared definition it adds comes first), however many files the fix touched
            last = finding.fix.changes[-1].file if finding.fix is not None else None
            if paths:
                self.fixed[last if last in paths else min(paths)] += 1
        for path, names in plan.renames.items():
            self.renames.setdefault(path, set()).update(names)

    def _before(self, path: Path) -> tuple[Disk, SourceFile, set[Rename]]:
        """A file's bytes on disk and parsed data before this run first edited it, and the
        renames allowed in it so far."""
        state = self.fixer.states.get(path)
        renames = self.renames.get(path, set())
        if state is not None:
            return state.disk, state.original, state.renames | renames
        disk, original = self.fresh[path]
        return disk, original, renames

    def verify(self, root: SourceFile, root_dir: Path) -> None:
        """The last gate: the exact bytes to be written read back, through the project's loader,
        as the original data plus additions; and a spec that passed the validator still does.

        The bytes are decoded again; when they give back the very text of the edited file and
        the loader would read it as the edit was read (JSON or YAML, ``parse_text``'s choice),
        the data is the edit's own: ``_try`` parsed that same text with the same call, and the
        parse is a pure function of the text. Only otherwise is the text parsed again."""
        for path, source in self.local.items():
            disk, original, allowed = self._before(path)
            try:
                text = decode(disk.encode(source.text), source.display)
                if text == source.text and looks_like_json(path, text) == source.is_json:
                    data = source.data
                else:
                    data, _ = parse_text(path, source.display, text)
            except (SpecError, UnicodeError) as exc:
                raise _Refused(
                    f"{source.display}: the fixed text does not read back: {exc}"
                ) from None
            loss = first_loss(original.data, data, allowed)
            if loss is not None:
                raise _Refused(f"{source.display}: the fix would change existing content: {loss}")
        workspace = self._added_refs_resolve(root)
        after, before = self.overlay, self.base
        version = version_of(after.get(root.key, root).data)
        if unchecked(version, self.added, self._resolver(workspace)) is None:
            return  # only valid objects where they belong: the validator would agree
        fixed = validate(
            after.get(root.key, root),
            root_dir,
            {p: s.data for p, s in after.items()},
            first_only=True,
        )
        if fixed.passed:
            return
        was = validate(
            before.get(root.key, root),
            root_dir,
            {p: s.data for p, s in before.items()},
            first_only=True,
        )
        if was.passed:
            why = fixed.issues[0].message if fixed.issues else fixed.detail
            why = why.partition("\n")[0][:300]  # one line, whatever the validator said
            raise _Refused(
                f"the spec passed openapi-spec-validator but would not after fixing ({why})"
            )

    def _resolver(self, workspace: Workspace) -> Resolve:
        """``$ref`` text written in a file, followed through the fixed files to its value."""

        def resolve(path: Path, ref: str) -> object:
            node = workspace.deref(Node(self.source_of(path), (), {"$ref": ref}))
            return None if node is None else node.value

        return resolve

    def _added_refs_resolve(self, root: SourceFile) -> Workspace:
        """Every ``$ref`` the fixes added leads somewhere, read by the linter's own resolver: a
        fix must never leave the spec with an ``unresolved-ref`` it did not have (whether that
        rule is selected or not). Returns the workspace over the fixed files."""
        overlay = self.overlay
        workspace = Workspace(
            overlay.get(root.key, root), self.fixer.settings.ref_root, paths=self.fixer.paths
        )
        workspace.preload(overlay)
        for path, source in self.local.items():
            for at, ref in self._added_refs(path, source):
                _, value = source.value_at(at)
                if workspace.deref(Node(source, at, value)) is None:
                    problem = workspace.problems.get((source.display, at))
                    why = f" ({problem.message})" if problem is not None else ""
                    raise _Refused(
                        f"{source.display}: the fix would add a $ref that does not resolve: "
                        f"{ref!r}{why}"
                    )
        return workspace

    def _added_refs(self, path: Path, source: SourceFile) -> Iterator[tuple[Pointer, str]]:
        """The ``$ref``s of ``source`` that the file did not have before this run's edits.

        When the fixed data is exactly the original plus the values this attempt's changes
        inserted (``inserted``: one ``==`` over the data), those values hold every new ``$ref``,
        and only they are walked: each of their ``$ref``s is checked where it sits, which is
        what the whole-file count below checks too (every string it counts more often after
        than before is one of them). Otherwise (a rename, a file an earlier spec of the run
        edited too, anything the model does not account for), the whole file is walked: each
        ``$ref`` beyond the number of times its text was there before."""
        original = self._before(path)[1].data
        added = inserted(original, source.data, path, self.added)
        if added is not None:
            for at, value in added:
                for inner, ref in refs_in(value):
                    yield (*at, *inner), ref
            return
        had = Counter(ref for _, ref in refs_in(original))
        for at, ref in refs_in(source.data):
            if had[ref] > 0:
                had[ref] -= 1
                continue
            yield at, ref

    def commit(self) -> None:
        """Write every edited file (``--fix``) or keep them in memory (``--diff``)."""
        disks = {path: self._before(path)[0] for path in self.local}
        if self.fixer.options.write:
            payload = {
                path: (disks[path], disks[path].encode(s.text)) for path, s in self.local.items()
            }
            try:
                disks = write_files(payload)
            except OSError as exc:
                raise _Refused(f"cannot write: {exc.strerror or exc}") from None
        states = self.fixer.states
        for path, source in self.local.items():
            state = states.get(path)
            if state is None:
                original = self.fresh[path][1]
                state = states[path] = _FileState(source.display, disks[path], original, source)
            state.disk = disks[path]
            state.current = source
            state.fixed += self.fixed[path]
            state.renames |= self.renames.get(path, set())


_Target = tuple[Path, tuple[str, ...]]


def _targets_in(source: SourceFile) -> Iterator[tuple[Pointer, _Target]]:
    """Where each local ``$ref`` of ``source`` leads: (real path, pointer as text)."""
    for at, ref in refs_in(source.data):
        location, _, fragment = ref.partition("#")
        if location:
            if NOT_LOCAL.match(location) or "\x00" in location:
                continue
            file = real_path(source.path.parent / unquote(location))
        else:
            file = source.key
        try:
            pointer = pointer_from_str(unquote(fragment)) if fragment else ()
        except ValueError:
            continue
        yield at, (file, tuple(map(str, pointer)))


# --------------------------------------------------------------------------------------------
# entry point


#: Which findings of one spec may be fixed (``None``: all that ``FixOptions.only`` allows).
Scope = Callable[[Finding], bool] | None


def fix_paths(paths: Iterable[Path], settings: Settings, options: FixOptions) -> FixReport:
    """Lint ``paths``, apply the wanted fixes spec by spec, and lint what results, in this
    process (``pool.fix_many`` spreads a directory of specs over worker processes)."""
    return fix_run(lint_paths(paths, settings, whole=True), settings, options)


def fix_run(
    run: RunResult,
    settings: Settings,
    options: FixOptions,
    scopes: Sequence[Scope] = (),
    style_of: StyleOf | None = None,
) -> FixReport:
    """Apply the wanted fixes to the specs of a finished lint ``run`` (each with its ``Spec``),
    spec by spec in order, and lint what results. ``scopes``, when given, has one entry per
    spec of ``run`` and narrows ``options.only`` for that spec: what ``--changed-since`` and
    ``--baseline`` leave in the report. The caller decides them from ``run``, before any edit:
    the fix loop lints again after each pass, and an operation it has just edited must not then
    count as changed by the user. ``style_of``: a YAML file's style when surveyed already
    (``survey.py``)."""
    fixer = _Fixer(settings, options, style_of=style_of)
    specs: list[SpecResult] = []
    for result, scope in zip(run.specs, scopes or [None] * len(run.specs), strict=True):
        if result.spec is None:
            specs.append(result)
            continue
        fixer.options = replace(options, only=_both(options.only, scope))
        uses = {f.key for f in result.spec.workspace.files}
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


def _both(first: Scope, second: Scope) -> Scope:
    """The findings both accept (``None`` accepts all)."""
    if first is None or second is None:
        return first or second
    return lambda finding: first(finding) and second(finding)


def fix_texts(
    result: SpecResult,
    settings: Settings,
    options: FixOptions,
    texts: Mapping[Path, SourceFile],
) -> tuple[list[FileChange], list[str]]:
    """The fixes of one checked spec, planned, applied and verified as ``--diff`` does it, from
    files given as text (an editor's unsaved buffers, keyed by real path) instead of the disk;
    nothing is written. Returns the changed files and why any wanted fix was not made."""
    fixer = _Fixer(settings, replace(options, write=False), texts)
    fixer.fix_spec(result)
    return fixer.changes(), [*(str(e) for e in fixer.errors), *fixer.notices]
