"""Broken outlines are refused (issue 11 point 2): string coordinates, ``"coordinates":"nope"``,
a ring too short or not closed, a point outside the Netherlands and a ring that crosses itself
are refused with file, line and field in every format that carries an outline, nothing of the
run is applied and the previous outline stays; every real CBS outline is accepted, the one
that crosses itself (Waterland 2023, a generalisation artefact) cut into rings that do not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph import geometry
from graph.records import NodeKey
from graph.store import GraphStore
from importers.report import ImportFailed
from importers.run import run_import

from .utils import SHARED_DATA, dump, needs_shared

NATIVE_HEADER = '{"format": "sociale-kaart/1", "source": "test", "source_date": "2026-01-01"}\n'
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.6, 52.3], [4.7, 52.3], [4.7, 52.4], [4.6, 52.4], [4.6, 52.3]]],
}
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[4.6, 52.3], [4.7, 52.4], [4.7, 52.3], [4.6, 52.4], [4.6, 52.3]]],
}

RING = SQUARE["coordinates"][0]


def polygon(*points: list[Any]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [list(points)]}


#: what is wrong, the outline, and a word the refusal must use
BROKEN: dict[str, tuple[Any, str]] = {
    "string coordinates": (polygon(*[[str(x), str(y)] for x, y in RING]), "getallen"),
    "coordinates nope": ({"type": "Polygon", "coordinates": "nope"}, "niet een tekst"),
    "a ring of text": ({"type": "Polygon", "coordinates": ["nope"]}, "punten zijn, niet een tekst"),
    "no geometry": (None, "Polygon of MultiPolygon, niet null"),
    "one level short": ({"type": "Polygon", "coordinates": RING}, "[lengte, breedte]"),
    "three points": (polygon([4.6, 52.3], [4.7, 52.3], [4.6, 52.3]), "minstens 4"),
    "not closed": (polygon(*RING[:-1]), "niet gesloten"),
    "out of range": (polygon([4.6, 52.3], [190, 52.3], [4.7, 52.4], [4.6, 52.3]), "buiten Nederland"),
    "swapped": (polygon(*[[y, x] for x, y in RING]), "verwisseld"),
    "a point": ({"type": "Point", "coordinates": [4.6, 52.3]}, "Polygon of MultiPolygon"),
    "empty multipolygon": ({"type": "MultiPolygon", "coordinates": []}, "lege lijst"),
    "crossing": (BOW_TIE, "snijdt zichzelf"),
}


def native(tmp_path: Path, outline: Any) -> Path:
    """The native format: the outline as GeoJSON text on line 3, after a good gemeente."""
    path = tmp_path / "grenzen.jsonl"
    text = outline if isinstance(outline, str) else json.dumps(outline)
    lines = [
        {"kind": "Gemeente", "id": "GM0363", "naam": "Amsterdam"},
        {"kind": "Gemeente", "id": "GM0392", "naam": "Haarlem", "grens": text},
    ]
    path.write_text(NATIVE_HEADER + "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def cbs(tmp_path: Path, outline: Any) -> Path:
    """CBS gemeentegrenzen GeoJSON: the outline as the second feature's geometry."""
    path = tmp_path / "cbs_gemeentegrenzen_2023.geojson"
    features = [
        {"type": "Feature", "properties": {"gemeentecode": code, "jaar": 2023}, "geometry": g}
        for code, g in (("GM0363", SQUARE), ("GM0392", outline))
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def topojson(tmp_path: Path, outline: Any) -> Path:
    """A CBS region layer (TopoJSON, arcs not quantised): the outline's first ring as its one arc."""
    path = tmp_path / "jeugdregios.topojson"
    shape = {"type": "Polygon", "arcs": [[0]], "properties": {"statcode": "JZ99", "statnaam": "Test"}}
    topology = {
        "type": "Topology",
        "arcs": [outline["coordinates"][0]],
        "objects": {"jeugdregio_2025": {"type": "GeometryCollection", "geometries": [shape]}},
    }
    path.write_text(json.dumps(topology), encoding="utf-8")
    return path


WAYS = {"native": (native, 3, "grens"), "cbs": (cbs, 2, "geometry"), "topojson": (topojson, 1, "arcs")}


@pytest.fixture
def outlined(store: GraphStore, tmp_path: Path) -> GraphStore:
    """A store where Haarlem has a good outline: the one a refused import must leave in place."""
    (tmp_path / "eerst").mkdir()
    run_import(store, [native(tmp_path / "eerst", SQUARE)])
    return store


def outline_of(store: GraphStore, kind: str = "Gemeente", code: str = "GM0392") -> Any:
    node = store.node(NodeKey(kind, code))
    return json.loads(str(node.props["grens"])) if node and "grens" in node.props else None


#: every broken outline in both formats of gemeente outlines; but an official outline that
#: crosses itself is cut, not refused (see the test of that below)
CASES = [(way, what) for way in ("native", "cbs") for what in BROKEN if (way, what) != ("cbs", "crossing")]


@pytest.mark.parametrize("way, what", CASES)
def test_a_broken_outline_is_refused_and_the_previous_one_stays(
    outlined: GraphStore, tmp_path: Path, way: str, what: str
) -> None:
    outline, word = BROKEN[what]
    write, line, field = WAYS[way]
    path = write(tmp_path, outline)
    before = dump(outlined)
    with pytest.raises(ImportFailed) as failed:
        run_import(outlined, [path])
    [problem] = [p for p in failed.value.report.problems if p.fatal]
    assert (Path(problem.file).name, problem.line, problem.field) == (path.name, line, field), problem
    assert word in problem.reason, problem.reason
    assert outline_of(outlined) == SQUARE
    assert dump(outlined) == before  # nothing of the run applied


@pytest.mark.parametrize("text", ["{geen json", '{"type": "Polygon", "coordinates": [[[4.6, NaN]]]}'])
def test_outline_text_that_is_no_geojson_is_refused(outlined: GraphStore, tmp_path: Path, text: str) -> None:
    with pytest.raises(ImportFailed) as failed:
        run_import(outlined, [native(tmp_path, text)])
    [problem] = [p for p in failed.value.report.problems if p.fatal]
    assert (problem.line, problem.field) == (3, "grens")
    assert "JSON" in problem.reason or "getallen" in problem.reason, problem.reason
    assert outline_of(outlined) == SQUARE


@pytest.mark.parametrize("what", ["swapped", "crossing"])
def test_a_region_outline_is_checked_too(store: GraphStore, tmp_path: Path, what: str) -> None:
    outline, word = BROKEN[what]
    path = topojson(tmp_path, outline)
    if what == "swapped":
        with pytest.raises(ImportFailed) as failed:
            run_import(store, [path])
        [problem] = [p for p in failed.value.report.problems if p.fatal]
        assert (Path(problem.file).name, problem.line, problem.field) == (path.name, 1, "arcs")
        assert word in problem.reason
        assert store.node(NodeKey("Regio", "JZ99")) is None
    else:
        report = run_import(store, [path])
        [note] = [p for p in report.problems if p.line == 1]
        assert not note.fatal and note.field == "arcs" and "gesplitst" in note.reason
        cut = outline_of(store, "Regio", "JZ99")
        assert cut["type"] == "MultiPolygon" and len(cut["coordinates"]) == 2


def test_an_official_outline_that_crosses_itself_is_cut(outlined: GraphStore, tmp_path: Path) -> None:
    report = run_import(outlined, [cbs(tmp_path, BOW_TIE)])
    [note] = [p for p in report.problems if p.field == "geometry"]
    assert not note.fatal and note.line == 2 and "gesplitst" in note.reason, note
    cut = outline_of(outlined)
    assert cut["type"] == "MultiPolygon" and len(cut["coordinates"]) == 2
    geometry.check(json.dumps(cut))  # what was stored passes the same check
    # the two triangles meet at the crossing (4.65, 52.35) and keep all four corners
    corners = {(round(x, 9), round(y, 9)) for polygon in cut["coordinates"] for x, y in polygon[0]}
    assert corners == {(4.6, 52.3), (4.7, 52.4), (4.7, 52.3), (4.6, 52.4), (4.65, 52.35)}


@needs_shared
def test_every_real_outline_is_accepted() -> None:
    """The CBS 2023 outlines as published: all pass the check, but Waterland, which crosses
    itself and passes once cut."""
    data = json.loads((SHARED_DATA / "cbs-gemeentegrenzen-2023.geojson").read_text(encoding="utf-8"))
    refused = {}
    for feature in data["features"]:
        try:
            geometry.check(json.dumps(feature["geometry"]))
        except ValueError as exc:
            refused[feature["properties"]["gemeentecode"]] = str(exc)
            cut, cuts = geometry.untangle(feature["geometry"])
            assert cuts > 0 and geometry.check(json.dumps(cut))
    assert list(refused) == ["GM0852"], refused
    assert "snijdt zichzelf" in refused["GM0852"]
