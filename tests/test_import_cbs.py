"""CBS reference tables: small hand-made files for each rule, and the real files from
../shared/data for counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.records import NodeKey
from graph.store import GraphStore
from importers.report import ImportFailed
from importers.run import run_import

from .utils import SHARED_DATA, needs_shared


def test_gemeenten_with_bom_semicolons_and_quotes(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "gm.csv"
    path.write_text(
        'fid;gm_code;gm_naam;jaar\n1;GM0392;"Haarlem";2025\n2;"GM0363";Amsterdam;2025\n',
        encoding="utf-8-sig",
    )
    report = run_import(store, [path])
    assert report.files[0].format == "CBS gemeenten"
    assert report.files[0].created == 2
    assert report.files[0].version == "2025-01-01" and report.files[0].scopes == ["cbs:gemeenten"]
    node = store.node(NodeKey("Gemeente", "GM0392"))
    assert node is not None and node.props["naam"] == "Haarlem" and node.props["source_date"] == "2025"


def test_a_table_with_columns_of_another_kind_is_not_taken_for_gemeenten(
    store: GraphStore, tmp_path: Path
) -> None:
    """gm_code and gm_naam are the columns of CBS's gemeenten, but a table that also has
    columns of its own (here a GGD per gemeente) is another table: refused, saying why."""
    path = tmp_path / "afgeleid-gemeente-ggd-2025.csv"
    path.write_text("gm_code,gm_naam,gg_code,gg_naam\nGM0392,Haarlem,GG3109,GGD Kennemerland\n")
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    [problem] = err.value.report.problems
    assert problem.fatal and "past bij geen formaat" in problem.reason
    assert "het meest verwant: CBS gemeenten, onbekende kolom(men) gg_code, gg_naam" in problem.reason
    assert "CBS gemeenten per provincie" in problem.reason  # the formats it was tried against
    assert store.nodes("Gemeente") == []


def test_missing_required_column_is_named(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "prov.csv"
    path.write_text("GM_code;provincie_naam;province_x\nGM0392;Noord-Holland;z\n")
    path2 = tmp_path / "herindeling.csv"
    path2.write_text("Bestaan tot;Oude;Nieuwe_code\n1-1-2019;GM0393;GM0394\n")
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path, path2])
    second, first = err.value.report.problems  # files no format reads, in the order of their names
    assert first.file.endswith("prov.csv") and first.line is None
    assert "het meest verwant: CBS gemeenten per provincie, ontbrekende kolom(men) province" in first.reason
    assert second.file.endswith("herindeling.csv")
    closest = "het meest verwant: CBS gemeentelijke herindelingen, ontbrekende kolom(men) nieuwe"
    assert closest in second.reason


def test_herindeling_history_in_windows_1252(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "herindelingen.csv"
    path.write_bytes(
        "Bestaan tot;Eindjaar;Oude;Nieuwe;Huidige code;Huidige naam\n"
        "1-1-2019;2019;GM0393;GM0394;GM0394;Haarlemmermeer\n"
        "1-1-2019;2019;GM0393;GM0394;GM0394;Haarlemmermeer\n"
        "1-8-1963;1963;GM1055;#N/A;#N/A;Duitsland\n"
        "1-1-2001;2001;GM0394;GM0394;GM0394;Haarlemmermeer\n"
        "1-1-2020;2020;GM9999;GM0394;GM0394;Fryslân café\n".encode("cp1252")
    )
    report = run_import(store, [path])
    f = report.files[0]
    assert f.rows_read == 5 and f.skipped == 1  # the row where old == new
    [note] = f.problems
    assert note.line == 4 and not note.fatal and "Duitsland" in note.reason
    [edge] = store.edges(rel="OPGEGAAN_IN", src=NodeKey("Gemeente", "GM0393"))
    assert edge.dst == NodeKey("Gemeente", "GM0394") and edge.props["datum"] == "2019-01-01"
    gone = store.node(NodeKey("Gemeente", "GM1055"))
    assert gone is not None and gone.props["opgeheven"] == "1963-08-01"


def test_unknown_provincie_is_reported(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "prov.csv"
    path.write_text("GM_code;province\nGM0392;Noord-Holland\nGM0363;Hollandia\n")
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    [problem] = err.value.report.problems
    assert (problem.line, problem.field, problem.value) == (3, "province", "Hollandia")


def test_conflicting_duplicate_keys_are_refused(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "gm.csv"
    path.write_text("gm_code,gm_naam,jaar\nGM0392,Haarlem,2025\nGM0392,Harlem,2025\nGM0392,Haarlem,2025\n")
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    [problem] = err.value.report.problems
    assert problem.line == 3 and "hier 'Harlem' maar eerder 'Haarlem'" in problem.reason
    assert "(regel 2)" in problem.reason


@needs_shared
def test_real_cbs_tables(store: GraphStore) -> None:
    files = [
        SHARED_DATA / "cbs-gemeenten-2025.csv",
        SHARED_DATA / "cbs-gemeenten-provincies-2025.csv",
        SHARED_DATA / "cbs-gemeentelijke-herindelingen-tot-2018.csv",
    ]
    report = run_import(store, files)
    assert all(not p.fatal for p in report.problems)
    counts = store.counts()
    current = [n for n in store.nodes("Gemeente") if "naam" in n.props and "opgeheven" not in n.props]
    assert len(current) == 342
    assert counts.nodes["Provincie"] == 12
    assert len(store.edges(rel="LIGT_IN")) == 342
    # every current gemeente lies in exactly one provincie
    assert {str(e.src) for e in store.edges(rel="LIGT_IN")} == {str(n.key) for n in current}
    # Haarlemmerliede en Spaarnwoude is not in this history (merged 2019); Leeuwarden absorbed GM0055
    assert NodeKey("Gemeente", "GM0055") in {e.src for e in store.edges(rel="OPGEGAAN_IN")}
    assert not run_import(store, files).changed
