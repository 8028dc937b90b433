"""The README's rule table, generated from the rules' own documentation.

Each rule documents itself (``ID``, ``SEVERITY``, ``APPLIES_TO``, ``SUMMARY`` and the ``DOC``
sections); the table in README.md is a view of that, never a second copy to keep in step by hand.
``python -m oas_create_check.report.rule_docs --write-readme`` rewrites it between the markers, and a test fails
when the committed table is stale (the way pre-commit-hooks checks its README).

The "fix" column is read from the opening words of each rule's *Fix safety* section, which every
rule writes in one of three forms: "Safe: ...", "No safe fix ... **unsafe** fix ...", or
"No fix ...". A section opening any other way is an error here, so the table cannot silently
claim the wrong safety.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from oas_create_check.model import RuleDoc

START = "<!-- rules-table:start -->"
END = "<!-- rules-table:end -->"
README = Path(__file__).resolve().parents[2] / "README.md"


def fix_label(doc: RuleDoc) -> str:
    """``safe``, ``unsafe only`` or ``none``, from the opening of the rule's Fix safety text."""
    text = doc.section("Fix safety").strip()
    if text.startswith("Safe"):
        return "safe"
    if text.startswith("No safe fix") and "unsafe" in text:
        return "unsafe only"
    if text.startswith("No fix"):
        return "none"
    raise ValueError(
        f"{doc.id}: its 'Fix safety' section must open with 'Safe', 'No safe fix' (naming the "
        f"unsafe one) or 'No fix'; it opens with {text[:40]!r}"
    )


def rules_table() -> str:
    """The Markdown table of every rule, in the order ``oas-create-check rules`` lists them."""
    from oas_create_check.rules import all_rules

    rows = [
        "| rule | severity | applies to | checks | fix |",
        "|---|---|---|---|---|",
    ]
    for rule in all_rules().values():
        doc = rule.doc
        applies = ", ".join(kind.value for kind in doc.applies_to) or "document"
        severity = doc.severity.label + ("" if rule.enabled_by_default else " (opt-in)")
        summary = doc.summary.replace("|", "\\|")
        rows.append(f"| `{doc.id}` | {severity} | {applies} | {summary} | {fix_label(doc)} |")
    return "\n".join(rows) + "\n"


def with_table(readme: str) -> str:
    """``readme`` with the text between the markers replaced by the current table."""
    start, end = readme.find(START), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README has no {START} ... {END} block")
    return readme[: start + len(START)] + "\n" + rules_table() + readme[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m oas_create_check.report.rule_docs",
        description="Print the README rule table, or rewrite it in place.",
    )
    parser.add_argument(
        "--write-readme",
        nargs="?",
        const=README,
        type=Path,
        metavar="README",
        help="rewrite the table in README.md (or the file given)",
    )
    args = parser.parse_args(argv)
    if args.write_readme is None:
        sys.stdout.write(rules_table())
        return 0
    path: Path = args.write_readme
    text = path.read_text(encoding="utf-8")
    updated = with_table(text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"{path}: rule table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
