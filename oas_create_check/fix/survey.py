"""The style survey of a large YAML spec, read in a forked child while this process lints it.

Fixing a large YAML file costs, beyond the lint, chiefly the style survey that decides how the
inserted text is written (``YamlLayout.style``: the exact tree of the file's head, then a
breadth-first sample of it). It needs nothing but the file's text, so when ``--fix`` is given
one large YAML file, a child (``forked.py``) reads the file and runs the survey while this
process lints, and sends back only the ``YamlStyle``. The answer is used only for the very text
it was read from (its ``hash`` matches: the child is a fork, so the hash seed is the same); a
file that changed meanwhile, a later pass's edited text, or a child that failed is surveyed here
as always. Either way the style is the one ``YamlLayout.style`` computes from that text.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from oas_create_check.fix.yaml_layout import YamlLayout, YamlStyle
from oas_create_check.forked import NO_ANSWER, Forked
from oas_create_check.load.locate import HEAD_CHARS
from oas_create_check.load.read import decode, read_bytes, real_path
from oas_create_check.load.source import SourceFile

_YAML_SUFFIXES = (".yaml", ".yml")


class Survey:
    """The child surveying one file; ``style_for`` waits for its answer when first asked."""

    def __init__(self, key: Path, job: Forked) -> None:
        self.key = key
        self._job = job

    def style_for(self, source: SourceFile) -> YamlStyle | None:
        """The child's ``YamlStyle`` if it surveyed exactly ``source``'s text, else None."""
        if source.is_json or source.key != self.key:
            return None
        answer = self._job.result()
        if answer is NO_ANSWER or answer[0] != hash(source.text):
            return None
        return YamlStyle(**answer[1])

    def close(self) -> None:
        self._job.cancel()


def start_survey(paths: list[Path]) -> Survey | None:
    """A child surveying the one file of ``paths`` if it is a YAML file long enough for the
    survey to cost more than a fork (``HEAD_CHARS``); None otherwise (a folder, several files,
    JSON: each spec is surveyed when its fix needs it)."""
    if len(paths) != 1 or paths[0].suffix.lower() not in _YAML_SUFFIXES:
        return None
    try:
        if not paths[0].is_file() or paths[0].stat().st_size <= HEAD_CHARS:
            return None
        key = real_path(paths[0])
    except OSError:
        return None
    job = Forked.start(_survey, str(paths[0]))
    return None if job is None else Survey(key, job)


def _survey(path: str) -> tuple[int, dict[str, Any]]:
    """In the child: the file's text read as ``read_file`` reads it, surveyed."""
    text = decode(read_bytes(Path(path), path), path)
    return hash(text), asdict(YamlLayout(text).style)
