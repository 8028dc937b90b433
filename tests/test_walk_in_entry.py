"""A large YAML file is not read whole for the fixer: each walk reads the block entry it ends in
(or a skeleton of a large mapping), the style survey the file's head. Whatever was read, the
nodes where a walk ends must be the whole tree's: same spans, lines, columns and styles."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import CORPUS, corpus_specs, needs_corpus

from oas_create_check.fix.yaml_layout import YamlLayout
from oas_create_check.load import locate
from oas_create_check.load.locate import Locator
from oas_create_check.load.node import Chain, Node
from oas_create_check.load.yaml_tree import YamlTree, read_yaml_tree
from oas_create_check.model import AddEntry

Found = tuple[int, Chain]


def _row(node: Node | None) -> tuple[object, ...] | None:
    if node is None:
        return None
    return (node.kind, node.start, node.end, node.line, node.column, node.style, node.value)


def _walks_agree(
    text: str,
    pointer: tuple[str, ...],
    whole_entries: bool,
    found: Found | None = None,
    whole: Locator | None = None,
) -> None:
    """The walk on a partial read (``found``, or a fresh locator's walk) against the walk on the
    whole tree (``whole``, or a fresh one's). ``whole_entries``: every entry's value must agree
    too (no skeleton was allowed)."""
    if found is None:
        partial = Locator(text, is_json=False)
        found = partial.walk(pointer)
        assert partial._yaml is None, "fell back to the whole tree"
    if whole is None:
        whole = Locator(text, is_json=False)
        whole.yaml_tree()  # read first: the walk then uses it
    depth, chain = found
    expected_depth, expected = whole.walk(pointer)
    assert depth == expected_depth, pointer
    (owner, node), (expected_owner, expected_node) = chain[-1], expected[-1]
    assert _row(owner) == _row(expected_owner), pointer
    assert _row(node) == _row(expected_node), pointer
    assert node.flow == expected_node.flow
    entries, expected_entries = node.entries, expected_node.entries
    assert [_row(k) for k, _ in entries] == [_row(k) for k, _ in expected_entries], pointer
    if entries:
        assert _row(entries[-1][1]) == _row(expected_entries[-1][1]), pointer
    if whole_entries:
        assert [_row(v) for _, v in entries] == [_row(v) for _, v in expected_entries], pointer


def _large(count: int = 40) -> str:
    """A spec whose block entries are worth reading alone."""
    paths = "".join(
        f"  /things{i}:\n    post:\n      summary: 'make thing {i}'\n      responses:\n"
        f'        "200":\n          description: OK\n'
        for i in range(count)
    )
    return (
        "openapi: 3.0.3\n# a comment at the root\ninfo:\n  title: t\n  version: '1'\n"
        f"paths:\n{paths}components:\n  schemas:\n    Thing:\n      type: object\n"
        "  securitySchemes:\n    key:\n      type: apiKey\n      in: header\n      name: k\n"
    )


@pytest.fixture
def tiny_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text counts as large, every entry as worth a skeleton or a reading of its own."""
    monkeypatch.setattr(locate, "HEAD_CHARS", 0)
    monkeypatch.setattr(locate, "_SKELETON_MIN_CHARS", 0)
    monkeypatch.setattr(locate, "_WHOLE_SHARE", 0)


POINTERS = [
    ("paths", "/things7", "post", "responses"),
    ("paths", "/things7", "post", "responses", "201", "headers"),
    ("paths", "/things39", "post", "summary"),
    ("paths", "/nothing", "post"),
    ("components", "headers"),
    ("components", "schemas", "Thing", "properties"),
    ("info", "title"),
]


@pytest.mark.parametrize("skeletons", [True, False])
def test_walks_in_one_entry_agree_with_the_whole_tree(
    monkeypatch: pytest.MonkeyPatch, skeletons: bool
) -> None:
    monkeypatch.setattr(locate, "HEAD_CHARS", 0)
    monkeypatch.setattr(locate, "_SKELETON_MIN_CHARS", 0 if skeletons else 1 << 30)
    monkeypatch.setattr(locate, "_WHOLE_SHARE", 0)
    text = _large()
    for pointer in POINTERS:
        _walks_agree(text, pointer, whole_entries=not skeletons)


@pytest.mark.usefixtures("tiny_head")
def test_an_insertion_into_a_skeleton_is_the_same_edit() -> None:
    """``components`` is read as a skeleton (its schemas left out) for a new ``headers`` entry:
    the edit is the one the whole tree gives."""
    text = _large()
    change = AddEntry(Path("s.yaml"), ("components", "headers"), "Location", {"x": "y"})
    partial = YamlLayout(text, Locator(text, is_json=False)).add(change)
    whole_locator = Locator(text, is_json=False)
    whole_locator.yaml_tree()
    assert partial == YamlLayout(text, whole_locator).add(change)


@pytest.mark.usefixtures("tiny_head")
def test_a_key_written_twice_is_read_from_the_whole_tree() -> None:
    text = "a: 1\nb:\n  c: 2\nb:\n  d: 3\n"
    locator = Locator(text, is_json=False)
    depth, chain = locator.walk(("b", "d"))
    assert depth == 2 and chain[-1][1].value == "3"
    assert locator._yaml is not None  # the layout lists no keys where one is written twice


@pytest.mark.usefixtures("tiny_head")
def test_an_alias_in_the_entry_is_read_from_the_whole_tree() -> None:
    text = "x: &shared\n  k: v\npaths:\n  /a:\n    post: *shared\n"
    locator = Locator(text, is_json=False)
    depth, chain = locator.walk(("paths", "/a", "post", "k"))
    assert depth == 4 and chain[-1][1].value == "v"
    assert locator._yaml is not None


def test_the_head_tree_stops_at_its_limit() -> None:
    text = "a:\n  b: 1\n  c: [1, 2]\nd: 2\n"
    head = read_yaml_tree(text, stop_after=text.index("c"))
    assert head.error is None
    assert [row[5] for row in head.store.rows if row[5]] == ["a", "b", "1", "c"]
    root = head.complete()
    assert [k.value for k, _ in root.entries] == ["a"]
    assert [k.value for k, _ in root.entries[0][1].entries] == ["b", "c"]


def _pointers(whole: Locator, rng: random.Random) -> list[tuple[str, ...]]:
    """Mapping paths of the file (no sequence items: the layout proves block mappings only),
    sampled, and some of them with a key that is not there."""
    index = whole.yaml_tree().index()
    paths = [p for p in index if p and not any(s.isdigit() for s in p)]
    sample = rng.sample(paths, min(len(paths), 40))
    return sample + [(*p, "x-not-there") for p in sample[:15]]


def _yaml_roots() -> list[Path]:
    return [p for p in corpus_specs() if p.suffix in (".yaml", ".yml")]


@pytest.mark.slow
@needs_corpus
@pytest.mark.usefixtures("tiny_head")
@pytest.mark.parametrize("path", _yaml_roots(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_walks_agree_with_the_whole_tree_on_corpus(path: Path) -> None:
    """Every text counts as large here, and every mapping a walk stops at is a skeleton."""
    text = path.read_text(encoding="utf-8-sig")
    whole = Locator(text, is_json=False)
    partial = Locator(text, is_json=False)
    for pointer in _pointers(whole, random.Random(path.name)):
        found = partial._walk_in_entry(pointer)
        if found is not None:  # else read whole: nothing to compare
            _walks_agree(text, pointer, False, found, whole)


def test_many_walks_end_in_one_whole_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries read alone stop once they add up to a share of the text: then the whole tree is
    read, once, and serves the rest."""
    monkeypatch.setattr(locate, "HEAD_CHARS", 0)
    text = _large(400)
    locator = Locator(text, is_json=False)
    for i in range(400):
        depth, chain = locator.walk(("paths", f"/things{i}", "post", "responses", "201"))
        assert depth == 4 and chain[-1][1].kind == "map"
    assert locator._yaml is not None
    assert locator._pieces_cost * locate._WHOLE_SHARE <= len(text)


def _same_tree(a: YamlTree, b: YamlTree) -> bool:
    return (a.root, a.error, a.store.rows, a.store.children, a.store.targets) == (
        b.root,
        b.error,
        b.store.rows,
        b.store.children,
        b.store.targets,
    )


@pytest.mark.parametrize(
    "text",
    [
        _large(),
        "a: &x {k: [1, 2], m: 'q'}\nb:\n- *x\n- c: |\n    text\n  d: 2\ne: [3, {f: g}]\n",
        "- a\n- b: c\n  d:\n    - e\n",
    ],
)
def test_the_head_of_a_whole_tree_is_the_head_read(text: str) -> None:
    """A walk that needed the whole tree leaves the survey its head to take, not to read."""
    whole = read_yaml_tree(text)
    for limit in range(0, len(text) + 1, max(1, len(text) // 97)):
        assert _same_tree(whole.head(limit), read_yaml_tree(text, stop_after=limit)), limit


@pytest.mark.slow
@needs_corpus
@pytest.mark.parametrize("path", _yaml_roots(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_the_head_of_a_whole_tree_is_the_head_read_on_corpus(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    whole = read_yaml_tree(text)
    for limit in (100, 2_000, len(text) // 3, locate.HEAD_CHARS):
        assert _same_tree(whole.head(limit), read_yaml_tree(text, stop_after=limit)), limit


@pytest.mark.usefixtures("tiny_head")
def test_an_explicit_key_repeating_one_on_the_way_is_read_from_the_whole_tree() -> None:
    """``? /a`` is a key the layout scan does not read: the loaders keep this later copy."""
    text = (
        "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      description: first\n"
        "  /b:\n    get: {}\n  ? /a\n  : get:\n      description: second\n"
    )
    locator = Locator(text, is_json=False)
    depth, chain = locator.walk(("paths", "/a", "get", "description"))
    assert depth == 4 and chain[-1][1].value == "second"
    assert locator._yaml is not None
