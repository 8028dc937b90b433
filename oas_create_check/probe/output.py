"""What a probe run prints: its findings through the lint's own reporters (every format), the
JSON report with the transcript of each finding added, and the ``--plan`` listing.
"""

from __future__ import annotations

import json

from oas_create_check import __version__
from oas_create_check.escape import defused, printable
from oas_create_check.probe.build import Target
from oas_create_check.probe.checks import fill
from oas_create_check.probe.client import Redactor
from oas_create_check.probe.runner import ProbeResult
from oas_create_check.report import Report, get_renderer
from oas_create_check.rules import all_rules


def report(result: ProbeResult) -> Report:
    return Report(
        findings=result.findings,
        operations=result.operations,
        files=result.files,
        notices=result.notices,
        rules={rule_id: rule.doc for rule_id, rule in all_rules().items()},
        tool_version=__version__,
    )


def render(result: ProbeResult, fmt: str) -> str:
    """The report in ``fmt``. JSON is the lint's document with, on each finding, the redacted
    ``transcript`` of the exchanges that show it, and a ``probe`` summary of the run."""
    text = get_renderer(fmt)(report(result))
    if fmt != "json":
        return text
    document = json.loads(text)
    for finding, transcript in zip(document["findings"], result.transcripts, strict=True):
        finding["transcript"] = transcript
    document["probe"] = {
        "requests": result.requests,
        "seconds": round(result.seconds, 3),
        "errors": result.errors,
    }
    return defused("json", json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def plan(targets: list[Target], base_url: str, redactor: Redactor, headers: dict[str, str]) -> str:
    """The requests the probe would send first for each create, in order; nothing is sent."""
    lines: list[str] = []
    base = base_url.rstrip("/")
    shown_headers = redactor.headers(headers)
    for target in targets:
        op = target.op
        line, column = op.node.location
        lines.append(
            f"{printable(op.node.file.display)}:{line}:{column}: {op.method.upper()} {printable(op.path)} ({printable(target.label)})"
        )
        params = {**target.params}
        for name, parent in target.parents.items():
            params[name] = f"<{parent.label}>"
        url = base + fill(op.path, params).replace("%3C", "<").replace("%3E", ">")
        if target.query:
            from urllib.parse import urlencode

            url += "?" + urlencode(target.query)
        request_headers = {**shown_headers, **redactor.headers(target.headers)}
        if target.key_header:
            request_headers[target.key_header] = "<new key>"
        lines.append(f"  {op.method.upper()} {printable(redactor.text(url))}")
        for name, value in request_headers.items():
            lines.append(f"    {printable(name)}: {printable(value)}")
        if target.has_body:
            body = printable(redactor.text(json.dumps(target.body, ensure_ascii=False)))
            lines.append(f"    body ({target.body_source}): {body}")
        for step in _steps(target):
            lines.append(f"  then {step}")
    return "\n".join(lines) + ("\n" if lines else "")


def _steps(target: Target) -> list[str]:
    steps = ["GET the Location (or poll the 202's monitor) until it answers"]
    if target.key_header:
        steps.append(f"the same request again with the same {target.key_header}")
        steps.append(f"the same {target.key_header} with a changed body")
        if target.key_required:
            steps.append(f"the request without {target.key_header}")
    if target.has_body and target.valid_body is not None:
        steps.append("invalid bodies (a required property dropped, a wrong type)")
    if target.resource.listing is True:
        steps.append(f"GET {target.op.path} around each create, to count the items")
    return steps
