"""Fragments -> the root documents that include them.

A pre-commit hook is handed the files a commit touches. In a multi-file spec (DigitalOcean keeps
each operation in ``resources/<tag>/<operation>.yml``) a commit often touches only a fragment,
which is not an API description on its own: checked alone it would be skipped, and a broken
response would slip through. So a named file that is not an OpenAPI/Swagger root is replaced by
the root documents whose ``$ref`` graph reaches it.

The search goes upward from the fragment rather than downward from every root: find the files
whose ``$ref`` values point at the fragment, then the files pointing at those, until root
documents are met. A byte-level pre-filter (the fragment's file name written after ``$ref``)
rules out almost every file before anything is parsed, so a 2,900-file spec costs one read of
each file and a parse of the few that mention the name.

Roots are either named in config (``roots = ["openapi.yaml"]``: only those count, which also
keeps example or test documents elsewhere in the repository from being picked up) or, by
default, any file with a top-level ``openapi``/``swagger`` key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from oas_create_check.load.read import SpecError, read_bytes
from oas_create_check.load.source import read_file

#: A ``$ref`` whose value is a URI (``https:``, ``file:``) or network path is never followed by
#: the loader, so it cannot make a root include a local fragment.
_REMOTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


@dataclass(frozen=True)
class _Parsed:
    """What the search needs from one candidate file: where its ``$ref`` values lead, and whether
    it is an API description itself."""

    targets: frozenset[Path]
    is_openapi: bool


def repository_top(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``.git`` (a directory, or a file in a
    worktree or submodule), found without running git: a hook must stay fast."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def search_top(fragment: Path, cwd: Path) -> Path:
    """Where to look for roots: the fragment's repository, else the working directory when it
    holds the fragment, else the fragment's own folder."""
    folder = fragment.resolve().parent
    top = repository_top(folder)
    if top is not None:
        return top
    cwd = cwd.resolve()
    return cwd if folder.is_relative_to(cwd) else folder


def ref_targets(data: Any, base: Path) -> Iterator[Path]:
    """The local files named by every ``$ref`` in ``data``, resolved against ``base`` (the folder
    of the file holding them). Remote and absolute references are left out, as the loader
    refuses them."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                location = ref.partition("#")[0]
                if location and not _REMOTE.match(location) and not location.startswith("/"):
                    # Lexical, like the walk's paths: resolving every reference costs a
                    # system call per path component, the bulk of the search's time.
                    yield Path(os.path.normpath(base / unquote(location)))
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


class RootFinder:
    """Finds the roots including a fragment; one per run, so the candidate files are read and
    parsed at most once however many fragments a commit touches."""

    def __init__(self, configured: Sequence[Path] = (), cwd: Path | None = None) -> None:
        self._configured = frozenset(p.resolve() for p in configured)
        self._cwd = cwd or Path.cwd()
        #: Per search top: every YAML/JSON file under it that contains ``$ref`` at all, with bytes.
        self._candidates: dict[Path, dict[Path, bytes]] = {}
        self._parsed: dict[Path, _Parsed | None] = {}

    def roots_for(self, fragment: Path) -> list[Path]:
        """Root documents whose ``$ref`` graph reaches ``fragment``, in a stable order."""
        candidates = self._files_under(search_top(fragment, self._cwd))
        start = fragment.resolve()
        seen = {start}
        pending = [start]
        roots: set[Path] = set()
        while pending:
            target = pending.pop()
            for path in self._referrers(target, candidates):
                if path in seen:
                    continue
                seen.add(path)
                if self._is_root(path):
                    roots.add(path)
                else:
                    pending.append(path)
        return sorted(roots)

    def _is_root(self, path: Path) -> bool:
        if self._configured:
            return path in self._configured
        parsed = self._parsed.get(path)
        return parsed is not None and parsed.is_openapi

    def _referrers(self, target: Path, candidates: dict[Path, bytes]) -> Iterator[Path]:
        spellings = _spellings(target.name)
        mention = re.compile(
            rb"""\$ref["']?\s*:\s*["']?[^"'#\s]*?(?:%s)(?:["'#\s,}]|$)"""
            % b"|".join(re.escape(s) for s in spellings)
        )
        for path, raw in candidates.items():
            # The substring test is a memchr-speed scan; the regex then wants the name in the
            # file part of a ``$ref`` value (YAML or JSON, quoted or not).
            if path != target and any(s in raw for s in spellings) and mention.search(raw):
                parsed = self._parse(path)
                if parsed is not None and target in parsed.targets:
                    yield path

    def _parse(self, path: Path) -> _Parsed | None:
        if path not in self._parsed:
            try:
                source = read_file(path)
            except SpecError:
                # A broken file includes nothing we could check through it; if it is itself
                # named, the run reports it.
                self._parsed[path] = None
            else:
                targets = frozenset(ref_targets(source.data, path.parent))
                self._parsed[path] = _Parsed(targets, source.is_openapi)
        return self._parsed[path]

    def _files_under(self, top: Path) -> dict[Path, bytes]:
        if top not in self._candidates:
            from oas_create_check.run.discover import spec_files

            found: dict[Path, bytes] = {}
            for path in spec_files(top):
                try:
                    # The hardened read: a FIFO or device in the repository is refused, not
                    # waited on forever.
                    raw = read_bytes(path, str(path))
                except SpecError:
                    continue
                if b"$ref" in raw:
                    found[path] = raw
            self._candidates[top] = found
        return self._candidates[top]


def _spellings(name: str) -> list[bytes]:
    """How a ``$ref`` may write a file name: as is, or percent-encoded (``my%20schema.yaml``)."""
    return sorted({name.encode(), quote(name).encode()})


__all__ = ["RootFinder", "ref_targets", "repository_top", "search_top"]
