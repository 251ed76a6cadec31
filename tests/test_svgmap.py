"""The gemeente map: projection, simplification, escaping, the signals on the demo (both
backends), and GET /api/v1/map/gemeenten.svg."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import demo_files
from graph.embedded import EmbeddedStore
from graph.queries.map import Area, UnknownSignal, map_areas, rings
from graph.store import GraphStore
from importers.run import run_import
from viz.svgmap import (
    NO_DATA,
    NO_DATA_ID,
    SIGNALS,
    Projection,
    Scale,
    path_data,
    render,
    signal_svg,
    simplify,
)

SVG = "{http://www.w3.org/2000/svg}"


def gemeenten_svg(store: GraphStore, signal: str, region: str | None = None) -> str:
    """The map as the endpoint draws it: the query's areas, drawn."""
    return signal_svg(signal, map_areas(store, signal, region), region)


def square(lon: float, lat: float, size: float = 0.1) -> dict[str, object]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_projection_scales_longitude_by_the_cosine_of_the_latitude() -> None:
    p = Projection.fit([(4.0, 52.0), (5.0, 53.0)], width=1000, pad=0, max_height=10_000)
    width_px = p(5.0, 52.5)[0] - p(4.0, 52.5)[0]
    height_px = p(4.5, 52.0)[1] - p(4.5, 53.0)[1]
    assert width_px / height_px == pytest.approx(math.cos(math.radians(52.5)), rel=1e-6)
    assert p(4.0, 53.0) == pytest.approx((0, 0))  # north-west corner at the origin, y grows south
    assert p.width == pytest.approx(1000, abs=0.1)


def test_simplify_keeps_the_shape_and_drops_what_is_below_the_tolerance() -> None:
    wiggly = [(x / 10, 0.01 * (-1) ** x) for x in range(101)]
    assert simplify(wiggly, 0.1) == [wiggly[0], wiggly[-1]]
    corner = [(0.0, 0.0), (5.0, 0.0), (10.0, 0.0), (10.0, 5.0), (10.0, 10.0)]
    assert simplify(corner, 0.1) == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
    assert simplify([(0, 0), (1, 1)], 5) == [(0, 0), (1, 1)]


def test_rings_of_polygons_and_multipolygons_with_holes() -> None:
    multi = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]],
            [[[5, 5], [6, 5], [6, 6], [5, 5]]],
        ],
    }
    polys = rings(multi)
    assert [len(p) for p in polys] == [2, 1]
    assert rings({"type": "Point", "coordinates": [1, 2]}) == []
    project = Projection.fit((pt for poly in polys for pt in poly[0]), width=200)
    d = path_data(polys, project)
    assert d.count("M") == 3 and d.count("Z") == 3  # outer ring, hole, island


def test_tiny_islands_vanish_but_never_a_whole_gemeente() -> None:
    big, speck = square(4.0, 52.0, 1.0), square(6.0, 53.0, 0.000001)
    polys = rings(big) + rings(speck)
    project = Projection.fit((pt for poly in polys for pt in poly[0]), width=400)
    assert path_data(polys, project).count("M") == 1
    assert path_data(rings(speck), project)  # alone, the speck is still drawn


def test_render_escapes_names_and_colours_by_class() -> None:
    areas = [
        Area("GM0001", "</title><script>alert(1)</script>", square(4.0, 52.0), 1, "1 & meer"),
        Area("GM0002", "Zonder gegevens", square(4.2, 52.0), None),
        Area("GM0003", "Veel", square(4.4, 52.0), 9, "9"),
    ]
    scale = Scale.counts(4)
    svg = render(areas, scale, title="Kaart <test>", legend_title="Aantal")
    root = ET.fromstring(svg)  # well-formed XML
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert titles[0] == "Kaart <test>"
    assert "</title><script>alert(1)</script> (GM0001): 1 & meer" in titles
    assert "Zonder gegevens (GM0002): geen gegevens" in titles
    fills = {p.get("data-gemeente"): p.get("fill") for p in root.iter(f"{SVG}path")}
    assert fills == {
        "GM0001": scale.classes[0].color,
        "GM0002": NO_DATA,
        "GM0003": scale.classes[-1].color,
    }
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert legend == ["Aantal", "1", "2", "3", "4 of meer", "geen gegevens"]
    assert root.get("role") == "img" and root.get("viewBox")


def test_no_data_is_hatched_not_a_grey_like_the_lightest_class() -> None:
    """A flat light grey for "no data" reads as the lightest class; it is a pattern of lines,
    defined in the SVG itself (so the saved file shows it too) and used by its legend entry."""
    areas = [
        Area("GM0001", "Met", square(4.0, 52.0), 1, "1"),
        Area("GM0002", "Zonder", square(4.2, 52.0), None),
    ]
    root = ET.fromstring(render(areas, Scale.counts(4), title="t", legend_title="Aantal"))
    pattern = root.find(f"{SVG}defs/{SVG}pattern")
    assert pattern is not None and pattern.get("id") == NO_DATA_ID
    assert pattern.find(f"{SVG}line") is not None  # hatched, not a flat fill
    fills = {p.get("data-gemeente"): p.get("fill") for p in root.iter(f"{SVG}path")}
    assert fills["GM0002"] == f"url(#{NO_DATA_ID})" == NO_DATA  # the path uses that pattern
    assert NO_DATA not in {c.color for c in Scale.counts(4).classes}
    swatches = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("width") == "18"]
    assert swatches[-1] == NO_DATA  # the legend's last entry, "geen gegevens"


def test_the_title_keeps_the_capitals_of_abbreviations(demo_store: GraphStore) -> None:
    title = ET.fromstring(gemeenten_svg(demo_store, "swvs-po")).find(f"{SVG}title")
    assert title is not None and title.text == "Kaart van de gemeenten: aantal PO-samenwerkingsverbanden"


def test_the_colour_is_that_of_the_rounded_value_in_the_tooltip(demo_store: GraphStore) -> None:
    """The tooltip says "ca. 20 %": the gemeente must be coloured 20–30 %, not 10–20 % because
    the unrounded share was 19.6 %."""
    scale = SIGNALS["buiten"].scale
    root = ET.fromstring(gemeenten_svg(demo_store, "buiten"))
    checked = 0
    for path in root.iter(f"{SVG}path"):
        tip = path.findtext(f"{SVG}title") or ""
        said = re.search(r": ca\. (\d+) %", tip)
        if said:
            assert path.get("fill") == scale.color(int(said.group(1))), tip
            checked += 1
    assert checked > 5
    for area in map_areas(demo_store, "buiten"):
        assert area.value is None or area.value == int(area.value)


def test_scales() -> None:
    shares = Scale.breaks([0, 10, 20], " %")
    assert [c.label for c in shares.classes] == ["0–10 %", "10–20 %", "20 % of meer"]
    assert shares.color(0) == shares.classes[0].color
    assert shares.color(15) == shares.classes[1].color
    assert shares.color(99) == shares.classes[2].color
    assert len({c.color for c in Scale.counts(4).classes}) == 4


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = EmbeddedStore(tmp_path_factory.mktemp("map") / "graph.json")
    run_import(store, demo_files())
    yield store
    store.close()


def test_signals_on_the_demo_on_both_backends(store: GraphStore) -> None:
    run_import(store, demo_files())
    with_outline = {n.id for n in store.nodes("Gemeente") if n.props.get("grens")}
    po = {a.id: a for a in map_areas(store, "swvs-po")}
    assert set(po) == with_outline
    assert po["GM0394"].value == 2  # Haarlemmermeer: PO2704 and PO2710
    assert "(PO 27-04)" in po["GM0394"].text and "PO 27-10" in po["GM0394"].text  # named, never bare
    assert po["GM0392"].value == 1  # Haarlem
    buiten = {a.id: a for a in map_areas(store, "buiten")}
    assert 0 < (buiten["GM0392"].value or 0) < 100 and "leerlingen" in buiten["GM0392"].text
    jz11 = {a.id: a for a in map_areas(store, "jeugdregios", "JZ11")}
    assert {"GM0377", "GM0392", "GM0397", "GM0473"} <= set(jz11) < with_outline
    assert jz11["GM0392"].value == 1 and "JZ11" in jz11["GM0392"].text


def test_every_signal_draws_a_valid_map(demo_store: GraphStore) -> None:
    for key in SIGNALS:
        root = ET.fromstring(gemeenten_svg(demo_store, key))
        paths = list(root.iter(f"{SVG}path"))
        assert len(paths) == sum(1 for n in demo_store.nodes("Gemeente") if n.props.get("grens"))
        haarlem = next(p for p in paths if p.get("data-gemeente") == "GM0392")
        assert haarlem.find(f"{SVG}title").text.startswith("Haarlem (GM0392): ")  # type: ignore[union-attr]
    with pytest.raises(UnknownSignal):
        gemeenten_svg(demo_store, "nonsense")


def test_a_broken_outline_is_left_out(
    demo_store: GraphStore, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from graph.records import Batch, NodeRecord

    store = EmbeddedStore(tmp_path_factory.mktemp("broken") / "graph.json")
    prov = {"source": "test", "source_date": "2025", "import_id": "t"}
    batch = Batch()
    batch.add_node(
        NodeRecord("Gemeente", "GM0001", {"naam": "Goed", "grens": json.dumps(square(4, 52)), **prov})
    )
    broken = [
        "{not json",
        json.dumps({"type": "Polygon", "coordinates": []}),
        json.dumps({"type": "Polygon", "coordinates": [[]]}),
        json.dumps({"type": "Polygon", "coordinates": [[[4, 52], [4.1, 52]]]}),  # two points
        json.dumps({"type": "Polygon", "coordinates": [[[4, 52], [4.1, "x"], [4, 52.1]]]}),
        json.dumps({"type": "Polygon", "coordinates": [[4, 52], [4.1, 52], [4.1, 52.1]]}),  # one level short
        json.dumps({"type": "MultiPolygon", "coordinates": [[], [[]]]}),
        json.dumps({"type": "Polygon"}),
        json.dumps({"type": "Point", "coordinates": [4, 52]}),
        "[1,2]",
        "null",
        '"Polygon"',
        '{"type": "Polygon", "coordinates": [[[4, 52], [NaN, 52], [4, 53]]]}',
    ]
    for i, grens in enumerate(broken, start=2):
        batch.add_node(NodeRecord("Gemeente", f"GM{i:04d}", {"naam": f"Kapot {i}", "grens": grens, **prov}))
    store.apply(batch)
    assert [a.id for a in map_areas(store, "swvs-po")] == ["GM0001"]
    # the page and the SVG still answer, with the one good gemeente drawn
    with TestClient(create_app(store)) as client:
        for signal in SIGNALS:
            r = client.get("/api/v1/map/gemeenten.svg", params={"signal": signal})
            assert r.status_code == 200, r.text
            assert [p.get("data-gemeente") for p in ET.fromstring(r.text).iter(f"{SVG}path")] == ["GM0001"]
            page = client.get("/beleid", params={"signal": signal})
            assert page.status_code == 200 and 'data-gemeente="GM0001"' in page.text
    # render() itself leaves out an area it cannot draw, even when not filtered before
    areas = [Area("GM0001", "Goed", square(4, 52), 1), Area("GM0002", "Kapot", {"type": "Polygon"}, 1)]
    assert [
        p.get("data-gemeente")
        for p in ET.fromstring(render(areas, Scale.counts(3), title="t")).iter(f"{SVG}path")
    ] == ["GM0001"]
    assert "<path" not in render([areas[1]], Scale.counts(3), title="t")
    store.close()


def test_map_endpoint(demo_store: GraphStore) -> None:
    with TestClient(create_app(demo_store)) as client:
        r = client.get("/api/v1/map/gemeenten.svg", params={"signal": "buiten"})
        assert r.status_code == 200
        assert r.headers["content-type"] == "image/svg+xml"
        # opened on its own, the SVG may run nothing and load nothing, and is never sniffed as HTML
        assert r.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
        assert r.headers["x-content-type-options"] == "nosniff"
        all_paths = len(list(ET.fromstring(r.text).iter(f"{SVG}path")))
        r = client.get("/api/v1/map/gemeenten.svg", params={"signal": "swvs-vo", "regio": "jz11"})
        assert r.status_code == 200
        assert 0 < len(list(ET.fromstring(r.text).iter(f"{SVG}path"))) < all_paths
        assert client.get("/api/v1/map/gemeenten.svg").status_code == 200  # a default signal
        r = client.get("/api/v1/map/gemeenten.svg", params={"signal": "nonsense"})
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
        r = client.get("/api/v1/map/gemeenten.svg", params={"regio": "JZ99"})
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
        spec = client.get("/openapi.json").json()
    assert "/api/v1/map/gemeenten.svg" in spec["paths"]
    assert not any(p in spec["paths"] for p in ("/", "/school", "/beleid"))  # pages stay out of the API
