"""The probe's parts on their own: the guarded session (origin, methods, redirects, budget,
redaction), the examples-first generator and its invalid variants, and the bond between the
checks and the documented ``probe-*`` rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

httpx = pytest.importorskip("httpx", reason="the probe extra is not installed")

from oas_create_check.model import ToolError  # noqa: E402
from oas_create_check.probe.client import (  # noqa: E402
    BudgetExhausted,
    Limits,
    Redactor,
    Session,
    parse_header,
)
from oas_create_check.probe.generate import (  # noqa: E402
    CannotGenerate,
    Generator,
    build_body,
    invalid_bodies,
    other_body,
)
from oas_create_check.probe.schema import validator  # noqa: E402
from oas_create_check.rules import all_rules  # noqa: E402

BASE = "http://127.0.0.1:8000/api"


def session(
    handler: Any, limits: Limits | None = None, secrets: list[str] | None = None
) -> Session:
    return Session(
        BASE,
        {"Authorization": "Bearer tok-123456"},
        limits or Limits(),
        Redactor(secrets or ["Bearer tok-123456"]),
        httpx.MockTransport(handler),
    )


def test_requests_never_leave_the_origin() -> None:
    seen: list[str] = []
    s = session(lambda r: seen.append(str(r.url)) or httpx.Response(200))
    with pytest.raises(ToolError, match="outside"):
        s.send("GET", "http://127.0.0.2:8000/api/pets")
    with pytest.raises(ToolError, match="outside"):
        s.send("GET", "https://127.0.0.1:8000/api/pets")
    assert s.resolve("http://evil.example/x", f"{BASE}/pets") is None
    assert s.resolve("//evil.example/x", f"{BASE}/pets") is None
    assert s.resolve("/api/pets/1", f"{BASE}/pets") == f"{BASE}/pets/1"
    assert s.resolve("1", f"{BASE}/pets/") == f"{BASE}/pets/1"
    assert seen == []


def test_only_post_put_get_and_delete_of_what_it_created() -> None:
    s = session(lambda r: httpx.Response(204))
    for method in ("PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT"):
        with pytest.raises(ToolError, match="never sends"):
            s.send(method, f"{BASE}/pets")
    with pytest.raises(ToolError, match="did not create"):
        s.send("DELETE", f"{BASE}/pets/1")
    s.created.append(f"{BASE}/pets/1")
    assert s.send("DELETE", f"{BASE}/pets/1").status == 204


def test_redirects_are_observed_not_followed() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(303, headers={"Location": "http://elsewhere.example/x"})

    answer = session(handler).send("POST", f"{BASE}/pets", {"a": 1}, has_body=True)
    assert answer.status == 303 and calls == [f"{BASE}/pets"]


def test_the_environment_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.invalid:3128")
    s = session(lambda r: httpx.Response(200))
    assert s.client.trust_env is False and s.client.follow_redirects is False


def test_the_request_budget_is_enforced() -> None:
    s = session(lambda r: httpx.Response(200), Limits(max_requests=3))
    for _ in range(3):
        s.send("GET", f"{BASE}/pets")
    with pytest.raises(BudgetExhausted, match="3 requests"):
        s.send("GET", f"{BASE}/pets")


def test_secrets_are_redacted_in_transcripts() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            201,
            headers={"Set-Cookie": "session=abc", "X-Echo": request.headers["authorization"]},
            json={"token_seen": "Bearer tok-123456"},
        )

    answer = session(handler).send("POST", f"{BASE}/pets?key=tok-123456", {}, has_body=True)
    text = json.dumps(answer.exchange.as_dict())
    assert "tok-123456" not in text
    assert {k.lower(): v for k, v in answer.exchange.request_headers.items()}[
        "authorization"
    ] == "***"
    assert answer.exchange.response_headers["set-cookie"] == "***"


def test_header_values_read_the_environment() -> None:
    name, value, secrets = parse_header("X-Api-Key: k-${KEY}", {"KEY": "hunter22"})
    assert (name, value, secrets) == ("X-Api-Key", "k-hunter22", ["hunter22"])
    with pytest.raises(ToolError, match="Name: value"):
        parse_header("no colon here", {})
    with pytest.raises(ToolError, match="MISSING"):
        parse_header("A: ${MISSING}", {})


SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "kind", "born", "size", "tags"],
    "properties": {
        "name": {"type": "string", "minLength": 3, "maxLength": 10},
        "kind": {"type": "string", "enum": ["cat", "dog"]},
        "born": {"type": "string", "format": "date-time"},
        "size": {"type": "integer", "minimum": 5, "multipleOf": 5},
        "tags": {"type": "array", "minItems": 2, "uniqueItems": True, "items": {"type": "string"}},
        "nick": {"type": "string"},
        "code": {"type": "string", "pattern": "^[A-Z]{3}-\\d{2}$"},
    },
}


def test_the_generator_makes_a_minimal_valid_instance_and_repeats() -> None:
    valid = validator(SCHEMA, openapi31=False)
    body, source = build_body([], SCHEMA, valid, seed=7)
    assert source == "generated" and valid(body) is None
    assert set(body) == {"name", "kind", "born", "size", "tags"}
    assert body["kind"] == "cat" and body["size"] == 5
    assert build_body([], SCHEMA, valid, seed=7)[0] == body  # seeded
    code = Generator(1).instance(SCHEMA["properties"]["code"])
    assert re.fullmatch(r"[A-Z]{3}-\d{2}", code)


def test_examples_come_first_and_an_invalid_example_is_skipped() -> None:
    valid = validator(SCHEMA, openapi31=False)
    example = {
        "name": "Rex",
        "kind": "dog",
        "born": "2020-01-01T00:00:00Z",
        "size": 10,
        "tags": ["a", "b"],
    }
    assert build_body([example], SCHEMA, valid, 0) == (example, "example")
    body, source = build_body([{"name": 1}], SCHEMA, valid, 0)
    assert source == "generated" and valid(body) is None
    nested = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string", "example": "hello"}},
    }
    assert build_body([], nested, validator(nested, False), 0) == ({"a": "hello"}, "generated")


def test_an_impossible_schema_cannot_be_generated() -> None:
    schema = {
        "type": "object",
        "required": ["n"],
        "properties": {"n": {"type": "integer", "minimum": 10, "maximum": 5}},
    }
    with pytest.raises(CannotGenerate, match="invalid"):
        build_body([], schema, validator(schema, False), 0)


def test_invalid_variants_are_really_invalid_and_other_bodies_valid() -> None:
    valid = validator(SCHEMA, openapi31=False)
    body, _ = build_body([], SCHEMA, valid, 0)
    variants = invalid_bodies(body, SCHEMA, valid)
    assert [d for d, _ in variants] == [
        "required property 'name' dropped",
        "property 'name' of the wrong type",
    ]
    assert all(valid(v) is not None for _, v in variants)
    changed = other_body(body, valid)
    assert changed is not None and changed != body and valid(changed) is None


def test_openapi_dialect_is_translated(tmp_path: Path) -> None:
    from oas_create_check.load.refs import Workspace
    from oas_create_check.load.source import read_file
    from oas_create_check.probe.schema import json_schema

    spec = tmp_path / "s.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Node:\n      type: object\n      required: [id, next, secret]\n      properties:\n"
        "        id: {type: string, readOnly: true}\n        secret: {type: string, writeOnly: true}\n"
        "        next: {$ref: '#/components/schemas/Node'}\n        note: {type: string, nullable: true}\n",
        encoding="utf-8",
    )
    workspace = Workspace(read_file(spec))
    node = workspace.root_node().child("components").child("schemas").child("Node")  # type: ignore[union-attr]
    request = json_schema(node, workspace, "request")  # type: ignore[arg-type]
    response = json_schema(node, workspace, "response")  # type: ignore[arg-type]
    assert request["required"] == ["next", "secret"]
    assert response["required"] == ["id", "next"]
    assert request["properties"]["note"]["type"] == ["string", "null"]
    assert request["properties"]["next"]["properties"]["next"] == {}  # the cycle is cut


def test_every_check_names_a_documented_probe_rule_and_every_rule_is_checked() -> None:
    source = (
        Path(__file__).resolve().parent.parent / "oas_create_check" / "probe" / "checks.py"
    ).read_text()
    used = set(re.findall(r'"(probe-[a-z-]+)"', source))
    documented = {r for r in all_rules() if r.startswith("probe-")}
    assert used == documented
    for rule_id in documented:
        rule = all_rules()[rule_id]
        assert rule.check is None and rule.check_spec is None  # the lint never runs them
