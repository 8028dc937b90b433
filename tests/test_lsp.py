"""``oas-create-check lsp`` through the protocol: a real client over stdio (pytest-lsp) opens specs,
edits buffers without saving, and asks for diagnostics, code actions and hovers.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

pytest.importorskip("pygls", reason="the language server needs the 'lsp' extra (pygls)")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="the protocol tests need pytest-lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import LanguageClient  # noqa: E402

from oas_create_check.fix.diff import file_diff  # noqa: E402
from oas_create_check.load.read import display_path  # noqa: E402
from tests.conftest import CORPUS, FIXTURES, REPO, needs_corpus  # noqa: E402
from tests.lsp_client import (  # noqa: E402
    Client,
    actions,
    apply_edits,
    close,
    codes,
    diagnostics,
    edits_by_uri,
    hover,
    open_file,
    replace_all,
    server_config,
    split_diff,
    start,
    uri,
)

PETSTORE = FIXTURES / "specs" / "petstore.yaml"
#: A real spec (OpenAPI 3.0, YAML) with several safe fixes, small enough for the fast suite.
NORDIGEN = CORPUS / "apisguru" / "nordigen.com" / "1.7" / "openapi.yaml"
DIGITALOCEAN = CORPUS / "digitalocean"
#: In DigitalOcean's layout each operation is a file of its own.
SSH_KEYS_CREATE = Path("resources/ssh_keys/sshKeys_create.yml")
SSH_KEYS_NEW = Path("resources/ssh_keys/responses/sshKeys_new.yml")
FIX_ALL = "source.fixAll.oas-create-check"


@pytest_lsp.fixture(config=server_config())
async def client(lsp_client: LanguageClient) -> None:
    """A server; each test initializes it with its own workspace folder (``start``)."""
    yield
    await close(lsp_client)


#: The rules these protocol tests were written against: later rules (issue 14's) would change the
#: counts they wait for without testing anything more about the server.
PROTOCOL_RULES = (
    "create-status-201",
    "create-location-header",
    "create-duplicate-policy",
    "accepted-status-monitor",
    "idempotency-key-contract",
    "conflict-response-body",
    "unresolved-ref",
)


@pytest.fixture(autouse=True)
def protocol_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A config beside every test's files (the server reads the nearest one, the CLI the one
    above its working directory) selecting ``PROTOCOL_RULES``."""
    names = ", ".join(f'"{name}"' for name in PROTOCOL_RULES)
    (tmp_path / ".oas-create-check.toml").write_text(f"select = [{names}]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def petstore(tmp_path: Path) -> Path:
    target = tmp_path / "petstore.yaml"
    shutil.copyfile(PETSTORE, target)
    return target


async def test_diagnostics_on_open_are_the_cli_findings(
    client: LanguageClient, petstore: Path, run_cli
) -> None:
    await start(client, petstore.parent)
    document = open_file(client, petstore)
    found = await diagnostics(client, document, lambda d: len(d) >= 2)
    _, out, _ = run_cli("--format", "json", petstore)
    expected = json.loads(out)["findings"]
    assert codes(found) == sorted(f["rule"] for f in expected)
    by_rule = {str(d.code): d for d in found}
    for finding in expected:
        diagnostic = by_rule[finding["rule"]]
        assert diagnostic.range.start == types.Position(finding["line"] - 1, finding["column"] - 1)
        assert diagnostic.source == "oas-create-check"
        assert diagnostic.code_description is not None
        href = diagnostic.code_description.href
        assert href.endswith(f"/oas_create_check/rules/{finding['rule'].replace('-', '_')}.py")
        assert (REPO / href.split("/blob/main/")[1]).is_file()
    assert by_rule["create-status-201"].severity == types.DiagnosticSeverity.Error
    assert by_rule["create-duplicate-policy"].severity == types.DiagnosticSeverity.Warning


def _fixed(path: Path, action: types.CodeAction, text: str | None = None) -> dict[Path, str]:
    """Every file the action changes, with its text afterwards."""
    result = {}
    for document_uri, edits in edits_by_uri(action.edit).items():
        target = Path(document_uri.removeprefix("file://"))
        before = target.read_text(encoding="utf-8") if text is None or target != path else text
        result[target] = apply_edits(before, edits)
    return result


def _as_diff(changed: dict[Path, str]) -> dict[str, str]:
    """What ``--diff`` would print for these changes, by file."""
    return {
        display_path(p): file_diff(p.read_text(encoding="utf-8"), after, display_path(p))
        for p, after in changed.items()
    }


def _added(diff: str) -> list[str]:
    return [
        line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")
    ]


@pytest.mark.slow
@needs_corpus
async def test_quick_fixes_are_the_edits_diff_shows(
    client: LanguageClient, tmp_path: Path, run_cli
) -> None:
    spec = tmp_path / "openapi.yaml"
    shutil.copyfile(NORDIGEN, spec)
    await start(client, tmp_path)
    document = open_file(client, spec)
    found = await diagnostics(client, document, lambda d: len(d) > 0)
    _, cli_diff, _ = run_cli("--diff", spec)
    expected = split_diff(cli_diff)
    assert expected, "the corpus spec has safe fixes"

    # fix-all: exactly the CLI's diff
    (fix_all,) = await actions(client, document, 0, only=[FIX_ALL])
    assert fix_all.kind == FIX_ALL and not fix_all.is_preferred
    assert _as_diff(_fixed(spec, fix_all)) == expected

    # each single safe fix: a part of it, offered on its finding's line, preferred (an unsafe one,
    # such as the low-confidence create on /links/ getting a 201, is offered but not preferred)
    cli_added = _added(cli_diff)
    single = 0
    for line in sorted({d.range.start.line for d in found}):
        for action in await actions(client, document, line, only=["quickfix"]):
            assert action.kind == types.CodeActionKind.QuickFix
            if action.title.startswith("Suppress"):
                continue
            if "(unsafe:" in action.title:  # offered, never preferred, not in the safe diff
                assert not action.is_preferred
                continue
            single += 1
            assert action.is_preferred
            assert action.diagnostics and action.diagnostics[0].range.start.line == line
            for added in _added("".join(_as_diff(_fixed(spec, action)).values())):
                assert added in cli_added
    assert single >= 1


@pytest.mark.slow
async def test_unsafe_fixes_are_marked_and_never_preferred(
    client: LanguageClient, petstore: Path
) -> None:
    await start(client, petstore.parent)
    document = open_file(client, petstore)
    found = await diagnostics(client, document, lambda d: len(d) >= 2)
    line = found[0].range.start.line
    offered = {a.title: a for a in await actions(client, document, line)}
    rename = next(a for t, a in offered.items() if "create-status-201" in t and "Suppress" not in t)
    assert "unsafe" in rename.title and not rename.is_preferred
    duplicate = next(
        a for t, a in offered.items() if "create-duplicate-policy" in t and "Suppress" not in t
    )
    assert "unsafe" not in duplicate.title and duplicate.is_preferred
    (after,) = _fixed(petstore, rename).values()
    assert '"201":\n          description: The new pet' in after
    post = after.split("    post:")[1].split("/pets/{petId}")[0]
    assert '"200":' not in post


@pytest.mark.slow
async def test_suppress_inserts_the_extension_and_silences_the_rule(
    client: LanguageClient, petstore: Path
) -> None:
    await start(client, petstore.parent)
    document = open_file(client, petstore)
    found = await diagnostics(client, document, lambda d: len(d) >= 2)
    offered = await actions(client, document, found[0].range.start.line)
    suppress = next(a for a in offered if a.title.startswith("Suppress create-duplicate-policy"))
    assert not suppress.is_preferred
    (after,) = _fixed(petstore, suppress).values()
    extension = yaml.safe_load(after)["paths"]["/pets"]["post"]["x-oas-create-check"]
    assert extension == {"ignore": ["create-duplicate-policy"]}
    replace_all(client, document, after, 2)
    remaining = await diagnostics(client, document, lambda d: len(d) == 1)
    assert codes(remaining) == ["create-status-201"]


@pytest.mark.slow
async def test_a_fix_the_cli_refuses_is_not_offered(client: LanguageClient, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    post:\n"
        "      operationId: createThing\n      responses:\n        '201':\n"
        "          description: created\n          headers: null\n        '409':\n"
        "          description: exists\n",
        encoding="utf-8",
    )
    await start(client, tmp_path)
    document = open_file(client, spec)
    found = await diagnostics(client, document, lambda d: len(d) == 2)
    finding = next(d for d in found if d.code == "create-location-header")
    offered = await actions(client, document, finding.range.start.line)
    assert [a.title for a in offered] == [
        "Suppress create-location-header for POST /things (x-oas-create-check)"
    ]


async def test_diagnostics_follow_the_unsaved_buffer(
    client: LanguageClient, petstore: Path
) -> None:
    await start(client, petstore.parent)
    document = open_file(client, petstore)
    await diagnostics(client, document, lambda d: len(d) == 2)
    text = petstore.read_text(encoding="utf-8").replace(
        '"200":\n          description: The new pet',
        '"201":\n          description: The new pet',
        1,
    )
    replace_all(client, document, text, 2)
    after = await diagnostics(client, document, lambda d: "create-status-201" not in codes(d))
    assert "create-location-header" in codes(after)  # the 201 now needs its Location
    assert petstore.read_text(encoding="utf-8") != text  # nothing was saved


@pytest.mark.slow
async def test_a_half_typed_document_gives_a_parse_error_and_the_server_keeps_serving(
    client: LanguageClient, petstore: Path, run_cli
) -> None:
    await start(client, petstore.parent)
    document = open_file(client, petstore)
    await diagnostics(client, document, lambda d: len(d) == 2)
    lines = petstore.read_text(encoding="utf-8").split("\n")
    lines.insert(30, "          bad: [unclosed")
    broken = "\n".join(lines)
    replace_all(client, document, broken, 2)
    (parse_error,) = await diagnostics(client, document, lambda d: codes(d) == ["parse-error"])
    saved = petstore.parent / "broken.yaml"
    saved.write_text(broken, encoding="utf-8")
    _, _, err = run_cli(saved)
    cli_line = int(err.split("broken.yaml:")[1].split(":")[0])
    assert parse_error.range.start.line == cli_line - 1
    assert parse_error.severity == types.DiagnosticSeverity.Error
    # typing on: still served, and the findings come back once it parses
    assert "create" in await hover(client, document, 18)
    replace_all(client, document, petstore.read_text(encoding="utf-8"), 3)
    await diagnostics(client, document, lambda d: len(d) == 2)


async def test_hover_shows_the_judgement_and_the_rule(
    client: LanguageClient, petstore: Path
) -> None:
    await start(client, petstore.parent)
    document = open_file(client, petstore)
    found = await diagnostics(client, document, lambda d: len(d) == 2)
    on_operation = await hover(client, document, 19)  # operationId: createPet
    assert "**POST /pets**: create (" in on_operation
    assert "confidence" in on_operation and "| weight | signal | detail |" in on_operation
    on_finding = await hover(client, document, found[0].range.start.line)
    assert (
        "**create-status-201** (error): An operation that creates a resource declares a 201"
        in on_finding
    )
    assert await hover(client, document, 2) == ""  # openapi: nothing to say


@pytest.mark.slow
async def test_config_is_per_document_and_reloaded(client: LanguageClient, tmp_path: Path) -> None:
    plain, strict = tmp_path / "plain", tmp_path / "quiet"
    for folder in (plain, strict):
        folder.mkdir()
        shutil.copyfile(PETSTORE, folder / "petstore.yaml")
    config = strict / ".oas-create-check.toml"
    only = ", ".join(f'"{name}"' for name in PROTOCOL_RULES if name != "create-duplicate-policy")
    config.write_text(f"select = [{only}]\n", encoding="utf-8")
    await start(client, tmp_path)
    first = open_file(client, plain / "petstore.yaml")
    second = open_file(client, strict / "petstore.yaml")
    assert len(await diagnostics(client, first, lambda d: len(d) == 2)) == 2
    assert codes(await diagnostics(client, second, lambda d: len(d) == 1)) == ["create-status-201"]
    assert isinstance(client, Client) and client.registrations

    others = ", ".join(f'"{name}"' for name in PROTOCOL_RULES if name != "create-status-201")
    config.write_text(f"select = [{others}]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri=uri(config), type=types.FileChangeType.Changed)]
        )
    )
    await diagnostics(client, second, lambda d: codes(d) == ["create-duplicate-policy"])

    config.write_text(f'select = [{only}]\nignore = ["no-such-rule"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri=uri(config), type=types.FileChangeType.Changed)]
        )
    )
    (bad,) = await diagnostics(client, second, lambda d: codes(d) == ["config-error"])
    assert "no-such-rule" in bad.message
    assert len(await diagnostics(client, first, lambda d: len(d) == 2)) == 2


@pytest.fixture(scope="module")
def digitalocean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of DigitalOcean's multi-file spec (the corpus is read-only)."""
    target = tmp_path_factory.mktemp("do") / "digitalocean"
    shutil.copytree(DIGITALOCEAN, target)
    names = ", ".join(f'"{name}"' for name in PROTOCOL_RULES)  # as protocol_rules does
    (target.parent / ".oas-create-check.toml").write_text(f"select = [{names}]\n", "utf-8")
    return target


@pytest.mark.slow
@needs_corpus
async def test_multi_file_fixes_land_in_the_fragment_that_defines_the_node(
    client: LanguageClient, digitalocean: Path, run_cli
) -> None:
    await start(client, digitalocean)
    fragment = digitalocean / SSH_KEYS_CREATE
    response = digitalocean / SSH_KEYS_NEW
    document = open_file(client, fragment)
    # the roots including the fragment are checked; each finding is published where its node is
    found = await diagnostics(client, document, lambda d: "create-duplicate-policy" in codes(d))
    elsewhere = await diagnostics(client, uri(response), lambda d: len(d) > 0)
    assert "create-location-header" in codes(elsewhere)
    # the operation is its file's root: a hover anywhere in it shows the judgement
    assert "**POST /v2/account/keys**: create (" in await hover(client, document, 3)

    _, cli_diff, _ = run_cli("--diff", digitalocean / "DigitalOcean-public.v2.yaml")
    expected = split_diff(cli_diff)[display_path(fragment)]

    duplicate = next(d for d in found if d.code == "create-duplicate-policy")
    offered = await actions(client, document, duplicate.range.start.line, only=["quickfix"])
    fix = next(
        a for a in offered if "create-duplicate-policy" in a.title and "Suppress" not in a.title
    )
    assert _as_diff(_fixed(fragment, fix)) == {display_path(fragment): expected}
    (fix_all,) = await actions(client, document, 0, only=[FIX_ALL])
    assert _as_diff(_fixed(fragment, fix_all)) == {display_path(fragment): expected}

    # a finding located in the response file is suppressed on its operation, in the fragment
    response_document = open_file(client, response)
    located = await diagnostics(client, response_document, lambda d: len(d) > 0)
    header = next(d for d in located if d.code == "create-location-header")
    offered = await actions(client, response_document, header.range.start.line)
    suppress = next(a for a in offered if a.title.startswith("Suppress create-location-header"))
    assert set(edits_by_uri(suppress.edit)) == {document}
    (after,) = _fixed(fragment, suppress).values()
    extension = yaml.safe_load(after)["x-oas-create-check"]
    assert extension == {"ignore": ["create-location-header"]}

    # editing the fragment (unsaved) re-checks the root through it
    replace_all(client, document, after, 2)
    await diagnostics(client, response_document, lambda d: "create-location-header" not in codes(d))


TEST_SERVER = Path(__file__).parent / "lsp_test_server.py"


@pytest_lsp.fixture(config=server_config("--crash", "create-duplicate-policy", script=TEST_SERVER))
async def crashing(lsp_client: LanguageClient) -> None:
    """A server whose ``create-duplicate-policy`` rule raises."""
    yield
    await close(lsp_client)


async def test_a_crashing_rule_is_logged_and_the_rest_still_served(
    crashing: LanguageClient, petstore: Path
) -> None:
    client = crashing
    await start(client, petstore.parent)
    document = open_file(client, petstore)
    found = await diagnostics(client, document, lambda d: "internal-error" in codes(d))
    assert codes(found) == ["create-status-201", "internal-error"]
    crash = next(d for d in found if d.code == "internal-error")
    assert "create-duplicate-policy" in crash.message and "a bug in this rule" in crash.message
    assert any("crashed" in m.message for m in client.log_messages)
    # still serving: edits are checked, hovers answered
    text = petstore.read_text(encoding="utf-8").replace(
        '"200":\n          description: The new pet',
        '"201":\n          description: The new pet',
        1,
    )
    replace_all(client, document, text, 2)
    await diagnostics(client, document, lambda d: "create-location-header" in codes(d))
    assert "create" in await hover(client, document, 19)


async def test_positions_are_in_the_clients_units(client: LanguageClient, tmp_path: Path) -> None:
    """A flow-style operation after a character outside the BMP: one code point, two UTF-16
    units. The diagnostic starts where VS Code counts the key."""
    spec = tmp_path / "spec.yaml"
    line = 'pets: {post: {summary: "🐶 new", x-oas-create-check: {kind: create}, responses: {"200": {description: ok}}}}'
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /" + line + "\n",
        encoding="utf-8",
    )
    await start(client, tmp_path)
    document = open_file(client, spec)
    found = await diagnostics(client, document, lambda d: "create-status-201" in codes(d))
    diagnostic = next(d for d in found if d.code == "create-status-201")
    text_line = spec.read_text(encoding="utf-8").split("\n")[3]
    column = text_line.index("responses")
    assert diagnostic.range.start == types.Position(3, column + 1)  # the dog is two units


async def test_changes_are_debounced_and_the_last_one_wins(
    client: LanguageClient, petstore: Path
) -> None:
    assert isinstance(client, Client)
    await start(client, petstore.parent)
    original = petstore.read_text(encoding="utf-8")
    document = open_file(client, petstore)
    await diagnostics(client, document, lambda d: len(d) == 2)
    fixed = original.replace(
        '"200":\n          description: The new pet',
        '"201":\n          description: The new pet',
        1,
    )
    for version in range(2, 42):  # typing: forty changes in a burst
        replace_all(client, document, fixed if version % 2 else original, version)
    await diagnostics(client, document, lambda d: "create-location-header" in codes(d))
    versions = [v for u, v in client.published if u == document]
    assert versions[-1] == 41
    assert len(versions) < 10, versions


@pytest.mark.slow
@needs_corpus
async def test_on_a_large_spec_fixes_are_verified_when_picked(
    client: LanguageClient, tmp_path: Path, run_cli
) -> None:
    """The 3 MB OpenAI spec: fixes are offered at once as promises and made (and verified) by
    codeAction/resolve; fix-all is still exactly the CLI's diff."""
    spec = tmp_path / "openai-openapi.yaml"
    shutil.copyfile(CORPUS / "openai-openapi.yaml", spec)
    await start(client, tmp_path)
    document = open_file(client, spec)
    found = await diagnostics(client, document, lambda d: len(d) > 50, timeout=120)
    _, cli_diff, _ = run_cli("--diff", spec)

    # a finding with a fix (a deprecated operation's findings carry none)
    _, report, _ = run_cli("--format", "json", spec)
    line = next(
        f["line"] - 1
        for f in json.loads(report)["findings"]
        if f["rule"] == "create-duplicate-policy" and f.get("fix")
    )
    assert any(d.code == "create-duplicate-policy" and d.range.start.line == line for d in found)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=document),
            range=types.Range(types.Position(line, 0), types.Position(line, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    offered = [a for a in result or () if isinstance(a, types.CodeAction)]
    assert offered and all(a.edit is None and a.data for a in offered)
    fix = next(
        a for a in offered if "create-duplicate-policy" in a.title and "Suppress" not in a.title
    )
    resolved = await client.code_action_resolve_async(fix)
    for added in _added("".join(_as_diff(_fixed(spec, resolved)).values())):
        assert added in _added(cli_diff)

    (fix_all,) = await actions(client, document, 0, only=[FIX_ALL])
    assert _as_diff(_fixed(spec, fix_all)) == split_diff(cli_diff)


@pytest_lsp.fixture(config=server_config("--lazy", script=TEST_SERVER))
async def lazy(lsp_client: LanguageClient) -> None:
    """A server that treats every spec as large: fixes are verified when picked."""
    yield
    await close(lsp_client)


@pytest.mark.slow
async def test_a_promised_fix_is_verified_when_picked_and_refused_with_the_reason(
    lazy: LanguageClient, tmp_path: Path
) -> None:
    client = lazy
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    post:\n"
        "      operationId: createThing\n      responses:\n        '201':\n"
        "          description: created\n          headers: null\n        '409':\n"
        "          description: exists\n",
        encoding="utf-8",
    )
    await start(client, tmp_path)
    document = open_file(client, spec)
    found = await diagnostics(client, document, lambda d: len(d) == 2)
    line = next(d for d in found if d.code == "create-location-header").range.start.line
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=document),
            range=types.Range(types.Position(line, 0), types.Position(line, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    offered = {a.title: a for a in result or () if isinstance(a, types.CodeAction)}
    assert all(a.edit is None for a in offered.values())
    header = next(a for t, a in offered.items() if t.startswith("Add") and "location" in t.lower())
    with pytest.raises(Exception, match="is empty \\(null\\)"):
        await client.code_action_resolve_async(header)
    client.error = None  # the refusal is the answer expected, not a failure of the session
    suppress = next(a for t, a in offered.items() if t.startswith("Suppress create-location"))
    resolved = await client.code_action_resolve_async(suppress)
    (after,) = _fixed(spec, resolved).values()
    extension = yaml.safe_load(after)["paths"]["/things"]["post"]["x-oas-create-check"]
    assert extension == {"ignore": ["create-location-header"]}


@pytest.mark.slow
async def test_closing_the_last_document_of_a_spec_clears_its_diagnostics(
    client: LanguageClient, petstore: Path
) -> None:
    await start(client, petstore.parent)
    document = open_file(client, petstore)
    await diagnostics(client, document, lambda d: len(d) == 2)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=document))
    )
    await diagnostics(client, document, lambda d: len(d) == 0)


@pytest.mark.slow
@needs_corpus
async def test_fix_all_on_a_json_spec_is_the_diff(
    client: LanguageClient, tmp_path: Path, run_cli
) -> None:
    """Box's 1.7 MB JSON spec: the JSON layout, through the editor, makes the CLI's edits."""
    spec = tmp_path / "box-openapi.json"
    shutil.copyfile(CORPUS / "box-openapi.json", spec)
    await start(client, tmp_path)
    document = open_file(client, spec)
    await diagnostics(client, document, lambda d: len(d) > 0, timeout=120)
    _, cli_diff, _ = run_cli("--diff", spec)
    (fix_all,) = await actions(client, document, 0, only=[FIX_ALL])
    assert _as_diff(_fixed(spec, fix_all)) == split_diff(cli_diff)
