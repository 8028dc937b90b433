"""The rest of the creation contract (issue 14): what the rule cases in fixtures/rules do not show
on their own — the opt-in rule and its switch, the new settings' validation, and the facts about
the created resource that the rules read from ``spec/resource.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from oas_create_check.config import ConfigError, from_table
from oas_create_check.engine import active_rules, load_spec
from oas_create_check.load.source import read_file
from oas_create_check.rules import all_rules
from oas_create_check.settings import VALIDATE_RULE, Settings
from oas_create_check.spec.operations import Operation, Spec
from oas_create_check.spec.resource import Resource, rpc_style

RULES = FIXTURES / "rules"


def _spec(path: Path) -> Spec:
    return load_spec(read_file(path), Settings())


def _op(spec: Spec, path: str, method: str = "post") -> Operation:
    return next(op for op in spec.operations if (op.path, op.method) == (path, method))


def test_created_not_pending_is_off_until_enabled(tmp_path: Path) -> None:
    assert not all_rules()["created-not-pending"].enabled_by_default
    assert "created-not-pending" not in {r.id for r in active_rules(Settings())}
    settings = from_table({"enable": ["created-not-pending"]}, tmp_path / "pyproject.toml")
    assert "created-not-pending" in {r.id for r in active_rules(settings)}
    both = from_table(
        {"enable": ["created-not-pending"], "validate": True}, tmp_path / "pyproject.toml"
    )
    assert both.enable == {"created-not-pending", VALIDATE_RULE}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"enable": ["no-such-rule"]}, "'enable' names unknown rules: no-such-rule"),
        ({"invalid-input-statuses": []}, "'invalid-input-statuses' must name at least one"),
        ({"pending-states": "queued"}, None),
        ({"pending-states": [1.5]}, "'pending-states' must be a list of strings"),
    ],
)
def test_new_settings_are_validated(
    tmp_path: Path, table: dict[str, object], message: str | None
) -> None:
    if message is None:
        assert from_table(table, tmp_path / "x.toml").pending_states == ("queued",)
        return
    with pytest.raises(ConfigError, match=message):
        from_table(table, tmp_path / "x.toml")


def test_read_by_names_the_evidence() -> None:
    spec = _spec(RULES / "readable-result-oas30" / "openapi.yaml")
    read_by = {op.path: Resource.of(op).read_by for op in spec.operations}
    assert read_by == {
        "/pets": "GET /pets/{petId}",
        "/orders": None,
        "/things/create": "GET /things/{thingId}",
        "/reports": "GET /report-results/{id} (linked)",
        "/jobs": "GET /v1/job-status/{jobId} (where Location points)",
        "/notes": None,
        "/users/{userId}/avatar": "GET /users/{userId}/avatar",
    }


def test_one_resource_per_operation() -> None:
    spec = _spec(RULES / "readable-result-oas30" / "openapi.yaml")
    op = _op(spec, "/pets")
    assert Resource.of(op) is Resource.of(op)


def test_bodies_read_through_files_allof_and_envelopes() -> None:
    spec = _spec(RULES / "created-body-oas31-cross-file" / "openapi.yaml")
    messages = Resource.of(_op(spec, "/messages"))
    assert messages.names_nothing(messages.op.responses["201"]) == ["message", "ok"]
    imports = Resource.of(_op(spec, "/imports"))
    job = imports.body_properties(imports.op.responses["202"])
    assert job.complete and set(job.names) == {"message", "ok", "job_id"}
    assert imports.names_nothing(imports.op.responses["202"]) is None
    letters = Resource.of(_op(spec, "/letters"))
    assert letters.same_type_as_item(letters.op.responses["201"])


def test_an_rpc_style_api_has_nothing_to_read_by_path(tmp_path: Path) -> None:
    spec_file = tmp_path / "api.yaml"
    spec_file.write_text(
        "openapi: 3.0.0\ninfo: {title: rpc, version: '1'}\npaths:\n"
        "  /#X-Amz-Target=Svc.CreateThing:\n    post:\n      operationId: CreateThing\n"
        "      responses: {'200': {description: ok}}\n"
        "  /#X-Amz-Target=Svc.DescribeThing:\n    post:\n      operationId: DescribeThing\n"
        "      responses: {'200': {description: ok}}\n",
        encoding="utf-8",
    )
    assert rpc_style(_spec(spec_file))
