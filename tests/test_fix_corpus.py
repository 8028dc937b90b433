"""``--fix --unsafe-fixes`` on copies of every real spec in the corpus keeps every promise.

Real files have what generated ones lack: thousands of lines of comments and block scalars,
odd quoting, DigitalOcean's hundreds of ``$ref``'d files. Each spec is copied (the whole
DigitalOcean tree with it, made writable: the corpus itself is read-only) and fixed; the shared
harness then checks insert-only, data-only-gained, no addition inside a node that an operation
reaches unless that operation has a fixable finding of the rule that planned the addition (its
own reachability walk), nothing fixable left unexplained,
idempotence; here, a spec that passed openapi-spec-validator still passes, read back from disk.
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from conftest import CORPUS, corpus_specs, needs_corpus
from fix_invariants import fix_and_check

from oas_create_check.load.source import read_file
from oas_create_check.settings import Settings
from oas_create_check.spec.validation import validate

#: Every corpus spec fixed and checked: minutes (CI runs it; the fast suite does not).
pytestmark = pytest.mark.slow


def _copy(spec: Path, tmp_path: Path) -> Path:
    """Copy ``spec`` with the folder its references need; returns the copied root."""
    relative = spec.relative_to(CORPUS)
    if relative.parts[0] == "digitalocean":
        shutil.copytree(CORPUS / "digitalocean", tmp_path / "digitalocean")
    else:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(spec, tmp_path / relative)
    for path in tmp_path.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return tmp_path / relative


@needs_corpus
@pytest.mark.parametrize("spec", corpus_specs(), ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_fix_corpus_spec(spec: Path, tmp_path: Path) -> None:
    root = _copy(spec, tmp_path)
    valid_before = validate(read_file(root), first_only=True).passed
    report, _, _ = fix_and_check(tmp_path, [root], Settings(), unsafe=True)
    assert not report.run.errors, report.run.errors
    if valid_before and report.changes:  # read back from disk, as the next tool would
        after = validate(read_file(root), first_only=True)
        assert after.passed, (after.status, after.detail, after.issues[:1])
    if root.name in ("openai-openapi.yaml", "box-openapi.json", "DigitalOcean-public.v2.yaml"):
        assert sum(change.fixed for change in report.changes) >= 20


@needs_corpus
def test_corpus_is_fixed_somewhere() -> None:
    """The corpus keeps exercising the fixer: the large specs do have fixable findings."""
    names = {p.relative_to(CORPUS).as_posix() for p in corpus_specs()}
    assert {
        "openai-openapi.yaml",
        "box-openapi.json",
        "digitalocean/DigitalOcean-public.v2.yaml",
    } <= names
