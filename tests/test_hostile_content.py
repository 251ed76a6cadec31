"""Hostile content (issue 11 point 2): input that fits every limit but says something a
reader would be misled by is refused with file, line and field, and nothing of the run is
applied; an export never hands a spreadsheet a formula.

Each class, on both backends: a CSV column twice, control characters and bidi overrides in
any text in any format, a broken or implausible outline, and formula-like cells in the CSV
export.
"""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import pytest

from graph.records import NodeKey
from graph.store import GraphStore
from importers.report import ImportFailed, Problem
from importers.run import run_import

from .utils import build_graph, dump

NATIVE_HEADER = '{"format": "sociale-kaart/1", "source": "test", "source_date": "2026-01-01"}\n'


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    """A store that holds something, so that 'unchanged' means more than 'still empty'."""
    build_graph(store, [("Gemeente", "GM0392", {"naam": "Haarlem"}), ("PC4", "2011", {})], [])
    return store


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refused(store: GraphStore, paths: list[Path], caplog: pytest.LogCaptureFixture) -> list[Problem]:
    """Run an import that must fail: its fatal problems. The store is unchanged and no
    traceback was logged."""
    before = dump(store)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ImportFailed) as failed:
        run_import(store, paths)
    assert dump(store) == before
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    return [p for p in failed.value.report.problems if p.fatal]


# -- a CSV column twice -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, column",
    [
        ("gm_code,gm_naam,gm_naam,jaar", "gm_naam"),
        ("gm_code,gm_naam,jaar,GM_Naam ", "gm_naam"),  # the same after the reader's own folding
        ("gm_code;jaar;gm_naam;jaar", "jaar"),
    ],
    ids=["twice", "case-and-space", "semicolons"],
)
def test_csv_column_twice(
    seeded: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture, header: str, column: str
) -> None:
    sep = ";" if ";" in header else ","
    row = sep.join(["GM0392", "Haarlem", "Haarlem", "2025"])
    path = write(tmp_path / "gemeenten.csv", f"{header}\n{row}\n")
    [problem] = refused(seeded, [path], caplog)
    assert (problem.file, problem.line, problem.field) == (str(path), 1, column)
    assert problem.reason == f"kolom '{column}' komt twee keer voor"


def test_csv_column_twice_in_a_data_package(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An HSDS data package's CSV is read by the same reader: the problem names that CSV."""
    folder = tmp_path / "pakket"
    organizations = write(folder / "organizations.csv", "id,name,Name\norg-1,Een (fictief),Twee\n")
    descriptor = {"resources": [{"name": "organization", "path": "organizations.csv"}]}
    path = write(folder / "datapackage.json", json.dumps(descriptor))
    [problem] = refused(store, [path], caplog)
    assert (problem.file, problem.line, problem.field) == (str(organizations), 1, "name")
    assert problem.reason == "kolom 'name' komt twee keer voor"


def test_unnamed_columns_may_repeat(store: GraphStore, tmp_path: Path) -> None:
    """A spreadsheet's empty trailing header cells are no column at all: not refused."""
    path = write(tmp_path / "gemeenten.csv", "gm_code,gm_naam,jaar,,\nGM0392,Haarlem,2025,,\n")
    report = run_import(store, [path])
    assert not report.problems, report.text()
    gemeente = store.node(NodeKey("Gemeente", "GM0392"))
    assert gemeente is not None and gemeente.props["naam"] == "Haarlem"


# -- control characters and bidi overrides in any text ---------------------------------------


def hostile_files(tmp_path: Path) -> dict[str, tuple[Path, int, str]]:
    """One file per way in, each with one hostile character in a text it stores: the file, and
    the line and field the refusal must name."""
    csv_file = write(
        tmp_path / "gemeenten.csv", "gm_code,gm_naam,jaar\nGM0392,Haarlem,2025\nGM0363,Amster\x00dam,2025\n"
    )
    yaml_file = write(
        tmp_path / "wijkteams.yaml",
        "bron: test\npeildatum: '2025-01-01'\nwijkteams:\n  - id: t-noord\n    gemeente: GM0392\n"
        '    naam: "Team \\u202Egnissap (fictief)"\n    gebied: [2011]\n',
    )
    organizations = [{"id": "org-1", "name": "Een (fictief)"}, {"id": "org-2", "name": "Twee\x1b[2J"}]
    json_file = write(tmp_path / "hsds.json", json.dumps({"organizations": organizations}, indent=2))
    native = write(
        tmp_path / "n.jsonl",
        NATIVE_HEADER
        + '{"kind": "Gemeente", "id": "GM0363", "naam": "Amsterdam"}\n'
        + '{"kind": "Aanbod", "id": "a-1", "naam": "Hulp", "doelgroep": "jeugd\\u2066 12+"}\n',
    )
    edge = write(
        tmp_path / "e.jsonl",
        NATIVE_HEADER
        + '{"rel": "LIGT_IN", "van": "PC4:2011", "naar": "Gemeente:GM0392", "bron": "x\\u007f"}\n',
    )
    source = write(
        tmp_path / "s.jsonl",
        NATIVE_HEADER.replace('"test"', '"te\\u202dst"') + '{"kind": "PC4", "id": "2012"}\n',
    )
    package = tmp_path / "pakket"
    write(package / "organizations.csv", "id,name,description\norg-1,Een\tTwee (fictief),\n")
    descriptor = {"resources": [{"name": "organization", "path": "organizations.csv"}]}
    write(package / "datapackage.json", json.dumps(descriptor))
    return {
        "csv": (csv_file, 3, "naam"),
        "yaml": (yaml_file, 4, "naam"),
        "hsds-json": (json_file, 7, "organization.name"),
        "native": (native, 3, "doelgroep"),
        "native-edge": (edge, 2, "props"),
        "native-source": (source, 1, "source"),
        "hsds-csv": (package / "datapackage.json", 2, "organization.name"),
    }


@pytest.mark.parametrize(
    "way", ["csv", "yaml", "hsds-json", "native", "native-edge", "native-source", "hsds-csv"]
)
def test_control_characters_are_refused(
    seeded: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture, way: str
) -> None:
    path, line, field = hostile_files(tmp_path)[way]
    problems = refused(seeded, [path], caplog)
    hostile = [p for p in problems if "stuurteken" in p.reason or "richtingsteken" in p.reason]
    assert len(hostile) == 1, problems
    [problem] = hostile
    shown = str(problem)
    assert (Path(problem.file).name, problem.line, problem.field) == (
        "organizations.csv" if way == "hsds-csv" else path.name,
        line,
        field,
    ), shown
    assert "niet toegestaan" in problem.reason
    # the problem shows the value with the character escaped, never the character itself
    assert not any(c in shown for c in "\x00\x1b\x7f\u202d\u202e\u2066\t")


def test_line_breaks_are_text_in_a_description_only(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = write(
        tmp_path / "goed.jsonl",
        NATIVE_HEADER + '{"kind": "Aanbod", "id": "a-1", "naam": "Hulp", '
        '"beschrijving": "Regel een.\\r\\nRegel\\ttwee.\\n"}\n',
    )
    report = run_import(store, [good])
    assert not [p for p in report.problems if p.fatal], report.text()
    aanbod = store.node(NodeKey("Aanbod", "a-1"))
    assert aanbod is not None and aanbod.props["beschrijving"] == "Regel een.\r\nRegel\ttwee."
    bad = write(
        tmp_path / "fout.jsonl",
        NATIVE_HEADER
        + '{"kind": "Aanbod", "id": "a-2", "naam": "Hulp\\nmet regel", "beschrijving": "a\\u0000"}\n',
    )
    problems = refused(store, [bad], caplog)
    assert sorted((p.line, p.field) for p in problems) == [(2, "beschrijving"), (2, "naam")]
    by_field = {p.field: p for p in problems}
    assert "U+000A, regeleinde" in by_field["naam"].reason and "één regel" in by_field["naam"].reason
    assert "U+0000, NUL" in by_field["beschrijving"].reason
    assert by_field["beschrijving"].value == "a\\x00"


def test_a_refused_value_is_shown_escaped_once(
    seeded: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """What the CLI prints for a NUL in a name: the escape as the user would type it
    (``Haar\\x00lem``), not doubled by a second round of quoting."""
    path = write(tmp_path / "gemeenten.csv", "gm_code,gm_naam,jaar\nGM0392,Haar\x00lem,2025\n")
    [problem] = [p for p in refused(seeded, [path], caplog) if "stuurteken" in p.reason]
    shown = str(problem)
    assert "waarde 'Haar\\x00lem'" in shown, shown
    assert "\\\\" not in shown and "\x00" not in shown


def test_which_characters_are_refused() -> None:
    """Every C0 control but tab, line feed and carriage return, DEL and the ten bidi
    embeddings, overrides and isolates, anywhere; the three line characters in one-line text
    only. Accents, other scripts, emoji and the plain direction marks (U+200E, U+200F) are
    text."""
    from graph.text import check

    refused_anywhere = [chr(c) for c in (*range(0x20), 0x7F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))]
    for char in refused_anywhere:
        multiline_ok = char in "\t\n\r"
        with pytest.raises(ValueError, match="niet toegestaan"):
            check(f"a{char}b", multiline=False)
        if multiline_ok:
            assert check(f"a{char}b", multiline=True) == f"a{char}b"
        else:
            with pytest.raises(ValueError, match="niet toegestaan"):
                check(f"a{char}b", multiline=True)
    for text in ("Één ’s-Hertogenbosch", "שלום", "日本", "🙂", "a\u200eb\u200fc", " rand \n"):
        assert check(text, multiline=False) == text


# -- formula-like cells in the CSV export -----------------------------------------------------

FORMULAS = {
    "fictief-calc": "=cmd|' /C calc'!A0",
    "fictief-som": "@SUM(1+1)",
    "fictief-plus": "+31 en meer",
    "fictief-min": "-2+3 hulp",
    "fictief-quote": "'=al geëscaped",
    "fictief-bosch": "'s-Hertogenbosch Zorg (fictief)",
    "fictief-getal": "-5",
}


def test_csv_export_escapes_formulas(store: GraphStore, tmp_path: Path) -> None:
    """Providers named like formulas (the OWASP examples): each cell that would start a
    formula begins with a single quote in the exported CSV; a plain number and a name that
    starts with a quote of its own stay as they are; importing the export gives the names back."""
    from importers import hsds

    lines = [
        json.dumps({"kind": "Zorgaanbieder", "id": ident, "naam": naam, "fictief": True})
        for ident, naam in FORMULAS.items()
    ]
    path = write(tmp_path / "aanbieders.jsonl", NATIVE_HEADER + "\n".join(lines) + "\n")
    report = run_import(store, [path])
    assert not [p for p in report.problems if p.fatal], report.text()
    folder = tmp_path / "pakket"
    hsds.export_datapackage(store, folder)
    with open(folder / "organizations.csv", newline="", encoding="utf-8") as fh:
        cells = {row["id"]: row["name"] for row in csv.DictReader(fh)}
    assert cells["fictief-calc"] == "'=cmd|' /C calc'!A0"
    assert cells["fictief-som"] == "'@SUM(1+1)"
    assert cells["fictief-plus"] == "'+31 en meer"
    assert cells["fictief-min"] == "'-2+3 hulp"
    assert cells["fictief-quote"] == "''=al geëscaped"
    assert cells["fictief-bosch"] == "'s-Hertogenbosch Zorg (fictief)"
    assert cells["fictief-getal"] == "-5"
    # a number in a numeric column is written as the number it is
    from importers.hsds.export import _cell

    assert [_cell(-3), _cell(-2.5), _cell(True)] == ["-3", "-2.5", "true"]

    store.clear()
    again = run_import(store, [folder / "datapackage.json"])
    assert not [p for p in again.problems if p.fatal], again.text()
    for ident, naam in FORMULAS.items():
        node = store.node(NodeKey("Zorgaanbieder", ident))
        assert node is not None and node.props["naam"] == naam, ident
