"""JUnit XML: one ``<testsuite>`` per checked file, one ``<testcase>`` per POST/PUT operation.

A test is named ``METHOD PATH`` (``POST /pets``): what it is about, never where it is written, so
CI dashboards keep a test's history when lines move. It fails when the operation has findings at
or above the run's ``--fail-on`` severity (the failure lists them all); findings below that level
(``info``, by default) are in the test's ``system-out``, so a run that passes shows no failure.
Findings about the document rather than an operation (``unresolved-ref``) belong to a test named
``document``; a file that cannot be read or parsed is a test with an ``<error>`` (``parse-error``).
A checked file with nothing to test still gets one passing testcase: without it, a file that was
checked and a file that was never looked at would look the same.

Messages quote the spec, and XML 1.0 has characters it cannot carry even escaped (NUL, most C0
controls, lone surrogates, U+FFFE/U+FFFF); one of those makes the whole report unreadable, so they
are removed before the tree is built, and ElementTree escapes the rest (``<``, ``&``, ``]]>``,
quotes and newlines in attributes).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from oas_create_check.model import Finding, OperationRecord, Severity
from oas_create_check.report import PARSE_ERROR, Report, SpecSummary, by_importance
from oas_create_check.report.github_format import clean

#: The passing testcase of a file with no findings.
CLEAN_CASE_NAME = "oas-create-check"

#: What ``clean`` (shared with the GitHub format: terminal escapes, C0/C1 controls, surrogates)
#: leaves that XML 1.0 still forbids.
_NONCHARACTERS = re.compile("[\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NONCHARACTERS.sub("\ufffd", clean(text))


#: The test of the findings about a whole document rather than one operation.
DOCUMENT_CASE_NAME = "document"


def _specs(report: Report) -> list[SpecSummary]:
    """The checked documents with their operations and findings: ``report.specs`` when the run
    gave them, else grouped by file (a report built by hand), then files known only from their
    findings (a file that could not be read), each once."""
    specs = list(report.specs)
    if not specs:
        by_file: dict[str, list[Finding]] = {}
        for finding in report.findings:
            by_file.setdefault(finding.file, []).append(finding)
        ops: dict[str, list[OperationRecord]] = {}
        for op in report.operations:
            ops.setdefault(op.file, []).append(op)
        names = dict.fromkeys([*report.files, *sorted(set(by_file) | set(ops))])
        return [SpecSummary(name, ops.get(name, ()), by_file.get(name, ())) for name in names]
    covered = {f for spec in specs for f in spec.findings}
    strays: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding not in covered:
            strays.setdefault(finding.file, []).append(finding)
    return specs + [SpecSummary(name, (), found) for name, found in sorted(strays.items())]


def _case_name(method: str, path: str) -> str:
    return f"{method.upper()} {path}" if path else DOCUMENT_CASE_NAME


def _detail(finding: Finding) -> str:
    pointer = f"pointer: {finding.pointer}\n" if finding.pointer else ""
    return (
        f"{finding.file}:{finding.line}:{finding.column}: {finding.severity.label} "
        f"[{finding.rule}] {finding.message}\n{pointer}"
    )


class _Counts:
    def __init__(self) -> None:
        self.tests = self.failures = self.errors = 0


def _testcase(
    parent: ET.Element, file: str, name: str, findings: list[Finding], fail_on: Severity
) -> _Counts:
    counts = _Counts()
    counts.tests = 1
    case = ET.SubElement(parent, "testcase", classname=_xml_text(file), name=_xml_text(name))
    broken = [f for f in findings if f.rule == PARSE_ERROR]
    failing = by_importance(
        [f for f in findings if f.rule != PARSE_ERROR and f.severity >= fail_on]
    )
    quiet = [f for f in findings if f.rule != PARSE_ERROR and f.severity < fail_on]
    if broken:
        counts.errors = 1
        error = ET.SubElement(case, "error", message=_xml_text(broken[0].message), type=PARSE_ERROR)
        error.text = _xml_text("".join(_detail(f) for f in broken))
    elif failing:
        counts.failures = 1
        first = failing[0]
        message = (
            first.message if len(failing) == 1 else f"{len(failing)} findings: {first.message}"
        )
        failure = ET.SubElement(
            case, "failure", message=_xml_text(message), type=_xml_text(first.rule)
        )
        failure.text = _xml_text("".join(_detail(f) for f in failing))
    if quiet:
        out = ET.SubElement(case, "system-out")
        out.text = _xml_text("".join(_detail(f) for f in quiet))
    return counts


def _suite(parent: ET.Element, spec: SpecSummary, fail_on: Severity) -> _Counts:
    suite = ET.SubElement(parent, "testsuite", name=_xml_text(spec.file))
    cases: dict[str, list[Finding]] = {}
    for op in spec.operations:
        cases.setdefault(_case_name(op.method, op.path), [])
    for finding in sorted(spec.findings, key=Finding.sort_key):
        name = "parse" if finding.rule == PARSE_ERROR else _case_name(finding.method, finding.path)
        cases.setdefault(name, []).append(finding)
    total = _Counts()
    for name, findings in cases.items():
        counts = _testcase(suite, spec.file, name, findings, fail_on)
        total.tests += counts.tests
        total.failures += counts.failures
        total.errors += counts.errors
    if not cases:
        ET.SubElement(suite, "testcase", classname=_xml_text(spec.file), name=CLEAN_CASE_NAME)
        total.tests = 1
    for attribute, value in (
        ("tests", total.tests),
        ("failures", total.failures),
        ("errors", total.errors),
        ("skipped", 0),
    ):
        suite.set(attribute, str(value))
    return total


def render(report: Report) -> str:
    """The report as an indented UTF-8 XML document with its declaration."""
    root = ET.Element("testsuites", name="oas-create-check")
    total = _Counts()
    for spec in _specs(report):
        counts = _suite(root, spec, report.fail_on)
        total.tests += counts.tests
        total.failures += counts.failures
        total.errors += counts.errors
    root.set("tests", str(total.tests))
    root.set("failures", str(total.failures))
    root.set("errors", str(total.errors))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
