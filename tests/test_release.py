"""A release that installs: the version comes from one place; ``python -m build`` gives a wheel
and an sdist that ``twine check`` passes and that install and run in a fresh virtual environment;
the dependencies keep the hook light and the install working; both pre-commit hooks take the fast
path; the Dockerfile builds and runs where a container engine is available."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO
from gitrepo import git, git_env, init_repo

from oas_create_check import __version__
from oas_create_check.cli import quick_request

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_written_in_one_place() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "oas_create_check.__version__"
    }
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def _requirement(name: str) -> str:
    found = [d for d in PYPROJECT["project"]["dependencies"] if re.match(rf"{name}\b", d, re.I)]
    assert len(found) == 1, name
    return found[0].split(";")[0].replace(" ", "")


def test_dependency_floors_and_caps() -> None:
    """openapi-spec-validator below 0.9 imports pydantic-settings (~170 ms); a yaml-rs 0.2 may
    change the parser's API; typer 0.24 imports click helpers that click 9 removes; typer 0.25
    imports pydantic at start-up."""
    assert _requirement("openapi-spec-validator") == "openapi-spec-validator>=0.9"
    assert _requirement("yaml-rs") == "yaml-rs>=0.1.6,<0.2"
    assert _requirement("click") == "click>=8.0,<9"
    assert _requirement("typer") == "typer>=0.15,<0.25"


def test_both_hook_command_lines_take_the_fast_path() -> None:
    """pre-commit runs ``entry args... files...``: neither hook may need typer (~40 ms, and the
    fix hook paid ~90 ms more through it)."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        words = hook["entry"].split()
        assert words[0] == "oas-create-check"
        for extra in ([], ["--fail-on", "error"]):
            request = quick_request([*words[1:], *extra, "api/a.yaml", "api/b.json"])
            assert request is not None, hook["id"]
            assert request.fix == ("--fix" in words)


def test_the_fix_hook_does_not_import_typer(tmp_path: Path) -> None:
    """The hook's own command line, in a repository before its first commit (everything new)."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    words = next(h["entry"].split() for h in hooks if h["id"] == "oas-create-check-fix")
    repo = tmp_path / "repo"
    env = git_env(tmp_path / "home")
    init_repo(repo, env)
    spec = repo / "api.yaml"
    shutil.copy(FIXTURES / "specs" / "petstore.yaml", spec)
    git(repo, "add", "api.yaml", env=env)
    code = (
        "import sys; from oas_create_check.cli import main; code = main(sys.argv[1:]); "
        "print(sorted(m for m in ('typer', 'click') if m in sys.modules), file=sys.stderr); "
        "sys.exit(code)"
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", code, *words[1:], "api.yaml"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=repo,
        env=env,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert "Location" in spec.read_text(encoding="utf-8") or "409" in spec.read_text("utf-8")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:  # pragma: no cover
        pytest.skip("git is needed to copy the checkout")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode and "No module named build" in done.stderr:
        pytest.skip("the 'build' package is not installed: pip install -e '.[test]'")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.mark.slow
def test_build_gives_a_wheel_and_an_sdist_that_twine_accepts(dist: Path) -> None:
    wheel = list(dist.glob(f"oas_create_check-{__version__}-py3-none-any.whl"))
    sdist = list(dist.glob(f"oas_create_check-{__version__}.tar.gz"))
    assert len(wheel) == len(sdist) == 1
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, [*wheel, *sdist])],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _clean_env() -> dict[str, str]:
    """The environment without what points into this checkout or its venv (``PYTHONPATH`` would
    show pip the checkout's ``egg-info`` as an installed copy, and it would install nothing)."""
    drop = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    return {name: value for name, value in os.environ.items() if name not in drop}


@pytest.mark.slow
def test_the_wheel_installs_and_runs_in_a_fresh_venv(dist: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    (wheel,) = dist.glob("*.whl")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
        env=_clean_env(),
        cwd=tmp_path,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    command = env_dir / "bin" / "oas-create-check"
    env = _clean_env()
    version = subprocess.run(
        [str(command), "--version"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert version.stdout == f"oas-create-check {__version__}\n"
    spec = tmp_path / "petstore.yaml"
    shutil.copy(FIXTURES / "specs" / "petstore.yaml", spec)
    run = subprocess.run(
        [str(command), "--format", "json", spec.name],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert run.returncode == 1 and '"create-status-201"' in run.stdout, run.stderr
    rule = subprocess.run(
        [str(command), "rule", "create-status-201"], capture_output=True, text=True, env=env
    )
    assert rule.returncode == 0 and "docs/rules/create-status-201.md" in rule.stdout


def test_the_dockerfile_installs_this_checkout_and_runs_the_tool() -> None:
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY oas_create_check ./oas_create_check" in text
    assert 'ENTRYPOINT ["oas-create-check"]' in text
    assert re.search(r"^USER \w+", text, re.MULTILINE), "the tool runs unprivileged"
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", "tests"} <= set(ignored) and "oas_create_check" not in ignored


def _container_engine() -> str | None:
    for engine in ("docker", "podman"):
        if shutil.which(engine) is None:
            continue
        info = subprocess.run([engine, "info"], capture_output=True, text=True, timeout=60)
        if info.returncode == 0:
            return engine
    return None


@pytest.mark.slow
def test_the_docker_image_builds_and_checks_a_spec(tmp_path: Path) -> None:
    engine = _container_engine()
    if engine is None:
        pytest.skip(
            "no container engine answers here (docker/podman missing or its daemon not running): "
            "the Dockerfile is checked statically by test_the_dockerfile_installs_this_checkout"
        )
    tag = f"oas-create-check-test:{__version__}"
    build = subprocess.run(
        [engine, "build", "-t", tag, str(REPO)], capture_output=True, text=True, timeout=900
    )
    assert build.returncode == 0, build.stderr[-3000:]
    shutil.copy(FIXTURES / "specs" / "petstore.yaml", tmp_path / "petstore.yaml")
    tmp_path.chmod(0o755)
    run = subprocess.run(
        [engine, "run", "--rm", "-v", f"{tmp_path}:/src", tag, "petstore.yaml"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1 and "[create-status-201]" in run.stdout, run.stderr
