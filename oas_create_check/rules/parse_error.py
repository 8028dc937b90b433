"""A file that cannot be read or parsed: reported as a finding in every format (exit code 2)."""

from __future__ import annotations

from oas_create_check.model import Severity

ID = "parse-error"
SEVERITY = Severity.ERROR
APPLIES_TO = ()
SUMMARY = "A spec file can be read and parsed (reported by the tool itself; exit code 2)."
SOURCES = (
    ("YAML 1.2.2", "https://yaml.org/spec/1.2.2/"),
    ("RFC 8259 (JSON)", "https://www.rfc-editor.org/rfc/rfc8259"),
)
DOC = """
## What it does
Reports a file that was named or found but cannot be checked: missing, unreadable, not UTF-8/16/32
text, invalid YAML or JSON (with the line), a key written twice, nesting too deep, larger than
256 MB. The run still checks every other file, and exits with code `2`. The message also goes to
stderr; in the machine formats (JSON, SARIF, GitLab, JUnit, GitHub annotations, the Markdown
summary) the file is a finding, so a dashboard never says "no issues" for a spec it never read.

## Why is this bad?
A spec that does not parse cannot be checked, and most tools that read it (client generators,
documentation sites, gateways) will fail on it too, or worse, read it differently.

## Example
```yaml
paths:
  /pets:
    post:
      responses:
        "201": {description: created
```

## Use instead
```yaml
paths:
  /pets:
    post:
      responses:
        "201": {description: created}
```

## Options
None: this finding cannot be selected, ignored or suppressed, and always gives exit code 2.

## Fix safety
No fix.
"""
