"""Fuzz inputs and the one oracle, shared by ``tests/test_fuzz.py`` (hypothesis, a bounded budget in
CI) and ``benchmarks/fuzz_long.py`` (long runs, each worker in its own process).

Inputs are real specs mutated the ways broken files really look (bytes flipped, a file cut short,
lines lost, doubled, swapped or re-indented, stray YAML tokens) and generated specs in which any
node may hold the wrong type. Every operator draws from a ``random.Random`` -- hypothesis hands in
one it controls (``st.randoms()``), the long runner a seeded one -- so both drive the same code.

The oracle: loading, classifying, every rule and every output format, run the way the CLI runs
them, raise nothing at all; a file that cannot be used is a ``SpecError`` *recorded in the
result*, never an exception escaping it; and every rendered report can be written to a UTF-8
stream.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import yaml

from oas_create_check.cli import build_report
from oas_create_check.report import FORMATS, get_renderer
from oas_create_check.run.lint import RunResult, lint_paths
from oas_create_check.settings import Settings

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
#: Seeds are cut to this size: a mutated 3 MB spec teaches little more than its first 48 KB and
#: costs sixty times as long.
SEED_BYTES = 48_000

#: Stray text a mutation may insert: YAML indicators, anchors, aliases and tags (Python ones
#: included), flow brackets, block scalars, document markers, directives, $refs that go
#: nowhere, round in circles or out of the folder, odd numbers and odd characters.
TOKENS = [
    "- ", "? ", ": ", ":", "-", "&a ", "*a", "&b [*a, *a]", "<<: *a", "!!python/object/apply:os.system ['x']",
    "!!binary ", "!!set ", "!!int ", "!!str ", "!!timestamp ", "!custom ", "{", "}", "[", "]", ",", "{a: [",
    '"', "'", "|", ">-", "|+2", "#", " # c", "---", "...", "%YAML 1.2\n", "%TAG ! tag:x:\n", "\t", "\r", "\r\n",
    "\u2028", "\x85", "\x00", "\ufeff", "\x1b[2J", "\ud7ff", "~", "null", ".nan", "-.inf", "0x1F", "0o17",
    "1e999", "9" * 40, "01", "y", "NO", "2001-12-14t21:59:43.10-05:00", "$ref: '#/components/responses/x'",
    "$ref: '#'", "$ref: '#/paths'", "$ref: 'other.yaml#/ok'", "$ref: '../x.yaml'", "$ref: 'http://x/y'",
    "$ref: '#/paths/~1pets/post'", "{$ref: '#/components/responses/Loop'}", "$ref: 5", "'201':", "201:",
    "post:", "put:", "responses:", "headers:", "Location:", "operationId: createThing", "x-oas-create-check: ",
    "{kind: create}", "{ignore: [all]}", "\\", '"\\ud800"', "\\u0000", "é", "ñ", "😀", "\u202e",
    "9" * 4400, "? : ? : x", "$ref: '#anchor'", "$ref: 'a%00b.yaml'", "$ref: '.'", "##[add-mask]x",
]  # fmt: skip

#: The shape of the specs ``generated`` builds, with the words the classifier reacts to.
PATH_PIECES = [
    "/pets", "/{id}", "/items/{item_id}", "/v1", "/orders/{orderId}/cancel", ":batchCreate", "/search",
    "/users/{user_id}/keys", "/x-ext", "/", "/{a}/{b}", "/verify", "/token", "/é", "/a b", "/%20",
]  # fmt: skip
OPERATION_IDS = [
    "createPet", "create_pet", "add-item", "updateThing", "upsertUser", "searchPets", "cancelOrder",
    "post_files_id", "createOrUpdate", "", "run", "assignRole", "x", "create", "CreateEmbedding",
]  # fmt: skip
STATUS_CODES = [
    "200",
    "201",
    "202",
    "204",
    "303",
    "409",
    "422",
    "default",
    "2XX",
    "2xx",
    "x-code",
    "abc",
]
JUNK: list[Any] = [None, True, 0, -1, 1.5, "", "text", [], [None], {}, {"$ref": 5}, {"$ref": ""}]


def seeds() -> list[tuple[str, bytes]]:
    """(file name, bytes) of every seed spec: the API descriptions among the bundled fixtures and
    in the corpus, each cut to ``SEED_BYTES`` at a line end. Without the corpus (a checkout
    without ``shared/``) the fixtures and the generator still run."""
    files = sorted((REPO / "fixtures").rglob("*.yaml")) + sorted(
        (REPO / "fixtures").rglob("*.json")
    )
    if CORPUS.is_dir():
        files += sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
        files = [p for p in files if "digitalocean" not in p.parts or p.name.startswith("Digital")]
    found: dict[bytes, str] = {}
    for path in files:
        data = path.read_bytes()
        if b"openapi" not in data[:2000] and b"swagger" not in data[:2000]:
            continue  # a fixture's expectations or a fragment, not an API description
        if len(data) > SEED_BYTES:
            data = _cut(data, path.suffix == ".json")
        found.setdefault(data, path.name)
    return [(name, data) for data, name in found.items()]


def _cut(data: bytes, is_json: bool) -> bytes:
    """A large seed made small: YAML is cut at a line end (a truncated file is a fine case too),
    JSON keeps its first paths and is written again, since cut JSON never loads at all."""
    if not is_json:
        return data[: data.rfind(b"\n", 0, SEED_BYTES) + 1]
    doc = json.loads(data)
    paths = doc.get("paths", {})
    for keep in (12, 6, 3, 1):
        doc["paths"] = dict(list(paths.items())[:keep])
        text = json.dumps(doc, indent=2).encode()
        if len(text) <= SEED_BYTES:
            return text
        doc.pop("components", None)  # unresolved refs then: findings of their own
        doc.pop("definitions", None)
    return text


# ------------------------------------------------------------------------------------------
# Mutations
# ------------------------------------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def flip_bytes(data: bytes, rnd: random.Random) -> bytes:
    if not data:
        return bytes([rnd.randrange(256)])
    buffer = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        buffer[rnd.randrange(len(buffer))] ^= rnd.randrange(1, 256)
    return bytes(buffer)


def truncate(data: bytes, rnd: random.Random) -> bytes:
    return data[: rnd.randrange(len(data) + 1)]


def delete_lines(data: bytes, rnd: random.Random) -> bytes:
    lines = _lines(data)
    start = rnd.randrange(len(lines))
    del lines[start : start + rnd.randint(1, 5)]
    return b"".join(lines)


def duplicate_lines(data: bytes, rnd: random.Random) -> bytes:
    lines = _lines(data)
    start = rnd.randrange(len(lines))
    chunk = lines[start : start + rnd.randint(1, 6)]
    where = rnd.choice([start, rnd.randrange(len(lines) + 1)])
    lines[where:where] = chunk * rnd.randint(1, 3)
    return b"".join(lines)


def swap_lines(data: bytes, rnd: random.Random) -> bytes:
    lines = _lines(data)
    first, second = rnd.randrange(len(lines)), rnd.randrange(len(lines))
    lines[first], lines[second] = lines[second], lines[first]
    return b"".join(lines)


def insert_token(data: bytes, rnd: random.Random) -> bytes:
    token = rnd.choice(TOKENS).encode("utf-8", "surrogatepass")
    if rnd.random() < 0.5:  # at the start of a line, after its indentation
        lines = _lines(data)
        index = rnd.randrange(len(lines))
        line = lines[index]
        indent = len(line) - len(line.lstrip(b" "))
        lines[index] = line[:indent] + token + line[indent:]
        return b"".join(lines)
    offset = rnd.randrange(len(data) + 1)
    return data[:offset] + token + data[offset:]


def reindent(data: bytes, rnd: random.Random) -> bytes:
    lines = _lines(data)
    start = rnd.randrange(len(lines))
    for index in range(start, min(len(lines), start + rnd.randint(1, 8))):
        line = lines[index]
        change = rnd.choice(["more", "less", "tab"])
        if change == "more":
            lines[index] = b" " * rnd.randint(1, 4) + line
        elif change == "less":
            lines[index] = line[min(rnd.randint(1, 4), len(line) - len(line.lstrip(b" "))) :]
        else:
            lines[index] = b"\t" + line.lstrip(b" ")
    return b"".join(lines)


#: Each with a weight: the ones that usually leave a loadable spec come more often, so that most
#: cases reach the rules instead of stopping at a parse error.
MUTATIONS = {
    flip_bytes: 1,
    truncate: 3,
    delete_lines: 4,
    duplicate_lines: 1,
    swap_lines: 1,
    insert_token: 4,
    reindent: 1,
}


def mutate(data: bytes, rnd: random.Random) -> bytes:
    """``data`` after one to three random mutations (one most often)."""
    operators, weights = list(MUTATIONS), list(MUTATIONS.values())
    for _ in range(rnd.choice([1, 1, 1, 2, 3])):
        data = rnd.choices(operators, weights)[0](data, rnd)
    return data


# ------------------------------------------------------------------------------------------
# Generated specs
# ------------------------------------------------------------------------------------------


def _maybe_junk(value: Any, rnd: random.Random, rate: float) -> Any:
    return rnd.choice(JUNK) if rnd.random() < rate else value


def _response(rnd: random.Random, rate: float) -> Any:
    if rnd.random() < 0.25:
        return {"$ref": rnd.choice(["#/components/responses/Ok", "#/components/responses/Loop",
                                    "#/nope", "other.yaml#/ok", "../up.yaml#/x", "#"])}  # fmt: skip
    response: dict[str, Any] = {"description": _maybe_junk("ok", rnd, rate)}
    if rnd.random() < 0.6:
        headers = {name: _maybe_junk({"schema": {"type": "string"}}, rnd, rate)
                   for name in rnd.sample(["Location", "location", "Idempotency-Key", "X-Id", "Operation-Location"], rnd.randint(0, 3))}  # fmt: skip
        response["headers"] = _maybe_junk(headers, rnd, rate)
    if rnd.random() < 0.5:
        content = {"application/json": {"schema": _maybe_junk({"type": "object"}, rnd, rate)}}
        response["content"] = _maybe_junk(content, rnd, rate)
        response["schema"] = _maybe_junk({"type": "object"}, rnd, rate)
    return _maybe_junk(response, rnd, rate)


def _operation(rnd: random.Random, rate: float) -> Any:
    operation: dict[str, Any] = {
        "operationId": _maybe_junk(rnd.choice(OPERATION_IDS), rnd, rate),
        "summary": _maybe_junk(rnd.choice(["Create a pet", "Search", "", "Update\nthe thing"]), rnd, rate),
        "responses": _maybe_junk({code: _response(rnd, rate) for code in rnd.sample(STATUS_CODES, rnd.randint(0, 4))}, rnd, rate),
    }  # fmt: skip
    if rnd.random() < 0.4:
        operation["parameters"] = _maybe_junk(
            [_maybe_junk({"name": rnd.choice(["Idempotency-Key", "id"]), "in": rnd.choice(["header", "path", 5]),
                          "schema": {"type": rnd.choice(["string", "integer"])}}, rnd, rate)
             for _ in range(rnd.randint(0, 3))], rnd, rate)  # fmt: skip
    if rnd.random() < 0.2:
        operation["x-oas-create-check"] = rnd.choice([{"kind": "create"}, {"kind": "nope"}, {"ignore": ["all"]},
                                                      {"ignore": "create-status-201"}, "create", [1], None])  # fmt: skip
    return _maybe_junk(operation, rnd, rate)


def generated(rnd: random.Random) -> tuple[str, bytes]:
    """A random spec (file name, bytes): right-shaped mostly, any node possibly the wrong type,
    written as JSON or YAML in block or flow style."""
    rate = rnd.choice([0.0, 0.05, 0.2])
    paths: dict[str, Any] = {}
    for _ in range(rnd.randint(0, 6)):
        key = "".join(rnd.choice(PATH_PIECES) for _ in range(rnd.randint(1, 3)))
        methods = rnd.sample(
            ["post", "put", "get", "delete", "parameters", "$ref", "x-y"], rnd.randint(1, 3)
        )
        item = {m: _operation(rnd, rate) if m not in ("$ref", "parameters") else rnd.choice(JUNK) for m in methods}  # fmt: skip
        paths[key] = _maybe_junk(item, rnd, rate)
    swagger = rnd.random() < 0.3
    doc: dict[str, Any] = (
        {"swagger": "2.0"} if swagger else {"openapi": rnd.choice(["3.0.3", "3.1.0", 3.0])}
    )
    doc["info"] = {"title": "t", "version": "1"}
    doc["paths"] = _maybe_junk(paths, rnd, rate / 2)
    components = {
        "responses": {"Ok": {"description": "ok"}, "Loop": {"$ref": "#/components/responses/Loop"}},
        "headers": {"Location": {"schema": {"type": "string"}}},
    }
    doc["responses" if swagger else "components"] = _maybe_junk(components, rnd, rate)
    if rnd.random() < 0.5:
        return "spec.json", json.dumps(doc, indent=rnd.choice([None, 2])).encode()
    text = yaml.safe_dump(
        doc, default_flow_style=rnd.choice([False, None, True]), allow_unicode=True
    )
    return "spec.yaml", text.encode("utf-8")


# ------------------------------------------------------------------------------------------
# The oracle
# ------------------------------------------------------------------------------------------

#: A small fragment beside every case, so that ``other.yaml#/ok`` references are followed too.
OTHER = b"ok:\n  description: from another file\n  headers: {Location: {schema: {type: string}}}\n"


def check(name: str, data: bytes, folder: Path, other: bytes = OTHER) -> RunResult:
    """Lint ``data`` written as ``folder/name`` and render every format; raises only on a bug."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "other.yaml").write_bytes(other)
    spec = folder / name
    spec.write_bytes(data)
    run = lint_paths([spec], Settings())
    report = build_report(run)
    for fmt in FORMATS:
        get_renderer(fmt)(report).encode("utf-8")  # what writing it to stdout does
    for error in run.errors:
        str(error).encode("utf-8")  # what printing it to stderr does
    for notice in run.notices:
        notice.encode("utf-8")
    return run
