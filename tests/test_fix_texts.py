"""``fix_texts``: the fixer run on texts an editor holds (not what is on disk), never writing.
The language server's quick fixes stand on it (``oas_create_check/lsp/fixes.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from oas_create_check.engine import active_rules, check_spec
from oas_create_check.fix.fixer import FixOptions, fix_paths, fix_texts
from oas_create_check.load.parse import parse_text
from oas_create_check.load.read import real_path
from oas_create_check.load.refs import Workspace
from oas_create_check.load.source import SourceFile
from oas_create_check.settings import Settings
from oas_create_check.spec.operations import Spec
from tests.conftest import FIXTURES


def _in_memory(path: Path, text: str) -> SourceFile:
    data, is_json = parse_text(path, path.name, text)
    return SourceFile(real_path(path), path.name, text, data, is_json)


def test_fixes_the_unsaved_text_and_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "petstore.yaml"
    shutil.copyfile(FIXTURES / "specs" / "petstore.yaml", spec)
    on_disk = spec.read_text(encoding="utf-8")
    typed = on_disk.replace(
        "operationId: createPet", "operationId: createPet\n      summary: Add a pet"
    )
    source = _in_memory(spec, typed)
    settings = Settings()
    result = check_spec(Spec(Workspace(source)), settings, active_rules(settings))

    changes, refused = fix_texts(result, settings, FixOptions(), {source.key: source})

    assert refused == []
    (change,) = changes
    assert change.before == typed and "summary: Add a pet" in change.after
    assert '"409":' in change.after
    assert spec.read_text(encoding="utf-8") == on_disk
    # the same edit --diff computes for that text once saved
    spec.write_text(typed, encoding="utf-8")
    (expected,) = fix_paths([spec], settings, FixOptions(write=False)).changes
    assert change.after == expected.after


def test_only_picks_the_findings_to_fix(tmp_path: Path) -> None:
    spec = tmp_path / "petstore.yaml"
    shutil.copyfile(FIXTURES / "specs" / "petstore.yaml", spec)
    source = _in_memory(spec, spec.read_text(encoding="utf-8"))
    settings = Settings()
    result = check_spec(Spec(Workspace(source)), settings, active_rules(settings))

    rename_only = FixOptions(unsafe=True, only=lambda f: f.rule == "create-status-201")
    (change,) = fix_texts(result, settings, rename_only, {source.key: source})[0]
    assert '"201":\n          description: The new pet' in change.after
    assert '"409":' not in change.after  # the duplicate policy's fix was not asked for
    nothing = FixOptions(only=lambda f: False)
    assert fix_texts(result, settings, nothing, {source.key: source})[0] == []
