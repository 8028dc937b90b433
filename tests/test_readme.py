"""The README says what the code does: its rule table is generated from the rules' docs and must
be current, its Command line section lists exactly the options the CLI declares, its configuration
example is complete and accepted, its integration snippets (and those of docs/) are valid for
their consumers and use real options, and the corpus figure docs/corpus.md quotes is measured, not
remembered."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer
import yaml
from conftest import REPO, RunCli, corpus_specs, needs_corpus

from oas_create_check.load.refs import Workspace
from oas_create_check.load.source import read_file
from oas_create_check.model import Kind, RuleDoc, Severity
from oas_create_check.report import rule_docs as docs
from oas_create_check.spec.operations import HTTP_METHODS, Operation, Spec


def cli_app() -> typer.Typer:
    """The typer app that owns the command line's options (the one line to change if it moves)."""
    from oas_create_check.cli.typer_app import lint_app

    return lint_app


#: Options the entry point answers before typer sees the command line (``cli.main``).
ENTRY_POINT_OPTIONS = {"--version", "-V"}

README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def readme_blocks(language: str) -> list[str]:
    return blocks(language, [README])


def blocks(language: str, pages: list[Path]) -> list[str]:
    return [
        body
        for page in pages
        for lang, body in FENCE.findall(page.read_text("utf-8"))
        if lang == language
    ]


def readme_section(title: str) -> str:
    """The README's ``## title`` section, up to the next ``## `` heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def declared_cli() -> tuple[set[str], set[str]]:
    """Every option the app declares (``--help`` included), and its subcommands' names."""
    command = typer.main.get_command(cli_app())
    commands: list[click.Command] = [command]
    names: set[str] = set()
    if isinstance(command, click.Group):
        names = set(command.commands)
        commands += list(command.commands.values())
    options: set[str] = set()
    for each in commands:
        for param in each.get_params(click.Context(each)):
            if isinstance(param, click.Option):
                options.update(param.opts, param.secondary_opts)
    return options, names


def test_the_command_line_section_lists_exactly_the_declared_options() -> None:
    section = readme_section("Command line")
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    listed = {option for row in rows for option in OPTION.findall(row.split("|")[1])}
    declared, _ = declared_cli()
    assert listed - ENTRY_POINT_OPTIONS == declared - ENTRY_POINT_OPTIONS, (
        f"README lists {sorted(listed - declared - ENTRY_POINT_OPTIONS)} that the CLI does not "
        f"declare, and misses {sorted(declared - listed)}"
    )
    assert listed >= ENTRY_POINT_OPTIONS


def test_the_entry_point_options_print_the_version(run_cli: RunCli) -> None:
    from oas_create_check import __version__

    for option in ENTRY_POINT_OPTIONS:
        assert run_cli(option) == (0, f"oas-create-check {__version__}\n", "")


def test_the_command_line_section_lists_every_command(run_cli: RunCli) -> None:
    synopsis = FENCE.search(readme_section("Command line"))
    assert synopsis is not None and synopsis.group(1) == ""
    commands = {
        line.split()[1]
        for line in synopsis.group(2).splitlines()
        if line.startswith("oas-create-check ") and not line.split()[1].startswith("[")
    }
    assert commands == {"rules", "rule", "explain", "probe", "lsp"}
    _, declared = declared_cli()
    if declared:  # the app became a group of subcommands: the README names each of them
        assert commands <= declared
        assert declared - commands <= {"lint", "check"}, f"unlisted: {declared - commands}"
    assert run_cli("rules")[0] == 0
    assert run_cli("rule", "create-status-201")[0] == 0
    assert run_cli("explain", REPO / "fixtures" / "specs" / "petstore.yaml")[0] == 0
    assert run_cli("lsp", "--help")[0] == 0


def test_the_configuration_example_is_complete_and_accepted(tmp_path: Path) -> None:
    """Every key the README's example shows is accepted, and every setting has a key there."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    from oas_create_check.config import Settings, from_table

    example = blocks("toml", [README])
    tables = [tomllib.loads(b) for b in example if "[tool.oas-create-check]" in b]
    config = next(
        t["tool"]["oas-create-check"] for t in tables if "select" in t["tool"]["oas-create-check"]
    )
    from_table(config, tmp_path / "pyproject.toml")
    setting_of_key = {"validate": "enable"}
    shown = {setting_of_key.get(key, key.replace("-", "_")) for key in config}
    settings = {f.name for f in dataclasses.fields(Settings)} - {"source"}
    assert shown == settings, f"README config example misses {sorted(settings - shown)}"


def test_the_quick_start_test_command_is_what_ci_runs() -> None:
    quick_start = readme_blocks("sh")[0].splitlines()
    assert quick_start == [
        "pip install . && oas-create-check fixtures/specs/petstore.yaml",
        "pip install -e '.[test]' && python -m pytest",
    ]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").replace(" --quiet", "")
    assert quick_start[1] in ci


def test_the_rule_tables_are_current() -> None:
    """README.md lists the lint's rules, docs/probe.md the live checks of ``probe``."""
    for page, live in ((README, False), (docs.PROBE_PAGE, True)):
        text = page.read_text(encoding="utf-8")
        assert docs.with_table(text, live) == text, (
            f"{page.name}'s rule table is stale: run "
            "`python -m oas_create_check.report.rule_docs --write-readme`"
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

    table, live = docs.rules_table(), docs.rules_table(live=True)
    for rule in all_rules().values():
        where, page = (live, "rules") if rule.id.startswith("probe-") else (table, "docs/rules")
        assert f"| [`{rule.id}`]({page}/{rule.id}.md) | {rule.doc.severity.label}" in where
        assert (REPO / "docs" / "rules" / f"{rule.id}.md").is_file()
    assert (
        "| [`create-status-201`](docs/rules/create-status-201.md) | error | create, upsert |"
        in table
    )
    # Location, duplicate policy, status monitor, the 400 for bad input, Location on a 303
    assert table.count("| safe |") == 5
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
    snippets = blocks("yaml", [README, *DOCS])
    assert len(readme_blocks("yaml")) >= 2 and len(snippets) >= 4
    for block in snippets:
        yaml.safe_load(block)


def test_the_pre_commit_snippet_names_this_repositorys_hooks() -> None:
    manifest = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook_ids = {hook["id"] for hook in manifest}
    configs = [yaml.safe_load(b) for b in readme_blocks("yaml") if b.startswith("repos:")]
    assert len(configs) == 1
    used = {hook["id"] for repo in configs[0]["repos"] for hook in repo["hooks"]}
    assert used == hook_ids == {"oas-create-check", "oas-create-check-fix"}


def test_the_ci_snippets_use_their_consumers_keys() -> None:
    documents = [yaml.safe_load(b) for b in blocks("yaml", [REPO / "docs" / "ci.md"])]
    workflow = next(
        d for d in documents if isinstance(d, dict) and "jobs" in d and "codeql" in str(d)
    )
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
    explain_help = subprocess.run(
        [sys.executable, "-m", "oas_create_check", "explain", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    accepted |= set(re.findall(r"(--[a-z][a-z-]*)", explain_help))
    probe_help = subprocess.run(
        [sys.executable, "-m", "oas_create_check", "probe", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    accepted |= set(re.findall(r"(--[a-z][a-z-]*)", probe_help))
    for command in ("lsp",):
        command_help = subprocess.run(
            [sys.executable, "-m", "oas_create_check", command, "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        accepted |= set(re.findall(r"(--[a-z][a-z-]*)", command_help))
    shown: set[str] = set()
    pages = [README, *DOCS]
    for block in blocks("yaml", pages) + blocks("sh", pages) + blocks("", pages):
        for line in block.splitlines():
            if ("oas-create-check" in line or "args:" in line) and "--" in line:
                # ``docker run --rm IMAGE ARGS``: only what follows the image is ours.
                ours = line.split("#")[0].partition("docker run")[2].partition(" oas-create-check")
                command = ours[2] if ours[1] else line.split("#")[0]
                shown.update(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", command))
    assert shown, "no command lines found in the README"
    accepted |= ENTRY_POINT_OPTIONS
    assert shown <= accepted, f"README or docs/ show options the CLI rejects: {shown - accepted}"


@pytest.mark.slow
@needs_corpus
def test_the_quoted_location_figure_is_measured() -> None:
    """docs/corpus.md: ``only N of the M declared `201` responses carry a `Location` header``."""
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
    text = " ".join((REPO / "docs" / "corpus.md").read_text(encoding="utf-8").split())
    assert (
        f"only {with_location} of the {declared} declared `201` responses carry a "
        "`Location` header" in text
    )
