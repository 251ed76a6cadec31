"""Open Referral HSDS 3.0 (Human Services Data Specification): import and export.

HSDS is the international exchange format for "who offers which service where", so a
sociale kaart that speaks it can take data from other directories and give its own back.
Its objects map onto the graph one to one::

    organization            → Zorgaanbieder    (organization_identifiers: NL-KVK → kvk, AGB → agb)
    service                 → Aanbod           (organization_id → BIEDT; funding → financiering)
    location (+ addresses)  → Locatie          (organization_id → HEEFT_LOCATIE)
    service_at_location     → OP_LOCATIE
    service_area            → BEDIENT          (to the gemeente whose GM code the area names)
    taxonomy_term           → Behoefte         (parent_id → VALT_ONDER)
    attribute               → VOOR_BEHOEFTE    (service_attributes in HSDS 2)
    contact, phone          → Contact          (functional only: a title or department, never a name)

Two serialisations are read, both recognised by content:

* JSON: an object with arrays ``organizations``, ``services``, ``locations``,
  ``service_at_locations``, ``service_areas``, ``taxonomies``, ``taxonomy_terms``,
  ``attributes``, ``contacts``, ``phones`` …, linked by ``*_id`` fields. Objects may also be
  nested the way HSDS 3 compiles them (``service.service_at_locations[].location``,
  ``location.addresses``, ``attribute.taxonomy_term`` …); both are read alike.
* the Tabular Data Package: a ``datapackage.json`` whose resources are HSDS CSV files
  (``organizations.csv``, ``services.csv`` …, matched by resource name or file name).

Facts HSDS has no field for travel as documented extra properties (HSDS allows them),
prefixed ``sk_``: ``sk_fictief`` and ``sk_plaats`` (organization); ``sk_soort``,
``sk_specialismen``, ``sk_wachttijd_weken``, ``sk_wachttijd_datum``, ``sk_wachttijd_bron``
(service; ``wait_time`` holds the same as text); ``sk_stelsel`` (taxonomy_term);
``sk_gebied`` (service_area, as ``Kind:id``); ``sk_website`` (contact); and, at the top,
``sk_source`` and ``sk_source_date`` (provenance). HSDS ids are our node ids, so exporting
and importing again gives the same graph. Contracts have no HSDS object and are not exported.

The work is split by job: :mod:`.tables` (the objects and their names, and :class:`Row`),
:mod:`.read` (files into rows), :mod:`.build` (rows into graph records) and :mod:`.export`
(the graph back into HSDS). This module is the format as :mod:`importers.run` knows it:
``NAME``, ``sniff`` and ``parse``.
"""

from __future__ import annotations

from pathlib import Path

from graph.lifecycle import version_date
from graph.model import Provenance
from importers.base import Context, ParsedFile, file_date
from importers.cells import slug
from importers.hsds.build import build
from importers.hsds.export import TAXONOMY_NAMES, export_datapackage, export_hsds, hsds_tables
from importers.hsds.read import NESTED, flatten, load, load_json, sniff
from importers.hsds.tables import CSV_NAMES, TABLES, Row, Tables
from importers.report import FileReport

NAME = "Open Referral HSDS 3"

__all__ = [
    "CSV_NAMES",
    "NAME",
    "NESTED",
    "TABLES",
    "TAXONOMY_NAMES",
    "Row",
    "Tables",
    "export_datapackage",
    "export_hsds",
    "flatten",
    "hsds_tables",
    "load_json",
    "parse",
    "sniff",
]


def parse(path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
    """Read an HSDS JSON file, a ``datapackage.json``, or a folder holding either: the one
    entry :mod:`importers.run` calls, which also says whose data it is (the file's own
    ``sk_source`` or title) and of which day, so that a newer export of the same directory
    replaces what an older one stated."""
    parsed = ParsedFile(FileReport(file=str(path), format=NAME))
    loaded = load(path, parsed)
    if loaded is None:
        return parsed
    tables, meta = loaded
    parsed.report.rows_read = sum(len(rows) for rows in tables.values())
    source = str(meta.get("sk_source") or meta.get("title") or meta.get("name") or f"HSDS {path.name}")
    when = str(meta.get("sk_source_date") or str(meta.get("created", ""))[:10] or file_date(path))
    prov = Provenance(source=source, source_date=when, import_id=import_id)
    try:
        version = version_date(when)
    except ValueError:
        version = file_date(path)
    # an HSDS file is one directory's version: its source name is its scope
    parsed.source(f"hsds:{slug(source)[:100] or 'bron'}", source, version)
    build(parsed, prov, tables)
    return parsed
