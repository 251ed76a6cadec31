"""Fixtures shared by the tests: one ``store`` fixture that runs a test on both backends.

The Neo4j half talks to the real server named by ``SOCIALE_KAART_TEST_NEO4J_URI``
(``bash scripts/test`` starts one). It is a variable of its own, not ``NEO4J_URI``, because
the tests empty the database they are given: a shell set up for a real database must never
have it wiped by a test run. Under ``CI=true`` a missing or unreachable Neo4j fails the run; on a laptop
without it the Neo4j half is skipped with one line that says how to enable it.

What the tests share that is no fixture (paths, marks, small helpers) is in ``tests/utils.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.records import Batch
from graph.store import GraphStore
from importers.native import parse

from .utils import DEMO, IN_CI, TEST_URI

HOW_TO_ENABLE = (
    f"Neo4j tests skipped: no {TEST_URI}. Run `bash scripts/test` (starts a local Neo4j with "
    f"Java 17 + Maven) or set {TEST_URI} (and NEO4J_USER/NEO4J_PASSWORD) to a Neo4j 5 server "
    "whose data may be deleted."
)

_neo4j_state: dict[str, object] = {}


def _connect_neo4j() -> object:
    """Open the Neo4j store once per session; returns the store or the reason it failed."""
    if "result" in _neo4j_state:
        return _neo4j_state["result"]
    uri = os.environ.get(TEST_URI)
    if not uri:
        result: object = HOW_TO_ENABLE
    else:
        from graph.neo4j_backend import Neo4jStore

        store = Neo4jStore(
            uri,
            os.environ.get("NEO4J_USER"),
            os.environ.get("NEO4J_PASSWORD"),
            os.environ.get("NEO4J_DATABASE"),
        )
        try:
            store.ping()
            result = store
        except Exception as exc:
            store.close()
            result = f"Neo4j at {uri} is not reachable: {exc}"
    _neo4j_state["result"] = result
    return result


def pytest_report_header(config: pytest.Config) -> str:
    neo = _connect_neo4j()
    if isinstance(neo, GraphStore):
        return f"backends: embedded, {neo.info()}"
    return f"backends: embedded (neo4j: {neo})"


def pytest_sessionfinish(session: pytest.Session) -> None:
    neo = _neo4j_state.get("result")
    if isinstance(neo, GraphStore):
        neo.close()


@pytest.fixture
def neo4j_store() -> Iterator[GraphStore]:
    neo = _connect_neo4j()
    if not isinstance(neo, GraphStore):
        if IN_CI:
            pytest.fail(f"CI=true but {neo}", pytrace=False)
        pytest.skip(str(neo))
    neo.clear()
    yield neo
    neo.clear()


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[GraphStore]:
    store = EmbeddedStore(tmp_path / "graph.json")
    yield store
    store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """The same test, once per backend."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def demo_batch() -> Batch:
    """The shipped demo data as one batch, read through the real importer."""
    parsed = parse(DEMO, "test-import")
    assert not parsed.report.problems, parsed.report.problems
    batch = Batch()
    for _, n in parsed.nodes:
        batch.add_node(n)
    for _, e in parsed.edges:
        batch.add_edge(e)
    return batch
