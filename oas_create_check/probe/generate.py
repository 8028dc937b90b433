"""Instances of a schema, examples first: the spec's own ``example``/``examples`` wherever it
gives one, else the smallest valid value (required properties only, the first ``enum`` value, a
string of the declared ``format``, a number inside the bounds). Seeded, so two runs send the
same bodies. Every candidate is checked by the validator before it is used; the caller decides
what to do when none passes (``CannotGenerate``).

Also the variants the checks need: a body with a required property dropped or of the wrong type
(invalid on purpose, and verified to be), and a valid body that differs from the first.
"""

from __future__ import annotations

import copy
import random
import re
from typing import Any

from oas_create_check.probe.schema import JSON, Validator

MAX_DEPTH = 24

#: A valid string for each common ``format``.
_FORMATS = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "email": "probe@example.com",
    "idn-email": "probe@example.com",
    "uuid": "8c2a0c4e-1d2b-4b6f-9e3a-5f1c2d3e4f5a",
    "uri": "https://example.com/probe",
    "url": "https://example.com/probe",
    "uri-reference": "/probe",
    "iri": "https://example.com/probe",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "cHJvYmU=",
    "binary": "probe",
    "password": "probe-password",
    "duration": "PT1M",
    "phone": "+15555550100",
}


class CannotGenerate(Exception):
    """No value satisfies the schema as far as this generator can tell: the message says why."""


class Generator:
    """Values for schemas, drawn from one seeded random source."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)

    def instance(self, schema: JSON, use_examples: bool = True) -> JSON:
        return self._value(schema, use_examples, 0)

    def _value(self, schema: JSON, examples: bool, depth: int) -> JSON:
        if depth > MAX_DEPTH:
            raise CannotGenerate("the schema nests too deep")
        if schema is True or not isinstance(schema, dict):
            return "probe"
        if schema is False:
            raise CannotGenerate("a schema that allows nothing (false)")
        if examples:
            found, example = _example(schema)
            if found:
                return copy.deepcopy(example)
        if "const" in schema:
            return copy.deepcopy(schema["const"])
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return copy.deepcopy(next((v for v in enum if v is not None), enum[0]))
        if isinstance(schema.get("allOf"), list):
            return self._value(_merge(schema), examples, depth + 1)
        for key in ("oneOf", "anyOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                return self._choice(schema, key, options, examples, depth)
        kind = _type(schema)
        if kind == "object":
            return self._object(schema, examples, depth)
        if kind == "array":
            return self._array(schema, examples, depth)
        if kind == "string":
            return self._string(schema)
        if kind in ("integer", "number"):
            return _number(schema, kind)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return "probe"

    def _choice(
        self, schema: dict[str, Any], key: str, options: list[Any], examples: bool, depth: int
    ) -> JSON:
        rest = {k: v for k, v in schema.items() if k != key}
        errors: list[str] = []
        for option in options:
            merged = _merge({"allOf": [rest, option]}) if rest else option
            try:
                return self._value(merged, examples, depth + 1)
            except CannotGenerate as exc:
                errors.append(str(exc))
        raise CannotGenerate(f"no {key} option could be generated ({'; '.join(errors[:2])})")

    def _object(self, schema: dict[str, Any], examples: bool, depth: int) -> dict[str, Any]:
        props: dict[str, Any] = (
            schema["properties"] if isinstance(schema.get("properties"), dict) else {}
        )
        required = [r for r in schema.get("required") or () if isinstance(r, str)]
        result: dict[str, Any] = {}
        for name in required:
            sub = props.get(name, schema.get("additionalProperties", {}))
            result[name] = self._value(sub if sub is not None else {}, examples, depth + 1)
        minimum = schema.get("minProperties")
        if isinstance(minimum, int):
            for name, sub in props.items():
                if len(result) >= minimum:
                    break
                result.setdefault(name, self._value(sub, examples, depth + 1))
        return result

    def _array(self, schema: dict[str, Any], examples: bool, depth: int) -> list[Any]:
        count: int = schema["minItems"] if isinstance(schema.get("minItems"), int) else 0
        items = schema.get("items", {})
        values = [self._value(items, examples, depth + 1) for _ in range(min(count, 16))]
        if schema.get("uniqueItems") and len(values) > 1:
            values = [_vary(v, i) for i, v in enumerate(values)]
        return values

    def _string(self, schema: dict[str, Any]) -> str:
        fmt = schema.get("format")
        base = _FORMATS.get(fmt, "") if isinstance(fmt, str) else ""
        pattern = schema.get("pattern")
        if not base and isinstance(pattern, str):
            base = _from_pattern(pattern, self.rng)
        if not base:
            base = f"probe-{self.rng.randrange(16**4):04x}"
        low: int = schema["minLength"] if isinstance(schema.get("minLength"), int) else 0
        high: int | None = schema["maxLength"] if isinstance(schema.get("maxLength"), int) else None
        if len(base) < low:
            base = base + "x" * (low - len(base))
        if high is not None and len(base) > high:
            base = base[:high]
        return base


def _example(schema: dict[str, Any]) -> tuple[bool, JSON]:
    if "example" in schema:
        return True, schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return True, examples[0]
    if "default" in schema:
        return True, schema["default"]
    return False, None


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    if any(k in schema for k in ("minimum", "maximum", "multipleOf")):
        return "number"
    return "string" if any(k in schema for k in ("format", "pattern", "minLength")) else ""


def _merge(schema: dict[str, Any]) -> dict[str, Any]:
    """An ``allOf`` folded into one schema: properties and ``required`` united, the rest of
    each part laid over the others (good enough to generate from; the validator decides)."""
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema.get("allOf") or ():
        if not isinstance(part, dict):
            continue
        if isinstance(part.get("allOf"), list):
            part = _merge(part)
        for key, value in part.items():
            if key == "properties" and isinstance(value, dict):
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required" and isinstance(value, list):
                merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
            else:
                merged.setdefault(key, value)
    return merged


def _number(schema: dict[str, Any], kind: str) -> int | float:
    low, high = schema.get("minimum"), schema.get("maximum")
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    step = schema.get("multipleOf")
    value: float = 1
    if isinstance(ex_low, (int, float)) and not isinstance(ex_low, bool):
        value = ex_low + (step if isinstance(step, (int, float)) else 1)
    elif isinstance(low, (int, float)):
        value = low + (1 if ex_low is True else 0)
    elif isinstance(high, (int, float)) and high < 1:
        value = high - (1 if ex_high is True else 0)
    elif isinstance(ex_high, (int, float)) and not isinstance(ex_high, bool) and ex_high <= 1:
        value = ex_high - 1
    if isinstance(step, (int, float)) and step > 0 and value % step:
        value = (value // step + 1) * step
    return int(value) if kind == "integer" else value


def _from_pattern(pattern: str, rng: random.Random) -> str:
    """A string for the simplest patterns (anchored literals, classes with counts); ``""``
    when the pattern is beyond that, and the caller's candidate then fails validation."""
    body = pattern.removeprefix("^").removesuffix("$")
    out: list[str] = []
    token = re.compile(r"(\[[^\]]+\]|\\d|\\w|\.|[A-Za-z0-9_\-/: ])(\{(\d+)(?:,(\d*))?\}|\+|\*|\?)?")
    position = 0
    while position < len(body):
        match = token.match(body, position)
        if match is None:
            return ""
        atom, quantifier, count = match.group(1), match.group(2), match.group(3)
        times = int(count) if count else (0 if quantifier in ("*", "?") else 1)
        out.append("".join(_one_of(atom, rng) for _ in range(times)))
        position = match.end()
    candidate = "".join(out)
    return candidate if re.fullmatch(pattern.removeprefix("^").removesuffix("$"), candidate) else ""


def _one_of(atom: str, rng: random.Random) -> str:
    if atom == "\\d":
        return str(rng.randrange(10))
    if atom in ("\\w", "."):
        return rng.choice("abcdefgh")
    if atom.startswith("["):
        inner = atom[1:-1]
        ranges = re.findall(r"(.)-(.)", inner)
        if ranges:
            start, end = ranges[0]
            return chr(rng.randrange(ord(start), ord(end) + 1))
        return inner[0]
    return atom


def _vary(value: JSON, index: int) -> JSON:
    if isinstance(value, str):
        return f"{value}{index}" if index else value
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value + index
    return value


def build_body(
    candidates: list[JSON], schema: dict[str, Any], valid: Validator, seed: int
) -> tuple[JSON, str]:
    """The first valid body among ``candidates`` (the spec's examples, in order), else a
    generated one (examples of the parts first, then without them), with where it came from.
    Raises ``CannotGenerate`` with the validator's complaint when nothing passes."""
    complaints: list[str] = []
    for candidate in candidates:
        error = valid(candidate)
        if error is None:
            return candidate, "example"
        complaints.append(f"the spec's example is invalid ({error})")
    for use_examples in (True, False):
        try:
            body = Generator(seed).instance(schema, use_examples)
        except CannotGenerate as exc:
            complaints.append(str(exc))
            continue
        error = valid(body)
        if error is None:
            return body, "generated"
        complaints.append(f"the generated body is invalid ({error})")
    raise CannotGenerate("; ".join(dict.fromkeys(complaints)))


def invalid_bodies(body: JSON, schema: dict[str, Any], valid: Validator) -> list[tuple[str, JSON]]:
    """Bodies the schema rejects, each with a description: a required property dropped, then a
    property of the wrong type. Only variants that really fail validation are returned."""
    if not isinstance(body, dict):
        return []
    found: list[tuple[str, JSON]] = []
    merged = _merge(schema) if isinstance(schema.get("allOf"), list) else schema
    for name in merged.get("required") or ():
        if name in body:
            dropped = {k: v for k, v in body.items() if k != name}
            if valid(dropped) is not None:
                found.append((f"required property {name!r} dropped", dropped))
                break
    for name, value in body.items():
        wrong: JSON = 12345 if isinstance(value, str) else "not-a-" + type(value).__name__
        changed = {**body, name: wrong}
        if valid(changed) is not None:
            found.append((f"property {name!r} of the wrong type", changed))
            break
    return found


def other_body(body: JSON, valid: Validator) -> JSON | None:
    """A valid body that differs from ``body`` in one value, for reusing a key with another
    payload; ``None`` when no simple change keeps it valid."""
    if not isinstance(body, dict):
        return None
    for name, value in body.items():
        for changed in _changes(value):
            candidate = {**body, name: changed}
            if candidate != body and valid(candidate) is None:
                return candidate
    return None


def _changes(value: JSON) -> list[JSON]:
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, (int, float)):
        return [value + 1, value - 1]
    if isinstance(value, str):
        return [value + "-2", value[:-1] + ("b" if value[-1:] != "b" else "c")]
    return []
