"""Settings: defaults, then the config file found from the working directory upward, then the
command line. Every key is validated here, so a typo in a config file is a clear exit-2 error
instead of a silently ignored setting.

Config keys (``[tool.oas-create-check]`` in pyproject.toml, or the top level of
``.oas-create-check.toml`` / ``.oas-create-check.yaml``)::

    select = ["create-status-201", ...]       # only these rules
    ignore = ["create-duplicate-policy"]      # never these
    enable = ["created-not-pending"]          # rules that are off by default, switched on
    fail-on = "warning"                       # error | warning | info
    severity = { create-duplicate-policy = "error" }
    duplicate-statuses = ["409", "422"]       # responses that document a duplicate policy
    idempotency-headers = ["Idempotency-Key"] # header parameters that make a retry safe
    monitor-headers = ["Location"]            # 202 headers that point at a status monitor
    duplicate-fix = "409"                     # or "idempotency-key"
    invalid-input-statuses = ["400", "422"]   # responses that refuse bad input (add "4XX", "default")
    pending-states = ["pending", "queued", ...] # lifecycle values of a resource not there yet
    ref-root = "."                            # where $refs may lead (default: the spec's folder)
    validate = false                          # run openapi-spec-validator (rule valid-spec)
    roots = ["openapi.yaml"]                  # root documents checked for a named $ref'd fragment
    weak-create-severity = "info"             # cap for creations judged with low confidence, or "rule"
    [tool.oas-create-check.classify]          # JSONPath selectors -> kind
    action = ["$.paths['/v2/droplets/{droplet_id}/actions'].post"]
    [tool.oas-create-check.fix-templates]     # what fixes $ref (written as from the root document)
    conflict = "#/components/responses/AlreadyExists"   # also bad-request, location, idempotency-key
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from oas_create_check.model import Kind, Severity, ToolError
from oas_create_check.settings import VALIDATE_RULE, Settings

#: The tool's name: its table in pyproject.toml, ``[tool.oas-create-check]``.
TOOL_NAME = "oas-create-check"
CONFIG_FILES = (".oas-create-check.toml", ".oas-create-check.yaml", ".oas-create-check.yml")


class ConfigError(ToolError):
    """A bad setting: exit code 2 with this message."""


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest config file from ``start`` upward, with its oas-create-check table."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                return candidate, _read(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            text = _text(pyproject)
            if TOOL_NAME not in text and _MISSPELT_TABLE not in text:
                # Most pyproject.toml files configure other tools only. Without our name there
                # is no [tool.oas-create-check] table, and TOML is not parsed (tomllib's import
                # alone is a tenth of a small spec's run).
                continue
            tools = _parse(pyproject, text).get("tool", {})
            _refuse_misspelt_table(pyproject, tools)
            table = tools.get(TOOL_NAME) if isinstance(tools, dict) else None
            if table is not None:
                if not isinstance(table, dict):
                    raise ConfigError(f"{pyproject}: [tool.oas-create-check] must be a table")
                return pyproject, table
    return None


#: The table name Python users reach for by habit (``[tool.oas_create_check]``): TOML keys are
#: exact, so it would be silently ignored.
_MISSPELT_TABLE = TOOL_NAME.replace("-", "_")


def _refuse_misspelt_table(pyproject: Path, tools: Any) -> None:
    if isinstance(tools, dict) and _MISSPELT_TABLE in tools:
        raise ConfigError(
            f"{pyproject}: [tool.{_MISSPELT_TABLE}] is not read: the table is "
            f"[tool.{TOOL_NAME}] (with hyphens)"
        )


#: Every key a config table may hold (``_`` may be written for ``-``).
KEYS = (
    "select",
    "ignore",
    "fail-on",
    "severity",
    "duplicate-statuses",
    "idempotency-headers",
    "monitor-headers",
    "duplicate-fix",
    "classify",
    "ref-root",
    "validate",
    "weak-create-severity",
    "roots",
    "enable",
    "invalid-input-statuses",
    "pending-states",
    "fix-templates",
)
#: What ``fix-templates`` may name: the pieces fixes add by ``$ref``.
FIX_TEMPLATES = ("conflict", "bad-request", "location", "idempotency-key")
#: The name that means every rule in ``select``/``ignore``, as in ``ignore: [all]`` inline.
ALL = "all"


def _read(path: Path) -> dict[str, Any]:
    return _parse(path, _text(path))


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        if path.suffix == ".toml":
            if sys.version_info >= (3, 11):
                import tomllib
            else:  # pragma: no cover
                import tomli as tomllib
            data: Any = tomllib.loads(text)
        else:
            _refuse_deep_yaml(path, text)
            import yaml

            data = yaml.safe_load(text) or {}
    except ConfigError:
        raise
    except Exception as exc:  # tomllib and yaml raise their own error types
        raise ConfigError(f"{path}: invalid configuration file: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a table of settings")
    return data


def _refuse_deep_yaml(path: Path, text: str) -> None:
    """Refuse a YAML config nested too deep before PyYAML reads it: its pure-Python scanner
    reads every token before its composer recurses, so 100,000 levels took seconds to end in
    "maximum recursion depth exceeded", and config is as untrusted as a spec. The spec parser's
    pre-scan and guarded parse answer in milliseconds; PyYAML then reads a config that passed,
    keeping YAML 1.1's ``yes``/``no`` for those who wrote them."""
    from oas_create_check.load.parse import parse
    from oas_create_check.load.read import SpecError

    try:
        parse(text, str(path), is_json=False)
    except SpecError as exc:
        if "nesting" not in exc.message:
            return  # anything else: PyYAML's own message, as always
        where = f"{path}:{exc.line}" if exc.line else str(path)
        message = exc.message.replace(" to be an API description", "").removeprefix(
            "invalid YAML: "
        )
        raise ConfigError(f"{where}: invalid configuration file: {message}") from None


def load_settings(start: Path, config_path: Path | None = None) -> Settings:
    """Settings from ``config_path`` or the nearest config file (defaults if none)."""
    if config_path is not None:
        if not config_path.is_file():
            raise ConfigError(f"{config_path}: no such config file")
        table = _read(config_path)
        if config_path.name == "pyproject.toml":
            _refuse_misspelt_table(config_path, table.get("tool", {}))
            table = table.get("tool", {}).get(TOOL_NAME, {})
        found: tuple[Path, dict[str, Any]] | None = (config_path, table)
    else:
        found = find_config(start)
    if found is None:
        return Settings()
    path, table = found
    return from_table(table, path)


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(str(v) for v in value)


def _nonempty(values: tuple[str, ...], key: str, where: str) -> tuple[str, ...]:
    """A list a rule matches against: an empty one would silence the rule in a way nobody
    reading the configuration would guess (``ignore`` does that openly)."""
    if not values:
        raise ConfigError(f"{where}: '{key}' must name at least one value")
    return values


def from_table(table: dict[str, Any], path: Path) -> Settings:
    """Validate one config table into Settings."""
    from oas_create_check.rules import all_rules

    where = str(path)
    known_rules = set(all_rules())
    settings = Settings(source=where)
    changes: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key in ("select", "ignore", "enable"):
            names = _strings(value, key, where)
            _known(names, key, known_rules | {ALL}, where)
            chosen = frozenset(known_rules if ALL in names else names)
            if key == "enable":
                changes["enable"] = changes.get("enable", frozenset()) | chosen
            else:
                changes[key] = chosen
        elif key == "fail-on":
            changes["fail_on"] = _severity(value, key, where)
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: 'severity' must be a table of rule = severity")
            _known(value, "severity", known_rules, where)
            changes["severity"] = {
                rule: _severity(sev, f"severity.{rule}", where) for rule, sev in value.items()
            }
        elif key in ("duplicate-statuses", "idempotency-headers", "monitor-headers"):
            changes[key.replace("-", "_")] = _strings(value, key, where)
        elif key in ("invalid-input-statuses", "pending-states"):
            changes[key.replace("-", "_")] = _nonempty(_strings(value, key, where), key, where)
        elif key == "duplicate-fix":
            if value not in ("409", 409, "idempotency-key"):
                raise ConfigError(f'{where}: \'duplicate-fix\' must be "409" or "idempotency-key"')
            changes["duplicate_fix"] = str(value)
        elif key == "classify":
            changes["classify"] = _selectors(value, where)
        elif key == "fix-templates":
            changes["fix_templates"] = _templates(value, where)
        elif key == "ref-root":
            if not isinstance(value, str):
                raise ConfigError(f"{where}: 'ref-root' must be a path")
            changes["ref_root"] = (path.parent / value).resolve()
        elif key == "validate":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: 'validate' must be true or false")
            if value:
                changes["enable"] = changes.get("enable", frozenset()) | {VALIDATE_RULE}
        elif key == "weak-create-severity":
            changes["weak_create_severity"] = (
                None if value == "rule" else _severity(value, key, where)
            )
        elif key == "roots":
            changes["roots"] = tuple(
                (path.parent / root).resolve() for root in _strings(value, key, where)
            )
        else:
            from oas_create_check.escape import did_you_mean

            hint = did_you_mean(key, KEYS)
            raise ConfigError(f"{where}: unknown setting '{raw_key}'{hint}")
    both = changes.get("select", frozenset()) & changes.get("ignore", frozenset())
    if both and changes.get("ignore") != known_rules:
        raise ConfigError(
            f"{where}: 'select' and 'ignore' both name {', '.join(sorted(both))}: they would be "
            "selected and ignored at once; drop one of the two"
        )
    if changes.get("ignore") == known_rules and "select" in changes:
        raise ConfigError(f"{where}: 'ignore' is all rules, so 'select' would check nothing")
    return replace(settings, **changes)


def _known(names: Any, key: str, known: set[str], where: str) -> None:
    """Refuse rule names that do not exist, with the closest one when there is one."""
    from oas_create_check.escape import did_you_mean

    unknown = sorted(set(map(str, names)) - known)
    if unknown:
        hint = did_you_mean(unknown[0], sorted(known - {ALL}))
        raise ConfigError(f"{where}: '{key}' names unknown rules: {', '.join(unknown)}{hint}")


def _templates(value: Any, where: str) -> dict[str, str]:
    """``fix-templates``: a table of piece = ``$ref`` (as written in the root document)."""
    from oas_create_check.escape import did_you_mean

    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'fix-templates' must be a table of piece = \"$ref\"")
    for name, ref in value.items():
        if name not in FIX_TEMPLATES:
            hint = did_you_mean(str(name), FIX_TEMPLATES)
            raise ConfigError(
                f"{where}: fix-templates.{name}: unknown piece (choose from "
                f"{', '.join(FIX_TEMPLATES)}){hint}"
            )
        if not isinstance(ref, str) or not ref.strip():
            raise ConfigError(f"{where}: fix-templates.{name} must be a $ref string")
    return {str(name): str(ref) for name, ref in value.items()}


def _severity(value: Any, key: str, where: str) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: '{key}': {exc}") from None


def _selectors(value: Any, where: str) -> dict[Kind, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'classify' must be a table of kind = [JSONPath, ...]")
    result: dict[Kind, tuple[str, ...]] = {}
    for kind_name, selectors in value.items():
        try:
            kind = Kind(kind_name)
        except ValueError:
            kinds = ", ".join(k.value for k in Kind)
            raise ConfigError(
                f"{where}: classify.{kind_name}: unknown kind (choose from {kinds})"
            ) from None
        exprs = _strings(selectors, f"classify.{kind_name}", where)
        from oas_create_check.spec.selectors import compile_selector

        for expr in exprs:
            try:
                compile_selector(expr)
            except ValueError as exc:
                raise ConfigError(f"{where}: classify.{kind_name}: {exc}") from None
        result[kind] = exprs
    return result
