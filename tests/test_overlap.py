"""Overlap of regions on the demo: the sets, the numbers derived from them, parity, and HTTP."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import demo_files
from graph.queries.errors import QuestionError
from graph.queries.overlap import overlap, overlapping, region, region_key
from graph.records import NodeKey
from graph.store import GraphStore
from importers.run import run_import

from .utils import build_graph


@pytest.fixture
def demo(store: GraphStore) -> GraphStore:
    run_import(store, demo_files())
    return store


def test_swv_and_jeugdregio(demo: GraphStore) -> None:
    o = overlap(demo, "PO2704", "JZ11")
    swv = region(demo, region_key("PO2704"))
    jz = region(demo, region_key("JZ11"))
    # the sets, computed here from the raw edges, and the numbers derived from them
    assert set(o.shared_pc4) == swv.pc4 & jz.pc4 and o.pc4_a == len(swv.pc4) and o.pc4_b == len(jz.pc4)
    assert o.jaccard_pc4 == round(len(swv.pc4 & jz.pc4) / len(swv.pc4 | jz.pc4), 4)
    assert set(o.shared_gemeenten) == {"GM0377", "GM0392", "GM0397", "GM0473"}
    inwoners = {n.id: n.props.get("inwoners", 0) for n in demo.nodes("PC4", swv.pc4)}
    assert o.inwoners_shared == sum(int(inwoners[p]) for p in o.shared_pc4)
    assert 0 < o.share_of_a_inwoners <= 1  # type: ignore[operator]


def test_a_swv_that_crosses_a_jeugdregio_border_shows_both(demo: GraphStore) -> None:
    found = overlapping(demo, "PO2704", "jeugdregio")
    assert [o.b for o in found][:1] == ["Regio:JZ11"]
    assert "Regio:JZ15" in [o.b for o in found]  # Spaarndam: Haarlemmermeer, in another jeugdregio
    shares = [len(o.shared_pc4) for o in found]
    assert shares == sorted(shares, reverse=True)


def test_wijkteam_area_within_its_gemeente(demo: GraphStore) -> None:
    o = overlap(demo, "wijkteam:demo-haarlem-centrum", "GM0392")
    assert o.pc4_a == len(o.shared_pc4) > 0 and o.shared_gemeenten == ["GM0392"]
    assert {o.b for o in overlapping(demo, "GM0392", "wijkteam")} >= {"Wijkteam:demo-haarlem-centrum"}


def test_unknown_and_malformed_regions(demo: GraphStore) -> None:
    with pytest.raises(QuestionError) as err:
        overlap(demo, "PO9999", "JZ11")
    assert err.value.status == 404
    with pytest.raises(QuestionError) as err:
        overlap(demo, "Haarlem?", "JZ11")
    assert err.value.status == 422 and "PO2704" in str(err.value)
    assert region_key("PV27") == NodeKey("Provincie", "PV27")


def test_both_backends_agree(embedded_store: GraphStore, neo4j_store: GraphStore) -> None:
    for store in (embedded_store, neo4j_store):
        run_import(store, demo_files())
    for a, b in (("PO2704", "JZ11"), ("VO2705", "GM0392"), ("JZ06", "PV27")):
        assert dataclasses.asdict(overlap(embedded_store, a, b)) == dataclasses.asdict(
            overlap(neo4j_store, a, b)
        )
    assert [dataclasses.asdict(o) for o in overlapping(embedded_store, "JZ06", "swv")] == [
        dataclasses.asdict(o) for o in overlapping(neo4j_store, "JZ06", "swv")
    ]


def test_http(demo: GraphStore) -> None:
    with TestClient(create_app(demo)) as client:
        one = client.get("/api/v1/overlap", params={"a": "PO2704", "b": "JZ11"})
        page = client.get("/api/v1/overlap/JZ06", params={"type": "swv", "size": 1, "page": 2})
        missing = client.get("/api/v1/overlap", params={"a": "PO9999", "b": "JZ11"})
    assert one.status_code == 200 and one.json()["shared_gemeenten"] == [
        "GM0377",
        "GM0392",
        "GM0397",
        "GM0473",
    ]
    body = page.json()
    assert page.status_code == 200 and body["page"] == 2 and body["size"] == 1 and len(body["items"]) == 1
    assert body["total"] >= 2
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


def test_regions_that_share_only_a_border_pc4_overlap(store: GraphStore) -> None:
    """A PC4 in two gemeenten makes their regions overlap, though no gemeente is shared."""
    build_graph(
        store,
        [
            ("Gemeente", "GM0001", {"naam": "Een"}),
            ("Gemeente", "GM0002", {"naam": "Twee"}),
            ("Regio", "JZ01", {"soort": "jeugdregio"}),
            ("Regio", "JZ02", {"soort": "jeugdregio"}),
            ("Provincie", "PV01", {}),
            ("Provincie", "PV02", {}),
            ("PC4", "1000", {}),
            ("PC4", "2000", {}),
            ("PC4", "3000", {}),
        ],
        [
            ("PC4:1000", "LIGT_IN", "Gemeente:GM0001"),
            ("PC4:2000", "LIGT_IN", "Gemeente:GM0001"),
            ("PC4:2000", "LIGT_IN", "Gemeente:GM0002"),
            ("PC4:3000", "LIGT_IN", "Gemeente:GM0002"),
            ("Gemeente:GM0001", "HOORT_BIJ", "Regio:JZ01"),
            ("Gemeente:GM0002", "HOORT_BIJ", "Regio:JZ02"),
            ("Gemeente:GM0001", "LIGT_IN", "Provincie:PV01"),
            ("Gemeente:GM0002", "LIGT_IN", "Provincie:PV02"),
        ],
    )
    for x, soort, other in (("GM0001", "gemeente", "Gemeente:GM0002"), ("JZ01", "jeugdregio", "Regio:JZ02")):
        found = overlapping(store, x, soort)
        assert [(o.b, o.shared_pc4, o.shared_gemeenten) for o in found] == [(other, ["2000"], [])]
    assert [o.b for o in overlapping(store, "PV01", "provincie")] == ["Provincie:PV02"]
