"""The shipped Kennemerland demo: loads cleanly on both backends, covers every kind of
question, marks what is invented, and matches what the importers make of the real data."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import demo_files
from graph.records import NodeKey
from graph.store import GraphStore
from importers.demo_region import KENNEMERLAND
from importers.run import run_import

from .utils import REPO, SHARED_DATA, needs_shared


def test_demo_loads_without_any_problem_and_again_changes_nothing(store: GraphStore) -> None:
    report = run_import(store, demo_files())
    assert report.problems == [], report.text()
    assert not run_import(store, demo_files()).changed
    for code in KENNEMERLAND:
        gemeente = NodeKey("Gemeente", code)
        into = store.edges(rel="LIGT_IN", dst=gemeente)
        assert any(e.src.kind == "PC4" for e in into), code
        assert any(e.src.kind == "School" for e in into), code
        assert any(e.dst.id.startswith("JZ") for e in store.edges(rel="HOORT_BIJ", src=gemeente)), code
    counts = store.counts()
    for kind in (
        "Wijkteam",
        "Zorgaanbieder",
        "Aanbod",
        "Contract",
        "Behoefte",
        "Contact",
        "Swv",
        "Schoolbestuur",
    ):
        assert counts.nodes.get(kind), kind
    assert counts.edges.get("LEERLINGEN_UIT")


def test_invented_things_are_marked_fictional(embedded_store: GraphStore) -> None:
    run_import(embedded_store, demo_files())
    for kind in ("Wijkteam", "Zorgaanbieder", "Contract"):
        for node in embedded_store.nodes(kind):
            assert node.props.get("fictief") is True and "fictief" in str(
                node.props.get("naam", "fictief")
            ), node
    for kind in ("Aanbod", "Locatie", "Contact"):
        for node in embedded_store.nodes(kind):
            assert "fictief" in " ".join(str(v) for v in node.props.values()), node


@needs_shared
def test_demo_files_are_what_the_importers_make_of_the_real_data(tmp_path: Path) -> None:
    """Regenerate the demo from ../shared/data: the committed files must be identical."""
    done = subprocess.run(
        [sys.executable, "scripts/make_demo.py", "--shared", str(SHARED_DATA), "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    committed = sorted((REPO / "importers" / "demo").glob("kennemerland-*.jsonl"))
    made = sorted(tmp_path.glob("kennemerland-*.jsonl"))
    assert [p.name for p in made] == [p.name for p in committed]
    different = [p.name for p in committed if not filecmp.cmp(p, tmp_path / p.name, shallow=False)]
    if different:
        pytest.fail(f"demo out of date, run scripts/make_demo.py: {different}")
