"""All of ../shared/data in one import, on both backends: counts checked against the source
files (read here independently of the importers), unresolved names listed, re-import a no-op."""

from __future__ import annotations

import csv
import glob
import json
import zipfile
from collections import Counter
from pathlib import Path

from graph.store import GraphStore
from importers.run import run_import

from .conftest import SHARED_DATA
from .test_import_cbs import needs_shared


def all_files() -> list[Path]:
    files = [p for p in SHARED_DATA.rglob("*") if p.is_file()]
    return sorted(p for p in files if p.suffix != ".md")


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

    # what could not be resolved is listed by name, never dropped silently
    unresolved = sorted({p.value for p in report.problems if p.reason.startswith("unresolved")})
    assert "Weesp" in unresolved and "Haarlem" not in unresolved

    again = run_import(store, all_files())
    assert not again.changed
    assert sum(f.unchanged for f in again.files) == sum(f.created for f in report.files)
