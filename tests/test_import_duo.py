"""DUO school files: schools, boards, pupil flows; small files for each rule, real files for counts."""

from __future__ import annotations

import csv
import glob
import json
import zipfile
from pathlib import Path

import pytest

from graph.records import NodeKey
from graph.store import GraphStore
from importers.report import ImportFailed
from importers.run import run_import

from .utils import SHARED_DATA, needs_shared

GEMEENTEN = "gm_code,gm_naam,jaar\nGM0392,Haarlem,2025\nGM0518,'s-Gravenhage,2025\n"
PO_HEADER = (
    "INSTELLINGSCODE;VESTIGINGSCODE;INSTELLINGSNAAM_VESTIGING;POSTCODE_VESTIGING;PLAATSNAAM;"
    "GEMEENTENUMMER;GEMEENTENAAM;PROVINCIE;SOORT_PO;DENOMINATIE_VESTIGING;BEVOEGD_GEZAG_NUMMER\n"
)


def feature(naam: str, vestiging: str, soort: str, postcode: str, gemeente: str) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {
            "naam": naam,
            "type": soort,
            "brin_nummer": vestiging[:4],
            "vestigingscode": vestiging,
            "straat": "Schoolstraat",
            "huisnummer": 1,
            "postcode": postcode,
            "plaats": "X",
            "gemeente": gemeente,
        },
        "geometry": {"type": "Point", "coordinates": [4.63, 52.38]},
    }


def geo_zip(tmp_path: Path, features: list[dict[str, object]]) -> Path:
    path = tmp_path / "vestigingen.geo.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("scholen.geo.json", json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_schools_from_both_files_agree_without_conflicts(store: GraphStore, tmp_path: Path) -> None:
    gm = tmp_path / "gemeenten.csv"
    gm.write_text(GEMEENTEN)
    geo = geo_zip(
        tmp_path,
        [
            feature("OBS De Kring / Hannie Schaft", "15UJ00", "basisschool", "2011KZ", "HAARLEM"),
            feature("De Schelp", "09QN00", "SO", "2021DE", "HAARLEM"),
            feature("De Schelp", "09QN00", "VSO", "2021DE", "HAARLEM"),
            feature("Aida", "32DD00", "basisschool", "2516PV", "S GRAVENHAGE"),
        ],
    )
    po = tmp_path / "po.csv"
    po.write_text(
        PO_HEADER
        + "15UJ;00;OBS De Kring/H Schaft;2011KZ;HAARLEM;0392;Haarlem;Noord-Holland;Bo;Openbaar;41853\n"
        + "09QN;00;De Schelp;2021DE;HAARLEM;0392;Haarlem;Noord-Holland;So;RK;85255\n"
        + "09QN;00;De Schelp;2021DE;HAARLEM;0392;Haarlem;Noord-Holland;Vso;RK;85255\n"
        + "32DD;00;Aida;2516AB;'S-GRAVENHAGE;0518;'s-Gravenhage;Zuid-Holland;Bo;Islamitisch;12345\n"
    )
    report = run_import(store, [po, geo, gm])
    assert all(not p.fatal for p in report.problems), report.text()
    kring = store.node(NodeKey("School", "15UJ00"))
    assert kring is not None
    assert kring.props["naam"] == "OBS De Kring / Hannie Schaft" and kring.props["namen"] == [
        "OBS De Kring/H Schaft"
    ]
    assert kring.props["soort"] == "BAO"
    schelp = store.node(NodeKey("School", "09QN00"))
    assert (
        schelp is not None and schelp.props["soort"] == "SO/VSO" and schelp.props["soort_po"] == ["So", "Vso"]
    )
    aida = store.node(NodeKey("School", "32DD00"))
    assert aida is not None and aida.props["postcode"] == "2516PV"  # first source kept; the other dropped
    assert [str(e.dst) for e in store.edges(src=NodeKey("School", "32DD00"), rel="LIGT_IN")] == [
        "Gemeente:GM0518",
        "PC4:2516",
    ]
    [board] = store.edges(rel="BESTUURT", dst=NodeKey("School", "09QN00"))
    assert board.src == NodeKey("Schoolbestuur", "85255")
    assert not run_import(store, [po, geo, gm]).changed


def test_pupil_flows_keep_masked_counts_as_ranges(store: GraphStore, tmp_path: Path) -> None:
    header = (
        '"PEILDATUM";"INSTELLINGSCODE";"VESTIGINGSCODE";"INSTELLINGSNAAM_VESTIGING";"SOORT_PO";'
        '"POSTCODE_LEERLING";"GEMEENTENAAM_LEERLING";"LEEFTIJD_4";"LEEFTIJD_5";"LEEFTIJD_6"\n'
    )
    path = tmp_path / "Haarlem afgeschermd.csv"
    path.write_text(
        header
        + '"20241001";"09QN";"00";"De Schelp";"So";"2011";"Haarlem";"<5";"0";"3"\n'
        + '"20241001";"09QN";"00";"De Schelp";"Vso";"2011";"Haarlem";"0";"<5";"0"\n'
        + '"20241001";"09QN";"00";"De Schelp";"So";"40";"Onbekend";"<5";"0";"0"\n'
        + '"20241001";"09QN";"00";"De Schelp";"So";"2012";"Haarlem";"0";"0";"7"\n'
        + '"20241001";"09QN";"00";"De Schelp";"So";"10";"Duitsland";"0";"6";"<5"\n',
        encoding="utf-8-sig",
    )
    gemeenten = tmp_path / "gemeenten.csv"
    gemeenten.write_text("gm_code,gm_naam,jaar\nGM0392,Haarlem,2025\n")
    report = run_import(store, [path, gemeenten])
    [flow] = store.edges(rel="LEERLINGEN_UIT", dst=NodeKey("PC4", "2011"))
    assert (flow.props["aantal_min"], flow.props["aantal_max"]) == (5, 11)  # 1-4 + 3 + 1-4
    assert (flow.props["bekend"], flow.props["gemaskeerd"]) == (3, 2)  # kept to be tightened later
    assert flow.props["per_gemeente"] == ["GM0392:3:2"]  # DUO's own gemeente of the pupils
    assert flow.props["peildatum"] == "2024-10-01"
    [exact] = store.edges(rel="LEERLINGEN_UIT", dst=NodeKey("PC4", "2012"))
    assert exact.props["aantal_min"] == exact.props["aantal_max"] == 7
    school = store.node(NodeKey("School", "09QN00"))
    assert school is not None
    # abroad is a flow to 'buitenland', not dropped; an unknown postcode is kept apart
    assert (school.props["buitenland_bekend"], school.props["buitenland_gemaskeerd"]) == (6, 1)
    assert school.props["landen"] == ["Duitsland"]
    assert (school.props["onbekend_bekend"], school.props["onbekend_gemaskeerd"]) == (0, 1)
    notes = {p.field: p.reason for p in report.problems if p.file == str(path)}
    abroad = "1 rijen met leerlingen die in het buitenland wonen (Duitsland (1))"
    assert abroad in notes["gemeentenaam_leerling"]
    assert "1 rijen met een leerlingpostcode die DUO niet kent" in notes["postcode_leerling"]
    assert all(not p.fatal for p in report.problems)


def test_bad_counts_and_empty_files(store: GraphStore, tmp_path: Path) -> None:
    header = '"PEILDATUM";"INSTELLINGSCODE";"VESTIGINGSCODE";"POSTCODE_LEERLING";"LEEFTIJD_4"\n'
    only_header = tmp_path / "Leeg afgeschermd.csv"
    only_header.write_text(header)
    empty = tmp_path / "Niets afgeschermd.csv"
    empty.write_text("")
    report = run_import(store, [only_header, empty])
    assert [p.fatal for p in report.problems] == [False, False]
    bad = tmp_path / "Fout afgeschermd.csv"
    bad.write_text(header + '"20241001";"09QN";"00";"2011";"vijf"\n')
    with pytest.raises(ImportFailed) as err:
        run_import(store, [bad])
    [problem] = err.value.report.problems
    assert (problem.line, problem.field, problem.value) == (2, "leeftijd_4", "vijf")


@needs_shared
def test_real_duo_files(store: GraphStore) -> None:
    base = [
        SHARED_DATA / n for n in ("cbs-gemeenten-2025.csv", "cbs-gemeentelijke-herindelingen-tot-2018.csv")
    ]
    po_file = SHARED_DATA / "duo-po-vestigingen-bevoegd-gezag-2024.csv"
    pupils = sorted(
        Path(p) for p in glob.glob(str(SHARED_DATA / "duo-leerlingen-po-postcode-2024-kennemerland/*.csv"))
    )
    files = [*base, SHARED_DATA / "duo-vestigingen-2024-11.geo.zip", po_file, *pupils]
    report = run_import(store, files)
    assert all(not p.fatal for p in report.problems)
    with open(po_file, encoding="utf-8") as fh:
        po_rows = list(csv.DictReader(fh, delimiter=";"))
    po_schools = {r["INSTELLINGSCODE"] + r["VESTIGINGSCODE"] for r in po_rows}
    assert len(po_schools) == 6952
    stored = {n.id for n in store.nodes("School")}
    assert po_schools <= stored
    boards = {e.src.id for e in store.edges(rel="BESTUURT")}
    assert boards == {r["BEVOEGD_GEZAG_NUMMER"].zfill(5) for r in po_rows}
    # the pupils of one school, summed straight from the source, equal the stored flows
    haarlem = next(p for p in pupils if p.name.startswith("Haarlem"))
    with open(haarlem, encoding="utf-8-sig") as fh:
        rows = [
            r
            for r in csv.DictReader(fh, delimiter=";")
            if r["INSTELLINGSCODE"] + r["VESTIGINGSCODE"] == "15UJ00"
        ]
    ages = [k for k in rows[0] if k.startswith("LEEFTIJD")]
    low = sum(
        1 if r[k] == "<5" else int(r[k])
        for r in rows
        for k in ages
        if r["POSTCODE_LEERLING"].isdigit() and len(r["POSTCODE_LEERLING"]) == 4
    )
    high = sum(
        4 if r[k] == "<5" else int(r[k])
        for r in rows
        for k in ages
        if r["POSTCODE_LEERLING"].isdigit() and len(r["POSTCODE_LEERLING"]) == 4
    )
    flows = store.edges(rel="LEERLINGEN_UIT", src=NodeKey("School", "15UJ00"))
    assert sum(int(e.props["aantal_min"]) for e in flows) == low
    assert sum(int(e.props["aantal_max"]) for e in flows) == high
    assert not run_import(store, files).changed


def test_order_of_import_does_not_matter(tmp_path: Path) -> None:
    from graph.embedded import EmbeddedStore

    from .utils import dump

    gm = tmp_path / "gemeenten.csv"
    gm.write_text(GEMEENTEN)
    geo = geo_zip(tmp_path, [feature("Aida", "32DD00", "basisschool", "2516PV", "S GRAVENHAGE")])
    po = tmp_path / "po.csv"
    po.write_text(
        PO_HEADER
        + "32DD;00;Aida Basisschool;2516AB;'S-GRAVENHAGE;0518;'s-Gravenhage;Zuid-Holland;Bo;X;12345\n"
        + "32DD;00;Aida BS;2516AB;'S-GRAVENHAGE;0518;'s-Gravenhage;Zuid-Holland;Bo;X;12345\n"
    )
    pupils = tmp_path / "Den Haag afgeschermd.csv"
    pupils.write_text(
        '"PEILDATUM";"INSTELLINGSCODE";"VESTIGINGSCODE";"INSTELLINGSNAAM_VESTIGING";"SOORT_PO";'
        '"POSTCODE_LEERLING";"LEEFTIJD_6"\n"20241001";"32DD";"00";"Aida (Den Haag)";"Bo";"2516";"7"\n'
    )
    together = EmbeddedStore(tmp_path / "a.json")
    run_import(together, [gm, geo, po, pupils])
    apart = EmbeddedStore(tmp_path / "b.json")
    for f in (gm, pupils, po, geo):
        run_import(apart, [f])
    for f in (po, pupils, geo):
        assert not run_import(apart, [f]).changed, f  # no flip-flop between sources
    aida = apart.node(NodeKey("School", "32DD00"))
    assert aida is not None and aida.props["naam"] == "Aida" and aida.props["postcode"] == "2516PV"
    assert set(aida.props["namen"]) == {"Aida Basisschool", "Aida BS", "Aida (Den Haag)"}

    def strip(d: dict) -> dict:  # type: ignore[type-arg]
        """Contents without provenance: the import ids and sources differ by design."""
        skip = ("source", "source_date", "import_id")
        return {
            k: [(i, {p: v for p, v in props.items() if p not in skip}) for i, props in rows]
            for k, rows in d["nodes"].items()
        }

    assert strip(dump(together)) == strip(dump(apart))


def test_small_totals_are_masked_like_duo_does(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "Ergens afgeschermd.csv"
    path.write_text(
        '"PEILDATUM";"INSTELLINGSCODE";"VESTIGINGSCODE";"POSTCODE_LEERLING";"LEEFTIJD_6";"LEEFTIJD_7"\n'
        '"20241001";"09QN";"00";"2011";"2";"1"\n"20241001";"09QN";"00";"2012";"4";"3"\n'
    )
    run_import(store, [path])
    flows = {
        e.dst.id: (e.props["aantal_min"], e.props["aantal_max"]) for e in store.edges(rel="LEERLINGEN_UIT")
    }
    assert flows == {"2011": (1, 4), "2012": (7, 7)}  # 3 pupils would single a child out; 7 does not
