"""Import all of ../shared/data into Neo4j, and compare the batched loader with a naive one.

The naive loader writes one row per transaction with ``MERGE`` (what a first attempt
usually looks like); ours sends ``UNWIND $rows`` batches in one transaction. Both load the
same sample into an emptied database. Goal (issue 3): batched ≥ 20× faster.

The database is EMPTIED: point it at a throwaway server only::

    SOCIALE_KAART_TEST_NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python -m bench.import_neo4j
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from bench.common import machine, shared_files
from graph.embedded import EmbeddedStore
from graph.neo4j_backend import Neo4jStore
from graph.records import Batch
from importers.run import run_import

SAMPLE = 3000


def naive_load(store: Neo4jStore, batch: Batch) -> None:
    """One transaction per node and per edge: the baseline to beat."""
    driver = store._driver  # the benchmark measures the same driver and server
    for n in batch.nodes.values():
        driver.execute_query(f"MERGE (n:{n.kind} {{id: $id}}) SET n += $props", id=n.id, props=dict(n.props))
    for e in batch.edges.values():
        driver.execute_query(
            f"MATCH (a:{e.src.kind} {{id: $s}}) MATCH (b:{e.dst.kind} {{id: $d}}) "
            f"MERGE (a)-[r:{e.rel}]->(b) SET r += $props",
            s=e.src.id,
            d=e.dst.id,
            props=dict(e.props),
        )


def sample_of(batch: Batch, size: int) -> Batch:
    """The first ``size`` edges with their endpoints: a sample that is loadable on its own."""
    sample = Batch()
    for e in list(batch.edges.values())[:size]:
        for key in (e.src, e.dst):
            sample.nodes[key] = batch.nodes[key]
        sample.edges[e.key] = e
    return sample


def main() -> int:
    uri = os.environ.get("SOCIALE_KAART_TEST_NEO4J_URI")
    if not uri:
        raise SystemExit("set SOCIALE_KAART_TEST_NEO4J_URI to a throwaway Neo4j (this benchmark empties it)")
    store = Neo4jStore(uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD"))
    store.clear()
    files = shared_files()

    start = time.perf_counter()
    report = run_import(store, files)
    full = time.perf_counter() - start
    start = time.perf_counter()
    again = run_import(store, files)
    reimport = time.perf_counter() - start
    counts = store.counts()

    # The same records as one batch, captured through the embedded store's parse of the files.
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        captured: list[Batch] = []
        probe = EmbeddedStore(f"{tmp}/g.json")
        original = probe.apply

        def capture(batch: Batch, dry_run: bool = False):  # type: ignore[no-untyped-def]
            captured.append(batch)
            return original(batch, dry_run=dry_run)

        probe.apply = capture  # type: ignore[method-assign]
        run_import(probe, files)
    sample = sample_of(captured[0], SAMPLE)
    rows = len(sample.nodes) + len(sample.edges)

    def timed(load) -> list[float]:  # type: ignore[no-untyped-def]
        """Three timed runs on an emptied database, after one untimed run that lets the
        server plan each query once."""
        runs = []
        for attempt in range(4):
            store.clear()
            start = time.perf_counter()
            load()
            if attempt:
                runs.append(time.perf_counter() - start)
        return sorted(runs)

    batched_runs = timed(lambda: store.apply(sample))
    naive_runs = timed(lambda: naive_load(store, sample))
    batched, naive = statistics.median(batched_runs), statistics.median(naive_runs)
    print(f"machine: {machine()}; {store.info()}")
    print(
        f"all of shared/data ({len(files)} files): {full:.1f} s; re-import (no change: {not again.changed}): "
        f"{reimport:.1f} s; {sum(counts.nodes.values())} nodes, {sum(counts.edges.values())} edges; "
        f"{len(report.problems)} notes"
    )
    print(
        f"sample of {rows} rows, median of 3: batched {batched:.2f} s ({rows / batched:.0f} rows/s), "
        f"naive one-row-per-transaction {naive:.2f} s ({rows / naive:.0f} rows/s): {naive / batched:.0f}x "
        f"(worst {naive_runs[0] / batched_runs[-1]:.0f}x, best {naive_runs[-1] / batched_runs[0]:.0f}x)"
    )
    store.clear()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
