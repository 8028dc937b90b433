"""Property test: specs generated in many styles are fixed insert-only, gaining data only, until
nothing fixable is left, and a second run changes nothing.

The generator varies what real files vary: YAML or JSON; indentation 2 or 4 (tabs and minified
for JSON); indented or indentless sequences; status codes bare, single- or double-quoted; flow
responses; comments; CRLF; a BOM; with or without a final newline; Swagger 2.0 and OpenAPI 3.0.
Operations are creates, upserts and others with random subsets of responses, headers and
parameters, and the duplicate policy is fixed either way (a 409, or an Idempotency-Key parameter
appended to a sequence), so every fix meets every layout. The example budget is small for the
normal run (``FIX_PROPERTY_EXAMPLES`` raises it).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fix_invariants import fix_and_check
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from oas_create_check.settings import Settings

EXAMPLES = int(os.environ.get("FIX_PROPERTY_EXAMPLES", "60"))


@dataclass(frozen=True)
class Style:
    is_json: bool
    indent: int | str | None  # spaces, "\t" (JSON), None: minified JSON
    sequence_indented: bool
    code_quote: str
    value_quote: str
    flow: str  # "none", "responses" (the whole responses mapping) or "values" (each response)
    comments: bool
    crlf: bool
    bom: bool
    final_newline: bool


NOUNS = ("pets", "orders", "users", "invoices")
CODES = ("200", "201", "202", "400", "404", "409", "422", "default")


@st.composite
def responses(draw: st.DrawFn, swagger: bool) -> dict[str, Any]:
    success = draw(st.sampled_from(["201", "201", "200", "202", "204"]))
    others = draw(st.lists(st.sampled_from(CODES), max_size=3, unique=True))
    codes = [success, *(c for c in others if c != success)]
    result: dict[str, Any] = {}
    for code in sorted(codes, key=lambda c: (c == "default", c)):
        response: dict[str, Any] = {
            "description": draw(
                st.sampled_from(
                    [
                        "OK",
                        "Created",
                        "A thing: with colon",
                        "it's done",
                        "Two\nlines\n",
                        "Kept\n\n",
                    ]
                )
            )
        }
        if draw(st.booleans()):
            if swagger:
                response["schema"] = {"type": "object"}
            else:
                response["content"] = {"application/json": {"schema": {"type": "object"}}}
        headers = draw(st.integers(0, 4))
        if headers == 0:
            header: dict[str, Any] = {"description": "limit"}
            if swagger:
                header["type"] = "integer"
            else:
                header["schema"] = {"type": "integer"}
            response["headers"] = {"X-Rate-Limit": header}
        elif headers == 1:
            response["headers"] = {}
        result[code] = response
    if draw(st.integers(0, 4)) == 0:
        result["x-internal"] = True
    return result


@st.composite
def operation(draw: st.DrawFn, swagger: bool, noun: str) -> tuple[str, dict[str, Any]]:
    method = draw(st.sampled_from(["post", "post", "put"]))
    verb = draw(st.sampled_from(["create", "create", "add", "createOrReplace", "update", "search"]))
    op: dict[str, Any] = {"operationId": f"{verb}{noun.title()}"}
    if draw(st.booleans()):
        parameter: dict[str, Any] = {"name": "X-Trace", "in": "header"}
        if swagger:
            parameter["type"] = "string"
        else:
            parameter["schema"] = {"type": "string"}
        op["parameters"] = [parameter]
    op["responses"] = draw(responses(swagger))
    if draw(st.booleans()):  # responses first: insertions land mid-operation
        op = {"responses": op.pop("responses"), **op, "summary": "Something"}
    return method, op


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    swagger = draw(st.booleans())
    nouns = draw(st.lists(st.sampled_from(NOUNS), min_size=1, max_size=3, unique=True))
    paths: dict[str, Any] = {}
    for noun in nouns:
        method, op = draw(operation(swagger, noun))
        collection = f"/{noun}" if method == "post" else f"/{noun}/{{id}}"
        if method == "put":
            id_parameter: dict[str, Any] = {"name": "id", "in": "path", "required": True}
            if swagger:
                id_parameter["type"] = "string"
            else:
                id_parameter["schema"] = {"type": "string"}
            op.setdefault("parameters", []).insert(0, id_parameter)
        paths[collection] = {method: op}
    head: dict[str, Any] = {"swagger": "2.0"} if swagger else {"openapi": "3.0.3"}
    return {**head, "info": {"title": "Generated", "version": "1"}, "paths": paths}


styles = st.builds(
    Style,
    is_json=st.booleans(),
    indent=st.sampled_from([2, 4, 2, "\t", None]),
    sequence_indented=st.booleans(),
    code_quote=st.sampled_from(["", "'", '"']),
    value_quote=st.sampled_from(["", "'", '"']),
    flow=st.sampled_from(["none", "none", "responses", "values"]),
    comments=st.booleans(),
    crlf=st.booleans(),
    bom=st.booleans(),
    final_newline=st.booleans(),
)


# -- writing a document in a style -------------------------------------------------------------


def _yaml_scalar(value: Any, quote: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    needs = (
        any(c in text for c in ":#'{}[],")
        or text[:1] in "$/&*!|>%@`-"
        or text.replace(".", "").isdigit()
        or text.lower() in ("true", "false", "null", "yes", "no", "on", "off")
    )
    if "\n" in text:
        return json.dumps(text)
    if quote == "'" or (needs and quote != '"' and "'" not in text):
        return "'" + text.replace("'", "''") + "'"
    if quote == '"' or needs:
        return json.dumps(text)
    return text


def _key(key: str, style: Style) -> str:
    if key in CODES and key != "default":
        return f"{style.code_quote}{key}{style.code_quote}"
    return _yaml_scalar(key, "") if key.startswith("$") else key


def _flow(value: Any, style: Style) -> str:
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{_key(k, style)}: {_flow(v, style)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v, style) for v in value) + "]"
    return _yaml_scalar(value, style.value_quote)


def _yaml_lines(value: Any, column: int, style: Style, key: str | None = None) -> list[str]:
    """Lines for a mapping's entries at ``column``."""
    unit = style.indent if isinstance(style.indent, int) else 2
    lines: list[str] = []
    for k, v in value.items():
        lead = " " * column
        if style.comments and k in ("responses", "parameters"):
            lines.append(f"{lead}# {k} follow")
        flow = (style.flow == "responses" and k == "responses") or (
            style.flow == "values" and key == "responses" and isinstance(v, dict)
        )
        if flow or (isinstance(v, (dict, list)) and not v):
            lines.append(f"{lead}{_key(k, style)}: {_flow(v, style)}")
        elif isinstance(v, dict):
            lines.append(f"{lead}{_key(k, style)}:")
            lines.extend(_yaml_lines(v, column + unit, style, k))
        elif isinstance(v, list):
            lines.append(f"{lead}{_key(k, style)}:")
            dash = column + (unit if style.sequence_indented else 0)
            for item in v:
                item_lines = _yaml_lines(item, dash + 2, style, None)
                lines.append(" " * dash + "- " + item_lines[0].lstrip(" "))
                lines.extend(item_lines[1:])
        elif isinstance(v, str) and "\n" in v:
            indicator = "|+" if v.endswith("\n\n") else "|"
            lines.append(f"{lead}{_key(k, style)}: {indicator}")
            lines.extend(
                " " * (column + unit) + line if line else "" for line in v[:-1].split("\n")
            )
        else:
            tail = "  # note" if style.comments and k == "description" else ""
            lines.append(f"{lead}{_key(k, style)}: {_yaml_scalar(v, style.value_quote)}{tail}")
    return lines


def render(document: dict[str, Any], style: Style) -> bytes:
    if style.is_json:
        if style.indent is None:
            text = json.dumps(document, separators=(",", ":"))
        else:
            text = json.dumps(document, indent=style.indent)
    else:
        text = "\n".join(_yaml_lines(document, 0, style))
    if style.comments and not style.is_json:
        text = "# generated\n" + text
    if style.final_newline:
        text += "\n"
    if style.crlf:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if style.bom else b"") + text.encode("utf-8")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    document=documents(),
    style=styles,
    unsafe=st.booleans(),
    duplicate_fix=st.sampled_from(["409", "idempotency-key"]),
)
def test_fix_properties(
    document: dict[str, Any], style: Style, unsafe: bool, duplicate_fix: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        spec = work / ("api.json" if style.is_json else "api.yaml")
        spec.write_bytes(render(document, style))
        settings = Settings(duplicate_fix=duplicate_fix)
        report, _, _ = fix_and_check(work, [spec], settings, unsafe)
        assert not report.run.errors, report.run.errors
        event(f"fixed {min(sum(c.fixed for c in report.changes), 3)}+ problems")


def test_generator_writes_what_it_means() -> None:
    """The renderer itself is right: each style reads back as the document."""
    from oas_create_check.load.parse import parse
    from oas_create_check.load.read import decode

    document = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/pets": {
                "post": {
                    "parameters": [{"name": "a", "in": "header"}],
                    "responses": {"201": {"description": "A: b"}},
                }
            }
        },
    }
    for style in (
        Style(False, 2, True, "'", "", "none", True, True, True, False),
        Style(False, 4, False, "", '"', "values", False, False, False, True),
        Style(False, 2, False, '"', "'", "responses", True, False, True, True),
        Style(True, "\t", False, "", "", "none", False, True, True, False),
        Style(True, None, False, "", "", "none", False, False, False, False),
    ):
        raw = render(document, style)
        data = parse(decode(raw, "x"), "x", style.is_json)
        if not style.is_json and style.code_quote == "":
            data["paths"]["/pets"]["post"]["responses"] = {
                str(k): v for k, v in data["paths"]["/pets"]["post"]["responses"].items()
            }
        assert data == document, style
