"""Fixer cases as data (fixtures/fix/*): exact expected text plus every promise of
docs/contract.md#fixing, checked by one harness; then the command line around it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, RunCli
from fix_invariants import fix_and_check, snapshot

from oas_create_check.config import from_table
from oas_create_check.fix.fixer import FixOptions, fix_paths
from oas_create_check.run.lint import lint_paths
from oas_create_check.settings import Settings

CASES = sorted(p.parent for p in (FIXTURES / "fix").glob("*/case.yaml"))


def _load(case: Path, tmp_path: Path) -> tuple[dict[str, Any], Path, Settings, Path]:
    meta = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    work = tmp_path / case.name
    shutil.copytree(case / "in", work)
    table = meta.get("settings") or {}
    settings = from_table(table, work / "settings.toml") if table else Settings()
    return meta, work, settings, work / str(meta["root"])


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_fix_case(case: Path, tmp_path: Path) -> None:
    meta, work, settings, root = _load(case, tmp_path)
    unsafe = bool(meta.get("unsafe", False))
    report, before, after = fix_and_check(work, [root], settings, unsafe)
    assert not report.run.errors, report.run.errors

    expected_dir = case / "out"
    for relative, content in after.items():
        expected_file = expected_dir / relative
        expected = expected_file.read_bytes() if expected_file.exists() else before[relative]
        assert content == expected, f"{relative} differs from {expected_file}"
    assert any(content != before[r] for r, content in after.items()), "the case fixes nothing"

    remaining = sorted(f.rule for f in report.run.findings)
    assert remaining == sorted(str(rule) for rule in meta.get("remaining") or [])
    # the report's remaining findings are what a fresh lint of the written files finds
    fresh = lint_paths([root], settings)
    assert sorted(f.rule for f in fresh.findings) == remaining


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_diff_mode_writes_nothing(case: Path, tmp_path: Path) -> None:
    meta, work, settings, root = _load(case, tmp_path)
    before = snapshot(work)
    report = fix_paths([root], settings, FixOptions(unsafe=bool(meta.get("unsafe")), write=False))
    assert snapshot(work) == before
    patched = tmp_path / "patched"
    shutil.copytree(case / "in", patched)
    for change in report.changes:
        relative = change.path.relative_to(work.resolve())
        expected = (case / "out" / relative).read_bytes()
        assert change.after == expected.decode("utf-8")
        diff = change.diff()
        assert diff.startswith(f"--- a/{change.display}\n+++ b/{change.display}\n")
        # the diff is a patch: applied to the input it gives the expected file, byte for byte
        # (--binary: CRLF lines stay CRLF; the BOM is part of line 1 on both sides)
        header = f"--- a/{relative.as_posix()}\n+++ b/{relative.as_posix()}\n"
        body = diff.split("\n", 2)[2]
        subprocess.run(
            ["patch", "--binary", "-p1", "-s", "-d", str(patched)],
            input=(header + body).encode(),
            check=True,
        )
        assert (patched / relative).read_bytes() == expected


def test_cases_cover_the_matrix() -> None:
    """The case list keeps covering what section 3 promises, in both syntaxes."""
    names = " ".join(c.name for c in CASES)
    needed = "json- yaml- crlf bom no-final-newline flow swagger2 multi-file 4space 2space tabs"
    for word in (needed + " minified unsafe idempotency reuse block-scalars").split():
        assert word in names, word
    texts = {c.name: b"".join(p.read_bytes() for p in (c / "in").rglob("*.*")) for c in CASES}
    assert any(b"\r\n" in t for t in texts.values())
    assert any(t.startswith(b"\xef\xbb\xbf") for t in texts.values())


def test_shared_component_fixed_once(tmp_path: Path) -> None:
    _, work, settings, root = _load(FIXTURES / "fix" / "multi-file-shared-response", tmp_path)
    report = fix_paths([root], settings, FixOptions())
    by_file = {c.path.relative_to(work.resolve()).as_posix(): c for c in report.changes}
    shared = by_file["responses/created.yaml"]
    assert shared.after.count("Location:") == 1
    assert shared.fixed == 2  # two operations' findings, one edit


def test_cli_fix_reports_files_and_exit_code(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, work, _, _ = _load(FIXTURES / "fix" / "yaml-oas3-2space-single-quotes", tmp_path)
    monkeypatch.chdir(work)
    code, out, err = run_cli("--fix", "api.yaml")
    assert code == 0, (out, err)
    assert "fixed 3 problem(s) in api.yaml" in err  # Location, 409, 400
    assert "no findings" in out
    code, out, err = run_cli("--fix", "api.yaml")
    assert code == 0 and "fixed" not in err


def test_cli_diff_is_a_patch_and_writes_nothing(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = FIXTURES / "fix" / "multi-file-shared-response"
    _, work, _, _ = _load(case, tmp_path)
    monkeypatch.chdir(work)
    before = snapshot(work)
    code, out, err = run_cli("--diff", "api.yaml")
    assert code == 1, err
    assert snapshot(work) == before
    assert err.count("would fix") == 3
    # the printed diff is a patch that turns the input into the expected files
    patched = tmp_path / "patched"
    shutil.copytree(case / "in", patched)
    subprocess.run(["patch", "-p1", "-s", "-d", str(patched)], input=out.encode(), check=True)
    for relative in snapshot(case / "out"):
        assert (patched / relative).read_bytes() == (case / "out" / relative).read_bytes()


def test_cli_unsafe_alone_only_lints(run_cli: RunCli, tmp_path: Path) -> None:
    _, work, _, root = _load(FIXTURES / "fix" / "yaml-unsafe-rename-and-upsert", tmp_path)
    before = snapshot(work)
    code, _, err = run_cli("--unsafe-fixes", root)
    assert code == 1 and "does nothing without --fix" in err
    assert snapshot(work) == before
    code, _, err = run_cli("--fix", root)  # safe fixes only: the rename waits
    assert code == 1
    assert b"'200':" in (work / "api.yaml").read_bytes()
    # what remains is create-readable-result, which has no fix
    code, out, err = run_cli("--fix", "--unsafe-fixes", "--ignore", "create-readable-result", root)
    assert code == 0, out
    assert (work / "api.yaml").read_bytes() == (
        FIXTURES / "fix" / "yaml-unsafe-rename-and-upsert" / "out" / "api.yaml"
    ).read_bytes()


def test_diff_round_trips_through_patch(tmp_path: Path) -> None:
    """The anchored diff (fast on big files) is a patch that ``patch`` applies exactly,
    final newline or not."""
    import random

    from oas_create_check.fix.fixer import FileChange

    rng = random.Random(7)
    for trial in range(60):
        lines = [
            rng.choice(["a\n", "b\n", "  c\n", f"u{rng.randint(0, 30)}\n"])
            for _ in range(rng.randint(1, 30))
        ]
        after = list(lines)
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(after))
            after[at:at] = [f"new{rng.randint(0, 9)}\n", "b\n"]
        if rng.random() < 0.3:
            after[rng.randrange(len(after))] = "changed\n"
        old, new = "".join(lines), "".join(after)
        if rng.random() < 0.3:
            old, new = old.rstrip("\n"), new.rstrip("\n")
        folder = tmp_path / str(trial)
        folder.mkdir()
        (folder / "f.yaml").write_text(old)
        diff = FileChange(folder / "f.yaml", "f.yaml", old, new, 1).diff()
        subprocess.run(["patch", "-p1", "-s", "-d", str(folder)], input=diff.encode(), check=True)
        assert (folder / "f.yaml").read_text() == new, diff


def test_fix_with_validate_reports_document_findings_once(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole-document rules run once on the fixed result, not once per pass."""
    _, work, _, _ = _load(FIXTURES / "fix" / "yaml-unsafe-rename-and-upsert", tmp_path)
    spec = work / "api.yaml"
    spec.write_text(
        spec.read_text() + "  /orphans/{id}:\n    get:\n      responses:\n        '200':\n"
        "          description: The path parameter is never declared\n"
    )
    monkeypatch.chdir(work)
    # create-readable-result has no fix: its finding would remain beside the validator's
    code, out, err = run_cli(
        "--fix", "--unsafe-fixes", "--validate", "--ignore", "create-readable-result", "api.yaml"
    )
    assert code == 1, err
    assert "fixed 4 problem(s) in api.yaml" in err
    assert [line for line in out.splitlines() if "[" in line] == [
        line for line in out.splitlines() if "[valid-spec]" in line
    ]
    assert out.count("[valid-spec]") == 1 and "'id' for 'get'" in out


@pytest.mark.parametrize("write", [True, False], ids=["fix", "diff"])
def test_two_specs_sharing_a_file_fix_it_once(tmp_path: Path, write: bool) -> None:
    """Two root documents $ref the same response: the first spec's fix is seen by the second,
    on disk (--fix) or in memory (--diff), so the shared file gets one Location, not two."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "created.yaml").write_text("description: Created\n")
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(
            f"openapi: 3.0.3\ninfo:\n  title: {name}\n  version: '1'\npaths:\n  /{name}s:\n"
            f"    post:\n      operationId: create{name.upper()}\n      responses:\n"
            "        '201':\n          $ref: 'shared/created.yaml'\n"
            "        '409':\n          description: Exists\n"
        )
    report = fix_paths(
        [tmp_path / "a.yaml", tmp_path / "b.yaml"], Settings(), FixOptions(write=write)
    )
    assert not report.run.errors
    assert [c.path.name for c in report.changes] == ["created.yaml"]
    shared = report.changes[0]
    assert shared.after.count("Location:") == 1 and shared.fixed == 1
    assert not [f for f in report.run.findings if f.rule == "create-location-header"]
