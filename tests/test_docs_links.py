"""Every link between the project's pages leads somewhere, and every citation of a contract
section names an anchor that exists.

Code and docs cite sections as ``docs/contract.md#fixing``; the anchors are the ``<a id>`` tags
the pages set and the ones GitHub derives from their headings. Renaming a section without
updating its citations fails here instead of leaving a dead reference behind.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from conftest import REPO

PAGES = [
    REPO / "README.md",
    *sorted((REPO / "docs").glob("*.md")),
    REPO / "benchmarks" / "README.md",
    REPO / "tests" / "data" / "LABELLING.md",
]
LINK = re.compile(r"\]\(([^)\s]+)\)")
CITATION = re.compile(r"(?<![\w/.-])(docs/[\w/-]+\.md)#([\w-]+)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@cache
def anchors(page: Path) -> frozenset[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    explicit = re.findall(r'<a id="([\w-]+)"></a>', text)
    headings = [github_slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)]
    return frozenset(explicit + headings)


def test_the_slug_matches_github() -> None:
    assert github_slug("1. Classification") == "1-classification"
    assert github_slug("Why the remaining gaps") == "why-the-remaining-gaps"
    assert github_slug("`--changed-since` and baselines") == "--changed-since-and-baselines"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (page.parent / file_part).resolve() if file_part else page
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no anchor #{anchor}")
    assert not broken, f"{page.relative_to(REPO)}: " + "; ".join(broken)


def test_the_contract_keeps_its_cited_anchors() -> None:
    """The anchors code comments cite; renaming one of these breaks citations elsewhere."""
    expected = {"classification", "rules", "fixing", "cli", "probe", "lsp", "safety"}
    assert expected <= anchors(REPO / "docs" / "contract.md")


def test_every_cited_section_exists() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout
    broken = []
    for name in listed.decode("utf-8").split("\0"):
        path = REPO / name
        if not name or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue
        for page, anchor in CITATION.findall(data.decode("utf-8", "replace")):
            target = REPO / page
            if not target.is_file() or anchor not in anchors(target):
                broken.append(f"{name}: {page}#{anchor}")
    assert not broken, "citations of missing sections: " + ", ".join(sorted(set(broken)))
