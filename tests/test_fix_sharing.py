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
