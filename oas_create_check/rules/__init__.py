"""Rule discovery. A rule is a module in this package with ``ID``, ``SEVERITY``, ``APPLIES_TO``,
``SUMMARY``, ``DOC`` (Markdown, one ``## `` heading per ``DOC_SECTIONS`` entry) and either
``check(op, kind, settings)`` for operation rules or ``check_spec(spec, settings)`` for rules about
the whole document (optionally ``SOURCES``: (title, URL) pairs besides those its text cites). Adding a module is all it takes: no registry to edit.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from oas_create_check.model import DOC_SECTIONS, Fix, Kind, RuleDoc, Severity

if TYPE_CHECKING:
    from oas_create_check.load.refs import Node
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Operation, Response, Spec


@dataclass(frozen=True)
class Problem:
    """What a rule reports: the node to point at, the message, and an optional fix. ``response``
    names the response the problem is about, so its ``x-oas-create-check`` can suppress it."""

    node: Node
    message: str
    fix: Fix | None = None
    response: Response | None = None


OperationCheck = Callable[["Operation", Kind, "Settings"], Iterator[Problem]]
SpecCheck = Callable[["Spec", "Settings"], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    doc: RuleDoc
    check: OperationCheck | None
    check_spec: SpecCheck | None
    enabled_by_default: bool

    @property
    def id(self) -> str:
        return self.doc.id


_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)


def parse_doc(text: str) -> tuple[tuple[str, str], ...]:
    """Split a rule's Markdown DOC into (heading, body) pairs, in order."""
    parts = _HEADING.split(text.strip())
    return tuple((parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2))


def _rule_from(module: ModuleType) -> Rule:
    sections = parse_doc(module.DOC)
    doc = RuleDoc(
        id=module.ID,
        severity=module.SEVERITY,
        summary=module.SUMMARY,
        applies_to=tuple(module.APPLIES_TO),
        sections=sections,
        sources=tuple(getattr(module, "SOURCES", ())),
    )
    return Rule(
        doc=doc,
        check=getattr(module, "check", None),
        check_spec=getattr(module, "check_spec", None),
        enabled_by_default=getattr(module, "ENABLED_BY_DEFAULT", True),
    )


@cache
def all_rules() -> dict[str, Rule]:
    """Every rule, by ID, in a stable order (the order of ``RULE_ORDER``, then by name)."""
    found: list[Rule] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(_rule_from(module))
    order = {rule_id: i for i, rule_id in enumerate(RULE_ORDER)}
    found.sort(key=lambda r: (order.get(r.id, len(order)), r.id))
    return {rule.id: rule for rule in found}


#: The order rules are listed in docs and output: the mission's four first, then the rest of the
#: creation contract, from the operation to its responses' details.
RULE_ORDER = (
    "create-status-201",
    "create-location-header",
    "create-duplicate-policy",
    "accepted-status-monitor",
    "create-readable-result",
    "create-invalid-input-response",
    "created-response-body",
    "created-response-identifier",
    "created-not-pending",
    "duplicate-see-other",
    "location-header-schema",
    "idempotency-key-contract",
    "conflict-response-body",
    "unresolved-ref",
    "valid-spec",
)

__all__ = ["DOC_SECTIONS", "Problem", "Rule", "Severity", "all_rules", "parse_doc"]
