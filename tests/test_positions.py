"""The fast, layout-reading locator must agree with the exact index wherever it answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, corpus_specs, needs_corpus

from oas_create_check.positions import Locator, _json_index, _yaml_index


def _check_agreement(text: str, is_json: bool) -> tuple[int, int]:
    """Compare fast and exact offsets for every indexed node; returns (answered, total)."""
    exact = _json_index(text) if is_json else _yaml_index(text)
    locator = Locator(text, is_json)
    answered = 0
    for path, offset in exact.items():
        if any(part.isdigit() for part in path):
            continue  # the fast path leaves sequences to the exact index
        fast = locator._fast(path)
        if fast is None:
            continue
        answered += 1
        assert fast == offset, (
            f"{path}: fast {locator.line_col(fast)} != exact {locator.line_col(offset)}"
        )
    return answered, len(exact)


def _corpus_files() -> list[Path]:
    files = [p for p in corpus_specs() if "digitalocean" not in p.parts]
    do = CORPUS / "digitalocean"
    if do.is_dir():
        files += sorted(do.rglob("*.yml"))[:400] + sorted(do.rglob("*.yaml"))
    return files


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
    "pretty json": (
        '{\n  "paths": {\n    "/a": {\n      "post": {\n        "responses": {\n          "201": {"description": "x"}\n        }\n      }\n    }\n  }\n}\n',
        True,
    ),
    "minified json": ('{"paths":{"/a":{"post":{"responses":{"201":{"description":"x"}}}}}}', True),
}


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
