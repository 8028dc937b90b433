"""A Markdown summary of the run, for a GitHub Actions job summary (``$GITHUB_STEP_SUMMARY``) or
any page that renders Markdown: whether the run fails, counts per rule and per file, and the most
important findings with links to their lines and to each rule's page.

Spec text is untrusted and Markdown is markup: every quoted text is escaped (HTML-significant
characters as character references, Markdown punctuation with a backslash, controls shown as
escapes), so a path key cannot open a link, a table cell or an HTML element of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import quote

from oas_create_check.escape import printable
from oas_create_check.model import Finding, Severity
from oas_create_check.report import PARSE_ERROR, Report, by_importance, rule_url, summary
from oas_create_check.report.sarif_format import repo_path

#: The most important findings listed; the rest are counted.
TOP_FINDINGS = 20
#: Files listed in the per-file table, most findings first.
TOP_FILES = 30

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def md_text(text: str) -> str:
    """``text`` safe inside a Markdown table cell or list item."""
    shown = printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", shown)


def _link(report: Report, file: str, line: int = 0) -> str:
    """``file`` (and line) as text, linked to the file at the commit when the URL is known and the
    path is one inside the repository."""
    path = repo_path(file)
    text = md_text(f"{path}:{line}" if line >= 1 else path)
    if not report.source_url or path.startswith(("/", "../")) or ":" in path.split("/")[0]:
        return text
    anchor = f"#L{line}" if line >= 1 else ""
    return f"[{text}]({report.source_url}/{quote(path, errors='surrogateescape')}{anchor})"


def _rule(rule: str, report: Report) -> str:
    return f"[`{rule}`]({rule_url(rule)})" if rule in report.rules else f"`{md_text(rule)}`"


def render(report: Report) -> str:
    counts = summary(report)
    failing = [f for f in report.findings if f.severity >= report.fail_on]
    unreadable = int(counts["unreadable"])  # type: ignore[call-overload]
    totals = (
        f"{counts['findings']} finding(s): {counts['errors']} error(s), "
        f"{counts['warnings']} warning(s), {counts['infos']} info in {counts['files']} spec(s); "
        f"{counts['operations']} POST/PUT operation(s)"
    )
    if unreadable:
        verdict = f"**Failed: {unreadable} file(s) could not be read or parsed.**"
    elif not report.files:
        verdict = "**Nothing checked: no OpenAPI document was found.**"
    elif failing:
        verdict = f"**Failed: {len(failing)} finding(s) at or above `{report.fail_on.label}`.**"
    else:
        verdict = f"**Passed: no finding at or above `{report.fail_on.label}`.**"
    lines = ["## oas-create-check", "", verdict, "", totals + "."]
    if report.findings:
        lines += ["", *_by_rule(report), "", *_by_file(report), "", *_top(report)]
    if report.notices:
        lines += ["", "<details><summary>Notes</summary>", ""]
        lines += [f"- {md_text(notice)}" for notice in report.notices]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _by_rule(report: Report) -> list[str]:
    counts = Counter(f.rule for f in report.findings)
    severity = {f.rule: f.severity for f in report.findings}
    lines = ["### Findings per rule", "", "| rule | severity | findings |", "|---|---|---:|"]
    for rule, count in sorted(
        counts.items(), key=lambda item: (-severity[item[0]], -item[1], item[0])
    ):
        lines.append(f"| {_rule(rule, report)} | {severity[rule].label} | {count} |")
    return lines


def _by_file(report: Report) -> list[str]:
    per_file: dict[str, Counter[Severity]] = {}
    for finding in report.findings:
        per_file.setdefault(finding.file, Counter())[finding.severity] += 1
    ordered = sorted(per_file.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    lines = [
        "### Findings per file",
        "",
        "| file | errors | warnings | info |",
        "|---|---:|---:|---:|",
    ]
    for file, count in ordered[:TOP_FILES]:
        lines.append(
            f"| {_link(report, file)} | {count[Severity.ERROR]} | {count[Severity.WARNING]} "
            f"| {count[Severity.INFO]} |"
        )
    if len(ordered) > TOP_FILES:
        lines += ["", f"… and {len(ordered) - TOP_FILES} more file(s)."]
    return lines


def _top(report: Report) -> list[str]:
    ordered = by_importance(report.findings, list(report.rules))
    lines = [
        f"### Top {min(len(ordered), TOP_FINDINGS)} finding(s)",
        "",
        "| severity | where | rule | message |",
        "|---|---|---|---|",
    ]
    for finding in ordered[:TOP_FINDINGS]:
        lines.append(
            f"| {_severity(finding)} | {_link(report, finding.file, finding.line)} "
            f"| {_rule(finding.rule, report)} | {md_text(finding.message)} |"
        )
    if len(ordered) > TOP_FINDINGS:
        lines += ["", f"… and {len(ordered) - TOP_FINDINGS} more: see the annotations and the log."]
    return lines


def _severity(finding: Finding) -> str:
    return "parse error" if finding.rule == PARSE_ERROR else finding.severity.label
