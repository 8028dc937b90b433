"""The shape of the house: imports run downhill only, and no module imports itself back.

Every import of the package is read from the source (lazy imports inside functions and
``TYPE_CHECKING`` blocks included: a type-only import that climbs is still a dependency that
climbs), so a new circle or a climbing import fails here, with the offending line named.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "oas_create_check"

#: The stages, bottom first. A module may import from its own stage or a lower one; within a
#: stage (a folder) the modules must not form a circle.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("model",),
    ("escape", "settings", "atomic", "offline", "forked"),
    ("load",),
    ("spec",),
    ("rules",),
    ("engine",),
    ("report", "config"),
    ("run",),
    ("adopt",),
    ("fix",),
    ("probe", "lsp"),
    ("cli",),
    ("__init__", "__main__"),
)
RANK = {stage: rank for rank, stages in enumerate(LAYERS) for stage in stages}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import of the package in ``path``."""
    name = module_name(path)
    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = ".".join([*base, node.module] if node.module else base)
            elif node.module and node.module.startswith("oas_create_check"):
                target = node.module.removeprefix("oas_create_check").lstrip(".")
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.append((node.lineno, sub if _is_module(sub) else target))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("oas_create_check."):
                    found.append((node.lineno, alias.name.removeprefix("oas_create_check.")))
    return [(line, target) for line, target in found if target]


def _is_module(dotted: str) -> bool:
    base = PACKAGE.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def stage(module: str) -> str:
    return module.split(".")[0]


def graph() -> dict[str, list[tuple[int, str]]]:
    return {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_stage_is_ranked() -> None:
    unknown = {stage(m) for m in graph()} - set(RANK)
    assert not unknown, f"add these top-level modules/folders to LAYERS: {sorted(unknown)}"


def test_imports_run_downhill() -> None:
    climbing = [
        f"{module} (line {line}) imports {target}: {stage(module)} is below {stage(target)}"
        for module, targets in graph().items()
        for line, target in targets
        if RANK[stage(target)] > RANK[stage(module)]
    ]
    assert not climbing, "\n".join(climbing)


def test_no_import_circles() -> None:
    edges = {m: {t for _, t in targets if t != m} for m, targets in graph().items()}
    # a package's __init__ is what "from pkg import x" loads: that edge is real
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not circles, "\n".join(" -> ".join(c) for c in circles)


def test_the_checker_sees_a_climbing_import(tmp_path: Path) -> None:
    """The reader itself: a relative import that climbs is found with its line."""
    spec = PACKAGE / "spec" / "classify.py"
    found = imports(spec)
    assert any(target == "model" for _, target in found)
    assert all(RANK[stage(t)] <= RANK["spec"] for _, t in found)
