"""Newer versions replace older ones, with history: on both backends, through real imports.

Each test writes versions of one source (a scope) as files, imports them in the order a user
might, and reads the store as of days before and after the versions (graph.dated)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from graph.dated import as_of
from graph.lifecycle import ended_on
from graph.queries.who_serves import who_serves
from graph.records import NodeKey
from graph.store import GraphStore
from importers import run
from importers.run import run_import

HAARLEM = '{"kind": "Gemeente", "id": "GM0392", "naam": "Haarlem"}'


def version(path: Path, scope: str, day: str, *lines: str) -> Path:
    """A file in the project's own format: one version of ``scope``, dated ``day``."""
    header = {"format": "sociale-kaart/1", "source": f"test {scope}", "source_date": day, "scope": scope}
    path.write_text("\n".join([json.dumps(header), *lines]) + "\n")
    return path


def team(ident: str) -> list[str]:
    return [
        json.dumps({"kind": "Wijkteam", "id": ident, "naam": f"Team {ident} (fictief)", "fictief": True}),
        json.dumps({"rel": "WERKT_VOOR", "van": f"Wijkteam:{ident}", "naar": "Gemeente:GM0392"}),
    ]


def teams(store: GraphStore, day: str) -> list[str]:
    return [n.id for n in as_of(store, date.fromisoformat(day)).nodes("Wijkteam")]


def test_a_newer_version_ends_what_it_no_longer_states(store: GraphStore, tmp_path: Path) -> None:
    base = version(tmp_path / "gm.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)
    v1 = version(tmp_path / "v1.jsonl", "test:teams", "2025-03-01", *team("noord"), *team("zuid"))
    v2 = version(tmp_path / "v2.jsonl", "test:teams", "2026-03-01", *team("noord"), *team("west"))
    run_import(store, [base, v1])
    report = run_import(store, [v2])
    [f] = [f for f in report.files if f.file == str(v2)]
    assert (f.created, f.removed) == (2, 2)  # west and its edge new; zuid and its edge ended
    assert "2 verwijderd" in report.text()
    zuid = store.node(NodeKey("Wijkteam", "zuid"))
    assert zuid is not None and ended_on(zuid.props) == "2026-03-01"  # kept, as history
    assert teams(store, "2025-06-01") == ["noord", "zuid"]
    assert teams(store, "2026-06-01") == ["noord", "west"]
    # the edge of a team that ended is gone from a dated view too
    assert [e.src.id for e in as_of(store, date(2026, 6, 1)).edges(rel="WERKT_VOOR")] == ["noord", "west"]
    again = run_import(store, [v2])
    assert not again.changed and "Er is niets veranderd" in again.text()


def test_an_older_version_after_a_newer_one_only_fills_in_history(store: GraphStore, tmp_path: Path) -> None:
    base = version(tmp_path / "gm.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)
    new = version(tmp_path / "new.jsonl", "test:teams", "2026-03-01", *team("noord"))
    old_noord = json.dumps({"kind": "Wijkteam", "id": "noord", "naam": "Oude naam (fictief)"})
    old = version(tmp_path / "old.jsonl", "test:teams", "2024-03-01", old_noord, *team("zuid"))
    run_import(store, [base, new])
    report = run_import(store, [old])
    [f] = [f for f in report.files if f.file == str(old)]
    [note] = [p for p in f.problems if p.field == "version"]
    assert not note.fatal and "older than the stored 2026-03-01" in note.reason and "history" in note.reason
    noord = store.node(NodeKey("Wijkteam", "noord"))
    assert noord is not None and noord.props["naam"] == "Team noord (fictief)"  # the current value stays
    assert teams(store, "2026-06-01") == ["noord"]  # nothing current changed
    assert teams(store, "2024-06-01") == ["noord", "zuid"]  # but the past is known now
    zuid = store.node(NodeKey("Wijkteam", "zuid"))
    assert zuid is not None and ended_on(zuid.props) == "2026-03-01"


def test_the_same_history_whatever_the_order_of_import(store: GraphStore, tmp_path: Path) -> None:
    base = version(tmp_path / "gm.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)
    files = [
        version(tmp_path / f"v{i}.jsonl", "test:teams", day, *[line for t in names for line in team(t)])
        for i, (day, names) in enumerate(
            [("2024-01-01", ["a", "b"]), ("2025-01-01", ["b"]), ("2026-01-01", ["a", "b", "c"])]
        )
    ]
    seen = []
    for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
        store.clear()
        run_import(store, [base])
        for i in order:
            run_import(store, [files[i]])
        seen.append({n.id: n.props["geldig"] for n in store.nodes("Wijkteam")})
    assert seen[0] == seen[1] == seen[2]
    assert seen[0] == {"a": ["/2025-01-01", "2026-01-01/"], "b": ["/"], "c": ["2026-01-01/"]}


def test_a_fact_stated_by_two_sources_lasts_while_one_still_states_it(
    store: GraphStore, tmp_path: Path
) -> None:
    base = version(tmp_path / "gm.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)
    a1 = version(tmp_path / "a1.jsonl", "test:a", "2025-01-01", *team("noord"))
    b1 = version(tmp_path / "b1.jsonl", "test:b", "2025-01-01", *team("noord"))
    a2 = version(tmp_path / "a2.jsonl", "test:a", "2026-01-01")
    run_import(store, [base, a1, b1])
    report = run_import(store, [a2])
    assert sum(f.removed for f in report.files) == 0
    assert teams(store, "2026-06-01") == ["noord"]
    b2 = version(tmp_path / "b2.jsonl", "test:b", "2026-02-01")
    report = run_import(store, [b2])
    assert sum(f.removed for f in report.files) == 2
    assert teams(store, "2026-06-01") == [] and teams(store, "2026-01-15") == ["noord"]


def test_a_corrected_copy_of_a_version_replaces_it(store: GraphStore, tmp_path: Path) -> None:
    base = version(tmp_path / "gm.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)
    wrong = version(tmp_path / "v.jsonl", "test:teams", "2025-03-01", *team("noord"), *team("typo"))
    run_import(store, [base, wrong])
    right = version(tmp_path / "v.jsonl", "test:teams", "2025-03-01", *team("noord"))
    run_import(store, [right])
    typo = store.node(NodeKey("Wijkteam", "typo"))
    assert typo is not None and typo.props["geldig"] == []  # stated by no version: never held
    assert teams(store, "2025-06-01") == teams(store, "2020-01-01") == ["noord"]


def test_dry_run_counts_and_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    base = version(tmp_path / "gm.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)
    v1 = version(tmp_path / "v1.jsonl", "test:teams", "2025-03-01", *team("noord"), *team("zuid"))
    v2 = version(tmp_path / "v2.jsonl", "test:teams", "2026-03-01", *team("noord"))
    run_import(store, [base, v1])
    before = store.data_version()
    report = run_import(store, [v2], dry_run=True)
    assert report.dry_run and not report.applied and "Proefimport: er is niets geschreven" in report.text()
    assert sum(f.removed for f in report.files) == 2
    assert store.data_version() == before and teams(store, "2026-06-01") == ["noord", "zuid"]


def test_reference_data_comes_with_the_first_import(store: GraphStore, tmp_path: Path) -> None:
    report = run_import(store, [version(tmp_path / "gm.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)])
    folder = run.reference_files()[0].parent
    shipped = {Path(f.file).name for f in report.files if Path(f.file).parent == folder}
    assert shipped == {p.name for p in run.reference_files()}
    assert store.node(NodeKey("Behoefte", "ijw-45")) is not None
    bron = store.node(NodeKey("Bron", "referentie:behoeften"))
    assert bron is not None and bron.props["versies"] == ["2025-01-01"]
    # once in the store, the next import leaves it alone
    again = run_import(store, [version(tmp_path / "gm2.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)])
    assert [Path(f.file).name for f in again.files] == ["gm2.jsonl"]


def test_a_newer_shipped_version_of_reference_data_replaces_the_older(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import(store, [version(tmp_path / "gm.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)])
    shipped = next(p for p in run.reference_files() if p.name == "behoeften.jsonl")
    lines = shipped.read_text().splitlines()
    newer = tmp_path / "behoeften.jsonl"
    newer.write_text(
        "\n".join(
            line.replace('"source_date": "2025-01-01"', '"source_date": "2026-07-01"')
            for line in lines
            if '"ijw-42"' not in line
        )
        + "\n"
    )
    others = [p for p in run.reference_files() if p.name != "behoeften.jsonl"]
    monkeypatch.setattr(run, "reference_files", lambda: [newer, *others])
    report = run_import(store, [version(tmp_path / "gm2.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)])
    [f] = [f for f in report.files if f.file == str(newer)]
    assert f.removed >= 1
    assert as_of(store, date(2026, 8, 1)).node(NodeKey("Behoefte", "ijw-42")) is None
    assert as_of(store, date(2026, 1, 1)).node(NodeKey("Behoefte", "ijw-42")) is not None


def test_a_school_that_closed_is_not_answered_for_and_says_since_when(
    store: GraphStore, tmp_path: Path
) -> None:
    from graph.queries.errors import QuestionError
    from graph.queries.who_serves import who_serves

    base = version(tmp_path / "gm.jsonl", "test:gemeenten", "2025-01-01", HAARLEM)
    pc4 = json.dumps({"kind": "PC4", "id": "2011"})
    school = json.dumps({"kind": "School", "id": "00AA00", "naam": "De Test (fictief)", "soort": "BAO"})
    where = json.dumps({"rel": "LIGT_IN", "van": "School:00AA00", "naar": "PC4:2011"})
    open_ = version(tmp_path / "s1.jsonl", "test:scholen", "2024-11-01", pc4, school, where)
    closed = version(tmp_path / "s2.jsonl", "test:scholen", "2025-11-01", pc4)
    run_import(store, [base, open_, closed])
    assert who_serves(store, "00AA00", "2011", "45", date(2025, 6, 1)).school == "00AA00"
    with pytest.raises(QuestionError) as err:
        who_serves(store, "00AA00", "2011", "45", date(2026, 1, 1))
    assert err.value.status == 404 and "niet meer sinds 2025-11-01" in str(err.value)


def test_a_pc4_in_no_gemeente_on_the_day_says_when_it_is_in_one(store: GraphStore, tmp_path: Path) -> None:
    """A PC4 that only a later version of the table places: an answer for a day before that
    guesses no gemeente, and its warning says where the history places the PC4, and from when."""
    school = [
        json.dumps({"kind": "School", "id": "99ZZ00", "naam": "Testschool (fictief)", "soort": "BAO"}),
        json.dumps({"kind": "PC4", "id": "2011"}),
        json.dumps({"rel": "LIGT_IN", "van": "School:99ZZ00", "naar": "PC4:2011"}),
    ]
    base = version(tmp_path / "base.jsonl", "test:basis", "2021-01-01", HAARLEM, *school)
    in_gm = json.dumps({"rel": "LIGT_IN", "van": "PC4:2011", "naar": "Gemeente:GM0392"})
    v1 = version(
        tmp_path / "v1.jsonl", "test:pc4-gemeente", "2021-01-01", json.dumps({"kind": "PC4", "id": "2011"})
    )
    v2 = version(tmp_path / "v2.jsonl", "test:pc4-gemeente", "2024-01-01", in_gm)
    run_import(store, [base, v1, v2])
    then = who_serves(store, "99ZZ00", "2011", "45", date(2022, 6, 1))
    assert {r.role: r.id for r in then.roles}["gemeente_jeugdhulp"] is None
    assert any("Haarlem (GM0392) (vanaf 2024-01-01)" in w for w in then.warnings), then.warnings
    now = who_serves(store, "99ZZ00", "2011", "45", date(2025, 6, 1))
    assert {r.role: r.id for r in now.roles}["gemeente_jeugdhulp"] == "GM0392"
