"""Regions of gemeenten (CBS 2016 and 2024) and the SWV regulation's per-gemeente form (2013)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from graph.records import NodeKey
from graph.store import GraphStore
from importers.run import run_import
from importers.swv import parse_restrictie

from .utils import SHARED_DATA, needs_shared

GEMEENTEN = (
    "gm_code,gm_naam,jaar\nGM0392,Haarlem,2025\nGM0394,Haarlemmermeer,2025\nGM0373,Bergen (NH.),2025\n"
)
HERINDELING = "Bestaan tot;Eindjaar;Oude;Nieuwe\n1-1-2019;2019;GM0393;GM0394\n"


def base(tmp_path: Path) -> list[Path]:
    gm, her = tmp_path / "gemeenten.csv", tmp_path / "herindelingen.csv"
    gm.write_text(GEMEENTEN)
    her.write_text(HERINDELING)
    return [gm, her]


def test_gebieden_2016_mapped_to_todays_gemeenten(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "gebieden.json"
    path.write_text(
        json.dumps(
            {
                "reg": ["GM0392", "GM0393", "GM0394", "GM0999"],
                "Jeugdzorgregios": ["JZ11", "JZ11", "JZ12", "JZ40"],
                "GGD-regio's": ["GG3109", "GG3109", "GG3109", "GG0101"],
                "Landsdelen": ["LD01", "LD01", "LD01", "LD01"],
            }
        )
    )
    report = run_import(store, [path, *base(tmp_path)])
    notes = [p for p in report.problems]
    assert all(not p.fatal for p in notes)
    assert any("Landsdelen" in p.reason for p in notes)  # region types not used are named
    assert any(p.value == "GM0999" for p in notes)  # unresolved 2016 gemeente is listed
    meer = {str(e.dst): e.props for e in store.edges(rel="HOORT_BIJ", src=NodeKey("Gemeente", "GM0394"))}
    # Haarlemmermeer took in GM0393 (JZ11) and was in JZ12 itself: both show, with the reason
    assert meer["Regio:JZ11"]["gemeenten_2016"] == ["GM0393"]
    assert meer["Regio:JZ12"]["gemeenten_2016"] == ["GM0394"]
    assert meer["Regio:JZ11"]["deels"] is True and meer["Regio:JZ12"]["deels"] is False
    assert store.node(NodeKey("Regio", "JZ11")).props["soort"] == "jeugdregio"  # type: ignore[union-attr]


def test_woonplaatsen_give_places_and_corop(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "woonplaatsen.csv"
    path.write_text(
        "Woonplaatscode,Woonplaats,Gemeentecode,Gemeente,COROP-gebiedcode,COROP-gebied\n"
        "1001,Haarlem,0392,Haarlem,21,Agglomeratie Haarlem\n"
        "1002,Spaarndam,0392,Haarlem,21,Agglomeratie Haarlem\n"
        "1003,Hoofddorp,0394,Haarlemmermeer,23,Groot-Amsterdam\n"
    )
    run_import(store, [path, *base(tmp_path)])
    haarlem = store.node(NodeKey("Gemeente", "GM0392"))
    assert haarlem is not None and haarlem.props["woonplaatsen"] == ["Haarlem", "Spaarndam"]
    assert haarlem.props["naam"] == "Haarlem"  # merged with, not replacing, the CBS gemeente
    corop = store.node(NodeKey("Regio", "CR21"))
    assert corop is not None and corop.props["naam"] == "Agglomeratie Haarlem"


def test_restrictions_of_2013() -> None:
    assert parse_restrictie("postcodes 7951 en 7955") == ("alleen", ["7951", "7955"])
    assert parse_restrictie("m.u.v. postcode 8064") == ("behalve", ["8064"])
    assert parse_restrictie("het noordelijk deel") is None


def test_swv_per_gemeente_2013(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "swv2013.csv"
    path.write_text(
        "sector,swv_code,gemeentenaam,postcode_restrictie\n"
        "PO,PO2704,Haarlem,\n"
        "PO,PO2703,Bergen,NH.\n"
        "PO,PO2710,Haarlemmermeer,m.u.v. postcodes 2064 en 2065\n"
        "PO,PO2704,Haarlemmermeer,het deel bij Spaarndam\n"
        "VO,PO2704,Haarlem,\n"
        "PO,PO2704,Atlantis,\n"
    )
    report = run_import(store, [path, *base(tmp_path)], skip_invalid=True)
    problems = {p.line: p for p in report.problems}
    assert problems[6].fatal and "past niet bij" in problems[6].reason
    assert not problems[5].fatal and "als tekst bewaard" in problems[5].reason
    assert not problems[7].fatal and "niet gevonden" in problems[7].reason
    bergen = store.edges(rel="IN_WERKGEBIED", src=NodeKey("Gemeente", "GM0373"))
    assert [str(e.dst) for e in bergen] == ["Swv:PO2703"]  # 'Bergen' + 'NH.' put back together
    [meer] = store.edges(rel="IN_WERKGEBIED", src=NodeKey("Gemeente", "GM0394"), dst=NodeKey("Swv", "PO2710"))
    assert meer.props["behalve_pc4"] == ["2064", "2065"]


@needs_shared
def test_real_region_tables(store: GraphStore) -> None:
    names = [
        "cbs-gemeenten-2025.csv",
        "cbs-gemeentelijke-herindelingen-tot-2018.csv",
        "cbs-gebieden-in-nederland-2016.json",
        "cbs-woonplaatsen-gemeenten-corop-2024.csv",
        "regio-indeling-swv-2013-gemeenten.csv",
    ]
    files = [SHARED_DATA / n for n in names]
    report = run_import(store, files)
    assert all(not p.fatal for p in report.problems)
    soorten = Counter(n.props["soort"] for n in store.nodes("Regio"))
    source = json.loads((SHARED_DATA / "cbs-gebieden-in-nederland-2016.json").read_text())
    assert soorten["jeugdregio"] == len(set(source["Jeugdzorgregios"])) == 42
    assert soorten["ggd"] == len(set(source["GGD-regio's"]))
    jeugd = [e for e in store.edges(rel="HOORT_BIJ") if e.dst.id.startswith("JZ")]
    covered = {e.src.id for e in jeugd}
    unresolved_2016 = {p.value for p in report.problems if p.field == "reg"}
    assert len(covered) >= 342 - len(unresolved_2016)  # every gemeente we could map has a jeugdregio
    assert not run_import(store, files).changed


def test_outlines_for_maps(store: GraphStore, tmp_path: Path) -> None:
    square = {"type": "Polygon", "coordinates": [[[4.6, 52.3], [4.7, 52.3], [4.7, 52.4], [4.6, 52.3]]]}
    path = tmp_path / "grenzen.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {
                            "gemeentecode": "GM0392",
                            "gemeentenaam": "Haarlem",
                            "aantalInwoners": 165396,
                            "jaar": 2023,
                        },
                        "geometry": square,
                    },
                    {
                        "type": "Feature",
                        "properties": {"gemeentecode": "GM0998", "gemeentenaam": "Buitenland"},
                        "geometry": square,
                    },
                    {
                        "type": "Feature",
                        "properties": {
                            "gemeentecode": "GM0393",
                            "gemeentenaam": "Oud",
                            "aantalInwoners": 5,
                            "jaar": 2023,
                        },
                        "geometry": square,
                    },
                    {
                        "type": "Feature",
                        "properties": {"gemeentecode": "GM0394", "aantalInwoners": 1, "jaar": 2023},
                        "geometry": {"type": "Point", "coordinates": [4.6, 52.3]},
                    },
                ],
            }
        )
    )
    report = run_import(store, [path, *base(tmp_path)], skip_invalid=True)
    by_line = {p.line: p for p in report.problems if p.file == str(path)}
    assert not by_line[2].fatal and "geen gemeente" in by_line[2].reason
    assert not by_line[3].fatal and "geen gemeente van nu" in by_line[3].reason
    assert by_line[4].fatal and "Polygon" in by_line[4].reason
    haarlem = store.node(NodeKey("Gemeente", "GM0392"))
    assert haarlem is not None and json.loads(str(haarlem.props["grens"])) == square
    assert haarlem.props["inwoners"] == 165396
