"""The engine: one spec -> classified operations -> rules -> findings.

Rules report a node; the engine turns it into ``file:line:col`` in the file that defines the node,
applies selection, severities and ``x-oas-create-check`` suppressions, and returns one result per
spec. Finding files, fragments and worker processes is ``run/``'s job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from oas_create_check.load.read import real_path
from oas_create_check.load.refs import Node, Workspace
from oas_create_check.load.source import SourceFile
from oas_create_check.model import Confidence, Finding, Kind, OperationRecord, Severity
from oas_create_check.rules import Problem, Rule, all_rules
from oas_create_check.settings import UNUSED_SUPPRESSION, Settings
from oas_create_check.spec.classify import classify
from oas_create_check.spec.operations import Operation, Spec
from oas_create_check.spec.suppression import EVERY_RULE, Suppressed, suppressions

#: The kinds held to the creation rules.
CREATIONS = (Kind.CREATE, Kind.UPSERT)


@dataclass
class SpecResult:
    """What checking one root document produced."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    operations: list[OperationRecord] = field(default_factory=list)
    spec: Spec | None = None
    #: The display path of every file the check read (the root and each ``$ref``'d file): a
    #: baseline update may only drop entries of these.
    read: list[str] = field(default_factory=list)
    #: The root document's path as given, and the folders every file of the spec lies in (its
    #: ref-root and the root document's real folder): specs whose folders do not nest share no
    #: file, so the fixer's pool may fix them side by side (``fix/pool.py``).
    path: Path | None = None
    bounds: tuple[Path, ...] = ()


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


def suppressed(rule_id: str, *holders: Node) -> bool:
    """Whether an ``x-oas-create-check`` suppression at any of ``holders`` silences the rule."""
    return any(
        entry.name == rule_id or entry.name in EVERY_RULE
        for holder in holders
        for entry in suppressions(holder)
    )


def rule_severity(rule: Rule, settings: Settings, kind: Kind, confidence: Confidence) -> Severity:
    """A rule's severity as configured, capped for a creation judged with low confidence."""
    severity = settings.severity.get(rule.id, rule.doc.severity)
    weak = kind in CREATIONS and confidence is Confidence.LOW
    cap = settings.weak_create_severity if weak else None
    return min(severity, cap) if cap is not None else severity


class _Suppressions:
    """The run's ``x-oas-create-check`` suppressions: whether one hides a finding, and which
    hid something (``unused-suppression`` reports the others)."""

    def __init__(self) -> None:
        self.used: set[tuple[str, str, str]] = set()
        self.seen: dict[tuple[str, str, str], Suppressed] = {}

    def note(self, *holders: Node) -> None:
        """Remember the suppressions written at ``holders``, used or not."""
        for holder in holders:
            for entry in suppressions(holder):
                self.seen.setdefault(entry.place, entry)

    def hides(self, rule_id: str, *holders: Node) -> bool:
        for holder in holders:
            for entry in suppressions(holder):
                if entry.name == rule_id or entry.name in EVERY_RULE:
                    self.used.add(entry.place)
                    return True
        return False

    def unused(self, active: set[str]) -> list[Suppressed]:
        return [
            entry
            for place, entry in self.seen.items()
            if place not in self.used and (entry.name in active or entry.name in EVERY_RULE)
        ]


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
    hidden = _Suppressions()
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
            result.findings.extend(_run(rule, op, verdict.kind, severity, settings, hidden))
        hidden.note(op.node, *(n for r in op.responses.values() for n in (r.entry, r.node)))
    active = {rule.id for rule in rules}
    if UNUSED_SUPPRESSION in active:
        unused = all_rules()[UNUSED_SUPPRESSION]
        severity = settings.severity.get(unused.id, unused.doc.severity)
        for entry in hidden.unused(active - {UNUSED_SUPPRESSION}):
            what = "every rule" if entry.name in EVERY_RULE else entry.name
            message = f"x-oas-create-check ignores {what} here, but it hides nothing: remove it"
            result.findings.append(_finding(unused, severity, Problem(entry.node, message), "", ""))
    for rule in rules:
        if rule.check_spec is not None:
            severity = settings.severity.get(rule.id, rule.doc.severity)
            for problem in rule.check_spec(spec, settings):
                result.findings.append(_finding(rule, severity, problem, "", ""))
    result.read = [file.display for file in spec.workspace.files]
    root = spec.workspace.root
    result.path = root.path
    result.bounds = (spec.workspace.root_dir, real_path(root.path).parent)
    return result


def _run(
    rule: Rule,
    op: Operation,
    kind: Kind,
    severity: Severity,
    settings: Settings,
    hidden: _Suppressions,
) -> Iterator[Finding]:
    """The rule's findings on ``op`` that no suppression hides. The rule runs even where the
    operation suppresses it, so that a suppression that hides nothing can be told apart."""
    assert rule.check is not None
    for problem in rule.check(op, kind, settings):
        if hidden.hides(rule.id, op.node):
            continue
        response = problem.response
        if response is not None and hidden.hides(rule.id, response.entry, response.node):
            continue
        if problem.fix is not None and op.value.get("deprecated") is True:
            # reported, not fixed: a reviewer does not want the contract of an endpoint being
            # retired to grow (docs/contract.md#fixing)
            problem = replace(problem, fix=None)
        yield _finding(rule, severity, problem, op.path, op.method)


def load_spec(source: SourceFile, settings: Settings, lazy: bool = False) -> Spec:
    return Spec(Workspace(source, settings.ref_root, lazy))
