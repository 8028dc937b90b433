"""The README says what the code does: its rule table is generated from the rules' docs and must
be current, its integration snippets are valid for their consumers and use real options, and the
corpus figure it quotes is measured, not remembered."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, corpus_specs, needs_corpus

from oas_create_check.load.refs import Workspace
from oas_create_check.load.source import read_file
from oas_create_check.model import Kind, RuleDoc, Severity
from oas_create_check.report import rule_docs as docs
from oas_create_check.spec.operations import HTTP_METHODS, Operation, Spec

README = REPO / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def readme_blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README.read_text("utf-8")) if lang == language]


def test_the_readme_rule_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert docs.with_table(text) == text, (
        "README.md's rule table is stale: run `python -m oas_create_check.docs --write-readme`"
    )


def test_write_readme_replaces_only_the_table(tmp_path: Path) -> None:
    current = README.read_text(encoding="utf-8")
    start, end = current.index(docs.START), current.index(docs.END)
    stale = current[: start + len(docs.START)] + "\n| old | table |\n" + current[end:]
    copy = tmp_path / "README.md"
    copy.write_text(stale, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "oas_create_check.report.rule_docs", "--write-readme", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert copy.read_text(encoding="utf-8") == current


def test_the_table_lists_every_rule_with_its_fix_safety() -> None:
    from oas_create_check.rules import all_rules

    table = docs.rules_table()
    for rule in all_rules().values():
        assert f"| `{rule.id}` | {rule.doc.severity.label}" in table
    assert "| `create-status-201` | error | create, upsert |" in table
    assert table.count("| safe |") == 3  # Location, duplicate policy, status monitor
    assert "| unsafe only |" in table  # 200 -> 201 changes the contract


def test_an_unreadable_fix_safety_section_is_an_error() -> None:
    doc = RuleDoc(
        id="made-up",
        severity=Severity.INFO,
        summary="x",
        applies_to=(Kind.CREATE,),
        sections=(("Fix safety", "Sometimes, maybe."),),
    )
    with pytest.raises(ValueError, match="made-up"):
        docs.fix_label(doc)


def test_yaml_snippets_parse() -> None:
    blocks = readme_blocks("yaml")
    assert len(blocks) >= 4
    for block in blocks:
        yaml.safe_load(block)


def test_the_pre_commit_snippet_names_this_repositorys_hooks() -> None:
    manifest = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook_ids = {hook["id"] for hook in manifest}
    configs = [yaml.safe_load(b) for b in readme_blocks("yaml") if b.startswith("repos:")]
    assert len(configs) == 1
    used = {hook["id"] for repo in configs[0]["repos"] for hook in repo["hooks"]}
    assert used == hook_ids == {"oas-create-check", "oas-create-check-fix"}


def test_the_ci_snippets_use_their_consumers_keys() -> None:
    documents = [yaml.safe_load(b) for b in readme_blocks("yaml")]
    workflow = next(d for d in documents if isinstance(d, dict) and "jobs" in d)
    steps = workflow["jobs"]["oas-create-check"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/"))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    sarif_run = next(s["run"] for s in steps if "--format sarif" in s.get("run", ""))
    assert f"--output {upload['with']['sarif_file']}" in sarif_run
    gitlab = next(d for d in documents if isinstance(d, dict) and "oas-create-check" in d)
    job = gitlab["oas-create-check"]
    report = job["artifacts"]["reports"]["codequality"]
    assert any(f"--format gitlab --output {report}" in line for line in job["script"])


def test_every_option_the_readme_shows_is_accepted_by_the_cli() -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "oas_create_check", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    accepted = set(re.findall(r"(--[a-z][a-z-]*)", help_text))
    shown: set[str] = set()
    for block in readme_blocks("yaml") + readme_blocks("sh") + readme_blocks(""):
        for line in block.splitlines():
            if ("oas-create-check" in line or "args:" in line) and "--" in line:
                shown.update(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", line.split("#")[0]))
    assert shown, "no command lines found in the README"
    assert shown <= accepted, f"README shows options the CLI rejects: {shown - accepted}"


@needs_corpus
def test_the_quoted_location_figure_is_measured() -> None:
    """``in our corpus, only N of the M declared `201` responses carries a `Location` header``."""
    declared = with_location = 0
    for path in corpus_specs():
        source = read_file(path)
        if not source.is_openapi:
            continue
        spec = Spec(Workspace(source))
        for api_path, item in spec.path_items.items():
            for method in HTTP_METHODS:
                entry = item.child(method)
                node = spec.workspace.deref(entry) if entry is not None else None
                if node is None or not isinstance(node.value, dict):
                    continue
                op = Operation(spec, api_path, method, item, node)
                created = op.responses.get("201")
                if created is not None:
                    declared += 1
                    with_location += "location" in op.headers(created)
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert (
        f"only {with_location} of the {declared} declared `201` responses carries a "
        "`Location` header" in text
    )
