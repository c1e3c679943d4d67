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
