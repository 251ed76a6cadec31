"""Pupil flows right nationally: a national-size set of DUO pupil files (bench/pupil_files.py:
every real PO school, invented pupils), imported on both backends, against the rows counted
here straight from the CSV files: abroad counted as living outside, unknown postcodes apart,
the home gemeente from DUO's own column, the masked ranges tightened by each school's total."""

from __future__ import annotations

import csv
import json
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

from bench.pupil_files import make
from graph.queries.mismatch import mismatch
from graph.queries.pupils import METHODE
from graph.store import GraphStore
from importers.run import run_import

from .utils import SHARED_DATA, needs_shared

NEEDED = (
    "cbs-gemeenten-2025.csv",
    "pc4-gemeente-2024.csv",
    "duo-vestigingen-2024-11.geo.zip",
    "duo-po-vestigingen-bevoegd-gezag-2024.csv",
)
ABROAD = ("Duitsland", "België", "ander land")


@pytest.fixture(scope="module")
def pupil_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("leerlingen")
    assert make(SHARED_DATA, folder) > 100_000  # a national-size set
    return folder


class Cells:
    """The cells of one school, as the CSV has them: exact sums and masked counts per group."""

    def __init__(self) -> None:
        self.groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, group: str, row: dict[str, str]) -> None:
        for col, value in row.items():
            if col.startswith("LEEFTIJD_"):
                if value == "<5":
                    self.groups[group][1] += 1
                else:
                    self.groups[group][0] += int(value)

    def span(self, names: tuple[str, ...], total: int | None) -> tuple[int, int]:
        bekend = sum(self.groups[g][0] for g in names)
        a = sum(self.groups[g][1] for g in names)
        all_known = sum(v[0] for v in self.groups.values())
        m = sum(v[1] for v in self.groups.values())
        if total is not None and m <= total - all_known <= 4 * m:
            rest = total - all_known
            return bekend + max(a, rest - 4 * (m - a)), bekend + min(4 * a, rest - (m - a))
        return bekend + a, bekend + 4 * a


def expected_flows(folder: Path) -> dict[str, dict[str, tuple[int, int]]]:
    with open(SHARED_DATA / "cbs-gemeenten-2025.csv", encoding="utf-8-sig", newline="") as fh:
        code_of = {r["gm_naam"]: r["gm_code"] for r in csv.DictReader(fh)}
    with zipfile.ZipFile(SHARED_DATA / "duo-vestigingen-2024-11.geo.zip") as zf:
        features = json.loads(zf.read(zf.namelist()[0]))["features"]
    totals = {f["properties"]["vestigingscode"]: f["properties"]["leerlingen"] for f in features}
    schools: dict[str, Cells] = defaultdict(Cells)
    gemeente_of: dict[str, str] = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh, delimiter=";"):
                school = row["INSTELLINGSCODE"] + row["VESTIGINGSCODE"]
                gm = f"GM{row['GEMEENTENUMMER']}"
                gemeente_of[school] = gm
                home = row["GEMEENTENAAM_LEERLING"]
                group = "buitenland" if home in ABROAD else "onbekend" if home == "Onbekend" else (
                    "binnen" if code_of.get(home) == gm else "buiten"
                )  # fmt: skip
                schools[school].add(group, row)
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for school, cells in schools.items():
        row = out.setdefault(gemeente_of[school], {})
        total = totals.get(school)
        for name, groups in (
            ("leerlingen", ("binnen", "buiten", "buitenland", "onbekend")),
            ("buiten", ("buiten", "buitenland")),
            ("buitenland", ("buitenland",)),
            ("onbekend", ("onbekend",)),
        ):
            low, high = cells.span(groups, total)
            before = row.get(name, (0, 0))
            row[name] = (before[0] + low, before[1] + high)
    return out


@needs_shared
def test_national_pupil_flows_match_the_rows(store: GraphStore, pupil_files: Path) -> None:
    report = run_import(store, [*(SHARED_DATA / n for n in NEEDED), pupil_files])
    assert not [p for p in report.problems if p.fatal]
    flows = {f.gemeente: f for f in mismatch(store).pupil_flows_per_gemeente}
    expected = expected_flows(pupil_files)
    assert flows.keys() == expected.keys() and len(flows) > 300
    for gm, want in expected.items():
        got = flows[gm]
        for name, (low, high) in want.items():
            assert (getattr(got, f"{name}_min"), getattr(got, f"{name}_max")) == (low, high), (gm, name)
    assert sum(f.buitenland_max for f in flows.values()) > 0  # abroad is counted, never dropped
    assert sum(f.onbekend_max for f in flows.values()) > 0  # unknown postcodes apart
    tightened = sum(f.scholen_aangescherpt for f in flows.values())
    assert 0.8 < tightened / sum(f.scholen for f in flows.values()) < 1.0  # most totals fit, not all
    groningen = flows["GM0014"]
    assert groningen.leerlingen_max - groningen.leerlingen_min < (groningen.leerlingen_min + 3) // 10
    assert "aangescherpt" in METHODE and mismatch(store).methode_leerlingen == METHODE
