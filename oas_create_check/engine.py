"""The engine: one spec -> classified operations -> rules -> findings.

Rules report a node; the engine turns it into ``file:line:col`` in the file that defines the node,
applies selection, severities and ``x-oas-create-check`` suppressions, and returns one result per
spec. Finding files, fragments and worker processes is ``run/``'s job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from oas_create_check.load.refs import Workspace
from oas_create_check.load.source import SourceFile
from oas_create_check.model import Confidence, Finding, Kind, OperationRecord, Severity
from oas_create_check.rules import Problem, Rule, all_rules
from oas_create_check.settings import Settings
from oas_create_check.spec.classify import classify
from oas_create_check.spec.operations import EXTENSION, Operation, Spec

#: The kinds held to the creation rules.
CREATIONS = (Kind.CREATE, Kind.UPSERT)


@dataclass
class SpecResult:
    """What checking one root document produced."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    operations: list[OperationRecord] = field(default_factory=list)
    spec: Spec | None = None


def active_rules(settings: Settings) -> list[Rule]:
    rules = []
    for rule in all_rules().values():
        if settings.select is not None:
            if rule.id not in settings.select:
                continue
        elif not rule.enabled_by_default and rule.id not in settings.enable:
            continue
        if rule.id in settings.ignore:
            continue
        rules.append(rule)
    return rules


def suppressed(rule_id: str, *holders: object) -> bool:
    """Whether ``x-oas-create-check: {ignore: [...]}`` on any of ``holders`` silences the rule."""
    for holder in holders:
        ext = holder.get(EXTENSION) if isinstance(holder, dict) else None
        ignore = ext.get("ignore") if isinstance(ext, dict) else None
        if isinstance(ignore, str):
            ignore = [ignore]
        if isinstance(ignore, list) and (rule_id in ignore or "all" in ignore or "*" in ignore):
            return True
    return False


def rule_severity(rule: Rule, settings: Settings, kind: Kind, confidence: Confidence) -> Severity:
    """A rule's severity as configured, capped for a creation judged with low confidence."""
    severity = settings.severity.get(rule.id, rule.doc.severity)
    weak = kind in CREATIONS and confidence is Confidence.LOW
    cap = settings.weak_create_severity if weak else None
    return min(severity, cap) if cap is not None else severity


def _finding(rule: Rule, severity: Severity, problem: Problem, path: str, method: str) -> Finding:
    line, column = problem.node.location
    return Finding(
        rule=rule.id,
        severity=severity,
        message=problem.message,
        file=problem.node.file.display,
        line=line,
        column=column,
        pointer=problem.node.pointer_text,
        path=path,
        method=method,
        fix=problem.fix,
    )


def check_spec(spec: Spec, settings: Settings, rules: list[Rule]) -> SpecResult:
    """Classify every POST/PUT of ``spec`` and run ``rules`` on it."""
    from oas_create_check.spec.selectors import select

    result = SpecResult(file=spec.workspace.root.display, spec=spec)
    selected = select(spec, settings.classify, settings.source) if settings.classify else {}
    op_rules = [r for r in rules if r.check is not None]
    for op in spec.operations:
        verdict = classify(op, selected)
        line, column = op.node.location
        result.operations.append(
            OperationRecord(
                file=op.node.file.display,
                path=op.path,
                method=op.method,
                kind=verdict.kind,
                reason=verdict.reason,
                line=line,
                column=column,
                pointer=op.node.pointer_text,
                confidence=verdict.confidence,
                signals=verdict.signals,
            )
        )
        for rule in op_rules:
            if verdict.kind not in rule.doc.applies_to:
                continue
            # a creation the evidence barely carries gives findings at a lower severity
            severity = rule_severity(rule, settings, verdict.kind, verdict.confidence)
            result.findings.extend(_run(rule, op, verdict.kind, severity, settings))
    for rule in rules:
        if rule.check_spec is not None:
            severity = settings.severity.get(rule.id, rule.doc.severity)
            for problem in rule.check_spec(spec, settings):
                result.findings.append(_finding(rule, severity, problem, "", ""))
    return result


def _run(
    rule: Rule, op: Operation, kind: Kind, severity: Severity, settings: Settings
) -> Iterator[Finding]:
    assert rule.check is not None
    if suppressed(rule.id, op.value):
        return
    for problem in rule.check(op, kind, settings):
        response = problem.response
        if response is not None and suppressed(rule.id, response.entry.value, response.node.value):
            continue
        yield _finding(rule, severity, problem, op.path, op.method)


def load_spec(source: SourceFile, settings: Settings, lazy: bool = False) -> Spec:
    return Spec(Workspace(source, settings.ref_root, lazy))
