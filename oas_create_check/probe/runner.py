"""One probe run: read the spec as the lint does, take the operations the judgement calls a
create, build their requests, run the checks in order (parents first), and turn every failed
check into a ``Finding`` at the operation's line in the spec.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oas_create_check.engine import rule_severity, suppressed
from oas_create_check.model import Finding, Kind, OperationRecord, ToolError
from oas_create_check.probe.build import Target, build_targets, load_data
from oas_create_check.probe.checks import Hit, Prober, Waits
from oas_create_check.probe.client import BudgetExhausted, Limits, Redactor, Session
from oas_create_check.rules import Rule, all_rules
from oas_create_check.settings import Settings
from oas_create_check.spec.operations import Operation, Spec

#: The prefix every probe rule's name carries; the lint has nothing to run for them.
PREFIX = "probe-"


@dataclass(frozen=True)
class ProbeOptions:
    spec: Path
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)
    #: Values to hide in every output besides the headers' (environment secrets).
    secrets: tuple[str, ...] = ()
    data: Path | None = None
    cleanup: bool = False
    app: str | None = None
    limits: Limits = field(default_factory=Limits)
    waits: Waits = field(default_factory=Waits)
    seed: int = 0


@dataclass
class ProbeResult:
    findings: list[Finding] = field(default_factory=list)
    #: The redacted exchanges behind each finding, aligned with ``findings``.
    transcripts: list[list[dict[str, Any]]] = field(default_factory=list)
    operations: list[OperationRecord] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: Problems that stop some or all of the run (exit 2), each one line.
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0


def probe_rules(settings: Settings) -> dict[str, Rule]:
    """The probe's rules as the settings select them. A ``select`` that names no probe rule is
    the lint's selection and leaves the probe's alone; ``ignore`` and severities apply."""
    rules = {rule_id: r for rule_id, r in all_rules().items() if rule_id.startswith(PREFIX)}
    chosen = set(rules)
    if settings.select is not None and settings.select & chosen:
        chosen &= settings.select
    chosen -= settings.ignore
    return {rule_id: rules[rule_id] for rule_id in rules if rule_id in chosen}


def load(spec_path: Path, settings: Settings) -> tuple[Spec, list[OperationRecord], str]:
    """The spec, read and judged by the lint's own path (config, selectors, overrides)."""
    from oas_create_check.run.lint import lint_paths

    run = lint_paths([spec_path], settings.with_overrides(select=frozenset()))
    if run.errors:
        raise ToolError("; ".join(str(error) for error in run.errors))
    results = [r for r in run.specs if r.spec is not None]
    if not results:
        raise ToolError(f"{spec_path}: not an OpenAPI or Swagger document")
    result = results[0]
    assert result.spec is not None
    return result.spec, result.operations, result.file


def creates(spec: Spec, records: list[OperationRecord]) -> list[tuple[Operation, OperationRecord]]:
    views = {(op.path, op.method): op for op in spec.operations}
    return [
        (views[(r.path, r.method)], r)
        for r in records
        if r.kind is Kind.CREATE and (r.path, r.method) in views
    ]


def prepare(options: ProbeOptions, settings: Settings) -> tuple[list[Target], ProbeResult]:
    """Read the spec and build every request; nothing is sent. Errors that leave nothing to
    probe (an unreadable spec, no creates) raise ``ToolError``."""
    spec, records, shown = load(options.spec, settings)
    result = ProbeResult(files=[shown])
    found = creates(spec, records)
    if not found:
        raise ToolError(
            f"{shown}: no operation is judged a create, so there is nothing to probe "
            f"(see 'oas-create-check explain {shown}')"
        )
    data = load_data(options.data) if options.data is not None else {}
    targets, errors = build_targets(found, settings, data, options.seed)
    result.errors.extend(errors)
    result.operations = [t.record for t in targets]
    known = {t.label for t in targets} | {f"{t.op.method.upper()} {t.op.path}" for t in targets}
    unused = sorted(set(data) - known - {op.operation_id for op, _ in found})
    if unused:
        result.notices.append(f"--data names no create of the spec: {', '.join(unused)}")
    return targets, result


def run(
    options: ProbeOptions,
    settings: Settings,
    transport: Any = None,
) -> ProbeResult:
    """Probe every create of the spec against the server; the findings and what else to say."""
    started = time.monotonic()
    targets, result = prepare(options, settings)
    rules = probe_rules(settings)
    redactor = Redactor([*options.headers.values(), *options.secrets])
    session = Session(options.base_url, options.headers, options.limits, redactor, transport)
    prober = Prober(session, settings, options.waits)
    made: dict[int, str | None] = {}
    try:
        for target in targets:
            parent_ids: dict[str, str] = {}
            missing = [p.label for name, p in target.parents.items() if made.get(id(p)) is None]
            if missing:  # the parent's own finding or error says why
                result.notices.append(
                    f"{target.op.method.upper()} {target.op.path}: skipped: it needs a resource "
                    f"that {', '.join(missing)} did not create (give one with --data)"
                )
                continue
            for name, parent in target.parents.items():
                value = made[id(parent)]
                assert value is not None
                parent_ids[name] = value
            for note in target.notes:
                result.notices.append(f"{target.label}: {note}")
            outcome = prober.probe(target, parent_ids)
            made[id(target)] = outcome.created.resource_id if outcome.created else None
            result.notices.extend(outcome.notices)
            for hit in outcome.hits:
                _add(result, target, hit, rules, settings)
        if options.cleanup:
            for failure in prober.cleanup():
                result.notices.append(f"--cleanup: {failure}")
    except BudgetExhausted as exc:
        result.errors.append(str(exc))
    finally:
        session.close()
    result.requests = session.sent
    result.seconds = time.monotonic() - started
    order = sorted(range(len(result.findings)), key=lambda i: result.findings[i].sort_key())
    result.findings = [result.findings[i] for i in order]
    result.transcripts = [result.transcripts[i] for i in order]
    return result


def _add(
    result: ProbeResult, target: Target, hit: Hit, rules: dict[str, Rule], settings: Settings
) -> None:
    rule = rules.get(hit.rule)
    if rule is None or suppressed(hit.rule, target.op.node):
        return
    line, column = target.op.node.location
    record = target.record
    result.findings.append(
        Finding(
            rule=hit.rule,
            severity=rule_severity(rule, settings, record.kind, record.confidence),
            message=hit.message,
            file=target.op.node.file.display,
            line=line,
            column=column,
            pointer=target.op.node.pointer_text,
            path=target.op.path,
            method=target.op.method,
        )
    )
    result.transcripts.append([exchange.as_dict() for exchange in hit.exchanges])
