"""The judgement explains itself: ``explain``, the JSON ``confidence``/``signals`` fields, and the
severity of findings about a creation the evidence barely carries."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES, RunCli

from oas_create_check.spec.classify import WEIGHTS

PETSTORE = FIXTURES / "specs" / "petstore.yaml"

#: A POST whose only evidence is a noun path with an item path and a "send" verb: a creation by a
#: hair (score +1.0), so its findings are capped at info unless configured otherwise.
WEAK = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /messages:
    post:
      operationId: sendMessage
      responses: {"200": {description: ok}}
  /messages/{id}:
    get: {responses: {"200": {description: ok}}}
"""


def test_explain_lists_every_signal_with_its_weight(run_cli: RunCli) -> None:
    code, out, err = run_cli("explain", PETSTORE)
    assert code == 0, err
    assert "POST /pets" in out and "PUT /pets/{petId}" in out
    assert "create (high confidence, score +5.0)" in out
    assert "+2.5  word-create-explicit" in out and "+1.5  item-path" in out
    assert out.rstrip().endswith("2 POST/PUT operation(s)")


def test_explain_narrows_to_one_operation_and_speaks_json(run_cli: RunCli) -> None:
    code, out, _ = run_cli("explain", PETSTORE, "--path", "/pets", "--method", "POST", "-f", "json")
    assert code == 0
    operations = json.loads(out)["operations"]
    assert [(o["method"], o["path"]) for o in operations] == [("post", "/pets")]
    signals = operations[0]["signals"]
    assert {s["name"] for s in signals} == {"word-create-explicit", "path-collection", "item-path"}
    assert all(s["weight"] == WEIGHTS[s["name"]] for s in signals)


def test_explain_of_a_missing_file_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, err = run_cli("explain", tmp_path / "missing.yaml")
    assert code == 2 and out == ""
    assert "missing.yaml: no such file" in err


def test_the_lint_json_carries_confidence_and_signals(run_cli: RunCli) -> None:
    code, out, _ = run_cli(PETSTORE, "--format", "json")
    assert code == 1
    for operation in json.loads(out)["operations"]:
        assert operation["confidence"] in ("high", "medium", "low")
        total = sum(s["weight"] for s in operation["signals"])
        assert (operation["kind"] in ("create", "upsert")) == (total > 0)


def test_a_weak_creation_reports_at_info_unless_configured(run_cli: RunCli, tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(WEAK, encoding="utf-8")
    code, out, _ = run_cli("explain", spec, "-f", "json")
    (operation,) = json.loads(out)["operations"]
    assert (operation["kind"], operation["confidence"]) == ("create", "low")

    code, out, _ = run_cli(spec, "--format", "json")
    findings = json.loads(out)["findings"]
    assert findings and {f["severity"] for f in findings} == {"info"}
    assert code == 0  # nothing at or above the default --fail-on warning

    config = tmp_path / "cfg.toml"
    config.write_text('weak-create-severity = "rule"\n', encoding="utf-8")
    code, out, _ = run_cli(spec, "--format", "json", "--config", config)
    severities = {f["rule"]: f["severity"] for f in json.loads(out)["findings"]}
    assert severities["create-status-201"] == "error" and code == 1
