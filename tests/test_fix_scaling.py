"""The indexes that keep one fix pass near-linear in its number of fixes answer exactly what the
scans they replaced answered (no timing here: benchmarks/bench_fix.py measures the curve)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from oas_create_check.fix.edits import Edit, EditIndex, overlaps
from oas_create_check.fix.fixer import FixOptions, fix_paths
from oas_create_check.load.locate import Locator
from oas_create_check.settings import Settings


def _random_edit(rng: random.Random) -> Edit:
    start = rng.randrange(40)
    if rng.random() < 0.6:
        column = rng.choice([None, 0, 2, 4])
        return Edit(start, start, "x", column)
    return Edit(start, start + rng.randrange(1, 6), "y")


def test_edit_index_agrees_with_pairwise_overlaps() -> None:
    rng = random.Random(20261206)
    for _ in range(300):
        index, taken = EditIndex(), []
        for _ in range(30):
            edit = _random_edit(rng)
            expected = any(overlaps(edit, other) for other in taken)
            assert index.conflicts(edit) == expected, (edit, taken)
            if not expected:
                index.add(edit)
                taken.append(edit)


def test_walk_finds_the_last_of_a_key_written_twice() -> None:
    text = "a: 1\nb:\n  c: 2\nb:\n  d: 3\n"
    depth, chain = Locator(text, is_json=False).walk(("b", "d"))
    assert depth == 2
    assert chain[-1][1].value == "3"
    depth, _ = Locator(text, is_json=False).walk(("b", "c"))
    assert depth == 1  # the first 'b' is not the one the loaders keep


def test_walk_through_a_large_mapping_in_json() -> None:
    paths = ", ".join(f'"/p{i}": {{"post": {{"n": {i}}}}}' for i in range(500))
    locator = Locator('{"paths": {' + paths + "}}", is_json=True)
    depth, chain = locator.walk(("paths", "/p321", "post", "n"))
    assert depth == 4
    key, _ = chain[-1]
    assert key is not None and key.value == "n"


def test_specs_whose_folders_nest_share_a_group() -> None:
    from pathlib import Path

    from oas_create_check.engine import SpecResult
    from oas_create_check.fix.pool import spec_groups

    def spec(*folders: str) -> SpecResult:
        return SpecResult(file="x", bounds=tuple(Path(f) for f in folders))

    specs = [spec("/a/b"), spec("/c"), spec("/a"), spec("/ab"), spec("/c/d", "/e"), spec("/e/f")]
    assert spec_groups(specs) == [[0, 2], [1, 4, 5], [3]]


def test_fixing_in_workers_matches_one_process(tmp_path: Path) -> None:
    from oas_create_check.fix.fixer import FixOptions, fix_paths
    from oas_create_check.fix.pool import fix_many
    from oas_create_check.settings import Settings

    schema = "schema: {type: object, properties: {id: {type: string}}}"
    body = (
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /thingsNUM:\n    post:\n"
        f"      requestBody:\n        content:\n          application/json:\n            {schema}\n"
        "      responses:\n        '201':\n          description: Created\n"
        f"          content:\n            application/json:\n              {schema}\n"
    )
    for n in range(3):
        (tmp_path / f"api{n}").mkdir()
        (tmp_path / f"api{n}" / "openapi.yaml").write_text(body.replace("NUM", str(n)))
    options = FixOptions(write=False)
    alone = fix_paths([tmp_path], Settings(), options)
    pooled = fix_many([tmp_path], Settings(), options, jobs=2)
    assert alone.changes and [(c.path, c.after) for c in pooled.changes] == [
        (c.path, c.after) for c in alone.changes
    ]
    assert pooled.run.findings == alone.run.findings


def test_the_lint_after_a_pass_reads_no_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a pass, the spec is linted again over the files as the attempt read them: a spec
    of hundreds of files is not read and parsed twice (only a file a fix adds a ``$ref`` to
    is read for the first time)."""
    from oas_create_check.load import refs

    (tmp_path / "responses").mkdir()
    (tmp_path / "items").mkdir()
    lines = ["openapi: 3.0.3", "info:", "  title: Many", "  version: '1'", "paths:"]
    for index in range(5):
        (tmp_path / "responses" / f"r{index}.yaml").write_text("description: Created\n")
        (tmp_path / "items" / f"i{index}.yaml").write_text(  # read, never edited
            "get:\n  responses:\n    '200':\n      description: The thing\n"
        )
        lines += [f"  /things{index}:", "    post:", f"      operationId: createThing{index}"]
        lines += ["      responses:", "        '201':", f"          $ref: responses/r{index}.yaml"]
        lines += [f"  /things{index}/{{id}}:", f"    $ref: items/i{index}.yaml"]
    root = tmp_path / "api.yaml"
    root.write_text("\n".join(lines) + "\n")
    reads: list[Path] = []
    real = refs.read_file

    def read_file(path: Path, *args: Any, **kwargs: Any) -> Any:
        reads.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(refs, "read_file", read_file)
    report = fix_paths([root], Settings(), FixOptions(write=False))
    assert report.changes and not report.run.errors
    assert sorted(reads) == sorted(set(reads)), reads
