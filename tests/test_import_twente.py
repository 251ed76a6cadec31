"""Jeugdhulp Twente waiting times: hand-made files for each rule, and the real file from
../shared/data for counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.records import NodeKey
from graph.store import GraphStore
from importers.report import ImportFailed
from importers.run import run_import
from importers.twente import SOURCE, TwenteWachttijden, weeks_from_text

from .utils import SHARED_DATA, needs_shared

REAL = SHARED_DATA / "jeugdhulp-twente-wachttijden-2026.json"
URL = "https://praktijk-a.example/wachttijden"


def _file(path: Path, rows: list[Any], *, pretty: bool = False) -> Path:
    """One row per line (row n on line 3 + n), or pretty-printed like the real file."""
    if pretty:
        path.write_text(json.dumps({"generatedAt": "2026-08-22T04:48:07Z", "rows": rows}, indent=2))
    else:
        body = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in rows)
        path.write_text('{\n"generatedAt": "2026-08-22T04:48:07Z",\n"rows": [\n' + body + "\n]}\n")
    return path


GOOD = [
    {
        "p": "Praktijk A",
        "w": "Diagnostiek",
        "a": ["Diagnostiek"],
        "l": "Enschede",
        "d": "Jeugd",
        "e": ["ADHD", "ADHD", "Autisme"],
        "c": "Samen14/Jeugd",
        "i": 6,
        "u": URL,
        "date": "2026-08-11",
    },
    {
        "p": "Praktijk A",
        "w": "Behandeling",
        "l": "Losser",
        "d": "Jeugd",
        "c": "Samen14/Jeugd + zorgverzekering",
        "i": "4–6 wk",
        "u": URL,
        "date": "2026-05",
    },
    {
        "p": "Praktijk A",
        "w": "Behandeling",
        "l": "Vriezenveen",
        "d": "Jeugd",
        "c": "Jeugdwet",
        "i": "Aanmeldstop",
        "u": URL,
        "date": "2026-08-11",
    },
    {
        "p": "Praktijk B",
        "l": "Twente",
        "d": ["Jeugd", "Volwassenen"],
        "e": ["Angst"],
        "c": "Contractstatus controleren",
        "i": None,
        "iText": "Langere wachttijd",
        "b": 7,
        "bText": "6–8 wk",
        "u": "https://b.example/",
        "date": "2026-08-11",
    },
]


def test_offers_providers_and_waiting_times(store: GraphStore, tmp_path: Path) -> None:
    path = _file(tmp_path / "wachttijden.json", GOOD)
    report = run_import(store, [path])
    f = report.files[0]
    assert f.format == TwenteWachttijden.NAME and f.rows_read == 4
    assert f.created == 2 + 4 + 4  # providers, offers, BIEDT
    assert not any(p.fatal for p in f.problems)

    a = store.node(NodeKey("Zorgaanbieder", "twente-praktijk-a"))
    assert a is not None and a.props["naam"] == "Praktijk A" and "plaats" not in a.props  # three places
    assert a.props["source"] == SOURCE and a.props["source_date"] == "2026-08-22"
    b = store.node(NodeKey("Zorgaanbieder", "twente-praktijk-b"))
    assert b is not None and b.props["plaats"] == "Twente"

    offers = {store.node(e.dst).props["naam"]: store.node(e.dst) for e in store.edges(rel="BIEDT")}  # type: ignore[union-attr]
    assert set(offers) == {
        "Diagnostiek",
        "Behandeling, Losser",  # one name at two places: the place tells them apart
        "Behandeling, Vriezenveen",
        "Praktijk B (jeugd, volwassenen)",  # a general offer (no 'w')
    }
    diag = offers["Diagnostiek"].props  # type: ignore[union-attr]
    assert diag["wachttijd_weken"] == 6.0 and diag["wachttijd_datum"] == "2026-08-11"
    assert diag["wachttijd_bron"] == URL and diag["website"] == URL
    assert diag["specialismen"] == ["ADHD", "Autisme"] and diag["financiering"] == ["Jeugdwet"]
    assert diag["soort"] == "Diagnostiek" and diag["doelgroep"] == "Jeugd"
    losser = offers["Behandeling, Losser"].props  # type: ignore[union-attr]
    assert losser["wachttijd_weken"] == 6.0  # the range 4–6: its upper bound
    assert losser["wachttijd_datum"] == "2026-05-01" and losser["financiering"] == ["Jeugdwet", "Zvw"]
    assert "wachttijd_weken" not in offers["Behandeling, Vriezenveen"].props  # type: ignore[union-attr]
    assert "wachttijd_weken" not in offers["Praktijk B (jeugd, volwassenen)"].props  # type: ignore[union-attr]

    notes = {(p.line, p.field): p for p in f.problems}
    assert "bovengrens van het bereik 4–6 wk" in notes[(5, "i")].reason and notes[(5, "i")].value == "4–6 wk"
    assert "gelezen als 2026-05-01" in notes[(5, "date")].reason
    assert "geen wachttijd opgeslagen" in notes[(6, "i")].reason
    assert notes[(7, "iText")].value == "Langere wachttijd"
    assert "noemt geen financiering" in notes[(7, "c")].reason
    assert "regel 7: 7 weken (6–8 wk)" in notes[(None, "b")].reason
    assert "2 van 4 aanbiedingen hebben geen wachttijd" in notes[(None, "i")].reason

    assert not run_import(store, [path]).changed


def test_ids_are_stable_and_do_not_depend_on_other_rows(store: GraphStore, tmp_path: Path) -> None:
    run_import(store, [_file(tmp_path / "a.json", GOOD)])
    first = {n.id for n in store.nodes("Aanbod")}
    run_import(store, [_file(tmp_path / "b.json", GOOD[2:])])  # a later scrape with fewer rows
    assert {n.id for n in store.nodes("Aanbod")} == first


def test_bad_rows_name_their_line(store: GraphStore, tmp_path: Path) -> None:
    rows: list[Any] = [
        GOOD[0],
        {"w": "zonder aanbieder", "i": 3},
        {"p": "Praktijk C", "w": "X", "i": -2, "u": URL, "date": "2026-08-11"},
        "geen object",
    ]
    path = _file(tmp_path / "w.json", rows, pretty=True)
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    problems = [p for p in err.value.report.problems if p.fatal]
    assert [p.field for p in problems] == ["p", "i", ""]
    lines = path.read_text().splitlines()
    assert lines[problems[0].line].strip() == '"w": "zonder aanbieder",'  # type: ignore[index]
    assert lines[problems[1].line].strip() == '"p": "Praktijk C",'  # type: ignore[index]
    assert lines[problems[2].line - 1].strip() == '"geen object"'  # type: ignore[operator]
    assert problems[1].value == "-2"


def test_not_json_is_reported_with_its_line(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text('{"rows": [\n{"p": "A", "w": "B"},\n{"p": "A" "w": "C"}\n]}')
    assert TwenteWachttijden.sniff(path) is False  # not JSON: not claimed
    parsed = TwenteWachttijden.parse(path, "test")
    [problem] = parsed.report.problems
    assert problem.line == 3 and "geen geldige JSON" in problem.reason


def test_sniff_needs_rows_with_provider_and_offer(tmp_path: Path) -> None:
    assert TwenteWachttijden.sniff(_file(tmp_path / "x.data", GOOD))  # content, not the name
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"rows": [{"p": 1}], "type": "FeatureCollection"}))
    assert not TwenteWachttijden.sniff(other)


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("6", 6.0),
        ("6,5 weken", 6.5),
        ("4-6", 6.0),
        ("4 – 6 wk", 6.0),
        ("1–3 mnd", 3 * 365.25 / 12 / 7),
        ("< 4 wk", 4.0),
        ("> 6 mnd", 6 * 365.25 / 12 / 7),
        ("14 dagen", 2.0),
        ("Aanmeldstop", None),
        ("6-4", None),
        ("6 jaar", None),
    ],
)
def test_waiting_text_rule(text: str, weeks: float | None) -> None:
    read = weeks_from_text(text)
    if weeks is None:
        assert read is None
    else:
        assert read is not None and read[0] == pytest.approx(weeks)


@needs_shared
def test_real_file(store: GraphStore) -> None:
    rows = json.loads(REAL.read_text(encoding="utf-8"))["rows"]
    providers = {r["p"].strip() for r in rows}
    # every row is one offer: no two rows share provider, offer, place, target group and specialisms
    offers = {(r["p"], r.get("w"), r.get("l"), json.dumps(r.get("d")), json.dumps(r.get("e"))) for r in rows}
    assert len(offers) == len(rows)
    with_waiting = [r for r in rows if isinstance(r.get("i"), (int, float)) and r.get("date") and r.get("u")]

    report = run_import(store, [REAL])
    assert not any(p.fatal for p in report.problems)
    assert report.files[0].rows_read == len(rows)
    counts = store.counts()
    assert counts.nodes["Zorgaanbieder"] == len(providers)
    assert counts.nodes["Aanbod"] == len(rows)
    assert counts.edges["BIEDT"] == len(rows)
    assert sum("wachttijd_weken" in n.props for n in store.nodes("Aanbod")) == len(with_waiting)
    assert all(
        n.props.get("wachttijd_bron", "").startswith("http")
        for n in store.nodes("Aanbod")
        if "wachttijd_weken" in n.props
    )
    assert not run_import(store, [REAL]).changed
