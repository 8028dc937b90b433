"""One JSON object: ``{"findings": [...], "operations": [...], "summary": {...}}``."""

from __future__ import annotations

import json
from typing import Any

from oas_create_check.model import Finding, OperationRecord
from oas_create_check.report import Report, summary


def finding_dict(f: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity.label,
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "pointer": f.pointer,
        "path": f.path,
        "method": f.method,
    }
    if f.end_line is not None:
        data["endLine"] = f.end_line
        data["endColumn"] = f.end_column
    data["fix"] = (
        {"description": f.fix.description, "applicability": f.fix.applicability.value}
        if f.fix
        else None
    )
    return data


def operation_dict(op: OperationRecord) -> dict[str, Any]:
    return {
        "file": op.file,
        "path": op.path,
        "method": op.method,
        "kind": op.kind.value,
        "reason": op.reason,
        "line": op.line,
        "column": op.column,
        "pointer": op.pointer,
        "confidence": op.confidence.value,
        "signals": [{"name": s.name, "weight": s.weight, "detail": s.detail} for s in op.signals],
    }


def render(report: Report) -> str:
    document = {
        "findings": [finding_dict(f) for f in report.findings],
        "operations": [operation_dict(o) for o in report.operations],
        "summary": summary(report),
        "notices": list(report.notices),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
