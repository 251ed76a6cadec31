"""The house rules a reader relies on: small modules with one job, short functions, and a
docstring on every public function of the queries and importers. Checked here so that a
change that breaks them fails the tests, not only a review."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.utils import REPO

ROOMS = ("graph", "api", "importers", "viz")
MODULE_LINES, FUNCTION_LINES = 500, 80


def _modules(*rooms: str) -> Iterator[Path]:
    for room in rooms:
        yield from sorted((REPO / room).rglob("*.py"))


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def test_no_module_over_500_lines() -> None:
    big = {
        str(p.relative_to(REPO)): n for p in _modules(*ROOMS) if (n := len(p.read_text().splitlines())) > 500
    }
    assert big == {}


def test_no_function_over_80_lines() -> None:
    long = [
        f"{p.relative_to(REPO)}:{f.lineno} {f.name} ({(f.end_lineno or f.lineno) - f.lineno + 1} lines)"
        for p in _modules(*ROOMS)
        for f in _functions(ast.parse(p.read_text()))
        if (f.end_lineno or f.lineno) - f.lineno + 1 > FUNCTION_LINES
    ]
    assert long == []


def _public(body: list[ast.stmt], prefix: str = "") -> Iterator[tuple[str, ast.AST]]:
    for node in body:
        if isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ) and not node.name.startswith("_"):
            yield prefix + node.name, node
            if isinstance(node, ast.ClassDef):
                yield from _public(node.body, f"{node.name}.")


def test_public_queries_and_importers_say_why() -> None:
    """Every public function and class of graph/queries and importers has a docstring."""
    bare = [
        f"{p.relative_to(REPO)}:{name}"
        for p in _modules("graph/queries", "importers")
        for name, node in _public(ast.parse(p.read_text()).body)
        if ast.get_docstring(node) is None  # type: ignore[arg-type]
    ]
    assert bare == []
