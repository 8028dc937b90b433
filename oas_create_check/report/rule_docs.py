"""The README's rule table and the rule pages (``docs/rules/NAME.md``), generated from the rules'
own documentation.

Each rule documents itself (``ID``, ``SEVERITY``, ``APPLIES_TO``, ``SUMMARY`` and the ``DOC``
sections); the table in README.md is a view of that, never a second copy to keep in step by hand.
``python -m oas_create_check.report.rule_docs --write-readme`` rewrites it between the markers, and a test fails
when the committed table is stale (the way pre-commit-hooks checks its README). ``--write-pages``
writes one page per rule, its sections followed by the sources it rests on with their URLs: those
its text cites (``RFC 9110 §15.3.2``, ``AIP-133``, ``Zalando rule 150``, the Idempotency-Key draft,
recognised by ``CITATIONS``) and those its module lists in ``SOURCES``; a test fails when a page
is stale or a rule cites nothing.

The "fix" column is read from the opening words of each rule's *Fix safety* section, which every
rule writes in one of three forms: "Safe: ...", "No safe fix ... **unsafe** fix ...", or
"No fix ...". A section opening any other way is an error here, so the table cannot silently
claim the wrong safety.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from oas_create_check.model import RuleDoc
from oas_create_check.report import rule_url

START = "<!-- rules-table:start -->"
END = "<!-- rules-table:end -->"
REPO = Path(__file__).resolve().parent.parent.parent
README = REPO / "README.md"
#: The page that lists the live checks of ``probe`` (rules whose id starts with ``probe-``).
PROBE_PAGE = REPO / "docs" / "probe.md"
LIVE_PREFIX = "probe-"
PAGES = REPO / "docs" / "rules"

_Citation = Callable[[re.Match[str]], tuple[str, str]]

#: How a rule's text cites a source, and the source's title and URL.
CITATIONS: tuple[tuple[re.Pattern[str], _Citation], ...] = (
    (
        re.compile(r"RFC\s+(\d{4})(?:\s*§\s*(\d+(?:\.\d+)*))?"),
        lambda m: (
            f"RFC {m[1]}" + (f" §{m[2]}" if m[2] else ""),
            f"https://www.rfc-editor.org/rfc/rfc{m[1]}" + (f"#section-{m[2]}" if m[2] else ""),
        ),
    ),
    (
        re.compile(r"AIP-(\d+)"),
        lambda m: (f"Google AIP-{m[1]}", f"https://google.aip.dev/{m[1]}"),
    ),
    (
        re.compile(r"Zalando(?:'s)?\s+\(?(?:rule|guideline)\s+(\d+)"),
        lambda m: (
            f"Zalando RESTful API guideline {m[1]}",
            f"https://opensource.zalando.com/restful-api-guidelines/#{m[1]}",
        ),
    ),
    (
        re.compile(r"Microsoft(?:'s)?\s+(?:REST\s+)?guidelines"),
        lambda m: ("Microsoft REST API Guidelines", "https://github.com/microsoft/api-guidelines"),
    ),
    (
        re.compile(r"draft-ietf-httpapi-idempotency-key-header|Idempotency-Key\s+draft"),
        lambda m: (
            "IETF draft: The Idempotency-Key HTTP Header Field",
            "https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/",
        ),
    ),
)


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


def rules_table(live: bool = False) -> str:
    """The Markdown table of the lint's rules (or, ``live``, of probe's checks), in the order
    ``oas-create-check rules`` lists them."""
    from oas_create_check.rules import all_rules

    # the live table sits in docs/probe.md, beside docs/rules/
    pages = "rules" if live else "docs/rules"
    rows = [
        "| rule | severity | applies to | checks | fix |",
        "|---|---|---|---|---|",
    ]
    for rule in all_rules().values():
        if rule.doc.id.startswith(LIVE_PREFIX) != live:
            continue
        doc = rule.doc
        applies = ", ".join(kind.value for kind in doc.applies_to) or "document"
        severity = doc.severity.label + ("" if rule.enabled_by_default else " (opt-in)")
        summary = doc.summary.replace("|", "\\|")
        rows.append(
            f"| [`{doc.id}`]({pages}/{doc.id}.md) | {severity} | {applies} | {summary} "
            f"| {fix_label(doc)} |"
        )
    return "\n".join(rows) + "\n"


def with_table(readme: str, live: bool = False) -> str:
    """``readme`` with the text between the markers replaced by the current table."""
    start, end = readme.find(START), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README has no {START} ... {END} block")
    return readme[: start + len(START)] + "\n" + rules_table(live) + readme[end:]


def sources(doc: RuleDoc) -> list[tuple[str, str]]:
    """The sources a rule rests on, each once: those its text cites, in order, then its own."""
    text = "\n".join(body for _, body in doc.sections)
    found: dict[str, str] = {}
    hits: list[tuple[int, str, str]] = []
    for pattern, cite in CITATIONS:
        for match in pattern.finditer(text):
            title, url = cite(match)
            hits.append((match.start(), title, url))
    for _, title, url in sorted(hits):
        found.setdefault(url, title)
    for title, url in doc.sources:
        found.setdefault(url, title)
    return [(title, url) for url, title in found.items()]


def rule_page(doc: RuleDoc, enabled_by_default: bool = True) -> str:
    """``docs/rules/NAME.md``: the rule's documentation as ``oas-create-check rule NAME`` prints
    it, then its sources with their URLs."""
    kinds = ", ".join(kind.value for kind in doc.applies_to) or "the whole document"
    default = "" if enabled_by_default else " Off by default."
    lines = [
        GENERATED,
        "",
        f"# {doc.id}",
        "",
        doc.summary,
        "",
        f"Default severity: {doc.severity.label}. Applies to: {kinds}. Fix: {fix_label(doc)}.{default}",
        "",
    ]
    for title, body in doc.sections:
        lines += [f"## {title}", "", body or "None.", ""]
    cited = sources(doc)
    if cited:
        lines += ["## Sources", ""]
        lines += [f"- [{title}]({url})" for title, url in cited]
        lines.append("")
    lines += [f"This page: {rule_url(doc.id)}", ""]
    return "\n".join(lines)


GENERATED = (
    "<!-- Generated from the rule's documentation by "
    "`python -m oas_create_check.report.rule_docs --write-pages`: do not edit. -->"
)


def pages() -> dict[str, str]:
    """Every rule page, by file name."""
    from oas_create_check.rules import all_rules

    return {
        f"{rule.id}.md": rule_page(rule.doc, rule.enabled_by_default)
        for rule in all_rules().values()
    }


def write_pages(folder: Path = PAGES) -> list[str]:
    """Write every rule page to ``folder`` and remove generated pages of rules that are gone;
    returns the names of the pages changed."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = pages()
    changed = []
    for name, text in wanted.items():
        page = folder / name
        if not page.is_file() or page.read_text(encoding="utf-8") != text:
            page.write_text(text, encoding="utf-8")
            changed.append(name)
    for page in folder.glob("*.md"):
        if page.name not in wanted and page.read_text(encoding="utf-8").startswith(GENERATED):
            page.unlink()
            changed.append(page.name)
    return changed


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
    parser.add_argument(
        "--write-pages",
        nargs="?",
        const=PAGES,
        type=Path,
        metavar="FOLDER",
        help="write docs/rules/NAME.md for every rule (or into the folder given)",
    )
    args = parser.parse_args(argv)
    if args.write_pages is not None:
        for name in write_pages(args.write_pages):
            print(f"{args.write_pages / name}: updated")
        if args.write_readme is None:
            return 0
    if args.write_readme is None:
        sys.stdout.write(rules_table())
        return 0
    pages = [(args.write_readme, False)]
    if args.write_readme == README:
        pages.append((PROBE_PAGE, True))
    for path, live in pages:
        text = path.read_text(encoding="utf-8")
        updated = with_table(text, live)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            print(f"{path}: rule table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
