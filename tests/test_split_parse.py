"""The split parse (``split.py``): same data as a whole parse, same errors, and a whole parse
whenever the cut is in doubt or the child fails.

Most tests lower ``SPLIT_MIN_CHARS`` so that small texts are split too; the corpus test reads
every YAML file of the corpus both ways.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, needs_corpus

from oas_create_check.load import source as document
from oas_create_check.load import split
from oas_create_check.load.parse import load_yaml, parse_text
from oas_create_check.load.read import SpecError
from oas_create_check.load.refs import Workspace
from oas_create_check.load.source import SourceFile, read_file
from oas_create_check.rules._remedies import conflict_response
from oas_create_check.run.lint import lint_paths
from oas_create_check.settings import Settings
from oas_create_check.spec.operations import Spec

SPEC = """\
openapi: 3.0.3
info:
  title: pets
  version: '1'
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Pet'
      responses:
        '201':
          $ref: '#/components/responses/Ok'
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
  schemas:
    Pet:
      type: object
      properties:
        name:
          type: string
# a comment at column 0 inside the store

    Problem:
      type: object
  responses:
    Ok:
      description: ok
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Pet'
x-tail: 1
"""

SWAGGER = """\
swagger: '2.0'
info: {title: pets, version: '1'}
paths:
  /pets:
    post:
      responses:
        '200':
          description: ok
          schema:
            $ref: '#/definitions/Pet'
definitions:
  Pet:
    type: object
  ProblemDetails:
    type: object
parameters:
  Id: {name: id, in: path, required: true, type: string}
"""


def ordered(value: Any) -> Any:
    """``value`` with key order and types made visible: ``==`` on dicts ignores order."""
    if isinstance(value, dict):
        return [(type(k).__name__, repr(k), ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return type(value).__name__, repr(value)


@pytest.fixture
def split_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split texts of any size."""
    monkeypatch.setattr(document, "SPLIT_MIN_CHARS", 0)


def write(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return path


def both(path: Path) -> tuple[SourceFile, Any]:
    """The file read lazily (and split, if it can be), and its data as a whole parse gives it."""
    source = read_file(path, lazy=True)
    whole, _ = parse_text(path, str(path), path.read_text(encoding="utf-8-sig"))
    return source, whole


def assert_split_and_same(path: Path) -> SourceFile:
    source, whole = both(path)
    assert source.store is not None, "expected a split"
    assert ordered(source.data) == ordered(whole)
    assert source.store is None and source.verified()
    return source


def assert_whole_and_same(path: Path) -> SourceFile:
    source, whole = both(path)
    assert source.store is None, "expected a whole parse"
    assert ordered(source.data) == ordered(whole)
    return source


def assert_refused(path: Path) -> None:
    """Split, but the child said no: the lint reads the file whole and finds the same as a lint
    that never split."""
    source = read_file(path, lazy=True)
    assert source.store is not None, "expected a split"
    assert not source.verified()
    assert lint_report(path) == lint_report(path, split_at=1 << 40)


def lint_report(path: Path, split_at: int = 0) -> str:
    """Everything a lint of ``path`` reports, with files split from ``split_at`` characters."""
    saved = document.SPLIT_MIN_CHARS
    document.SPLIT_MIN_CHARS = split_at
    try:
        result = lint_paths([path], Settings())
    finally:
        document.SPLIT_MIN_CHARS = saved
    return json.dumps(
        [[f.rule, f.line, f.column, f.pointer, repr(f.fix)] for f in result.findings]
        + [[o.path, o.method, o.kind.value, o.line] for o in result.operations]
        + [[e.message, e.line] for e in result.errors]
    )


def error_of(path: Path, lazy: bool) -> tuple[str, int | None]:
    """The error a whole read gives, or (``lazy``) the one a lint, which reads lazily, reports."""
    if lazy:
        errors = lint_paths([path], Settings()).errors
        assert len(errors) == 1, errors
        return errors[0].message, errors[0].line
    with pytest.raises(SpecError) as caught:
        read_file(path)
    return caught.value.message, caught.value.line


def assert_same_error(path: Path) -> tuple[str, int | None]:
    whole = error_of(path, lazy=False)
    assert error_of(path, lazy=True) == whole
    return whole


# -- the same data --------------------------------------------------------------------------------


def corpus_yaml() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml"))


@pytest.mark.slow
@needs_corpus
@pytest.mark.usefixtures("split_small")
@pytest.mark.parametrize("path", corpus_yaml(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_same_data_as_a_whole_parse(path: Path) -> None:
    source, whole = both(path)
    assert ordered(source.data) == ordered(whole)


@needs_corpus
def test_corpus_test_is_not_vacuous() -> None:
    cut = [p for p in corpus_yaml() if split.find_cut(p.read_text(encoding="utf-8-sig"))]
    assert len(cut) >= 8  # openai, adyen, the OAI examples with components/schemas


@needs_corpus
def test_corpus_big_specs_are_split() -> None:
    """At the real threshold, a big spec is split; its partial data holds the placeholder."""
    source = read_file(CORPUS / "openai-openapi.yaml", lazy=True)
    assert source.store is not None and source.store.pointer == ("components", "schemas")
    assert isinstance(source.partial["components"]["responses"], dict)
    assert source.partial["components"]["schemas"] is None


@pytest.mark.usefixtures("split_small")
def test_openapi_store_is_completed_in_place_and_order(tmp_path: Path) -> None:
    source = assert_split_and_same(write(tmp_path, SPEC))
    assert list(source.partial["components"]) == ["parameters", "schemas", "responses"]


@pytest.mark.usefixtures("split_small")
def test_partial_view_completes_only_when_asked_for_the_store(tmp_path: Path) -> None:
    source = read_file(write(tmp_path, SPEC), lazy=True)
    components = source.partial["components"]
    assert source.store is not None and components["schemas"] is None
    assert source.value_at(("components", "responses", "Ok"))[0]
    assert source.keys_at(("components", "schemas")) == ["Pet", "Problem"]
    assert source.store is not None  # neither needed the store
    assert source.value_at(("components", "schemas", "Pet")) == (True, {**PET})
    assert source.store is None and source.partial["components"] is components


PET = {"type": "object", "properties": {"name": {"type": "string"}}}


@pytest.mark.usefixtures("split_small")
def test_refs_into_the_store_and_node_reads_complete(tmp_path: Path) -> None:
    source = read_file(write(tmp_path, SPEC), lazy=True)
    workspace = Workspace(source)
    ok = workspace.deref(workspace.root_node().child("paths").child("/pets").child("post"))
    assert ok is not None and source.store is not None
    response = workspace.deref(ok.child("responses").child("201"))
    assert response is not None and source.store is not None
    schema = response.child("content").child("application/json").child("schema")
    assert schema is not None and workspace.deref(schema).value == PET
    assert source.store is None

    again = read_file(source.path, lazy=True)
    components = Workspace(again).root_node().child("components")
    assert components is not None and again.store is None  # the node's value holds the store
    assert dict(components.items())["schemas"].value["Pet"] == PET


@pytest.mark.usefixtures("split_small")
def test_problem_schema_found_by_name_without_parsing_the_store(tmp_path: Path) -> None:
    source = read_file(write(tmp_path, SPEC), lazy=True)
    op = Spec(Workspace(source)).operations[0]
    response = conflict_response(op, source).adds[0].value
    schema = response["content"]["application/problem+json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Problem"}
    assert source.store is not None


@pytest.mark.usefixtures("split_small")
def test_swagger_definitions(tmp_path: Path) -> None:
    source = read_file(write(tmp_path, SWAGGER), lazy=True)
    assert source.store is not None and source.store.pointer == ("definitions",)
    assert source.is_openapi and source.partial["definitions"] is None
    op = Spec(Workspace(source)).operations[0]
    response = conflict_response(op, source).adds[0].value
    assert response["schema"] == {"$ref": "#/definitions/ProblemDetails"}
    assert source.store is not None
    assert_split_and_same(source.path)


@pytest.mark.usefixtures("split_small")
def test_crlf(tmp_path: Path) -> None:
    assert_split_and_same(write(tmp_path, SPEC.replace("\n", "\r\n")))


@pytest.mark.usefixtures("split_small")
@pytest.mark.parametrize("end", ["\n", "", "\n\n# trailing comment\n"])
def test_store_last_in_the_file(tmp_path: Path, end: str) -> None:
    text = SPEC.split("  responses:\n    Ok:")[0].rstrip("\n") + end
    text = text.replace("$ref: '#/components/responses/Ok'", "description: ok")
    assert_split_and_same(write(tmp_path, text))


@pytest.mark.usefixtures("split_small")
def test_store_only_child_of_components(tmp_path: Path) -> None:
    text = SPEC.replace(
        "  parameters:\n    Id: {name: id, in: path, required: true, schema: {type: string}}\n", ""
    )
    text = text.split("  responses:\n    Ok:")[0] + "x-tail: 1\n"
    source = assert_split_and_same(write(tmp_path, text))
    assert list(source.partial["components"]) == ["schemas"]


@pytest.mark.usefixtures("split_small")
def test_lint_results_are_unchanged(tmp_path: Path) -> None:
    """The whole run: findings, fixes (the Problem schema reused) and operations."""
    path = write(tmp_path, SPEC)
    split_run = lint_report(path)
    assert split_run == lint_report(path, split_at=1 << 40)
    assert "Problem" in split_run


# -- the same errors -------------------------------------------------------------------------------

BROKEN_INSIDE = SPEC.replace("          type: string\n", "          type: [string\n")
BROKEN_OUTSIDE = SPEC.replace("      responses:\n", "      responses:\n     bad: 1\n")


@pytest.mark.usefixtures("split_small")
@pytest.mark.parametrize(
    ("text", "line"),
    [
        (BROKEN_INSIDE, 28),
        (BROKEN_OUTSIDE, 15),
        (SPEC.replace("    Problem:\n", "    Pet:\n"), 28),
        (SPEC + "components:\n  headers: {}\n", 38),
        (SPEC.replace("  responses:\n    Ok:", "  schemas:\n    X: 1\n  responses:\n    Ok:"), 30),
        (SPEC.replace("info:", "other: &a [1]\ninfo:").replace("type: object", "type: *b", 1), 23),
        (SPEC.replace("    Problem:\n", "    Problem:\n" + " " * 1200 + "x: 1\n"), 29),
        (SPEC.replace("x-tail: 1", "x-tail: 1\n---\nother: 1"), None),
    ],
    ids=[
        "syntax-inside",
        "syntax-outside",
        "duplicate-schema",
        "duplicate-components",
        "duplicate-schemas",
        "unknown-alias-inside",
        "too-deep-inside",
        "two-documents",
    ],
)
def test_same_error_as_a_whole_parse(tmp_path: Path, text: str, line: int | None) -> None:
    message, found = assert_same_error(write(tmp_path, text))
    if line is not None:
        assert found == line, message


@pytest.mark.usefixtures("split_small")
def test_huge_number_inside_the_store(tmp_path: Path) -> None:
    text = SPEC.replace("    Problem:\n", "    Problem:\n      x-n: " + "9" * 5000 + "\n")
    message, line = assert_same_error(write(tmp_path, text))
    assert "digits" in message and line == 29


# -- anchors: never across the cut -----------------------------------------------------------------

#: The alias is in ``responses``, after the store.
ANCHOR_IN_STORE = "*pet\nx-tail".join(
    SPEC.replace("    Pet:\n", "    Pet: &pet\n").rsplit(
        "$ref: '#/components/schemas/Pet'\nx-tail", 1
    )
)
ANCHOR_IN_REST = SPEC.replace("    Id: {", "    Id: &id {").replace(
    "    Problem:\n      type: object", "    Problem:\n      x-id: *id"
)


@pytest.mark.usefixtures("split_small")
def test_anchor_in_the_store_is_not_cut(tmp_path: Path) -> None:
    assert_whole_and_same(write(tmp_path, ANCHOR_IN_STORE))


@pytest.mark.usefixtures("split_small")
def test_alias_in_the_store_to_the_rest_is_refused(tmp_path: Path) -> None:
    """The store alone cannot resolve the alias: the child refuses, the lint reads whole."""
    assert_refused(write(tmp_path, ANCHOR_IN_REST))


@pytest.mark.usefixtures("split_small")
def test_alias_in_the_rest_to_the_store_parses_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the anchor check, the rest cannot resolve the alias: whole parse at once."""
    monkeypatch.setattr(split, "_may_define_anchor", lambda *args: False)
    assert split.find_cut(ANCHOR_IN_STORE) is not None
    assert_whole_and_same(write(tmp_path, ANCHOR_IN_STORE))


def test_anchor_redefined_in_the_store_is_not_cut() -> None:
    """An alias after the store naming an anchor defined both before it and in it means the
    store's; the rest alone would resolve it to the earlier one. Only the anchor check sees it."""
    text = SPEC.replace("    Id: {", "    Id: &a {").replace("    Pet:\n", "    Pet: &a\n")
    text = text.replace("x-tail: 1", "x-tail: *a")
    assert split.find_cut(text) is None
    assert load_yaml(text)["x-tail"] == PET


# -- layouts that are not cut ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{openapi: 3.0.0,\n" + SPEC.split("\n", 1)[1],  # a flow root
        "%YAML 1.2\n---\n" + SPEC,
        SPEC.replace("  schemas:", '  "schemas":'),
        SPEC.replace("  schemas:", "  schemas: &s"),
        SPEC.replace("components:", "components: # c\n", 1).replace("  schemas:", " schemas:"),
        SPEC.replace("    Problem:", "\t\n  - x\n    Problem:"),
        SPEC.replace("\n", "\r"),
        SPEC.replace("x-tail", "\r x-tail"),
        SPEC.replace("    Problem:", " odd: 1\n    Problem:"),
    ],
    ids=[
        "flow-root",
        "directive",
        "quoted-key",
        "anchored-store",
        "misindented",
        "sequence-at-components-indent",
        "cr-only",
        "lone-cr",
        "shallow-line-inside",
    ],
)
def test_no_cut(text: str) -> None:
    assert split.find_cut(text) is None


def test_cut_found_for_the_sample_specs() -> None:
    cut = split.find_cut(SPEC)
    assert cut is not None and SPEC[cut.start : cut.end].startswith("  schemas:\n")
    assert SPEC[cut.end :].startswith("  responses:\n")
    assert split.find_cut("---\n" + SPEC) is not None
    swagger = split.find_cut(SWAGGER)
    assert swagger is not None and SWAGGER[swagger.end :].startswith("parameters:")


def test_yaml_rs_refuses_flow_continued_no_deeper_than_its_parent() -> None:
    """What makes a line at the mapping's indentation a key or an error (``split.py``)."""
    for text in (
        'components:\n  x: "a\n  schemas: b"\n',
        "components:\n  x: 'a\n  schemas: b'\n",
        "components:\n  x: [a,\n  schemas]\n",
        "components:\n  x: {a: 1,\n  schemas: 2}\n",
        'top: "a\nschemas: b"\n',
        "top: [a,\nb]\n",
    ):
        with pytest.raises(Exception, match="line"):
            load_yaml(text)


# -- the child failing, and small files ----------------------------------------------------------


@pytest.mark.usefixtures("split_small")
@pytest.mark.parametrize("how", ["dies", "garbage", "exit-1"])
def test_child_failure_means_a_whole_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    def failing(entry: str, key: str) -> Any:
        if how == "dies":
            os.kill(os.getpid(), signal.SIGKILL)
        if how == "exit-1":
            raise RuntimeError("child failed")
        return {"not": "a list"}

    monkeypatch.setattr(split, "_check_entry", failing)
    assert_refused(write(tmp_path, SPEC))


@pytest.mark.usefixtures("split_small")
def test_fork_failure_means_a_whole_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    assert_whole_and_same(write(tmp_path, SPEC))


def test_small_file_is_not_forked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked for a small file")

    monkeypatch.setattr(os, "fork", no_fork)
    assert_whole_and_same(write(tmp_path, SPEC))


@pytest.mark.usefixtures("split_small")
def test_no_child_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forked: list[int] = []
    fork = os.fork

    def recording_fork() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    lint_paths([write(tmp_path, SPEC)], Settings())  # verdict: yes
    lint_paths([write(tmp_path, BROKEN_INSIDE, "inside.yaml")], Settings())  # verdict: no
    lint_paths([write(tmp_path, BROKEN_OUTSIDE, "outside.yaml")], Settings())  # rest fails first
    assert len(forked) == 3
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@pytest.mark.usefixtures("split_small")
def test_checks_run_while_the_child_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the split: the verdict is awaited after the checks, not before them (the
    Problem schema's name, which a fix needs, comes from the layout without waiting)."""
    from oas_create_check.run import lint

    events: list[str] = []
    check_spec, verdict = lint.check_spec, split.Store.verdict

    def checking(*args: Any) -> Any:
        result = check_spec(*args)
        events.append("checked")
        return result

    def waiting(self: split.Store) -> bool:
        events.append("verdict")
        return verdict(self)

    monkeypatch.setattr(lint, "check_spec", checking)
    monkeypatch.setattr(split.Store, "verdict", waiting)
    result = lint_paths([write(tmp_path, SPEC)], Settings())
    assert events[:2] == ["checked", "verdict"]
    assert any("Problem" in repr(f.fix) for f in result.findings)


def test_the_fixer_lints_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``lint_paths(whole=True)`` (the fixer's lint: it reads all the data afterwards anyway)
    never splits, and finds what the split lint finds."""
    from oas_create_check.fix.fixer import FixOptions, fix_paths

    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /things:\n    post:\n"
        "      responses:\n        '201':\n          description: Created\n"
        "components:\n  schemas:\n    Thing:\n      type: object\n"
    )
    monkeypatch.setattr(document, "SPLIT_MIN_CHARS", 10)
    splits: list[str] = []
    real = split.parse_split

    def parse_split(text: str) -> Any:
        splits.append(text)
        return real(text)

    monkeypatch.setattr(split, "parse_split", parse_split)
    whole = lint_paths([spec], Settings(), whole=True)
    assert not splits
    assert lint_paths([spec], Settings()).findings == whole.findings and splits
    splits.clear()
    fix_paths([spec], Settings(), FixOptions(write=False))
    assert not splits
