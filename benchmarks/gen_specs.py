"""Generate big OpenAPI 3 documents for the speed benchmark by merging renamed copies of real specs.

Real specs are too small to show how a linter scales, and synthetic ones are too regular to show
real costs (deep schemas, long descriptions, many $refs). So each generated document is built from
"units": one whole source spec (openai, then box, alternately) whose path keys, component names and
operationIds get a unit prefix (``/openai3/chat/completions``, ``openai3_CreateChatRequest``), with
every local ``$ref`` and discriminator mapping rewritten to match. Units are appended until the file
reaches its target size, so a 50 MB document is ~15 real APIs side by side, still one valid
document in which every reference resolves and every creation check has real work to do.

The YAML is written by a small block-style emitter of our own (standard library only) that quotes
every string in double quotes: valid YAML 1.1 and 1.2, and cheap to write. The ``folded`` style
writes strings as most generators do instead (PyYAML, libyaml, go-yaml, snakeyaml): plain where a
plain scalar reads back as the same string, folded over several lines past 80 columns, the
continuation lines two columns deeper than the key. Reading the openai source
needs a YAML parser: yaml_rs or PyYAML, both dependencies of oas-create-check; without either the
generator falls back to box (JSON) alone. Generation time is never part of a measurement.

Usage: python3 benchmarks/gen_specs.py OUT_DIR 1 5 20 50 folded:1
(sizes in MB, ``folded:`` for the folded style; existing files are reused)
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: ``shared/corpus`` beside the checkout, as the tests expect it (``tests/conftest.py``).
CORPUS = Path(
    os.environ.get(
        "OAS_BENCH_CORPUS", Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    )
)
#: Unit order: box first, the smaller unit (~1.5 MB as YAML), so a 1 MB target stays near 1 MB.
SOURCES = {"box": CORPUS / "box-openapi.json", "openai": CORPUS / "openai-openapi.yaml"}
#: Bump when the output format changes, so stale generated files are rebuilt.
GENERATOR_VERSION = 2
#: Component kinds whose names get the unit prefix. securitySchemes stay shared: `security`
#: requirements name them directly, and the two sources' scheme names do not collide.
PREFIXED_COMPONENTS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "links",
    "callbacks",
    "pathItems",
)
_COMPONENT_REF = re.compile(r"^#/components/([^/]+)/(.+)$")
#: Characters YAML may not carry raw inside a double-quoted scalar (non-printable or line breaks).
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
#: Keys written without quotes, as people write them; anything else (paths, status codes) is quoted.
_PLAIN_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_.$-]*$")
#: Words YAML 1.1 would read as booleans or null if left unquoted.
_YAML11_WORDS = frozenset({"y", "yes", "n", "no", "true", "false", "on", "off", "null"})
#: Lines the folded style writes plain: no tab, control character, `` #``, ``: `` or a blank or
#: colon at either end, and a first character that cannot start a comment or any other token, so
#: that every YAML reader reads the plain scalar back as the same string. A string's first line
#: must start with a letter, which also rules out numbers, dates and ``.inf``.
_PLAIN_LINE = re.compile(r"[A-Za-z0-9(](?:[^\t\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*[^\s:])?")
#: Where a folded line may break: a single space before a word starting with a letter or digit
#: (a word starting with an indicator is kept on its line, to stay clear of every reader's doubt).
_FOLD_POINT = re.compile(r"(?<! ) (?=[A-Za-z0-9])")
FOLD_WIDTH = 80


# --- reading ---------------------------------------------------------------------------------


def load_source(path: Path) -> dict[str, Any]:
    """Load one source spec; YAML through yaml_rs (fast, keeps dates as strings) or PyYAML."""
    text = path.read_text(encoding="utf-8")
    data: Any
    if path.suffix == ".json":
        data = json.loads(text)
    else:
        try:
            import yaml_rs

            data = yaml_rs.loads(text, parse_datetime=False)
        except ImportError:
            import yaml  # an ImportError here is handled by the caller

            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not an OpenAPI document")
    return data


def available_sources() -> dict[str, dict[str, Any]]:
    """The sources that can be read here, in unit order."""
    loaded: dict[str, dict[str, Any]] = {}
    for name, path in SOURCES.items():
        try:
            loaded[name] = load_source(path)
        except ImportError:
            print(
                f"gen_specs: no YAML parser (yaml_rs or PyYAML): skipping {path}", file=sys.stderr
            )
    if not loaded:
        raise SystemExit("gen_specs: no source spec could be read")
    return loaded


# --- renaming --------------------------------------------------------------------------------


def rename_ref(ref: str, prefix: str) -> str:
    """``#/components/schemas/Pet`` -> ``#/components/schemas/{prefix}_Pet`` (others unchanged)."""
    match = _COMPONENT_REF.match(ref)
    if not match or match.group(1) not in PREFIXED_COMPONENTS:
        return ref
    return f"#/components/{match.group(1)}/{prefix}_{match.group(2)}"


def rename_mapping(mapping: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Discriminator mappings hold refs or bare schema names; both must follow the rename."""
    renamed: dict[str, Any] = {}
    for key, target in mapping.items():
        if isinstance(target, str):
            target = rename_ref(target, prefix) if target.startswith("#") else f"{prefix}_{target}"
        renamed[key] = target
    return renamed


def rename(node: Any, prefix: str) -> Any:
    """A copy of ``node`` with every local component reference pointing at the prefixed names."""
    if isinstance(node, dict):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = rename_ref(value, prefix)
            elif key == "operationId" and isinstance(value, str):
                out[key] = f"{prefix}_{value}"
            elif key == "discriminator" and isinstance(value, dict) and "mapping" in value:
                out[key] = {
                    **rename(value, prefix),
                    "mapping": rename_mapping(value["mapping"], prefix),
                }
            else:
                out[key] = rename(value, prefix)
        return out
    if isinstance(node, list):
        return [rename(item, prefix) for item in node]
    return node


# --- writing ---------------------------------------------------------------------------------


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def scalar(value: Any) -> str:
    """One YAML scalar (strings always double-quoted: JSON escapes are valid YAML escapes)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    text = json.dumps(value if isinstance(value, str) else str(value), ensure_ascii=False)
    return _YAML_UNSAFE.sub(_escape, text)


def _float(value: float) -> str:
    """YAML 1.1 (PyYAML) only reads a float with a dot and a signed exponent: 1e-05 -> 1.0e-05."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        mantissa += "" if "." in mantissa else ".0"
        exponent = exponent if exponent[0] in "+-" else "+" + exponent
        text = f"{mantissa}e{exponent}"
    return text


def folded(value: Any, column: int, indent: int) -> str:
    """``value`` as a plain scalar when it may be one, starting at ``column``: each of its lines
    folded past ``FOLD_WIDTH`` and continued at ``indent``, a line break written as a blank line
    (in a plain scalar one break reads as a space, n+1 as n line breaks). Otherwise as ``scalar``
    writes it."""
    if not isinstance(value, str) or value.lower() in _YAML11_WORDS or not value[:1].isalpha():
        return scalar(value)
    lines = value.split("\n")
    if not all(_PLAIN_LINE.fullmatch(line) for line in lines if line) or not lines[-1]:
        return scalar(value)
    if any(": " in line or " #" in line for line in lines):
        return scalar(value)
    out: list[str] = []
    breaks = 0
    for line in lines:
        if not line:
            breaks += 1
            continue
        if out:
            out.append("\n" * (breaks + 1) + " " * indent)
        out.append(("\n" + " " * indent).join(_fold(line, column if not out else indent, indent)))
        breaks = 1
    return "".join(out)


def _fold(line: str, column: int, indent: int) -> list[str]:
    """``line`` cut at fold points into pieces that fit ``FOLD_WIDTH`` (the first starting at
    ``column``, the others at ``indent``), where a word allows it."""
    pieces: list[str] = []
    start, limit, last = 0, FOLD_WIDTH - column, None
    for at in [point.start() for point in _FOLD_POINT.finditer(line)] + [len(line)]:
        if at - start > limit and last is not None:  # break at the last point that fits
            pieces.append(line[start:last])
            start, limit, last = last + 1, FOLD_WIDTH - indent, None
        if at - start > limit and at < len(line):  # none fits (a long word): break here
            pieces.append(line[start:at])
            start, limit = at + 1, FOLD_WIDTH - indent
        elif at < len(line):
            last = at
    pieces.append(line[start:])
    return pieces


def key_text(key: Any) -> str:
    if isinstance(key, str) and _PLAIN_KEY.match(key) and key.lower() not in _YAML11_WORDS:
        return key
    return scalar(key)


def emit_mapping(mapping: dict[Any, Any], indent: int, out: list[str], fold: bool = False) -> None:
    """Block-style mapping entries at ``indent`` spaces, appended to ``out`` as lines; ``fold``:
    strings in the folded style."""
    pad = " " * indent
    for key, value in mapping.items():
        if isinstance(value, dict) and value:
            out.append(f"{pad}{key_text(key)}:\n")
            emit_mapping(value, indent + 2, out, fold)
        elif isinstance(value, list) and value:
            out.append(f"{pad}{key_text(key)}:\n")
            emit_sequence(value, indent + 2, out, fold)
        else:
            head = f"{pad}{key_text(key)}: "
            text = folded(value, len(head), indent + 2) if fold else scalar(value)
            out.append(f"{head}{text}\n")


def emit_sequence(items: list[Any], indent: int, out: list[str], fold: bool = False) -> None:
    """Block-style sequence; a mapping item starts on the dash line, as people write it."""
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            lines: list[str] = []
            emit_mapping(item, indent + 2, lines, fold)
            lines[0] = f"{pad}- {lines[0][indent + 2 :]}"
            out.extend(lines)
        elif isinstance(item, list) and item:
            out.append(f"{pad}-\n")
            emit_sequence(item, indent + 2, out, fold)
        else:
            text = folded(item, indent + 2, indent + 2) if fold else scalar(item)
            out.append(f"{pad}- {text}\n")


def block(mapping: dict[Any, Any], indent: int, fold: bool = False) -> str:
    lines: list[str] = []
    emit_mapping(mapping, indent, lines, fold)
    return "".join(lines)


# --- assembling ------------------------------------------------------------------------------


@dataclass
class Unit:
    """One renamed source spec, already rendered as YAML text per document section."""

    prefix: str
    paths: str
    components: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.paths.encode()) + sum(len(t.encode()) for t in self.components.values())


def render_unit(source: dict[str, Any], prefix: str, fold: bool = False) -> Unit:
    """Render the paths and prefixed components of one copy of ``source``."""
    paths = {
        f"/{prefix}{key}": rename(item, prefix) for key, item in source.get("paths", {}).items()
    }
    unit = Unit(prefix=prefix, paths=block(paths, 2, fold))
    for kind, entries in (source.get("components") or {}).items():
        if kind in PREFIXED_COMPONENTS and entries:
            renamed = {f"{prefix}_{name}": rename(value, prefix) for name, value in entries.items()}
            unit.components[kind] = block(renamed, 4, fold)
    return unit


def units(sources: dict[str, dict[str, Any]], fold: bool = False) -> Iterator[Unit]:
    """Endless stream of units: box0, openai0, box1, openai1, ..."""
    copy = 0
    while True:
        for name, source in sources.items():
            yield render_unit(source, f"{name}{copy}", fold)
        copy += 1


def header(sources: dict[str, dict[str, Any]], target_mb: float, fold: bool = False) -> str:
    """Top of the document: info, servers, the union of tags and security alternatives."""
    tags: dict[str, Any] = {}
    security: list[Any] = []
    for source in sources.values():
        for tag in source.get("tags") or []:
            tags.setdefault(tag.get("name"), tag)
        security.extend(req for req in source.get("security") or [] if req not in security)
    top = {
        "openapi": "3.1.0",
        "info": {
            "title": f"oas-create-check benchmark: ~{target_mb:g} MB of merged real APIs",
            "version": "1",
            "description": "Generated by benchmarks/gen_specs.py from: " + ", ".join(sources),
        },
        "servers": next((s["servers"] for s in sources.values() if s.get("servers")), []),
        "security": security,
        "tags": list(tags.values()),
    }
    return block(top, 0, fold)


def security_schemes(sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    schemes: dict[str, Any] = {}
    for source in sources.values():
        for name, scheme in ((source.get("components") or {}).get("securitySchemes") or {}).items():
            schemes.setdefault(name, scheme)
    return schemes


def assemble(
    sources: dict[str, dict[str, Any]], target_bytes: int, target_mb: float, fold: bool = False
) -> tuple[str, list[str]]:
    """Append units until the document reaches ``target_bytes``; returns text and unit prefixes."""
    chosen: list[Unit] = []
    total = 0
    for unit in units(sources, fold):
        chosen.append(unit)
        total += unit.size
        if total >= target_bytes:
            break
    parts = [header(sources, target_mb, fold), "paths:\n", *(u.paths for u in chosen)]
    parts.append("components:\n")
    for kind in PREFIXED_COMPONENTS:
        texts = [u.components[kind] for u in chosen if kind in u.components]
        if texts:
            parts.append(f"  {kind}:\n")
            parts.extend(texts)
    schemes = security_schemes(sources)
    if schemes:
        parts.append(block({"securitySchemes": schemes}, 2, fold))
    return "".join(parts), [u.prefix for u in chosen]


# --- files -----------------------------------------------------------------------------------

#: The styles a document can be written in: every string double-quoted (the default), or folded.
STYLES = ("quoted", "folded")


def spec_path(out_dir: Path, size_mb: float, style: str = "quoted") -> Path:
    named = "" if style == "quoted" else f"{style}-"
    return out_dir / f"gen-{named}{size_mb:g}mb.yaml"


def is_fresh(path: Path, size_mb: float, style: str = "quoted") -> bool:
    """A generated file is reused when its sidecar says it came from this generator and target."""
    meta = path.with_suffix(".meta.json")
    if not (path.exists() and meta.exists()):
        return False
    try:
        info = json.loads(meta.read_text())
    except ValueError:
        return False
    return bool(
        info.get("version") == GENERATOR_VERSION
        and info.get("target_mb") == size_mb
        and info.get("style", "quoted") == style
    )


def generate(
    out_dir: Path,
    size_mb: float,
    sources: dict[str, dict[str, Any]] | None = None,
    style: str = "quoted",
) -> Path:
    """Write gen-[STYLE-]{size}mb.yaml (atomically) unless a fresh one exists; returns its path.
    A folded document is checked to read back as the same data as a quoted one."""
    path = spec_path(out_dir, size_mb, style)
    if is_fresh(path, size_mb, style):
        return path
    started = time.monotonic()
    sources = sources or available_sources()
    fold = style == "folded"
    text, prefixes = assemble(sources, int(size_mb * 1_000_000), size_mb, fold)
    if fold:
        quoted, _ = assemble(sources, int(size_mb * 1_000_000), size_mb)
        if _load(text) != _load(quoted):
            raise SystemExit("gen_specs: the folded document does not read back as the quoted one")
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    meta = {
        "version": GENERATOR_VERSION,
        "target_mb": size_mb,
        "style": style,
        "bytes": path.stat().st_size,
        "units": prefixes,
        "seconds": round(time.monotonic() - started, 2),
    }
    path.with_suffix(".meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return path


def _load(text: str) -> Any:
    try:
        import yaml_rs

        return yaml_rs.loads(text, parse_datetime=False)
    except ImportError:
        import yaml

        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def parse_target(arg: str) -> tuple[float, str]:
    """``5`` -> (5.0, "quoted"); ``folded:1`` -> (1.0, "folded")."""
    style, _, size = arg.rpartition(":")
    style = style or "quoted"
    if style not in STYLES:
        raise SystemExit(f"gen_specs: unknown style {style!r} (known: {', '.join(STYLES)})")
    return float(size), style


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = Path(argv[0])
    targets = [parse_target(arg) for arg in argv[1:]]
    fresh = all(is_fresh(spec_path(out_dir, s, style), s, style) for s, style in targets)
    sources = None if fresh else available_sources()
    for size, style in targets:
        path = generate(out_dir, size, sources, style)
        print(f"{path}\t{path.stat().st_size}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
