"""``--fix`` and ``--diff`` honour the scope the user asked for: with ``--changed-since REV`` they
fix only the findings of operations changed since REV, with ``--baseline FILE`` they leave the
recorded findings alone (docs/contract.md#fixing).

The specs are small multi-file ones written here, in real git repositories; a slow test repeats
the pre-commit story on the DigitalOcean spec (2,900 files), where editing one fragment made the
fix hook rewrite a hundred files before.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, RunCli, needs_corpus
from gitrepo import commit_all, git, init_repo

ROOT = """openapi: 3.0.3
info:
  title: Shop
  version: 1.0.0
paths:
  /orders:
    $ref: "paths/orders.yml"
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: One order
  /invoices:
    $ref: "paths/invoices.yml"
  /invoices/{id}:
    get:
      operationId: getInvoice
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: One invoice
"""

#: A create whose 201 lives in its own file: a Location header and a 409 are missing.
CREATE = """post:
  operationId: create_{name}
  summary: Create one of the {name}
  responses:
    "201":
      $ref: "../responses/{name}_created.yml"
"""


def write_shop(folder: Path, create: str = CREATE) -> None:
    """The shop spec under ``folder``: a root, a path file per create, a response file each."""
    (folder / "paths").mkdir(parents=True)
    (folder / "responses").mkdir()
    (folder / "openapi.yaml").write_text(ROOT, "utf-8")
    for name in ("orders", "invoices"):
        (folder / "paths" / f"{name}.yml").write_text(create.format(name=name), "utf-8")
        (folder / "responses" / f"{name}_created.yml").write_text("description: Created\n", "utf-8")


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose one commit holds the shop spec in ``api/``; the working directory."""
    repo = tmp_path / "repo"
    init_repo(repo)
    write_shop(repo / "api")
    commit_all(repo, "legacy spec")
    monkeypatch.chdir(repo)
    return repo


def edit_orders(repo: Path) -> None:
    """The user's change: one word of the orders create."""
    path = repo / "api" / "paths" / "orders.yml"
    path.write_text(path.read_text().replace("Create one of", "Place one of"), "utf-8")


def changed_files(repo: Path) -> list[str]:
    """The files that differ from the last commit."""
    return sorted(git(repo, "diff", "--name-only", "HEAD").split())


def test_fix_with_changed_since_fixes_only_the_changed_operation(
    run_cli: RunCli, shop: Path
) -> None:
    edit_orders(shop)
    code, out, err = run_cli("--fix", "--changed-since", "HEAD", "api/openapi.yaml")
    assert changed_files(shop) == ["api/paths/orders.yml", "api/responses/orders_created.yml"]
    assert "Location" in (shop / "api" / "responses" / "orders_created.yml").read_text()
    assert '"409"' in (shop / "api" / "paths" / "orders.yml").read_text()
    assert "fixed 1 problem(s) in api/paths/orders.yml" in err
    assert "invoices" not in err
    # what remains is reported with the same scope: nothing of the orders, no invoice
    assert (code, out.splitlines()[0]) == (
        0,
        "no findings in 1 spec(s); 1 POST/PUT operation(s) (1 create)",
    )
    assert "1 of 2 POST/PUT operation(s) added or changed" in err


def test_without_a_scope_fix_still_fixes_everything(run_cli: RunCli, shop: Path) -> None:
    edit_orders(shop)
    run_cli("--fix", "api/openapi.yaml")
    assert len(changed_files(shop)) == 4


def test_diff_with_changed_since_shows_what_fix_would_write(run_cli: RunCli, shop: Path) -> None:
    edit_orders(shop)
    code, shown, _ = run_cli("--diff", "--changed-since", "HEAD", "api/openapi.yaml")
    assert code == 1
    assert changed_files(shop) == ["api/paths/orders.yml"]  # the user's edit alone
    assert "invoices" not in shown
    git(shop, "add", "--all")  # the edit staged: what remains is what --fix adds
    run_cli("--fix", "--changed-since", "HEAD", "api/openapi.yaml")
    written = git(shop, "diff")
    assert [line for line in shown.splitlines() if line.startswith(("+", "-"))] == [
        line for line in written.splitlines() if line.startswith(("+", "-"))
    ]


def test_nothing_changed_nothing_fixed(run_cli: RunCli, shop: Path) -> None:
    code, out, err = run_cli("--fix", "--changed-since", "HEAD", "api/openapi.yaml")
    assert (code, changed_files(shop)) == (0, [])
    assert out.startswith("no findings")
    assert "0 of 2 POST/PUT operation(s) added or changed" in err


def test_a_later_pass_still_fixes_the_changed_operation_and_nothing_else(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With unsafe fixes, a lone 200 becomes 201 in one pass and gets its Location header in the
    next: the changed operation gets both, the unchanged one neither."""
    repo = tmp_path / "repo"
    init_repo(repo)
    write_shop(repo / "api", CREATE.replace('"201"', '"200"'))
    commit_all(repo, "legacy spec")
    monkeypatch.chdir(repo)
    edit_orders(repo)
    run_cli("--fix", "--unsafe-fixes", "--changed-since", "HEAD", "api/openapi.yaml")
    orders = (repo / "api" / "paths" / "orders.yml").read_text()
    assert '"201"' in orders and '"409"' in orders
    assert "Location" in (repo / "api" / "responses" / "orders_created.yml").read_text()
    assert changed_files(repo) == ["api/paths/orders.yml", "api/responses/orders_created.yml"]


def test_the_fixers_own_edits_do_not_widen_the_scope(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two root documents share a response file. The user changes the create of the first; its
    fix adds a Location header to the shared response, which the second root's create then
    reaches too. That is the fixer's edit, not the user's: the second create is still unchanged,
    and its own finding (no 409) stays unfixed and unreported."""
    repo = tmp_path / "repo"
    init_repo(repo)
    api = repo / "api"
    (api / "paths").mkdir(parents=True)
    (api / "responses").mkdir()
    (api / "responses" / "created.yml").write_text("description: Created\n", "utf-8")
    for edition in ("v1", "v2"):
        (api / f"{edition}.yaml").write_text(
            ROOT.replace("Shop", f"Shop {edition}")
            .replace("paths/orders.yml", f"paths/{edition}_orders.yml")
            .replace('  /invoices:\n    $ref: "paths/invoices.yml"\n', ""),
            "utf-8",
        )
        (api / "paths" / f"{edition}_orders.yml").write_text(
            CREATE.format(name=f"{edition}_orders").replace(
                f"{edition}_orders_created.yml", "created.yml"
            ),
            "utf-8",
        )
    commit_all(repo, "two editions")
    monkeypatch.chdir(repo)
    v1 = api / "paths" / "v1_orders.yml"
    v1.write_text(v1.read_text().replace("Create one of", "Place one of"), "utf-8")
    for fix in ("--diff", "--fix"):
        code, out, err = run_cli(fix, "--changed-since", "HEAD", "api/v1.yaml", "api/v2.yaml")
        assert "v2_orders" not in out + err
        if fix == "--diff":
            assert changed_files(repo) == ["api/paths/v1_orders.yml"]
            assert "+  Location:" in out and '+    "409":' in out
    assert changed_files(repo) == ["api/paths/v1_orders.yml", "api/responses/created.yml"]
    assert "Location" in (api / "responses" / "created.yml").read_text()
    assert '"409"' not in (api / "paths" / "v2_orders.yml").read_text()
    assert "1 of 2 POST/PUT operation(s) added or changed" in err
    assert code == 0


def test_fix_leaves_baselined_findings_alone(run_cli: RunCli, shop: Path) -> None:
    code, _, err = run_cli("--baseline", "baseline.json", "api/openapi.yaml")
    assert code == 0 and "recorded 6 finding(s)" in err
    # a third create, after adoption: its findings are new
    paths = shop / "api" / "paths"
    (paths / "refunds.yml").write_text(CREATE.format(name="refunds"), "utf-8")
    (shop / "api" / "responses" / "refunds_created.yml").write_text("description: Made\n", "utf-8")
    root = shop / "api" / "openapi.yaml"
    root.write_text(root.read_text() + '  /refunds:\n    $ref: "paths/refunds.yml"\n', "utf-8")
    git(shop, "add", "--all")
    code, out, err = run_cli("--fix", "--baseline", "baseline.json", "api/openapi.yaml")
    # left: the one finding without a fix (no GET reads a refund back)
    assert "1 finding(s): 0 error(s), 0 warning(s), 1 info" in out
    assert (
        git(shop, "diff", "--name-only")
        == "api/paths/refunds.yml\napi/responses/refunds_created.yml\n"
    )
    assert code == 0
    assert "6 known finding(s) not reported" in err


def test_fix_with_both_scopes_fixes_what_is_new_in_the_changed_operations(
    run_cli: RunCli, shop: Path
) -> None:
    """``--baseline`` and ``--changed-since`` together: a finding is fixed when the report would
    show it, i.e. it is about a changed operation and is not recorded."""
    run_cli("--baseline", "baseline.json", "api/openapi.yaml")
    git(shop, "add", "baseline.json")
    orders = shop / "api" / "paths" / "orders.yml"
    # the user replaces the 201 by an inline one: the Location finding comes back, at a new key
    orders.write_text(
        orders.read_text().replace('$ref: "../responses/orders_created.yml"', "description: Made")
    )
    git(shop, "add", "--all")
    code, out, _ = run_cli(
        "--fix", "--changed-since", "HEAD", "--baseline", "baseline.json", "api/openapi.yaml"
    )
    assert out.startswith("no findings")
    fixed = orders.read_text()
    assert "Location" in fixed  # new: fixed
    assert '"409"' not in fixed  # recorded in the baseline: left alone
    assert git(shop, "diff", "--name-only") == "api/paths/orders.yml\n"
    assert code == 0


def test_the_first_commit_counts_everything_as_changed(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fix hook runs before a repository's first commit exists: HEAD names nothing yet,
    and everything staged is new."""
    repo = tmp_path / "repo"
    init_repo(repo)
    write_shop(repo / "api")
    monkeypatch.chdir(repo)
    git(repo, "add", "--all")
    code, _, err = run_cli("--fix", "--changed-since", "HEAD", "api/openapi.yaml")
    assert code == 0, err
    assert "2 of 2 POST/PUT operation(s) added or changed" in err
    assert len(git(repo, "diff", "--name-only").split()) == 4
    # any other revision that names nothing is still an error
    code, _, err = run_cli("--changed-since", "main", "api/openapi.yaml")
    assert code == 2 and "unknown git revision 'main'" in err


@pytest.mark.slow
@needs_corpus
def test_digitalocean_one_fragment_edited_one_file_fixed(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user story: in pre-commit, on the DigitalOcean spec, one fragment edited. Unscoped,
    the fix rewrote over a hundred files; scoped, it fixes the one operation edited."""
    repo = tmp_path / "digitalocean"
    shutil.copytree(CORPUS / "digitalocean", repo)
    for path in [repo, *repo.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)  # the corpus is kept read-only
    init_repo(repo)
    commit_all(repo, "DigitalOcean's spec")
    monkeypatch.chdir(repo)
    fragment = repo / "resources" / "droplets" / "droplets_create.yml"
    fragment.write_text(
        fragment.read_text().replace("summary: Create a New Droplet", "summary: Create Droplets"),
        "utf-8",
    )
    git(repo, "add", "--all")
    code, _, err = run_cli(
        "--fix", "--changed-since", "HEAD", "resources/droplets/droplets_create.yml"
    )
    assert git(repo, "diff", "--name-only") == "resources/droplets/droplets_create.yml\n"
    assert "1 of 207 POST/PUT operation(s) added or changed" in err
    assert code == 0, err


def test_fix_with_a_baseline_not_yet_recorded_fixes_nothing(run_cli: RunCli, shop: Path) -> None:
    """A missing baseline is recorded from this run, as the lint records it: adopting the
    tool with the fix hook does not rewrite the backlog first."""
    files = sorted(p for p in (shop / "api").rglob("*") if p.is_file())
    before = [p.read_bytes() for p in files]
    code, _, err = run_cli("--fix", "--baseline", "baseline.json", "api/openapi.yaml")
    assert code == 0, err
    assert [p.read_bytes() for p in files] == before
    assert (shop / "baseline.json").exists() and "recorded" in err
