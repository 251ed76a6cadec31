"""The benchmarks are run by hand, not by CI, so a change that breaks one would go unseen
until the next measurement: each must at least import and expose its ``main``."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import bench

MODULES = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name != "common")


def test_the_benchmarks_are_found() -> None:
    assert {"import_embedded", "import_neo4j", "queries", "http_load"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_a_benchmark_imports_and_has_a_main(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    assert callable(getattr(module, "main", None)), f"bench.{name} has no main()"
