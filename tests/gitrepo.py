"""Throw-away git repositories for tests that need real history (``--changed-since``, the
pre-commit hooks): isolated from the developer's own git configuration, so a global hook path,
commit signing or a default branch name cannot change what the tests see."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git_env(home: Path) -> dict[str, str]:
    """An environment in which git reads no user or system configuration."""
    home.mkdir(parents=True, exist_ok=True)
    empty = home / "gitconfig"
    empty.touch()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=str(empty),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
    )
    return env


def git(repo: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    """Run git in ``repo`` and return its standard output."""
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        env=env if env is not None else git_env(repo.parent / ".git-home"),
        capture_output=True,
        text=True,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def init_repo(repo: Path, env: dict[str, str] | None = None) -> None:
    """An empty repository on branch ``main``."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "--quiet", "--initial-branch=main", env=env)


def commit_all(repo: Path, message: str, env: dict[str, str] | None = None) -> None:
    git(repo, "add", "--all", env=env)
    git(repo, "commit", "--quiet", "--no-verify", "-m", message, env=env)
