"""Issue 12, "safety": what a stranger's spec, config or file names must never make the tool do.

Each test here was written before its fix and failed on it: reading or writing through a symlink
that leaves the scanned folder, exponential or unbounded work (``--changed-since`` on a ``$ref``
DAG, a catastrophic regex in a selector), overwriting a spec with a report, writing a ``$ref``
the resolver cannot follow, forging CI log lines through file names or config values, silently
merging two spellings of one response code. Each keeps the promise of the house: bad input gets
a clear message naming the file (and the line), exit 2, never a traceback or a hang.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RunCli

#: A create that answers 201 without ``Location`` or a duplicate policy: safe fixes apply.
CREATE = """openapi: 3.0.0
info: {title: safety, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      responses:
        "201": {description: ok}
  /pets/{id}:
    get:
      responses:
        "200": {description: ok}
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where the files are, so messages show them as a user sees them."""
    monkeypatch.chdir(tmp_path)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


# ------------------------------------------------------------------------------------------
# 1. symlinks that leave the scanned folder
# ------------------------------------------------------------------------------------------


def test_a_scan_never_reads_or_writes_through_a_symlink_leaving_the_folder(
    tmp_path: Path, run_cli: RunCli
) -> None:
    secret = _write(tmp_path / "outside" / "secret.yaml", CREATE.replace("/pets", "/secret"))
    before = secret.read_bytes()
    _write(tmp_path / "root" / "good.yaml", CREATE)
    (tmp_path / "root" / "link.yaml").symlink_to("../outside/secret.yaml")
    (tmp_path / "root" / "passwd.yaml").symlink_to("/etc/passwd")
    (tmp_path / "root" / "inside.yaml").symlink_to("good.yaml")  # inside: one file, checked once
    code, out, err = run_cli("--fix", "root")
    assert "secret" not in out
    assert secret.read_bytes() == before
    assert "root/link.yaml: a symlink to a file outside root: skipped" in err
    assert "root/passwd.yaml: a symlink to a file outside root: skipped" in err
    assert "fixed 2 problem(s) in root/good.yaml" in err
    assert code == 0


def test_the_fixer_never_writes_through_a_named_symlink_leaving_its_folder(
    tmp_path: Path, run_cli: RunCli
) -> None:
    secret = _write(tmp_path / "outside" / "secret.yaml", CREATE)
    before = secret.read_bytes()
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "link.yaml").symlink_to("../outside/secret.yaml")
    code, _, err = run_cli("--fix", "root/link.yaml")
    assert code == 2
    assert secret.read_bytes() == before
    assert "root/link.yaml: fixes not applied: " in err
    assert "outside the spec's root directory" in err


# ------------------------------------------------------------------------------------------
# 2. --changed-since on a $ref DAG
# ------------------------------------------------------------------------------------------


def _dag_spec(levels: int, extra_path: str = "") -> str:
    """``S_i = {a: $ref S_(i-1), b: $ref S_(i-1)}``: a few KB that expand to 2^levels nodes."""
    schemas = "".join(
        f"    S{i}:\n      type: object\n      properties:\n"
        f"        a: {{$ref: '#/components/schemas/S{i - 1}'}}\n"
        f"        b: {{$ref: '#/components/schemas/S{i - 1}'}}\n"
        for i in range(1, levels + 1)
    )
    return (
        "openapi: 3.0.0\ninfo: {title: dag, version: '1'}\npaths:\n"
        "  /pets:\n    post:\n      operationId: createPet\n      responses:\n"
        "        '201':\n          description: ok\n          content:\n"
        "            application/json:\n"
        f"              schema: {{$ref: '#/components/schemas/S{levels}'}}\n"
        f"{extra_path}"
        "components:\n  schemas:\n    S0: {type: string}\n" + schemas
    )


def test_changed_since_is_linear_on_a_ref_dag(tmp_path: Path) -> None:
    from cli_subprocess import run_cli as run_isolated
    from gitrepo import commit_all, git_env, init_repo

    env = git_env(tmp_path / "home")
    repo = tmp_path / "repo"
    init_repo(repo, env)
    spec = _write(repo / "spec.yaml", _dag_spec(60))
    commit_all(repo, "dag", env)
    new_path = "  /toys:\n    post:\n      operationId: createToy\n      responses:\n"
    new_path += "        '201': {description: ok}\n"
    _write(spec, _dag_spec(60, new_path))
    outcome = run_isolated("spec.yaml", "--changed-since", "HEAD", cwd=repo, env=env, timeout=20)
    assert outcome.code == 1, outcome.stderr
    assert "POST /toys" in outcome.stdout and "POST /pets" not in outcome.stdout
    assert "1 of 2 POST/PUT operation(s) added or changed" in outcome.stderr


# ------------------------------------------------------------------------------------------
# 3. selectors: config is as untrusted as the spec
# ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_catastrophic_regex_in_a_selector_is_stopped_and_named(tmp_path: Path) -> None:
    from cli_subprocess import run_cli as run_isolated

    _write(
        tmp_path / ".oas-create-check.toml",
        """[classify]\naction = ["$.operations[?(@.operationId =~ '^(a+)+$')]"]\n""",
    )
    _write(tmp_path / "spec.yaml", CREATE.replace("createPet", "a" * 40 + "!"))
    outcome = run_isolated("spec.yaml", cwd=tmp_path, timeout=30)
    assert outcome.code == 2
    assert ".oas-create-check.toml: classify.action: selector " in outcome.stderr
    assert "^(a+)+$" in outcome.stderr and "spec.yaml" in outcome.stderr
    assert "seconds" in outcome.stderr


def test_a_selector_nested_too_deep_is_named_not_blamed_on_the_spec(
    tmp_path: Path, run_cli: RunCli
) -> None:
    _write(tmp_path / ".oas-create-check.toml", '[classify]\naction = ["$' + ".a" * 20_000 + '"]\n')
    _write(tmp_path / "spec.yaml", CREATE)
    code, _, err = run_cli("spec.yaml")
    assert code == 2
    assert "nesting too deep to be an API description" not in err
    assert ".oas-create-check.toml: classify.action: selector " in err
    assert "too deeply nested" in err


# ------------------------------------------------------------------------------------------
# 4. a report or baseline naming an input
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("-f", "json", "-o", "spec.yaml", "--fix", "spec.yaml"),
        ("-o", "./spec.yaml", "spec.yaml"),
        ("-f", "json", "-o", "specs/../spec.yaml", "."),
        ("--baseline", "spec.yaml", "--update-baseline", "--fix", "spec.yaml"),
        ("--baseline", "spec.yaml", "spec.yaml"),
    ],
)
def test_output_or_baseline_naming_a_checked_file_is_refused_before_writing(
    tmp_path: Path, run_cli: RunCli, args: tuple[str, ...]
) -> None:
    spec = _write(tmp_path / "spec.yaml", CREATE)
    (tmp_path / "specs").mkdir()
    code, _, err = run_cli(*args)
    assert code == 2
    assert spec.read_text() == CREATE
    assert "is one of the files being checked" in err
    assert "spec.yaml" in err


def test_output_inside_a_scanned_folder_is_still_allowed(tmp_path: Path, run_cli: RunCli) -> None:
    """A report written into the folder being scanned is no spec: only files checked count."""
    _write(tmp_path / "spec.yaml", CREATE)
    _write(tmp_path / "report.json", "{}\n")
    code, _, _ = run_cli("-f", "json", "-o", "report.json", ".")
    assert code == 1
    assert '"findings"' in (tmp_path / "report.json").read_text()


def test_output_naming_a_referenced_fragment_is_refused(tmp_path: Path, run_cli: RunCli) -> None:
    _write(
        tmp_path / "spec.yaml",
        CREATE.replace('"201": {description: ok}', "'201': {$ref: 'r.yaml#/ok'}"),
    )
    fragment = _write(tmp_path / "r.yaml", "ok: {description: ok}\n")
    code, _, err = run_cli("-f", "json", "-o", "r.yaml", "spec.yaml")
    assert code == 2 and "--output r.yaml is one of the files being checked" in err
    assert fragment.read_text() == "ok: {description: ok}\n"


# ------------------------------------------------------------------------------------------
# 5. $refs the fixer writes
# ------------------------------------------------------------------------------------------

#: A create without a duplicate policy, and a reusable conflict response whose name holds ``%``.
PERCENT_CONFLICT = (
    CREATE
    + """components:
  responses:
    Conflict%41:
      description: conflict
"""
)


def test_a_reused_component_with_percent_in_its_name_is_referenced_escaped(
    tmp_path: Path, run_cli: RunCli
) -> None:
    spec = _write(tmp_path / "spec.yaml", PERCENT_CONFLICT)
    code, _, err = run_cli("--fix", "spec.yaml")
    assert "fixed" in err, err
    assert "#/components/responses/Conflict%2541" in spec.read_text()
    code, out, _ = run_cli("spec.yaml")
    assert "unresolved-ref" not in out and code == 0, out


def test_a_fix_adding_a_ref_that_does_not_resolve_is_refused(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oas_create_check.rules import _remedies

    real = _remedies.ref_between
    monkeypatch.setattr(_remedies, "ref_between", lambda *args: real(*args).replace("%25", "%"))
    spec = _write(tmp_path / "spec.yaml", PERCENT_CONFLICT)
    code, _, err = run_cli("--fix", "--ignore", "unresolved-ref", "spec.yaml")
    assert code == 2
    assert spec.read_text() == PERCENT_CONFLICT
    assert "would add a $ref that does not resolve: '#/components/responses/Conflict%41'" in err


#: A create answering a lone 200 whose body another operation reaches by a $ref *into* it.
POINTED_INTO = """openapi: 3.0.0
info: {title: pointed, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object}
  /pets/{id}:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/paths/~1pets/post/responses/200/content/application~1json/schema'}
"""


def test_an_unsafe_rename_is_not_applied_when_a_ref_points_into_the_entry(
    tmp_path: Path, run_cli: RunCli
) -> None:
    spec = _write(tmp_path / "spec.yaml", POINTED_INTO)
    code, out, err = run_cli("--fix", "--unsafe-fixes", "spec.yaml")
    assert "error" not in err, err
    text = spec.read_text()
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "$ref: '#/paths" in t)
    assert "cannot fix [create-status-201]" in err
    assert f"a $ref at spec.yaml:{line} points into /paths/~1pets/post/responses/200" in err
    assert '"200"' in text and "201" not in text
    assert code == 1 and "create-status-201" in out


def test_a_validator_refusal_is_one_short_line(tmp_path: Path) -> None:
    from oas_create_check.load.source import read_file
    from oas_create_check.spec.validation import validate

    big = "".join(f"    S{i}: {{type: string, description: '{'x' * 200}'}}\n" for i in range(500))
    text = POINTED_INTO.replace("application~1json/schema'", "application~1json/nowhere'")
    spec = _write(tmp_path / "spec.yaml", text + "components:\n  schemas:\n" + big)
    verdict = validate(read_file(spec))
    assert not verdict.passed
    for issue in verdict.issues:
        assert "\n" not in issue.message and len(issue.message) <= 400, issue.message[:200]
        assert "{'openapi'" not in issue.message
    assert any("/nowhere" in issue.message for issue in verdict.issues)


# ------------------------------------------------------------------------------------------
# 6. file names in --diff headers
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("a\n::error file=x,line=1::pwned.yaml", '"a/a\\n::error file=x,line=1::pwned.yaml"'),
        ("bell\a\x1b[2J\r.yaml", '"a/bell\\a\\033[2J\\r.yaml"'),
        ('quote"back\\slash.yaml', '"a/quote\\"back\\\\slash.yaml"'),
        ("caf\u00e9.yaml", '"a/caf\\303\\251.yaml"'),
        ("plain.yaml", "a/plain.yaml"),
        ("with space.yaml", "a/with space.yaml\t"),
    ],
)
def test_diff_headers_quote_file_names_as_git_does(
    tmp_path: Path, run_cli: RunCli, name: str, quoted: str
) -> None:
    import subprocess

    _write(tmp_path / name, CREATE)
    code, out, _ = run_cli("--diff", name)
    assert code == 1
    lines = out.splitlines(keepends=True)
    assert lines[0] == f"--- {quoted}\n"
    assert lines[1] == "+++ " + quoted.replace("a/", "b/", 1) + "\n"
    assert not any(line.startswith(("::", "\x1b")) or "\r" in line for line in lines)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    applied = subprocess.run(
        ["git", "apply", "--check", "-"], cwd=tmp_path, input=out.encode(), capture_output=True
    )
    assert applied.returncode == 0, applied.stderr


# ------------------------------------------------------------------------------------------
# 7. config values on stderr
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [(), ("--fail-on", "error")])  # quick path, and typer's
def test_config_values_are_escaped_in_messages(
    tmp_path: Path, run_cli: RunCli, extra: tuple[str, ...]
) -> None:
    _write(tmp_path / ".oas-create-check.toml", 'select = ["\\u001b[2J\\n::error::x"]\n')
    _write(tmp_path / "spec.yaml", CREATE)
    code, _, err = run_cli(*extra, "spec.yaml")
    assert code == 2
    assert "names unknown rules: \\x1b[2J\\n::error::x" in err
    assert "\x1b" not in err and not any(line.startswith("::") for line in err.splitlines())


def test_option_values_are_escaped_in_usage_errors(tmp_path: Path, run_cli: RunCli) -> None:
    _write(tmp_path / "spec.yaml", CREATE)
    code, _, err = run_cli("--select", "\x1b[2J\n::error::x", "spec.yaml")
    assert code == 2
    assert "\x1b" not in err and not any(line.startswith("::") for line in err.splitlines())


def test_notices_quoting_command_line_values_are_escaped(tmp_path: Path, run_cli: RunCli) -> None:
    _write(tmp_path / "spec.yaml", CREATE)
    code, _, err = run_cli("--baseline", "base\x1b[2J\n::error::x.json", "spec.yaml")
    assert code == 0
    assert "baseline base\\x1b[2J\\n::error::x.json: recorded" in err
    assert "\x1b" not in err


# ------------------------------------------------------------------------------------------
# 8. one response code written twice
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "shown"),
    [("201", '"201"', '201 and "201"'), ("'409'", "409", '"409" and 409')],
)
def test_one_response_code_spelled_twice_is_refused(
    tmp_path: Path, run_cli: RunCli, first: str, second: str, shown: str
) -> None:
    text = CREATE.replace(
        '        "201": {description: ok}\n',
        f"        {first}: {{description: ok}}\n        '400': {{description: bad}}\n"
        f"        {second}: {{description: again}}\n",
    )
    _write(tmp_path / "spec.yaml", text)
    code, out, err = run_cli("spec.yaml")
    code_shown = first.strip("'\"")
    assert code == 2, out
    assert f"spec.yaml:10: duplicate response code {code_shown} (as {shown})" in err


# ------------------------------------------------------------------------------------------
# four more
# ------------------------------------------------------------------------------------------


def test_validate_reads_unquoted_response_codes(tmp_path: Path, run_cli: RunCli) -> None:
    text = CREATE.replace('"201": {description: ok}', "201: {description: ok}")
    text = text.replace('"200": {description: ok}', "200: {description: ok}")
    text = text.replace("/pets/{id}", "/pets/all")
    _write(tmp_path / "spec.yaml", text)
    code, out, err = run_cli("--validate", "--select", "valid-spec", "spec.yaml")
    assert "crashed" not in out + err
    assert code == 0, out


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif", "gitlab"])
def test_bidi_controls_never_reach_a_terminal_or_an_annotation(
    tmp_path: Path, run_cli: RunCli, fmt: str
) -> None:
    """ "Trojan Source": bidi overrides and isolates make text display in another order than it
    is read; in a finding they could disguise what a spec says."""
    _write(tmp_path / f"spec{BIDI}.yaml", CREATE.replace("/pets:", f"/pets{BIDI}:"))
    code, out, err = run_cli("-f", fmt, f"spec{BIDI}.yaml")
    assert code == 1
    assert not set(BIDI) & set(out + err)
    if fmt == "text":
        assert "/pets\\u202a\\u202b" in out


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("-f", "json", "-o", "report.json"), "report.json"),
        (("--baseline", "baseline.json", "--update-baseline"), "baseline.json"),
    ],
)
def test_reports_and_baselines_are_replaced_atomically(
    tmp_path: Path,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    name: str,
) -> None:
    """A full disk (or a kill) while writing leaves the old file whole, never half a new one."""
    import errno
    import os

    _write(tmp_path / "spec.yaml", CREATE)
    old = _write(tmp_path / name, '{"tool": "oas-create-check", "version": 1, "findings": []}\n')
    before = old.read_bytes()

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    code, _, err = run_cli(*args, "spec.yaml")
    monkeypatch.undo()
    assert code == 2
    assert "No space left on device" in err
    assert old.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "spec.yaml"])


def test_a_ref_to_slash_names_the_empty_key_not_the_root(tmp_path: Path, run_cli: RunCli) -> None:
    """RFC 6901: ``/`` is the key "" of the root; only the empty pointer is the root itself."""
    broken = CREATE.replace('"201": {description: ok}', "'201': {$ref: '#/'}")
    _write(tmp_path / "broken.yaml", broken)
    code, out, _ = run_cli("broken.yaml")
    assert code == 1
    assert "$ref '#/' cannot be followed: '/' not found in broken.yaml" in out
    _write(tmp_path / "empty_key.yaml", broken + "'': {description: created}\n")
    code, out, _ = run_cli("empty_key.yaml")
    assert code == 1 and "unresolved-ref" not in out and "[create-location-header]" in out


# ------------------------------------------------------------------------------------------
# refused references under --validate
# ------------------------------------------------------------------------------------------


def test_a_ref_refused_by_policy_is_the_tools_word_at_the_ref(
    tmp_path: Path, run_cli: RunCli
) -> None:
    _write(tmp_path / "outside.yaml", "Created: {description: created}\n")
    text = CREATE.replace('"201": {description: ok}', "'201': {$ref: '../outside.yaml#/Created'}")
    _write(tmp_path / "root" / "spec.yaml", text.replace("/pets/{id}", "/pets/all"))
    code, out, _ = run_cli("--validate", "--select", "valid-spec", "root/spec.yaml")
    assert code == 1
    finding = next(line for line in out.splitlines() if "outside.yaml" in line)
    assert finding.startswith("root/spec.yaml:8:")
    assert "openapi-spec-validator:" not in finding
    assert "'ref-root' setting" in finding and "policy" in finding


def test_a_refused_ref_does_not_crash_the_validator_into_an_internal_name(
    tmp_path: Path, run_cli: RunCli
) -> None:
    _write(tmp_path / "outside.yaml", "P: {name: id, in: query, schema: {type: string}}\n")
    text = CREATE.replace(
        "    post:\n", "    parameters:\n      - {$ref: '../outside.yaml#/P'}\n    post:\n"
    )
    _write(tmp_path / "root" / "spec.yaml", text)
    code, out, _ = run_cli("--validate", "--select", "valid-spec", "root/spec.yaml")
    assert code == 1
    assert "_Placeholder" not in out and "oas_create_check" not in out
    assert "'ref-root' setting" in out


def test_a_named_file_that_is_no_api_description_fails_validate(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Without --validate a named non-OpenAPI file is skipped with a note (exit 0: a pre-commit
    hook is handed every YAML file of a commit); with it, CI asked for a valid spec and a file
    that broke its ``openapi:`` line must not pass."""
    _write(tmp_path / "spec.yaml", CREATE.replace("openapi: 3.0.0", "opnapi: 3.0.0"))
    code, _, err = run_cli("spec.yaml")
    assert code == 0 and "not an OpenAPI or Swagger document" in err
    code, _, err = run_cli("--validate", "spec.yaml")
    assert code == 2
    assert "error: spec.yaml: not an OpenAPI or Swagger document" in err


# ------------------------------------------------------------------------------------------
# smaller
# ------------------------------------------------------------------------------------------


def test_changed_since_runs_a_fixed_number_of_git_processes(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    from gitrepo import commit_all, git_env, init_repo

    env = git_env(tmp_path / "home")
    repo = tmp_path / "repo"
    init_repo(repo, env)
    for name in "abcdefgh":
        _write(repo / name / "spec.yaml", CREATE)
    commit_all(repo, "specs", env)
    _write(repo / "a" / "spec.yaml", CREATE.replace("createPet", "createAnimal"))
    monkeypatch.chdir(repo)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    calls: list[list[str]] = []
    real = subprocess.run

    def counted(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        return real(args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(subprocess, "run", counted)
    code, _, err = run_cli(".", "--changed-since", "HEAD")
    assert code == 1, err
    assert "1 of 8 POST/PUT operation(s) added or changed" in err
    assert len(calls) <= 7, [c[:3] for c in calls]  # was 13: one per unchanged spec


def test_stale_temporary_files_of_a_killed_fix_are_removed(tmp_path: Path, run_cli: RunCli) -> None:
    import os
    import time

    _write(tmp_path / "spec.yaml", CREATE)
    old = _write(tmp_path / ".spec.yaml.0123abcd.oas-create-check.tmp", "half a spec")
    fresh = _write(tmp_path / ".spec.yaml.89abcdef.oas-create-check.tmp", "another run's")
    foreign = _write(tmp_path / ".spec.yaml.notours.oas-create-check.tmp", "not our name")
    link = tmp_path / ".other.yaml.00000000.oas-create-check.tmp"
    link.symlink_to(old)
    hours_ago = time.time() - 2 * 3600
    for path in (old, foreign):
        os.utime(path, (hours_ago, hours_ago))
    os.utime(link, (hours_ago, hours_ago), follow_symlinks=False)
    code, _, err = run_cli("--fix", "spec.yaml")
    assert code == 0 and "fixed" in err, err
    assert not old.exists()
    assert fresh.exists() and foreign.exists() and link.is_symlink()


@pytest.mark.parametrize("shape", ["[", "{a: ", "- "])
def test_a_deeply_nested_config_is_refused_at_once(
    tmp_path: Path, run_cli: RunCli, shape: str
) -> None:
    import time

    closing = {"[": "]", "{a: ": "}", "- ": ""}[shape]
    deep = 100_000
    _write(tmp_path / ".oas-create-check.yaml", "select:\n  " + shape * deep + "x" + closing * deep)
    _write(tmp_path / "spec.yaml", CREATE)
    start = time.monotonic()
    code, _, err = run_cli("spec.yaml")
    assert time.monotonic() - start < 1.0
    assert code == 2
    assert ".oas-create-check.yaml:2: invalid configuration file: nesting" in err
    assert "API description" not in err and "recursion" not in err
