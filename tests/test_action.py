"""The GitHub Action (``action.yml``): its steps run as the runner would run them
(``github_runner.py``), with a fake ``GITHUB_*`` environment, and produce annotations (the most
important first, at most ten of each kind, then a notice of how many were not shown), a Markdown
job summary and a SARIF file that the SARIF validator passes without a warning."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO
from github_runner import ActionRun, base_env, load_action, run_action
from sarif_validator import INSTALL_HINT, multitool, problems
from test_reporters_ci import SCHEMA_PATH, parse_workflow_commands

from oas_create_check import __version__
from oas_create_check.report.github_format import ANNOTATION_LIMIT

SHA = "0123456789abcdef0123456789abcdef01234567"


def legacy_spec(creates: int) -> str:
    """A spec with ``creates`` POSTs that answer a lone 200: an error (no 201) and a warning
    (no duplicate policy) each."""
    lines = ["openapi: 3.0.0", "info: {title: legacy, version: '1'}", "paths:"]
    for index in range(creates):
        lines += [
            f"  /things{index}:",
            "    post:",
            f"      operationId: createThing{index}",
            "      responses:",
            "        '200': {description: ok}",
            f"  /things{index}/{{id}}:",
            "    get:",
            "      responses:",
            "        '200': {description: one}",
        ]
    return "\n".join(lines) + "\n"


def preinstalled(runner_temp: Path) -> None:
    """The venv a first use of the action in this job would have left: a cache hit, so the fast
    test runs this checkout's code without reinstalling it."""
    venv = runner_temp / "oas-create-check-venv"
    (venv / "bin").mkdir(parents=True)
    wrapper = venv / "bin" / "oas-create-check"
    wrapper.write_text(
        f'#!/bin/sh\nPYTHONPATH="{REPO}" exec "{sys.executable}" -m oas_create_check "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    (venv / ".action-path").write_text(str(REPO), encoding="utf-8")


class Job:
    def __init__(self, root: Path) -> None:
        self.workspace = root / "repo"
        self.workspace.mkdir()
        self.temp = root / "runner-temp"
        self.temp.mkdir()
        self.summary = root / "step_summary"
        self.summary.write_text("earlier step's summary\n", encoding="utf-8")

    def run(self, **inputs: str) -> ActionRun:
        env = {
            **base_env(),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "octo/api",
            "GITHUB_SHA": SHA,
        }
        return run_action(REPO, inputs, self.workspace, self.temp, env)


@pytest.fixture
def job(tmp_path: Path) -> Job:
    job = Job(tmp_path)
    preinstalled(job.temp)
    return job


def test_the_action_is_a_composite_action_with_documented_inputs() -> None:
    action = load_action(REPO / "action.yml")
    assert action["runs"]["using"] == "composite"
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name
    assert set(action["outputs"]) == {"exit-code", "sarif"}
    uses = [step for step in action["runs"]["steps"] if "uses" in step]
    assert [step["uses"].split("@")[0] for step in uses] == ["github/codeql-action/upload-sarif"]
    assert "inputs.upload-sarif == 'true'" in uses[0]["if"]


def test_inputs_reach_the_scripts_only_through_the_environment() -> None:
    """A ``${{ }}`` spliced into a script would make an input (a path from a workflow that reads
    a pull request's title, say) shell code."""
    for step in load_action(REPO / "action.yml")["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("id")


def test_annotations_summary_and_sarif(job: Job) -> None:
    (job.workspace / "api").mkdir()
    (job.workspace / "api" / "openapi.yaml").write_text(legacy_spec(14), encoding="utf-8")
    run = job.run(paths="api", sarif="reports/oas.sarif")
    assert "already installed" in run.step("install").stdout
    check = run.step("check")
    assert (check.code, check.outputs["exit-code"]) == (1, "1"), check.stderr
    assert check.outputs["sarif"] == "reports/oas.sarif"

    commands, plain = parse_workflow_commands(check.stdout)
    kinds = [command.name for command in commands]
    # 14 errors and 14 warnings: ten of each, errors first, then our notice of the rest.
    assert kinds == ["error"] * ANNOTATION_LIMIT + ["warning"] * ANNOTATION_LIMIT + ["notice"]
    notice = commands[-1]
    assert notice.data.startswith("8 more finding(s) not shown as annotations (4 error, 4 warning)")
    assert len(plain) == 8 and all(line.startswith("api/openapi.yaml:") for line in plain)
    assert commands[0].properties["file"] == "api/openapi.yaml"

    summary = job.summary.read_text(encoding="utf-8")
    assert summary.startswith("earlier step's summary\n## oas-create-check\n")  # appended
    assert "**Failed: 28 finding(s) at or above `warning`.**" in summary
    assert "| [`create-status-201`](https://github.com/oas-create-check/" in summary
    assert f"](https://github.com/octo/api/blob/{SHA}/api/openapi.yaml#L" in summary
    assert "### Findings per file" in summary and "### Top 20 finding(s)" in summary

    sarif_path = job.workspace / "reports" / "oas.sarif"
    log = json.loads(sarif_path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert len(log["runs"][0]["results"]) == 28
    if multitool() is None:
        pytest.skip(INSTALL_HINT)
    assert problems(sarif_path) == []


def test_a_file_that_cannot_be_parsed_is_an_annotation_a_result_and_exit_2(job: Job) -> None:
    (job.workspace / "broken.yaml").write_text("openapi: 3.0.0\npaths: {\n", encoding="utf-8")
    (job.workspace / "ok.yaml").write_text(legacy_spec(1), encoding="utf-8")
    run = job.run(paths="broken.yaml ok.yaml", sarif="oas.sarif", **{"fail-on": "error"})
    check = run.step("check")
    assert check.outputs["exit-code"] == "2"
    commands, _ = parse_workflow_commands(check.stdout)
    assert commands[0].name == "error"
    assert commands[0].properties["title"] == "oas-create-check(parse-error)"
    assert commands[0].properties["file"] == "broken.yaml"
    results = json.loads((job.workspace / "oas.sarif").read_text())["runs"][0]["results"]
    assert "parse-error" in {result["ruleId"] for result in results}
    assert "could not be read or parsed" in job.summary.read_text(encoding="utf-8")


def test_inputs_are_data_not_shell(job: Job) -> None:
    (job.workspace / "api.yaml").write_text(legacy_spec(1), encoding="utf-8")
    run = job.run(
        paths="api.yaml $(touch pwned1) `touch pwned2`",
        args="--select create-status-201;touch pwned3",
    )
    assert not list(job.workspace.glob("pwned*"))
    assert run.step("check").outputs["exit-code"] == "2"  # the odd "paths" do not exist


def test_no_summary_and_no_sarif_when_not_asked(job: Job) -> None:
    (job.workspace / "api.yaml").write_text(legacy_spec(1), encoding="utf-8")
    run = job.run(paths="api.yaml", summary="false", **{"fail-on": "error"})
    assert run.step("check").outputs == {"exit-code": "1"}
    assert job.summary.read_text(encoding="utf-8") == "earlier step's summary\n"
    assert not list(job.workspace.glob("*.sarif"))


@pytest.mark.slow
def test_the_action_installs_the_tool_from_its_own_checkout(tmp_path: Path) -> None:
    """No cache: the install step makes a venv and pip-installs the action's checkout (its
    dependencies come from the package index)."""
    job = Job(tmp_path)
    (job.workspace / "api.yaml").write_text(legacy_spec(1), encoding="utf-8")
    run = job.run(paths="api.yaml", python=sys.executable)
    install = run.step("install")
    assert install.code == 0, install.stderr[-3000:]
    assert install.stdout.strip().endswith(f"oas-create-check {__version__}")
    assert run.step("check").outputs["exit-code"] == "1"
    venv_bin = Path(install.outputs["bin"])
    assert venv_bin.is_file() and os.access(venv_bin, os.X_OK)


def test_the_readme_pins_the_action_and_the_hooks_to_a_commit() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documents = [
        yaml.safe_load(block)
        for block in re.findall(r"^```yaml\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    ]
    steps = [
        step
        for doc in documents
        if isinstance(doc, dict) and "jobs" in doc
        for job in doc["jobs"].values()
        for step in job["steps"]
    ]
    ours = [
        s for s in steps if str(s.get("uses", "")).startswith("oas-create-check/oas-create-check@")
    ]
    assert ours and all(re.fullmatch(COMMIT, s["uses"].split("@")[1]) for s in ours)
    hooks = [d for d in documents if isinstance(d, dict) and "repos" in d]
    assert hooks and all(
        re.fullmatch(COMMIT, repo["rev"]) for doc in hooks for repo in doc["repos"]
    )
    assert "pre-commit autoupdate --freeze" in readme


#: A commit, or the README's placeholder for one (there is no tag to name yet).
COMMIT = r"[0-9a-f]{40}|<commit-sha>"
