"""The command line as users meet it: exit codes, formats, selection, config, suppression, docs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, RunCli

from oas_create_check.model import DOC_SECTIONS
from oas_create_check.rules import all_rules

PETSTORE = FIXTURES / "specs" / "petstore.yaml"

CLEAN = """openapi: 3.0.0
info: {title: clean, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      responses:
        "201":
          description: created
          headers: {Location: {schema: {type: string}}}
        "409": {description: dup, content: {application/problem+json: {schema: {type: object}}}}
  /pets/{petId}:
    get:
      responses: {"200": {description: the pet}}
"""


def test_findings_exit_1_and_text_format(run_cli: RunCli) -> None:
    code, out, _ = run_cli(PETSTORE)
    assert code == 1
    first = out.splitlines()[0]
    assert (
        first.startswith(f"{Path('fixtures/specs/petstore.yaml')}".split("fixtures")[0])
        or ":" in first
    )
    file, line, column, rest = first.split(":", 3)
    assert file.endswith("petstore.yaml") and int(line) > 0 and int(column) > 0
    assert rest.startswith(" warning [create-duplicate-policy]") or rest.startswith(" error [")
    assert "finding(s)" in out.splitlines()[-1]


def test_clean_spec_exits_0(tmp_path: Path, run_cli: RunCli) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(CLEAN, encoding="utf-8")
    code, out, _ = run_cli(spec)
    assert code == 0 and "no findings" in out


def test_json_output_shape(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--format", "json", PETSTORE)
    data = json.loads(out)
    assert code == 1 and set(data) >= {"findings", "operations", "summary"}
    finding = data["findings"][0]
    assert set(finding) >= {
        "rule",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "pointer",
        "path",
        "method",
    }
    assert finding["method"] == "post" and finding["path"] == "/pets"
    assert finding["pointer"].startswith("/paths/~1pets/post")
    kinds = {(o["path"], o["method"]): o["kind"] for o in data["operations"]}
    assert kinds == {("/pets", "post"): "create", ("/pets/{petId}", "put"): "update"}
    assert all(o["reason"] for o in data["operations"])


def test_fail_on_select_and_ignore(run_cli: RunCli) -> None:
    assert run_cli("--fail-on", "error", "--select", "create-duplicate-policy", PETSTORE)[0] == 0
    code, out, _ = run_cli(
        "--ignore",
        "create-status-201,create-duplicate-policy,create-invalid-input-response",
        PETSTORE,
    )
    assert code == 0 and "no findings" in out
    assert run_cli("--select", "no-such-rule", PETSTORE)[0] == 2
    assert run_cli("--fail-on", "catastrophic", PETSTORE)[0] == 2
    assert run_cli("--format", "yaml", PETSTORE)[0] == 2


def test_pyproject_of_other_tools_only_is_not_parsed(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pyproject.toml that never names the tool holds no table of ours: it is skipped unparsed
    (even when it is not valid TOML: that is another tool's business), and the search goes on
    upward to the one that does."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.oas-create-check]\nfail-on = "error"\nignore = ["create-status-201"]\n',
        encoding="utf-8",
    )
    sub = tmp_path / "api"
    sub.mkdir()
    (sub / "pyproject.toml").write_text("[tool.ruff\nline-length = 100\n", encoding="utf-8")
    monkeypatch.chdir(sub)
    code, out, err = run_cli(PETSTORE)
    assert (code, err) == (0, ""), out  # the parent's table applies: only a warning is left


def test_config_file_found_upward_and_cli_wins(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.oas-create-check]\nignore = ["create-duplicate-policy"]\nfail-on = "error"\n'
        '[tool.oas-create-check.severity]\ncreate-status-201 = "warning"\n',
        encoding="utf-8",
    )
    sub = tmp_path / "api"
    sub.mkdir()
    monkeypatch.chdir(sub)
    code, out, _ = run_cli(PETSTORE)
    assert code == 0, out  # 201 demoted to warning, fail-on error
    assert "warning [create-status-201]" in out and "create-duplicate-policy" not in out
    assert run_cli("--fail-on", "warning", PETSTORE)[0] == 1


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".oas-create-check.toml", "nonsense = 1\n"),
        (".oas-create-check.yaml", "select: [not-a-rule]\n"),
        (".oas-create-check.toml", "[classify]\nfoo = ['$.paths']\n"),
        (".oas-create-check.toml", "[classify]\naction = ['$.paths[']\n"),
        (".oas-create-check.toml", "fail-on = \n"),
    ],
)
def test_bad_config_is_exit_2_with_a_message(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(PETSTORE)
    assert code == 2 and name in err and "Traceback" not in err


def test_classify_selectors_in_config(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".oas-create-check.yaml").write_text(
        "classify:\n  action: [\"$.paths['/pets'].post\"]\n  upsert: ['$.operations[?(@.operationId == \"updatePet\")]']\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("--format", "json", PETSTORE)
    kinds = {
        (o["path"], o["method"]): (o["kind"], o["reason"]) for o in json.loads(out)["operations"]
    }
    assert kinds[("/pets", "post")][0] == "action"
    assert kinds[("/pets/{petId}", "put")][0] == "upsert"
    assert "selector" in kinds[("/pets", "post")][1]
    assert code == 1  # the PUT is now an upsert without a 201


def test_directory_walk_skips_non_openapi_and_reports_bad_files(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "api.yaml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "config.yaml").write_text("just: config\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("openapi: 3.0.0\npaths: [\n", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"name": "package"}', encoding="utf-8")
    code, out, err = run_cli(tmp_path)
    assert code == 2  # broken.yaml cannot be parsed...
    assert "broken.yaml:2: invalid YAML" in err
    assert "1 spec(s)" in out  # ...but api.yaml was still checked
    assert "not OpenAPI documents: skipped" in err


def test_named_non_openapi_file_is_a_notice_not_an_error(tmp_path: Path, run_cli: RunCli) -> None:
    other = tmp_path / "values.yaml"
    other.write_text("replicas: 3\n", encoding="utf-8")
    code, _, err = run_cli(other)
    assert code == 0 and "not an OpenAPI or Swagger document" in err


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        (b"openapi: 3.0.0\npaths:\n  /a: [\n", ":3"),
        (b'{"openapi": "3.0.0",\n "paths": {,}}', ":2"),
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"openapi: 3.0.0\ninfo: \xff\xfe bad\n", "not valid UTF-8"),
    ],
)
def test_unreadable_specs_name_the_file_and_line(
    tmp_path: Path, run_cli: RunCli, content: bytes, expect: str
) -> None:
    spec = tmp_path / ("spec.json" if content.startswith(b"{") else "spec.yaml")
    spec.write_bytes(content)
    code, _, err = run_cli(spec)
    assert code == 2 and "spec." in err and expect in err and "Traceback" not in err


def test_missing_file(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, err = run_cli(tmp_path / "nope.yaml")
    assert code == 2 and "nope.yaml" in err and "no such file" in err


def test_rules_and_rule_commands(run_cli: RunCli) -> None:
    code, out, _ = run_cli("rules")
    assert code == 0
    for rule_id in (
        "create-status-201",
        "create-location-header",
        "create-duplicate-policy",
        "accepted-status-monitor",
    ):
        assert rule_id in out
    code, out, _ = run_cli("rule", "create-location-header")
    assert code == 0 and "## What it does" in out and "## Fix safety" in out
    assert run_cli("rule", "nope")[0] == 2


@pytest.mark.parametrize("rule_id", list(all_rules()))
def test_every_rule_documents_itself_in_the_fixed_sections(rule_id: str) -> None:
    doc = all_rules()[rule_id].doc
    assert tuple(title for title, _ in doc.sections) == DOC_SECTIONS
    assert all(body.strip() for _, body in doc.sections)
    assert doc.summary.endswith(".")


def test_entry_point_runs_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "oas_create_check", "--format", "json", str(PETSTORE)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1 and json.loads(result.stdout)["summary"]["findings"] == 3


def test_parallel_run_reports_exactly_what_a_serial_run_does(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Many specs in one call are spread over worker processes; the report must not change."""
    for index in range(4):
        (tmp_path / f"api{index}.yaml").write_text(
            PETSTORE.read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("openapi: 3.0.0\npaths: [\n", encoding="utf-8")
    serial = run_cli("--jobs", "1", "--format", "json", tmp_path)
    parallel = run_cli("--jobs", "2", "--format", "json", tmp_path)
    assert serial == parallel
    code, out, err = parallel
    assert code == 2 and "broken.yaml:2" in err
    assert json.loads(out)["summary"]["files"] == 5


# -- the quick path: plain invocations read without typer ------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [str(PETSTORE)],
        ["--format", "json", str(PETSTORE)],
        [str(PETSTORE), "-f", "sarif"],
        ["--format=github", str(PETSTORE), str(FIXTURES / "specs")],
        ["--format", "yaml", str(PETSTORE)],  # refused: typer's usage error
        [str(PETSTORE), "--format"],  # no value: typer's usage error
        ["--format", "json", "--format", "text", str(PETSTORE)],
        [str(FIXTURES / "no-such-file.yaml")],
        ["--fail-on", "error", "--select", "create-status-201", str(PETSTORE)],
        ["--fail-on", "fatal", str(PETSTORE)],  # refused: typer's usage error
        ["--select", "create-status-210", str(PETSTORE)],  # refused, with a did-you-mean
        ["--statistics", "--format", "concise", str(PETSTORE)],
        ["--diff", "--changed-since", "HEAD", str(PETSTORE)],  # the fix hook's, writing nothing
        ["--changed-since", "no-such-revision", str(PETSTORE)],  # refused: exit 2
    ],
)
def test_quick_path_matches_typer(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``cli.main`` reads ``PATHS [--format NAME]`` itself; typer must come to the same run."""
    from oas_create_check import cli
    from oas_create_check.cli import typer_app

    monkeypatch.setenv("COLUMNS", "100")
    quick = cli.main(args)
    quick_out, quick_err = capsys.readouterr()
    full = typer_app.run(list(args))
    full_out, full_err = capsys.readouterr()
    assert (quick, quick_out, quick_err) == (full, full_out, full_err)


def test_quick_request_reads_only_plain_invocations() -> None:
    from oas_create_check.cli import quick_request

    request = quick_request(["a.yaml", "--format", "json", "b.json"])
    assert request is not None
    assert request.paths == (Path("a.yaml"), Path("b.json")) and request.fmt == "json"
    # The fix hook's command line, and CI's usual options, are read here too.
    fixing = quick_request(["--fix", "--changed-since", "HEAD", "a.yaml"])
    assert fixing is not None and fixing.fix and fixing.paths == (Path("a.yaml"),)
    assert fixing.changed_since == "HEAD"
    ci = quick_request(
        ["--fail-on=error", "-o", "r.sarif", "--select", "a,b", "--select", "c", "x"]
    )
    assert ci is not None and ci.fail_on == "error" and ci.output == Path("r.sarif")
    assert ci.select == ("a,b", "c")
    for args in (
        [],
        ["--fix", "--fix", "a.yaml"],
        ["--fix=1", "a.yaml"],
        ["-o", "a", "-o", "b", "a.yaml"],
        ["--jobs", "2", "a.yaml"],
        ["--", "a.yaml"],
        ["-", "a.yaml"],
        ["rules"],
        ["rule", "create-status-201"],
        ["--format", "json"],
        ["a.yaml", "--format=", "json"],
        ["", "a.yaml"],
        ["--help"],
    ):
        assert quick_request(args) is None, args


def test_quick_path_options_are_typers() -> None:
    """The option names the quick path reads are the ones typer declares, for the same
    ``Request`` field, each a flag exactly when typer's is."""
    import click
    import typer.main

    from oas_create_check.cli import FORMAT_OPTION, QUICK
    from oas_create_check.cli.typer_app import lint_app

    command = typer.main.get_command(lint_app)
    declared = {tuple(p.opts) for p in command.params if p.name == "fmt"}
    assert declared == {FORMAT_OPTION}
    options = {
        name: param
        for param in command.params
        if isinstance(param, click.Option)
        for name in param.opts
    }
    for name, (field, kind) in QUICK.items():
        assert options[name].name == field, name
        assert options[name].is_flag == (kind == "flag"), name
        assert options[name].multiple == (kind == "list"), name


def test_plain_run_does_not_import_typer() -> None:
    """What the quick path is for: a pre-commit run never pays for typer and click."""
    code = (
        "import sys; from oas_create_check.cli import main; code = main(sys.argv[1:]); "
        "sys.stdout.flush(); "
        "print([m for m in ('typer', 'click') if m in sys.modules], file=sys.stderr); "
        "sys.exit(code)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(PETSTORE), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(proc.stdout)["findings"]


def test_quick_path_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``oas-create-check spec | head``, the reader gone before the report is written: exit 1 and
    no traceback, as on typer's path (click). The spec is clean, so 1 can only come from there."""
    spec = tmp_path / "clean.yaml"
    spec.write_text(CLEAN)
    read_end, write_end = os.pipe()
    os.close(read_end)
    code = "import sys; from oas_create_check.cli import main; sys.exit(main(sys.argv[1:]))"
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(spec)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (1, "")
