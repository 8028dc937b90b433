"""Adopting the linter on a legacy spec: record today's findings once, then report only new ones.

A spec written before anyone checked its creations has dozens of findings (in our corpus, 1 of
the 104 declared ``201`` responses carries ``Location``). Failing every build until all are fixed
is how a linter gets switched off; a baseline lets a team stop the bleeding first and fix the
backlog at its own pace.

A finding is recorded by *what* it is about, never by *where* it is printed: file, JSON pointer,
rule, API path and method. Lines move whenever anyone edits above the operation, so a key with a
line number would resurrect the whole backlog after the first unrelated change; a pointer moves only
when the offending node itself moves. Messages are left out too: they quote the operation's other
responses, which change for reasons that do not make an old finding new. The same key may be
recorded more than once (a rule can report two problems at one node): each recorded copy hides one
finding.

Files are stored relative to the baseline file, with ``/``, so the file means the same from any
working directory and on any system. Entries are sorted and written with a fixed layout so that
re-recording an unchanged spec gives a byte-identical file (a clean diff in review).

The engine knows nothing of this: ``apply`` narrows a finished ``RunResult``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from oas_create_check.atomic import replace_file
from oas_create_check.model import Finding, ToolError
from oas_create_check.run.lint import RunResult

#: Bumped if the file layout ever changes, so an old file is refused rather than misread.
FORMAT_VERSION = 1
_FIELDS = ("file", "pointer", "rule", "path", "method")


class BaselineError(ToolError):
    """A baseline file that cannot be read or written: exit code 2 with this message."""


@dataclass(frozen=True, order=True)
class Key:
    """What identifies a finding across edits (see the module docstring for why no line)."""

    file: str
    pointer: str
    rule: str
    path: str
    method: str


def key_of(finding: Finding, base: Path) -> Key:
    """The key of ``finding`` with its file relative to ``base`` (the baseline's folder)."""
    return Key(
        _relative(finding.file, base), finding.pointer, finding.rule, finding.path, finding.method
    )


def render(keys: list[Key]) -> str:
    """The file's text: one entry per line inside a fixed envelope, sorted, so that recording an
    unchanged spec twice gives the same bytes and a review diff shows one line per change."""
    entries = ",\n".join(
        "    " + json.dumps({name: getattr(key, name) for name in _FIELDS}, ensure_ascii=False)
        for key in sorted(keys)
    )
    body = f"\n{entries}\n  " if entries else ""
    return (
        "{\n"
        f'  "tool": "oas-create-check",\n  "version": {FORMAT_VERSION},\n'
        f'  "findings": [{body}]\n'
        "}\n"
    )


def record(path: Path, keys: list[Key]) -> int:
    """Write ``keys`` to ``path``; returns how many were recorded."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, render(keys).encode("utf-8"))  # a kill leaves the old baseline whole
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None
    return len(keys)


def load(path: Path) -> Counter[Key]:
    """The recorded keys, with how many findings each one hides."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a baseline file (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("tool") != "oas-create-check":
        raise BaselineError(f"{path}: not an oas-create-check baseline file")
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(
            f"{path}: baseline format version {data.get('version')!r} is not {FORMAT_VERSION}; "
            "record it again with --update-baseline"
        )
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: 'findings' must be a list")
    keys: Counter[Key] = Counter()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) for f in _FIELDS):
            raise BaselineError(
                f"{path}: entry {index + 1} needs the string fields {', '.join(_FIELDS)}"
            )
        keys[Key(*(entry[f] for f in _FIELDS))] += 1
    return keys


def recorded(path: Path) -> Callable[[Finding], bool]:
    """Whether a finding is recorded in the baseline at ``path`` (none is while the file does
    not exist; the command line does not ask then, since the run records every finding).
    ``--fix`` leaves these alone: a baseline says "known, not now", and a fix hook
    rewriting the whole backlog on the first commit after adoption is what it is there to stop.
    Asked of each finding as it is when the fixer meets it: keys hold no line, so the fixer's
    edits elsewhere do not move them, and a finding a fix moved to a new key is the one the
    report will show as new, which is then better fixed too."""
    if not path.exists():
        return lambda _finding: False
    keys, base = load(path), path.parent
    return lambda finding: keys[key_of(finding, base)] > 0


#: Dropped entries listed one by one in the notice; past this, they are counted.
LISTED_DROPS = 20


def _relative(file: str, base: Path) -> str:
    return os.path.relpath(os.path.abspath(file), os.path.abspath(base)).replace(os.sep, "/")


def _in_run(run: RunResult, base: Path, active: Iterable[str] | None) -> Callable[[Key], bool]:
    """Whether a recorded entry is one this run could have found again: its file was read by a
    check that succeeded (the root or a ``$ref``'d file) and its rule ran. Only such entries may
    be dropped or called gone; the others are another run's business."""
    files = {_relative(file, base) for spec in run.specs for file in spec.read or [spec.file]}
    rules = None if active is None else set(active)
    return lambda key: key.file in files and (rules is None or key.rule in rules)


def apply(
    run: RunResult, path: Path, update: bool = False, active: Iterable[str] | None = None
) -> RunResult:
    """``run`` with the findings recorded in ``path`` left out, and a notice saying how many.

    When ``path`` does not exist yet, or ``update`` is asked for, today's findings are recorded
    first, so all of them are left out: adopting the linter starts green. Recording merges: an
    entry whose file was not checked by this run (or whose rule did not run: ``active`` lists
    the rules that did) is kept as it was; only entries this run could have seen again, and did
    not, are dropped, and the notice names each of them.
    """
    base = path.parent
    if update or not path.exists():
        old: Counter[Key] = load(path) if path.exists() else Counter()
        in_run = _in_run(run, base, active)
        found = Counter(key_of(f, base) for f in run.findings)
        kept = Counter({key: n for key, n in old.items() if not in_run(key)})
        dropped = Counter({key: n for key, n in old.items() if in_run(key)}) - found
        count = record(path, list((kept + found).elements()))
        narrowed = _narrowed(run, lambda _finding: False)
        notice = (
            f"baseline {path}: recorded {count} finding(s): {sum(found.values())} from this "
            "run; only new findings will be reported"
        )
        if kept:
            notice += (
                f"; kept {sum(kept.values())} entr(ies) of files or rules this run did not "
                f"check ({len({key.file for key in kept})} file(s))"
            )
        narrowed.notices.append(notice)
        narrowed.notices.extend(_dropped(path, dropped))
        return narrowed
    remaining = load(path)
    in_run = _in_run(run, base, active)
    hidden = 0

    def is_new(finding: Finding) -> bool:
        nonlocal hidden
        key = key_of(finding, base)
        if remaining[key] > 0:
            remaining[key] -= 1
            hidden += 1
            return False
        return True

    narrowed = _narrowed(run, is_new)
    notice = f"baseline {path}: {hidden} known finding(s) not reported"
    stale = sum(n for key, n in remaining.items() if in_run(key))
    if stale:
        notice += (
            f"; {stale} recorded finding(s) of the files checked no longer occur (fixed? "
            "--update-baseline drops them, and keeps the entries of files not checked)"
        )
    narrowed.notices.append(notice)
    return narrowed


def _dropped(path: Path, dropped: Counter[Key]) -> list[str]:
    """One notice line per dropped entry (the first ``LISTED_DROPS``), saying why."""
    if not dropped:
        return []
    total = sum(dropped.values())
    lines = [
        f"baseline {path}: dropped {total} entr(ies) that this run checked for and no longer "
        "finds (fixed, or the operation or file changed):"
    ]
    for key in sorted(dropped)[:LISTED_DROPS]:
        times = f" (x{dropped[key]})" if dropped[key] > 1 else ""
        where = f" {key.method.upper()} {key.path}" if key.path else ""
        lines.append(f"  dropped: {key.file} {key.pointer} [{key.rule}]{where}{times}")
    if len(dropped) > LISTED_DROPS:
        lines.append(f"  ... and {len(dropped) - LISTED_DROPS} more")
    return lines


def _narrowed(run: RunResult, keep: Callable[[Finding], bool]) -> RunResult:
    """A copy of ``run`` keeping the findings ``keep`` accepts, visited in the report's order so
    that which copy of a duplicated key stays hidden does not depend on how specs are grouped."""
    kept = {id(f) for f in run.findings if keep(f)}
    specs = [replace(s, findings=[f for f in s.findings if id(f) in kept]) for s in run.specs]
    return RunResult(specs=specs, errors=list(run.errors), notices=list(run.notices))


__all__ = ["BaselineError", "Key", "apply", "key_of", "load", "record", "recorded", "render"]
