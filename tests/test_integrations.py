"""CI and adoption features through the real command line: the CI formats read back by real
parsers, ``--output``, the GitHub Actions default, ``--baseline``, ``--changed-since`` and the
root documents that stand in for a ``$ref``'d fragment."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES, RunCli
from gitrepo import commit_all, git, init_repo
from test_reporters_ci import SCHEMA_PATH, parse_workflow_commands

from oas_create_check.adopt.baseline import Key, apply, load
from oas_create_check.engine import SpecResult
from oas_create_check.model import Finding, Severity
from oas_create_check.run.lint import RunResult, lint_paths
from oas_create_check.run.roots import RootFinder
from oas_create_check.settings import Settings

INTEGRATIONS = FIXTURES / "integrations"
SEVERAL = INTEGRATIONS / "several.yaml"
MULTI = INTEGRATIONS / "multi"
#: ``file:line:col: severity [rule] message``
TEXT_LINE = re.compile(r"^(.+):(\d+):(\d+): (error|warning|info) \[([a-z0-9-]+)\] (.+)$")

#: What ``several.yaml`` holds: (rule, API path) for each finding, one of every severity.
SEVERAL_FINDINGS = sorted(
    [
        ("create-status-201", "/orders"),
        ("create-duplicate-policy", "/orders"),
        ("create-location-header", "/customers"),
        ("create-duplicate-policy", "/customers"),
        ("accepted-status-monitor", "/exports"),
        ("idempotency-key-contract", "/payments"),
    ]
)

NEW_OPERATION = """  /invoices:
    post:
      operationId: createInvoice
      responses:
        "200":
          description: The new invoice
  /invoices/{invoiceId}:
    get:
      operationId: getInvoice
      responses:
        "200":
          description: One invoice
"""


def text_findings(out: str) -> list[tuple[str, str]]:
    """(rule, API path) of each finding line of the text format (the path is in the message)."""
    found = []
    for line in out.splitlines():
        match = TEXT_LINE.match(line)
        if match:
            api_path = re.search(r" (/[^ ]*) ", match.group(6))
            found.append((match.group(5), api_path.group(1) if api_path else ""))
    return sorted(found)


def text_rules(out: str) -> list[str]:
    return sorted(rule for rule, _ in text_findings(out))


# --------------------------------------------------------------------------------------------
# The CI formats, through the CLI, read back by real parsers
# --------------------------------------------------------------------------------------------


def _sarif_results(text: str) -> list[tuple[str, str]]:
    log = json.loads(text)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    return [(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]]


def _github_results(text: str) -> list[tuple[str, str]]:
    commands, plain = parse_workflow_commands(text)
    assert plain == []
    return [(c.properties["title"][len("oas-create-check(") : -1], c.name) for c in commands]


def _gitlab_results(text: str) -> list[tuple[str, str]]:
    return [(issue["check_name"], issue["severity"]) for issue in json.loads(text)]


def _junit_results(text: str) -> list[tuple[str, str]]:
    """Every finding a test lists, failing or not (``file:line:col: severity [rule] ...``)."""
    root = ET.fromstring(text)
    found = []
    for tag in ("failure", "error", "system-out"):
        for element in root.iter(tag):
            found += re.findall(r":\d+:\d+: (error|warning|info) \[([\w-]+)\]", element.text or "")
    return [(rule, severity) for severity, rule in found]


def _json_results(text: str) -> list[tuple[str, str]]:
    return [(f["rule"], f["severity"]) for f in json.loads(text)["findings"]]


READERS = {
    "sarif": _sarif_results,
    "github": _github_results,
    "gitlab": _gitlab_results,
    "junit": _junit_results,
    "json": _json_results,
}


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_every_ci_format_reports_the_same_findings(run_cli: RunCli, fmt: str) -> None:
    code, text_out, _ = run_cli(SEVERAL, "--format", "text")
    assert code == 1
    expected = text_rules(text_out)
    assert expected == sorted(rule for rule, _ in SEVERAL_FINDINGS)
    code, out, _ = run_cli(SEVERAL, "--format", fmt)
    assert code == 1
    results = READERS[fmt](out)
    assert sorted(rule for rule, _ in results) == expected


def test_output_writes_the_format_to_the_file_and_text_to_the_terminal(
    run_cli: RunCli, tmp_path: Path
) -> None:
    report = tmp_path / "reports" / "oas.sarif"
    code, out, _ = run_cli(SEVERAL, "--format", "sarif", "--output", report)
    assert code == 1
    assert text_findings(out) == SEVERAL_FINDINGS
    assert out.splitlines()[-1].startswith("6 finding(s)")
    assert len(_sarif_results(report.read_text(encoding="utf-8"))) == 6


def test_output_that_cannot_be_written_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code, _, err = run_cli(SEVERAL, "--format", "sarif", "--output", blocker / "x.sarif")
    assert code == 2
    assert "cannot write the report" in err


def test_github_actions_gets_annotations_unless_a_format_is_given(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run_cli(SEVERAL)
    assert code == 1
    assert len(_github_results(out)) == 6
    _, out, _ = run_cli(SEVERAL, "--format", "text")
    assert text_findings(out) == SEVERAL_FINDINGS
    # One run feeds both: SARIF for code scanning, annotations in the log.
    report = tmp_path / "oas.sarif"
    _, out, _ = run_cli(SEVERAL, "--format", "sarif", "--output", report)
    assert len(_github_results(out)) == 6
    assert len(_sarif_results(report.read_text(encoding="utf-8"))) == 6
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    _, out, _ = run_cli(SEVERAL)
    assert text_findings(out) == SEVERAL_FINDINGS


# --------------------------------------------------------------------------------------------
# Baseline
# --------------------------------------------------------------------------------------------


@pytest.fixture
def legacy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of ``several.yaml`` in a fresh working directory."""
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "api" / "openapi.yaml"
    spec.parent.mkdir()
    shutil.copy(SEVERAL, spec)
    return spec


def test_baseline_round_trip(run_cli: RunCli, legacy: Path) -> None:
    baseline = legacy.parent.parent / "oas-baseline.json"
    code, out, err = run_cli(legacy, "--baseline", baseline)
    assert (code, text_findings(out)) == (0, [])
    assert "recorded 6 finding(s)" in err
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    assert len(recorded["findings"]) == 6
    assert all(
        set(entry) == {"file", "pointer", "rule", "path", "method"}
        for entry in recorded["findings"]
    )
    assert recorded["findings"] == sorted(recorded["findings"], key=lambda e: Key(**e))
    assert {entry["file"] for entry in recorded["findings"]} == {"api/openapi.yaml"}

    code, out, err = run_cli(legacy, "--baseline", baseline)
    assert (code, text_findings(out)) == (0, [])
    assert "6 known finding(s) not reported" in err

    # Lines move: nothing comes back.
    legacy.write_text("# A comment\n# pushing every line down\n" + legacy.read_text(), "utf-8")
    code, out, _ = run_cli(legacy, "--baseline", baseline)
    assert (code, text_findings(out)) == (0, [])

    # A new problem is reported, and only it.
    legacy.write_text(legacy.read_text() + NEW_OPERATION, "utf-8")
    code, out, err = run_cli(legacy, "--baseline", baseline)
    assert code == 1
    assert text_findings(out) == [
        ("create-duplicate-policy", "/invoices"),
        ("create-status-201", "/invoices"),
    ]
    assert "6 known finding(s) not reported" in err


def test_baseline_is_stable_and_independent_of_the_working_directory(
    run_cli: RunCli, legacy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = legacy.parent / "baseline.json"
    run_cli(legacy, "--baseline", baseline)
    first = baseline.read_bytes()
    legacy.write_text("# moved\n" + legacy.read_text(), "utf-8")
    code, _, _ = run_cli(legacy, "--baseline", baseline, "--update-baseline")
    assert code == 0
    assert baseline.read_bytes() == first
    # From another directory the same file still matches (paths are relative to the baseline).
    monkeypatch.chdir(legacy.parent)
    code, out, _ = run_cli("openapi.yaml", "--baseline", "baseline.json")
    assert (code, text_findings(out)) == (0, [])


def test_baseline_says_when_recorded_findings_are_gone(run_cli: RunCli, legacy: Path) -> None:
    baseline = legacy.parent / "baseline.json"
    run_cli(legacy, "--baseline", baseline)
    fixed = legacy.read_text().replace(
        '        "202":\n          description: The export was accepted\n',
        '        "202":\n          description: The export was accepted\n'
        "          headers: {Location: {schema: {type: string}}}\n",
    )
    legacy.write_text(fixed, "utf-8")
    code, out, err = run_cli(legacy, "--baseline", baseline)
    assert (code, text_findings(out)) == (0, [])
    assert (
        "5 known finding(s) not reported; 1 recorded finding(s) of the files checked no longer "
        "occur" in err
    )
    run_cli(legacy, "--baseline", baseline, "--update-baseline")
    assert sum(load(baseline).values()) == 5


def test_one_baseline_entry_hides_one_finding(tmp_path: Path) -> None:
    """A rule may report twice at one node: each recorded copy of a key hides one finding."""

    def finding(message: str) -> Finding:
        return Finding("r", Severity.ERROR, message, "a.yaml", 1, 1, "/x", "/p", "post")

    run = RunResult(specs=[SpecResult("a.yaml", findings=[finding("one"), finding("two")])])
    key = {"file": "a.yaml", "pointer": "/x", "rule": "r", "path": "/p", "method": "post"}
    baseline = Path("baseline.json").absolute()  # keys are relative to the baseline's folder
    try:
        for entries, left in (([key], 1), ([key, key], 0)):
            envelope = {"tool": "oas-create-check", "version": 1, "findings": entries}
            baseline.write_text(json.dumps(envelope), "utf-8")
            assert len(apply(run, baseline).findings) == left
    finally:
        baseline.unlink()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "invalid JSON"),
        ('{"tool": "other"}', "not an oas-create-check baseline"),
        ('{"tool": "oas-create-check", "version": 99, "findings": []}', "version 99"),
        ('{"tool": "oas-create-check", "version": 1, "findings": [{"file": 1}]}', "entry 1"),
    ],
)
def test_a_broken_baseline_is_a_usage_error(
    run_cli: RunCli, legacy: Path, content: str, message: str
) -> None:
    baseline = legacy.parent / "baseline.json"
    baseline.write_text(content, "utf-8")
    code, out, err = run_cli(legacy, "--baseline", baseline)
    assert code == 2
    assert message in err
    assert out == ""


def test_update_baseline_needs_a_file(run_cli: RunCli) -> None:
    code, _, err = run_cli(SEVERAL, "--update-baseline")
    assert code == 2
    assert "--baseline" in err


# --------------------------------------------------------------------------------------------
# --changed-since
# --------------------------------------------------------------------------------------------


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose first commit holds ``several.yaml`` and the multi-file spec."""
    repo = tmp_path / "repo"
    init_repo(repo)
    shutil.copy(SEVERAL, repo / "several.yaml")
    shutil.copytree(MULTI, repo / "multi")
    commit_all(repo, "legacy specs")
    monkeypatch.chdir(repo)
    return repo


def test_changed_since_reports_nothing_when_nothing_changed(run_cli: RunCli, history: Path) -> None:
    code, out, err = run_cli("several.yaml", "multi/openapi.yaml", "--changed-since", "HEAD")
    assert (code, text_findings(out)) == (0, [])
    assert "0 of 5 POST/PUT operation(s) added or changed" in err


def test_changed_since_ignores_moves_and_unrelated_edits(run_cli: RunCli, history: Path) -> None:
    spec = history / "several.yaml"
    text = spec.read_text().replace("title: Shop", "title: Shop\n  description: Edited")
    spec.write_text("# a new header comment\n" + text, "utf-8")
    code, out, _ = run_cli("several.yaml", "--changed-since", "HEAD")
    assert (code, text_findings(out)) == (0, [])


def test_changed_since_reports_the_changed_operation(run_cli: RunCli, history: Path) -> None:
    spec = history / "several.yaml"
    spec.write_text(
        spec.read_text().replace(
            "          description: The new customer\n",
            "          description: The new customer, now with a request id\n",
        ),
        "utf-8",
    )
    git(history, "add", "several.yaml")  # staged or not, a change is a change
    code, out, err = run_cli("several.yaml", "multi/openapi.yaml", "--changed-since", "HEAD")
    assert code == 1
    assert text_findings(out) == [
        ("create-duplicate-policy", "/customers"),
        ("create-location-header", "/customers"),
    ]
    assert "1 of 5 POST/PUT operation(s) added or changed" in err


def test_changed_since_follows_refs_into_shared_files(run_cli: RunCli, history: Path) -> None:
    response = history / "multi" / "resources" / "pets" / "responses" / "pet_created.yml"
    response.write_text(response.read_text().replace("  Location:", "  X-Pet-Id:"), "utf-8")
    code, out, _ = run_cli("several.yaml", "multi/openapi.yaml", "--changed-since", "HEAD")
    assert code == 1
    assert text_findings(out) == [("create-location-header", "/pets")]


def test_changed_since_treats_a_new_spec_as_all_new(run_cli: RunCli, history: Path) -> None:
    shutil.copy(SEVERAL, history / "new.yaml")
    code, out, _ = run_cli("new.yaml", "several.yaml", "--changed-since", "HEAD")
    assert code == 1
    assert text_findings(out) == SEVERAL_FINDINGS
    listed = [line for line in out.splitlines()[:-1] if not line.startswith("[*]")]
    assert {line.split(":")[0] for line in listed} == {"new.yaml"}


def test_changed_since_counts_operations_added_since_an_older_commit(
    run_cli: RunCli, history: Path
) -> None:
    spec = history / "several.yaml"
    spec.write_text(spec.read_text() + NEW_OPERATION, "utf-8")
    commit_all(history, "add invoices")
    code, out, _ = run_cli("several.yaml", "--changed-since", "HEAD")
    assert (code, text_findings(out)) == (0, [])
    code, out, _ = run_cli("several.yaml", "--changed-since", "HEAD~1")
    assert code == 1
    assert text_findings(out) == [
        ("create-duplicate-policy", "/invoices"),
        ("create-status-201", "/invoices"),
    ]


def test_changed_since_an_unknown_revision_is_a_usage_error(run_cli: RunCli, history: Path) -> None:
    code, out, err = run_cli("several.yaml", "--changed-since", "no-such-branch")
    assert (code, out) == (2, "")
    assert "unknown git revision 'no-such-branch'" in err


def test_changed_since_outside_git_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SEVERAL, tmp_path / "several.yaml")
    code, out, err = run_cli("several.yaml", "--changed-since", "HEAD")
    assert (code, out) == (2, "")
    assert "needs a git repository" in err


def test_changed_since_and_baseline_together(run_cli: RunCli, history: Path) -> None:
    """The baseline records every finding, not only those of changed operations."""
    spec = history / "several.yaml"
    spec.write_text(spec.read_text() + NEW_OPERATION, "utf-8")
    code, _, err = run_cli("several.yaml", "--changed-since", "HEAD", "--baseline", "baseline.json")
    assert code == 0
    assert "recorded 8 finding(s)" in err


# --------------------------------------------------------------------------------------------
# Fragments stand for their root documents
# --------------------------------------------------------------------------------------------


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The multi-file spec, plus a second root (a preview edition) using one of its fragments."""
    shutil.copytree(MULTI, tmp_path / "spec")
    (tmp_path / "spec" / "preview.json").write_text(
        json.dumps(
            {
                "openapi": "3.0.3",
                "info": {"title": "preview", "version": "1"},
                "paths": {
                    "/pets": {"$ref": "resources/pets/pets.yml"},
                    "/pets/{petId}": {"$ref": "resources/pets/pet.yml"},
                },
            }
        ),
        "utf-8",
    )
    (tmp_path / "unrelated.yaml").write_text("name: not a spec\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _break_location(layout: Path) -> Path:
    response = layout / "spec" / "resources" / "pets" / "responses" / "pet_created.yml"
    response.write_text(response.read_text().replace("  Location:", "  X-Pet-Id:"), "utf-8")
    return response


def test_a_named_fragment_is_checked_through_its_roots(run_cli: RunCli, layout: Path) -> None:
    response = _break_location(layout)
    code, out, err = run_cli(response.relative_to(layout))
    assert code == 1
    # Both roots use the broken response, and each reports it where it is defined.
    assert text_findings(out) == [("create-location-header", "/pets")] * 2
    assert out.splitlines()[0].startswith("spec/resources/pets/responses/pet_created.yml:")
    assert "in 2 spec(s)" in out.splitlines()[-1]
    assert "that $ref it: spec/openapi.yaml, spec/preview.json" in err


def test_configured_roots_are_the_only_roots(run_cli: RunCli, layout: Path) -> None:
    (layout / ".oas-create-check.toml").write_text('roots = ["spec/openapi.yaml"]\n', "utf-8")
    response = _break_location(layout)
    code, out, err = run_cli(response.relative_to(layout))
    assert code == 1
    assert text_findings(out) == [("create-location-header", "/pets")]
    assert "in 1 spec(s)" in out.splitlines()[-1]
    assert "that $ref it: spec/openapi.yaml" in err


def test_roots_must_be_a_list_of_paths(run_cli: RunCli, layout: Path) -> None:
    (layout / ".oas-create-check.toml").write_text("roots = 5\n", "utf-8")
    code, _, err = run_cli("spec/openapi.yaml")
    assert code == 2
    assert "'roots' must be a list of strings" in err


def test_a_root_named_and_reached_through_a_fragment_is_checked_once(
    run_cli: RunCli, layout: Path
) -> None:
    code, out, _ = run_cli("spec/resources/pets/pets.yml", "spec/openapi.yaml", "--format", "json")
    assert code == 0
    report: dict[str, Any] = json.loads(out)
    assert report["summary"]["files"] == 2  # spec/openapi.yaml and spec/preview.json


def test_a_file_no_root_includes_is_skipped_with_a_notice(run_cli: RunCli, layout: Path) -> None:
    code, out, err = run_cli("unrelated.yaml")
    assert code == 0
    assert "unrelated.yaml: not an OpenAPI or Swagger document" in err
    assert "nothing checked: no OpenAPI document found" in out


def test_root_search_follows_chains_and_percent_encoded_names(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the search starts at the repository top
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "my schema.yaml").write_text("type: object\n", "utf-8")
    (deep / "middle.yaml").write_text("schema:\n  $ref: 'my%20schema.yaml'\n", "utf-8")
    (tmp_path / "root.yaml").write_text(
        "openapi: 3.1.0\npaths: {}\ncomponents:\n  responses:\n    r: {$ref: 'a/b/middle.yaml'}\n",
        "utf-8",
    )
    (tmp_path / "decoy.yaml").write_text("x: {$ref: 'elsewhere/my%20schema.yaml'}\n", "utf-8")
    node_modules = tmp_path / "node_modules"
    node_modules.mkdir()
    (node_modules / "other.yaml").write_text(
        "openapi: 3.1.0\nx: {$ref: '../a/b/middle.yaml'}\n", "utf-8"
    )
    finder = RootFinder()
    assert finder.roots_for(deep / "my schema.yaml") == [tmp_path / "root.yaml"]
    assert finder.roots_for(tmp_path / "decoy.yaml") == []


def test_lint_paths_checks_the_roots_of_a_fragment() -> None:
    run = lint_paths([MULTI / "shared" / "conflict.yml"], Settings())
    assert [Path(s.file).resolve() for s in run.specs] == [(MULTI / "openapi.yaml").resolve()]
    assert run.findings == []
