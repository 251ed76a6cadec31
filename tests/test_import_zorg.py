"""The spreadsheet formats for providers and contracts: a good file in the way a gemeente
would type it, and one small file per rule a bad row can break. All providers are fictional."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.records import NodeKey
from graph.store import GraphStore
from importers.report import ImportFailed, ImportReport, Problem
from importers.run import run_import

from .utils import AANBOD, BEHOEFTEN, CONTRACTEN, GEBIED, write


def files(tmp_path: Path, aanbod: str = AANBOD, contracten: str = CONTRACTEN) -> list[Path]:
    return [
        BEHOEFTEN,
        write(tmp_path, "gebied.jsonl", GEBIED),
        write(tmp_path, "aanbod.csv", aanbod, "utf-8-sig"),
        write(tmp_path, "contracten.csv", contracten),
    ]


def failed(store: GraphStore, paths: list[Path]) -> list[Problem]:
    with pytest.raises(ImportFailed) as err:
        run_import(store, paths)
    return [p for p in err.value.report.problems if p.fatal]


def one_row(tmp_path: Path, **cells: str) -> Path:
    """An aanbod file of one valid row with some cells changed."""
    row = {
        "aanbieder_id": "fictief-a",
        "aanbieder_naam": "A (fictief)",
        "aanbod_id": "fictief-a-1",
        "aanbod_naam": "Aanbod (fictief)",
        "behoeften": "45",
        "postcode": "2011",
        "wachttijd_weken": "4",
        "wachttijd_datum": "2025-01-01",
        "wachttijd_bron": "test",
        "fictief": "ja",
    }
    row.update(cells)
    return write(tmp_path, "aanbod.csv", ",".join(row) + "\n" + ",".join(row.values()) + "\n")


def test_good_files(store: GraphStore, tmp_path: Path) -> None:
    report = run_import(store, files(tmp_path))
    assert not report.problems, report.text()
    by_format = {f.format: f for f in report.files}
    assert by_format["sociale-kaart zorgaanbod"].rows_read == 3
    assert by_format["sociale-kaart contracten"].rows_read == 3

    spaarne = store.node(NodeKey("Zorgaanbieder", "fictief-spaarne"))
    assert spaarne is not None and spaarne.props["fictief"] is True
    kennemer = store.node(NodeKey("Zorgaanbieder", "fictief-kennemer"))
    assert kennemer is not None and (kennemer.props["kvk"], kennemer.props["agb"]) == ("12345678", "98765432")
    aanbod = store.node(NodeKey("Aanbod", "fictief-spaarne-ambulant"))
    assert aanbod is not None
    assert aanbod.props["wachttijd_weken"] == 6.5 and aanbod.props["wachttijd_datum"] == "2025-03-01"
    assert aanbod.props["specialismen"] == ["Gezinsbegeleiding", "Ouderbegeleiding"]
    assert aanbod.props["financiering"] == ["Jeugdwet"]

    # one offer at two locations; locations without an id get one from provider + postcode
    locaties = {e.dst.id for e in store.edges(rel="OP_LOCATIE", src=aanbod.key)}
    assert locaties == {"fictief-spaarne-2011ab", "fictief-spaarne-2041"}
    assert {e.dst.id for e in store.edges(rel="HEEFT_LOCATIE", src=spaarne.key)} == locaties
    hoofd = store.node(NodeKey("Locatie", "fictief-spaarne-2011ab"))
    assert (
        hoofd is not None and hoofd.props["postcode"] == "2011AB" and hoofd.props["straat"] == "Grote Markt 1"
    )
    assert [e.dst.id for e in store.edges(rel="BIEDT", src=spaarne.key)] == ["fictief-spaarne-ambulant"]
    needs = {e.dst.id for e in store.edges(rel="VOOR_BEHOEFTE", src=aanbod.key)}
    assert needs == {"ijw-45", "onderwijs-dyslexie"}  # 45 and dyslexie, normalised
    needs = {
        e.dst.id for e in store.edges(rel="VOOR_BEHOEFTE", src=NodeKey("Aanbod", "fictief-kennemer-dyslexie"))
    }
    assert needs == {"ijw-45", "onderwijs-dyslexie"}

    contract = store.node(NodeKey("Contract", "fictief-jz11-ambulant"))
    assert contract is not None
    assert (contract.props["geldig_van"], contract.props["geldig_tot"]) == ("2025-01-01", "2027-12-31")
    assert [str(e.src) for e in store.edges(rel="OPDRACHTGEVER_VAN", dst=contract.key)] == ["Regio:JZ11"]
    [gecontracteerd] = store.edges(rel="GECONTRACTEERD", src=contract.key)
    assert gecontracteerd.dst == spaarne.key
    clients = {
        str(e.src) for e in store.edges(rel="OPDRACHTGEVER_VAN", dst=NodeKey("Contract", "fictief-dyslexie"))
    }
    assert clients == {"Gemeente:GM0392", "Gemeente:GM0473"}
    # a gemeente typed by name is resolved against the gemeenten known in this run
    [by_name] = store.edges(rel="OPDRACHTGEVER_VAN", dst=NodeKey("Contract", "fictief-zandvoort"))
    assert by_name.src == NodeKey("Gemeente", "GM0473")
    needs = {e.dst.id for e in store.edges(rel="VOOR_BEHOEFTE", src=NodeKey("Contract", "fictief-zandvoort"))}
    assert needs == {"ijw-45", "ijw-41"}


def test_reimport_is_a_no_op(store: GraphStore, tmp_path: Path) -> None:
    paths = files(tmp_path)
    first = run_import(store, paths)
    assert first.changed
    second: ImportReport = run_import(store, paths)
    assert not second.changed
    for f in second.files:
        assert f.created == f.updated == 0, f


def test_missing_required_column_is_named(store: GraphStore, tmp_path: Path) -> None:
    aanbod = AANBOD.replace(";aanbod_naam;", ";naam_aanbod;", 1)
    contracten = CONTRACTEN.replace(",geldig_van,", ",van,", 1)
    problems = failed(store, files(tmp_path, aanbod, contracten))
    named = {(p.file.rsplit("/", 1)[-1], p.line, p.field) for p in problems}
    assert named == {("aanbod.csv", 1, "aanbod_naam"), ("contracten.csv", 1, "geldig_van")}
    assert all("verplichte kolom" in p.reason for p in problems)


def test_empty_required_cell(store: GraphStore, tmp_path: Path) -> None:
    [problem] = failed(store, [BEHOEFTEN, one_row(tmp_path, aanbod_naam="")])
    empty = (2, "aanbod_naam", "verplicht: mag niet leeg zijn")
    assert (problem.line, problem.field, problem.reason) == empty


def test_bad_postcode(store: GraphStore, tmp_path: Path) -> None:
    [problem] = failed(store, [BEHOEFTEN, one_row(tmp_path, postcode="2011SA")])
    assert (problem.line, problem.field, problem.value) == (2, "postcode", "2011SA")
    assert "PC4" in problem.reason and "PC6" in problem.reason


@pytest.mark.parametrize("value", ["31-2-2025", "2025-13-01", "gisteren"])
def test_bad_date(store: GraphStore, tmp_path: Path, value: str) -> None:
    [problem] = failed(store, [BEHOEFTEN, one_row(tmp_path, wachttijd_datum=value)])
    assert (problem.line, problem.field, problem.value) == (2, "wachttijd_datum", value)
    assert "is geen datum" in problem.reason


def test_bad_contract_dates(store: GraphStore, tmp_path: Path) -> None:
    contracten = (
        "contract_id,opdrachtgever,aanbieder_id,geldig_van,geldig_tot,fictief\n"
        "fictief-1,JZ11,fictief-spaarne,1-13-2025,,ja\n"
        "fictief-2,JZ11,fictief-spaarne,2025-06-01,2025-01-01,ja\n"
    )
    problems = failed(store, files(tmp_path, contracten=contracten))
    assert [(p.line, p.field, p.value) for p in problems] == [
        (2, "geldig_van", "1-13-2025"),
        (3, "geldig_tot", ""),
    ]
    assert "before" in problems[1].reason


def test_waiting_time_needs_a_date_and_a_source(store: GraphStore, tmp_path: Path) -> None:
    [problem] = failed(store, [BEHOEFTEN, one_row(tmp_path, wachttijd_datum="")])
    assert (problem.line, problem.field) == (2, "wachttijd_datum") and "zonder datum" in problem.reason
    [problem] = failed(store, [BEHOEFTEN, one_row(tmp_path, wachttijd_bron="")])
    assert (problem.line, problem.field) == (2, "wachttijd_bron")
    [problem] = failed(store, [BEHOEFTEN, one_row(tmp_path, wachttijd_weken="zes")])
    assert (problem.field, problem.value) == ("wachttijd_weken", "zes")


def test_decimal_comma_in_a_comma_separated_file(store: GraphStore, tmp_path: Path) -> None:
    run_import(store, [BEHOEFTEN, one_row(tmp_path, wachttijd_weken='"2,5"')])
    node = store.node(NodeKey("Aanbod", "fictief-a-1"))
    assert node is not None and node.props["wachttijd_weken"] == 2.5


def test_unknown_need_is_a_missing_node(store: GraphStore, tmp_path: Path) -> None:
    [problem] = failed(store, [BEHOEFTEN, one_row(tmp_path, behoeften="45 99")])
    assert (problem.line, problem.field, problem.value) == (2, "naar", "Behoefte:ijw-99")
    assert "deze knoop staat niet" in problem.reason
    assert store.node(NodeKey("Aanbod", "fictief-a-1")) is None  # nothing applied


def test_malformed_need_code(store: GraphStore, tmp_path: Path) -> None:
    [problem] = failed(store, [BEHOEFTEN, one_row(tmp_path, behoeften="45 4.5")])
    assert (problem.line, problem.field, problem.value) == (2, "behoeften", "4.5")
    assert "iJw-productcategorie" in problem.reason


def test_conflicting_duplicate_ids(store: GraphStore, tmp_path: Path) -> None:
    lines = AANBOD.splitlines(keepends=True)
    aanbod = (
        lines[0] + lines[1] + lines[2].replace("Jeugdhulp Spaarne (fictief)", "Spaarne Jeugdhulp (fictief)")
    )
    problems = failed(store, [BEHOEFTEN, write(tmp_path, "aanbod.csv", aanbod)])
    assert problems and all(p.line == 3 for p in problems)
    assert any(
        "hier 'Spaarne Jeugdhulp (fictief)' maar eerder 'Jeugdhulp Spaarne (fictief)' (regel 2)" in p.reason
        for p in problems
    )


def test_identifier_and_flag_problems_name_the_column(store: GraphStore, tmp_path: Path) -> None:
    problems = failed(
        store, [BEHOEFTEN, one_row(tmp_path, aanbieder_id="fictief a", kvk="1234", fictief="misschien")]
    )
    assert {(p.field, p.value) for p in problems} == {
        ("aanbieder_id", "fictief a"),
        ("kvk", "1234"),
        ("fictief", "misschien"),
    }


def test_unknown_columns_are_a_note(store: GraphStore, tmp_path: Path) -> None:
    report = run_import(store, [BEHOEFTEN, one_row(tmp_path, wachtijd="typo")])
    [note] = [p for p in report.problems if p.field == "wachtijd"]
    assert not note.fatal and "genegeerd" in note.reason


def test_bad_clients_and_unknown_provider(store: GraphStore, tmp_path: Path) -> None:
    contracten = (
        "contract_id,opdrachtgever,aanbieder_id,behoeften,geldig_van\n"
        "fictief-1,Atlantis,fictief-spaarne,45,2025-01-01\n"
        "fictief-2,JZ11,fictief-onbekend,45,2025-01-01\n"
    )
    problems = failed(store, files(tmp_path, contracten=contracten))
    assert [(p.line, p.field, p.value) for p in problems] == [(2, "opdrachtgever", "Atlantis")]
    # the unknown provider is found when the batch meets the store
    problems = failed(store, files(tmp_path, contracten=contracten.replace("Atlantis", "GM0392")))
    assert [(p.line, p.field, p.value) for p in problems] == [(3, "naar", "Zorgaanbieder:fictief-onbekend")]


def test_sniffing_tells_the_formats_apart(tmp_path: Path) -> None:
    from importers import zorg

    aanbod = write(tmp_path, "a.csv", AANBOD)
    contracten = write(tmp_path, "c.csv", CONTRACTEN)
    without_name = write(tmp_path, "x.csv", "aanbieder_id,aanbod_id\nx,y\n")
    assert zorg.Aanbod.sniff(aanbod) and not zorg.Contracten.sniff(aanbod)
    assert zorg.Contracten.sniff(contracten) and not zorg.Aanbod.sniff(contracten)
    assert zorg.Aanbod.sniff(without_name)  # recognised, so the missing columns can be named


def test_skip_invalid_never_stores_half_a_row(store: GraphStore, tmp_path: Path) -> None:
    """A row is one unit: a bad KvK number refuses the offer of that row too."""
    path = tmp_path / "aanbod.csv"
    path.write_text(
        "aanbieder_id,aanbieder_naam,kvk,aanbod_id,aanbod_naam\n"
        "p1,Goed (fictief),12345678,a1,Aanbod een (fictief)\n"
        "p2,Fout (fictief),1234,a2,Aanbod twee (fictief)\n"
    )
    report = run_import(store, [path], skip_invalid=True)
    assert report.applied and [p.line for p in report.problems if p.fatal] == [3]
    assert store.node(NodeKey("Aanbod", "a1")) is not None
    assert store.node(NodeKey("Aanbod", "a2")) is None and store.node(NodeKey("Zorgaanbieder", "p2")) is None


def test_contract_with_an_old_gemeente_code_goes_to_its_successor(store: GraphStore, tmp_path: Path) -> None:
    gm = tmp_path / "gemeenten.csv"
    gm.write_text("gm_code,gm_naam,jaar\nGM0394,Haarlemmermeer,2025\n")
    her = tmp_path / "herindelingen.csv"
    her.write_text("Bestaan tot;Eindjaar;Oude;Nieuwe\n1-1-2019;2019;GM0393;GM0394\n")
    aanbod = tmp_path / "aanbod.csv"
    aanbod.write_text("aanbieder_id,aanbieder_naam,aanbod_id,aanbod_naam\np1,P (fictief),a1,A (fictief)\n")
    contract = tmp_path / "contracten.csv"
    contract.write_text(
        "contract_id,opdrachtgever,aanbieder_id,geldig_van\nc1,GM0393,p1,2025-01-01\nc2,GM0999,p1,2025-01-01\n"
    )
    report = run_import(store, [gm, her, aanbod, contract], skip_invalid=True)
    [edge] = store.edges(rel="OPDRACHTGEVER_VAN")
    assert edge.src == NodeKey("Gemeente", "GM0394") and edge.dst == NodeKey("Contract", "c1")
    assert [p.line for p in report.problems if p.fatal] == [3]
    assert store.node(NodeKey("Contract", "c2")) is None  # the whole row is refused
