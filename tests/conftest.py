"""Shared test helpers: where the real-world corpus is, and running the CLI in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from oas_create_check.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
#: ``shared/corpus`` sits beside the repository (CI clones main with shared/ next to it).
CORPUS = REPO.parent / "shared" / "corpus"


def corpus_specs() -> list[Path]:
    """Every root document of the corpus (fragments of the multi-file spec excluded)."""
    if not CORPUS.is_dir():
        return []
    roots = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    return [
        p for p in roots if "digitalocean" not in p.parts or p.name == "DigitalOcean-public.v2.yaml"
    ]


needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=(
        f"needs the public spec corpus (shared/corpus beside the repository), not found at "
        f"{CORPUS}: CI copies shared/ there; locally, put a copy of it beside the checkout"
    ),
)

RunCli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run ``oas-create-check ARGS`` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
