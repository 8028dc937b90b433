"""What happens around the edits: crashes, parallel runs, locks, read-only files, full disks,
files changed underneath, verification failures. Each test ends by checking that every file is
either exactly as it was or exactly as a clean run fixes it."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli
from fix_invariants import snapshot

from oas_create_check.fix import fixer as fix_module
from oas_create_check.fix import write as write_module
from oas_create_check.fix.fixer import FixOptions, fix_paths
from oas_create_check.settings import Settings
from oas_create_check.spec.validation import Issue, Validation

TEMP_SUFFIX = ".oas-create-check.tmp"


def _write_spec(folder: Path, operations: int = 120) -> Path:
    """A multi-file spec where every create needs fixes: the root and ten shared responses."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "responses").mkdir(exist_ok=True)
    for index in range(10):
        (folder / "responses" / f"r{index}.yaml").write_text(
            f"description: Created number {index}\ncontent:\n  application/json:\n"
            "    schema:\n      type: object\n"
        )
    lines = ["openapi: 3.0.3", "info:", "  title: Many", "  version: '1'", "paths:"]
    for index in range(operations):
        lines += [f"  /things{index}:", "    post:", f"      operationId: createThing{index}"]
        lines += ["      responses:", "        '201':"]
        if index % 3 == 0:
            lines.append(f"          $ref: 'responses/r{index % 10}.yaml'")
        else:
            lines.append("          description: Created  # inline")
        lines += ["        '400':", "          description: Bad request"]
    (folder / "api.yaml").write_text("\n".join(lines) + "\n")
    return folder / "api.yaml"


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[Path, bytes], dict[Path, bytes]]:
    """(original files, fully fixed files) of the spec above, from a clean in-process run."""
    folder = tmp_path_factory.mktemp("reference")
    root = _write_spec(folder)
    before = snapshot(folder)
    report = fix_paths([root], Settings(), FixOptions())
    assert not report.run.errors and len(report.changes) == 11
    return before, snapshot(folder)


def _fresh(tmp_path: Path, name: str = "spec") -> Path:
    return _write_spec(tmp_path / name)


def _each_file_old_or_new(
    folder: Path, reference: tuple[dict[Path, bytes], dict[Path, bytes]]
) -> dict[str, int]:
    before, after = reference
    now = snapshot(folder)
    counts = {"old": 0, "new": 0}
    for relative, content in now.items():
        if relative.name.endswith(TEMP_SUFFIX):
            continue  # a temporary file of the killed run; never a spec
        assert relative in before, relative
        if content == before[relative]:
            counts["old"] += 1
        else:
            assert content == after[relative], f"{relative} is neither original nor fixed"
            counts["new"] += 1
    return counts


def _command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "oas_create_check", *map(str, args)]


#: The CLI with every ``os.replace`` slowed down, so that kills land between the renames of a
#: multi-file fix too (a window of microseconds otherwise).
_SLOW_REPLACE = """
import os, sys, time
from oas_create_check.cli import main
real = os.replace
def slow(*args, **kwargs):
    time.sleep(0.05)
    return real(*args, **kwargs)
os.replace = slow
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_kill_9_leaves_each_file_old_or_new(
    tmp_path: Path, reference: tuple[dict[Path, bytes], dict[Path, bytes]]
) -> None:
    """Early kills land at spread fractions of the run before its writes; late kills wait for
    the first temporary file (the write phase has begun) and land among the renames."""
    slow = [sys.executable, "-c", _SLOW_REPLACE, "--fix"]
    seen: list[str] = []
    for trial, delay in enumerate((0.05, 0.2, 0.4, None, None, None)):
        root = _fresh(tmp_path, f"trial{trial}")
        process = subprocess.Popen(
            [*slow, str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if delay is not None:
            time.sleep(delay)
        else:
            deadline = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < deadline:
                if any(p.name.endswith(TEMP_SUFFIX) for p in root.parent.rglob("*")):
                    break
                time.sleep(0.002)
            time.sleep(0.05 + 0.1 * (trial - 3))  # among the eleven slowed renames
        process.send_signal(signal.SIGKILL)
        process.wait()
        counts = _each_file_old_or_new(root.parent, reference)
        seen.append(
            "untouched" if not counts["new"] else "done" if not counts["old"] else "partial"
        )
        # whatever the moment, a new run finishes the job: what the killed run wrote stays, and
        # nothing fixable is left. (A file the killed run did not reach may now $ref the
        # Location header the killed run added to the root's components, where a clean run
        # inlines it: the spec's own parts come first.)
        written = {
            r: c
            for r, c in snapshot(root.parent).items()
            if c == reference[1].get(r) != reference[0].get(r)
        }
        again = fix_paths([root], Settings(), FixOptions())
        assert not again.run.errors
        assert not [f for f in again.run.findings if f.fix is not None]
        now = snapshot(root.parent)
        assert all(now[r] == c for r, c in written.items())
        assert all(now[r] != reference[0][r] for r in reference[0])
    assert seen[0] == "untouched", seen  # 50 ms: still starting up
    assert set(seen[3:]) & {"partial", "done"}, seen  # killed during or after the writes


@pytest.mark.slow
def test_two_parallel_runs_give_one_correct_result(
    tmp_path: Path, reference: tuple[dict[Path, bytes], dict[Path, bytes]]
) -> None:
    for trial in range(2):
        root = _fresh(tmp_path, f"parallel{trial}")
        runs = [
            subprocess.Popen(
                _command("--fix", root), stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(2)
        ]
        outputs = [run.communicate() for run in runs]
        assert all(run.returncode == 0 for run in runs), outputs
        # one of them fixed the file; the other found it fixed (or redid nothing after waiting)
        errors = b"".join(err for _, err in outputs).decode()
        assert errors.count("problem(s) in") == 11, errors
        counts = _each_file_old_or_new(root.parent, reference)
        assert counts["old"] == 0
        assert not [p for p in root.parent.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


def test_read_only_file_is_an_error_and_stays(run_cli: RunCli, tmp_path: Path) -> None:
    root = _fresh(tmp_path)
    shared = root.parent / "responses" / "r0.yaml"
    shared.chmod(0o444)
    before = snapshot(root.parent)
    code, _, err = run_cli("--fix", root)
    assert code == 2
    assert "read-only" in err
    assert snapshot(root.parent) == before  # no file of that spec is written


def test_full_disk_is_an_error_and_leaves_everything(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _fresh(tmp_path)
    before = snapshot(root.parent)
    real_write = os.write
    calls = {"n": 0}

    def full(descriptor: int, data: Any) -> int:
        calls["n"] += 1
        if calls["n"] > 3:  # a few temporary files fit, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(descriptor, data)

    monkeypatch.setattr(write_module.os, "write", full)
    code, _, err = run_cli("--fix", root)
    assert code == 2
    assert "No space left on device" in err
    assert snapshot(root.parent) == before  # no temporary file left, nothing replaced


def test_mode_is_kept_and_symlinks_followed(tmp_path: Path) -> None:
    root = _fresh(tmp_path)
    root.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(root)
    report = fix_paths([link], Settings(), FixOptions())
    assert not report.run.errors
    assert link.is_symlink()
    assert (root.stat().st_mode & 0o777) == 0o640
    assert "Location" in root.read_text()


def test_file_changed_meanwhile_is_fixed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process edits the file between our read and our write: the fix is redone on
    its content instead of overwriting it."""
    root = _fresh(tmp_path, "changed")
    real_check = fix_module.unchecked
    edited = {"done": False}

    def check_and_meddle(*args: Any, **kwargs: Any) -> str | None:
        if not edited["done"]:
            edited["done"] = True
            with root.open("a") as handle:
                handle.write("x-edited-meanwhile: true\n")
        return real_check(*args, **kwargs)

    monkeypatch.setattr(fix_module, "unchecked", check_and_meddle)
    report = fix_paths([root], Settings(), FixOptions())
    assert not report.run.errors
    text = root.read_text()
    assert "x-edited-meanwhile: true" in text
    # the 80 inline 201s refer to one Location in components/headers; the other 40 use shared files
    assert text.count("Location:") == 81
    assert (
        text.count("$ref: '#/components/headers/Location'")
        + text.count('$ref: "#/components/headers/Location"')
        == 80
    )
    assert not fix_paths([root], Settings(), FixOptions()).changes


def test_invalid_result_writes_nothing(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the spec passed the validator and the fixed one would not, no file is written."""
    root = _fresh(tmp_path)
    before = snapshot(root.parent)
    verdicts = iter(
        [Validation("invalid", (Issue(("paths",), "broken by the fix"),)), Validation("valid")]
    )
    monkeypatch.setattr(fix_module, "validate", lambda *a, **k: next(verdicts))
    # what the snippet check cannot vouch for goes to the whole validator
    monkeypatch.setattr(fix_module, "unchecked", lambda *a, **k: "forced for the test")
    code, _, err = run_cli("--fix", root)
    assert code == 2
    assert "passed openapi-spec-validator but would not after fixing (broken by the fix)" in err
    assert snapshot(root.parent) == before


def test_locked_file_times_out_cleanly(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fcntl = pytest.importorskip("fcntl")
    root = _fresh(tmp_path)
    before = snapshot(root.parent)
    monkeypatch.setattr(write_module, "LOCK_TIMEOUT", 0.3)
    with root.open("rb") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
        code, _, err = run_cli("--fix", root)
    assert code == 2 and "locked by another process" in err
    assert snapshot(root.parent) == before
