"""What the fixes add, checked where it lands: the cheap half of "a spec that passed
openapi-spec-validator still does".

Fixes only insert (or, unsafe, rename a lone ``200`` to ``201``), and each insertion says what it
is (``AddEntry.what``: a response, a header, a parameter). A document that passed the validator
and gains only such objects, each valid against the OpenAPI meta-schema's definition for its
kind, under keys of the right form, with every ``$ref`` among them resolving to an object of
that kind, passes again: the validator's meta-schema stage sees the old document plus valid
objects in places where such objects belong, and its semantic stage (parameter duplicates,
default values, path templates) has nothing new to look at, since the rules add no schema
defaults, no examples and no parameter an operation already has. Running the whole validator
on a 3 MB spec costs seconds; this costs milliseconds.

Anything else (a change of unknown kind, an object that fails its definition) is not decided
here: the fixer then validates the whole document, as before.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from oas_create_check.model import AddEntry, Change
from oas_create_check.offline import rust_validator

#: The meta-schema definition of each kind, by spec version: the validator's meta-schema (its
#: loaded copy in ``openapi_spec_validator.schemas``), its definitions section and each kind's
#: name there.
_DEFINITIONS = {
    "v2.0": (
        "schema_v2",
        "definitions",
        {"response": "response", "header": "header", "parameter": "parameter"},
    ),
    "v3.0": (
        "schema_v30",
        "definitions",
        {"response": "Response", "header": "Header", "parameter": "Parameter"},
    ),
    "v3.1": (
        "schema_v31",
        "$defs",
        {"response": "response", "header": "header", "parameter": "parameter"},
    ),
}
#: Where the validator keeps the file behind each loaded meta-schema, inside its package.
_BUNDLED = "resources/schemas/{version}/schema.json"
#: The environment variable that chooses the validator's schema engine (its settings' prefix and
#: name, upper-cased).
_BACKEND_SETTING = "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
#: Keys of ``components`` maps (OpenAPI 3.x: ``^[a-zA-Z0-9.\-_]+$``) and response codes.
_COMPONENT_KEY = re.compile(r"^[a-zA-Z0-9.\-_]+$")
_CODE_KEY = re.compile(r"^(?:[1-5](?:\d{2}|XX)|default)$")

#: Follows a ``$ref`` written in a file to the value it names (``None``: it does not resolve).
Resolve = Callable[[Path, str], Any]


def version_of(document: Any) -> str | None:
    """The meta-schema version of the root document (``v2.0``, ``v3.0``, ``v3.1``), or ``None``
    if the validator has none for it."""
    if not isinstance(document, dict):
        return None
    if str(document.get("swagger", "")).startswith("2.0"):
        return "v2.0"
    version = str(document.get("openapi", ""))
    if version.startswith("3.0"):
        return "v3.0"
    if version.startswith("3.1"):
        return "v3.1"
    return None


def unchecked(version: str | None, changes: Iterable[Change], resolve: Resolve) -> str | None:
    """Why the changes cannot be vouched for here (``None``: every one is a valid object of its
    kind in a place for that kind, and the whole validator need not run)."""
    if version is None or version not in _DEFINITIONS:
        return "a spec version without a bundled meta-schema"
    seen: set[str] = set()
    for change in changes:
        if not isinstance(change, AddEntry):
            continue  # a rename of a lone 200 to 201: the key form is the edit's own check
        if change.what not in ("response", "header", "parameter"):
            return f"a change of unknown kind at {change.key!r}"
        # a status code under an operation's responses, else the name of a reusable piece
        # (components keys are the strictest form the specification allows)
        code = change.what == "response" and _CODE_KEY.match(change.key)
        if not code and change.what != "parameter" and not _COMPONENT_KEY.match(change.key):
            return f"key {change.key!r}"
        values = change.value if isinstance(change.value, list) else [change.value]
        for value in values:
            why = _invalid(version, change.what, value, change.file, resolve, seen)
            if why is not None:
                return why
    return None


def _invalid(
    version: str, what: str, value: Any, file: Path, resolve: Resolve, seen: set[str]
) -> str | None:
    """Why ``value`` (or what its ``$ref`` names) is no valid ``what``; ``seen`` holds what was
    already found valid in this check (many operations get the same one-line ``$ref``)."""
    if isinstance(value, dict) and "$ref" in value:
        ref = value["$ref"]
        target = resolve(file, ref) if isinstance(ref, str) else None
        if target is None:
            return f"a $ref that does not resolve: {ref!r}"
        value = target
        if isinstance(value, dict) and "$ref" in value:
            return f"a $ref to a $ref: {ref!r}"
    plain = _plain(value)
    key = what + json.dumps(plain, sort_keys=True, default=str)
    if key in seen:
        return None
    try:
        error = next(_validator(version).iter_errors({what: plain}), None)
    except (TypeError, ValueError) as exc:  # a value no JSON engine takes (bytes, say)
        return f"a {what} that cannot be checked here: {exc}"
    if error is not None:
        return f"a {what} that fails the meta-schema: {error.message}"
    seen.add(key)
    return None


def _plain(value: Any) -> Any:
    """``value`` with string keys (YAML may give a status code as an int)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@lru_cache(maxsize=4)
def _validator(version: str) -> Any:
    """A validator of ``{kind: object}`` for the kinds a fix adds (``response``...), each
    checked against its definition in the validator's own meta-schema, the definitions kept
    whole for their ``$ref``s and nothing of the root's own constraints; on the engine the
    validator's meta-schema stage runs on (``_rust_validator``), else on jsonschema. One
    compilation for all kinds: each compiles the whole definitions section (~10 ms)."""
    _, section, names = _DEFINITIONS[version]
    meta = _meta_schema(version)
    schema = {
        "$schema": meta["$schema"],
        section: meta[section],
        "type": "object",
        "properties": {what: {"$ref": f"#/{section}/{name}"} for what, name in names.items()},
    }
    rust = _rust_validator(schema)
    if rust is not None:
        return rust
    from jsonschema.validators import validator_for

    return validator_for(schema)(schema)


def _rust_validator(schema: dict[str, Any]) -> Any:
    """``schema`` compiled by jsonschema-rs as openapi-spec-validator compiles its meta-schema
    stage (and ``spec/validation.py`` recompiles it: ``offline.rust_validator``),
    when the validator would run on it: jsonschema-rs installed, and the library's backend
    setting not choosing otherwise. ``None`` when it would not. Besides checking with the
    engine that would judge the whole document, this spares importing jsonschema (~0.1 s)."""
    if any(name.upper() == _BACKEND_SETTING for name in os.environ):
        # the library reads its setting itself (pydantic): its own answer, at its import's cost
        from openapi_spec_validator.schemas import get_validator_backend

        if get_validator_backend() != "jsonschema-rs":
            return None
    try:
        return rust_validator(schema)
    except ImportError:
        return None


def _meta_schema(version: str) -> Any:
    """The validator's meta-schema for ``version``. Read from the file its package loads it
    from, found without importing the package: importing ``openapi_spec_validator`` imports the
    whole validator (~0.3 s), which a fix that this module vouches for never runs. Where that
    file is not found (another layout of the package), the package's loaded copy."""
    found = find_spec("openapi_spec_validator")  # a top-level name: nothing is executed
    for folder in (found.submodule_search_locations or []) if found is not None else []:
        file = Path(folder) / _BUNDLED.format(version=version)
        if file.is_file():
            return json.loads(file.read_text(encoding="utf-8"))
    from openapi_spec_validator import schemas

    return getattr(schemas, _DEFINITIONS[version][0])
