"""The fixer never changes what the spec says about operations a finding is not about: a
response shared with them is left alone (with a note naming them); one shared only by operations
that all need the change is changed once."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, RunCli, needs_corpus

SHARED = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      responses:
        "201": {$ref: "#/components/responses/Done"}
        "409": {description: exists}
  /pets/{id}:
    get: {responses: {"200": {description: ok}}}
    delete:
      responses:
        "201": {$ref: "#/components/responses/Done"}
  /owners:
    post:
      operationId: createOwner
      responses:
        "201": {$ref: "#/components/responses/Created"}
        "409": {description: exists}
  /owners/{id}:
    get: {responses: {"200": {description: ok}}}
  /shops:
    post:
      operationId: createShop
      responses:
        "201": {$ref: "#/components/responses/Created"}
        "409": {description: exists}
  /shops/{id}:
    get: {responses: {"200": {description: ok}}}
components:
  responses:
    Done: {description: done}
    Created: {description: created}
"""


def test_a_response_shared_with_other_operations_is_not_edited(
    run_cli: RunCli, tmp_path: Path
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(SHARED, encoding="utf-8")
    code, out, err = run_cli("--diff", spec)
    assert code == 1
    added = [line for line in out.splitlines() if line.startswith("+") and "Location" in line]
    # once, in Created (both users are creates), never in Done; the header itself is defined
    # once among the reusable headers
    assert len(added) == 2, out
    assert added[0].startswith("+    Created: {description: created, headers: {Location:")
    assert added[1] == "+    Location:"
    assert "cannot fix [create-location-header]" in err
    assert "shared with 1 operation(s) the finding is not about (DELETE /pets/{id})" in err


@pytest.mark.slow
@needs_corpus
def test_digitaloceans_shared_no_content_response_is_left_alone(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """The issue's own example: ``shared/responses/no_content.yml`` is the 204 of about 85
    operations, mostly DELETEs; no create's finding may give it a Location header."""
    import shutil
    import stat

    shutil.copytree(CORPUS / "digitalocean", tmp_path / "do")
    for path in (tmp_path / "do").rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    shared = tmp_path / "do" / "shared" / "responses"
    before = {p.name: p.read_bytes() for p in shared.iterdir()}
    code, _, err = run_cli("--fix", tmp_path / "do" / "DigitalOcean-public.v2.yaml")
    assert code in (0, 1)
    assert (shared / "no_content.yml").read_bytes() == before["no_content.yml"]
    assert (shared / "accepted.yml").read_bytes() == before["accepted.yml"]
    assert "no_content.yml:1: cannot fix [create-location-header]" in err


MANY_CREATES = """openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
{paths}components:
  schemas:
    Error:
      type: object
      properties:
        message: {{type: string}}
"""
ONE_CREATE = """  /things{n}:
    post:
      operationId: createThing{n}
      requestBody:
        content:
          application/json:
            schema: {{type: object}}
      responses:
        "201":
          description: created
        "404":
          description: missing
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Error"}}
  /things{n}/{{id}}:
    get: {{responses: {{"200": {{description: ok}}}}}}
"""


def _many(tmp_path: Path, count: int) -> Path:
    spec = tmp_path / "api.yaml"
    paths = "".join(ONE_CREATE.format(n=n) for n in range(count))
    spec.write_text(MANY_CREATES.format(paths=paths), encoding="utf-8")
    return spec


def test_what_many_operations_need_is_defined_once_and_referenced(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Five creates lacking a 409, a 400 and a Location: one Conflict, one BadRequest and one
    Location header among the components, the API's own Error schema as the error body, and a
    one-line ``$ref`` per operation; a second run changes nothing."""
    import yaml

    spec = _many(tmp_path, 5)
    code, _, err = run_cli("--fix", spec)
    assert code in (0, 1), err
    text = spec.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    responses = data["components"]["responses"]
    assert set(responses) == {"Conflict", "BadRequest"}
    for name in ("Conflict", "BadRequest"):
        body = responses[name]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/Error"}
    assert data["components"]["headers"]["Location"]["schema"]["format"] == "uri-reference"
    for n in range(5):
        answers = data["paths"][f"/things{n}"]["post"]["responses"]
        assert answers["409"] == {"$ref": "#/components/responses/Conflict"}
        assert answers["400"] == {"$ref": "#/components/responses/BadRequest"}
        assert answers["201"]["headers"]["Location"] == {"$ref": "#/components/headers/Location"}
    assert text.count("description: 'Conflict") + text.count('description: "Conflict') == 1
    assert run_cli("--diff", spec)[0] == 0  # nothing left to fix: idempotent


def test_fix_templates_name_the_ref_to_write(run_cli: RunCli, tmp_path: Path) -> None:
    """``fix-templates`` wins over finding or adding a component."""
    spec = _many(tmp_path, 2)
    text = spec.read_text(encoding="utf-8").replace(
        "components:\n",
        "components:\n  responses:\n    Taken: {description: taken}\n",
    )
    spec.write_text(text, encoding="utf-8")
    config = tmp_path / ".oas-create-check.toml"
    config.write_text(
        '[fix-templates]\nconflict = "#/components/responses/Taken"\n', encoding="utf-8"
    )
    code, out, err = run_cli("--diff", "--config", config, spec)
    assert code == 1, err
    assert out.count('$ref: "#/components/responses/Taken"') == 2
    assert "Conflict:" not in out


def test_fix_templates_are_checked(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / ".oas-create-check.toml"
    config.write_text('[fix-templates]\nconflcit = "#/x"\n', encoding="utf-8")
    code, _, err = run_cli("--config", config, _many(tmp_path, 1))
    assert code == 2
    assert "fix-templates.conflcit: unknown piece" in err and "conflict" in err


def test_a_deprecated_operation_is_reported_not_fixed(run_cli: RunCli, tmp_path: Path) -> None:
    import json

    spec = _many(tmp_path, 2)
    text = spec.read_text(encoding="utf-8").replace(
        "      operationId: createThing1\n",
        "      operationId: createThing1\n      deprecated: true\n",
    )
    spec.write_text(text, encoding="utf-8")
    _code, out, _ = run_cli("--format", "json", spec)
    findings = json.loads(out)["findings"]
    retired = [f for f in findings if f["path"] == "/things1"]
    current = [f for f in findings if f["path"] == "/things0"]
    assert retired and all(f.get("fix") is None for f in retired)
    assert any(f.get("fix") is not None for f in current)
    run_cli("--fix", spec)
    after = spec.read_text(encoding="utf-8")
    part = slice(text.index("  /things1:"), text.index("  /things1/{id}:"))
    assert after[after.index("  /things1:") : after.index("  /things1/{id}:")] == text[part]
    assert "/components/responses/Conflict" in after  # the other operation was fixed


def test_a_definition_added_to_a_store_file_follows_its_layout(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A multi-file spec whose responses $ref their headers from a store file by key (as
    DigitalOcean's shared/headers.yml): the Location goes there, in the store's lower-case
    style, after a blank line as the store separates its entries (even where the previous
    entry ends in a folded scalar, whose trailing blank lines belong to it), and the file that
    only gains the shared definition is reported as such."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "headers.yml").write_text(
        "ratelimit-limit:\n  description: >-\n    The limit.\n  schema:\n    type: integer\n\n"
        "ratelimit-reset:\n  description: >-\n    The reset.\n  schema:\n    type: integer\n",
        encoding="utf-8",
    )
    (tmp_path / "created.yml").write_text(
        "description: Created\nheaders:\n  ratelimit-limit:\n"
        "    $ref: 'shared/headers.yml#/ratelimit-limit'\n",
        encoding="utf-8",
    )
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    post:\n"
        "      operationId: createThing\n      responses:\n        '201': {$ref: 'created.yml'}\n"
        "        '409': {description: exists}\n  /things/{id}:\n"
        "    get: {responses: {'200': {description: ok}}}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("--diff", spec)
    assert code == 1, err
    assert "+  location:\n+    $ref: 'shared/headers.yml#/location'" in out
    assert "   The reset.\n   schema:\n     type: integer\n+\n+location:\n" in out
    assert "would add what the other fixes share to " in err and "headers.yml" in err


TWO_CREATES = """openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /things:
    post:
      operationId: createThing
      requestBody: {{content: {{application/json: {{schema: {{type: object}}}}}}}}
      responses:
        '201': {{description: created}}
        '403':
          description: bad
          content: {{application/json: {{schema: {{$ref: '{first}'}}}}}}
  /others:
    post:
      operationId: createOther
      requestBody: {{content: {{application/json: {{schema: {{type: object}}}}}}}}
      responses:
        '201': {{description: created}}
        '403':
          description: bad
          content: {{application/json: {{schema: {{$ref: './schemas.yaml#/Error'}}}}}}
"""


@pytest.mark.parametrize(
    "first", ["./schemas.yaml#/Error", "https://example.com/schemas/error.json#/Error"]
)
def test_the_error_body_is_shared_by_what_it_names_and_never_a_remote_ref(
    run_cli: RunCli, tmp_path: Path, first: str
) -> None:
    """Two spellings of one schema are one error body (one Conflict, one BadRequest); a remote
    schema, which the tool itself never follows, is not written into a fix."""
    (tmp_path / "schemas.yaml").write_text("Error:\n  type: object\n", encoding="utf-8")
    spec = tmp_path / "api.yaml"
    spec.write_text(TWO_CREATES.format(first=first), encoding="utf-8")
    code, out, err = run_cli("--diff", spec)
    assert code == 1 and "error:" not in err, err
    assert out.count("+    Conflict:") == 1 and out.count("+    BadRequest:") == 1
    assert out.count("+            $ref: './schemas.yaml#/Error'") == 2  # the spec's spelling
    assert "https://" not in "".join(line for line in out.splitlines() if line.startswith("+"))


def test_the_spec_s_own_piece_in_a_store_file_is_reused(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "headers.yml").write_text(
        "ratelimit-limit:\n  schema: {type: integer}\n"
        "location:\n  description: Where the new thing lives.\n  schema: {type: string}\n",
        encoding="utf-8",
    )
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    post:\n"
        "      operationId: createThing\n      responses:\n        '201':\n"
        "          description: created\n          headers:\n            ratelimit-limit:\n"
        "              $ref: 'shared/headers.yml#/ratelimit-limit'\n"
        "        '409': {description: dup}\n  /things/{id}:\n"
        "    get: {responses: {'200': {description: ok}}}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("--diff", spec)
    assert code == 1, err
    assert "+              $ref: 'shared/headers.yml#/location'" in out
    assert "location2" not in out  # the spec's own location is reused, not duplicated
    assert not [line for line in out.splitlines() if line.startswith("+++") and "headers" in line]


# --------------------------------------------------------------------------------------------
# the index of who reaches each response, carried from one pass to the next (fix/users.py)


def _checked_index(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Make every index the fixer builds or carries over compare itself with a
    ``ResponseIndex`` read afresh from the spec it answers for; counts how each came about."""
    from oas_create_check.fix import users
    from oas_create_check.spec.reach import ResponseIndex

    counts = {"built": 0, "carried": 0, "refused": 0}
    build, carry = users.CarriedIndex.__init__, users.CarriedIndex.carried

    def same(index: users.CarriedIndex, spec: users.Spec) -> None:
        assert index.users == ResponseIndex(spec).users

    def built(self: users.CarriedIndex, spec: users.Spec) -> None:
        build(self, spec)
        counts["built"] += 1
        same(self, spec)

    def carried(
        self: users.CarriedIndex, spec: users.Spec, gained: dict[Path, users.Gains]
    ) -> users.CarriedIndex | None:
        index = carry(self, spec, gained)
        counts["carried" if index is not None else "refused"] += 1
        if index is not None:
            same(index, spec)
        return index

    monkeypatch.setattr(users.CarriedIndex, "__init__", built)
    monkeypatch.setattr(users.CarriedIndex, "carried", carried)
    return counts


def test_the_index_carried_to_the_next_pass_is_the_one_built_afresh(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two passes (the 409 and the Location header, then the 400), with a shared response
    refused in each: the second pass's index is carried over, and equals a fresh one."""
    counts = _checked_index(monkeypatch)
    spec = tmp_path / "api.yaml"
    spec.write_text(SHARED.replace('        "409": {description: exists}\n', ""), encoding="utf-8")
    _, _, err = run_cli("--fix", "--jobs", "1", spec)
    assert "shared with 1 operation(s)" in err, err
    assert counts["carried"] >= 1 and counts["refused"] == 0, counts


@needs_corpus
def test_the_index_carried_over_on_digitalocean_is_the_one_built_afresh(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DigitalOcean's last pass only refuses its two shared responses again: it no longer
    follows every operation's references to find that out."""
    import shutil
    import stat

    counts = _checked_index(monkeypatch)
    shutil.copytree(CORPUS / "digitalocean", tmp_path / "do")
    for path in (tmp_path / "do").rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    run_cli("--diff", "--jobs", "1", tmp_path / "do" / "DigitalOcean-public.v2.yaml")
    assert counts == {"built": 1, "carried": 1, "refused": 0}, counts


def test_gains_are_read_from_the_data_and_anything_else_is_refused() -> None:
    from oas_create_check.fix.users import gains

    before = {"a": {"b": 1, "c": [1, {"d": 2}]}, "e": "x"}
    after = {"a": {"b": 1, "c": [1, {"d": 2, "f": 3}, 4], "g": {"h": 1}}, "e": "x"}
    assert sorted(gains(before, after) or []) == [(("a",), "g"), (("a", "c", "1"), "f")]
    assert gains(before, {"a": {"b": 1, "c": [1, {"d": 2}]}}) is None  # "e" lost
    assert gains(before, {**before, "e": "y"}) is None  # changed
    assert gains({"r": {201: 1}}, {"r": {201: 1, "201": 2}}) is None  # written alike


def test_a_gained_ref_or_listed_entry_makes_the_index_start_again(tmp_path: Path) -> None:
    """What the index lists or follows gaining anything is refused, never guessed."""
    from oas_create_check.fix.users import CarriedIndex
    from oas_create_check.load.refs import Workspace
    from oas_create_check.load.source import read_file
    from oas_create_check.spec.operations import Spec

    spec_file = tmp_path / "api.yaml"
    spec_file.write_text(SHARED, encoding="utf-8")
    source = read_file(spec_file)
    spec = Spec(Workspace(source))
    key = source.key
    operation = ("paths", "/pets", "post")
    for gained in (
        [(("paths",), "/new")],
        [(("paths", "/pets"), "put")],
        [(("components", "responses", "Done"), "$ref")],
    ):
        assert CarriedIndex(spec).carried(spec, {key: gained}) is None, gained
    inside = [(("components", "responses", "Done"), "headers")]
    assert CarriedIndex(spec).carried(spec, {key: inside}) is not None
    again = [((*operation, "responses"), "400")]
    assert CarriedIndex(spec).carried(spec, {key: again}) is not None
