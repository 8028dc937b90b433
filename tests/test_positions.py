"""The layout scan (the locator's fast path) must agree with the exact readers wherever it answers."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import CORPUS, corpus_specs, needs_corpus

from oas_create_check.load.locate import Locator, exact_index


def _check_agreement(text: str, is_json: bool) -> tuple[int, int]:
    """Compare fast and exact offsets for every indexed node; returns (answered, total)."""
    exact = exact_index(text, is_json)
    locator = Locator(text, is_json)
    answered = 0
    for path, offset in exact.items():
        if any(part.isdigit() for part in path):
            continue  # the fast path leaves sequences to the exact index
        fast = locator.layout.key_offset(path)
        if fast is None:
            continue
        answered += 1
        assert fast == offset, (
            f"{path}: fast {locator.line_col(fast)} != exact {locator.line_col(offset)}"
        )
    children: dict[tuple[str, ...], list[str]] = {}
    for path in exact:
        if path:
            children.setdefault(path[:-1], []).append(path[-1])
    for parent, keys in children.items():
        listed = locator.keys(parent)
        assert listed is None or listed == keys, parent  # the keys a lazy store's names come from
    return answered, len(exact)


def _corpus_files() -> list[Path]:
    files = [p for p in corpus_specs() if "digitalocean" not in p.parts]
    do = CORPUS / "digitalocean"
    if do.is_dir():
        files += sorted(do.rglob("*.yml"))[:400] + sorted(do.rglob("*.yaml"))
    return files


@pytest.mark.slow
@needs_corpus
@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_fast_path_agrees_with_exact_index_on_corpus(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    answered, total = _check_agreement(text, path.suffix == ".json")
    assert total == 1 or answered > 0


STYLES = {
    "comments and quotes": (
        "# top comment\nopenapi: 3.0.0\npaths:\n  # a comment at child indent\n  '/a':\n"
        '    post:\n      responses:\n        "201":\n          description: |\n'
        "            201: not a key\n            x: y\n        '409': {description: c}\n",
        False,
    ),
    "crlf": (
        "openapi: 3.0.0\r\npaths:\r\n  /a:\r\n    post:\r\n      responses:\r\n        201:\r\n          description: x\r\n",
        False,
    ),
    "document marker": ("---\nopenapi: 3.0.0\npaths:\n    /a:\n        post: {}\n", False),
    "sequence in mapping": (
        "paths:\n  /a:\n    parameters:\n    - name: x\n    post:\n      responses: {}\n",
        False,
    ),
    "folded plain scalars": (
        "openapi: 3.0.0\npaths:\n  /a:\n    post:\n      description: Creates a thing from the\n"
        "        parts it is given, and more words\n\n        - a second paragraph # and a comment\n"
        "      summary: one\n       two\n      responses:\n        '201':\n"
        "          description:\n            Created\n            here\n",
        False,
    ),
    "pretty json": (
        '{\n  "paths": {\n    "/a": {\n      "post": {\n        "responses": {\n          "201": {"description": "x"}\n        }\n      }\n    }\n  }\n}\n',
        True,
    ),
    "minified json": ('{"paths":{"/a":{"post":{"responses":{"201":{"description":"x"}}}}}}', True),
}


@pytest.mark.slow
@needs_corpus
@pytest.mark.parametrize("minified", [False, True], ids=["pretty", "minified"])
def test_json_reader_read_lazily_agrees_with_one_full_reading(minified: bool) -> None:
    """The JSON reader reads only the objects on the way to a pointer (skipping the rest in C);
    its full reading is the oracle. Both must give every key's offset, however laid out."""
    for path in [p for p in corpus_specs() if p.suffix == ".json"][:12]:
        text = path.read_text(encoding="utf-8-sig")
        if minified:
            text = json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
        tree = Locator(text, is_json=True).json_tree()
        for pointer, offset in exact_index(text, True).items():
            assert tree.offset(pointer) == offset, (path.name, pointer)
            assert tree.offset((*pointer, "missing")) == offset


def _gen_specs() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "gen_specs.py"
    spec = importlib.util.spec_from_file_location("gen_specs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@needs_corpus
def test_folded_plain_scalars_stay_on_the_fast_path() -> None:
    """Generated specs fold plain scalars over several lines (``gen_specs.py``'s folded style, a
    benchmark input): the layout scan must place every mapping key of such a spec itself, as the
    exact reader does, and never leave the lint's look-ups to the exact reader."""
    gen_specs = _gen_specs()
    source = gen_specs.load_source(CORPUS / "box-openapi.json")
    text, _ = gen_specs.assemble({"box": source}, 1, 1, fold=True)
    assert text.count("\n") > len(gen_specs.assemble({"box": source}, 1, 1)[0].splitlines())
    answered, _ = _check_agreement(text, is_json=False)
    mapping_paths = [p for p in exact_index(text, False) if not any(x.isdigit() for x in p)]
    assert answered == len(mapping_paths)


@pytest.mark.parametrize("name", STYLES)
def test_styles(name: str) -> None:
    text, is_json = STYLES[name]
    _check_agreement(text, is_json)
    locator = Locator(text, is_json)
    line, column = locator.locate(("paths", "/a", "post"))
    assert text.splitlines()[line - 1][column - 1 :].lstrip("'\"").startswith("post")


def test_missing_pointer_gives_nearest_parent() -> None:
    text = "openapi: 3.0.0\npaths:\n  /a:\n    post:\n      responses: {}\n"
    assert Locator(text, False).locate(("paths", "/a", "post", "responses", "201", "headers")) == (
        5,
        7,
    )


def _naive_line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


LINE_TEXTS = {
    "empty": "",
    "one line, no newline": "openapi: 3.0.0",
    "only newlines": "\n\n\n",
    "no final newline": "a: 1\nbb: 2\n\n  ccc: 3",
    "crlf": "openapi: 3.0.0\r\npaths:\r\n  /a:\r\n\r\n    post: {}\r\n",
    "mixed breaks": "a\r\n\rb\n\u2028c\x85\n\n  d: 'é😀'\n",
    "long lines": ("x" * 5000 + "\n") * 3 + "y" * 7000,
}


@pytest.mark.parametrize("name", LINE_TEXTS)
@pytest.mark.parametrize("order", ["ascending", "descending", "random"])
@pytest.mark.parametrize("budget", ["default", "tiny"])
def test_line_col_matches_a_naive_count(
    name: str, order: str, budget: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``line_col`` counts from the nearest offset it answered before, in either direction, and
    switches to a table of line starts past its budget: every path must agree with counting "\\n"
    from the start, at every offset including 0 and len(text), asked in any order and twice."""
    from oas_create_check.load import locate as positions

    if budget == "tiny":  # the table takes over after a few lookups
        monkeypatch.setattr(positions, "_SCAN_BUDGET_FACTOR", 0)
        monkeypatch.setattr(positions, "_SCAN_BUDGET_MIN", 50)
    text = LINE_TEXTS[name]
    rng = random.Random(f"{name} {order} {budget}")
    offsets = sorted({0, len(text), *(rng.randrange(len(text) + 1) for _ in range(300))})
    if order == "descending":
        offsets.reverse()
    elif order == "random":
        offsets = [rng.choice(offsets) for _ in range(2 * len(offsets))]
    locator = Locator(text, is_json=False)
    for offset in offsets:
        assert locator.line_col(offset) == _naive_line_col(text, offset), offset


def test_line_col_on_random_texts() -> None:
    """Random texts of newlines, carriage returns and other characters, random offsets in random
    order (so lookups land between anchors, on their lines and on lines between them)."""
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice("ab\n\r\n é") for _ in range(rng.randrange(60)))
        locator = Locator(text, is_json=False)
        for _ in range(40):
            offset = rng.randrange(len(text) + 1)
            assert locator.line_col(offset) == _naive_line_col(text, offset), (text, offset)


def test_line_col_in_random_order_is_bounded() -> None:
    """Lookups far from each other and out of order read more of the text than in-order ones;
    the budget keeps that below building the full table of line starts, plus a constant. Work
    is counted (characters read), not timed: this machine is shared and noisy."""
    from oas_create_check.load import locate as positions

    text = ("    key: value of a line\n" * 400_000)[:-1]  # 10 MB
    rng = random.Random(3)
    offsets = [rng.randrange(len(text) + 1) for _ in range(3000)]
    locator = Locator(text, is_json=False)
    answers = [locator.line_col(offset) for offset in offsets]
    budget = positions._SCAN_BUDGET_FACTOR * len(text) + positions._SCAN_BUDGET_MIN
    assert locator._scanned <= budget + len(text)
    assert answers[:50] == [_naive_line_col(text, offset) for offset in offsets[:50]]


@needs_corpus
def test_store_names_come_from_the_layout() -> None:
    """The split parse asks the layout for the schemas' names (not to wait for its child): on a
    real spec the layout must answer, and answer right."""
    import yaml_rs

    text = (CORPUS / "openai-openapi.yaml").read_text(encoding="utf-8")
    names = Locator(text, is_json=False).keys(("components", "schemas"))
    expected = list(yaml_rs.loads(text, parse_datetime=False)["components"]["schemas"])
    assert names is not None and names == expected
