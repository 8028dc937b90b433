"""One shared set of findings that every reporter test renders.

Reporters are where text from the checked spec meets a consumer that gives some characters a meaning
of its own (a workflow-command runner, an XML parser, a URI resolver). So the cases are chosen to be
hostile: a message holding newlines, workflow commands, ``%`` escapes, XML markup and ``]]>``,
terminal colour codes and control characters; a file name with spaces, commas, colons, ``%``
and ``#``; a file reached only through a ``$ref``; a clean file; and two findings of one rule on
one node.
"""

from __future__ import annotations

from dataclasses import replace

from oas_create_check.model import Finding, Kind, RuleDoc, Severity
from oas_create_check.report import Report

PETS = "api/pets.yaml"
ODD = "specs/my api, v2: draft 100% #1.yaml"
SHARED = "shared/components.yaml"  # appears only in findings: a $ref target outside the checked set
CLEAN = "clean.yaml"

FILES = (PETS, ODD, CLEAN)

#: Spec text quoted in a message, written to break every consumer at once.
NASTY_MESSAGE = (
    "POST /pets returns 201 without a Location header\n"
    "::set-env name=A::B\r\n"
    "::add-mask::x\n"
    "100% sure: %0A stays literal, %25 too\n"
    "<script>alert(1)</script> & ]]> \"double\" 'single' caf\u00e9\n"
    "\x1b[31mred\x1b[0m NUL:\x00 BEL:\x07 VT:\x0b FF:\x0c OSC:\x1b]0;title\x07 DEL:\x7f"
    "\u2028after-LS\ttab"
)

#: ``NASTY_MESSAGE`` as it should reach a reader: terminal escapes and control characters gone,
#: the Unicode line separator turned into a newline; everything else, CR included, intact.
NASTY_MESSAGE_CLEAN = (
    "POST /pets returns 201 without a Location header\n"
    "::set-env name=A::B\r\n"
    "::add-mask::x\n"
    "100% sure: %0A stays literal, %25 too\n"
    "<script>alert(1)</script> & ]]> \"double\" 'single' caf\u00e9\n"
    "red NUL: BEL: VT: FF: OSC: DEL:"
    "\nafter-LS\ttab"
)


def _finding(
    rule: str,
    severity: Severity,
    message: str,
    file: str,
    line: int,
    column: int,
    pointer: str,
    path: str,
    method: str,
    end_line: int | None = None,
    end_column: int | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        file=file,
        line=line,
        column=column,
        pointer=pointer,
        path=path,
        method=method,
        end_line=end_line,
        end_column=end_column,
    )


FINDINGS: tuple[Finding, ...] = (
    _finding(
        "create-status-201",
        Severity.ERROR,
        "POST /pets creates a resource but documents no 201 response (it has 200)",
        PETS,
        12,
        7,
        "/paths/~1pets/post/responses",
        "/pets",
        "post",
        end_line=12,
        end_column=17,
    ),
    _finding(
        "create-location-header",
        Severity.ERROR,
        NASTY_MESSAGE,
        PETS,
        14,
        9,
        "/paths/~1pets/post/responses/201",
        "/pets",
        "post",
    ),
    _finding(
        "create-duplicate-policy",
        Severity.WARNING,
        "POST /pets has neither a 409/422 response nor an Idempotency-Key header",
        PETS,
        10,
        5,
        "/paths/~1pets/post",
        "/pets",
        "post",
    ),
    _finding(
        "accepted-status-monitor",
        Severity.WARNING,
        "202 of POST /jobs, v2: has no Location header and no body (100% async)",
        ODD,
        31,
        11,
        "/paths/~1jobs/post/responses/202",
        "/jobs",
        "post",
        end_line=33,
        end_column=4,
    ),
    # Two findings of one rule on one node: their fingerprints must still differ.
    _finding(
        "idempotency-key-contract",
        Severity.INFO,
        "Idempotency-Key is not declared as a string",
        ODD,
        40,
        13,
        "/paths/~1orders~1{id}/put/parameters/0",
        "/orders/{id}",
        "put",
    ),
    _finding(
        "idempotency-key-contract",
        Severity.INFO,
        "Idempotency-Key: no 422 documented for a reused key",
        ODD,
        40,
        13,
        "/paths/~1orders~1{id}/put/parameters/0",
        "/orders/{id}",
        "put",
    ),
    _finding(
        "create-location-header",
        Severity.ERROR,
        "201 of POST /users (defined here through $ref) has no Location header",
        SHARED,
        3,
        3,
        "/components/responses/Created",
        "/users",
        "post",
    ),
)


def _doc(rule: str, severity: Severity, summary: str, kinds: tuple[Kind, ...]) -> RuleDoc:
    return RuleDoc(
        id=rule,
        severity=severity,
        summary=summary,
        applies_to=kinds,
        sections=(
            ("What it does", f"Checks that {summary[0].lower()}{summary[1:]}"),
            ("Why is this bad?", "Clients cannot rely on the `201 Created` contract."),
            ("Example", "```yaml\nresponses:\n  '200': {description: ok}\n```"),
            ("Use instead", "```yaml\nresponses:\n  '201': {description: created}\n```"),
            ("Options", ""),
            ("Fix safety", "The fix is safe."),
        ),
    )


RULES: dict[str, RuleDoc] = {
    doc.id: doc
    for doc in (
        _doc(
            "create-status-201",
            Severity.ERROR,
            "A create operation documents a 201 response.",
            (Kind.CREATE, Kind.UPSERT),
        ),
        _doc(
            "create-location-header",
            Severity.ERROR,
            "The 201 of a POST create has a Location header.",
            (Kind.CREATE,),
        ),
        _doc(
            "create-duplicate-policy",
            Severity.WARNING,
            "A POST create says what happens to a duplicate.",
            (Kind.CREATE,),
        ),
        _doc(
            "accepted-status-monitor",
            Severity.WARNING,
            "A 202 points to a status monitor.",
            (Kind.CREATE,),
        ),
        _doc(
            "idempotency-key-contract",
            Severity.INFO,
            "An Idempotency-Key header follows the IETF draft.",
            (Kind.CREATE, Kind.UPSERT),
        ),
        # Documented but never fired in these cases: SARIF must still list it.
        _doc(
            "conflict-problem-details",
            Severity.INFO,
            "A 409 or 422 has a problem-details body.",
            (Kind.CREATE,),
        ),
    )
}

REPORT = Report(
    findings=FINDINGS,
    files=FILES,
    notices=("skipped notes.yaml: no top-level openapi/swagger key",),
    rules=RULES,
    tool_version="0.1.0",
)


def shifted(report: Report, lines: int) -> Report:
    """The same report after ``lines`` lines were inserted at the top of every file."""
    moved = tuple(
        replace(
            f,
            line=f.line + lines,
            end_line=None if f.end_line is None else f.end_line + lines,
        )
        for f in report.findings
    )
    return replace(report, findings=moved)
