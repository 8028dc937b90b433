"""No file in the repository names a folder of the machine it was written on.

A path such as the checkout's parent folder, a home directory or pytest's temporary folder means
nothing on a fresh clone: a default pointing there breaks elsewhere, and a report quoting it tells
a reader about someone's disk instead of the project. The forbidden prefixes are computed at test
time (the checkout's parent folder is wherever this clone happens to live), and each is matched
only where a path starts, so a URL that merely contains the same letters is not flagged.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

#: Folders shared by every machine: a checkout living directly in one says nothing of its owner.
SCRATCH = {"/" + "tmp", "/var/" + "tmp", "/" + "dev/shm"}


def machine_prefixes() -> list[str]:
    """Absolute folders of this machine that no committed file should name."""
    # Spelled in pieces so that this file does not contain what it forbids.
    prefixes = ["/" + "root/", "/" + "tmp/pytest-of-"]
    for folder in (REPO.parent, Path.home()):
        # never "/" itself, nor a shared scratch folder a clone may sit in (CI's may be /tmp/):
        # tests rightly write /tmp/... paths as data
        if len(folder.parts) > 1 and folder.as_posix() not in SCRATCH:
            prefixes.append(folder.as_posix().rstrip("/") + "/")
    return sorted(set(prefixes))


def forbidden_pattern() -> re.Pattern[str]:
    home_of_anyone = "/" + "home/[^/\\s\"'`]+/"
    alternatives = [re.escape(prefix) for prefix in machine_prefixes()] + [home_of_anyone]
    return re.compile(r"(?<![\w./~-])(?:" + "|".join(alternatives) + ")")


def tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout
    return [REPO / name for name in listed.decode("utf-8").split("\0") if name]


def test_the_pattern_finds_what_it_should() -> None:
    pattern = forbidden_pattern()
    checkout_parent = REPO.parent.as_posix().rstrip("/")
    assert pattern.search("/" + "root/.cache/x")
    assert pattern.search("see /" + "home/alice/spec.yaml")
    assert pattern.search('"/' + 'tmp/pytest-of-bob/pytest-3/x"')
    if len(REPO.parent.parts) > 1 and REPO.parent.as_posix() not in SCRATCH:
        assert pattern.search(f"corpus: {checkout_parent}/shared/corpus")
    assert not pattern.search("https://example.com/root/a and ../shared/corpus and ~/.cache")


def test_no_tracked_file_names_a_folder_of_this_machine() -> None:
    pattern = forbidden_pattern()
    found = []
    for path in tracked_files():
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):  # deleted in the work tree, a submodule
            continue
        if b"\0" in data[:8192]:  # binary
            continue
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            match = pattern.search(line)
            if match:
                found.append(f"{path.relative_to(REPO)}:{number}: {match.group(0)}")
    assert not found, "machine paths in tracked files:\n" + "\n".join(found)
