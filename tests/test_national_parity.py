"""Both backends give the same answers on real national data (all of ../shared/data plus the
demo's fictional wijkteams, providers and contracts): who-serves for a sample of real and
random questions, the neighbourhoods behind them, the overlap of every SWV with the
jeugdregio's, and the mismatch report."""

from __future__ import annotations

import csv
import dataclasses
import random
from collections.abc import Mapping
from datetime import date

from api.cli import demo_files
from graph.dated import as_of
from graph.neighbourhood import Seed
from graph.queries.errors import QuestionError
from graph.queries.mismatch import mismatch
from graph.queries.overlap import overlap, overlaps_between
from graph.queries.question import seeds as _seeds
from graph.queries.who_serves import who_serves
from graph.records import NodeKey
from graph.store import GraphStore
from importers.run import run_import

from .utils import SHARED_DATA, all_files, needs_shared


def sample(store: GraphStore, n: int) -> list[tuple[str, str, str]]:
    """Half real (school, home PC4) pairs from DUO's pupil postcodes, half drawn at random
    from the whole country, some with a full postcode (PC6)."""
    rng = random.Random(7)
    pairs = [(e.src.id, e.dst.id) for e in store.edges(rel="LEERLINGEN_UIT")]
    schools = [s.id for s in store.nodes("School")]
    pc4s = [p.id for p in store.nodes("PC4")]
    pc6s = [p.id for p in store.nodes("PC6")] or [f"{pc}AB" for pc in pc4s]
    asked = [rng.choice(pairs) for _ in range(n // 2)]
    asked += [(rng.choice(schools), rng.choice(pc4s)) for _ in range(n // 2 - 10)]
    asked += [(rng.choice(schools), rng.choice(pc6s)) for _ in range(10)]
    return [(s, pc, rng.choice(["45", "46", "dyslexie"])) for s, pc in asked]


def answer(store: GraphStore, school: str, pc: str, need: str) -> object:
    try:
        return dataclasses.asdict(who_serves(store, school, pc, need, date(2025, 10, 1)))
    except QuestionError as exc:
        return ("error", exc.field, exc.status, str(exc))


def fetched(store: GraphStore, seeds: list[Seed]) -> tuple[list[object], list[object]]:
    """A neighbourhood as plain data, without the import ids (each backend had its own run)."""
    nodes, edges = store.neighbourhood(seeds).records()

    def plain(props: Mapping[str, object]) -> dict[str, object]:
        return {k: v for k, v in props.items() if k != "import_id"}

    return (
        [(n.key, plain(n.props)) for n in nodes],
        [(e.src, e.rel, e.dst, plain(e.props)) for e in edges],
    )


@needs_shared
def test_national_answers_agree(embedded_store: GraphStore, neo4j_store: GraphStore) -> None:
    for store in (embedded_store, neo4j_store):
        report = run_import(store, all_files() + demo_files())
        assert report.applied
    asked = sample(embedded_store, 200)
    assert len(asked) == 200
    answered = 0
    for school, pc, need in asked:
        here = answer(embedded_store, school, pc, need)
        assert here == answer(neo4j_store, school, pc, need), (school, pc, need)
        answered += isinstance(here, dict)
        seeds = _seeds(school, pc, "ijw-45")
        assert fetched(embedded_store, seeds) == fetched(neo4j_store, seeds)
        for day in (date(2016, 6, 1), date(2026, 12, 1)):  # as of a day: the same fetch too
            assert fetched(as_of(embedded_store, day), seeds) == fetched(as_of(neo4j_store, day), seeds)
    assert answered >= 190  # the sample is of real schools and postcodes: nearly all answer
    school, pc, _ = asked[0]  # a need the taxonomy does not know: the same refusal on both
    unknown = answer(embedded_store, school, pc, "54")
    assert unknown == answer(neo4j_store, school, pc, "54") and unknown[:3] == ("error", "need", 404)  # type: ignore[index]

    swv_jr = overlaps_between(embedded_store, "Swv", "jeugdregio")
    assert [dataclasses.asdict(o) for o in swv_jr] == [
        dataclasses.asdict(o) for o in overlaps_between(neo4j_store, "Swv", "jeugdregio")
    ]
    # every SWV lies in at least one jeugdregio, and each pair is listed once
    assert {o.a for o in swv_jr} == {f"Swv:{s.id}" for s in embedded_store.nodes("Swv")}
    assert len({(o.a, o.b) for o in swv_jr}) == len(swv_jr)

    assert dataclasses.asdict(mismatch(embedded_store)) == dataclasses.asdict(mismatch(neo4j_store))
    for store in (embedded_store, neo4j_store):
        _dated_answers(store)


def _dated_answers(store: GraphStore) -> None:
    """As of a date: Zeewolde's jeugdregio is JZ12 today and was JZ08 in 2016 (the CBS table
    of 2016, replaced by the 2025 one); a PC4 of Haaren (split in 2021) lies in the gemeente the
    2024 table gives; the overlap of JZ08 with Zeewolde holds in 2016 only."""
    school = next(
        e.src.id
        for e in store.edges(rel="LIGT_IN", dst=NodeKey("Gemeente", "GM0050"))
        if e.src.kind == "School"
    )
    now = {r.role: r.id for r in who_serves(store, school, "3891", "45", date(2026, 12, 1)).roles}
    then = {r.role: r.id for r in who_serves(store, school, "3891", "45", date(2016, 6, 1)).roles}
    assert (now["jeugdregio"], then["jeugdregio"]) == ("JZ12", "JZ08")
    with open(SHARED_DATA / "pc4-gemeente-2024.csv", newline="") as fh:
        [haaren] = [r["gm_code"] for r in csv.DictReader(fh) if r["pc4"] == "5076"]
    assert {r.role: r.id for r in who_serves(store, school, "5076", "45", date(2026, 12, 1)).roles}[
        "gemeente_jeugdhulp"
    ] == haaren
    # and in 2020 too: the 2021 table names Haaren, and the PC4's woonplaats places it
    before = who_serves(store, school, "5076", "45", date(2020, 6, 1))
    assert {r.role: r.id for r in before.roles}["gemeente_jeugdhulp"] == haaren
    assert overlap(as_of(store, date(2016, 6, 1)), "JZ08", "GM0050").shared_gemeenten == ["GM0050"]
    assert overlap(as_of(store, date(2026, 12, 1)), "JZ08", "GM0050").shared_gemeenten == []


@needs_shared
def test_a_pc4_missing_from_the_2015_table_gets_its_gemeentes_swv_from_the_2013_list(
    embedded_store: GraphStore,
) -> None:
    """5352 (Oss) is not in the 2015 PC4 table; the 2013 list puts all of Oss in one SWV."""
    with open(SHARED_DATA / "regio-indeling-swv-2015-pc4.csv", encoding="utf-8-sig") as fh:
        assert "5352" not in {row["pc4"] for row in csv.DictReader(fh)}
    with open(SHARED_DATA / "regio-indeling-swv-2013-gemeenten.csv", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["gemeentenaam"] == "Oss" and r["sector"] == "PO"]
    assert len(rows) == 1 and not rows[0]["postcode_restrictie"]
    run_import(embedded_store, all_files() + demo_files())
    school = next(
        e.src.id for e in embedded_store.edges(rel="LIGT_IN") if e.dst.id == "5352" and e.src.kind == "School"
    )
    answer = who_serves(embedded_store, school, "5352", "45", date(2025, 10, 1))
    swv = next(r for r in answer.roles if r.role == "swv")
    assert swv.id == rows[0]["swv_code"] and "2013" in swv.rule
