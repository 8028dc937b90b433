"""jsonschema-rs validators that fetch nothing.

jsonschema-rs resolves a schema's remote ``$ref``s itself, in Rust, where the no-network guard
of ``spec/validation.py`` never sees the connection. Every validator the tool compiles with it
is compiled here, with a retriever that refuses every URI. The meta-schemas' own references (the
JSON Schema drafts) are built into jsonschema-rs and never reach the retriever. Light on
purpose: the fixer imports it without the validator's modules.
"""

from __future__ import annotations

from typing import Any


def refuse_retrieval(uri: str) -> Any:
    """The retriever: nothing is fetched."""
    raise ValueError(f"not retrieved: oas-create-check makes no network requests ({uri})")


def rust_validator(schema: dict[str, Any]) -> Any:
    """``schema`` compiled by jsonschema-rs with ``refuse_retrieval`` (jsonschema-rs must be
    installed: the callers decide whether it is the engine to use)."""
    import jsonschema_rs

    return jsonschema_rs.validator_cls_for(schema)(schema, retriever=refuse_retrieval)
