"""Offers found by need: the shipped table maps providers' words to the taxonomy, each need
says by which rule, what maps to nothing is listed, and a newer table replaces what an older
one derived; on the real Twente list, at least 90% of the providers are found by some need."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from graph.dated import as_of
from graph.queries.providers_near import providers_near
from graph.records import NodeKey
from graph.store import GraphStore
from importers import koppeling
from importers.run import run_import

from .utils import SHARED_DATA, needs_shared

OFFERS = {
    "generatedAt": "2026-08-22T00:00:00Z",
    "rows": [
        {"p": "Voorbeeld Jeugd (fictief)", "w": "Behandeling autisme", "a": ["Behandeling"], "l": "Enschede",
         "d": "Jeugd", "e": ["Autisme / ASS", "Mindfulness"], "c": "Samen14/Jeugd"},
        {"p": "Voorbeeld Volwassen (fictief)", "w": "Behandeling", "a": ["Behandeling"], "l": "Hengelo",
         "d": "Volwassenen", "e": ["Psychose"], "c": "Zorgverzekering"},
    ],
}  # fmt: skip


def twente(tmp_path: Path) -> Path:
    path = tmp_path / "twente.json"
    path.write_text(json.dumps(OFFERS))
    return path


def needs(store: GraphStore, offer_prefix: str) -> dict[str, str]:
    return {
        e.dst.id: str(e.props.get("regel"))
        for e in as_of(store).edges(rel="VOOR_BEHOEFTE")
        if e.src.kind == "Aanbod" and e.src.id.startswith(offer_prefix)
    }


def test_words_map_to_needs_by_a_named_rule(store: GraphStore, tmp_path: Path) -> None:
    report = run_import(store, [twente(tmp_path)])
    found = needs(store, "twente-voorbeeld-jeugd")
    assert set(found) == {"ijw-45", "onderwijs-autisme"}
    assert all("behoefte-koppeling" in r and "regel" in r for r in found.values())
    assert needs(store, "twente-voorbeeld-volwassen") == {}  # adults, paid by the insurer: no iJw
    [derived] = [f for f in report.files if f.format == koppeling.NAME]
    notes = " ".join(p.reason for p in derived.problems)
    assert "specialismen 'mindfulness'" in notes and "specialismen 'psychose'" in notes
    assert "1 aanbiedingen horen bij geen enkele behoefte" in notes


def test_a_newer_table_replaces_what_the_older_derived(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import(store, [twente(tmp_path)])
    table = koppeling.table_path().read_text(encoding="utf-8")
    newer = tmp_path / "behoefte-koppeling.yaml"
    newer.write_text(
        table.replace("versie: 2026-12-01", "versie: 2027-01-01").replace(
            "behoefte: onderwijs-autisme", "behoefte: onderwijs-gedrag"
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(koppeling, "table_path", lambda: newer)
    gm = tmp_path / "gm.csv"
    gm.write_text("gm_code,gm_naam,jaar\nGM0153,Enschede,2025\n")
    report = run_import(store, [gm])  # no offers, but a newer table: derived again
    assert any(f.format == koppeling.NAME and f.removed for f in report.files)
    after = {
        e.dst.id for e in as_of(store, date(2027, 2, 1)).edges(rel="VOOR_BEHOEFTE") if e.src.kind == "Aanbod"
    }
    assert "onderwijs-gedrag" in after and "onderwijs-autisme" not in after
    assert NodeKey("Bron", koppeling.SCOPE) in {n.key for n in store.nodes("Bron")}


@needs_shared
def test_most_real_twente_providers_are_found_by_some_need(embedded_store: GraphStore) -> None:
    files = [
        SHARED_DATA / n
        for n in ("cbs-gemeenten-2025.csv", "pc4-coordinaten.csv", "jeugdhulp-twente-wachttijden-2026.json")
    ]
    run_import(embedded_store, files)
    providers = {n.id for n in embedded_store.nodes("Zorgaanbieder") if n.id.startswith("twente-")}
    rows = json.loads((SHARED_DATA / "jeugdhulp-twente-wachttijden-2026.json").read_text())["rows"]
    assert len(providers) == len({r["p"] for r in rows}) == 73
    found = set()
    for need in (
        "45",
        "44",
        "46",
        "43",
        "41",
        "autisme",
        "adhd",
        "gedrag",
        "angst-somberheid",
        "verstandelijk",
    ):
        found |= {h.id for h in providers_near(embedded_store, need, "7511", size=200).items}
    assert len(found & providers) / len(providers) >= 0.9
