"""The direction of the layers (STYLE.md): services return data without a request,
never import the exports or answer HTTP themselves, and stay one job per module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import planner

PLANNER = Path(planner.__file__).resolve().parent
SERVICES = PLANNER / "services"
EXPORTS = PLANNER / "exports"

#: Services still importing from ``planner.exports``: owned elsewhere, to be turned
#: around (the exports may import the services' data types, not the reverse).
EXPORT_IMPORTS_LEFT: set[str] = set()
#: Services still longer than the limit, each waiting for its own split.
LONG_LEFT: set[str] = set()
MAX_LINES = 500


def _modules(root: Path):
    for path in sorted(root.rglob("*.py")):
        yield (
            path.relative_to(root).as_posix(),
            path,
            ast.parse(path.read_text("utf-8")),
        )


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    return []


@pytest.mark.parametrize("root", [SERVICES, EXPORTS], ids=["services", "exports"])
def test_formatting_is_the_request_free_part_at_module_top(root):
    """Services and exports format through planner.formatting.plain, imported once at
    the top of the module (never inside a function, never the Jinja side)."""
    wrong = []
    for name, _path, tree in _modules(root):
        top = set(map(id, tree.body))
        for node in ast.walk(tree):
            for module in _imported(node):
                if not module.startswith("planner.formatting"):
                    continue
                plain = module.startswith("planner.formatting.plain")
                if not plain or id(node) not in top:
                    wrong.append(f"{name}:{node.lineno} {module}")
    assert wrong == []


def test_services_do_not_answer_http():
    """A service returns None or raises a PlannerError; the view answers 404."""
    found = []
    for name, _path, tree in _modules(SERVICES):
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute | ast.Name):
                word = node.attr if isinstance(node, ast.Attribute) else node.id
                if word in ("abort", "one_or_404", "get_or_404", "first_or_404"):
                    found.append(f"{name}:{node.lineno} {word}")
            for module in _imported(node):
                if module in ("flask.abort", "flask.request"):
                    found.append(f"{name}:{node.lineno} {module}")
    assert found == []


def test_services_do_not_import_exports():
    """Exports may import services' data types; services never import exports."""
    found = {
        name
        for name, _path, tree in _modules(SERVICES)
        for node in ast.walk(tree)
        for module in _imported(node)
        if module.startswith("planner.exports")
    }
    assert found <= EXPORT_IMPORTS_LEFT


def test_service_modules_stay_small():
    """One job per module: a service past the limit becomes a package."""
    long = {
        name
        for name, path, _tree in _modules(SERVICES)
        if len(path.read_text("utf-8").splitlines()) > MAX_LINES
    }
    assert long <= LONG_LEFT
