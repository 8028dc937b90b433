"""Running a composite action's steps the way the GitHub Actions runner does, without a runner.

``act`` cannot be installed here (it pulls container images), so this plays the runner's part for
``action.yml``: each ``run`` step goes to ``bash --noprofile --norc -e -o pipefail`` with the
environment the runner sets (``GITHUB_ACTIONS``, ``GITHUB_ACTION_PATH``, ``GITHUB_OUTPUT``,
``GITHUB_STEP_SUMMARY``, ``RUNNER_TEMP``...), the ``${{ }}`` expressions of its ``env`` evaluated
(``inputs.*`` with their defaults, ``steps.ID.outputs.*`` read back from the output files),
``uses`` steps recorded but not run. What a step prints is kept, so a test reads the annotations
as the runner would.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class StepRun:
    id: str
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]


@dataclass
class ActionRun:
    steps: list[StepRun] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    @property
    def code(self) -> int:
        return next((step.code for step in self.steps if step.code), 0)

    def step(self, step_id: str) -> StepRun:
        return next(step for step in self.steps if step.id == step_id)


def load_action(path: Path) -> dict[str, Any]:
    action: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return action


def _read_outputs(path: Path) -> dict[str, str]:
    outputs: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition("=")
            outputs[name] = value
    return outputs


def run_action(
    action_dir: Path,
    inputs: Mapping[str, str],
    workspace: Path,
    runner_temp: Path,
    env: Mapping[str, str],
) -> ActionRun:
    """Run every ``run`` step of ``action_dir/action.yml`` in ``workspace``, as the runner would
    after the previous steps succeeded; stops at the first failing step."""
    action = load_action(action_dir / "action.yml")
    declared = action.get("inputs", {})
    values = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    unknown = set(inputs) - set(values)
    assert not unknown, f"action.yml declares no input {sorted(unknown)}"
    values.update(inputs)
    outputs: dict[str, dict[str, str]] = {}

    def evaluate(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            expression = match.group(1)
            if expression.startswith("inputs."):
                return values[expression.removeprefix("inputs.")]
            step = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
            if step:
                return outputs.get(step.group(1), {}).get(step.group(2), "")
            if expression == "github.action_path":
                return str(action_dir)
            raise AssertionError(f"expression not supported in this test runner: {expression}")

        return _EXPRESSION.sub(one, text)

    result = ActionRun()
    for index, step in enumerate(action["runs"]["steps"]):
        if "uses" in step:
            result.skipped.append(step)
            continue
        step_id = step.get("id", f"step{index}")
        output_file = runner_temp / f"output_{step_id}"
        output_file.write_text("", encoding="utf-8")
        step_env = {
            **env,
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTION_PATH": str(action_dir),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output_file),
            "RUNNER_TEMP": str(runner_temp),
            **{name: evaluate(str(value)) for name, value in step.get("env", {}).items()},
        }
        assert step.get("shell") == "bash", f"step {step_id}: a composite step names its shell"
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        outputs[step_id] = _read_outputs(output_file)
        result.steps.append(
            StepRun(step_id, done.returncode, done.stdout, done.stderr, outputs[step_id])
        )
        if done.returncode:
            break
    return result


def base_env() -> dict[str, str]:
    """The environment a step inherits: none of GitHub's, no colour, and nothing pointing into this
    checkout or its venv (the action installs the tool itself)."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    return {name: os.environ[name] for name in keep if name in os.environ}
