"""``fix/verify.py``'s model of what the changes inserted, and the fixer's check that every added
``$ref`` resolves, on both of its paths (the inserted values only, and the whole-file walk it
falls back to when the model cannot vouch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oas_create_check.fix import fixer as fix_module
from oas_create_check.fix.fixer import FixOptions, fix_paths
from oas_create_check.fix.verify import inserted
from oas_create_check.load.refs import Workspace
from oas_create_check.model import AddEntry, RenameKey
from oas_create_check.settings import Settings

FILE = Path("/spec.yaml")
CONFLICT = {"$ref": "#/components/responses/Conflict"}


def _before() -> dict[str, Any]:
    return {
        "paths": {"/a": {"post": {"responses": {201: {"description": "Created"}}}}},
        "components": {"parameters": {"list": [{"name": "x"}]}},
    }


def test_inserted_lists_what_the_changes_added() -> None:
    before = _before()
    after = _before()
    after["paths"]["/a"]["post"]["responses"][409] = CONFLICT  # YAML read `409:` as an int
    after["components"]["responses"] = {"Conflict": {"description": "Conflict"}}
    after["components"]["parameters"]["list"].append({"name": "y"})
    changes = [
        AddEntry(FILE, ("components",), "responses", {"Conflict": {"description": "Conflict"}}),
        AddEntry(FILE, ("paths", "/a", "post", "responses"), "409", CONFLICT),
        # made once, proposed twice: the second finds it there
        AddEntry(FILE, ("paths", "/a", "post", "responses"), "409", CONFLICT),
        AddEntry(FILE, ("components", "parameters", "list"), "", {"name": "y"}),
        AddEntry(Path("/other.yaml"), ("elsewhere",), "k", "v"),  # another file's change
    ]
    assert inserted(before, after, FILE, changes) == [
        (("components", "responses"), {"Conflict": {"description": "Conflict"}}),
        (("paths", "/a", "post", "responses", "409"), CONFLICT),
        (("components", "parameters", "list", 1), {"name": "y"}),
    ]
    assert before == _before()  # copied along the paths, never changed


def test_inserted_creates_missing_parents() -> None:
    before = {"paths": {}}
    after = {"paths": {}, "components": {"responses": {"Conflict": {"description": "C"}}}}
    change = AddEntry(FILE, ("components", "responses"), "Conflict", {"description": "C"})
    assert inserted(before, after, FILE, [change]) == [
        (("components",), {"responses": {"Conflict": {"description": "C"}}})
    ]


@pytest.mark.parametrize(
    "extra",
    [
        # gained something no change accounts for: only the whole-file walk can vouch
        lambda data: data["paths"]["/a"]["post"].setdefault("x-extra", {"$ref": "#/nowhere"}),
        # a change that did not land
        lambda data: data["paths"]["/a"]["post"]["responses"].pop(409),
    ],
)
def test_inserted_refuses_what_it_cannot_account_for(extra: Any) -> None:
    after = _before()
    after["paths"]["/a"]["post"]["responses"][409] = CONFLICT
    extra(after)
    change = AddEntry(FILE, ("paths", "/a", "post", "responses"), "409", CONFLICT)
    assert inserted(_before(), after, FILE, [change]) is None


def test_inserted_leaves_renames_to_the_walk() -> None:
    rename = RenameKey(FILE, ("paths", "/a", "post", "responses"), "201", "200")
    assert inserted(_before(), _before(), FILE, [rename]) is None


def _spec(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    root = tmp_path / "api.yaml"
    thing = "$ref: '#/components/schemas/Thing'"
    root.write_text(
        "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /things:\n    post:\n"
        "      operationId: createThing\n      requestBody:\n        content:\n"
        f"          application/json:\n            schema:\n              {thing}\n"
        "      responses:\n        '201':\n          description: Created\n"
        "          content:\n            application/json:\n              schema:\n"
        f"                {thing}\n"
        "components:\n  schemas:\n    Thing:\n      type: object\n"
    )
    return root


@pytest.mark.parametrize("walk_whole_file", [False, True])
def test_an_added_ref_that_does_not_resolve_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, walk_whole_file: bool
) -> None:
    root = _spec(tmp_path)
    before = root.read_bytes()
    models: list[Any] = []

    def model(*args: Any) -> Any:
        models.append(None if walk_whole_file else inserted(*args))
        return models[-1]

    monkeypatch.setattr(fix_module, "inserted", model)
    real = Workspace.deref

    def deref(self: Workspace, node: Any) -> Any:
        if isinstance(node.value, dict) and node.value.get("$ref") == CONFLICT["$ref"]:
            return None
        return real(self, node)

    monkeypatch.setattr(Workspace, "deref", deref)
    report = fix_paths([root], Settings(), FixOptions())
    assert any("add a $ref that does not resolve" in str(e) for e in report.run.errors)
    assert root.read_bytes() == before
    assert models and all((m is None) == walk_whole_file for m in models)


def test_both_paths_fix_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    targeted = fix_paths([_spec(tmp_path / "a")], Settings(), FixOptions(write=False))
    monkeypatch.setattr(fix_module, "inserted", lambda *args: None)
    walked = fix_paths([_spec(tmp_path / "b")], Settings(), FixOptions(write=False))
    assert [c.after for c in targeted.changes] == [c.after for c in walked.changes]
    assert targeted.changes and not targeted.run.errors and not walked.run.errors


def test_bytes_that_read_back_as_the_edited_text_are_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[Path] = []
    real = fix_module.parse_text

    def parse_text(path: Path, display: str, text: str) -> Any:
        parsed.append(path)
        return real(path, display, text)

    monkeypatch.setattr(fix_module, "parse_text", parse_text)
    report = fix_paths([_spec(tmp_path)], Settings(), FixOptions())
    assert report.changes and not report.run.errors and not parsed


def test_bytes_that_read_back_otherwise_are_parsed_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the written bytes decode to another text, it is that text that is checked."""
    root = _spec(tmp_path)
    before = root.read_bytes()
    real = fix_module.decode

    def decode(raw: bytes, display: str) -> str:
        text = real(raw, display)
        return text.replace("title: T", "title: U") if "409" in text else text

    monkeypatch.setattr(fix_module, "decode", decode)
    report = fix_paths([root], Settings(), FixOptions())
    assert any("would change existing content" in str(e) for e in report.run.errors)
    assert root.read_bytes() == before
