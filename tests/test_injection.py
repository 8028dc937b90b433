"""CI injection, end to end: a crafted spec through the real CLI, in every output format.

Spec text reaches the output: path keys, ``$ref`` strings and file names appear in messages, and
errors on stderr quote file names and parser verdicts. A spec from a pull request is attacker
text, and the output of this tool lands in a CI log, a terminal, an XML or JSON consumer. So each
run is read back the way its consumers read it:

* the GitHub Actions runner, faithfully: a line is a command when, after leading blanks, it
  starts with ``::`` (``TryParseV2``), or -- the legacy syntax it still honours -- when it
  contains ``##[`` anywhere (``TryParse``); both on stdout and stderr, for every format;
* a terminal: no escape or control character reaches it;
* XML and JSON parsers: the documents parse, and the messages come back intact.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from cli_subprocess import Outcome
from cli_subprocess import run_cli as run_isolated

from oas_create_check.report import FORMATS

#: The runner's registered commands (``ActionCommandManager``): any of these, parsed from our
#: output by either syntax, is an injection -- except our own annotations in the github format.
RUNNER_COMMANDS = {
    "set-env", "set-output", "save-state", "add-mask", "add-path", "add-matcher",
    "remove-matcher", "debug", "warning", "error", "notice", "group", "endgroup", "echo",
    "stop-commands",
}  # fmt: skip

#: Text that means something to somebody: workflow commands in both syntaxes, escapes that GitHub
#: unescapes, XML markup and CDATA ends, terminal escapes, line breaks of every kind.
PAYLOADS = [
    "\n::set-env name=PATH::/tmp/evil",
    "\r::add-mask::hidden",
    "%0A::error title=forged::fake%25",
    "##[set-output name=x;]injected",
    "##[stop-commands]tok",
    "</failure><x a='1'>]]><![CDATA[",
    "\x1b[2J\x1b[31mred\x1b]0;title\x07",
    "\x9b2J\u2028::warning::after-LS\x85::notice::after-NEL",
    "\x00\x08\x0b\x0c\x7f",
]

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


def _spec(payloads: list[str]) -> dict[str, Any]:
    """A spec (as data: it is written as JSON, which can hold every payload) with, per payload, a
    create whose path key carries it and a response ``$ref`` that does."""
    paths: dict[str, Any] = {}
    for index, payload in enumerate(payloads):
        paths[f"/p{index}{payload}"] = {
            "post": {
                "operationId": f"create{payload}",
                "summary": payload,
                "description": payload,
                "x-oas-create-check": {"kind": "create"},
                "responses": {"201": {"$ref": f"#/nope{payload}"}},
            }
        }
    return {"openapi": "3.0.0", "info": {"title": "x", "version": "1"}, "paths": paths}


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of specs: the crafted one, one whose *file name* carries commands, a broken one
    and a non-OpenAPI one with hostile names (errors and notices go to stderr)."""
    folder = tmp_path_factory.mktemp("crafted")
    spec = _spec([*PAYLOADS, "\ud800lone surrogate"])
    (folder / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    (folder / "::error title=forged::x ##[add-mask]y.json").write_text(
        json.dumps(_spec(["plain"])), encoding="utf-8"
    )
    (folder / "broken\n::set-env name=A::B ##[add-mask]z\x1b[2J.yaml").write_text(
        "openapi: 3.0.0\npaths: [\n", encoding="utf-8"
    )
    (folder / "dup.yaml").write_text(
        'openapi: 3.0.0\npaths: {}\n"##[add-mask]k\\e[2J\\n::error::x": 1\n'
        '"##[add-mask]k\\e[2J\\n::error::x": 2\n',
        encoding="utf-8",
    )
    (folder / "  ::notice::values ##[stop-commands]t.yaml").write_text("a: 1\n", encoding="utf-8")
    return folder


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def runs(crafted: Path) -> dict[str, Outcome]:
    """One run per format over every file, named on the command line."""
    return {fmt: run_isolated("--format", fmt, *_names(crafted), cwd=crafted) for fmt in FORMATS}


def _parse(line: str, registered: set[str]) -> tuple[str, str, str] | None:
    """(syntax, command, data) if the runner takes ``line`` as a command: ``TryParseV2`` first,
    then the legacy ``TryParse`` (``##[`` anywhere in the line)."""
    trimmed = line.lstrip()
    if trimmed.startswith("::"):
        end = trimmed.find("::", 2)
        name = trimmed[2:end].partition(" ")[0] if end > 0 else ""
        if name in registered:
            return "v2", name, trimmed[end + 2 :]
    start = line.find("##[")
    if start >= 0 and "]" in line[start:]:
        close = line.index("]", start)
        name = line[start + 3 : close].partition(" ")[0]
        if name in registered:
            return "v1", name, line[close + 1 :]
    return None


def runner_commands(output: str) -> list[tuple[str, str, str]]:
    """(syntax, command, line) of every command the Actions runner would obey in ``output``,
    honouring ``stop-commands``: after ``::stop-commands::TOKEN`` nothing is obeyed until a line
    that is the command ``TOKEN`` (the runner registers the token as a command to resume)."""
    obeyed = []
    token: str | None = None
    for line in re.split("\r\n|\r|\n", output):
        registered = RUNNER_COMMANDS | ({token} if token else set())
        parsed = _parse(line, registered)
        if parsed is None:
            continue
        syntax, name, data = parsed
        if token is not None:
            if name == token:
                token = None
            continue
        obeyed.append((syntax, name, line))
        if name == "stop-commands":
            token = data
    return obeyed


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_workflow_command_is_injected(runs: dict[str, Outcome], fmt: str) -> None:
    run = runs[fmt]
    assert run.code == 2  # the broken file; the others were still checked
    assert not runner_commands(run.stderr), run.stderr
    commands = runner_commands(run.stdout)
    if fmt != "github":
        assert not commands, commands
        return
    # The github format: only our own annotations, each one whole line, nothing legacy.
    for syntax, _, line in commands:
        if line.startswith("::notice title=oas-create-check::"):
            continue  # ours: how many findings were not shown as annotations
        assert syntax == "v2" and re.match(r"::(error|warning|notice) file=", line), line
        assert ",title=oas-create-check(" in line, line


def test_a_diff_quotes_the_spec_but_the_runner_obeys_none_of_it(crafted: Path) -> None:
    """A unified diff must show the spec's lines as they are (escaping would break the patch), so
    on GitHub Actions it is fenced with ``stop-commands``; ``git apply`` skips the fence."""
    spec = (
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    post:\n"
        "      operationId: createPet\n      description: |\n"
        "        ::error title=forged::obeyed\n        ##[add-mask]secret\n"
        "      responses:\n        '201':\n          description: ok ##[set-output name=x;]y\n"
    )
    folder = crafted.parent / "diff"
    folder.mkdir(exist_ok=True)
    (folder / "spec.yaml").write_text(spec, encoding="utf-8")
    plain = run_isolated("--diff", "spec.yaml", cwd=folder, env={"GITHUB_ACTIONS": ""})
    assert plain.code == 1 and "##[set-output name=x;]y" in plain.stdout
    assert [name for _, name, _ in runner_commands(plain.stdout)] == ["set-output"]
    on_ci = run_isolated("--diff", "spec.yaml", cwd=folder, env={"GITHUB_ACTIONS": "true"})
    assert on_ci.code == 1 and "##[set-output name=x;]y" in on_ci.stdout
    assert [name for _, name, _ in runner_commands(on_ci.stdout)] == ["stop-commands"]
    assert not runner_commands(on_ci.stderr)
    (folder / "fix.patch").write_text(on_ci.stdout, encoding="utf-8")
    if shutil.which("git"):
        applied = subprocess.run(
            ["git", "apply", "--check", "fix.patch"], cwd=folder, capture_output=True, check=False
        )
        assert applied.returncode == 0, applied.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_terminal_escape_or_control_character_reaches_the_output(
    runs: dict[str, Outcome], fmt: str
) -> None:
    run = runs[fmt]
    for stream in (run.stdout, run.stderr):
        assert not re.search(
            "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", stream.replace("\r\n", "\n")
        )


def test_text_format_is_one_line_per_finding(runs: dict[str, Outcome]) -> None:
    findings = json.loads(runs["json"].stdout)["findings"]
    checked = [f for f in findings if f["rule"] != "parse-error"]  # those go to stderr
    lines = runs["text"].stdout.splitlines()
    hint = [line for line in lines if line.startswith("[*] ")]
    assert len(lines) == len(checked) + len(hint) + 1  # and the summary
    # Every payload, the lone surrogate, and the spec whose file name is the payload.
    assert sum("[unresolved-ref]" in line for line in lines) == len(PAYLOADS) + 2
    assert any(line.startswith("./::error title=forged::x #\\x23[add-mask]") for line in lines)
    assert "#\\x23[set-output" in runs["text"].stdout  # shown, not obeyed


def test_stderr_names_the_bad_files_safely(runs: dict[str, Outcome]) -> None:
    err = runs["text"].stderr
    assert (
        "error: broken\\n::set-env name=A::B #\\x23[add-mask]z\\x1b[2J.yaml:2: invalid YAML" in err
    )
    assert "dup.yaml:4: invalid YAML: duplicate mapping key" in err
    assert "note:   ::notice::values #\\x23[stop-commands]t.yaml: not an OpenAPI" in err


def test_json_and_gitlab_give_the_spec_text_back_exactly(runs: dict[str, Outcome]) -> None:
    report = json.loads(runs["json"].stdout)
    paths = {f["path"] for f in report["findings"]}
    for index, payload in enumerate(PAYLOADS):
        assert f"/p{index}{payload}" in paths
    assert any("\ud800" in path for path in paths)
    issues = json.loads(runs["gitlab"].stdout)
    assert sorted(i["description"] for i in issues) == sorted(
        f["message"] for f in report["findings"]
    )


def test_sarif_is_valid_and_complete(runs: dict[str, Outcome]) -> None:
    sarif = json.loads(runs["sarif"].stdout)
    jsonschema.validate(sarif, json.loads(SCHEMA.read_text(encoding="utf-8")))
    results = sarif["runs"][0]["results"]
    assert len(results) == len(json.loads(runs["json"].stdout)["findings"])
    texts = " ".join(r["message"]["text"] for r in results)
    assert "##[set-output name=x;]injected" in texts  # intact for a SARIF reader


def test_junit_parses_and_keeps_every_failure(runs: dict[str, Outcome]) -> None:
    tree = ET.fromstring(runs["junit"].stdout.encode("utf-8"))
    failures = [e for tag in ("failure", "error", "system-out") for e in tree.iter(tag)]
    listed = sum(
        len(re.findall(r":\d+:\d+: (?:error|warning|info) \[", f.text or "")) for f in failures
    )
    assert listed == len(json.loads(runs["json"].stdout)["findings"])
    messages = " ".join(f.get("message", "") + (f.text or "") for f in failures)
    assert "##[stop-commands]tok" in messages  # the XML reader gets the text back
    assert "</failure><x a='1'>]]>" in messages
    assert "\n::set-env name=PATH::/tmp/evil" in messages
