"""Each fixable finding's fix as text edits, without applying anything: what SARIF's ``fixes``
carry, so a viewer can show (or apply) the change the fixer would make.

An edit is computed on the file as it is on disk, change by change, as the fixer's first pass
would place it; a fix whose change cannot be placed there (the fixer would need a second pass or
refuse it) carries no edits and so no SARIF fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from oas_create_check.fix.edits import CannotEdit, Layout
from oas_create_check.fix.plan import layout_for
from oas_create_check.load.parse import looks_like_json
from oas_create_check.load.read import SpecError, decode, display_path, read_bytes
from oas_create_check.model import Applicability, Finding
from oas_create_check.report import TextEdit


class _File:
    def __init__(self, path: Path) -> None:
        self.display = display_path(path)
        self.text = decode(read_bytes(path, self.display), self.display)
        self.layout: Layout = layout_for(self.text, looks_like_json(path, self.text))

    def position(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1


def text_edits(findings: Iterable[Finding]) -> dict[Finding, tuple[TextEdit, ...]]:
    """The edits of every finding whose fix is safe or unsafe (display-only fixes are for people
    to choose) and can be placed; files are read once each."""
    files: dict[Path, _File | None] = {}
    result: dict[Finding, tuple[TextEdit, ...]] = {}
    for finding in findings:
        fix = finding.fix
        if fix is None or fix.applicability is Applicability.DISPLAY_ONLY:
            continue
        edits: list[TextEdit] = []
        for change in fix.changes:
            if change.file not in files:
                try:
                    files[change.file] = _File(change.file)
                except (SpecError, OSError, ValueError):
                    files[change.file] = None
            file = files[change.file]
            try:
                edit = file.layout.edit(change) if file is not None else None
            except (CannotEdit, KeyError, ValueError, IndexError):
                edit = None
            if file is None or edit is None:
                edits = []
                break
            line, column = file.position(edit.start)
            edits.append(
                TextEdit(file.display, edit.start, edit.end - edit.start, edit.text, line, column)
            )
        if edits:
            result[finding] = tuple(edits)
    return result
