"""GitLab Code Quality: a JSON array of Code Climate style issues.

GitLab compares the report of a merge request with that of its target branch by ``fingerprint``:
an issue whose fingerprint is new shows as introduced, one that vanished as resolved. A fingerprint
that moved with its line would show every finding below an edit as fixed and re-introduced, and two
issues sharing one would hide each other; so fingerprints come from the same line-independent,
collision-free function as SARIF's.
"""

from __future__ import annotations

import json
from typing import Any

from oas_create_check.model import Finding, Severity
from oas_create_check.report import Report
from oas_create_check.report.sarif_format import fingerprints, repo_path

#: Code Climate's scale, as GitLab shows it (``info`` < ``minor`` < ``major`` < ...).
_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}

#: A missing ``201``, ``Location`` or duplicate policy breaks what clients may rely on, which is
#: the Code Climate category "Compatibility" rather than "Style" or "Bug Risk".
_CATEGORIES = ("Compatibility",)


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    begin = max(finding.line, 1)
    end = finding.end_line if finding.end_line is not None and finding.end_line >= begin else begin
    return {
        "type": "issue",
        "check_name": finding.rule,
        "description": finding.message,
        "categories": list(_CATEGORIES),
        "severity": _SEVERITIES[finding.severity],
        "fingerprint": fingerprint,
        "location": {"path": repo_path(finding.file), "lines": {"begin": begin, "end": end}},
    }


def render(report: Report) -> str:
    """The issues in file/line order as pure-ASCII JSON (an empty report is ``[]``, which GitLab
    reads as "no issues", not as a broken artifact)."""
    findings = sorted(report.findings, key=Finding.sort_key)
    issues = [
        _issue(finding, fingerprint)
        for finding, fingerprint in zip(findings, fingerprints(findings), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=True) + "\n"
