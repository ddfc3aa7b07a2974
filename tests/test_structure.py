"""The shape of the code: one commit point, and no god modules.

Both rules read the source, not the running app: a view or command that commits by
hand, or a module that grows past :data:`MAX_LINES`, fails here before review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "planner"

#: The one module allowed to call ``commit()`` and ``rollback()``.
COMMIT_POINT = "planner/commit.py"

#: TEMPORARY: files still committing by hand because other engineers are rewriting
#: them at the same time. The integrator empties this set after merging their branches;
#: nothing may be added to it.
NOT_YET_CONVERTED: set[str] = set()

#: Longest module, in lines: past it a module does more than one job.
MAX_LINES = 500

#: Modules allowed past :data:`MAX_LINES`, with the reason; prune as they shrink.
LONG_MODULES = {}


def _modules(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def _name(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def commit_calls(root: Path, base: Path) -> dict[str, list[int]]:
    """Every module under ``root`` calling ``….commit()`` or ``….rollback()``, with
    the line numbers (calls only: a docstring may name them)."""
    found: dict[str, list[int]] = {}
    for path in _modules(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        lines = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("commit", "rollback")
        ]
        if lines:
            found[_name(path, base)] = sorted(lines)
    return found


def long_modules(root: Path, base: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """Every module under ``root`` longer than ``limit`` lines, with its length."""
    found = {}
    for path in _modules(root):
        length = len(path.read_text(encoding="utf-8").splitlines())
        if length > limit:
            found[_name(path, base)] = length
    return found


# The rules --------------------------------------------------------------------------


def test_only_the_commit_point_commits_or_rolls_back():
    """Views, commands, jobs and services go through ``planner.commit``."""
    offenders = {
        name: lines
        for name, lines in commit_calls(PACKAGE, ROOT).items()
        if name != COMMIT_POINT and name not in NOT_YET_CONVERTED
    }
    assert not offenders, (
        "commit()/rollback() outside planner/commit.py (use save() in views, "
        f"transaction() in commands and jobs, discard() for previews): {offenders}"
    )


def test_no_module_is_too_long():
    """A module past the limit does several jobs: make it a package, one per job."""
    offenders = {
        name: length
        for name, length in long_modules(PACKAGE, ROOT).items()
        if name not in LONG_MODULES
    }
    assert not offenders, f"modules over {MAX_LINES} lines: {offenders}"


def test_the_long_modules_allowlist_only_names_long_modules():
    """An entry for a module that shrank (or moved) is removed, not kept."""
    stale = sorted(LONG_MODULES.keys() - long_modules(PACKAGE, ROOT).keys())
    assert not stale, f"remove from LONG_MODULES: {stale}"


# The rules can fail -----------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A throwaway package with one honest module."""
    package = tmp_path / "planner"
    package.mkdir()
    (package / "ok.py").write_text('"""Says db.session.commit() in words only."""\n')
    return package


def test_a_hand_written_commit_is_found(tree: Path):
    (tree / "views.py").write_text(
        "def view():\n    try:\n        pass\n    except Exception:\n"
        "        db.session.rollback()\n    db.session.commit()\n"
    )
    assert commit_calls(tree, tree.parent) == {"planner/views.py": [5, 6]}


def test_a_long_module_is_found(tree: Path):
    (tree / "big.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tree / "fits.py").write_text("x = 1\n" * MAX_LINES)
    assert long_modules(tree, tree.parent) == {"planner/big.py": MAX_LINES + 1}
