"""Paths -> the files to check: directory walks and a cheap test for an API description."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from oas_create_check.load.read import SpecError, read_bytes, real_path

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"}
#: A cheap test run before parsing files found in a directory walk: most YAML/JSON files in a
#: repository (and every fragment of a multi-file spec) are not API descriptions.
_OPENAPI_MARKER = re.compile(
    rb"""(?m)^(?:openapi|swagger|["']openapi["']|["']swagger["'])\s*:|["'](?:openapi|swagger)["']\s*:"""
)


def spec_files(
    top: Path, escaped: list[Path] | None = None, bounds: Iterable[Path] = ()
) -> Iterator[Path]:
    """Every ``*.yaml``/``*.yml``/``*.json`` below ``top`` in a stable order, skipping VCS,
    dependency and cache folders and never following directory links (no loops).

    A file symlink whose real path leaves ``top`` (and every one of ``bounds``, the ref-root)
    is not yielded but added to ``escaped``: a stranger's pull request may hold
    ``link.yaml -> ../../secret.yaml`` or ``-> /proc/self/environ``, and a scan of the folder
    must neither read it (findings would quote it) nor let ``--fix`` write through it."""
    inside = (real_path(top), *(real_path(bound) for bound in bounds))
    for folder, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.lower().endswith(SPEC_SUFFIXES):
                candidate = Path(folder) / name
                # Directory links are never descended, so only the file itself can be a link.
                if os.path.islink(candidate) and not any(
                    real_path(candidate).is_relative_to(bound) for bound in inside
                ):
                    if escaped is not None:
                        escaped.append(candidate)
                    continue
                yield candidate


def discover(
    paths: Iterable[Path],
    escaped: list[tuple[Path, Path]] | None = None,
    bounds: Iterable[Path] = (),
) -> Iterator[tuple[Path, bool]]:
    """Files to check, each with whether the user named it (named files that are not OpenAPI get
    a notice; files found in a directory walk are skipped quietly). Symlinks leaving a scanned
    folder go to ``escaped`` instead, with that folder (``spec_files``); a file named by the user
    is taken as named, wherever it leads: the fixer still never writes outside the spec's root."""
    seen: set[Path] = set()
    bounds = tuple(bounds)
    for path in paths:
        if path.is_dir():
            links: list[Path] = []
            for candidate in spec_files(path, links, bounds):
                key = real_path(candidate)
                if key not in seen:
                    seen.add(key)
                    yield candidate, False
            if escaped is not None:
                escaped.extend((link, path) for link in links)
        else:
            key = real_path(path)
            if key not in seen:
                seen.add(key)
                yield path, True


def marked_openapi(path: Path) -> bool:
    try:
        return bool(_OPENAPI_MARKER.search(read_bytes(path, str(path))))
    except SpecError:
        return True  # let read_file report the problem
