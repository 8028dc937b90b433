"""``--changed-since REV``: report only on the POST/PUT operations added or changed since a git
revision, so a legacy spec can be held to the rules from today on ("new code must be clean").

An operation counts as changed when its *resolved* data differs: the operation with every
``$ref`` followed (across files), plus the path-level parameters it inherits. Editing a shared
response changes every operation that uses it; moving an operation down the file, or editing an
unrelated one, changes nothing. Comparing text diffs instead would miss the first and flag the
second.

The old version is read through the project's own loader, so it is parsed, sandboxed and resolved
exactly like the current one: the files of the spec's folder at ``REV`` (``git ls-tree``, contents
by ``git cat-file --batch``: two processes, whatever the number of fragments) are written to a
temporary folder with the same layout and loaded from there. Before any of that, git is asked
once which files changed since ``REV`` (``git diff`` against the work tree, plus untracked files):
a spec whose folder holds none of them is settled without writing a file, which is the common case
for the many specs a change does not touch. A spec whose root did not exist at ``REV`` (or does not
parse there) is new: all of it counts as changed. Findings about the document rather than an
operation (such as ``unresolved-ref``) are kept when the file they point into changed.

The engine knows nothing of this: ``only_changed`` narrows a finished ``RunResult``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from oas_create_check.engine import SpecResult
from oas_create_check.load.read import SpecError
from oas_create_check.load.refs import Node, Workspace
from oas_create_check.load.source import read_file
from oas_create_check.model import Finding, OperationRecord, ToolError, pointer_to_str
from oas_create_check.run.discover import SPEC_SUFFIXES
from oas_create_check.run.lint import RunResult
from oas_create_check.spec.operations import Operation, Spec

_Key = tuple[str, str]


class ChangeError(ToolError):
    """No usable git history: exit code 2 with this message."""


def _git(top: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=top, input=stdin, capture_output=True, check=False
        )
    except OSError as exc:
        raise ChangeError(f"--changed-since needs git, which cannot be run: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        command = next((a for a in args if not a.startswith("-")), args[0])
        raise ChangeError(f"git {command} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def resolve_revision(revision: str, cwd: Path) -> tuple[Path, str]:
    """The repository top around ``cwd`` and the commit ``revision`` names; checked before any
    spec is read, so a typo fails at once."""
    try:
        top = Path(_git(cwd, "rev-parse", "--show-toplevel").decode().strip())
    except ChangeError:
        raise ChangeError(
            f"--changed-since needs a git repository, and {cwd} is not inside one"
        ) from None
    try:
        commit = _git(
            top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        )
    except ChangeError:
        if revision == "HEAD" and _unborn(top):
            # A repository's first commit (a pre-commit hook runs before it exists): there was
            # nothing before, so everything is new. Git knows the empty tree without storing it.
            return top, _git(
                top, "hash-object", "-t", "tree", "--stdin", stdin=b""
            ).decode().strip()
        raise ChangeError(f"--changed-since: unknown git revision {revision!r}") from None
    return top, commit.decode().strip()


def _unborn(top: Path) -> bool:
    """Whether the repository's current branch has no commit yet."""
    try:
        _git(top, "rev-parse", "--verify", "--quiet", "HEAD")
    except ChangeError:
        try:
            _git(top, "symbolic-ref", "--quiet", "HEAD")
        except ChangeError:
            return False  # a detached HEAD always names a commit
        return True
    return False


class _Snapshot:
    """The repository at one commit, for comparison: which files changed since (asked of git
    once), and old files written under a temporary folder on demand, one spec folder at a time."""

    def __init__(self, top: Path, commit: str, scratch: Path) -> None:
        self.top = top.resolve()
        self.commit = commit
        self.scratch = scratch
        self._folders: set[str] = set()
        self._changed: set[str] | None = None
        self._asked: set[str] = set()
        self._existing: set[str] = set()

    def relative(self, current: Path) -> str | None:
        """``current`` (a work-tree path) relative to the repository top, or ``None`` outside."""
        resolved = current.resolve()
        if not resolved.is_relative_to(self.top):
            return None
        return resolved.relative_to(self.top).as_posix()

    def path_of(self, current: Path) -> Path | None:
        """Where the file at ``current`` sits in the snapshot (``None``: outside the repository)."""
        relative = self.relative(current)
        return None if relative is None else self.scratch / relative

    @property
    def changed(self) -> set[str]:
        """Paths that differ between the commit and the work tree (staged or not), and untracked
        files, relative to the top. Both names of a rename count."""
        if self._changed is None:
            diff = _git(self.top, "diff", "--name-only", "--no-renames", "-z", self.commit)
            new = _git(self.top, "ls-files", "--others", "--exclude-standard", "-z")
            names = (diff + b"\0" + new).split(b"\0")
            self._changed = {n.decode("utf-8", "surrogateescape") for n in names if n}
        return self._changed

    def file_changed(self, current: Path) -> bool:
        relative = self.relative(current)
        return relative is None or relative in self.changed

    def touched(self, folder: Path) -> bool:
        """Whether anything under ``folder`` changed (or it is outside the repository)."""
        relative = self.relative(folder)
        if relative is None:
            return True
        prefix = "" if relative == "." else relative + "/"
        return any(name.startswith(prefix) for name in self.changed)

    def untouched(self, folder: Path, root: Path) -> bool:
        """Whether nothing under ``folder`` changed and ``root`` existed at the commit: the
        cheap answer for the many specs a change does not touch, with no file written."""
        if self.touched(folder):
            return False
        # not in the commit (new, or ignored by git): all of it is new
        return self.relative(root) in self.existing([root])

    def existing(self, files: list[Path]) -> set[str]:
        """Which of ``files`` (relative to the top) are in the commit: asked of git once for all
        the files not asked about before (``changes_since`` asks for the roots up front), not
        once per spec."""
        wanted = [r for r in map(self.relative, files) if r is not None and r not in self._asked]
        for start in range(0, len(wanted), 1000):  # keep the command line short
            chunk = wanted[start : start + 1000]
            listing = _git(
                self.top,
                "--literal-pathspecs",  # a name holding ``*`` is a name, not a pattern
                "ls-tree",
                "-z",
                "--full-tree",
                "--name-only",
                self.commit,
                "--",
                *chunk,
            )
            self._asked.update(chunk)
            names = listing.split(b"\0")
            self._existing.update(n.decode("utf-8", "surrogateescape") for n in names if n)
        return self._existing

    def load_folder(self, folder: Path, also: Path) -> None:
        """Write every YAML/JSON file under ``folder`` as it was at the commit, and ``also`` (a
        root named on the command line may have any suffix)."""
        relative = folder.resolve().relative_to(self.top).as_posix()
        prefix = "" if relative == "." else relative + "/"
        if any(prefix.startswith(done) for done in self._folders):
            return
        self._folders.add(prefix)
        extra = also.resolve().relative_to(self.top).as_posix()
        pathspec = ["--", prefix] if prefix else []
        listing = _git(self.top, "ls-tree", "-r", "-z", "--full-tree", self.commit, *pathspec)
        wanted: list[tuple[str, str]] = []
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, name = entry.partition(b"\t")
            mode, kind, sha = meta.decode().split()
            path = name.decode("utf-8", "surrogateescape")
            # Symlinks (120000) and submodules are not files the loader would read at REV.
            if kind != "blob" or mode == "120000":
                continue
            if path.lower().endswith(SPEC_SUFFIXES) or path == extra:
                wanted.append((sha, path))
        if not wanted:
            return
        batch = _git(
            self.top, "cat-file", "--batch", stdin="".join(sha + "\n" for sha, _ in wanted).encode()
        )
        offset = 0
        made: set[Path] = set()
        for _, path in wanted:
            header_end = batch.index(b"\n", offset)
            size = int(batch[offset:header_end].split()[2])
            start = header_end + 1
            target = self.scratch / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(batch[start : start + size])
            offset = start + size + 1

    def old_spec(self, spec: Spec) -> Spec | None:
        """``spec`` as it was at the commit, or ``None`` if its root did not exist or parse."""
        workspace = spec.workspace
        root_dir = workspace.root_dir if workspace.root_dir.is_relative_to(self.top) else self.top
        old_root = self.path_of(workspace.root.path)
        old_dir = self.path_of(root_dir)
        if old_root is None or old_dir is None:
            return None
        self.load_folder(root_dir, workspace.root.path)
        if not old_root.is_file():
            return None
        try:
            source = read_file(old_root, workspace.root.display)
        except SpecError:
            return None
        return Spec(Workspace(source, old_dir))


def operation_data(spec: Spec) -> dict[_Key, Any]:
    """Each POST/PUT's resolved data by (path, method); see the module docstring."""
    resolver = _Resolver(spec.workspace)
    data: dict[_Key, Any] = {}
    for op in spec.operations:
        try:
            data[(op.path, op.method)] = resolver.operation(op)
        except RecursionError:
            data[(op.path, op.method)] = object()  # equal to nothing: counts as changed
    return data


class _Resolver:
    """Deep ``$ref`` resolution for comparison. Each target is resolved once (memoised); a
    reference back into a target being resolved becomes a marker naming it, so cycles end."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.root_dir = workspace.root_dir
        self._memo: dict[tuple[Path, str], Any] = {}
        self._active: set[tuple[Path, str]] = set()

    def operation(self, op: Operation) -> Any:
        inherited = op.path_item.child("parameters")
        return {
            "operation": self.resolve(op.node),
            "path-parameters": self.resolve(inherited) if inherited is not None else None,
        }

    def resolve(self, node: Node) -> Any:
        value = node.value
        if isinstance(value, dict):
            if isinstance(value.get("$ref"), str):
                resolved = self._target(node)
                siblings = {k: v for k, v in node.items() if k != "$ref"}
                if not siblings:
                    return resolved
                return {"$ref": resolved, **{k: self.resolve(v) for k, v in siblings.items()}}
            return {key: self.resolve(child) for key, child in node.items()}
        if isinstance(value, list):
            return [self.resolve(child) for child in node.elements()]
        return value

    def _target(self, node: Node) -> Any:
        target = self.workspace.deref(node)
        if target is None:
            return {"$ref (unresolved)": node.value["$ref"]}
        key = (target.file.path, pointer_to_str(target.pointer))
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            # Named relative to the spec's folder: the old and new copies live in different places.
            where = os.path.relpath(target.file.path, self.root_dir)
            return {"$ref (cycle)": f"{where}#{key[1]}"}
        self._active.add(key)
        try:
            resolved = self.resolve(target)
        finally:
            self._active.discard(key)
        self._memo[key] = resolved
        return resolved


def same(old: Any, new: Any) -> bool:
    """Whether two resolved operations are equal, in time linear in the size of the documents.

    ``_Resolver`` resolves each ``$ref`` target once and shares the result wherever it is
    referenced, so the data is a DAG: ``S_i = {a: S_(i-1), b: S_(i-1)}`` is a few lines of spec
    and 2^i nodes as a tree. ``==`` compares it as a tree (the two sides are different objects,
    so Python's identity shortcut never fires): 60 levels never finish. Here each pair of nodes
    (old, new) found equal is remembered by identity and never compared again. Nesting too deep
    for the comparison counts as a change."""
    equal: set[tuple[int, int]] = set()

    def walk(a: Any, b: Any) -> bool:
        if a is b:
            return True
        pair = (id(a), id(b))
        if pair in equal:
            return True
        if isinstance(a, dict):
            if not isinstance(b, dict) or a.keys() != b.keys():
                return False
            if not all(walk(value, b[key]) for key, value in a.items()):
                return False
        elif isinstance(a, list):
            if not isinstance(b, list) or len(a) != len(b):
                return False
            if not all(walk(x, y) for x, y in zip(a, b, strict=True)):
                return False
        elif isinstance(b, (dict, list)) or a != b:
            return False
        equal.add(pair)  # both stay alive (held by the data) while the comparison runs
        return True

    try:
        return walk(old, new)
    except RecursionError:
        return False


@dataclass(frozen=True)
class Changed:
    """What changed in one spec since the revision: its operations added or changed, by
    (path, method), or ``None`` when all of it is new; and whether a file changed, for findings
    about a document rather than an operation. Decided once (``changes_since``), so that it can
    narrow a run that came later: the one left after ``--fix``, whose own edits are no changes."""

    operations: frozenset[_Key] | None
    file_changed: Callable[[Path], bool]

    def keeps(self, finding: Finding) -> bool:
        """Whether ``finding`` is about something that changed."""
        if self.operations is None:
            return True
        if finding.path or finding.method:
            return (finding.path, finding.method) in self.operations
        return self.file_changed(Path(finding.file))

    def keeps_operation(self, operation: OperationRecord) -> bool:
        return self.operations is None or (operation.path, operation.method) in self.operations


def changes_since(run: RunResult, top: Path, commit: str) -> list[Changed]:
    """What changed since ``commit`` in each spec of ``run``, in the order of ``run.specs``."""
    with tempfile.TemporaryDirectory(prefix="oas-create-check-") as scratch:
        snapshot = _Snapshot(top, commit, Path(scratch))
        # Ask git now which files changed: a fix run writes files after this, and the tool's
        # own edits must not count as the user's changes.
        _ = snapshot.changed
        # Whether each untouched spec's root existed, asked of git at once; a touched spec's
        # folder is read at the commit anyway (a fix hook's spec always is: spare the call).
        workspaces = [r.spec.workspace for r in run.specs if r.spec is not None]
        snapshot.existing([w.root.path for w in workspaces if not snapshot.touched(w.root_dir)])
        return [_changed(result, snapshot) for result in run.specs]


def only_changed(
    run: RunResult,
    top: Path,
    commit: str,
    revision: str,
    changes: list[Changed] | None = None,
) -> RunResult:
    """``run`` narrowed to the operations added or changed since ``commit``, with a notice.
    ``changes`` (one per spec of ``run``), when given, is what was decided on an earlier run
    of the same specs (before fixing); otherwise it is decided on ``run``."""
    if changes is None:
        changes = changes_since(run, top, commit)
    specs = [
        replace(
            result,
            findings=[f for f in result.findings if changed.keeps(f)],
            operations=[o for o in result.operations if changed.keeps_operation(o)],
        )
        for result, changed in zip(run.specs, changes, strict=True)
    ]
    before = len(run.operations)
    narrowed = RunResult(specs=specs, errors=list(run.errors), notices=list(run.notices))
    narrowed.notices.append(
        f"--changed-since {revision}: {len(narrowed.operations)} of {before} POST/PUT "
        "operation(s) added or changed; the others are not reported"
    )
    return narrowed


def _changed(result: SpecResult, snapshot: _Snapshot) -> Changed:
    if result.spec is None:
        return Changed(None, snapshot.file_changed)
    workspace = result.spec.workspace
    changed: frozenset[_Key] = frozenset()
    if not snapshot.untouched(workspace.root_dir, workspace.root.path):
        old = snapshot.old_spec(result.spec)
        if old is None:
            return Changed(None, snapshot.file_changed)  # a new spec: everything in it is new
        try:
            before = operation_data(old)
        except SpecError:
            # unreadable as an API at the revision (a code written twice): all new
            return Changed(None, snapshot.file_changed)
        now = operation_data(result.spec)
        changed = frozenset(
            key for key, data in now.items() if key not in before or not same(before[key], data)
        )
    return Changed(changed, snapshot.file_changed)


__all__ = [
    "ChangeError",
    "Changed",
    "changes_since",
    "only_changed",
    "operation_data",
    "resolve_revision",
    "same",
]
