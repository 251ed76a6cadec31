"""All of ../shared/data in one import, on both backends: counts checked against the source
files (read here independently of the importers), unresolved names listed, re-import a no-op."""

from __future__ import annotations

import csv
import glob
import json
import zipfile
from collections import Counter
from datetime import date

from graph.dated import as_of
from graph.records import NodeKey
from graph.store import GraphStore
from importers.run import run_import

from .utils import SHARED_DATA, all_files, needs_shared


def read_csv(name: str, delimiter: str = ",", encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with open(SHARED_DATA / name, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


@needs_shared
def test_everything_in_shared_data(store: GraphStore) -> None:
    report = run_import(store, all_files())
    assert report.applied
    assert [p for p in report.problems if p.fatal] == []
    assert all(f.format for f in report.files), "every file is recognised"

    gemeenten = {r["gm_code"] for r in read_csv("cbs-gemeenten-2025.csv")}
    current = {n.id for n in store.nodes("Gemeente") if n.props.get("naam") and not n.props.get("opgeheven")}
    assert current == gemeenten and len(gemeenten) == 342
    outlined = {n.id for n in store.nodes("Gemeente") if n.props.get("grens")}
    assert outlined == gemeenten  # every gemeente of today can be drawn on a map

    swv_rows = read_csv("regio-indeling-swv-2015-pc4.csv")
    po = {r["po_swv"] for r in swv_rows} - {"Europoort"}
    vo = {r["vo_swv"] for r in swv_rows} - {"Europoort"}
    assert {n.id for n in store.nodes("Swv") if n.id.startswith("PO")} == po
    assert {n.id for n in store.nodes("Swv") if n.id.startswith("VO")} == vo

    po_rows = read_csv("duo-po-vestigingen-bevoegd-gezag-2024.csv", ";")
    po_schools = {r["INSTELLINGSCODE"] + r["VESTIGINGSCODE"] for r in po_rows}
    with zipfile.ZipFile(SHARED_DATA / "duo-vestigingen-2024-11.geo.zip") as zf:
        features = json.loads(zf.read(zf.namelist()[0]))["features"]
    geo_schools = {f["properties"]["vestigingscode"] for f in features}
    pupil_schools = set()
    for name in glob.glob(str(SHARED_DATA / "duo-leerlingen-po-postcode-2024-kennemerland" / "*.csv")):
        with open(name, encoding="utf-8-sig", newline="") as fh:
            pupil_schools |= {
                r["INSTELLINGSCODE"] + r["VESTIGINGSCODE"] for r in csv.DictReader(fh, delimiter=";")
            }
    assert len(po_schools) == 6952
    assert {n.id for n in store.nodes("School")} == po_schools | geo_schools | pupil_schools

    twente = json.loads((SHARED_DATA / "jeugdhulp-twente-wachttijden-2026.json").read_text())["rows"]
    providers = {n.id for n in store.nodes("Zorgaanbieder") if n.id.startswith("twente-")}
    assert len(providers) == len({r["p"] for r in twente})

    regions = Counter(n.props["soort"] for n in store.nodes("Regio"))
    assert regions["jeugdregio"] == 42
    _regions_of_2025(store)
    _postcodes_of_2024(store)
    _herindelingen_with_shares(store, report)

    # what could not be resolved is listed by name, never dropped silently
    unresolved = sorted({p.value for p in report.problems if p.reason.startswith("niet gevonden")})
    assert "Haarlem" not in unresolved and "Weesp" not in unresolved
    assert "Bernisse" in unresolved  # a gemeente of 2013 that is no woonplaats: not guessed
    _haaren_placed_by_woonplaats(store)

    again = run_import(store, all_files())
    assert not again.changed
    # every record met again, file by file (the reference data the store holds already stays away)
    created = {f.file: f.created for f in report.files}
    assert [(f.file, f.unchanged) for f in again.files] == [(f.file, created[f.file]) for f in again.files]


def _regions_of_2025(store: GraphStore) -> None:
    """Every region named (2025), every gemeente in the jeugdregio and RMC-regio the derived
    tables give, the moved gemeenten in their new region today and the old one in 2016."""
    names = {r["statcode"]: r["statnaam"] for r in read_csv("cbs-regio-namen-2025.csv")}
    regions = {n.id: n for n in store.nodes("Regio")}
    assert all(regions[code].props.get("naam") == naam for code, naam in names.items())
    today = as_of(store)
    for table, prefix in (
        ("afgeleid-gemeente-jeugdregio-2025.csv", "jz"),
        ("afgeleid-gemeente-rmc-regio-2025.csv", "rmc"),
    ):
        expected = {r["gm_code"]: r[f"{prefix}_code"] for r in read_csv(table)}
        current = {
            e.src.id: e.dst.id
            for e in today.edges(rel="HOORT_BIJ")
            if e.dst.id[:2] == ("JZ" if prefix == "jz" else "MC") and not e.props.get("deels")
        }
        assert current == expected
    outlined = {n.id for n in store.nodes("Regio") if n.props.get("grens")}
    assert {c for c in names if c[:2] in ("JZ", "MC")} <= outlined
    in_2016 = as_of(store, date(2016, 6, 1))
    for gemeente, old, new in (
        ("GM0050", "JZ08", "JZ12"),
        ("GM0626", "JZ24", "JZ18"),
        ("GM1696", "JZ19", "JZ16"),
    ):
        assert [
            e.dst.id
            for e in today.edges(rel="HOORT_BIJ", src=NodeKey("Gemeente", gemeente))
            if e.dst.id[:2] == "JZ"
        ] == [new]
        assert [
            e.dst.id
            for e in in_2016.edges(rel="HOORT_BIJ", src=NodeKey("Gemeente", gemeente))
            if e.dst.id[:2] == "JZ"
        ] == [old]


def _postcodes_of_2024(store: GraphStore) -> None:
    """Each PC4 in the gemeente(n) of the 2024 table, with the share; its wijken likewise."""
    today = as_of(store)
    expected = Counter((r["pc4"], r["gm_code"]) for r in read_csv("pc4-gemeente-2024.csv"))
    current = Counter(
        (e.src.id, e.dst.id)
        for e in today.edges(rel="LIGT_IN")
        if e.src.kind == "PC4" and e.dst.kind == "Gemeente"
    )
    assert set(expected) <= set(current)
    two = {pc for pc, n in Counter(pc for pc, _ in expected).items() if n == 2}
    assert len(two) == 20 and all(sum(1 for p, _ in current if p == pc) >= 2 for pc in two)
    wijken = {(r["pc4"], r["wk_code"]) for r in read_csv("pc4-wijk-2024.csv")}
    edges = {
        (e.src.id, e.dst.id)
        for e in today.edges(rel="LIGT_IN")
        if e.src.kind == "PC4" and e.dst.kind == "Wijk"
    }
    assert edges == wijken


def _haaren_placed_by_woonplaats(store: GraphStore) -> None:
    """The 2021 table names Haaren, split that year over four gemeenten: each of its PC4s is
    placed by its own woonplaats, where the 2024 table (read independently here) puts it,
    and so lies in a gemeente before 2024 too."""
    with open(SHARED_DATA / "cbs-postcodes-2021.csv", newline="") as fh:
        haaren = {r["postcode"] for r in csv.DictReader(fh) if r["gemeente"] == "Haaren"}
    with open(SHARED_DATA / "pc4-gemeente-2024.csv", newline="") as fh:
        later = {r["pc4"]: r["gm_code"] for r in csv.DictReader(fh) if r["pc4"] in haaren}
    assert len(haaren) == 4 and len(set(later.values())) == 4  # one PC4 in each part
    in_2022 = as_of(store, date(2022, 6, 1))
    for pc4, gm in later.items():
        placed = [
            e.dst.id
            for e in in_2022.edges(rel="LIGT_IN", src=NodeKey("PC4", pc4))
            if e.dst.kind == "Gemeente"
        ]
        assert placed == [gm], (pc4, placed)


def _herindelingen_with_shares(store: GraphStore, report: object) -> None:
    """The published table: Haaren split over four gemeenten, a PC4 of it in one of them
    today; where it disagrees with the typed-in herindelingen (Winsum), it wins and says so."""
    haaren = store.node(NodeKey("Gemeente", "GM0788"))
    assert haaren is not None and haaren.props["opgesplitst_in"] == ["GM0757", "GM0824", "GM0855", "GM0865"]
    rows = [r for r in read_csv("pc4-gemeente-2024.csv") if r["pc4"] == "5076"]
    [pc4_of_haaren] = as_of(store).edges(
        rel="LIGT_IN", src=NodeKey("PC4", "5076"), dst=NodeKey("Gemeente", rows[0]["gm_code"])
    )
    assert pc4_of_haaren.props["aandeel"] == float(rows[0]["aandeel_pc4"])
    notes = [p for p in report.problems if p.value == "GM0053"]  # type: ignore[attr-defined]
    assert len(notes) == 1 and "deze tabel wordt gevolgd" in notes[0].reason
