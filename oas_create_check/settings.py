"""The settings of a run, as one frozen value that every stage reads (``config.py`` builds it
from defaults, the config file and the command line).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from oas_create_check.model import Kind, Severity

#: The rule that ``validate`` / ``--validate`` switches on.
VALIDATE_RULE = "valid-spec"
#: The rule that ``--report-unused-suppressions`` switches on.
UNUSED_SUPPRESSION = "unused-suppression"


@dataclass(frozen=True)
class Settings:
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    fail_on: Severity = Severity.WARNING
    severity: dict[str, Severity] = field(default_factory=dict)
    duplicate_statuses: tuple[str, ...] = ("409", "422")
    idempotency_headers: tuple[str, ...] = ("Idempotency-Key",)
    monitor_headers: tuple[str, ...] = ("Location",)
    duplicate_fix: str = "409"
    #: Responses that document how a create refuses bad input (``create-invalid-input-response``).
    invalid_input_statuses: tuple[str, ...] = ("400", "422")
    #: Lifecycle values that say a resource is not there yet (``created-not-pending``).
    pending_states: tuple[str, ...] = (
        "pending",
        "queued",
        "processing",
        "in_progress",
        "provisioning",
        "creating",
        "initializing",
        "not_started",
    )
    classify: dict[Kind, tuple[str, ...]] = field(default_factory=dict)
    #: The ``$ref`` a fix writes for a piece (``conflict``, ``bad-request``, ``location``,
    #: ``idempotency-key``) instead of finding or adding one, as written in the root document.
    fix_templates: dict[str, str] = field(default_factory=dict)
    ref_root: Path | None = None
    #: Rules that are off by default and switched on (``validate = true`` / ``--validate`` is
    #: the user's word for the ``valid-spec`` rule).
    enable: frozenset[str] = frozenset()
    #: Root documents of multi-file specs (resolved); empty: any OpenAPI document is a root.
    roots: tuple[Path, ...] = ()
    #: The highest severity of a finding about a creation judged with low confidence (None:
    #: the rule's own severity, as for any other creation).
    weak_create_severity: Severity | None = Severity.INFO
    source: str = "defaults"

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
