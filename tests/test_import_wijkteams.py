"""Wijkteams in the project's own format, CSV and YAML: one hand-made file per rule."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.records import Batch, NodeKey
from graph.store import GraphStore
from importers.report import FileReport, ImportFailed, ImportReport, Problem
from importers.run import run_import
from importers.wijkteam_records import looks_personal
from importers.wijkteams import WijkteamsCsv, WijkteamsYaml

from .utils import REPO

EXAMPLE = REPO / "importers" / "examples" / "wijkteams-voorbeeld.yaml"
GEMEENTEN = "gm_code,gm_naam,jaar\nGM0392,Haarlem,2025\nGM0373,Bergen (NH.),2025\nGM0893,Bergen (L.),2025\n"
PROVIDERS = (
    '{"format": "sociale-kaart/1", "source": "test", "source_date": "2025"}\n'
    '{"kind": "Zorgaanbieder", "id": "aanbieder-a", "naam": "Aanbieder A (fictief)", "fictief": true}\n'
)
TEAM = "Wijkteam:wt-noord"


def _reference(tmp_path: Path) -> list[Path]:
    gm, providers = tmp_path / "gemeenten.csv", tmp_path / "aanbieders.jsonl"
    gm.write_text(GEMEENTEN)
    providers.write_text(PROVIDERS)
    return [gm, providers]


def _team(**overrides: str) -> dict[str, str]:
    team = {
        "id": "wt-noord",
        "naam": "Wijkteam Noord (fictief)",
        "gemeente": "GM0392",
        "soort": "jeugdteam",
        "gebied": "2011-2013 2015 AB; WK039201",
        "contact_rol": "toegang jeugdhulp",
        "contact_email": "wijkteam-noord@haarlem.example",
        "contact_telefoon": "023 511 5000",
        "zorgaanbieders": "aanbieder-a",
        "fictief": "ja",
    }
    team.update(overrides)
    return team


def _csv(path: Path, *teams: dict[str, str]) -> Path:
    columns = list(dict.fromkeys(k for t in teams for k in t))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns, delimiter=";")
        writer.writeheader()
        writer.writerows(teams)
    return path


def _yaml_value(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _yaml(path: Path, *teams: dict[str, str]) -> Path:
    """The same teams as :func:`_csv`, written as YAML with a mapping per contact."""
    lines = ["# test", "peildatum: 2025-06-01", "wijkteams:"]
    for team in teams:
        first = True
        contact = {k.removeprefix("contact_"): v for k, v in team.items() if k.startswith("contact_")}
        for key, value in team.items():
            if key.startswith("contact_"):
                continue
            lines.append(f"  {'- ' if first else '  '}{key}: {_yaml_value(value)}")
            first = False
        if contact:
            lines.append("    contact:")
            lines.extend(f"      {k}: {_yaml_value(v)}" for k, v in contact.items())
    path.write_text("\n".join(lines) + "\n")
    return path


WRITERS = {"csv": (_csv, "wijkteams.csv"), "yaml": (_yaml, "wijkteams.yaml")}


def _write(fmt: str, tmp_path: Path, *teams: dict[str, str]) -> Path:
    writer, name = WRITERS[fmt]
    return writer(tmp_path / name, *teams)


def _refused(store: GraphStore, paths: list[Path]) -> list[Problem]:
    with pytest.raises(ImportFailed) as err:
        run_import(store, paths)
    return [p for p in err.value.report.problems if p.fatal]


def _file(report: ImportReport, name: str) -> FileReport:
    return next(f for f in report.files if f.file.endswith(name))


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_good_file_makes_the_team_its_areas_contact_and_providers(
    store: GraphStore, tmp_path: Path, fmt: str
) -> None:
    path = _write(
        fmt, tmp_path, _team(), _team(id="wt-cjg", naam="CJG (fictief)", soort="CJG", gebied="gemeente")
    )
    report = run_import(store, [path, *_reference(tmp_path)])
    f = _file(report, path.name)
    assert f.format == (WijkteamsCsv if fmt == "csv" else WijkteamsYaml).NAME
    assert f.rows_read == 2 and not [p for p in f.problems if p.fatal]
    team = store.node(NodeKey.parse(TEAM))
    assert team is not None and team.props["soort"] == "jeugdteam" and team.props["fictief"] is True
    assert team.props["source_date"] == ("2025-06-01" if fmt == "yaml" else "onbekend")
    served = {str(e.dst) for e in store.edges(rel="BEDIENT", src=NodeKey.parse(TEAM))}
    assert served == {"PC4:2011", "PC4:2012", "PC4:2013", "PC6:2015AB", "Wijk:WK039201"}
    assert store.node(NodeKey("PC6", "2015AB")) is not None  # areas named only here are created
    [cjg] = store.edges(rel="BEDIENT", src=NodeKey("Wijkteam", "wt-cjg"))
    assert cjg.dst == NodeKey("Gemeente", "GM0392")
    [works_for] = store.edges(rel="WERKT_VOOR", src=NodeKey.parse(TEAM))
    assert works_for.dst == NodeKey("Gemeente", "GM0392")
    [contact_edge] = store.edges(rel="HEEFT_CONTACT", src=NodeKey.parse(TEAM))
    contact = store.node(contact_edge.dst)
    assert contact is not None and contact.id == "wt-noord-toegang-jeugdhulp"
    assert (
        contact.props["email"] == "wijkteam-noord@haarlem.example"
        and contact.props["rol"] == "toegang jeugdhulp"
    )
    [partner] = store.edges(rel="WERKT_SAMEN_MET", src=NodeKey.parse(TEAM))
    assert partner.dst == NodeKey("Zorgaanbieder", "aanbieder-a")

    again = run_import(store, [path, *_reference(tmp_path)])
    assert not again.changed and again.applied


def test_gemeente_by_name_and_old_code(store: GraphStore, tmp_path: Path) -> None:
    merges = tmp_path / "herindelingen.csv"
    merges.write_text("Bestaan tot;Eindjaar;Oude;Nieuwe\n1-1-2019;2019;GM0393;GM0394\n")
    path = _csv(
        tmp_path / "teams.csv",
        _team(gemeente="haarlem"),
        _team(id="wt-oud", gemeente="393", contact_rol="", contact_email="", contact_telefoon=""),
    )
    report = run_import(store, [path, merges, *_reference(tmp_path)])
    [note] = [p for p in _file(report, "teams.csv").problems if p.field == "gemeente"]
    assert not note.fatal and note.line == 3 and "GM0393 is opgegaan in GM0394" in note.reason
    for team, gemeente in (("wt-noord", "GM0392"), ("wt-oud", "GM0394")):
        [edge] = store.edges(rel="WERKT_VOOR", src=NodeKey("Wijkteam", team))
        assert edge.dst == NodeKey("Gemeente", gemeente)
    assert store.edges(rel="HEEFT_CONTACT", src=NodeKey("Wijkteam", "wt-oud")) == []  # contact is optional


def test_missing_required_column_is_named(store: GraphStore, tmp_path: Path) -> None:
    team = _team()
    del team["gemeente"]
    path = _csv(tmp_path / "teams-zonder-gemeente.txt", team)  # recognised by its columns, not its name
    [problem] = _refused(store, [path, *_reference(tmp_path)])
    assert (problem.line, problem.field) == (1, "gemeente") and "verplichte kolom" in problem.reason


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_pc6_with_letters_postnl_never_issues(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    path = _write(fmt, tmp_path, _team(), _team(id="wt-zuid", gebied="2011SA 2011 SD; 2011ss 2011AB"))
    problems = _refused(store, [path, *_reference(tmp_path)])
    assert {p.value for p in problems} == {"2011SA", "2011SD", "2011ss"}
    assert all(p.field == "gebied" and "SA, SD of SS" in p.reason for p in problems)
    second = 3 if fmt == "csv" else path.read_text().splitlines().index('  - id: "wt-zuid"') + 1
    assert {p.line for p in problems} == {second}
    assert all(p.file == str(path) for p in problems)


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_bad_areas(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    path = _write(fmt, tmp_path, _team(gebied="2015-2011 1000-2000 2011-2013 WK12 Centrum 0123"))
    problems = {p.value: p.reason for p in _refused(store, [path, *_reference(tmp_path)])}
    assert "loopt achteruit: schrijf 2011-2015" in problems["2015-2011"]
    assert "meer dan 100" in problems["1000-2000"]
    assert "WK, de 4 cijfers van de gemeente en 2 van de wijk" in problems["WK12"]
    assert "geen gebied" in problems["Centrum"]
    assert "van 1000 tot en met 9999" in problems["0123"]
    assert "2011-2013" not in problems


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_unknown_or_ambiguous_gemeente_name_is_never_guessed(
    store: GraphStore, tmp_path: Path, fmt: str
) -> None:
    path = _write(fmt, tmp_path, _team(gemeente="Atlantis"), _team(id="wt-bergen", gemeente="Bergen"))
    problems = [p for p in _refused(store, [path, *_reference(tmp_path)]) if p.field == "gemeente"]
    assert [p.value for p in problems] == ["Atlantis", "Bergen"]
    assert all("niet gevonden" in p.reason for p in problems)


def test_unknown_gemeente_code_is_reported_by_the_store(store: GraphStore, tmp_path: Path) -> None:
    path = _csv(tmp_path / "teams.csv", _team(gemeente="GM9999", gebied="2011"))
    [problem] = _refused(store, [path, *_reference(tmp_path)])
    assert (problem.line, problem.field, problem.value) == (2, "naar", "Gemeente:GM9999")
    assert "deze knoop staat niet" in problem.reason


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_person_looking_contact_is_accepted_with_a_note_but_needs_a_rol(
    store: GraphStore, tmp_path: Path, fmt: str
) -> None:
    person = _team(contact_email="j.jansen@haarlem.example", contact_telefoon="06 1234 5678")
    path = _write(fmt, tmp_path, person)
    report = run_import(store, [path, *_reference(tmp_path)])
    notes = {p.field.replace(".", "_"): p for p in _file(report, path.name).problems}
    assert not any(p.fatal for p in notes.values())
    assert (
        "persoon" in notes["contact_email"].reason
        and notes["contact_email"].value == "j.jansen@haarlem.example"
    )
    assert "mobiel" in notes["contact_telefoon"].reason
    [edge] = store.edges(rel="HEEFT_CONTACT", src=NodeKey.parse(TEAM))
    assert store.node(edge.dst).props["email"] == "j.jansen@haarlem.example"  # type: ignore[union-attr]

    path = _write(
        fmt, tmp_path, _team(id="wt-zonder-rol", contact_rol="", contact_email="j.jansen@haarlem.example")
    )
    problems = _refused(store, [path, *_reference(tmp_path)])
    assert [(p.field.replace(".", "_"), p.fatal) for p in problems] == [("contact_rol", True)]
    assert "heeft een rol nodig" in problems[0].reason


def test_looks_personal() -> None:
    assert looks_personal("j.jansen@x.nl") and looks_personal("jan.de.vries@x.nl")
    assert not looks_personal("toegang.jeugd@x.nl") and not looks_personal("wijkteam-noord@x.nl")
    assert not looks_personal("jansen@x.nl")  # cannot be told apart: not flagged


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_a_team_with_a_problem_is_skipped_whole(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    path = _write(fmt, tmp_path, _team(gebied="2011 2011SS"), _team(id="wt-goed", gebied="2012"))
    report = run_import(store, [path, *_reference(tmp_path)], skip_invalid=True)
    assert _file(report, path.name).skipped == 1
    assert store.node(NodeKey.parse(TEAM)) is None
    assert store.node(NodeKey("PC4", "2011")) is None  # nothing of the bad team, not even its areas
    assert store.node(NodeKey("Wijkteam", "wt-goed")) is not None


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_other_field_rules(store: GraphStore, tmp_path: Path, fmt: str) -> None:
    path = _write(
        fmt,
        tmp_path,
        _team(soort="sportteam", fictief="misschien"),
        _team(gebied="", zorgaanbieders="aanbieder a!", contact_email="geen-adres"),
    )
    problems = {
        (p.line, p.field.replace(".", "_")): p for p in _refused(store, [path, *_reference(tmp_path)])
    }
    fields = {f for _, f in problems}
    assert {"soort", "fictief", "gebied", "zorgaanbieders", "contact_email", "id"} <= fields
    duplicate = next(p for (_, f), p in problems.items() if f == "id")
    assert "staat ook op regel" in duplicate.reason


def test_yaml_lines_keys_and_syntax(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "teams.yml"
    path.write_text(
        "wijkteams:\n"
        "  - id: wt-a\n"
        "    naam: A (fictief)\n"
        "    gemeente: GM0392\n"
        "    gebied: [2011]\n"
        "\n"
        "  - id: wt-b\n"
        "    naam: B (fictief)\n"
        "    gemeente: GM0392\n"
        "    gebeid: [2012]\n"
        "    contact: {rol: loket, email: loket@x.example, fax: 023}\n"
    )
    problems = _refused(store, [path, *_reference(tmp_path)])
    assert [(p.line, p.field) for p in problems] == [(7, "gebeid"), (7, "contact.fax")]
    path.write_text("wijkteams:\n  - id: wt-a\n    naam: [A\n")
    [problem] = _refused(store, [path])
    assert problem.line == 4 and "geen geldige YAML" in problem.reason
    notyaml = tmp_path / "teams.txt"
    notyaml.write_text("wijkteams:\n  - id: wt-a\n")
    assert not WijkteamsYaml.sniff(notyaml)  # YAML is recognised by extension plus the key


def test_yaml_values_stay_text(store: GraphStore, tmp_path: Path) -> None:
    """YAML 1.1 would read 0235115000 as an octal number and 'nee' as False."""
    path = tmp_path / "teams.yaml"
    path.write_text(
        "bron: test\npeildatum: 2025-06-01\nwijkteams:\n"
        "  - {id: wt-a, naam: A, gemeente: 0392, gebied: 2011, fictief: nee,\n"
        "     contact: {rol: loket, telefoon: 0235115000}}\n"
    )
    run_import(store, [path, *_reference(tmp_path)])
    [edge] = store.edges(rel="HEEFT_CONTACT", src=NodeKey("Wijkteam", "wt-a"))
    assert store.node(edge.dst).props["telefoon"] == "0235115000"  # type: ignore[union-attr]
    team = store.node(NodeKey("Wijkteam", "wt-a"))
    assert team is not None and team.props["fictief"] is False and team.props["source"] == "test"


def test_shipped_example_imports_on_top_of_the_demo(store: GraphStore, demo_batch: Batch) -> None:
    store.apply(demo_batch)
    report = run_import(store, [EXAMPLE])
    f = report.files[0]
    assert f.format == WijkteamsYaml.NAME and f.rows_read == 3 and f.problems == []
    teams = [n for n in store.nodes("Wijkteam") if n.id.startswith("voorbeeld-")]
    assert len(teams) == 3 and all(
        t.props["fictief"] is True and "(fictief)" in t.props["naam"] for t in teams
    )
    served = {str(e.dst) for e in store.edges(rel="BEDIENT") if e.src.id.startswith("voorbeeld-")}
    assert served == {f"PC4:{n}" for n in range(2011, 2016)} | {"Gemeente:GM0392"}
    assert not run_import(store, [EXAMPLE]).changed


def test_yes_and_no_are_the_same_words_as_in_the_other_own_formats(store: GraphStore, tmp_path: Path) -> None:
    """``x`` in a fictief column is yes in the zorg sheets, so it is here too (importers.cells);
    ``nee`` is no, and a word that is neither is refused with the field named."""
    path = _write("csv", tmp_path, _team(fictief="x"), _team(id="wt-echt", naam="Echt team", fictief="nee"))
    report = run_import(store, [path, *_reference(tmp_path)])
    assert not [p for p in _file(report, path.name).problems if p.fatal]
    team, echt = store.node(NodeKey.parse(TEAM)), store.node(NodeKey("Wijkteam", "wt-echt"))
    assert team is not None and team.props["fictief"] is True
    assert echt is not None and echt.props["fictief"] is False
