"""Never crash, never hang: hostile documents through the real CLI.

Each input gives a clear message naming the file (and the line where there is one) and exit 2, or a
finding, within seconds and bounded memory; never a traceback, a segfault or a hang; and one bad
file among many never stops the others from being checked. Inputs that could kill the interpreter
(deep nesting: yaml-rs and PyYAML's C composer both overflow the C stack at about 10,000 levels)
run the CLI in a child process, so a crash fails one test instead of taking pytest down.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_subprocess import run_cli as run_isolated
from conftest import RunCli

#: A create that answers 200: at least the create-status-201 finding, at a known line (6).
GOOD = """openapi: 3.0.0
info: {title: hostile, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      responses:
        "200": {description: ok}
  /pets/{id}:
    get:
      responses:
        "200": {description: ok}
"""
GOOD_FINDING = "[create-status-201] POST /pets"
#: The same spec in flow style: locating its findings needs the exact (PyYAML) index.
FLOW = """openapi: 3.0.0
info: {title: hostile, version: "1"}
paths: {/pets: {post: {operationId: createPet, responses: {"200": {description: ok}}}},
  "/pets/{id}": {get: {responses: {"200": {description: ok}}}}}
"""

#: Far beyond the depth (about 10,000) at which the unguarded parsers crash.
DEEP = 200_000

#: Every way to nest deeply that either parser understands; ``@GOOD@`` stands for a valid spec.
DEEP_SHAPES: dict[str, str] = {
    "flow sequences": "@GOOD@x: " + "[" * DEEP + "]" * DEEP + "\n",
    "flow mappings": "@GOOD@x: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n",
    "compact block sequences": "@GOOD@x:\n  " + "- " * DEEP + "a\n",
    "compact explicit keys": "@GOOD@x:\n  " + "? " * DEEP + "a\n",
    "compact empty keys": "@GOOD@x:\n  " + ": " * DEEP + "a\n",
    "mixed compact indicators": "@GOOD@x:\n  " + "- ? : " * (DEEP // 3) + "a\n",
    # One space more per level: 2,000 levels is already 2 MB, and the pre-scan refuses at 1,000.
    "block indentation": "@GOOD@x:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(2000)),
    # YAML breaks lines at a lone CR; a scan that only knows LF sees one harmless line.
    "lone CR line breaks": "@GOOD_CR@x:\r  " + "- " * DEEP + "a\r",
    "tab separators": "@GOOD@x:\n  " + "-\t" * DEEP + "a\n",
}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where the files are, so messages show them as ``spec.yaml``, like a user sees them."""
    monkeypatch.chdir(tmp_path)


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _shape(name: str) -> str:
    shape = DEEP_SHAPES[name].replace("@GOOD_CR@", GOOD.replace("\n", "\r"))
    return shape.replace("@GOOD@", GOOD)


@pytest.mark.parametrize("shape", list(DEEP_SHAPES))
def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path, shape: str) -> None:
    _write(tmp_path / "spec.yaml", _shape(shape))
    done = run_isolated("spec.yaml", cwd=tmp_path)
    assert done.code == 2, done
    assert "spec.yaml:" in done.stderr
    assert "nesting" in done.stderr or "too deep" in done.stderr, done.stderr
    assert done.seconds < 10


def test_deep_json_is_refused_not_a_crash(tmp_path: Path) -> None:
    body = json.dumps(json.loads(json.dumps({"openapi": "3.0.0", "paths": {}})))
    _write(tmp_path / "spec.json", body[:-1] + ', "x": ' + "[" * DEEP + "]" * DEEP + "}")
    done = run_isolated("spec.json", cwd=tmp_path)
    assert done.code == 2 and "spec.json: nesting too deep" in done.stderr, done


#: YAML 1.1 (PyYAML) also breaks lines at NEL and U+2028/9; YAML 1.2 (yaml-rs) reads them as text.
#: So yaml-rs sees a comment, accepts the spec, and PyYAML -- used for exact positions and for the
#: line of a duplicate key -- would see 200,000 levels of nesting and crash.
@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\u2029"])
def test_nesting_hidden_behind_yaml11_line_breaks_cannot_crash_positions(
    tmp_path: Path, separator: str
) -> None:
    hidden = "x: # comment" + separator + "  " + "- " * DEEP + "a\n"
    _write(tmp_path / "spec.yaml", hidden + FLOW)
    done = run_isolated("spec.yaml", cwd=tmp_path)
    assert done.code == 1 and GOOD_FINDING in done.stdout, done
    assert "spec.yaml:4:48: error" in done.stdout  # responses, located exactly

    _write(tmp_path / "dup.yaml", GOOD + hidden + "x: again\n")
    done = run_isolated("dup.yaml", cwd=tmp_path)
    assert done.code == 2 and "dup.yaml:14: invalid YAML: duplicate mapping key" in done.stderr


def test_deep_nesting_in_a_referenced_file_is_an_unresolved_ref(tmp_path: Path) -> None:
    _write(tmp_path / "deep.yaml", "x:\n  " + "- " * DEEP + "a\n")
    _write(
        tmp_path / "spec.yaml",
        GOOD.replace('"200": {description: ok}', '"201": {$ref: "deep.yaml#/x"}', 1),
    )
    done = run_isolated("spec.yaml", cwd=tmp_path)
    assert done.code == 1, done
    assert "[unresolved-ref]" in done.stdout and "deep.yaml:2: nesting deeper" in done.stdout


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    _write(tmp_path / "spec.yaml", GOOD + billion_laughs())
    done = run_isolated("spec.yaml", cwd=tmp_path)
    assert done.code == 2, done
    assert "spec.yaml" in done.stderr and "alias bomb" in done.stderr
    assert done.seconds < 10 and done.peak_rss < 1024**3


def test_alias_bomb_in_a_referenced_file_is_an_unresolved_ref(tmp_path: Path) -> None:
    _write(tmp_path / "bomb.yaml", billion_laughs())
    _write(
        tmp_path / "spec.yaml",
        GOOD.replace('"200": {description: ok}', '"201": {$ref: "bomb.yaml#/a9"}', 1),
    )
    done = run_isolated("spec.yaml", cwd=tmp_path)
    assert done.code == 1 and "bomb.yaml" in done.stdout and "alias bomb" in done.stdout, done


def test_many_small_aliases_are_fine_and_positions_do_not_expand_them(tmp_path: Path) -> None:
    """Below the limit, aliases are ordinary YAML; the exact index treats each alias as a leaf, so
    locating a finding in a flow-style spec full of them stays cheap."""
    _write(tmp_path / "spec.yaml", FLOW + billion_laughs(levels=4))  # 100,000 expansions
    done = run_isolated("spec.yaml", cwd=tmp_path)
    assert done.code == 1 and "spec.yaml:3:48: error" in done.stdout, done


def test_locating_is_linear_in_a_line_of_a_million_blanks() -> None:
    """The fast path's key pattern once rescanned a run of blanks at every step of a lazy match:
    quadratic, minutes for one such line. The loader rejects the layouts that put one where the
    pattern looks, so this is checked on the locator itself."""
    import time

    from oas_create_check.load.locate import Locator

    text = "paths:\n  x" + " " * 1_000_000 + "y\n  /pets:\n    post: {}\n  'q' \t: 1\n"
    began = time.monotonic()
    locator = Locator(text, is_json=False)
    assert locator.locate(("paths", "/pets", "post")) == (4, 5)
    assert locator.locate(("paths", "q")) == (5, 3)
    assert time.monotonic() - began < 2


# ------------------------------------------------------------------------------------------
# References that go round in circles
# ------------------------------------------------------------------------------------------

CYCLES = """openapi: 3.0.0
info: {title: cycles, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      responses:
        "201": {$ref: "#/components/responses/A"}
  /self:
    $ref: "#/paths/~1self"
  /across:
    $ref: "other.yaml#/item"
components:
  responses:
    A: {$ref: "#/components/responses/B"}
    B: {$ref: "#/components/responses/A"}
"""


def test_reference_cycles_are_findings(tmp_path: Path, run_cli: RunCli) -> None:
    _write(tmp_path / "spec.yaml", CYCLES)
    _write(tmp_path / "other.yaml", "item:\n  $ref: 'spec.yaml#/paths/~1across'\n")
    code, out, err = run_cli(tmp_path / "spec.yaml")
    assert code == 1 and not err
    cycles = [line for line in out.splitlines() if "reference cycle" in line]
    assert len(cycles) == 3, out  # A -> B -> A, /self, and the cycle across the two files
    assert any("spec.yaml:11:3:" in line and "other.yaml#/item" in line for line in cycles)


def test_long_reference_chain_is_cut_off(tmp_path: Path, run_cli: RunCli) -> None:
    chain = "".join(f"    R{i}: {{$ref: '#/components/responses/R{i + 1}'}}\n" for i in range(200))
    spec = GOOD.replace('"200": {description: ok}', '"201": {$ref: "#/components/responses/R0"}')
    _write(tmp_path / "spec.yaml", spec + "components:\n  responses:\n" + chain)
    code, out, _ = run_cli(tmp_path / "spec.yaml")
    assert code == 1 and "reference chain too long" in out


#: (``$ref`` as written in YAML, how the finding shows it, what it says); each once raised out of
#: the resolver (ValueError on a NUL or a fragment without "/", IsADirectoryError).
STRANGE_REFS = [
    ("a%00b.yaml#/x", "a%00b.yaml", "file name contains a NUL character"),
    ("a\\u0000b.yaml#/x", "a\\x00b.yaml", "file name contains a NUL character"),
    ("#anchor", "#anchor", "the fragment is not a JSON pointer"),
    (".", "'.'", "cannot use .: is a directory"),
    ("folder/#/x", "folder/#/x", "is a directory"),
    ("x" * 5000 + ".yaml", "xxxxxxxx.yaml'", "cannot use"),
    ("#/%ff%fe/~2", "#/%ff%fe/~2", "not found in spec.yaml"),
]


def test_strange_references_are_findings_not_crashes(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "folder").mkdir()
    refs = "".join(
        f'        "{400 + index}": {{$ref: "{ref}"}}\n'
        for index, (ref, _, _) in enumerate(STRANGE_REFS)
    )
    # A $ref to a string (not a response object) is no crash either.
    refs += '        "499": {$ref: "#/paths/~1pets/post/operationId"}\n'
    _write(tmp_path / "spec.yaml", GOOD.replace('        "200": {description: ok}\n', refs, 1))
    code, out, err = run_cli(tmp_path / "spec.yaml")
    assert code == 1 and not err
    lines = out.splitlines()
    for _, shown, message in STRANGE_REFS:
        assert any(shown in line and message in line for line in lines), (shown, out)


# ------------------------------------------------------------------------------------------
# Bytes that are not a YAML or JSON text
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expect"),
    [
        ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        ("invalid UTF-8", GOOD.encode() + b"x: caf\xe9\n", "spec.yaml:13: not valid UTF-8"),
        ("overlong UTF-8", b"openapi: 3.0.0\nx: \xc0\xaf\n", "spec.yaml:2: not valid UTF-8"),
        ("UTF-16 without BOM", GOOD.encode("utf-16-le"), "binary file"),
        ("UTF-16 BOM, broken", b"\xff\xfe" + "openapi".encode("utf-16-le") + b"\x00\xd8", "UTF-16"),
        ("empty", b"", "empty file"),
        ("blank", b"  \n\t\n\r\n", "empty file"),
        ("YAML duplicate key", GOOD.encode() + b"paths: {}\n", "spec.yaml:13: invalid YAML: dup"),
        ("two documents", GOOD.encode() + b"---\n" + GOOD.encode(), "2 YAML documents"),
        ("syntax error", b"openapi: 3.0.0\npaths: {\n  a: [\n", "spec.yaml:3: invalid YAML"),
        ("huge integer", b"openapi: 3.0.0\nx: " + b"9" * 5000 + b"\n", "spec.yaml:2: a number"),
        ("huge hex integer", b"openapi: 3.0.0\nx: 0x" + b"f" * 5000 + b"\n", "spec.yaml:2: a nu"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 30 else "",
)
def test_unusable_yaml_names_file_and_line(
    tmp_path: Path, run_cli: RunCli, name: str, content: bytes, expect: str
) -> None:
    (tmp_path / "spec.yaml").write_bytes(content)
    code, _, err = run_cli(tmp_path / "spec.yaml")
    assert code == 2, (name, err)
    assert expect in err, (name, err)


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        (
            b'{"openapi": "3.0.0",\n "paths": {},\n "info": {"title": "a",\n  "title": "b"}}',
            'spec.json:4: invalid JSON: duplicate key "title"',
        ),
        (b'{"openapi": "3.0.0", "x": 1' + b"0" * 5000 + b"}", "spec.json:1: a number with more"),
        (b'{"openapi": "3.0.0",\n "x": [1, 2,]}', "spec.json:2: invalid JSON"),
        (b'{"openapi": "3.0.0", "x": "\\ud800"}', "no findings"),  # a lone surrogate is data
    ],
    ids=["duplicate key", "huge integer", "syntax error", "lone surrogate"],
)
def test_unusable_json_names_file_and_line(
    tmp_path: Path, run_cli: RunCli, content: bytes, expect: str
) -> None:
    """JSON's duplicate keys are refused like YAML's: ``json.loads`` would silently keep the last
    one, so the spec would say one thing to this tool and maybe another to the next."""
    (tmp_path / "spec.json").write_bytes(content)
    code, out, err = run_cli(tmp_path / "spec.json")
    assert expect in err + out, err
    assert code == (0 if "no findings" in expect else 2)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-32-be", b"\x00\x00\xfe\xff"),
    ],
)
def test_byte_order_marks_are_read_and_positions_stay_right(
    tmp_path: Path, run_cli: RunCli, encoding: str, bom: bytes
) -> None:
    (tmp_path / "spec.yaml").write_bytes(bom + GOOD.encode(encoding))
    code, out, err = run_cli(tmp_path / "spec.yaml")
    assert code == 1 and not err
    assert f"spec.yaml:7:7: error {GOOD_FINDING}" in out


def test_yaml_tags_never_construct_objects(tmp_path: Path, run_cli: RunCli) -> None:
    """yaml-rs has no constructor for Python tags, and the positions code reads PyYAML's events,
    which construct nothing: the command is data, never run. The flow-style spec makes the
    positions code parse the tagged node too."""
    marker = tmp_path / "PWNED"
    payloads = [
        f'!!python/object/apply:os.system ["touch {marker}"]',
        f'!!python/object/new:subprocess.check_output [["touch", "{marker}"]]',
        '!!python/name:os.system ""',
        f'!!python/object/apply:builtins.exec ["open(\\"{marker}\\", \\"w\\")"]',
    ]
    for index, payload in enumerate(payloads):
        spec = _write(tmp_path / f"spec{index}.yaml", FLOW + f"x-evil: {payload}\n")
        code, out, err = run_cli(spec)
        # yaml-rs refuses a Python tag on a scalar and reads a tagged collection as plain data.
        refused = f"spec{index}.yaml: invalid YAML: Invalid tag (YAML tags that construct objects"
        assert (code == 2 and refused in err) or (
            code == 1 and f"spec{index}.yaml:3:48: error" in out
        ), (payload, err)
    assert not marker.exists()


def test_unusual_keys_do_not_break_the_rules(tmp_path: Path, run_cli: RunCli) -> None:
    """Complex keys (yaml-rs makes them tuples and frozensets), null, bool, float and NaN keys,
    and a mapping key inside a key (which made yaml-rs raise a bare TypeError)."""
    odd = GOOD + (
        "x-odd:\n  ? [a, b]\n  : 1\n  ? {k: v}\n  : 2\n  ~: 3\n  true: 4\n  1.5: 5\n  .nan: 6\n"
    )
    odd = odd.replace("  /pets/{id}:", "  ? [/pets]\n  : {post: {responses: {}}}\n  /pets/{id}:")
    _write(tmp_path / "odd.yaml", odd)
    code, out, err = run_cli(tmp_path / "odd.yaml")
    assert code == 1 and GOOD_FINDING in out, err
    _write(tmp_path / "keykey.yaml", GOOD + "x:\n  ? : ? : a\n")
    code, _, err = run_cli(tmp_path / "keykey.yaml")
    assert code in (0, 1, 2) and "Traceback" not in err


# ------------------------------------------------------------------------------------------
# Paths that are not ordinary files
# ------------------------------------------------------------------------------------------


def test_directories_symlink_loops_fifos_and_devices(tmp_path: Path, run_cli: RunCli) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    _write(tree / "good.yaml", GOOD)
    (tree / "up").symlink_to("..", target_is_directory=True)  # a directory loop: not followed
    (tree / "a.yaml").symlink_to("b.yaml")  # a file loop found by the walk
    (tree / "b.yaml").symlink_to("a.yaml")
    (tmp_path / "self.yaml").symlink_to("self.yaml")
    os.mkfifo(tree / "pipe.yaml")  # opening it for reading would block forever
    code, out, err = run_cli(tree, tmp_path / "self.yaml", tmp_path / "missing.yaml", os.devnull)
    assert code == 2
    assert GOOD_FINDING in out and "1 spec(s)" in out  # good.yaml was checked, once
    assert "a.yaml: cannot read: Too many levels of symbolic links" in err
    assert "self.yaml: cannot read" in err
    assert "pipe.yaml: not a regular file" in err
    assert "missing.yaml: no such file" in err
    assert f"{os.devnull}: not a regular file" in err or "null: not a regular file" in err


def test_a_ref_to_a_symlink_loop_fifo_or_directory_is_an_unresolved_ref(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "folder").mkdir()
    spec = GOOD.replace('"200": {description: ok}', '"201": {$ref: "loop.yaml#/a"}', 1)
    spec += "components:\n  responses:\n    P: {$ref: 'pipe.yaml#/a'}\n    D: {$ref: 'folder#/a'}\n"
    spec = spec.replace(
        "get:\n      responses:\n",
        "get:\n      responses:\n        '500': {$ref: '#/components/responses/P'}\n        '501': {$ref: '#/components/responses/D'}\n",
    )
    _write(tmp_path / "spec.yaml", spec)
    code, out, err = run_cli(tmp_path / "spec.yaml")
    assert code == 1 and not err
    assert "loop.yaml#/a' cannot be followed: cannot use loop.yaml: cannot read" in out


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="running as root: chmod 000 does not stop root from reading a file",
)
def test_unreadable_file(tmp_path: Path, run_cli: RunCli) -> None:
    spec = _write(tmp_path / "spec.yaml", GOOD)
    spec.chmod(0)
    try:
        code, _, err = run_cli(spec)
    finally:
        spec.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert code == 2 and "spec.yaml: permission denied" in err


def test_permission_denied_as_the_os_reports_it(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same path as ``chmod 000``, reached even when the tests run as root: the OS refusal
    itself is simulated, for the spec and for a file it references."""
    _write(
        tmp_path / "spec.yaml",
        GOOD.replace('"200": {description: ok}', '"201": {$ref: "locked.yaml#/r"}', 1),
    )
    _write(tmp_path / "locked.yaml", "r: {description: x}\n")
    real_open = os.open

    def guarded(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if os.fspath(path).endswith(("locked.yaml", "also-locked.yaml")):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", guarded)
    _write(tmp_path / "also-locked.yaml", GOOD)
    code, out, err = run_cli(tmp_path / "spec.yaml", tmp_path / "also-locked.yaml")
    assert code == 2
    assert "error: also-locked.yaml: permission denied" in err
    assert "locked.yaml#/r' cannot be followed: cannot use locked.yaml: permission denied" in out


# ------------------------------------------------------------------------------------------
# Many files: one bad file never stops the others
# ------------------------------------------------------------------------------------------


def test_one_bad_file_among_many_does_not_stop_the_others(tmp_path: Path) -> None:
    _write(tmp_path / "a_good.yaml", GOOD)
    (tmp_path / "b_binary.yaml").write_bytes(b"\x00\x01\x02openapi")
    _write(tmp_path / "c_deep.yaml", _shape("compact block sequences"))
    _write(tmp_path / "d_bomb.yaml", GOOD + billion_laughs())
    _write(tmp_path / "e_cr_deep.yaml", _shape("lone CR line breaks"))
    (tmp_path / "f_empty.yaml").write_bytes(b"")
    _write(tmp_path / "g_dup.json", '{"openapi": "3.0.0", "openapi": "3.1.0"}')
    _write(tmp_path / "h_good.json", json.dumps({"swagger": "2.0", "paths": {}}))
    _write(tmp_path / "i_good.yaml", GOOD)
    names = sorted(p.name for p in tmp_path.iterdir())
    done = run_isolated(*names, cwd=tmp_path)
    assert done.code == 2
    assert done.stdout.count(GOOD_FINDING) == 2 and "3 spec(s)" in done.stdout
    for bad in ("b_binary", "c_deep", "d_bomb", "e_cr_deep", "f_empty", "g_dup"):
        assert f"error: {bad}." in done.stderr, (bad, done.stderr)
    assert done.seconds < 15


def test_a_worker_killed_by_one_file_loses_only_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With several files, specs are checked in worker processes. A segfault (none is known any
    more; this is the net under the pre-scans) kills a worker and breaks the pool: every file it
    held is checked again alone, and only the one that kills its process again is reported."""
    import faulthandler
    import multiprocessing
    import signal

    from oas_create_check.load.read import display_path
    from oas_create_check.rules import Rule
    from oas_create_check.run import lint
    from oas_create_check.settings import Settings

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the crash is planted by patching the parent, which only fork passes on")
    for name in ("a.yaml", "b.yaml", "crash.yaml", "d.yaml", "e.yaml"):
        _write(tmp_path / name, GOOD)
    checked = lint._outcome

    def planted(item: tuple[Path, bool], settings: Settings, rules: list[Rule]) -> object:
        if item[0].name == "crash.yaml":
            faulthandler.disable()  # pytest's handler would print the worker's stack
            os.kill(os.getpid(), signal.SIGSEGV)
        return checked(item, settings, rules)

    monkeypatch.setattr(lint, "_outcome", planted)
    run = lint.lint_paths([tmp_path], Settings(), jobs=2)
    assert sorted(Path(s.file).name for s in run.specs) == ["a.yaml", "b.yaml", "d.yaml", "e.yaml"]
    assert [str(e) for e in run.errors] == [
        f"{display_path(tmp_path / 'crash.yaml')}: the checker crashed on this file: refused"
    ]


# ------------------------------------------------------------------------------------------
# A 100 MB spec
# ------------------------------------------------------------------------------------------

BIG_MB = int(os.environ.get("OAS_HOSTILE_BIG_MB", "100"))


def _big_spec(path: Path, megabytes: int) -> int:
    """A spec of ``megabytes`` MB: a few operations and a great many schemas (each with a long
    description, flow collections and a ``$ref``), the bulk a huge real spec carries."""
    schema = (
        "    Schema{i}:\n      type: object\n      description: '{pad}'\n      properties:\n"
        "        name: {{type: string, example: n{i}}}\n        id: {{type: integer}}\n"
        "        tags: {{type: array, items: {{$ref: '#/components/schemas/Schema0'}}}}\n"
    )
    pad = "d" * 300
    target = megabytes * 1024 * 1024
    with path.open("w", encoding="utf-8") as out:
        out.write(GOOD + "components:\n  schemas:\n")
        written, index = len(GOOD), 0
        while written < target:
            chunk = "".join(schema.format(i=index + k, pad=pad) for k in range(1000))
            out.write(chunk)
            written += len(chunk)
            index += 1000
    return written


@pytest.mark.slow
def test_a_100_mb_spec_finishes_in_seconds_with_bounded_memory(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    size = _big_spec(tmp_path / "big.yaml", BIG_MB)
    done = run_isolated("big.yaml", cwd=tmp_path, timeout=120)
    record_property("seconds", round(done.seconds, 1))
    record_property("peak_rss_mb", done.peak_rss // 2**20)
    print(f"{size / 2**20:.0f} MB spec: {done.seconds:.1f} s, peak {done.peak_rss / 2**20:.0f} MB")
    assert done.code == 1 and GOOD_FINDING in done.stdout
    assert done.peak_rss < 16 * size  # a parsed tree, not a blow-up
    assert done.seconds < 60


def test_a_fifo_in_the_repository_does_not_hang_the_search_for_a_fragments_roots(
    tmp_path: Path,
) -> None:
    """A commit touching only a $ref'd fragment makes the tool read the repository's YAML/JSON
    files to find the roots that include it; a named pipe among them must be skipped, not read."""
    (tmp_path / ".git").mkdir()
    _write(
        tmp_path / "openapi.yaml",
        GOOD.replace('"200": {description: ok}', '"200": {$ref: "common.yaml#/Ok"}'),
    )
    _write(tmp_path / "common.yaml", "Ok: {description: ok}\n")
    os.mkfifo(tmp_path / "pipe.yaml")
    outcome = run_isolated("common.yaml", cwd=tmp_path, timeout=30)
    assert outcome.code == 1
    assert "checking the root document(s) that $ref it: openapi.yaml" in outcome.stderr
