"""Every ``$ref`` the checks needed could be followed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import Severity
from oas_create_check.rules import Problem

if TYPE_CHECKING:
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Spec

ID = "unresolved-ref"
SEVERITY = Severity.ERROR
APPLIES_TO = ()
SUMMARY = "A $ref needed to check an operation cannot be followed."
SOURCES = (
    (
        "OpenAPI 3.1.0, Reference Object",
        "https://spec.openapis.org/oas/v3.1.0#reference-object",
    ),
    (
        "RFC 3986 §5 (resolving relative references)",
        "https://www.rfc-editor.org/rfc/rfc3986#section-5",
    ),
)
DOC = """
## What it does
Reports each `$ref` met while checking POST/PUT operations that cannot be followed: a missing
file or pointer, a reference cycle, a remote URL (never fetched: the tool makes no network
requests), an absolute path, or a relative path that leaves the spec's root directory (by default
the folder of the root document; widen it with the `ref-root` setting). Only references the checks
needed are followed, so a broken `$ref` elsewhere is not reported (use `--validate` for that).

## Why is this bad?
An operation whose responses or parameters cannot be resolved cannot be checked, and tools that
generate clients or docs from the spec will fail or silently drop the parts they cannot find.
References out of the spec's folder are refused because a spec from an untrusted pull request
must not make the linter read (and print) arbitrary files on the CI machine.

## Example
```yaml
responses:
  "201": {$ref: "https://example.com/common.yaml#/Created"}
```

## Use instead
```yaml
responses:
  "201": {$ref: "./common.yaml#/Created"}
```

## Options
- `ref-root`: the directory that relative references may not leave.

## Fix safety
No fix.
"""


def check_spec(spec: Spec, settings: Settings) -> Iterator[Problem]:
    for problem in spec.workspace.problems.values():
        yield Problem(problem.node, f"$ref '{problem.ref}' cannot be followed: {problem.message}")
