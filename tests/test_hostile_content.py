"""Hostile content (issue 11 point 2): input that fits every limit but says something a
reader would be misled by is refused with file, line and field, and nothing of the run is
applied; an export never hands a spreadsheet a formula.

Each class, on both backends: a CSV column twice, control characters and bidi overrides in
any text in any format, a broken or implausible outline, and formula-like cells in the CSV
export.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from graph.records import NodeKey
from graph.store import GraphStore
from importers.report import ImportFailed, Problem
from importers.run import run_import

from .utils import build_graph, dump

NATIVE_HEADER = '{"format": "sociale-kaart/1", "source": "test", "source_date": "2026-01-01"}\n'


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    """A store that holds something, so that 'unchanged' means more than 'still empty'."""
    build_graph(store, [("Gemeente", "GM0392", {"naam": "Haarlem"}), ("PC4", "2011", {})], [])
    return store


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refused(store: GraphStore, paths: list[Path], caplog: pytest.LogCaptureFixture) -> list[Problem]:
    """Run an import that must fail: its fatal problems. The store is unchanged and no
    traceback was logged."""
    before = dump(store)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ImportFailed) as failed:
        run_import(store, paths)
    assert dump(store) == before
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    return [p for p in failed.value.report.problems if p.fatal]


# -- a CSV column twice -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, column",
    [
        ("gm_code,gm_naam,gm_naam,jaar", "gm_naam"),
        ("gm_code,gm_naam,jaar,GM_Naam ", "gm_naam"),  # the same after the reader's own folding
        ("gm_code;jaar;gm_naam;jaar", "jaar"),
    ],
    ids=["twice", "case-and-space", "semicolons"],
)
def test_csv_column_twice(
    seeded: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture, header: str, column: str
) -> None:
    sep = ";" if ";" in header else ","
    row = sep.join(["GM0392", "Haarlem", "Haarlem", "2025"])
    path = write(tmp_path / "gemeenten.csv", f"{header}\n{row}\n")
    [problem] = refused(seeded, [path], caplog)
    assert (problem.file, problem.line, problem.field) == (str(path), 1, column)
    assert problem.reason == f"kolom '{column}' komt twee keer voor"


def test_csv_column_twice_in_a_data_package(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An HSDS data package's CSV is read by the same reader: the problem names that CSV."""
    folder = tmp_path / "pakket"
    organizations = write(folder / "organizations.csv", "id,name,Name\norg-1,Een (fictief),Twee\n")
    descriptor = {"resources": [{"name": "organization", "path": "organizations.csv"}]}
    path = write(folder / "datapackage.json", json.dumps(descriptor))
    [problem] = refused(store, [path], caplog)
    assert (problem.file, problem.line, problem.field) == (str(organizations), 1, "name")
    assert problem.reason == "kolom 'name' komt twee keer voor"


def test_unnamed_columns_may_repeat(store: GraphStore, tmp_path: Path) -> None:
    """A spreadsheet's empty trailing header cells are no column at all: not refused."""
    path = write(tmp_path / "gemeenten.csv", "gm_code,gm_naam,jaar,,\nGM0392,Haarlem,2025,,\n")
    report = run_import(store, [path])
    assert not report.problems, report.text()
    gemeente = store.node(NodeKey("Gemeente", "GM0392"))
    assert gemeente is not None and gemeente.props["naam"] == "Haarlem"
