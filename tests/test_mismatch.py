"""The national mismatch report: checked on the demo against the graph itself, on both
backends alike, and on the real data against the regulation's own table."""

from __future__ import annotations

import csv
import dataclasses
from collections import defaultdict
from datetime import date

from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import demo_files
from graph.queries.mismatch import mismatch
from graph.store import GraphStore
from importers.run import run_import

from .utils import REPO, SHARED_DATA, all_files, needs_shared


def test_demo_report(embedded_store: GraphStore) -> None:
    run_import(embedded_store, demo_files())
    report = mismatch(embedded_store)
    po2704 = next(r for r in report.swvs if r.swv == "PO2704")
    assert "JZ11" in po2704.jeugdregios and po2704.scholen > 0 and po2704.besturen > 0
    assert (
        po2704.wijkteams >= 2 and po2704.zorgaanbieders >= 1
    )  # the fictional Haarlem teams and JZ11 contracts
    assert 0 < po2704.buiten_swv_min <= po2704.buiten_swv_max <= po2704.leerlingen_max
    multi = [r.swv for r in report.swvs if len(r.jeugdregios) > 1]
    assert sorted(report.swvs_in_several_jeugdregios) == sorted(multi)
    with TestClient(create_app(embedded_store)) as client:
        body = client.get("/api/v1/mismatch").json()
    assert body == dataclasses.asdict(report)


def test_both_backends_agree(embedded_store: GraphStore, neo4j_store: GraphStore) -> None:
    for store in (embedded_store, neo4j_store):
        run_import(store, demo_files())
    assert dataclasses.asdict(mismatch(embedded_store)) == dataclasses.asdict(mismatch(neo4j_store))


@needs_shared
def test_split_gemeenten_match_the_regulation(embedded_store: GraphStore) -> None:
    """Gemeenten (by CBS 2021 name) whose PC4 areas the regulation puts in several PO SWVs."""
    run_import(embedded_store, [*all_files(), *sorted((REPO / "importers" / "reference").glob("*.jsonl"))])
    report = mismatch(embedded_store)
    with open(SHARED_DATA / "regio-indeling-swv-2015-pc4.csv", newline="") as fh:
        swv_of = {r["pc4"]: r["po_swv"] for r in csv.DictReader(fh) if r["po_swv"].startswith("PO")}
    with open(SHARED_DATA / "cbs-postcodes-2021.csv", encoding="utf-8-sig", newline="") as fh:
        name_of = {r["postcode"]: r["gemeente"] for r in csv.DictReader(fh) if len(r["postcode"]) == 4}
    rotterdam: dict[str, int] = defaultdict(int)
    for pc, swv in swv_of.items():
        if name_of.get(pc) == "Rotterdam":
            rotterdam[swv] += 1
    split = {s.gemeente: s.swvs for s in report.split_gemeenten if s.sector == "PO"}
    assert split["GM0599"] == dict(sorted(rotterdam.items())) and len(rotterdam) > 1


def test_providers_count_when_their_contract_runs_on_the_day(embedded_store: GraphStore) -> None:
    """As in a who-serves answer: a contract that ended does not make a partner."""
    store = embedded_store
    run_import(store, demo_files())
    contracts = {c.id: c.props for c in store.nodes("Contract")}
    buyer = {e.dst.id: e.src.id for e in store.edges(rel="OPDRACHTGEVER_VAN")}
    pc4s = {e.src.id for e in store.edges(rel="IN_WERKGEBIED") if e.dst.id == "PO2704"}
    gemeenten = {e.dst.id for e in store.edges(rel="LIGT_IN") if e.src.kind == "PC4" and e.src.id in pc4s}

    def providers(buyers: set[str], day: str) -> set[str]:
        return {
            e.dst.id
            for e in store.edges(rel="GECONTRACTEERD")
            if buyer.get(e.src.id) in buyers
            and str(contracts[e.src.id].get("geldig_van") or "") <= day
            and day <= str(contracts[e.src.id].get("geldig_tot") or "9999")
        }

    counts = {}
    for day in ("2023-06-01", "2025-10-01"):
        row = next(r for r in mismatch(store, date.fromisoformat(day)).swvs if r.swv == "PO2704")
        counts[day] = row.zorgaanbieders
        assert row.zorgaanbieders == len(providers(gemeenten | set(row.jeugdregios), day))
    assert counts["2023-06-01"] != counts["2025-10-01"]
