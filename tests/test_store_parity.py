"""The store contract, written once and run against both backends (see conftest.store)."""

from __future__ import annotations

from collections import Counter

import pytest

from graph import neo4j_backend
from graph.embedded import EmbeddedStore
from graph.records import Batch, EdgeRecord, NodeKey, NodeRecord, SchemaError
from graph.store import GraphStore, MissingNodes

from .utils import dump

PROV = {"source": "test", "source_date": "2025", "import_id": "t1"}
HAARLEM = NodeKey("Gemeente", "GM0392")


def expected_counts(batch: Batch) -> dict[str, dict[str, int]]:
    return {
        "nodes": dict(sorted(Counter(k.kind for k in batch.nodes).items())),
        "edges": dict(sorted(Counter(k.rel for k in batch.edges).items())),
    }


def test_apply_creates_what_the_batch_holds(store: GraphStore, demo_batch: Batch) -> None:
    result = store.apply(demo_batch)
    assert result.nodes.created == len(demo_batch.nodes)
    assert result.edges.created == len(demo_batch.edges)
    assert store.counts().as_dict() == expected_counts(demo_batch)


def test_reapplying_is_a_no_op(store: GraphStore, demo_batch: Batch) -> None:
    store.apply(demo_batch)
    before = dump(store)
    again = store.apply(demo_batch)
    assert not again.changed
    assert again.nodes.unchanged == len(demo_batch.nodes)
    assert again.edges.unchanged == len(demo_batch.edges)
    assert dump(store) == before


def test_update_merges_properties_and_counts_as_updated(store: GraphStore, demo_batch: Batch) -> None:
    store.apply(demo_batch)
    b = Batch()
    b.add_node(NodeRecord("Gemeente", "GM0392", {"inwoners": 162902, **PROV}))
    result = store.apply(b)
    assert (result.nodes.created, result.nodes.updated, result.nodes.unchanged) == (0, 1, 0)
    node = store.node(HAARLEM)
    assert node is not None
    assert node.props["inwoners"] == 162902
    assert node.props["naam"] == "Haarlem"  # not given, so kept


def test_provenance_alone_is_not_a_change(store: GraphStore, demo_batch: Batch) -> None:
    store.apply(demo_batch)
    b = Batch()
    b.add_node(
        NodeRecord(
            "Gemeente",
            "GM0392",
            {"naam": "Haarlem", "source": "other", "source_date": "2026", "import_id": "t2"},
        )
    )
    result = store.apply(b)
    assert result.nodes.unchanged == 1 and not result.changed
    node = store.node(HAARLEM)
    assert node is not None and node.props["import_id"] == "test-import"


def test_edge_to_a_missing_node_applies_nothing(store: GraphStore, demo_batch: Batch) -> None:
    store.apply(demo_batch)
    before = dump(store)
    b = Batch()
    b.add_node(NodeRecord("PC4", "2021", {"plaats": "Haarlem", **PROV}))  # valid on its own
    b.add_edge(EdgeRecord(NodeKey("PC4", "2021"), "LIGT_IN", HAARLEM, PROV))
    b.add_edge(EdgeRecord(NodeKey("PC4", "9999"), "LIGT_IN", HAARLEM, PROV))
    with pytest.raises(MissingNodes, match="PC4:9999"):
        store.apply(b)
    assert dump(store) == before
    assert store.node(NodeKey("PC4", "2021")) is None


def test_reads_filter_and_sort(store: GraphStore, demo_batch: Batch) -> None:
    store.apply(demo_batch)
    ids = [n.id for n in store.nodes("Gemeente")]
    assert ids == sorted(ids) and "GM0392" in ids
    assert [n.id for n in store.nodes("PC4", ["2041", "2011", "1234"])] == ["2011", "2041"]
    into_haarlem = store.edges(rel="LIGT_IN", dst=HAARLEM)
    assert [e.src.id for e in into_haarlem] == ["2011", "2012", "2013", "2015"]
    out = store.edges(src=NodeKey("Gemeente", "GM0393"))
    assert [(e.rel, str(e.dst)) for e in out] == [("OPGEGAAN_IN", "Gemeente:GM0394")]
    assert out[0].props["datum"] == "2019-01-01"
    assert store.node(NodeKey("Gemeente", "GM9999")) is None
    assert store.edges(src=NodeKey("Gemeente", "GM9999")) == []


def test_unknown_kind_or_relation_is_an_error(store: GraphStore) -> None:
    with pytest.raises(SchemaError):
        store.nodes("Leerling")
    with pytest.raises(SchemaError):
        store.edges(rel="KENT")


def test_records_without_provenance_are_refused(demo_batch: Batch) -> None:
    with pytest.raises(SchemaError, match="provenance missing: source_date"):
        Batch().add_node(NodeRecord("PC4", "2011", {"source": "x", "import_id": "y"}))
    with pytest.raises(SchemaError, match="provenance missing"):
        Batch().add_edge(EdgeRecord(NodeKey("PC4", "2011"), "LIGT_IN", HAARLEM, {}))
    assert all(n.props["import_id"] == "test-import" for n in demo_batch.nodes.values())


@pytest.mark.parametrize(
    "value", [2**63, float("nan"), float("inf"), "a\ud800", [1, "a"], [float("nan")], {"a": 1}]
)
def test_values_no_backend_can_hold_are_refused_up_front(value: object) -> None:
    with pytest.raises(SchemaError, match=r"cannot be stored|one type|has a dict"):
        Batch().add_node(NodeRecord("PC4", "2011", {"x": value, **PROV}))


def test_a_change_of_type_is_a_change(store: GraphStore) -> None:
    b = Batch()
    b.add_node(NodeRecord("PC4", "2011", {"x": 1, "xs": [1, 2], **PROV}))
    store.apply(b)
    b2 = Batch()
    b2.add_node(NodeRecord("PC4", "2011", {"x": 1.0, "xs": [1.0, 2.0], **PROV}))
    assert store.apply(b2).nodes.updated == 1
    node = store.node(NodeKey("PC4", "2011"))
    assert node is not None and type(node.props["x"]) is float and node.props["xs"] == [1.0, 2.0]
    assert not store.apply(b2).changed


def test_returned_lists_are_copies(store: GraphStore) -> None:
    b = Batch()
    b.add_node(NodeRecord("PC4", "2011", {"xs": [1], **PROV}))
    store.apply(b)
    got = store.node(NodeKey("PC4", "2011"))
    assert got is not None
    got.props["xs"].append(5)  # type: ignore[union-attr]
    assert store.node(NodeKey("PC4", "2011")).props["xs"] == [1]  # type: ignore[union-attr]


def test_clear_empties(store: GraphStore, demo_batch: Batch) -> None:
    store.apply(demo_batch)
    store.clear()
    assert store.counts().as_dict() == {"nodes": {}, "edges": {}}


def test_failure_inside_the_write_leaves_previous_state(
    store: GraphStore, demo_batch: Batch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection at the last step of a write (after the nodes were written)."""
    store.apply(demo_batch)
    before = dump(store)
    b = Batch()
    b.add_node(NodeRecord("PC4", "2021", PROV))
    b.add_edge(EdgeRecord(NodeKey("PC4", "2021"), "LIGT_IN", HAARLEM, PROV))

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full (injected)")

    if isinstance(store, EmbeddedStore):
        monkeypatch.setattr(store, "_save", boom)
    else:
        monkeypatch.setattr(neo4j_backend, "_write_edges", boom)
    with pytest.raises(OSError, match="injected"):
        store.apply(b)
    monkeypatch.undo()
    assert dump(store) == before


def test_both_backends_hold_the_same_graph(
    embedded_store: GraphStore, neo4j_store: GraphStore, demo_batch: Batch
) -> None:
    """Parity in one assertion: the same batch gives identical contents on both."""
    assert embedded_store.apply(demo_batch).outcomes == neo4j_store.apply(demo_batch).outcomes
    assert dump(embedded_store) == dump(neo4j_store)
    assert embedded_store.counts() == neo4j_store.counts()
