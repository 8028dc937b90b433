"""The Microsoft SARIF multitool (``@microsoft/sarif-multitool`` on npm), which GitHub's own
docs point to for checking a SARIF file: where it is, and its verdict on a file.

``.ci/run`` installs it into ``.cache/sarif-multitool``; ``SARIF_MULTITOOL`` may name another
copy. Tests that need it skip, saying how to get it, when it is not there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from conftest import REPO

INSTALL_HINT = (
    "the SARIF validator is not installed: run "
    "'npm install --prefix .cache/sarif-multitool @microsoft/sarif-multitool@5.7.0' "
    "(.ci/run does) or set SARIF_MULTITOOL"
)
_VERDICT = re.compile(
    r"^(?P<where>.*?): (?P<level>error|warning|note) (?P<rule>SARIF\d+): (?P<text>.*)$"
)


def multitool() -> str | None:
    named = os.environ.get("SARIF_MULTITOOL")
    if named:
        return named
    local = REPO / ".cache" / "sarif-multitool" / "node_modules" / ".bin" / "sarif-multitool"
    if local.exists():
        return str(local)
    return shutil.which("sarif-multitool")


def problems(path: Path) -> list[str]:
    """Every error and warning the validator reports on ``path`` (an empty list: it passes)."""
    tool = multitool()
    assert tool is not None, INSTALL_HINT
    done = subprocess.run(
        [tool, "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
    )
    verdicts = [m for m in map(_VERDICT.match, done.stdout.splitlines()) if m]
    assert "Analysis completed successfully" in done.stdout or verdicts, (
        f"the validator failed:\n{done.stdout}\n{done.stderr}"
    )
    return [m.group(0) for m in verdicts if m["level"] != "note"]
