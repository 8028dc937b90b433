"""The style survey of a large YAML file, read in a forked child while the spec is linted, gives
exactly the style the fixer would survey itself, and only for the very text it read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CORPUS, corpus_specs, needs_corpus

from oas_create_check.fix.survey import start_survey
from oas_create_check.fix.yaml_layout import YamlLayout
from oas_create_check.forked import NO_ANSWER, Forked
from oas_create_check.load.locate import HEAD_CHARS
from oas_create_check.load.source import read_file

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _large_yaml(folder: Path) -> Path:
    """A YAML spec past ``HEAD_CHARS`` with a few creates to fix, its later part quoting
    differently from its head."""
    creates = "".join(
        f"  /widgets{i}:\n    post:\n      summary: 'Create a widget {i}'\n      responses:\n"
        f"        '201':\n          description: Created\n"
        for i in range(10)
    )
    reads = "".join(
        f"  /a{i}:\n    get:\n      description: 'read {i}'\n      responses:\n"
        f"        '200':\n          description: OK\n"
        for i in range(HEAD_CHARS // 90)
    )
    tail = "".join(f'  /b{i}:\n    get:\n      description: "read {i}"\n' for i in range(3000))
    head = creates + reads
    path = folder / "big.yaml"
    path.write_text(f"openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n{head}{tail}")
    return path


def _assert_surveyed_alike(path: Path) -> None:
    """The child's style for ``path`` is the one surveyed here."""
    survey = start_survey([path])
    assert survey is not None
    source = read_file(path)
    try:
        assert survey.style_for(source) == YamlLayout(source.text).style
    finally:
        survey.close()


def test_the_child_surveys_what_the_fixer_would(tmp_path: Path) -> None:
    _assert_surveyed_alike(_large_yaml(tmp_path))


def test_another_text_gets_no_answer(tmp_path: Path) -> None:
    path = _large_yaml(tmp_path)
    survey = start_survey([path])
    assert survey is not None
    source = read_file(path)
    try:
        assert survey.style_for(source.edited(source.text + "x-more: 1\n", {})) is None
    finally:
        survey.close()


def test_no_child_for_small_json_or_many_files(tmp_path: Path) -> None:
    small = tmp_path / "small.yaml"
    small.write_text("openapi: 3.0.3\n")
    big = _large_yaml(tmp_path)
    as_json = tmp_path / "big.json"
    as_json.write_text("{}" + " " * (HEAD_CHARS + 1))
    assert start_survey([small]) is None
    assert start_survey([as_json]) is None
    assert start_survey([big, small]) is None
    assert start_survey([tmp_path]) is None


def _fails() -> None:
    raise RuntimeError("in the child")


def test_a_child_that_fails_or_is_stopped_gives_no_answer() -> None:
    failing = Forked.start(_fails)
    assert failing is not None and failing.result() is NO_ANSWER
    slow = Forked.start(os.system, "sleep 30")
    assert slow is not None
    slow.cancel()
    assert slow.result() is NO_ANSWER


@pytest.mark.slow
@needs_corpus
@pytest.mark.parametrize(
    "path",
    [p for p in corpus_specs() if p.suffix == ".yaml" and p.stat().st_size > HEAD_CHARS],
    ids=lambda p: str(p.relative_to(CORPUS)),
)
def test_the_child_surveys_corpus_specs_as_the_fixer_would(path: Path) -> None:
    _assert_surveyed_alike(path)


def test_the_fix_uses_the_childs_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file as read is surveyed only in the child (a later pass surveys its own edited
    text here)."""
    from oas_create_check.fix.fixer import FixOptions
    from oas_create_check.fix.pool import fix_many
    from oas_create_check.settings import Settings

    path = _large_yaml(tmp_path)
    original = path.read_text()
    parent = os.getpid()
    survey = YamlLayout._survey

    def only_in_the_child(self: YamlLayout) -> object:
        assert os.getpid() != parent or self.text != original, "surveyed in this process"
        return survey(self)

    monkeypatch.setattr(YamlLayout, "_survey", only_in_the_child)
    report = fix_many([path], Settings(), FixOptions(write=False), jobs=1)
    assert not report.run.errors
    assert sum(change.fixed for change in report.changes) > 0
