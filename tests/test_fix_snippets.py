"""``fix/snippets.py``: what a fix adds is checked against the OpenAPI meta-schema where it
lands, so that the whole validator need not run again; what it cannot vouch for is named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oas_create_check.fix.snippets import unchecked, version_of
from oas_create_check.model import AddEntry, RenameKey

FILE = Path("api.yaml")
TARGETS: dict[str, Any] = {
    "#/components/responses/Conflict": {"description": "Conflict"},
    "#/components/schemas/Pet": {"type": "object"},
}


def _resolve(file: Path, ref: str) -> Any:
    return TARGETS.get(ref)


def _add(key: str, value: Any, what: str, pointer: tuple[str, ...] = ("responses",)) -> AddEntry:
    return AddEntry(FILE, ("paths", "/pets", "post", *pointer), key, value, what)


@pytest.mark.parametrize("version", ["v2.0", "v3.0", "v3.1"])
def test_valid_objects_where_they_belong_are_vouched_for(version: str) -> None:
    swagger = version == "v2.0"
    header = {"type": "string"} if swagger else {"schema": {"type": "string"}}
    parameter: dict[str, Any] = {"name": "Idempotency-Key", "in": "header", "required": False}
    parameter.update({"type": "string"} if swagger else {"schema": {"type": "string"}})
    changes = [
        _add("409", {"$ref": "#/components/responses/Conflict"}, "response"),
        _add("400", {"description": "Bad Request"}, "response"),
        _add("Location", header, "header", ("responses", "201", "headers")),
        _add("parameters", [parameter], "parameter", ()),
        AddEntry(FILE, ("components", "responses"), "BadRequest", {"description": "x"}, "response"),
        RenameKey(FILE, ("paths", "/pets", "post", "responses"), "200", "201"),
    ]
    assert unchecked(version, changes, _resolve) is None


def test_what_it_cannot_vouch_for_is_named() -> None:
    assert unchecked("v3.0", [_add("409", {"description": 5}, "response")], _resolve)
    assert "unknown kind" in str(unchecked("v3.0", [_add("x", {}, "")], _resolve))
    assert "does not resolve" in str(
        unchecked("v3.0", [_add("409", {"$ref": "#/nowhere"}, "response")], _resolve)
    )
    # a response-shaped $ref that names a schema is not a response
    assert unchecked(
        "v3.0", [_add("409", {"$ref": "#/components/schemas/Pet"}, "response")], _resolve
    )
    assert "key" in str(
        unchecked("v3.0", [_add("not a code!", {"description": "d"}, "response")], _resolve)
    )
    assert unchecked(None, [], _resolve)  # no bundled meta-schema for the version


def test_versions() -> None:
    assert version_of({"swagger": "2.0"}) == "v2.0"
    assert version_of({"openapi": "3.0.3"}) == "v3.0"
    assert version_of({"openapi": "3.1.0"}) == "v3.1"
    assert version_of({"openapi": "4.0"}) is None


@pytest.mark.parametrize("backend", ["", "jsonschema"])
def test_the_engine_is_the_one_the_validator_would_use(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """jsonschema-rs where openapi-spec-validator's meta-schema stage runs on it (installed, and
    its backend setting not saying otherwise), else jsonschema; both judge alike."""
    from oas_create_check.fix import snippets

    snippets._validator.cache_clear()
    monkeypatch.delenv("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", raising=False)
    if backend:
        monkeypatch.setenv("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", backend)
    try:
        rust = pytest.importorskip("jsonschema_rs") if not backend else None
        engine = type(snippets._validator("v3.0")).__module__
        assert engine.startswith("jsonschema_rs" if rust else "jsonschema.")
        assert unchecked("v3.0", [_add("409", {"description": "C"}, "response")], _resolve) is None
        assert unchecked("v3.0", [_add("409", {"description": 5}, "response")], _resolve)
    finally:
        snippets._validator.cache_clear()
