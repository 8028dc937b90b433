"""A baseline never loses entries: recording merges, keeping every entry a run could not have seen
again (a file it did not check, a rule that did not run); it drops only entries the run checked
for and no longer finds, and says which. Proven on the legacy multi-file DigitalOcean spec: adopted
with a baseline, then one fragment changed."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, RunCli, needs_corpus

from oas_create_check.adopt.baseline import Key, load

ROOT = "DigitalOcean-public.v2.yaml"
FRAGMENT = "resources/certificates/certificates_create.yml"


def entries(path: Path) -> Counter[Key]:
    return load(path)


@pytest.fixture
def digitalocean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "digitalocean"
    shutil.copytree(CORPUS / "digitalocean", folder)
    monkeypatch.chdir(folder)
    return folder


@needs_corpus
def test_a_changed_fragment_shows_only_its_new_findings_and_no_entry_is_lost(
    digitalocean: Path, run_cli: RunCli
) -> None:
    baseline = digitalocean / "baseline.json"
    code, _, err = run_cli("--baseline", baseline, ROOT)
    assert code == 0, err
    adopted = entries(baseline)
    assert sum(adopted.values()) > 100 and len({key.file for key in adopted}) > 50

    # One fragment changes: its create may now also answer 202, which points nowhere.
    fragment = digitalocean / FRAGMENT
    accepted = "  '202':\n    description: accepted, still being issued\n\n  '401':"
    fragment.write_text(fragment.read_text().replace("  '401':", accepted, 1), encoding="utf-8")
    code, out, err = run_cli("--baseline", baseline, "--format", "json", ROOT)
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["file"], f["rule"], f["path"]) for f in findings] == [
        (FRAGMENT, "accepted-status-monitor", "/v2/certificates")
    ]
    assert f"{sum(adopted.values())} known finding(s) not reported" in err

    # Recording again from a run over the changed fragment alone (it stands for its root):
    # every entry stays, and the new finding joins them.
    code, _, err = run_cli("--baseline", baseline, "--update-baseline", FRAGMENT)
    assert code == 0, err
    updated = entries(baseline)
    new = findings[0]
    assert updated - adopted == Counter(
        {Key(FRAGMENT, new["pointer"], "accepted-status-monitor", "/v2/certificates", "post"): 1}
    )
    assert not adopted - updated, "an entry was lost"
    assert "dropped" not in err


@needs_corpus
def test_recording_from_another_spec_keeps_every_entry_and_says_so(
    digitalocean: Path, run_cli: RunCli
) -> None:
    baseline = digitalocean / "baseline.json"
    assert run_cli("--baseline", baseline, ROOT)[0] == 0
    adopted = entries(baseline)
    other = digitalocean / "petstore.yaml"
    shutil.copy(FIXTURES / "specs" / "petstore.yaml", other)
    code, _, err = run_cli("--baseline", baseline, "--update-baseline", other.name)
    assert code == 0, err
    updated = entries(baseline)
    assert not adopted - updated, "entries of the spec left out of the run were lost"
    assert {key.file for key in updated - adopted} == {"petstore.yaml"}
    assert f"kept {sum(adopted.values())} entr(ies) of files or rules this run did not check" in err


@needs_corpus
def test_a_fixed_finding_is_dropped_by_name(digitalocean: Path, run_cli: RunCli) -> None:
    baseline = digitalocean / "baseline.json"
    assert run_cli("--baseline", baseline, ROOT)[0] == 0
    adopted = entries(baseline)
    fragment = digitalocean / FRAGMENT
    fixed = fragment.read_text().replace(
        "  '401':", "  '409':\n    description: already exists\n\n  '401':", 1
    )
    fragment.write_text(fixed, encoding="utf-8")
    code, _, err = run_cli("--baseline", baseline, ROOT)
    assert code == 0
    assert "1 recorded finding(s) of the files checked no longer occur" in err
    code, _, err = run_cli("--baseline", baseline, "--update-baseline", ROOT)
    gone = Key(FRAGMENT, "/responses", "create-duplicate-policy", "/v2/certificates", "post")
    assert adopted - entries(baseline) == Counter({gone: 1})
    assert "dropped 1 entr(ies) that this run checked for and no longer finds" in err
    assert f"dropped: {FRAGMENT} /responses [create-duplicate-policy] POST /v2/certificates" in err


def test_a_selected_run_keeps_the_entries_of_the_rules_it_did_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "specs" / "petstore.yaml", "a.yaml")
    shutil.copy(FIXTURES / "specs" / "petstore.yaml", "b.yaml")
    assert run_cli("--baseline", "base.json", "a.yaml", "b.yaml")[0] == 0
    adopted = entries(tmp_path / "base.json")
    assert {key.file for key in adopted} == {"a.yaml", "b.yaml"}
    code, _, err = run_cli(
        "--baseline", "base.json", "--update-baseline", "--select", "create-status-201", "a.yaml"
    )
    assert code == 0, err
    assert entries(tmp_path / "base.json") == adopted
    assert "dropped" not in err


def test_a_file_that_cannot_be_read_keeps_its_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "specs" / "petstore.yaml", "a.yaml")
    assert run_cli("--baseline", "base.json", "a.yaml")[0] == 0
    adopted = entries(tmp_path / "base.json")
    Path("a.yaml").write_text("openapi: 3.0.0\npaths: {\n", encoding="utf-8")
    code, _, _ = run_cli("--baseline", "base.json", "--update-baseline", "a.yaml")
    assert code == 2
    assert entries(tmp_path / "base.json") == adopted
