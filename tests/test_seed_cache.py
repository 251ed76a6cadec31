"""Pieces of the graph kept between questions (graph/seed_cache.py): an answer from kept pieces
is the answer of a fresh walk, an import makes the next question walk again, and nothing kept
pairs a school with a home postcode or holds a PC6.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from api.cli import demo_files
from graph import seed_cache
from graph.dated import as_of
from graph.lifecycle import valid_on
from graph.queries.question import seeds
from graph.queries.who_serves import who_serves
from graph.store import GraphStore
from importers.run import run_import

DAY = date(2025, 10, 1)
#: schools of the demo with homes near and far, PC4 and PC6, and needs of both kinds
QUESTIONS = [
    (school, home, need)
    for school in ("15UJ00", "01WX00", "03AZ00", "05DH00")
    for home in ("2011", "2011AB", "2037", "1971", "2101")
    for need in ("45", "dyslexie")
]


@pytest.fixture
def demo(store: GraphStore) -> GraphStore:
    run_import(store, demo_files())
    return store


@pytest.fixture
def kept(demo: GraphStore) -> Iterator[seed_cache.SeedCache]:
    """The demo store's cache, emptied before and after the test."""
    cache = seed_cache.cache_for(demo)
    size = len(cache._slots)
    cache._slots = [None] * size
    yield cache
    cache._slots = [None] * size  # a test may have resized it; the store may live on


def answers(store: GraphStore) -> list[dict[str, object]]:
    """Every question, at the school's own kind and as if not at a regular school (whose SWV
    is the home's: a rule that depends on both sides)."""
    return [asdict(who_serves(store, *q, DAY, enrolled)) for q in QUESTIONS for enrolled in (None, False)]


def test_kept_pieces_answer_as_a_fresh_walk(demo: GraphStore, kept: seed_cache.SeedCache) -> None:
    first = answers(demo)  # walks and keeps
    assert any(kept._slots), "nothing was kept"
    again = answers(demo)  # from what was kept
    slots = kept._slots
    kept._slots = []  # nothing kept: every question walks
    try:
        fresh = answers(demo)
    finally:
        kept._slots = slots
    assert first == again == fresh
    # and the joined pieces hold what one walk from all seeds fetches
    day = DAY.isoformat()
    for question in QUESTIONS:
        some = seeds(*question)
        joined = as_of(demo, DAY).neighbourhood(some).records()
        assert joined == demo.neighbourhood(some, lambda p: valid_on(p, day)).records()


def test_one_slot_shared_by_every_seed_still_answers_right(
    demo: GraphStore, kept: seed_cache.SeedCache
) -> None:
    expected = answers(demo)
    kept._slots = [None]  # every seed replaces the one before it
    assert answers(demo) == expected


def test_an_import_makes_the_next_question_walk_again(
    demo: GraphStore, kept: seed_cache.SeedCache, tmp_path: Path
) -> None:
    def team_names() -> list[str | None]:
        answer = who_serves(demo, "15UJ00", "2011", "45", DAY)
        return [r.name for r in answer.roles if r.role == "toegang"]

    assert team_names() == ["Jeugdteam Haarlem Centrum en Noord (fictief)"]
    original = next(p for p in demo_files() if p.name == "wijkteams-fictief.yaml")
    renamed = tmp_path / original.name
    text = original.read_text(encoding="utf-8")
    renamed.write_text(text.replace("Haarlem Centrum en Noord (fictief)", "Haarlem Binnenstad (fictief)"))
    run_import(demo, [renamed])
    assert team_names() == ["Jeugdteam Haarlem Binnenstad (fictief)"]


def test_nothing_kept_pairs_a_school_with_a_home(demo: GraphStore, kept: seed_cache.SeedCache) -> None:
    answers(demo)
    pieces = [p for p in kept._slots if p is not None]
    assert pieces
    # each piece is one seed's: a school, a PC4 area or a need alone, never a PC6
    assert {p.seed.key.kind for p in pieces} == set(seed_cache.KEPT_KINDS)
    for piece in pieces:
        if piece.seed.key.kind == "School":
            held = {n.key.kind for n in piece.near.records()[0]}
            assert "PC6" not in held and "Behoefte" not in held


def test_seeds_sharing_a_set_are_all_kept() -> None:
    """Four seeds in four slots (one set): each walked once, however their hashes fall."""
    from graph.neighbourhood import Neighbourhood, Seed
    from graph.records import NodeKey

    walked: list[str] = []

    def fetch(seed: Seed) -> Neighbourhood:
        walked.append(seed.key.id)
        return Neighbourhood([], [])

    cache = seed_cache.SeedCache(seed_cache.WAYS)
    four = [Seed(NodeKey("School", f"0{i}AA00")) for i in range(seed_cache.WAYS)]
    for _ in range(3):
        for seed in four:
            cache.neighbourhood([seed], "v1", "2025-10-01", fetch)
    assert sorted(walked) == sorted(s.key.id for s in four)


def _derived(cache: seed_cache.SeedCache, kind: str, id_: str) -> dict[object, object]:
    from graph.records import NodeKey

    held = [p for p in cache._slots if p is not None and p.seed.key == NodeKey(kind, id_)]
    assert len(held) == 1, f"{kind} {id_} not kept"
    return held[0].near.derived


def test_what_a_side_keeps_is_the_same_whatever_else_was_asked(
    demo: GraphStore, kept: seed_cache.SeedCache
) -> None:
    """What the school's piece and the home's piece keep of an answer (Question.kept) depends
    on that side alone: asked with other homes, schools and needs, it is the same."""
    runs = []
    for asked in (
        [("15UJ00", "2011", "45"), ("01WX00", "2011", "45")],
        [("15UJ00", "1971", "dyslexie"), ("03AZ00", "2011", "dyslexie")],
    ):
        kept._slots = [None] * len(kept._slots)
        for question in asked:
            who_serves(demo, *question, DAY)
        runs.append((_derived(kept, "School", "15UJ00"), _derived(kept, "PC4", "2011")))
    (school_a, home_a), (school_b, home_b) = runs
    assert school_a and home_a, "nothing derived was kept"
    assert {"zorgplicht", "swv"} <= school_a.keys() and {"toegang", "providers"} <= home_a.keys()
    for first, second in ((school_a, school_b), (home_a, home_b)):
        common = first.keys() & second.keys()
        assert common and all(first[k] == second[k] for k in common)
    # the home keeps providers for every contracted need, not only for the one asked about
    assert home_a["providers"] == home_b["providers"] and len(home_a["providers"]) > 1  # type: ignore[arg-type]


def test_a_pc6_home_keeps_nothing_of_its_answer(demo: GraphStore, kept: seed_cache.SeedCache) -> None:
    """A PC6 may decide the gemeente and the team: nothing of the home's answer is kept with
    its PC4's piece (that piece, a PC4 area's, is still kept for the walk)."""
    who_serves(demo, "15UJ00", "2011AB", "45", DAY)
    assert _derived(kept, "PC4", "2011") == {}
    assert _derived(kept, "School", "15UJ00")
