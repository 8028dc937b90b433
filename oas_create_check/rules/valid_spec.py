"""The whole document passes openapi-spec-validator (opt-in: ``--validate``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oas_create_check.model import Severity
from oas_create_check.rules import Problem

if TYPE_CHECKING:
    from oas_create_check.load.refs import Node, Workspace
    from oas_create_check.model import Pointer
    from oas_create_check.settings import Settings
    from oas_create_check.spec.operations import Spec

ID = "valid-spec"
SEVERITY = Severity.ERROR
APPLIES_TO = ()
ENABLED_BY_DEFAULT = False
SUMMARY = "The document is a valid OpenAPI/Swagger description (openapi-spec-validator)."
SOURCES = (
    ("OpenAPI Specification", "https://spec.openapis.org/oas/latest.html"),
    ("Swagger 2.0", "https://swagger.io/specification/v2/"),
)
DOC = """
## What it does
Runs [openapi-spec-validator](https://github.com/python-openapi/openapi-spec-validator) on the
whole document (Swagger 2.0, OpenAPI 3.0, 3.1) and reports each error at the node the validator
names, in the file that defines it. Off by default; `--validate` (or `validate = true` in the
configuration) turns it on. The validator runs sandboxed: `$ref`s are served by this tool's own
loader, so nothing is fetched from the network and no file outside the spec's root directory is
read; such a reference is reported instead. If the validator itself crashes (it has internal bugs
on some real specs), one finding says so instead of a traceback.

## Why is this bad?
The other rules read the document the way a client generator or a documentation tool would; if
the document is not valid OpenAPI, those tools may reject it or, worse, silently read something
else than its author meant. A spec that fails validation is a broken contract before any
question of status codes arises.

## Example
```yaml
paths:
  /pets:
    post:
      responses:
        "201": {}
```

## Use instead
```yaml
paths:
  /pets:
    post:
      responses:
        "201": {description: Created}
```

## Options
- `validate` (default `false`): run this rule without `--validate`.

## Fix safety
No fix. The fixer uses the same validator the other way round: when a spec passed validation
before `--fix`, a fix that would make it fail is not written.
"""


def _node_at(workspace: Workspace, pointer: Pointer) -> Node:
    """The node the validator walked to, following ``$ref`` on the way (the validator resolves
    them), stopping at the deepest node that exists."""
    node = workspace.root_node()
    for part in pointer:
        resolved = workspace.deref(node) or node
        child = resolved.child(part)
        if child is None:
            return resolved
        node = child
    return node


def check_spec(spec: Spec, settings: Settings) -> Iterator[Problem]:
    from oas_create_check.spec.validation import CRASHED, UNSUPPORTED, validate

    workspace = spec.workspace
    verdict = validate(workspace.root, workspace.root_dir)
    root = workspace.root_node()
    if verdict.status == UNSUPPORTED:
        yield Problem(root, f"not validated: {verdict.detail}")
        return
    seen: set[tuple[Pointer, str]] = set()
    for issue in verdict.issues:
        if (issue.pointer, issue.message) in seen:
            continue
        seen.add((issue.pointer, issue.message))
        said = issue.message if issue.refused else f"openapi-spec-validator: {issue.message}"
        yield Problem(_node_at(workspace, issue.pointer), said)
    if verdict.status == CRASHED:
        yield Problem(
            root,
            f"openapi-spec-validator could not finish ({verdict.detail}); the document was not "
            "fully validated",
        )
