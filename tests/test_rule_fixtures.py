"""Data-driven rule cases: each folder in fixtures/rules holds a spec (one or more files) and an
``expected.yaml`` with the exact findings and kinds. One harness, the same invariants for all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES
from fix_invariants import fix_and_check

from oas_create_check.config import from_table
from oas_create_check.report.rule_docs import fix_label
from oas_create_check.rules import all_rules
from oas_create_check.run.lint import lint_paths
from oas_create_check.settings import Settings

CASES = sorted(p.parent for p in (FIXTURES / "rules").glob("*/expected.yaml"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_rule_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(case)
    config = expected.get("config")
    settings = from_table(config, case / "expected.yaml") if config else Settings()
    run = lint_paths([Path(expected["root"])], settings)
    assert not run.errors, run.errors

    found = sorted((f.rule, f.file, f.line, f.path, f.method) for f in run.findings)
    wanted = sorted(
        (e["rule"], e["file"], e["line"], e["path"], e["method"]) for e in expected["findings"]
    )
    assert found == wanted

    kinds = {(o.path, o.method): o.kind.value for o in run.operations}
    for entry in expected.get("kinds", []):
        assert kinds[(entry["path"], entry["method"])] == entry["kind"], entry
    for finding in run.findings:
        assert finding.message and finding.column >= 1
        # a rule whose documentation promises no fix never proposes one
        if fix_label(all_rules()[finding.rule].doc) == "none":
            assert finding.fix is None, finding


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_rule_case_fixes_keep_their_promises(case: Path, tmp_path: Path) -> None:
    """Every fix the case's findings propose, safe and unsafe, keeps the fixer's promises
    (insert-only, data only gained, verified, nothing fixable left unexplained, idempotent)."""
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    work = tmp_path / case.name
    shutil.copytree(case, work)
    config = expected.get("config")
    settings = from_table(config, work / "expected.yaml") if config else Settings()
    report, _, _ = fix_and_check(work, [work / str(expected["root"])], settings, unsafe=True)
    assert not report.run.errors, report.run.errors


def test_every_case_covers_something() -> None:
    assert len(CASES) >= 7
    dialects = {
        next(iter(yaml.safe_load(p.read_text()) or {}), None)
        for c in CASES
        for p in c.glob("*.*")
        if p.name != "expected.yaml"
    }
    assert {"openapi", "swagger"} <= dialects
