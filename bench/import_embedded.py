"""Import all of ../shared/data into a fresh embedded store: wall time and peak memory.

Goal (issue 3): at most 15 s on the 2-core machine. Run: ``.venv/bin/python -m bench.import_embedded``.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine, shared_files
from graph.embedded import EmbeddedStore
from importers.run import run_import


def main() -> int:
    files = shared_files()
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "graph.json")
        start = time.perf_counter()
        report = run_import(store, files, skip_invalid=False)
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = run_import(store, files)
        second = time.perf_counter() - start
        counts = store.counts()
        size = (Path(tmp) / "graph.json").stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {machine()}")
    print(f"files: {len(files)}; nodes: {sum(counts.nodes.values())}, edges: {sum(counts.edges.values())}")
    print(
        f"first import (all new): {first:.2f} s; re-import (no change: {not again.changed}): {second:.2f} s"
    )
    print(f"peak memory (max RSS): {peak:.0f} MiB; store file: {size / 2**20:.1f} MiB")
    print(f"notes in the report: {len(report.problems)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
