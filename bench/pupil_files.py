"""A national-size set of DUO pupil files, made up from the real schools, for tests and
benchmarks: ``../shared/data`` holds DUO's 'leerlingen po naar postcode leerling' for the 13
Kennemerland gemeenten only, and the national file is one per gemeente in the same format.

Every PO/SO/VSO vestiging of DUO's list gets its real total (DUO vestigingen, where known),
spread over its own PC4 and the nearest others (seeded, so every run writes the same files),
a few pupils abroad near the border (``Duitsland``, ``België``, ``ander land``) and a few with
a postcode DUO does not know (``Onbekend``); each home PC4 in the gemeente the 2024 PC4 table
gives, by DUO's name; counts per age, masked as ``<5`` under 5, exactly as DUO writes them. For
one school in twenty the cells are made for a total that differs from DUO's (as the real
November totals differ from the October counts), so that both ways of tightening a range are
exercised. The pupils are invented; the schools, places and gemeenten are real.

    .venv/bin/python -m bench.pupil_files OUT_DIR [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import zipfile
from collections import defaultdict
from pathlib import Path

HEADER = [
    "PEILDATUM", "GEMEENTENUMMER", "GEMEENTENAAM", "POSTCODE_LEERLING", "GEMEENTENAAM_LEERLING",
    "INSTELLINGSCODE", "VESTIGINGSCODE", "INSTELLINGSNAAM_VESTIGING", "POSTCODE_VESTIGING", "PLAATSNAAM",
    "PROVINCIE", "SOORT_PO", "DENOMINATIE_VESTIGING", "BEVOEGD_GEZAG_NUMMER",
    "LEEFTIJD_JONGER", *(f"LEEFTIJD_{a}" for a in range(4, 25)), "LEEFTIJD_OUDER",
]  # fmt: skip
AGES = range(4, 13)
BORDER = ("Limburg", "Noord-Brabant", "Zeeland", "Gelderland", "Overijssel", "Drenthe", "Groningen")


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def _world(
    shared: Path,
) -> tuple[dict[str, tuple[float, float]], dict[str, str], dict[str, str], dict[str, int]]:
    """PC4 centroids, PC4 → gemeente name (2024, the largest share), and school totals."""
    points = {
        r["POSTCODE"]: (float(r["LAT"].replace(",", ".")), float(r["LON"].replace(",", ".")))
        for r in _rows(shared / "pc4-coordinaten.csv", ";")
        if r["POSTCODE"].isdigit()
    }
    names = {r["gm_code"]: r["gm_naam"] for r in _rows(shared / "cbs-gemeenten-2025.csv")}
    best: dict[str, tuple[float, str]] = {}
    for r in _rows(shared / "pc4-gemeente-2024.csv"):
        share = float(r["aandeel_pc4"])
        if r["pc4"] not in best or share > best[r["pc4"]][0]:
            best[r["pc4"]] = (share, names.get(r["gm_code"], ""))
    with zipfile.ZipFile(shared / "duo-vestigingen-2024-11.geo.zip") as zf:
        features = json.loads(zf.read(zf.namelist()[0]))["features"]
    totals = {
        f["properties"]["vestigingscode"]: f["properties"]["leerlingen"]
        for f in features
        if isinstance(f["properties"].get("leerlingen"), int)
    }
    return points, {pc: name for pc, (_, name) in best.items() if name}, names, totals


def _homes(rng: random.Random, total: int, own: str, near: list[str]) -> dict[str, int]:
    """How many of ``total`` pupils live in the school's PC4 and the nearest others."""
    weights = [3.0] + [1.0 / (i + 1) ** 0.7 for i in range(len(near))]
    places = [own, *near]
    out: dict[str, int] = defaultdict(int)
    for _ in range(total):
        out[rng.choices(places, weights)[0]] += 1
    return out


def _cells(rng: random.Random, count: int) -> list[str]:
    """A count spread over the ages, each cell as DUO writes it (``<5`` under 5)."""
    ages = [0] * len(AGES)
    for _ in range(count):
        ages[rng.randrange(len(ages))] += 1
    cells = ["<5" if 0 < n < 5 else str(n) for n in ages]
    return ["0", *cells, *["0"] * (24 - 12), "0"]  # jonger, 4..12, 13..24, ouder


def _nearest(points: dict[str, tuple[float, float]], n: int = 14) -> dict[str, list[str]]:
    """Each PC4's nearest others, by a grid of 0.1 degree (a sort of all per school is slow)."""
    grid: dict[tuple[int, int], list[str]] = defaultdict(list)
    for pc, (lat, lon) in points.items():
        grid[(int(lat * 10), int(lon * 10))].append(pc)
    out = {}
    for pc, (lat, lon) in points.items():
        cell = (int(lat * 10), int(lon * 10))
        around = [p for dx in (-1, 0, 1) for dy in (-1, 0, 1) for p in grid[(cell[0] + dx, cell[1] + dy)]]
        out[pc] = sorted((p for p in around if p != pc), key=lambda p: math.dist(points[p], (lat, lon)))[:n]
    return out


def make(shared: Path, out: Path, seed: int = 2024) -> int:
    """Write one file per gemeente of the schools into ``out``; returns the number of rows."""
    rng = random.Random(seed)
    points, gemeente_of, _, totals = _world(shared)
    nearest = _nearest(points)
    written = 0
    files: dict[str, list[list[str]]] = defaultdict(list)
    seen: set[str] = set()
    for school in _rows(shared / "duo-po-vestigingen-bevoegd-gezag-2024.csv", ";"):
        code = school["INSTELLINGSCODE"] + school["VESTIGINGSCODE"]
        pc4 = school["POSTCODE_VESTIGING"][:4]
        if pc4 not in points or code in seen:
            continue
        seen.add(code)
        total = totals.get(code) or rng.randint(40, 400)
        if rng.random() < 0.05:
            total = max(5, total + rng.randint(-25, 25))  # cells of another total than DUO's
        counts = _homes(rng, total, pc4, nearest[pc4])
        if school["PROVINCIE"] in BORDER and rng.random() < 0.3:
            counts["10:Duitsland" if rng.random() < 0.5 else "20:België"] += rng.randint(1, 6)
        if rng.random() < 0.2:
            counts["30:ander land"] += rng.randint(1, 3)
        if rng.random() < 0.4:
            counts["40:Onbekend"] += rng.randint(1, 8)
        for home, n in sorted(counts.items()):
            postcode, _, naam = home.partition(":") if ":" in home else (home, "", gemeente_of.get(home, ""))
            row = [
                "20241001", school["GEMEENTENUMMER"], school["GEMEENTENAAM"], postcode, naam or "Onbekend",
                school["INSTELLINGSCODE"], school["VESTIGINGSCODE"], school["INSTELLINGSNAAM_VESTIGING"],
                school["POSTCODE_VESTIGING"], school["PLAATSNAAM"], school["PROVINCIE"], school["SOORT_PO"],
                school["DENOMINATIE_VESTIGING"], school["BEVOEGD_GEZAG_NUMMER"], *_cells(rng, n),
            ]  # fmt: skip
            files[school["GEMEENTENAAM"]].append(row)
    out.mkdir(parents=True, exist_ok=True)
    for gemeente, rows in sorted(files.items()):
        with open(out / f"{gemeente} afgeschermd.csv", "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL)
            writer.writerow(HEADER)
            writer.writerows(rows)
        written += len(rows)
    return written


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
    args = ap.parse_args()
    print(f"{make(args.shared, args.out)} rows written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
