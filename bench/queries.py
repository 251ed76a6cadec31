"""Query speed on national data: who-serves latency (p50, p99), the overlap of every SWV with
the jeugdregio's, the full mismatch report, and school search.

Loads all of ../shared/data plus the demo's (fictional) wijkteams, providers and contracts,
so that answers include providers, into a fresh store of the chosen backend. Questions are
real (school, home PC4) pairs from DUO's pupil-postcode data and, for the rest of the
country, schools paired with PC4 areas drawn at random (seeded, so runs are comparable).

    .venv/bin/python -m bench.queries                       # embedded
    SOCIALE_KAART_TEST_NEO4J_URI=bolt://… .venv/bin/python -m bench.queries --neo4j

The Neo4j run EMPTIES the database it is given, so it takes it only from
``SOCIALE_KAART_TEST_NEO4J_URI``. Goals (issue 4): p50 ≤ 0.5 ms embedded, ≤ 5 ms Neo4j.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from api.cli import demo_files
from bench.common import machine, shared_files
from graph.embedded import EmbeddedStore
from graph.queries.errors import QuestionError
from graph.queries.mismatch import mismatch
from graph.queries.overlap import overlaps_between
from graph.queries.search import search_schools
from graph.queries.who_serves import who_serves
from graph.store import GraphStore
from importers.run import run_import

QUESTIONS = 2000
DAY = date(2025, 10, 1)


@contextmanager
def open_store(neo4j: bool) -> Iterator[GraphStore]:
    if neo4j:
        from graph.neo4j_backend import Neo4jStore

        uri = os.environ.get("SOCIALE_KAART_TEST_NEO4J_URI")
        if not uri:
            raise SystemExit("--neo4j needs SOCIALE_KAART_TEST_NEO4J_URI (a database that may be emptied)")
        store: GraphStore = Neo4jStore(uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD"))
        store.clear()
        try:
            yield store
        finally:
            store.clear()
            store.close()
    else:
        with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(Path(tmp) / "graph.json") as embedded:
            yield embedded


def questions(store: GraphStore, n: int) -> list[tuple[str, str, str]]:
    """Half real pairs from DUO's pupil postcodes, half random national pairs."""
    rng = random.Random(4)
    pairs = [(e.src.id, e.dst.id) for e in store.edges(rel="LEERLINGEN_UIT")]
    schools = [s.id for s in store.nodes("School")]
    pc4s = [p.id for p in store.nodes("PC4")]
    needs = ["45", "46", "41", "dyslexie"]  # known needs: an unknown one is refused at once (404)
    real = [rng.choice(pairs) for _ in range(n // 2)] if pairs else []
    rand = [(rng.choice(schools), rng.choice(pc4s)) for _ in range(n - len(real))]
    return [(s, pc, rng.choice(needs)) for s, pc in real + rand]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def latency(store: GraphStore, asked: list[tuple[str, str, str]]) -> tuple[list[float], int]:
    times, errors = [], 0
    for school, pc, need in asked:
        start = time.perf_counter()
        try:
            who_serves(store, school, pc, need, DAY)
        except QuestionError:
            errors += 1  # e.g. a school without a known location: still a timed answer
        times.append(time.perf_counter() - start)
    return times, errors


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--neo4j", action="store_true", help="measure the Neo4j backend")
    parser.add_argument("--questions", type=int, default=QUESTIONS)
    args = parser.parse_args()
    with open_store(args.neo4j) as store:
        load = timed(lambda: run_import(store, shared_files() + demo_files()))
        counts = store.counts()
        asked = questions(store, args.questions)
        latency(store, asked[:200])  # warm up caches and, on Neo4j, the query plan
        times, errors = latency(store, asked)
        times.sort()
        p50 = statistics.median(times) * 1000
        p99 = times[int(len(times) * 0.99) - 1] * 1000
        swvs = store.counts().nodes.get("Swv", 0)
        pairs: list[object] = []
        t_overlap = timed(lambda: pairs.extend(overlaps_between(store, "Swv", "jeugdregio")))
        t_mismatch = timed(lambda: mismatch(store))
        t_index = timed(lambda: search_schools(store, "warm up"))
        typed = ["Haarlm", "Mariascool", "montesori amsterdam", "de", "basisschool", "15UJ00", "Rotterdm"]
        searches = sorted(timed(lambda q=q: search_schools(store, q)) for q in typed * 5)
        print(f"machine: {machine()}")
        print(f"backend: {store.info()}")
        size = f"{sum(counts.nodes.values())} nodes, {sum(counts.edges.values())} edges"
        print(f"loaded {size} in {load:.1f} s")
        print(
            f"who-serves, {len(times)} questions ({errors} answered with a 404/422): "
            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, mean {statistics.fmean(times) * 1000:.2f} ms"
        )
        print(f"overlap of all {swvs} SWVs with the jeugdregio's ({len(pairs)} pairs): {t_overlap:.2f} s")
        print(f"full mismatch report: {t_mismatch:.2f} s")
        print(
            f"school search: index built in {t_index:.2f} s, then {len(searches)} searches "
            f"p50 {statistics.median(searches) * 1000:.1f} ms, max {searches[-1] * 1000:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
