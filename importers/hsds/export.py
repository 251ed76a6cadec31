"""Exporting the graph as HSDS: the tables, one JSON file, or a Tabular Data Package.

So that other directories can take the sociale kaart's providers as they take anyone's, and
so that exporting and importing again gives the same graph (which the tests check).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from graph.records import NodeKey
from graph.store import GraphStore
from importers.hsds.tables import CSV_NAMES, TABLES
from importers.tabular import formula_safe

TAXONOMY_NAMES = {
    "ijw": "iJw productcategorieën (Jeugdwet)",
    "onderwijs": "Onderwijsbehoeften (passend onderwijs)",
    "eigen": "Eigen categorieën",
}


#: The relations an export follows, each read once and kept by the node it points to.
_RELATIONS = (
    "BIEDT",
    "HEEFT_LOCATIE",
    "OP_LOCATIE",
    "VOOR_BEHOEFTE",
    "BEDIENT",
    "VALT_ONDER",
    "HEEFT_CONTACT",
)
#: The nodes a contact may belong to, and the HSDS field that links a contact to each.
_OWNERS = {"Zorgaanbieder": "organization_id", "Aanbod": "service_id", "Locatie": "location_id"}


def hsds_tables(store: GraphStore) -> dict[str, list[dict[str, Any]]]:
    """The providers, offers, locations, needs and their contacts of the store as flat HSDS
    tables, linked by ``*_id`` fields and sorted by id, so that two exports of one graph are
    equal."""
    export = _Export(store)
    export.organizations()
    export.services()
    export.locations()
    export.service_areas()
    export.taxonomy()
    export.contacts()
    for rows in export.out.values():
        rows.sort(key=lambda r: str(r["id"]))
    return export.out


class _Export:
    """The HSDS tables of one store, filled one kind of object at a time: each relation is
    read from the store once and shared by every step that needs it."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.edges: dict[str, dict[NodeKey, list[Any]]] = {}
        for rel in _RELATIONS:
            by_dst: dict[NodeKey, list[Any]] = defaultdict(list)
            for e in store.edges(rel=rel):
                by_dst[e.dst].append(e)
            self.edges[rel] = by_dst

    def first(self, rel: str, dst: NodeKey, kind: str) -> str | None:
        """The one HSDS parent id of a node (the lowest, should the graph know several), since
        an HSDS object names one parent where the graph may hold more."""
        srcs = sorted(e.src.id for e in self.edges[rel].get(dst, []) if e.src.kind == kind)
        return srcs[0] if srcs else None

    def organizations(self) -> None:
        """Zorgaanbieders, with their KvK and AGB numbers as organization identifiers."""
        for n in self.store.nodes("Zorgaanbieder"):
            p = n.props
            self.out["organization"].append(
                _clean(
                    id=n.id,
                    name=p.get("naam"),
                    description="",
                    website=p.get("website"),
                    sk_plaats=p.get("plaats"),
                    sk_fictief=bool(p.get("fictief", False)),
                )
            )
            for field_name, scheme, kind in (("kvk", "NL-KVK", "KvK-nummer"), ("agb", "", "AGB-code")):
                if p.get(field_name):
                    self.out["organization_identifier"].append(
                        _clean(
                            id=f"{n.id}-{field_name}",
                            organization_id=n.id,
                            identifier_scheme=scheme,
                            identifier_type=kind,
                            identifier=p[field_name],
                        )
                    )

    def services(self) -> None:
        """Aanbod as services, with their waiting time (as text too) and funding."""
        for n in self.store.nodes("Aanbod"):
            p = n.props
            wait = None
            if "wachttijd_weken" in p:
                wait = (
                    f"{p['wachttijd_weken']:g} weken ".replace(".", ",")
                    + f"(peildatum {p.get('wachttijd_datum')}, bron: {p.get('wachttijd_bron')})"
                )
            self.out["service"].append(
                _clean(
                    id=n.id,
                    organization_id=self.first("BIEDT", n.key, "Zorgaanbieder"),
                    name=p.get("naam"),
                    description=p.get("beschrijving"),
                    url=p.get("website"),
                    status="active",
                    eligibility_description=p.get("doelgroep"),
                    wait_time=wait,
                    sk_soort=p.get("soort"),
                    sk_specialismen=p.get("specialismen"),
                    sk_wachttijd_weken=p.get("wachttijd_weken"),
                    sk_wachttijd_datum=p.get("wachttijd_datum"),
                    sk_wachttijd_bron=p.get("wachttijd_bron"),
                )
            )
            for i, source in enumerate(_list(p.get("financiering")), start=1):
                self.out["funding"].append(
                    {"id": f"{n.id}-financiering-{i}", "service_id": n.id, "source": source}
                )

    def locations(self) -> None:
        """Locaties, with their address and the services given there."""
        for n in self.store.nodes("Locatie"):
            p = n.props
            self.out["location"].append(
                _clean(
                    id=n.id,
                    location_type="physical",
                    organization_id=self.first("HEEFT_LOCATIE", n.key, "Zorgaanbieder"),
                    name=p.get("naam"),
                    latitude=p.get("lat"),
                    longitude=p.get("lon"),
                )
            )
            if any(p.get(k) for k in ("straat", "postcode", "plaats")):
                self.out["address"].append(
                    {
                        "id": f"{n.id}-adres",
                        "location_id": n.id,
                        "address_1": p.get("straat", ""),
                        "city": p.get("plaats", ""),
                        "state_province": "",
                        "postal_code": p.get("postcode", ""),
                        "country": "NL",
                        "address_type": "physical",
                    }
                )
            for e in sorted(self.edges["OP_LOCATIE"].get(n.key, []), key=lambda e: e.src.id):
                self.out["service_at_location"].append(
                    {"id": f"{e.src.id}--{n.id}", "service_id": e.src.id, "location_id": n.id}
                )

    def service_areas(self) -> None:
        """The areas an offer serves, named, with the area's key kept in ``sk_gebied``."""
        edges = self.edges["BEDIENT"]
        names = {}
        for kind in {dst.kind for dst in edges}:
            names.update({n.key: n.props.get("naam") for n in self.store.nodes(kind)})
        for area, found in sorted(edges.items()):
            for e in sorted(found, key=lambda e: e.src.id):
                if e.src.kind != "Aanbod":
                    continue
                self.out["service_area"].append(
                    _clean(
                        id=f"{e.src.id}--{area.kind}-{area.id}",
                        service_id=e.src.id,
                        name=names.get(area) or area.id,
                        extent=area.id,
                        extent_type="text",
                        sk_gebied=str(area),
                    )
                )

    def taxonomy(self) -> None:
        """One taxonomy per stelsel, its needs as terms, and the needs of offers as attributes."""
        behoeften = self.store.nodes("Behoefte")
        for stelsel in sorted({str(n.props.get("stelsel")) for n in behoeften}):
            self.out["taxonomy"].append(
                {
                    "id": f"sociale-kaart-{stelsel}",
                    "name": TAXONOMY_NAMES.get(stelsel, stelsel),
                    "description": "",
                }
            )
        parents = {e.src: e.dst.id for found in self.edges["VALT_ONDER"].values() for e in found}
        for n in behoeften:
            p = n.props
            self.out["taxonomy_term"].append(
                _clean(
                    id=n.id,
                    code=p.get("code"),
                    name=p.get("naam"),
                    description="",
                    parent_id=parents.get(n.key),
                    taxonomy=TAXONOMY_NAMES.get(str(p.get("stelsel")), p.get("stelsel")),
                    taxonomy_id=f"sociale-kaart-{p.get('stelsel')}",
                    sk_stelsel=p.get("stelsel"),
                )
            )
            self._attributes(n.key)

    def _attributes(self, behoefte: NodeKey) -> None:
        for e in sorted(self.edges["VOOR_BEHOEFTE"].get(behoefte, []), key=lambda e: e.src.id):
            if e.src.kind == "Aanbod":
                self.out["attribute"].append(
                    {
                        "id": f"{e.src.id}--{behoefte.id}",
                        "link_id": e.src.id,
                        "link_entity": "service",
                        "link_type": "service_category",
                        "taxonomy_term_id": behoefte.id,
                    }
                )

    def contacts(self) -> None:
        """The contacts of providers, offers and locations, each with its phone."""
        contact_ids = [
            k for k, found in self.edges["HEEFT_CONTACT"].items() if any(e.src.kind in _OWNERS for e in found)
        ]
        for n in self.store.nodes("Contact", [k.id for k in contact_ids]):
            p = n.props
            links = {_OWNERS[kind]: self.first("HEEFT_CONTACT", n.key, kind) for kind in _OWNERS}
            self.out["contact"].append(
                _clean(
                    id=n.id, **links, title=p.get("rol"), email=p.get("email"), sk_website=p.get("website")
                )
            )
            if p.get("telefoon"):
                self.out["phone"].append(
                    {"id": f"{n.id}-telefoon", "contact_id": n.id, "number": p["telefoon"], "type": "voice"}
                )


def export_hsds(store: GraphStore, path: Path, source: str = "sociale-kaart export") -> dict[str, int]:
    """Write the store's providers as one HSDS 3 JSON file, for directories that take HSDS
    as JSON; returns the count per table, which the CLI reports.

    Objects that belong to one parent only are nested in it as HSDS 3 does (a location's
    addresses, a service's attributes and funding, an organization's identifiers, a contact's
    phones); the rest are top-level arrays linked by id.
    """
    tables = hsds_tables(store)
    nest = (
        ("address", "location", "location_id", "addresses"),
        ("organization_identifier", "organization", "organization_id", "organization_identifiers"),
        ("funding", "service", "service_id", "funding"),
        ("attribute", "service", "link_id", "attributes"),
        ("phone", "contact", "contact_id", "phones"),
    )
    nested = {t: [dict(r) for r in rows] for t, rows in tables.items()}
    for child, parent, link, key in nest:
        holders = {r["id"]: r for r in nested[parent]}
        for row in nested.pop(child):
            holder = holders[row.pop(link)]
            if child == "attribute":
                row.pop("link_entity")
            holder.setdefault(key, []).append(row)
    document: dict[str, Any] = {
        "sk_format": "Open Referral HSDS 3.0, exported by sociale-kaart",
        "sk_source": source,
        "sk_source_date": date.today().isoformat(),
    }
    document.update({TABLES[t][0]: rows for t, rows in nested.items()})
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {t: len(rows) for t, rows in tables.items()}


def export_datapackage(
    store: GraphStore, folder: Path, source: str = "sociale-kaart export"
) -> dict[str, int]:
    """Write the store's providers as an HSDS Tabular Data Package: one CSV per object and a
    ``datapackage.json``; lists are ``a|b`` in a cell. For those who read HSDS in a
    spreadsheet, and for directories that take only the CSV form; returns the count per table."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = hsds_tables(store)
    resources = []
    for table, rows in tables.items():
        columns = list(dict.fromkeys(k for r in rows for k in r)) or ["id"]
        with open(folder / CSV_NAMES[table], "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            for r in rows:
                writer.writerow([_cell(r.get(c)) for c in columns])
        resources.append(
            {
                "name": table,
                "path": CSV_NAMES[table],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "schema": {"fields": [{"name": c, "type": _field_type(rows, c)} for c in columns]},
            }
        )
    descriptor = {
        "name": "sociale-kaart-hsds",
        "title": "Sociale kaart: zorgaanbieders en aanbod (Open Referral HSDS 3.0)",
        "profile": "tabular-data-package",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "sk_source": source,
        "sk_source_date": date.today().isoformat(),
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return {t: len(rows) for t, rows in tables.items()}


def _clean(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != []}


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _cell(value: object) -> str:
    """A value as a CSV cell: text that a spreadsheet would take for a formula is escaped
    (:func:`~importers.tabular.formula_safe`); numbers and booleans are never text here."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return formula_safe("|".join(str(v) for v in value))
    return formula_safe(str(value))


def _field_type(rows: list[dict[str, Any]], column: str) -> str:
    values = [r[column] for r in rows if r.get(column) is not None]
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "number"
    return "string"  # lists too: a|b in a cell
