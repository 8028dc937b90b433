"""What a new user meets: unreadable files as findings in every format, checked suppressions and
config, the terminal's layouts, colour, statistics and hints, ``-o`` by extension, stdin, and the
rule pages with their sources."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, RunCli
from test_reporters_ci import parse_workflow_commands

from oas_create_check.report import FORMATS, pascal_case, rule_url
from oas_create_check.report import rule_docs as docs
from oas_create_check.rules import all_rules

PETSTORE = FIXTURES / "specs" / "petstore.yaml"
BROKEN = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: [\n"


def spec_with(extension: str, response_extension: str = "") -> str:
    return f"""openapi: 3.0.0
info: {{title: s, version: "1"}}
paths:
  /pets:
    post:
      operationId: createPet
      x-oas-create-check: {extension}
      responses:
        "201":
          description: created
          {response_extension}
  /pets/{{id}}:
    get:
      responses: {{"200": {{description: one}}}}
"""


# --------------------------------------------------------------------------------------------
# A file that cannot be read or parsed
# --------------------------------------------------------------------------------------------


def _rules_in(fmt: str, out: str) -> list[str]:
    if fmt == "json":
        return [f["rule"] for f in json.loads(out)["findings"]]
    if fmt == "sarif":
        return [r["ruleId"] for r in json.loads(out)["runs"][0]["results"]]
    if fmt == "gitlab":
        return [issue["check_name"] for issue in json.loads(out)]
    if fmt == "github":
        return [c.properties["title"][17:-1] for c in parse_workflow_commands(out)[0]]
    if fmt == "junit":
        root = ET.fromstring(out.encode("utf-8"))
        return [e.get("type") or "" for e in root.iter("error")]
    assert fmt == "markdown"
    return re.findall(r"\[`([\w-]+)`\]", out)


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "github", "junit", "markdown"])
def test_a_broken_file_is_a_parse_error_finding_in_every_machine_format(
    fmt: str, tmp_path: Path, run_cli: RunCli
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    code, out, err = run_cli("--format", fmt, broken, PETSTORE)
    assert code == 2
    assert "broken.yaml:4: invalid YAML" in err
    assert "parse-error" in _rules_in(fmt, out)
    if fmt == "sarif":
        result = next(
            r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "parse-error"
        )
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == 4
        assert json.loads(out)["runs"][0]["invocations"][0]["executionSuccessful"] is False
    if fmt == "gitlab":
        issue = next(i for i in json.loads(out) if i["check_name"] == "parse-error")
        assert issue["location"]["lines"]["begin"] == 4 and issue["severity"] == "major"


def test_a_run_whose_only_file_is_missing_does_not_read_like_a_pass(
    tmp_path: Path, run_cli: RunCli
) -> None:
    code, out, err = run_cli(tmp_path / "missing.yaml")
    assert code == 2 and "missing.yaml: no such file" in err
    assert "no findings" not in out
    assert (
        out.strip()
        == "nothing checked: 1 file(s) could not be read or parsed (see the errors above)"
    )
    code, out, _ = run_cli("--format", "json", tmp_path / "missing.yaml")
    assert json.loads(out)["summary"]["unreadable"] == 1


# --------------------------------------------------------------------------------------------
# Suppressions
# --------------------------------------------------------------------------------------------


def test_a_misspelt_rule_in_a_suppression_is_an_error_with_a_suggestion(
    tmp_path: Path, run_cli: RunCli
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(spec_with("{ignore: [create-location-headers]}"), encoding="utf-8")
    code, out, _ = run_cli("--format", "json", spec)
    findings = json.loads(out)["findings"]
    bad = [f for f in findings if f["rule"] == "invalid-suppression"]
    assert code == 1 and len(bad) == 1
    assert bad[0]["severity"] == "error" and bad[0]["line"] == 7
    assert "did you mean 'create-location-header'?" in bad[0]["message"]
    # and the misspelt suppression hides nothing
    assert "create-location-header" in {f["rule"] for f in findings}


def test_unused_suppressions_are_reported_on_request(tmp_path: Path, run_cli: RunCli) -> None:
    spec = tmp_path / "api.yaml"
    text = spec_with(
        "{ignore: [create-location-header, create-status-201]}",
        "x-oas-create-check: {ignore: [all]}",
    )
    spec.write_text(text, encoding="utf-8")
    code, out, _ = run_cli("--format", "json", spec)
    assert code == 1
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["create-duplicate-policy"]
    code, out, _ = run_cli("--format", "json", "--report-unused-suppressions", spec)
    assert code == 1
    unused = [f for f in json.loads(out)["findings"] if f["rule"] == "unused-suppression"]
    # create-status-201 hides nothing (there is a 201); the response's 'all' hides the finding
    # about its empty body (the operation's own suppression already hid the Location finding).
    assert sorted((f["line"], f["message"].split(" here")[0]) for f in unused) == [
        (7, "x-oas-create-check ignores create-status-201"),
    ]
    code, out, _ = run_cli(
        "--format",
        "json",
        "--report-unused-suppressions",
        "--ignore",
        "created-response-body",
        spec,
    )
    unused = [f for f in json.loads(out)["findings"] if f["rule"] == "unused-suppression"]
    assert sorted((f["line"], f["message"].split(" here")[0]) for f in unused) == [
        (7, "x-oas-create-check ignores create-status-201"),
        (11, "x-oas-create-check ignores every rule"),
    ]
    # Only rules that ran are judged.
    _code, out, _ = run_cli(
        "--format",
        "json",
        "--report-unused-suppressions",
        "--select",
        "create-location-header",
        spec,
    )
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["unused-suppression"]


def test_all_works_on_the_command_line_and_in_config(tmp_path: Path, run_cli: RunCli) -> None:
    assert run_cli("--ignore", "all", PETSTORE)[0] == 0
    code, out, _ = run_cli("--select", "all", "--format", "json", PETSTORE)
    assert code == 1 and json.loads(out)["findings"]
    config = tmp_path / "c.toml"
    config.write_text('ignore = ["all"]\n', encoding="utf-8")
    assert run_cli("--config", config, PETSTORE)[0] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--select", "create-status-201", "--ignore", "create-status-201"],
        ["--select", "create-status-201,create-location-header", "--ignore", "all"],
    ],
)
def test_selecting_and_ignoring_one_rule_is_a_usage_error(args: list[str], run_cli: RunCli) -> None:
    code, _, err = run_cli(*args, PETSTORE)
    assert code == 2 and "both name" in err


# --------------------------------------------------------------------------------------------
# Config typos
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            '[tool.oas_create_check]\nselect = ["create-status-201"]\n',
            "[tool.oas_create_check] is not read: the table is [tool.oas-create-check]",
        ),
        ('[tool.oas-create-check]\nfail-onn = "error"\n', "did you mean 'fail-on'?"),
        ('[tool.oas-create-check]\nignroe = ["all"]\n', "did you mean 'ignore'?"),
        (
            '[tool.oas-create-check]\nselect = ["create-staus-201"]\n',
            "names unknown rules: create-staus-201; did you mean 'create-status-201'?",
        ),
        (
            "[tool.oas-create-check.severity]\ncreate-location-headr = 'info'\n",
            "did you mean 'create-location-header'?",
        ),
        (
            '[tool.oas-create-check]\nselect = ["unresolved-ref"]\nignore = ["unresolved-ref"]\n',
            "'select' and 'ignore' both name unresolved-ref",
        ),
    ],
)
def test_config_typos_are_errors_with_a_suggestion(
    config: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(PETSTORE)
    assert code == 2 and message in err, err


def test_unknown_rule_names_get_a_suggestion_everywhere(run_cli: RunCli) -> None:
    code, _, err = run_cli("--ignore", "create-duplicate-polcy", PETSTORE)
    assert code == 2 and "did you mean 'create-duplicate-policy'?" in err
    code, _, err = run_cli("rule", "create-location")
    assert code == 2 and "did you mean 'create-location-header'?" in err


# --------------------------------------------------------------------------------------------
# The terminal
# --------------------------------------------------------------------------------------------


def _cli(*args: str | Path, env: dict[str, str] | None = None, tty: bool = False) -> str:
    """The CLI's stdout in a child, on a pseudo-terminal when ``tty``."""
    command = [sys.executable, "-m", "oas_create_check", *map(str, args)]
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env or {})
    environment.pop("GITHUB_ACTIONS", None)
    if not tty:
        return subprocess.run(
            command, capture_output=True, text=True, env=environment, timeout=60
        ).stdout
    import pty

    leader, follower = pty.openpty()
    child = subprocess.Popen(command, stdout=follower, stderr=subprocess.DEVNULL, env=environment)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    child.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_a_terminal_gets_colour_and_findings_grouped_by_file() -> None:
    shown = _cli(PETSTORE, tty=True)
    assert "\x1b[" in shown
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    lines = plain.splitlines()
    assert lines[0].endswith("petstore.yaml") and lines[1].startswith("  26:7  ")
    assert lines[-1].startswith("3 finding(s)")


@pytest.mark.parametrize(
    ("env", "tty", "coloured"),
    [
        ({"NO_COLOR": "1"}, True, False),
        ({"TERM": "dumb"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "0"}, False, False),
        ({}, False, False),
    ],
)
def test_colour_honours_no_color_and_force_color(
    env: dict[str, str], tty: bool, coloured: bool
) -> None:
    assert ("\x1b[" in _cli(PETSTORE, env=env, tty=tty)) == coloured


def test_concise_keeps_one_line_per_finding_on_a_terminal() -> None:
    lines = _cli("--format", "concise", PETSTORE, tty=True, env={"NO_COLOR": "1"}).splitlines()
    assert all(
        re.match(r".*petstore\.yaml:\d+:\d+: (error|warning) \[", line) for line in lines[:2]
    )


def test_statistics_and_the_fixable_hint(run_cli: RunCli) -> None:
    _code, out, _ = run_cli("--statistics", PETSTORE)
    lines = out.splitlines()
    assert re.match(r"^\s+1  create-duplicate-policy\s+warning  \(1 fixable\)$", lines[3])
    assert re.match(r"^\s+1  create-invalid-input-response\s+warning  \(1 fixable\)$", lines[4])
    assert re.match(r"^\s+1  create-status-201\s+error    \(1 fixable\)$", lines[5])
    assert "[*] 2 fixable with --fix (1 more with --fix --unsafe-fixes)" in lines
    assert lines[-1].startswith("3 finding(s)")


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("report.json", lambda text: "findings" in json.loads(text)),
        ("report.sarif", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("report.sarif.json", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("report.xml", lambda text: ET.fromstring(text).tag == "testsuites"),
        ("report.md", lambda text: text.startswith("## oas-create-check")),
        ("report.txt", lambda text: "[create-status-201]" in text and "\x1b" not in text),
    ],
)
def test_output_infers_the_format_from_the_extension(
    name: str, check: object, tmp_path: Path, run_cli: RunCli
) -> None:
    code, out, _ = run_cli("-o", tmp_path / name, PETSTORE)
    assert code == 1 and "[create-status-201]" in out  # the terminal still gets text
    assert check((tmp_path / name).read_text(encoding="utf-8"))  # type: ignore[operator]


def test_an_unknown_extension_needs_a_format(tmp_path: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli("-o", tmp_path / "report.out", PETSTORE)
    assert code == 2 and "give --format" in err
    assert run_cli("-f", "json", "-o", tmp_path / "report.out", PETSTORE)[0] == 1


def test_stdin_with_a_file_name_for_positions_refs_and_config(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "pyproject.toml").write_text(
        '[tool.oas-create-check]\nselect = ["create-status-201"]\n', encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "oas_create_check", "-", "--stdin-filename", "api/pets.yaml"],
        input=PETSTORE.read_bytes(),
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
    )
    out = done.stdout.decode()
    assert done.returncode == 1, done.stderr
    assert out.splitlines()[0].startswith("api/pets.yaml:26:7: error [create-status-201]")
    assert "create-duplicate-policy" not in out  # the config beside the named file was read
    plain = subprocess.run(
        [sys.executable, "-m", "oas_create_check", "-f", "github", "-"],
        input=BROKEN.encode(),
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert plain.returncode == 2
    assert plain.stdout.decode().startswith("::error file=<stdin>,line=4")


@pytest.mark.parametrize("option", ["--fix", "--diff"])
def test_stdin_cannot_be_fixed_in_place(option: str, run_cli: RunCli) -> None:
    code, _, err = run_cli(option, "-")
    assert code == 2 and "cannot be used with '-'" in err


def test_help_shows_the_choices() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "oas_create_check", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert f"[{'|'.join(FORMATS)}]" in done.stdout
    assert "--fail-on [error|warning|info]" in done.stdout


# --------------------------------------------------------------------------------------------
# Rule pages and SARIF rule metadata
# --------------------------------------------------------------------------------------------


def test_the_rule_pages_are_current(tmp_path: Path) -> None:
    """``docs/rules/NAME.md`` are generated from each rule's documentation: a stale or missing
    page fails here (``python -m oas_create_check.report.rule_docs --write-pages`` rewrites)."""
    committed = {page.name: page.read_text(encoding="utf-8") for page in docs.PAGES.glob("*.md")}
    assert committed == docs.pages()


def test_every_rule_page_cites_its_sources_with_urls() -> None:
    for rule in all_rules().values():
        cited = docs.sources(rule.doc)
        assert cited, f"{rule.id} cites no source"
        assert all(url.startswith("https://") for _, url in cited)
    creation = docs.sources(all_rules()["create-status-201"].doc)
    assert ("RFC 9110 §15.3.2", "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.2") in creation
    assert any("aip.dev/133" in url for _, url in creation)
    idempotency = docs.sources(all_rules()["idempotency-key-contract"].doc)
    assert any("draft-ietf-httpapi-idempotency-key-header" in url for _, url in idempotency)


def test_rule_prints_its_page(run_cli: RunCli) -> None:
    code, out, _ = run_cli("rule", "create-location-header")
    assert code == 0 and f"Documentation: {rule_url('create-location-header')}" in out
    assert rule_url("create-location-header").endswith("/docs/rules/create-location-header.md")


def test_sarif_rules_have_a_friendly_name_a_help_uri_and_fixes(run_cli: RunCli) -> None:
    _code, out, _ = run_cli("--format", "sarif", PETSTORE)
    run = json.loads(out)["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["name"] == pascal_case(rule["id"]) != rule["id"]
        assert rule["helpUri"] == rule_url(rule["id"])
    assert pascal_case("create-status-201") == "CreateStatus201"
    fixes = {r["ruleId"]: r.get("fixes") for r in run["results"]}
    (fix,) = fixes["create-duplicate-policy"]
    (change,) = fix["artifactChanges"]
    # the 409 is defined once in components/responses and $ref'd: two insertions, applied
    # from the end so that the earlier offsets stay right
    replacements = change["replacements"]
    assert len(replacements) == 2
    patched = PETSTORE.read_text(encoding="utf-8")
    for replacement in sorted(replacements, key=lambda r: -r["deletedRegion"]["charOffset"]):
        offset = replacement["deletedRegion"]["charOffset"]
        patched = patched[:offset] + replacement["insertedContent"]["text"] + patched[offset:]
    assert '"409":' in patched and "Conflict:" in patched
    assert '$ref: "#/components/responses/Conflict"' in patched
    assert "unsafe" in fixes["create-status-201"][0]["description"]["text"]


def test_the_readme_stays_short() -> None:
    assert len((REPO / "README.md").read_bytes()) <= 12_288


def test_tests_that_need_the_corpus_say_where_it_goes() -> None:
    from conftest import CORPUS, needs_corpus

    reason = needs_corpus.kwargs["reason"]
    assert "shared/corpus" in reason and str(CORPUS) in reason and "CI copies" in reason
