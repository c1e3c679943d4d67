"""The dependency direction of DESIGN.md holds: business rules import no UI, web framework
or presenter, and presenters import no UI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "khs_crm"

FORBIDDEN = {
    "services": ("reflex", "reflex_base", "fastapi", "starlette", "khs_crm.office", "khs_crm.api"),
    "office": ("reflex", "reflex_base", "fastapi", "khs_crm.state", "khs_crm.pages"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer):
    offenders = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in (PACKAGE / layer).rglob("*.py")
        for name in _imports(path)
        if name.startswith(FORBIDDEN[layer])
    }
    assert not offenders


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path, known: set[str]) -> set[str]:
    """The package modules a module imports when it loads (not inside functions)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found & known


def test_service_modules_do_not_import_each_other_in_a_circle():
    paths = {_module_name(p): p for p in (PACKAGE / "services").rglob("*.py")}
    graph = {name: _top_level_imports(path, set(paths)) - {name} for name, path in paths.items()}
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in trail:
                cycle = trail[trail.index(target) :]
                if min(cycle) == cycle[0]:  # each cycle once, from its smallest module
                    cycles.append([*cycle, target])
            elif len(trail) < 12:
                visit(target, [*trail, target])

    for start in sorted(graph):
        visit(start, [start])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)
