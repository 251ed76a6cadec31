"""Fetching a question's neighbourhood at once: each backend's fast path (one Cypher
statement on Neo4j, a direct walk when embedded) must return exactly what the generic
node-by-node walk over the store interface returns."""

from __future__ import annotations

import pytest

from api.cli import demo_files
from graph.neighbourhood import Hop, Lookup, Seed, into, out
from graph.queries.question import seeds as _seeds
from graph.records import NodeKey
from graph.store import GraphStore
from importers.run import run_import


@pytest.fixture
def demo(store: GraphStore) -> GraphStore:
    run_import(store, demo_files())
    return store


def generic(store: GraphStore, seeds: list[Seed]):  # type: ignore[no-untyped-def]
    return GraphStore.neighbourhood(store, seeds).records()


@pytest.mark.parametrize(
    ("school", "home"),
    [("15UJ00", "2011AB"), ("15UJ00", "1971"), ("15UJ00", "9999"), ("99XX99", "2011")],
)
def test_fast_fetch_equals_the_generic_walk(demo: GraphStore, school: str, home: str) -> None:
    seeds = _seeds(school, home, "ijw-45")
    nodes, edges = demo.neighbourhood(seeds).records()
    assert (nodes, edges) == generic(demo, seeds)
    if school == "15UJ00":
        kinds = {n.kind for n in nodes}
        # it reaches every part of the answer: board, SWV, gemeente, region, contract,
        # provider, and the PC4 of a location found by value
        assert {"School", "Schoolbestuur", "Swv", "Gemeente", "Regio"} <= kinds
        if home != "9999":
            assert {"Contract", "Zorgaanbieder", "Aanbod", "Locatie", "Wijkteam"} <= kinds
            located = {e.src for e in edges if e.rel == "OP_LOCATIE"}
            assert located, "offers at locations"
    else:
        assert NodeKey("School", school) not in {n.key for n in nodes}


def test_lookup_by_value_and_missing_seeds(demo: GraphStore) -> None:
    loc = next(n for n in demo.nodes("Locatie") if n.props.get("postcode"))
    pc4 = str(loc.props["postcode"])[:4]
    near = demo.neighbourhood([Seed(loc.key, (Lookup("PC4", "postcode", 4),)), Seed(NodeKey("PC4", "0000"))])
    assert near.node(NodeKey("PC4", pc4)) is not None
    assert near.node(NodeKey("PC4", "0000")) is None
    assert len(near) == 2


def test_a_hop_the_schema_does_not_allow_is_refused() -> None:
    with pytest.raises(ValueError, match="never leads to"):
        out("LIGT_IN", "Swv")
    with pytest.raises(ValueError, match="never comes from"):
        into("BESTUURT", "Gemeente")
    assert isinstance(out("BESTUURT", "School"), Hop)
