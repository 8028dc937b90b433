"""The CI formats (github, sarif, gitlab, junit), each read back the way its consumer reads it.

Every test renders the one shared report of ``reporter_cases``; a format is right when a real
parser of that format gets back exactly the findings that went in, and nothing else.
"""

from __future__ import annotations

import json
import re
import xml.dom.minidom
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from reporter_cases import (
    CLEAN,
    FILES,
    FINDINGS,
    NASTY_MESSAGE,
    NASTY_MESSAGE_CLEAN,
    ODD,
    REPORT,
    RULES,
    SHARED,
    shifted,
)

from oas_create_check.escape import defused
from oas_create_check.model import Finding, Severity
from oas_create_check.report import (
    Report,
    by_importance,
    get_renderer,
    github_format,
    gitlab_format,
    junit_format,
    sarif_format,
)

SCHEMA_PATH = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"

#: Characters a runner, a log shim or ``str.splitlines`` may treat as the end of a line.
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


# --------------------------------------------------------------------------------------------
# GitHub: a parser that reads output the way the Actions runner does
# --------------------------------------------------------------------------------------------


@dataclass
class WorkflowCommand:
    name: str
    properties: dict[str, str]
    data: str


def _unescape_data(text: str) -> str:
    # The runner's order: %0D and %0A first, %25 last, so that an escaped "%0A" stays literal.
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_workflow_commands(output: str) -> tuple[list[WorkflowCommand], list[str]]:
    """Commands and plain lines of a step's output: a line is a command when, after leading
    whitespace, it starts with ``::``; the command info runs to the next ``::``; properties are
    comma-separated ``key=value`` pairs."""
    commands: list[WorkflowCommand] = []
    plain: list[str] = []
    for raw in re.split("\r\n|\r|\n", output):
        line = raw.lstrip()
        end = line.find("::", 2) if line.startswith("::") else -1
        if end < 0:
            if raw:
                plain.append(raw)
            continue
        info = line[2:end]
        name, _, props = info.partition(" ")
        properties: dict[str, str] = {}
        for pair in filter(None, props.split(",")):
            key, _, value = pair.partition("=")
            properties[key] = _unescape_property(value)
        commands.append(WorkflowCommand(name, properties, _unescape_data(line[end + 2 :])))
    return commands, plain


def _sorted(findings: tuple[Finding, ...] | list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def test_github_one_command_per_finding_and_nothing_else() -> None:
    output = github_format.render(REPORT)
    commands, plain = parse_workflow_commands(output)
    assert plain == []
    assert len(commands) == len(FINDINGS)
    assert output.count("\n") == len(FINDINGS)
    assert output.endswith("\n")
    assert [c.name for c in commands] == [
        {"error": "error", "warning": "warning", "info": "notice"}[f.severity.label]
        for f in by_importance(FINDINGS, list(RULES))
    ]
    # No injected command survives as one: add-mask and set-env exist only inside data.
    assert {c.name for c in commands} <= {"error", "warning", "notice"}


def test_github_round_trips_messages_files_and_positions() -> None:
    commands, _ = parse_workflow_commands(github_format.render(REPORT))
    for command, finding in zip(commands, by_importance(FINDINGS, list(RULES)), strict=True):
        expected = NASTY_MESSAGE_CLEAN if finding.message == NASTY_MESSAGE else finding.message
        assert command.data == expected
        assert command.properties["file"] == finding.file
        assert command.properties["line"] == str(finding.line)
        assert command.properties["col"] == str(finding.column)
        assert command.properties["title"] == f"oas-create-check({finding.rule})"
        if finding.end_line is not None:
            assert command.properties["endLine"] == str(finding.end_line)
            assert command.properties["endColumn"] == str(finding.end_column)
        else:
            assert "endLine" not in command.properties
    assert {c.properties["file"] for c in commands} == {f.file for f in FINDINGS}


def test_github_output_has_no_control_characters_or_breaks_inside_a_line() -> None:
    output = github_format.render(REPORT)
    for line in output.split("\n")[:-1]:
        assert not LINE_BREAKS.search(line)
        assert not re.search("[\x00-\x08\x0e-\x1f\x7f-\x9f]", line)
        assert re.match(r"::(error|warning|notice) file=[^:]*::", line), line


def test_github_escaping_is_the_toolkits() -> None:
    assert github_format.escape_data("100%\r\n:,") == "100%25%0D%0A:,"
    assert github_format.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    # A literal "%0A" must not come back as a newline.
    assert _unescape_data(github_format.escape_data("%0A")) == "%0A"


def test_github_neutralises_terminal_escapes() -> None:
    assert github_format.clean("\x1b[1;31mred\x1b[0m") == "red"
    assert github_format.clean("\x9b2Jx") == "x"
    assert github_format.clean("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"
    # An unterminated OSC loses its introducer only, not the rest of the message.
    assert github_format.clean("a\x1b]0;rest of message") == "a0;rest of message"
    assert github_format.clean("lone \ud800 surrogate") == "lone \ufffd surrogate"


def test_github_empty_report_prints_nothing() -> None:
    assert github_format.render(Report(findings=(), files=FILES)) == ""


# --------------------------------------------------------------------------------------------
# SARIF
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def test_vendored_schema_is_the_oasis_one(sarif_schema: dict[str, Any]) -> None:
    assert (
        sarif_schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    )
    assert sarif_schema["id"] == sarif_format.SCHEMA_URI
    assert sarif_schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")


@pytest.mark.parametrize(
    "report",
    [REPORT, shifted(REPORT, 5), Report(findings=()), Report(findings=FINDINGS)],
    ids=["shared", "shifted", "empty", "no-rule-docs"],
)
def test_sarif_is_valid_against_the_official_schema(
    report: Report, sarif_schema: dict[str, Any]
) -> None:
    log = json.loads(sarif_format.render(report))
    validator_class = jsonschema.validators.validator_for(sarif_schema)
    validator_class.check_schema(sarif_schema)
    errors = sorted(validator_class(sarif_schema).iter_errors(log), key=str)
    assert errors == []


def test_sarif_driver_lists_every_rule() -> None:
    log = json.loads(sarif_format.render(REPORT))
    assert log["version"] == "2.1.0"
    assert log["$schema"] == sarif_format.SCHEMA_URI
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "oas-create-check"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == list(RULES)
    for rule in driver["rules"]:
        doc = RULES[rule["id"]]
        assert rule["shortDescription"]["text"] == doc.summary
        assert rule["fullDescription"]["text"] == doc.section("What it does")
        assert "## Why is this bad?" in rule["help"]["markdown"]
        assert "Fix safety" in rule["help"]["text"]
        assert "## Options" not in rule["help"]["markdown"]  # empty sections are left out
        level = {"error": "error", "warning": "warning", "info": "note"}[doc.severity.label]
        assert rule["defaultConfiguration"]["level"] == level
        assert "openapi" in rule["properties"]["tags"]


def test_sarif_results_locate_each_finding() -> None:
    log = json.loads(sarif_format.render(REPORT))
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(FINDINGS)
    for result, finding in zip(results, _sorted(FINDINGS), strict=True):
        assert result["ruleId"] == finding.rule
        assert rules[result["ruleIndex"]]["id"] == finding.rule
        assert result["level"] == {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(
            finding.severity, "note"
        )
        assert result["message"]["text"] == finding.message  # JSON carries anything faithfully
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert unquote(physical["artifactLocation"]["uri"]) == finding.file
        region = physical["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
        assert region.get("endLine") == finding.end_line
        assert region.get("endColumn") == finding.end_column
        assert location["logicalLocations"] == [{"fullyQualifiedName": finding.pointer}]
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith(
        "skipped"
    )


#: RFC 3986 relative-ref with a path and nothing else: unreserved, sub-delims, ":", "@", "/" and
#: percent-encoded octets, and no ":" before the first "/" (it would be read as a scheme).
_PCHAR = r"[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2}"
URI_PATH = re.compile(rf"(?:{_PCHAR})(?:{_PCHAR}|:)*")


def test_sarif_uris_are_percent_encoded_uri_references() -> None:
    log = json.loads(sarif_format.render(REPORT))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert "specs/my%20api%2C%20v2%3A%20draft%20100%25%20%231.yaml" in uris
    for uri in uris:
        assert URI_PATH.fullmatch(uri), uri
        assert not uri.split("/")[0].count(":")


def test_sarif_absolute_and_windows_paths() -> None:
    assert sarif_format.artifact_location("/tmp/a b.yaml") == {"uri": "file:///tmp/a%20b.yaml"}
    assert sarif_format.artifact_location("C:\\specs\\x.yaml") == {"uri": "file:///C:/specs/x.yaml"}
    assert sarif_format.artifact_location("./api/x.yaml") == {
        "uri": "api/x.yaml",
        "uriBaseId": "%SRCROOT%",
    }


def _sarif_fingerprints(report: Report) -> list[str]:
    log = json.loads(sarif_format.render(report))
    return [
        r["partialFingerprints"][sarif_format.FINGERPRINT_KEY] for r in log["runs"][0]["results"]
    ]


def test_sarif_fingerprints_are_unique_and_survive_moved_lines() -> None:
    before = _sarif_fingerprints(REPORT)
    after = _sarif_fingerprints(shifted(REPORT, 5))
    assert len(set(before)) == len(before)
    assert before == after
    # Arrival order does not matter either.
    reversed_report = replace(REPORT, findings=tuple(reversed(FINDINGS)))
    assert _sarif_fingerprints(reversed_report) == before


def test_sarif_fingerprint_changes_with_what_identifies_a_finding() -> None:
    (base,) = sarif_format.fingerprints([FINDINGS[0]])
    changes: list[dict[str, Any]] = [
        {"rule": "other-rule"},
        {"file": "api/other.yaml"},
        {"pointer": "/paths/~1pets/put"},
        {"path": "/cats"},
        {"method": "put"},
    ]
    for change in changes:
        assert sarif_format.fingerprints([replace(FINDINGS[0], **change)]) != [base]
    # Neither rewording nor moving a finding changes it.
    same = replace(FINDINGS[0], message="reworded", line=99, column=1, end_line=None)
    assert sarif_format.fingerprints([same]) == [base]


def test_sarif_rule_without_documentation_still_has_an_index() -> None:
    log = json.loads(sarif_format.render(Report(findings=FINDINGS)))
    run = log["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert sorted(ids) == sorted({f.rule for f in FINDINGS})
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    assert "version" not in run["tool"]["driver"]


# --------------------------------------------------------------------------------------------
# GitLab Code Quality
# --------------------------------------------------------------------------------------------


def test_gitlab_issues() -> None:
    issues = json.loads(gitlab_format.render(REPORT))
    assert isinstance(issues, list)
    assert len(issues) == len(FINDINGS)
    for issue, finding in zip(issues, _sorted(FINDINGS), strict=True):
        assert issue["check_name"] == finding.rule
        assert issue["description"] == finding.message
        assert (
            issue["severity"]
            == {"error": "major", "warning": "minor", "info": "info"}[finding.severity.label]
        )
        assert issue["location"]["path"] == finding.file
        assert issue["location"]["lines"]["begin"] == finding.line
        assert issue["categories"] and all(isinstance(c, str) for c in issue["categories"])
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]


def test_gitlab_fingerprints_are_unique_and_stable() -> None:
    before = [i["fingerprint"] for i in json.loads(gitlab_format.render(REPORT))]
    after = [i["fingerprint"] for i in json.loads(gitlab_format.render(shifted(REPORT, 5)))]
    assert len(set(before)) == len(before)
    assert before == after


def test_gitlab_empty_report_is_an_empty_array() -> None:
    assert json.loads(gitlab_format.render(Report(findings=()))) == []


# --------------------------------------------------------------------------------------------
# JUnit
# --------------------------------------------------------------------------------------------


def _reported(element: ET.Element) -> int:
    """How many findings a JUnit element's text lists (one ``file:line:col: severity [rule]``
    line each)."""
    text = element.text or ""
    return len(re.findall(r":\d+:\d+: (?:error|warning|info) \[", text))


def test_junit_parses_with_element_tree() -> None:
    """A suite per file; a test per operation, named METHOD PATH; failures only at --fail-on
    (warning here); the info findings in the test's system-out."""
    root = ET.fromstring(junit_format.render(REPORT).encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [*FILES, SHARED]
    by_file = {s.get("name"): s for s in suites}
    listed = 0
    for file in [*FILES, SHARED]:
        expected = [f for f in FINDINGS if f.file == file]
        suite = by_file[file]
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        if not expected:
            assert [(c.get("name"), c.find("failure")) for c in cases] == [
                ("oas-create-check", None)
            ]
            continue
        operations = {f"{f.method.upper()} {f.path}" for f in expected}
        assert sorted(c.get("name") or "" for c in cases) == sorted(operations)
        failing = {
            f"{f.method.upper()} {f.path}" for f in expected if f.severity >= Severity.WARNING
        }
        for case in cases:
            assert case.get("classname") == file
            failure = case.find("failure")
            assert (failure is not None) == (case.get("name") in failing)
            out = case.find("system-out")
            listed += (_reported(failure) if failure is not None else 0) + (
                _reported(out) if out is not None else 0
            )
            if failure is not None:
                assert failure.get("type") in {f.rule for f in expected}
        assert suite.get("failures") == str(len(failing & operations))
    assert listed == len(FINDINGS)
    assert root.get("failures") == str(len(root.findall(".//failure")))
    assert by_file[CLEAN].find("testcase") is not None
    assert by_file[ODD].get("name") == ODD


def test_junit_names_survive_moved_lines_and_info_never_fails() -> None:
    def names(report: Report) -> list[str]:
        root = ET.fromstring(junit_format.render(report).encode("utf-8"))
        return [f"{c.get('classname')}::{c.get('name')}" for c in root.iter("testcase")]

    assert names(REPORT) == names(shifted(REPORT, 5))
    infos = Report(findings=[f for f in FINDINGS if f.severity is Severity.INFO])
    root = ET.fromstring(junit_format.render(infos).encode("utf-8"))
    assert root.get("failures") == "0" and root.findall(".//failure") == []
    assert root.findall(".//system-out")
    at_info = replace(infos, fail_on=Severity.INFO)
    assert ET.fromstring(junit_format.render(at_info).encode("utf-8")).get("failures") == "1"


def test_junit_parses_with_minidom() -> None:
    document = xml.dom.minidom.parseString(junit_format.render(REPORT).encode("utf-8"))
    assert len(document.getElementsByTagName("testsuite")) == len(FILES) + 1
    texts = [
        node.getAttribute("message") + "".join(child.data for child in node.childNodes)
        for node in document.getElementsByTagName("failure")
    ]
    assert any("::add-mask::x" in text and "after-LS\ttab" in text for text in texts)


@pytest.mark.parametrize(
    "bad", ["\x00", "\x01\x02", "\ud800", "\ufffe", "\uffff", "]]>", "\x1b[2J"]
)
def test_junit_is_well_formed_whatever_the_message(bad: str) -> None:
    finding = replace(FINDINGS[0], message=f"before{bad}after", file=f"odd{bad}.yaml")
    text = junit_format.render(Report(findings=(finding,)))
    root = ET.fromstring(text.encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    message = failure.get("message")
    assert message is not None and message.startswith("before") and message.endswith("after")
    assert failure.text is not None and "before" in failure.text


# --------------------------------------------------------------------------------------------
# Across formats
# --------------------------------------------------------------------------------------------


def _count(fmt: str, report: Report) -> int:
    output = get_renderer(fmt)(report)
    if fmt == "github":
        return len(parse_workflow_commands(output)[0])
    if fmt == "sarif":
        return len(json.loads(output)["runs"][0]["results"])
    if fmt == "gitlab":
        return len(json.loads(output))
    root = ET.fromstring(output.encode("utf-8"))
    return sum(_reported(e) for tag in ("failure", "error", "system-out") for e in root.iter(tag))


@pytest.mark.parametrize("report", [REPORT, shifted(REPORT, 5), Report(findings=())])
def test_all_formats_agree_on_the_number_of_findings(report: Report) -> None:
    counts = {fmt: _count(fmt, report) for fmt in ("github", "sarif", "gitlab", "junit")}
    assert set(counts.values()) == {len(report.findings)}, counts


@pytest.mark.parametrize(
    ("fmt", "module"),
    [
        ("github", github_format),
        ("sarif", sarif_format),
        ("gitlab", gitlab_format),
        ("junit", junit_format),
    ],
)
def test_formats_are_found_by_name(fmt: str, module: Any) -> None:
    # get_renderer adds only the CI-log defusing (``reporters.defused``) to the module's render.
    assert get_renderer(fmt)(REPORT) == defused(fmt, module.render(REPORT))
