"""The organisaties format: names and functional contacts of SWVs, boards, GGD's, RMC's and
leerplicht desks, in CSV and YAML, on both backends, and what who-serves does with them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.dated import as_of
from graph.records import NodeKey
from graph.store import GraphStore
from importers.report import ImportFailed
from importers.run import run_import

GEMEENTEN = "gm_code,gm_naam,jaar\nGM0392,Haarlem,2025\nGM0397,Heemstede,2025\n"
CSV = (
    "soort,code,naam,rol,email,telefoon,peildatum,fictief\n"
    "swv,PO 27-04,Samenwerkingsverband Zuid-Kennemerland,,loket@swv.example,023 000 0001,2025-09-01,ja\n"
    "schoolbestuur,41853,Stichting Voorbeeld (fictief),,bureau@stichting.example,,2025-09-01,ja\n"
    'leerplicht,"Haarlem, Heemstede",Leerplicht Zuid-Kennemerland (fictief),,'
    "leerplicht@zk.example,,2025-09-01,ja\n"
)
YAML = """organisaties:
  - soort: ggd
    code: GG3109
    naam: GGD Kennemerland
    rol: jeugdgezondheidszorg (fictief)
    email: j.jansen@ggd.example
    fictief: ja
peildatum: 2025-09-01
"""


def files(tmp_path: Path) -> list[Path]:
    (tmp_path / "gm.csv").write_text(GEMEENTEN)
    (tmp_path / "org.csv").write_text(CSV)
    (tmp_path / "org.yaml").write_text(YAML)
    return [tmp_path / "gm.csv", tmp_path / "org.csv", tmp_path / "org.yaml"]


def test_names_and_desks_in_csv_and_yaml(store: GraphStore, tmp_path: Path) -> None:
    report = run_import(store, files(tmp_path))
    formats = {Path(f.file).name: f.format for f in report.files}
    assert formats["org.csv"].endswith("(CSV)") and formats["org.yaml"].endswith("(YAML)")
    swv = store.node(NodeKey("Swv", "PO2704"))
    assert swv is not None and swv.props["naam"] == "Samenwerkingsverband Zuid-Kennemerland"
    assert "fictief" not in swv.props  # the organisation is real: only its desk is made up
    [desk] = store.edges(rel="HEEFT_CONTACT", src=NodeKey("Swv", "PO2704"))
    contact = store.node(desk.dst)
    assert contact is not None and contact.props["fictief"] is True
    assert contact.props["rol"].startswith("samenwerkingsverband")  # the soort's function by default
    board = store.node(NodeKey("Schoolbestuur", "41853"))
    assert board is not None and board.props["naam"] == "Stichting Voorbeeld (fictief)"
    # one regional leerplicht desk for two gemeenten, whose names stay CBS's
    for gm in ("GM0392", "GM0397"):
        [e] = store.edges(rel="HEEFT_CONTACT", src=NodeKey("Gemeente", gm))
        leerplicht = store.node(e.dst)
        assert leerplicht is not None and leerplicht.props["naam"] == "Leerplicht Zuid-Kennemerland (fictief)"
    assert store.node(NodeKey("Gemeente", "GM0392")).props["naam"] == "Haarlem"  # type: ignore[union-attr]
    ggd = store.node(NodeKey("Regio", "GG3109"))
    assert ggd is not None and ggd.props["soort"] == "ggd"
    [note] = [p for p in report.problems if p.field == "email"]
    assert not note.fatal and "person" in note.reason  # j.jansen@ looks like a person's


def test_a_newer_version_of_an_organisation_replaces_its_desk(store: GraphStore, tmp_path: Path) -> None:
    run_import(store, files(tmp_path))
    newer = tmp_path / "org2.csv"
    newer.write_text(
        "soort,code,naam,rol,email,peildatum\n"
        "swv,PO2704,Samenwerkingsverband Zuid-Kennemerland,ondersteuningsloket,ol@swv.example,2026-03-01\n"
    )
    report = run_import(store, [newer])
    assert sum(f.removed for f in report.files) == 2  # the old desk and its edge
    today = as_of(store, date(2026, 6, 1))
    [desk] = today.edges(rel="HEEFT_CONTACT", src=NodeKey("Swv", "PO2704"))
    assert today.node(desk.dst).props["rol"] == "ondersteuningsloket"  # type: ignore[union-attr]
    before = as_of(store, date(2025, 12, 1)).edges(rel="HEEFT_CONTACT", src=NodeKey("Swv", "PO2704"))
    assert [e.dst for e in before] != [desk.dst]


def test_bad_rows_are_refused_with_their_line(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "gm.csv").write_text(GEMEENTEN)
    bad = tmp_path / "org.csv"
    bad.write_text(
        "soort,code,naam,email\n"
        "swv,PO27,Onvolledig,loket@x.example\n"
        "school,15UJ00,Een school,loket@x.example\n"
        "leerplicht,Atlantis,Nergens,loket@x.example\n"
    )
    with pytest.raises(ImportFailed) as err:
        run_import(store, [tmp_path / "gm.csv", bad])
    problems = {p.line: p for p in err.value.report.problems if p.fatal}
    assert problems[2].field == "code" and "PO of VO met 4 cijfers" in problems[2].reason
    assert problems[3].field == "soort" and "swv" in problems[3].reason
    assert problems[4].field == "code" and "Atlantis" in problems[4].reason
