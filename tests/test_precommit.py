"""The hooks as pre-commit runs them: the real framework, reading this repository's
``.pre-commit-hooks.yaml`` the way a user's ``repo:`` entry does.

pre-commit only installs hooks from a git repository at a revision, so the working tree (what is
being tested, committed or not) is copied into a throw-away repository and committed there. The
framework then clones it, builds the hook environment (a virtualenv with this package installed
by pip: this needs the package index, and is done once per session under a temporary
``PRE_COMMIT_HOME``) and runs the hooks from real ``git commit`` calls in consumer repositories.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO
from gitrepo import commit_all, git, git_env, init_repo

#: The real pre-commit framework installs hook environments: tens of seconds.
pytestmark = pytest.mark.slow

INTEGRATIONS = FIXTURES / "integrations"

#: A spec whose only findings have safe fixes: the fix hook can make it pass on its own.
FIXABLE = """openapi: 3.0.3
info:
  title: Pets
  version: 1.0.0
paths:
  /pets:
    post:
      operationId: createPet
      responses:
        "201":
          description: The new pet
  /pets/{petId}:
    get:
      operationId: getPet
      responses:
        "200":
          description: One pet
"""


def _cli_accepts_fix() -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "oas_create_check", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "--fix" in done.stdout


needs_fix = pytest.mark.skipif(
    not _cli_accepts_fix(),
    reason="the CLI does not accept --fix yet (oas_create_check/fix.py is in progress), "
    "so the oas-create-check-fix hook cannot run",
)


@dataclass(frozen=True)
class HookSource:
    """A committed copy of this repository's working tree, and what pre-commit needs to use it."""

    path: Path
    rev: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HookSource]:
    if not (REPO / ".git").exists():
        pytest.skip("the repository is not a git checkout: cannot tell which files belong to it")
    base = tmp_path_factory.mktemp("precommit")
    env = git_env(base / "home")
    env["PRE_COMMIT_HOME"] = str(base / "cache")
    env.pop("SKIP", None)
    source = base / "oas-create-check"
    # Tracked files and new ones not ignored: the working tree as it is being tested.
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard", env=env)
    for name in filter(None, listed.split("\0")):
        origin = REPO / name
        if origin.is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, source / name)
    init_repo(source, env)
    commit_all(source, "snapshot of the working tree", env)
    rev = git(source, "rev-parse", "HEAD", env=env).strip()
    yield HookSource(source, rev, env)


@dataclass(frozen=True)
class Consumer:
    """A user's repository with this project's hooks installed into its git hooks."""

    path: Path
    env: dict[str, str]

    def commit(self, *files: str, skip: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
        """``git add FILES && git commit``: the hooks run exactly as for a user."""
        git(self.path, "add", *files, env=self.env)
        env = dict(self.env, SKIP=",".join(skip)) if skip else self.env
        return subprocess.run(
            ["git", "commit", "-m", "change"],
            cwd=self.path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    def head(self) -> str:
        return git(self.path, "rev-parse", "HEAD", env=self.env).strip()


def _precommit(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture
def consumer(hook_source: HookSource, tmp_path: Path) -> Consumer:
    """A repository holding a clean spec and the multi-file spec, committed, with both hooks
    configured (the fix hook first, as linters with fixers are usually ordered)."""
    repo = tmp_path / "api"
    init_repo(repo, hook_source.env)
    ids = (
        ["oas-create-check-fix", "oas-create-check"] if _cli_accepts_fix() else ["oas-create-check"]
    )
    hooks = "".join(f"      - id: {hook_id}\n" for hook_id in ids)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_source.path}\n    rev: {hook_source.rev}\n    hooks:\n{hooks}",
        encoding="utf-8",
    )
    shutil.copy(INTEGRATIONS / "clean.yaml", repo / "clean.yaml")
    shutil.copytree(INTEGRATIONS / "multi", repo / "multi")
    (repo / "settings.yml").write_text("not: an API description\n", encoding="utf-8")
    commit_all(repo, "specs", hook_source.env)
    installed = _precommit(repo, hook_source.env, "install", "--install-hooks")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return Consumer(repo, hook_source.env)


def test_the_manifest_is_valid_for_pre_commit(hook_source: HookSource) -> None:
    done = _precommit(
        hook_source.path, hook_source.env, "validate-manifest", ".pre-commit-hooks.yaml"
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_clean_change_commits(consumer: Consumer) -> None:
    spec = consumer.path / "clean.yaml"
    spec.write_text(spec.read_text().replace("title: Pets", "title: Pets and more"), "utf-8")
    before = consumer.head()
    done = consumer.commit("clean.yaml", "settings.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^oas-create-check\.+Passed$", done.stdout + done.stderr, re.MULTILINE)
    assert consumer.head() != before


def test_a_bad_spec_blocks_the_commit_and_names_the_findings(consumer: Consumer) -> None:
    shutil.copy(INTEGRATIONS / "several.yaml", consumer.path / "several.yaml")
    before = consumer.head()
    done = consumer.commit("several.yaml", skip=("oas-create-check-fix",))
    assert done.returncode != 0
    assert consumer.head() == before
    output = done.stdout + done.stderr
    assert "several.yaml:11:7: error [create-status-201] POST /orders" in output
    assert "several.yaml:24:9: error [create-location-header]" in output
    assert "6 finding(s)" in output


def test_a_commit_touching_only_a_fragment_checks_the_root(consumer: Consumer) -> None:
    response = consumer.path / "multi" / "resources" / "pets" / "responses" / "pet_created.yml"
    response.write_text(response.read_text().replace("  Location:", "  X-Pet-Id:"), "utf-8")
    done = consumer.commit(
        "multi/resources/pets/responses/pet_created.yml", skip=("oas-create-check-fix",)
    )
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert (
        "multi/resources/pets/responses/pet_created.yml:1:1: error [create-location-header] "
        "201 response of POST /pets" in output
    )


@needs_fix
def test_the_fix_hook_rewrites_the_spec_and_fails_the_commit(consumer: Consumer) -> None:
    spec = consumer.path / "pets.yaml"
    spec.write_text(FIXABLE, "utf-8")
    before = consumer.head()
    done = consumer.commit("pets.yaml")
    assert done.returncode != 0
    assert consumer.head() == before
    assert "files were modified by this hook" in done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "fixed 2 problem(s) in pets.yaml" in output
    fixed = spec.read_text()
    assert "            Location:\n" in fixed
    assert '        "409":\n' in fixed
    # Reviewed and staged, the fixed spec commits: nothing left to fix or report.
    done = consumer.commit("pets.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert spec.read_text() == fixed


#: A legacy multi-file spec: two creates, each in its own file, neither with a 409.
LEGACY_ROOT = """openapi: 3.0.3
info:
  title: Shop
  version: 1.0.0
paths:
  /orders:
    $ref: "paths/orders.yml"
  /invoices:
    $ref: "paths/invoices.yml"
"""
LEGACY_CREATE = """post:
  operationId: create_{name}
  summary: Create one of the {name}
  responses:
    "201":
      description: Created
      headers:
        Location:
          schema: {{type: string}}
"""


@needs_fix
def test_the_fix_hook_fixes_only_what_the_commit_touched(consumer: Consumer) -> None:
    """The user story: in a legacy multi-file spec, one fragment edited. The fix hook gets the
    fragment, checks its root, and fixes the operation the commit changed, not the backlog."""
    shop = consumer.path / "shop"
    (shop / "paths").mkdir(parents=True)
    (shop / "openapi.yaml").write_text(LEGACY_ROOT, "utf-8")
    for name in ("orders", "invoices"):
        (shop / "paths" / f"{name}.yml").write_text(LEGACY_CREATE.format(name=name), "utf-8")
    commit_all(consumer.path, "the legacy spec, before any hook", consumer.env)
    orders = shop / "paths" / "orders.yml"
    orders.write_text(orders.read_text().replace("Create one of", "Place one of"), "utf-8")
    done = consumer.commit("shop/paths/orders.yml")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "fixed 1 problem(s) in shop/paths/orders.yml" in output
    assert '"409"' in orders.read_text()
    touched = git(consumer.path, "diff", "--name-only", env=consumer.env).split()
    assert touched == ["shop/paths/orders.yml"]
    assert "invoices" not in output.split("oas-create-check.....")[0]
    # Reviewed and staged, the fix commits; the invoices' backlog is the check hook's to report
    # (as a warning here), not the fix hook's to rewrite.
    done = consumer.commit("shop/paths/orders.yml", skip=("oas-create-check",))
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"409"' not in (shop / "paths" / "invoices.yml").read_text()
