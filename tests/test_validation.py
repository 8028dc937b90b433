"""validation.py and the valid-spec rule: openapi-spec-validator sandboxed (no network, nothing
outside the spec's root), its crashes turned into verdicts, its errors pointed at the node and
file that define them."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, RunCli, needs_corpus

from oas_create_check.load.source import read_file
from oas_create_check.spec import validation
from oas_create_check.spec.validation import CRASHED, INVALID, UNSUPPORTED, VALID, validate

VALID_SPEC = """\
openapi: 3.0.3
info:
  title: Pets
  version: '1'
paths:
  /pets:
    post:
      responses:
        '201':
          $ref: 'responses.yaml#/Created'
"""

BROKEN_ITEM = """\
post:
  parameters:
    - {name: a, in: query, schema: {type: string}}
    - {name: a, in: query, schema: {type: string}}
  responses:
    '201':
      description: Created
"""


def _spec(folder: Path, root: str = VALID_SPEC, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "api.yaml").write_text(root)
    (folder / "responses.yaml").write_text("Created:\n  description: Created\n")
    for name, text in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder / "api.yaml"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the validator tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_valid_multi_file_spec(tmp_path: Path, no_network: None) -> None:
    verdict = validate(read_file(_spec(tmp_path)))
    assert verdict.status == VALID and verdict.passed and not verdict.issues


def test_errors_carry_the_path_the_validator_walked(tmp_path: Path) -> None:
    root = (
        VALID_SPEC
        + "  /things/{id}:\n    get:\n      responses:\n        '200': {description: ok}\n"
    )
    verdict = validate(read_file(_spec(tmp_path, root)))
    assert verdict.status == INVALID
    pointers = {issue.pointer: issue.message for issue in verdict.issues}
    assert "was not resolved" in pointers[("paths", "/things/{id}", "get")]


def test_first_only_stops_at_one_error(tmp_path: Path) -> None:
    root = VALID_SPEC.replace(
        "    post:\n",
        "    post:\n      parameters: [{name: a, in: query, schema: {type: string}}, {name: a, in: query, schema: {type: string}}]\n",
    )
    root += "  /things/{id}:\n    get:\n      responses:\n        '200': {description: ok}\n"
    spec = read_file(_spec(tmp_path, root))
    assert len(validate(spec).issues) >= 2
    first = validate(spec, first_only=True)
    assert first.status == INVALID and len(first.issues) == 1


def test_remote_and_escaping_refs_are_refused_not_fetched(tmp_path: Path, no_network: None) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("description: TOP-SECRET\n")
    root = VALID_SPEC + (
        "        '400':\n          $ref: 'https://example.com/errors.yaml#/Bad'\n"
        "        '401':\n          $ref: '../secret.yaml'\n"
    )
    read: list[Path] = []
    real = validation.read_file

    def spy(path: Path, *args: Any) -> Any:
        read.append(path)
        return real(path, *args)

    verdict_holder: list[Any] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validation, "read_file", spy)
        verdict_holder.append(validate(read_file(_spec(tmp_path / "spec", root))))
    verdict = verdict_holder[0]
    assert verdict.status == INVALID
    messages = " ".join(issue.message for issue in verdict.issues)
    assert "makes no network requests" in messages
    assert "leaves the spec's root directory" in messages
    assert "TOP-SECRET" not in messages
    assert secret.resolve() not in read


def test_in_memory_files_replace_the_disk(tmp_path: Path) -> None:
    """The fixer validates texts it has not written: they must be what the validator sees."""
    root = _spec(
        tmp_path,
        VALID_SPEC.replace("'responses.yaml#/Created'", "'paths/item.yaml#/Created'"),
        {"paths/item.yaml": "Created:\n  description: ok\n"},
    )
    item = (tmp_path / "paths" / "item.yaml").resolve()
    assert validate(read_file(root)).passed
    broken = {
        "Created": {"description": "ok", "content": {"application/json": {"schema": {"type": 5}}}}
    }
    assert not validate(read_file(root), files={item: broken}).passed


def test_validator_crash_is_a_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openapi_spec_validator.validation import keywords

    def boom(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise AttributeError("'str' object has no attribute 'get'")

    monkeypatch.setattr(keywords.PathsValidator, "__call__", boom)
    verdict = validate(read_file(_spec(tmp_path)))
    assert verdict.status == CRASHED and not verdict.passed
    assert "validator crashed: AttributeError" in verdict.detail


def test_unknown_version_is_unsupported(tmp_path: Path) -> None:
    verdict = validate(read_file(_spec(tmp_path, VALID_SPEC.replace("3.0.3", "9.9.9"))))
    assert verdict.status == UNSUPPORTED and not verdict.passed


def test_non_mapping_subresources_do_not_crash_the_lookup() -> None:
    """DigitalOcean writes ``properties: {$ref: 'x.yml#/y'}``: a subresource that is a string.
    The stock JSON Schema specification calls ``.get`` on it; ours looks past it."""
    specification = validation._tolerant_specification()
    assert specification.id_of("attributes.yml#/tag") is None
    assert list(specification.subresources_of("text")) == []
    assert list(specification.anchors_in("text")) == []
    assert specification.id_of({"$id": "urn:x"}) == "urn:x"


@pytest.mark.slow
@needs_corpus
def test_digitalocean_is_validated_to_the_end() -> None:
    spec = read_file(CORPUS / "digitalocean" / "DigitalOcean-public.v2.yaml")
    verdict = validate(spec)
    assert verdict.status == INVALID  # it $refs whole operations, which OpenAPI 3.0 forbids
    assert len(verdict.issues) > 100


def test_valid_spec_rule_points_into_the_defining_file(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = VALID_SPEC + "  /items:\n    $ref: 'paths/items.yaml'\n"
    _spec(tmp_path, root, {"paths/items.yaml": BROKEN_ITEM})
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("api.yaml")
    assert "valid-spec" not in out  # opt-in
    code, out, _ = run_cli("--validate", "api.yaml")
    assert code == 1
    lines = [line for line in out.splitlines() if "[valid-spec]" in line]
    assert lines, out
    assert any(
        line.startswith("paths/items.yaml:2:") and "Duplicate parameter 'a'" in line
        for line in lines
    ), lines


def test_valid_spec_rule_reports_a_crash_once(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openapi_spec_validator.validation import keywords

    def boom(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise AttributeError("broken")

    monkeypatch.setattr(keywords.PathsValidator, "__call__", boom)
    monkeypatch.chdir(_spec(tmp_path).parent)
    _, out, err = run_cli("--validate", "api.yaml")
    assert "Traceback" not in out + err
    assert out.count("could not finish (validator crashed: AttributeError: broken)") == 1


def test_broken_ref_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    root = VALID_SPEC.replace("responses.yaml#/Created", "responses.yaml#/Nowhere")
    verdict = validate(read_file(_spec(tmp_path, root)))
    assert verdict.status == INVALID
    assert "cannot be resolved" in verdict.issues[-1].message


def test_meta_schema_stage_compiled_with_a_retriever_that_refuses_everything() -> None:
    """jsonschema-rs fetches a schema's remote $refs itself, in Rust, out of the sandbox's
    sight: the meta-schema validator we use is compiled with ``offline.refuse_retrieval``."""
    import jsonschema_rs
    import pytest as _pytest
    from openapi_spec_validator.schemas import get_validator_backend
    from openapi_spec_validator.shortcuts import get_validator_cls

    from oas_create_check import offline
    from oas_create_check.spec import validation

    with _pytest.raises(ValueError, match="no network"):
        offline.refuse_retrieval("https://example.invalid/schema.json")
    remote = {"$ref": "https://example.invalid/schema.json"}
    with _pytest.raises(ValueError):  # refused at compile time, nothing opened
        jsonschema_rs.validator_for(remote, retriever=offline.refuse_retrieval)
    if get_validator_backend() == "jsonschema-rs":
        cls = get_validator_cls({"openapi": "3.1.0", "info": {}, "paths": {}})
        ours = validation._offline_schema_validator(cls)
        assert ours is not cls.schema_validator
        assert ours is validation._offline_schema_validator(cls)  # compiled once
