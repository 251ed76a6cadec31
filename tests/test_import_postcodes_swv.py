"""PC4 areas, their gemeente (resolved by name across years) and their SWVs."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from graph.records import NodeKey
from graph.store import GraphStore
from importers.report import ImportFailed
from importers.run import run_import

from .utils import SHARED_DATA, needs_shared

GEMEENTEN = (
    "gm_code,gm_naam,jaar\nGM0888,Beek (L.),2025\nGM0392,Haarlem,2025\n"
    "GM0373,Bergen (NH.),2025\nGM0893,Bergen (L.),2025\n"
)


def test_postcodes_resolve_names_skip_aggregates_and_list_the_rest(store: GraphStore, tmp_path: Path) -> None:
    gm = tmp_path / "gemeenten.csv"
    gm.write_text(GEMEENTEN)
    pc = tmp_path / "postcodes.csv"
    pc.write_text(
        "postcode,inwoners,plaats,gemeente\n"
        "20,1000,Haarlem,Haarlem\n"
        "201,900,Haarlem,Haarlem\n"
        "2011,13985,Haarlem,HAARLEM\n"
        "6191,5000,Beek,Beek\n"
        "1861,3000,Bergen,Bergen\n"
        "1381,2000,Weesp,Weesp\n"
    )
    report = run_import(store, [pc, gm])  # order given does not matter
    f = next(f for f in report.files if f.format == "CBS postcodes (PC4)")
    assert f.rows_read == 6 and f.created >= 4 and f.skipped == 2
    unresolved = {p.value: p.reason for p in f.problems if p.field == "gemeente"}
    assert set(unresolved) == {"Bergen"}  # ambiguous: listed, not guessed
    # merged away: resolved through the herindelingen the project ships, which every import has
    [weesp] = store.edges(rel="LIGT_IN", src=NodeKey("PC4", "1381"))
    assert (
        weesp.dst == NodeKey("Gemeente", "GM0363")
        and weesp.props["regel"] == "gemeente by former name, via herindeling"
    )
    assert all(not p.fatal for p in f.problems)
    [beek] = store.edges(rel="LIGT_IN", src=NodeKey("PC4", "6191"))
    assert beek.dst == NodeKey("Gemeente", "GM0888") and "suffix" in beek.props["regel"]
    assert store.node(NodeKey("PC4", "2011")).props["inwoners"] == 13985  # type: ignore[union-attr]
    assert store.node(NodeKey("PC4", "1861")) is not None  # the area is kept, without gemeente
    assert store.edges(src=NodeKey("PC4", "1861")) == []


def test_coordinates_with_decimal_commas_and_a_total_row(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "pc4.csv"
    path.write_text("POSTCODE;LAT;LON\r\n2011;52,3814309;4,6363717\r\nGrand Total;;\r\n")
    report = run_import(store, [path])
    assert report.files[0].skipped == 1
    node = store.node(NodeKey("PC4", "2011"))
    assert node is not None and node.props["lat"] == pytest.approx(52.3814309)


def test_swv_table(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "swv.csv"
    path.write_text(
        "pc4,gemeentenaam,po_swv,vo_swv\n2011,Haarlem,PO2704,VO 27-05\n3197,Rotterdam,Europoort,Europoort\n"
    )
    report = run_import(store, [path])
    notes = [p for p in report.files[0].problems]
    assert {p.field for p in notes} == {"po_swv", "vo_swv"} and all(not p.fatal for p in notes)
    assert [str(e.dst) for e in store.edges(rel="IN_WERKGEBIED", src=NodeKey("PC4", "2011"))] == [
        "Swv:PO2704",
        "Swv:VO2705",
    ]
    assert store.node(NodeKey("Swv", "VO2705")).props["sector"] == "VO"  # type: ignore[union-attr]


def test_swv_code_in_the_wrong_column_is_fatal(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "swv.csv"
    path.write_text("pc4,po_swv,vo_swv\n2011,VO2705,VO2705\n")
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    [problem] = err.value.report.problems
    assert problem.field == "po_swv" and problem.line == 2


@needs_shared
def test_real_postcodes_and_swv_regions(store: GraphStore) -> None:
    names = [
        "regio-indeling-swv-2015-pc4.csv",
        "pc4-coordinaten.csv",
        "cbs-postcodes-2021.csv",
        "cbs-gemeenten-2025.csv",
        "cbs-gemeenten-provincies-2025.csv",
        "cbs-gemeentelijke-herindelingen-tot-2018.csv",
    ]
    files = [SHARED_DATA / n for n in names]
    report = run_import(store, files)
    assert report.applied and all(not p.fatal for p in report.problems)
    sectors = Counter(n.props["sector"] for n in store.nodes("Swv"))
    # Counted straight from the source: 77 distinct PO and 75 VO values, of which one in each
    # column is the placeholder 'Europoort' (no SWV): 76 PO and 74 VO codes.
    with open(SHARED_DATA / "regio-indeling-swv-2015-pc4.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    po, vo = {r["po_swv"] for r in rows}, {r["vo_swv"] for r in rows}
    assert (len(po), len(vo)) == (77, 75) and "Europoort" in po & vo
    assert sectors == {"PO": len(po) - 1, "VO": len(vo) - 1}
    in_swv = store.edges(rel="IN_WERKGEBIED")
    assert len({e.src for e in in_swv}) == 4046 - 3  # 3 Europoort PC4s have no SWV
    unresolved = {p.value for f in report.files for p in f.problems if p.field == "gemeente"}
    # listed, never dropped silently: Haaren was split (2021), so its name says no one gemeente
    assert "Haaren" in unresolved and "Haarlem" not in unresolved and "Weesp" not in unresolved
    haarlem = store.edges(rel="LIGT_IN", dst=NodeKey("Gemeente", "GM0392"))
    assert {e.src.id for e in haarlem if e.src.kind == "PC4"} >= {"2011", "2012", "2031"}
    assert not run_import(store, files).changed


def test_damaged_rows_are_problems_with_the_line_they_start_on(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "pc4.csv"
    path.write_text('postcode,lat,lon\n2011,52.38,4.63\n"20\n12",52.37,4.63\n2013,52,5,4,9\n')
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    by_line = {p.line: p.reason for p in err.value.report.problems}
    assert 3 in by_line  # the quoted value spans lines 3-4; the row starts on 3
    assert "5 waarden voor 3 kolommen" in by_line[5]


def test_one_stray_byte_does_not_turn_a_utf8_file_into_cp1252(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "gm.csv"
    path.write_bytes(
        "gm_code,gm_naam,jaar\nGM1900,Súdwest-Fryslân,2025\n".encode() + b"GM0392,Haarl\xe9m,2025\n"
    )
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    [problem] = err.value.report.problems
    assert problem.line == 3 and "utf-8" in problem.reason
    run_import(store, [path], skip_invalid=True)
    node = store.node(NodeKey("Gemeente", "GM1900"))
    assert node is not None and node.props["naam"] == "Súdwest-Fryslân"


def test_a_key_twice_in_one_table_is_a_problem(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "swv.csv"
    path.write_text("pc4,po_swv,vo_swv\n2011,PO2704,VO2705\n2012,PO2704,VO2705\n2011,PO2710,VO2709\n")
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    [problem] = err.value.report.problems
    assert problem.line == 4 and "ook op regel 2" in problem.reason
