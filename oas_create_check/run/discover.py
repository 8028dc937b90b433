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


def spec_files(top: Path) -> Iterator[Path]:
    """Every ``*.yaml``/``*.yml``/``*.json`` below ``top`` in a stable order, skipping VCS,
    dependency and cache folders and never following directory links (no loops)."""
    for folder, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.lower().endswith(SPEC_SUFFIXES):
                yield Path(folder) / name


def discover(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """Files to check, each with whether the user named it (named files that are not OpenAPI get
    a notice; files found in a directory walk are skipped quietly)."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for candidate in spec_files(path):
                key = real_path(candidate)
                if key not in seen:
                    seen.add(key)
                    yield candidate, False
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
