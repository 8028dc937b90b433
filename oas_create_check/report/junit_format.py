"""JUnit XML: one ``<testsuite>`` per checked file, one failing ``<testcase>`` per finding.

CI dashboards (Jenkins, GitLab, Azure DevOps) show JUnit results as tests that pass or fail, so a
clean file still gets one passing testcase: without it, a file that was checked and a file that was
never looked at would look the same. Messages quote the spec, and XML 1.0 has characters it cannot
carry even escaped (NUL, most C0 controls, lone surrogates, U+FFFE/U+FFFF); one of those makes the
whole report unreadable, so they are removed before the tree is built, and ElementTree escapes the
rest (``<``, ``&``, ``]]>``, quotes and newlines in attributes).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from oas_create_check.model import Finding
from oas_create_check.report import Report
from oas_create_check.report.github_format import clean

#: The passing testcase of a file with no findings.
CLEAN_CASE_NAME = "oas-create-check"

#: What ``clean`` (shared with the GitHub format: terminal escapes, C0/C1 controls, surrogates)
#: leaves that XML 1.0 still forbids.
_NONCHARACTERS = re.compile("[\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NONCHARACTERS.sub("\ufffd", clean(text))


def _files(report: Report) -> list[str]:
    """Checked files in the order given, then files known only from their findings (a ``$ref``
    target outside the checked set), each once."""
    ordered = dict.fromkeys(report.files)
    ordered.update(dict.fromkeys(sorted({f.file for f in report.findings} - set(ordered))))
    return list(ordered)


def _testcase(parent: ET.Element, finding: Finding) -> None:
    file = _xml_text(finding.file)
    name = f"{finding.rule} {finding.path} {finding.method.upper()} line {finding.line}"
    case = ET.SubElement(parent, "testcase", classname=file, name=_xml_text(name))
    failure = ET.SubElement(
        case, "failure", message=_xml_text(finding.message), type=_xml_text(finding.rule)
    )
    failure.text = _xml_text(
        f"{finding.file}:{finding.line}:{finding.column}: {finding.severity.label} "
        f"[{finding.rule}] {finding.message}\n"
        f"pointer: {finding.pointer}\n"
        f"operation: {finding.method.upper()} {finding.path}\n"
    )


def _suite(parent: ET.Element, file: str, findings: Iterable[Finding]) -> int:
    ordered = sorted(findings, key=Finding.sort_key)
    tests = max(len(ordered), 1)
    suite = ET.SubElement(
        parent,
        "testsuite",
        name=_xml_text(file),
        tests=str(tests),
        failures=str(len(ordered)),
        errors="0",
        skipped="0",
    )
    for finding in ordered:
        _testcase(suite, finding)
    if not ordered:
        ET.SubElement(suite, "testcase", classname=_xml_text(file), name=CLEAN_CASE_NAME)
    return tests


def render(report: Report) -> str:
    """The report as an indented UTF-8 XML document with its declaration."""
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_file.setdefault(finding.file, []).append(finding)
    root = ET.Element("testsuites", name="oas-create-check")
    tests = sum(_suite(root, file, by_file.get(file, ())) for file in _files(report))
    root.set("tests", str(tests))
    root.set("failures", str(len(report.findings)))
    root.set("errors", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
