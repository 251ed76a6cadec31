"""What the test modules share: where the data is, the mark for tests that need the open data,
small helpers, and the zorg sheets' example files that the HSDS tests start from too.

Kept in a module of its own, not in a test module, so that no test module imports another:
a test module is free to change its own tests and data without breaking someone else's, and
pytest never imports a test module for what it holds besides tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from graph.records import Batch, EdgeRecord, NodeKey, NodeRecord
from graph.store import GraphStore

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "tests" / "data" / "kennemerland-stub.jsonl"  # small, stable: tests count on it
SHARED_DATA = REPO.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEST_URI = "SOCIALE_KAART_TEST_NEO4J_URI"

needs_shared = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason=f"integration test: needs the open data in {SHARED_DATA}"
)


def all_files() -> list[Path]:
    """Every data file of ../shared/data (its READMEs left out): the national import."""
    files = [p for p in SHARED_DATA.rglob("*") if p.is_file()]
    return sorted(p for p in files if p.suffix != ".md")


def dump(store: GraphStore) -> dict[str, object]:
    """Everything a store holds, in a form two backends can be compared by."""
    from graph.schema import NODE_KINDS

    return {
        "nodes": {k: [(n.id, dict(n.props)) for n in store.nodes(k)] for k in NODE_KINDS},
        "edges": [(str(e.src), e.rel, str(e.dst), dict(e.props)) for e in store.edges()],
    }


TEST_PROV = {"source": "test", "source_date": "2026", "import_id": "t"}


def build_graph(store: GraphStore, nodes: list[tuple[str, str, dict[str, Any]]], edges: list[tuple]) -> None:
    """A small made-up graph in one batch: nodes as (kind, id, props), edges as
    ("Kind:id", REL, "Kind:id"[, props]); every record gets test provenance."""
    batch = Batch()
    for kind, ident, props in nodes:
        batch.add_node(NodeRecord(kind, ident, {**props, **TEST_PROV}))
    for src, rel, dst, *props in edges:
        batch.add_edge(
            EdgeRecord(
                NodeKey(*src.split(":")),
                rel,
                NodeKey(*dst.split(":")),
                {**(props[0] if props else {}), **TEST_PROV},
            )
        )
    store.apply(batch)


# --- the zorg sheets: a good file in the way a gemeente would type it ----------------------

BEHOEFTEN = REPO / "importers" / "reference" / "behoeften.jsonl"

GEBIED = (
    '{"format": "sociale-kaart/1", "source": "test", "source_date": "2025"}\n'
    '{"kind": "Gemeente", "id": "GM0392", "naam": "Haarlem"}\n'
    '{"kind": "Gemeente", "id": "GM0473", "naam": "Zandvoort"}\n'
    '{"kind": "Regio", "id": "JZ11", "soort": "jeugdregio"}\n'
)

AANBOD_HEADER = (
    "aanbieder_id;aanbieder_naam;kvk;agb;website;aanbod_id;aanbod_naam;behoeften;specialismen;"
    "financiering;locatie_naam;straat;postcode;plaats;wachttijd_weken;wachttijd_datum;wachttijd_bron;"
    "fictief\n"
)
#: As Excel writes a Dutch sheet: BOM, semicolons, decimal commas, Dutch dates; one offer at
#: two locations (repeated row), the provider columns repeated on every row.
AANBOD = AANBOD_HEADER + (
    "fictief-spaarne;Jeugdhulp Spaarne (fictief);;;https://spaarne.example;fictief-spaarne-ambulant;"
    "Ambulante begeleiding (fictief);45 dyslexie;Gezinsbegeleiding | Ouderbegeleiding;Jeugdwet;"
    "Hoofdlocatie (fictief);Grote Markt 1;2011 ab;Haarlem;6,5;1-3-2025;website aanbieder (fictief);ja\n"
    "fictief-spaarne;Jeugdhulp Spaarne (fictief);;;https://spaarne.example;fictief-spaarne-ambulant;"
    "Ambulante begeleiding (fictief);45 dyslexie;Gezinsbegeleiding | Ouderbegeleiding;Jeugdwet;"
    "Zandvoort (fictief);Kerkstraat 2;2041;Zandvoort;6,5;1-3-2025;website aanbieder (fictief);ja\n"
    "fictief-kennemer;Kennemer Dyslexiezorg (fictief);12345678;98765432;;fictief-kennemer-dyslexie;"
    "Dyslexiebehandeling (fictief);onderwijs-dyslexie|IJW-45;;Jeugdwet;;;;;;;;true\n"
)
CONTRACTEN = (
    "contract_id,opdrachtgever,aanbieder_id,behoeften,geldig_van,geldig_tot,omschrijving,fictief\n"
    "fictief-jz11-ambulant,JZ11,fictief-spaarne,45,1-1-2025,31-12-2027,Ambulant (fictief),ja\n"
    "fictief-dyslexie,GM0392 GM0473,fictief-kennemer,dyslexie,2025-01-01,,,ja\n"
    "fictief-zandvoort,Zandvoort,fictief-spaarne,45 | 41,2025-01-01,,,ja\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path
