"""The values that flow between the stages: findings, classifications and fixes.

Everything here is a frozen dataclass or an enum so that no stage can change what an earlier stage
produced (data flows one way: document -> operations -> rules -> findings -> reporters / fixer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum
from pathlib import Path

#: A JSON pointer as a tuple of its unescaped segments; ``()`` is the document root. Mapping keys are
#: strings, sequence indices are ints.
Pointer = tuple[str | int, ...]


def pointer_to_str(pointer: Pointer) -> str:
    """Render a pointer as RFC 6901 text (``/paths/~1pets/post``)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in pointer)


def pointer_from_str(text: str) -> Pointer:
    """Parse RFC 6901 text; digits stay strings because the caller knows whether it indexes a list.
    Only ``""`` is the whole document: ``"/"`` is its key ``""`` (RFC 6901, section 5)."""
    if text == "":
        return ()
    if not text.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {text!r}")
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in text[1:].split("/"))


class ToolError(Exception):
    """A problem with what the run was given besides the specs (a config file, a baseline, a git
    revision, a report path): printed as ``oas-create-check: message``; the exit code is 2."""


class Severity(IntEnum):
    """Ordered so that ``severity >= fail_on`` decides the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None


class Kind(str, Enum):
    """What a POST or PUT does to the resource space (docs/contract.md#classification)."""

    CREATE = "create"
    UPSERT = "upsert"
    ACTION = "action"
    UPDATE = "update"
    IGNORED = "ignored"


class Confidence(str, Enum):
    """How sure the judgement is: the margin by which the evidence decided. A ``low`` creation
    gives findings at ``info`` unless configured otherwise (``weak-create-severity``)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class Signal:
    """One piece of evidence the judgement weighed: positive weights speak for a creation,
    negative ones against it. ``name`` is stable (documented in docs/contract.md#classification)."""

    name: str
    weight: float
    detail: str


@dataclass(frozen=True)
class Classification:
    """The verdict on one POST/PUT: its kind, a one-line reason, how sure, and every signal."""

    kind: Kind
    reason: str
    confidence: Confidence = Confidence.HIGH
    signals: tuple[Signal, ...] = ()


class Applicability(str, Enum):
    """How much a fix may be trusted, after ruff: safe fixes run with ``--fix``, unsafe ones only
    with ``--unsafe-fixes``; display-only fixes are shown but never applied."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True)
class AddEntry:
    """Add ``key: value`` to the mapping at ``pointer`` of ``file`` (created, with any missing
    parents, if absent). ``value`` is plain JSON-like data; the fixer renders it in the file's style.
    ``file`` is the handle of the file that defines the node: its real path (``SourceFile.key``),
    the key the fixer and the ``$ref`` workspace know every file by. ``what``: the OpenAPI object
    ``value`` is (``response``, ``header``, ``parameter``; a list of parameters for a new
    ``parameters`` list), so the fixer can check it where it lands (``fix/snippets.py``) instead
    of validating the whole document again; empty when unknown."""

    file: Path
    pointer: Pointer
    key: str
    value: object
    what: str = ""


@dataclass(frozen=True)
class RenameKey:
    """Rename the key ``old`` of the mapping at ``pointer`` to ``new`` (the one unsafe, non-insert
    change: turning a create's lone ``200`` into ``201``). ``file`` as in ``AddEntry``."""

    file: Path
    pointer: Pointer
    old: str
    new: str


Change = AddEntry | RenameKey


@dataclass(frozen=True)
class Fix:
    """What a rule proposes, as data; ``fix.py`` turns it into text edits in the file's own style."""

    description: str
    applicability: Applicability
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``file`` is the path as shown to the user; ``line``/``column`` are
    1-based and point into the file that *defines* the offending node (``$ref`` targets included)."""

    rule: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    pointer: str
    path: str
    method: str
    end_line: int | None = None
    end_column: int | None = None
    fix: Fix | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)


@dataclass(frozen=True)
class OperationRecord:
    """A classified POST/PUT as reported in the JSON output's ``operations`` list."""

    file: str
    path: str
    method: str
    kind: Kind
    reason: str
    line: int
    column: int
    pointer: str
    confidence: Confidence = Confidence.HIGH
    signals: tuple[Signal, ...] = ()


#: The fixed documentation sections of every rule, in order (ruff's headings; a test enforces them).
DOC_SECTIONS = (
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Options",
    "Fix safety",
)


@dataclass(frozen=True)
class RuleDoc:
    """A rule's self-description: the single source for ``rules``/``rule NAME``, the README table
    and SARIF rule metadata. ``sections`` maps each of ``DOC_SECTIONS`` to Markdown text."""

    id: str
    severity: Severity
    summary: str
    applies_to: tuple[Kind, ...]
    sections: tuple[tuple[str, str], ...]
    #: (title, URL) of sources the rule rests on besides those its text cites (``SOURCES``).
    sources: tuple[tuple[str, str], ...] = ()

    def section(self, title: str) -> str:
        return dict(self.sections).get(title, "")
