"""SARIF 2.1.0, shaped for GitHub code scanning.

Code scanning keeps an alert open across pushes by matching ``partialFingerprints``; had they
included line numbers, every edit above a finding would close its alert and open a new one. So a
fingerprint hashes only what identifies the problem, not where it currently sits: rule, file, JSON
pointer, API path and method. Every rule the tool knows is listed in ``tool.driver.rules``, not only
those that fired, so the rule help is in the log from the first upload and a rule that stops firing
can still be looked up.

This module also owns the two pieces the GitLab format shares (``repo_path`` and ``fingerprints``),
so that both CI systems identify a finding the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from oas_create_check.model import Finding, RuleDoc, Severity
from oas_create_check.report import PARSE_ERROR, Report, TextEdit, pascal_case, rule_url

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_NAME = "oas-create-check"
#: Where a reader of an alert can learn about the tool (SARIF ``toolComponent.informationUri``).
INFORMATION_URI = "https://github.com/oas-create-check/oas-create-check"
#: ``rule NAME`` prints the same link (``report.rule_url``).
#: Key of our fingerprint in ``partialFingerprints``; the version changes only if the hashed
#: material does, because a new value for the same finding reopens every alert.
FINGERPRINT_KEY = "oasCreateCheck/v1"
#: Relative URIs are resolved against the checkout root, which the uploader knows and we do not.
SRCROOT = "%SRCROOT%"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: GitHub's own severity scale for non-security alerts (it has no "info").
_PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")

JSONObject = dict[str, Any]


def repo_path(file: str) -> str:
    """The display path as CI systems want it: forward slashes, no leading ``./``."""
    path = file.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A stable, unique fingerprint for each finding, aligned with ``findings``.

    The hash covers rule, file, pointer, API path and method, never the line, so moving a finding
    keeps its fingerprint. Two findings with the same five values (a rule reporting twice on one
    node) are told apart by their rank when ordered by message, which does not depend on the order
    in which they arrive either.
    """
    keys = ["\0".join((f.rule, repo_path(f.file), f.pointer, f.path, f.method)) for f in findings]
    order = sorted(
        range(len(findings)),
        key=lambda i: (keys[i], findings[i].message, findings[i].line, findings[i].column),
    )
    seen: dict[str, int] = {}
    result = [""] * len(findings)
    for index in order:
        rank = seen.get(keys[index], 0)
        seen[keys[index]] = rank + 1
        material = keys[index] if rank == 0 else f"{keys[index]}\0{rank}"
        result[index] = hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()
    return result


def artifact_location(file: str) -> JSONObject:
    """A URI-reference for ``file``: relative to ``%SRCROOT%`` unless the path is absolute.

    Everything outside RFC 3986's unreserved characters and ``/`` is percent-encoded, so spaces,
    ``%``, ``#`` and ``?`` survive, and a ``:`` in the first segment cannot be read as a scheme.
    """
    path = repo_path(file)
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/", errors="surrogateescape")}
    if _WINDOWS_DRIVE.match(path):
        return {"uri": "file:///" + path[:2] + quote(path[2:], safe="/", errors="surrogateescape")}
    return {"uri": quote(path, safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def _region(finding: Finding) -> JSONObject | None:
    if finding.line < 1:
        return None
    region: JSONObject = {"startLine": finding.line}
    if finding.column >= 1:
        region["startColumn"] = finding.column
    if finding.end_line is not None and finding.end_line >= finding.line:
        region["endLine"] = finding.end_line
        if finding.end_column is not None and finding.end_column >= 1:
            region["endColumn"] = finding.end_column
    return region


def _rule_descriptor(doc: RuleDoc) -> JSONObject:
    """Rule metadata from the rule's own documentation, the single source the CLI also uses."""
    sections = [(title, text.strip()) for title, text in doc.sections if text.strip()]
    summary = doc.summary.strip() or doc.id
    help_text = "\n\n".join(f"{title}\n{text}" for title, text in sections) or summary
    help_markdown = "\n\n".join(f"## {title}\n\n{text}" for title, text in sections) or summary
    tags = ["openapi", *dict.fromkeys(kind.value for kind in doc.applies_to)]
    return {
        "id": doc.id,
        # SARIF wants a friendly name that differs from the opaque id (the validator warns when
        # they are equal): the id in PascalCase, as ruff and ESLint's SARIF writers do.
        "name": pascal_case(doc.id),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": doc.section("What it does").strip() or summary},
        "helpUri": rule_url(doc.id),
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": _LEVELS[doc.severity]},
        "properties": {"tags": tags, "problem.severity": _PROBLEM_SEVERITY[doc.severity]},
    }


def _rules(rules: Mapping[str, RuleDoc], findings: Sequence[Finding]) -> list[JSONObject]:
    """Every documented rule, then a bare entry for any rule that fired without documentation
    (so that every result's ``ruleIndex`` points somewhere)."""
    descriptors = [_rule_descriptor(doc) for doc in rules.values()]
    known = {doc.id for doc in rules.values()}
    for rule in sorted({f.rule for f in findings} - known):
        descriptors.append(
            {"id": rule, "name": pascal_case(rule), "shortDescription": {"text": rule}}
        )
    return descriptors


def _fix(finding: Finding, edits: Sequence[TextEdit]) -> JSONObject:
    """A SARIF ``fix``: the finding's text edits, grouped by file, as character ranges."""
    assert finding.fix is not None
    by_file: dict[str, list[TextEdit]] = {}
    for edit in edits:
        by_file.setdefault(edit.file, []).append(edit)
    safety = "" if finding.fix.applicability.value == "safe" else " (unsafe: --unsafe-fixes)"
    return {
        "description": {"text": finding.fix.description + safety},
        "artifactChanges": [
            {
                "artifactLocation": artifact_location(file),
                "replacements": [
                    {
                        "deletedRegion": {"charOffset": edit.offset, "charLength": edit.length},
                        "insertedContent": {"text": edit.text},
                    }
                    for edit in sorted(group, key=lambda e: (e.offset, e.length))
                ],
            }
            for file, group in by_file.items()
        ],
    }


def _result(
    finding: Finding, rule_index: int, fingerprint: str, edits: Sequence[TextEdit] = ()
) -> JSONObject:
    location: JSONObject = {
        "physicalLocation": {"artifactLocation": artifact_location(finding.file)}
    }
    region = _region(finding)
    if region is not None:
        location["physicalLocation"]["region"] = region
    location["logicalLocations"] = [{"fullyQualifiedName": finding.pointer}]
    result: JSONObject = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"apiPath": finding.path, "httpMethod": finding.method},
    }
    if finding.fix is not None and edits:
        result["fixes"] = [_fix(finding, edits)]
    return result


def build(report: Report) -> JSONObject:
    """The SARIF log as plain data (``render`` serialises it; tests inspect it directly)."""
    findings = sorted(report.findings, key=Finding.sort_key)
    rules = _rules(report.rules, findings)
    index = {descriptor["id"]: i for i, descriptor in enumerate(rules)}
    driver: JSONObject = {"name": TOOL_NAME, "informationUri": INFORMATION_URI}
    if report.tool_version:
        driver["version"] = report.tool_version
    driver["rules"] = rules
    run: JSONObject = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(finding, index[finding.rule], fingerprint, report.edits.get(finding, ()))
            for finding, fingerprint in zip(findings, fingerprints(findings), strict=True)
        ],
    }
    unreadable = any(finding.rule == PARSE_ERROR for finding in findings)
    if report.notices or unreadable:
        run["invocations"] = [
            {
                # A file that could not be read is a result (so dashboards show it) and also
                # means the run did not do all it was asked to.
                "executionSuccessful": not unreadable,
                "toolExecutionNotifications": [
                    {"level": "note", "message": {"text": notice}} for notice in report.notices
                ],
            }
        ]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    """The log as indented, pure-ASCII JSON: ``\\u`` escapes survive any console encoding, and a
    lone surrogate quoted from a spec (JSON allows ``"\\ud800"``) stays representable."""
    return json.dumps(build(report), indent=2, ensure_ascii=True) + "\n"
