"""A national import against its floor: all of ../shared/data plus a generated national set
of DUO pupil files (:mod:`bench.pupil_files`, 341 gemeenten, about 106,000 rows), imported
into a fresh embedded store, and the same files read with the standard library alone.

The floor is what no importer can beat: every file read from disk and parsed into rows
(``csv.DictReader`` for tables, ``json`` for JSON, ``zipfile`` for zips), nothing checked,
nothing kept. The import does everything an import does: recognise each file's format,
check every row, resolve names and codes, settle versions of sources, write the store file.
Both run in this one process, one after the other, on the same files; the import runs in a
child process of its own, so that its peak memory (max RSS) is its own and not the floor's
or the generator's. Goal (issue 11): the import ≤ 15× the floor, peak ≤ 400 MiB.

The real Kennemerland pupil files are left out: the generated set has a file for each of
those gemeenten too, with other (invented) counts, and two versions of one source in one
run are refused, as they should be.

    .venv/bin/python -m bench.import_floor [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.common import SHARED_DATA, machine, shared_files

PUPIL_FOLDER = "duo-leerlingen-po-postcode-2024-kennemerland"


def national_files(pupils: Path) -> list[Path]:
    """All of ../shared/data but the Kennemerland pupil files, plus the generated set."""
    shared = [p for p in shared_files() if PUPIL_FOLDER not in p.parts]
    return shared + sorted(pupils.glob("*.csv"))


def _rows(name: str, data: bytes) -> int:
    """How many rows (records, features, geometries) the bytes hold, read the plainest way."""
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as zipped:
            return sum(_rows(member, zipped.read(member)) for member in zipped.namelist())
    if name.endswith((".json", ".geojson", ".topojson")):
        document = json.loads(data)
        if isinstance(document, dict):
            for key in ("features", "value", "items"):
                if isinstance(document.get(key), list):
                    return len(document[key])
            objects = document.get("objects")
            if isinstance(objects, dict):
                return sum(len(o.get("geometries", [])) for o in objects.values())
        return len(document) if isinstance(document, list) else 1
    if name.endswith(".jsonl"):
        return sum(1 for line in data.splitlines() if json.loads(line))
    text = data.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max(";", ",", "\t", key=first.count)
    return sum(1 for _ in csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def floor(files: list[Path]) -> tuple[float, int]:
    """Seconds to read every file into rows with the standard library, and the rows."""
    started = time.perf_counter()
    rows = sum(_rows(path.name, path.read_bytes()) for path in files)
    return time.perf_counter() - started, rows


def _import_in_child(files: list[Path]) -> dict[str, float]:
    """One import into a fresh store, in a child process: its time and its own peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "files.txt"
        listing.write_text("\n".join(map(str, files)))
        done = subprocess.run(
            [sys.executable, "-m", "bench.import_floor", "--child", str(listing)],
            capture_output=True,
            text=True,
            check=True,
        )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _child(listing: Path) -> int:
    from graph.embedded import EmbeddedStore  # the child's own work, not the floor's
    from importers.run import run_import

    files = [Path(line) for line in listing.read_text().splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "graph.json")
        started = time.perf_counter()
        report = run_import(store, files)
        seconds = time.perf_counter() - started
        nodes = sum(store.counts().nodes.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "nodes": nodes, "changed": report.changed}))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the best of each counts")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return _child(args.child)
    with tempfile.TemporaryDirectory() as tmp:
        pupils = Path(tmp) / "leerlingen"
        subprocess.run(
            [sys.executable, "-m", "bench.pupil_files", str(pupils), "--shared", str(SHARED_DATA)],
            check=True,
            capture_output=True,
        )
        files = national_files(pupils)
        floors = [floor(files) for _ in range(args.repeat)]
        imports = [_import_in_child(files) for _ in range(args.repeat)]
    base, rows = min(floors)
    best = min(imports, key=lambda r: r["seconds"])
    print(f"machine: {machine()}")
    print(f"files: {len(files)}; rows read by the floor: {rows:,}; nodes in the store: {best['nodes']:,.0f}")
    print(f"floor (standard library, read every row): {base:.2f} s")
    peak = max(r["peak_mib"] for r in imports)
    print(
        f"import into a fresh embedded store: {best['seconds']:.2f} s = {best['seconds'] / base:.1f}x "
        f"the floor (goal <= 15x); peak memory {peak:.0f} MiB (goal <= 400 MiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
