"""The tests keep one world: no test module imports another (shared fixtures, builders and data
live in ``tests/world/``), the CLI is run through the world's two runners only (no bare
``CliRunner``, no ``python -m export_alignment`` of a test's own), every test module says what it
tests, and no two test modules share a name (pytest imports each folder's modules by basename)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from world import TESTS

WORLD = TESTS / "world"


def modules() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if WORLD not in p.parents)


def named_test_modules() -> list[Path]:
    return [p for p in modules() if p.name.startswith("test_")]


def imported(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def test_no_module_imports_a_test_module():
    found = [
        f"{path.relative_to(TESTS)} imports {name}"
        for path in modules()
        for name in imported(ast.parse(path.read_text(encoding="utf-8")))
        if name.split(".")[-1].startswith(("test_", "conftest"))
    ]
    assert found == [], "share it through tests/world/ instead"


def runs_the_cli_itself(tree: ast.AST) -> list[int]:
    """Lines that build a ``CliRunner`` or a ``python -m export_alignment`` command line."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name == "CliRunner":
                lines.append(node.lineno)
        elif isinstance(node, (ast.List, ast.Tuple)):
            words = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if "-m" in words and "export_alignment" in words:
                lines.append(node.lineno)
    return lines


def test_the_cli_is_run_through_the_world_only():
    found = {
        str(path.relative_to(TESTS)): lines
        for path in modules()
        if (lines := runs_the_cli_itself(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}, "use world.run (in process) or world.run_process (a process)"


def test_the_checks_above_see_what_they_forbid():
    bare = "from typer.testing import CliRunner\nCliRunner().invoke(app, [])\n"
    process = "subprocess.run([sys.executable, '-m', 'export_alignment', 'status'])\n"
    assert runs_the_cli_itself(ast.parse(bare)) == [2]
    assert runs_the_cli_itself(ast.parse(process)) == [1]
    assert imported(ast.parse("from test_editing import STATEMENT\n")) == ["test_editing"]
    assert runs_the_cli_itself(ast.parse("world.run('status')\n")) == []


def test_every_test_module_says_what_it_tests():
    silent = [
        str(path.relative_to(TESTS))
        for path in named_test_modules()
        if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert silent == []


def test_no_two_test_modules_share_a_name():
    names = Counter(path.name for path in named_test_modules())
    assert [name for name, count in names.items() if count > 1] == []
