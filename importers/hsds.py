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
"""

from __future__ import annotations

import csv
import json
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from json import decoder as json_decoder
from json import scanner as json_scanner
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph import ids
from graph.lifecycle import version_date
from graph.model import Provenance, normalise_id
from graph.needs import STELSELS
from graph.records import NodeKey
from graph.store import GraphStore
from importers.base import Context, ParsedFile, file_date
from importers.cells import decimal, parse_date, yes_no
from importers.columns import add_mapped
from importers.native import slug
from importers.report import FileReport, Problem
from importers.tabular import read_table

NAME = "Open Referral HSDS 3"

#: Our table names (HSDS object names) and every name a file, key or resource may use.
TABLES: dict[str, tuple[str, ...]] = {
    "organization": ("organizations", "organization"),
    "service": ("services", "service"),
    "location": ("locations", "location"),
    "service_at_location": (
        "service_at_locations",
        "service_at_location",
        "services_at_location",
        "services_at_locations",
    ),
    "service_area": ("service_areas", "service_area"),
    "taxonomy": ("taxonomies", "taxonomy"),
    "taxonomy_term": ("taxonomy_terms", "taxonomy_term"),
    "attribute": (
        "attributes",
        "attribute",
        "service_attributes",
        "service_attribute",
        "other_attributes",
        "other_attribute",
    ),
    "contact": ("contacts", "contact"),
    "phone": ("phones", "phone"),
    "address": (
        "addresses",
        "address",
        "addresss",
        "physical_addresses",
        "physical_address",
        "postal_addresses",
        "postal_address",
    ),
    "organization_identifier": ("organization_identifiers", "organization_identifier"),
    "funding": ("funding", "fundings"),
}
_ALIAS = {alias: table for table, aliases in TABLES.items() for alias in aliases}

#: File names of the export's data package.
CSV_NAMES = {table: f"{aliases[0]}.csv" for table, aliases in TABLES.items()}

_MANY, _ONE = "many", "one"
#: Objects nested in others, as HSDS 3 compiles them: (key, child table, how, link field).
#: ``many``: a list of children that get the parent's id in the link field; ``one``: a single
#: child whose id the parent keeps in the link field.
NESTED: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "organization": (
        ("services", "service", _MANY, "organization_id"),
        ("locations", "location", _MANY, "organization_id"),
        ("contacts", "contact", _MANY, "organization_id"),
        ("phones", "phone", _MANY, "organization_id"),
        ("organization_identifiers", "organization_identifier", _MANY, "organization_id"),
        ("funding", "funding", _MANY, "organization_id"),
        ("fundings", "funding", _MANY, "organization_id"),
        ("attributes", "attribute", _MANY, "link_id"),
    ),
    "service": (
        ("organization", "organization", _ONE, "organization_id"),
        ("service_at_locations", "service_at_location", _MANY, "service_id"),
        ("service_areas", "service_area", _MANY, "service_id"),
        ("contacts", "contact", _MANY, "service_id"),
        ("phones", "phone", _MANY, "service_id"),
        ("funding", "funding", _MANY, "service_id"),
        ("fundings", "funding", _MANY, "service_id"),
        ("attributes", "attribute", _MANY, "link_id"),
    ),
    "service_at_location": (
        ("service", "service", _ONE, "service_id"),
        ("location", "location", _ONE, "location_id"),
        ("contacts", "contact", _MANY, "service_at_location_id"),
        ("phones", "phone", _MANY, "service_at_location_id"),
    ),
    "location": (
        ("addresses", "address", _MANY, "location_id"),
        ("addresss", "address", _MANY, "location_id"),
        ("contacts", "contact", _MANY, "location_id"),
        ("phones", "phone", _MANY, "location_id"),
        ("attributes", "attribute", _MANY, "link_id"),
    ),
    "contact": (("phones", "phone", _MANY, "contact_id"),),
    "attribute": (("taxonomy_term", "taxonomy_term", _ONE, "taxonomy_term_id"),),
    "taxonomy_term": (
        ("taxonomy_detail", "taxonomy", _ONE, "taxonomy_id"),
        ("taxonomy", "taxonomy", _ONE, "taxonomy_id"),  # an object in early 3.0 drafts
    ),
}

TAXONOMY_NAMES = {
    "ijw": "iJw productcategorieën (Jeugdwet)",
    "onderwijs": "Onderwijsbehoeften (passend onderwijs)",
    "eigen": "Eigen categorieën",
}
_GM = re.compile(r"\bGM\d{4}\b", re.IGNORECASE)
_NEED = re.compile(r"^[a-z]+-[a-z0-9-]+$")
_INACTIVE = ("inactive", "defunct")
#: What an HSDS 2 other_attribute may classify (its link_type)
_HSDS2_LINKED = {
    "organization",
    "program",
    "service",
    "service_at_location",
    "location",
    "phone",
    "contact",
    "physical_address",
    "postal_address",
    "schedule",
    "funding",
    "eligibility",
    "service_area",
    "required_document",
    "payment_accepted",
    "language",
    "accessibility_for_disabilities",
}


@dataclass
class Row:
    """One HSDS object, flat: its fields, and where it was read (for the problem report)."""

    table: str
    file: str
    line: int
    data: dict[str, Any]

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if value is None or isinstance(value, (dict, list)):
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value).strip()


Tables = dict[str, list[Row]]


# --- reading -------------------------------------------------------------------------------


def sniff(path: Path) -> bool:
    """A JSON object with HSDS arrays, or a data package descriptor naming HSDS CSV files."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536).decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    if not head.lstrip().startswith("{"):
        return False
    if re.search(r'"resources"\s*:', head):
        return bool(re.search(r"(organizations|services|taxonomy_terms)\.csv", head))
    keys = "|".join(a for t in ("organization", "service", "location", "taxonomy_term") for a in TABLES[t])
    return bool(re.search(rf'"(?:{keys}|service_at_locations|service_areas)"\s*:\s*\[', head))


def parse(path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
    """Read an HSDS JSON file, a ``datapackage.json``, or a folder holding either."""
    parsed = ParsedFile(FileReport(file=str(path), format=NAME))
    loaded = _load(path, parsed)
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
    _Builder(parsed, prov, tables).run()
    return parsed


def _load(path: Path, parsed: ParsedFile) -> tuple[Tables, dict[str, Any]] | None:
    if path.is_dir():
        descriptor = path / "datapackage.json"
        if descriptor.is_file():
            path = descriptor
        else:
            return _load_package(path, {}, parsed), {}
    try:
        document = load_json(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        parsed.problem(None, "", "", f"not valid UTF-8: {exc.reason}")
        return None
    except json.JSONDecodeError as exc:
        parsed.problem(exc.lineno, "", "", f"not valid JSON: {exc.msg}")
        return None
    if not isinstance(document, dict):
        parsed.problem(1, "", "", "an HSDS file must hold one JSON object")
        return None
    if isinstance(document.get("resources"), list):
        return _load_package(path.parent, document, parsed), document
    return flatten(document, str(path), parsed), document


class _Located(dict[str, Any]):
    """A JSON object that remembers the line it starts on."""

    line = 1


def load_json(text: str) -> Any:
    """``json.loads``, but every object knows its line, so that a problem can name it."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    dec = json.JSONDecoder()

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[dict[str, Any], int]:
        obj, end = json_decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined]
        located = _Located(obj)
        located.line = bisect_left(breaks, s_and_end[1]) + 1
        return located, end

    # the pure-Python scanner, told to call parse_object (the C one would bypass it)
    dec.parse_object = parse_object  # type: ignore[attr-defined]
    dec.scan_once = json_scanner.py_make_scanner(dec)  # type: ignore[attr-defined]
    return dec.decode(text)


def flatten(document: dict[str, Any], file: str, parsed: ParsedFile) -> Tables:
    """Every object of the document in its own table, nested ones linked by id."""
    tables: Tables = defaultdict(list)
    for key, value in document.items():
        table = _ALIAS.get(key)
        if table is None:
            continue
        if not isinstance(value, list):
            parsed.problem(_line(document), key, "", f"'{key}' must be an array of {table} objects")
            continue
        for item in value:
            _collect(table, item, {}, file, tables, parsed)
    return tables


def _collect(
    table: str, obj: object, links: dict[str, Any], file: str, tables: Tables, parsed: ParsedFile
) -> Row | None:
    if not isinstance(obj, dict):
        parsed.problem(None, table, str(obj)[:40], f"a {table} must be a JSON object")
        return None
    nested = NESTED.get(table, ())
    data = {k: v for k, v in obj.items() if k not in {n[0] for n in nested} or not _is_nested(v)}
    for k, v in links.items():
        data.setdefault(k, v)
    row = Row(table, file, _line(obj), data)
    tables[table].append(row)
    for key, child, how, link in nested:
        value = obj.get(key)
        if not _is_nested(value):
            continue
        if how == _ONE:
            kid = _collect(child, value, {}, file, tables, parsed)
            if kid is not None and kid.data.get("id") is not None:
                data.setdefault(link, kid.data["id"])
            continue
        if not isinstance(value, list):
            parsed.problem(row.line, f"{table}.{key}", "", f"'{key}' must be an array")
            continue
        extra: dict[str, Any] = {link: data.get("id")}
        if child == "attribute":
            extra["link_entity"] = table
        for item in value:
            _collect(child, item, extra, file, tables, parsed)
    return row


def _is_nested(value: object) -> bool:
    return isinstance(value, (dict, list))


def _line(obj: object) -> int:
    return getattr(obj, "line", 1)


def _load_package(folder: Path, descriptor: dict[str, Any], parsed: ParsedFile) -> Tables:
    """The CSV resources of a data package; without a descriptor, the HSDS file names."""
    tables: Tables = defaultdict(list)
    resources: list[tuple[str, str]] = []
    for res in descriptor.get("resources", []):
        if isinstance(res, dict) and isinstance(res.get("path"), str):
            resources.append((str(res.get("name", "")), res["path"]))
    if not descriptor:
        resources = [(p.stem, p.name) for p in sorted(folder.glob("*.csv"))]
    ignored = []
    for name, rel in resources:
        table = _ALIAS.get(name.lower()) or _ALIAS.get(Path(rel).stem.lower())
        if table is None:
            ignored.append(rel)
            continue
        target = (folder / rel).resolve()
        if re.match(r"^[a-z]+://", rel) or not target.is_relative_to(folder.resolve()):
            parsed.problem(None, "resources.path", rel, "only CSV files inside the package folder are read")
            continue
        if not target.is_file():
            parsed.problem(None, "resources.path", rel, "the package names this file, but it is missing")
            continue
        kind = next((k for k in ("physical", "postal") if Path(rel).stem.lower().startswith(k)), None)
        for line, values in read_table(target).rows:
            data = {k: v for k, v in values.items() if v != ""}
            if table == "address" and kind:  # HSDS 2 kept the kind of address in the file name
                data.setdefault("address_type", kind)
            tables[table].append(Row(table, str(target), line, data))
    if ignored:
        parsed.problem(
            None,
            "resources",
            ", ".join(ignored),
            "resources without a graph counterpart, not read",
            fatal=False,
        )
    return tables


# --- building the graph ----------------------------------------------------------------------


@dataclass
class _Builder:
    parsed: ParsedFile
    prov: Provenance
    tables: Tables
    #: per node kind: HSDS id → key of the node built from it
    known: dict[str, dict[str, NodeKey]] = field(default_factory=lambda: defaultdict(dict))
    #: per node kind: HSDS ids that are in the file but gave no node (invalid or inactive)
    dropped: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def run(self) -> None:
        self._terms()
        self._organizations()
        self._services()
        self._locations()
        self._links()
        self._contacts()

    # helpers

    def problem(self, row: Row, name: str, value: object, reason: str, *, fatal: bool = True) -> None:
        text = "" if value is None else str(value)
        self.parsed.report.problems.append(
            Problem(row.file, row.line, f"{row.table}.{name}", text, reason, fatal)
        )

    def node(self, row: Row, kind: str, data: dict[str, Any], columns: dict[str, str]) -> NodeKey | None:
        mapped = {k: v if "." in v else f"{row.table}.{v}" for k, v in columns.items()}
        key = add_mapped(self.parsed, row.line, kind, data, self.prov, mapped, file=row.file)
        hsds_id = row.text("id")
        if key is None:
            self.dropped[kind].add(hsds_id)
        else:
            self.known[kind][hsds_id] = key
        return key

    def ref(self, row: Row, kind: str, name: str) -> NodeKey | None:
        """The node an ``*_id`` field points to: built from this file, or (if the id is valid)
        one the store must already hold, which the store checks."""
        raw = row.text(name)
        if not raw or raw in self.dropped[kind]:
            return None
        if raw in self.known[kind]:
            return self.known[kind][raw]
        try:
            return NodeKey(kind, normalise_id(kind, raw))
        except (ValidationError, ValueError):
            self.problem(row, name, raw, f"not in this file, and not a valid {kind} id")
            return None

    def edge(self, row: Row, rel: str, van: NodeKey | None, naar: NodeKey | None) -> None:
        if van is not None and naar is not None:
            self.parsed.add_relation(row.line, rel, van, naar, self.prov)

    def by(self, table: str, link: str) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = defaultdict(list)
        for row in self.tables.get(table, []):
            if row.text(link):
                out[row.text(link)].append(row)
        return out

    # objects

    def _terms(self) -> None:
        taxonomies = {r.text("id"): r for r in self.tables.get("taxonomy", [])}
        rows = self.tables.get("taxonomy_term", [])
        for row in rows:
            stelsel = _stelsel(row, taxonomies)
            hsds_id = row.text("id")
            code = row.text("code") or (hsds_id.split("-", 1)[1] if _NEED.match(hsds_id) else hsds_id)
            ident = hsds_id if _NEED.match(hsds_id) and hsds_id.startswith(f"{stelsel}-") else ""
            ident = ident or f"{stelsel}-{_slug(code)}"
            naam = row.text("name") or row.text("term")  # HSDS 2 called the name 'term'
            data = {"id": ident, "naam": naam, "stelsel": stelsel, "code": code}
            self.node(row, "Behoefte", data, {"id": "id", "naam": "name", "code": "code"})
        for row in rows:
            if row.text("parent_id"):
                child = self.known["Behoefte"].get(row.text("id"))
                self.edge(row, "VALT_ONDER", child, self._term(row, "parent_id"))

    def _term(self, row: Row, name: str) -> NodeKey | None:
        raw = row.text(name)
        if raw in self.known["Behoefte"] or raw in self.dropped["Behoefte"]:
            return self.known["Behoefte"].get(raw)
        if _NEED.match(raw):  # a need of our taxonomy, kept in the store
            return NodeKey("Behoefte", raw)
        self.problem(
            row, name, raw, "this taxonomy term is not in the file and is not a sociale-kaart need id"
        )
        return None

    def _organizations(self) -> None:
        identifiers = self.by("organization_identifier", "organization_id")
        for row in self.tables.get("organization", []):
            data = _present(
                id=row.text("id"),
                naam=row.text("name"),
                website=row.text("website") or row.text("url"),
                plaats=row.text("sk_plaats"),
            )
            columns = {"id": "id", "naam": "name", "website": "website", "plaats": "sk_plaats"}
            if row.text("sk_fictief"):
                try:
                    data["fictief"] = yes_no(row.text("sk_fictief"))
                except ValueError as exc:
                    self.problem(row, "sk_fictief", row.text("sk_fictief"), str(exc))
            for ident in identifiers.get(row.text("id"), []):
                scheme, kind = ident.text("identifier_scheme").upper(), ident.text("identifier_type").lower()
                if scheme == "NL-KVK" or "kvk" in kind or "kamer van koophandel" in kind:
                    data["kvk"] = ident.text("identifier")
                    columns["kvk"] = "organization_identifier.identifier"
                elif "AGB" in scheme or "agb" in kind:
                    data["agb"] = ident.text("identifier")
                    columns["agb"] = "organization_identifier.identifier"
            self.node(row, "Zorgaanbieder", data, columns)

    def _services(self) -> None:
        funding = self.by("funding", "service_id")
        for row in self.tables.get("service", []):
            status = row.text("status").lower()
            if status in _INACTIVE:
                self.dropped["Aanbod"].add(row.text("id"))
                self.problem(
                    row, "status", status, "an offer that is no longer given: not imported", fatal=False
                )
                continue
            data = _present(
                id=row.text("id"),
                naam=row.text("name"),
                beschrijving=row.text("description"),
                website=row.text("url"),
                doelgroep=row.text("eligibility_description"),
                soort=row.text("sk_soort"),
                specialismen=_values(row.data.get("sk_specialismen")),
                financiering=_unique(f.text("source") for f in funding.get(row.text("id"), [])),
                wachttijd_bron=row.text("sk_wachttijd_bron"),
            )
            if not self._waiting_time(row, data):
                self.dropped["Aanbod"].add(row.text("id"))
                continue
            columns = {
                "id": "id",
                "naam": "name",
                "beschrijving": "description",
                "website": "url",
                "doelgroep": "eligibility_description",
                "financiering": "funding",
                "": "sk_wachttijd_weken",
            }
            aanbod = self.node(row, "Aanbod", data, columns)
            if aanbod is None:
                continue
            if not row.text("organization_id"):
                self.problem(row, "organization_id", "", "an offer without a provider", fatal=False)
            self.edge(row, "BIEDT", self.ref(row, "Zorgaanbieder", "organization_id"), aanbod)

    def _waiting_time(self, row: Row, data: dict[str, Any]) -> bool:
        weeks, when = row.text("sk_wachttijd_weken"), row.text("sk_wachttijd_datum")
        if not weeks:
            if row.text("wait_time"):
                self.problem(
                    row,
                    "wait_time",
                    row.text("wait_time"),
                    "free text waiting time not imported: the graph keeps a waiting time only as "
                    "weeks with a date and a source (sk_wachttijd_weken, _datum, _bron)",
                    fatal=False,
                )
            return True
        ok = True
        try:
            data["wachttijd_weken"] = decimal(weeks)
        except ValueError:
            self.problem(row, "sk_wachttijd_weken", weeks, "not a number of weeks")
            ok = False
        try:
            data["wachttijd_datum"] = parse_date(when)
        except ValueError as exc:
            reason = str(exc) if when else "a waiting time needs the date it was measured"
            self.problem(row, "sk_wachttijd_datum", when, reason)
            ok = False
        if not row.text("sk_wachttijd_bron"):
            self.problem(row, "sk_wachttijd_bron", "", "a waiting time needs its source")
            ok = False
        return ok

    def _locations(self) -> None:
        addresses = self.by("address", "location_id")
        for row in self.tables.get("location", []):
            data = _present(id=row.text("id"), naam=row.text("name"))
            columns = {"id": "id", "naam": "name", "lat": "latitude", "lon": "longitude"}
            ok = True
            for ours, theirs in (("lat", "latitude"), ("lon", "longitude")):
                if row.text(theirs):
                    try:
                        data[ours] = decimal(row.text(theirs))
                    except ValueError:
                        self.problem(row, theirs, row.text(theirs), "not a number in decimal degrees")
                        ok = False
            found = addresses.get(row.text("id"), [])
            found.sort(key=lambda a: a.text("address_type").lower() != "physical")
            if found:
                address = found[0]
                data.update(_present(straat=address.text("address_1"), plaats=address.text("city")))
                if address.text("postal_code"):
                    try:
                        data["postcode"] = ids.postcode(address.text("postal_code"))
                    except ids.IdentifierError as exc:
                        self.problem(address, "postal_code", address.text("postal_code"), str(exc))
                        ok = False
            if not ok:
                self.dropped["Locatie"].add(row.text("id"))
                continue
            locatie = self.node(row, "Locatie", data, columns)
            if locatie is not None:
                self.edge(row, "HEEFT_LOCATIE", self.ref(row, "Zorgaanbieder", "organization_id"), locatie)

    def _links(self) -> None:
        for row in self.tables.get("service_at_location", []):
            aanbod = self.ref(row, "Aanbod", "service_id")
            self.edge(row, "OP_LOCATIE", aanbod, self.ref(row, "Locatie", "location_id") if aanbod else None)
        for row in self.tables.get("attribute", []):
            # HSDS 3 names the linked object in link_entity; HSDS 2 other_attributes in link_type
            named = row.text("link_type").lower()
            entity = (row.text("link_entity") or (named if named in _HSDS2_LINKED else "service")).lower()
            if entity != "service":
                self.problem(
                    row,
                    "link_entity",
                    entity,
                    "only the needs of services are imported (VOOR_BEHOEFTE)",
                    fatal=False,
                )
                continue
            row.data.setdefault("link_id", row.data.get("service_id"))
            aanbod = self.ref(row, "Aanbod", "link_id")
            if aanbod is not None and row.text("taxonomy_term_id"):
                self.edge(row, "VOOR_BEHOEFTE", aanbod, self._term(row, "taxonomy_term_id"))
        for row in self.tables.get("service_area", []):
            aanbod = self.ref(row, "Aanbod", "service_id")
            if aanbod is not None:
                self.edge(row, "BEDIENT", aanbod, self._area(row))

    def _area(self, row: Row) -> NodeKey | None:
        if row.text("sk_gebied"):
            try:
                key = NodeKey.parse(row.text("sk_gebied"))
                return NodeKey(key.kind, normalise_id(key.kind, key.id))
            except (ValidationError, ValueError) as exc:
                self.problem(row, "sk_gebied", row.text("sk_gebied"), f"not an area as Kind:id: {exc}")
                return None
        for name in ("extent", "uri", "name", "description"):
            m = _GM.search(row.text(name))
            if m:
                return NodeKey("Gemeente", m.group(0).upper())
        self.problem(
            row,
            "extent",
            row.text("name")[:60],
            "no gemeentecode (GM0000) in this service area: the area is not linked",
            fatal=False,
        )
        return None

    def _contacts(self) -> None:
        phones = self.by("phone", "contact_id")
        places = self.by("service_at_location", "id")
        names = 0
        for row in self.tables.get("contact", []):
            names += bool(row.text("name"))
            rol = row.text("title") or row.text("department")
            if not rol:
                self.dropped["Contact"].add(row.text("id"))
                self.problem(
                    row,
                    "title",
                    "",
                    "a contact without a function (title or department) is not imported: the sociale "
                    "kaart keeps functional contacts, never persons",
                    fatal=False,
                )
                continue
            numbers = [p.text("number") for p in phones.get(row.text("id"), []) if p.text("number")]
            data = _present(
                id=row.text("id"),
                rol=rol,
                email=row.text("email"),
                telefoon=numbers[0] if numbers else "",
                website=row.text("sk_website"),
            )
            columns = {
                "id": "id",
                "rol": "title",
                "email": "email",
                "telefoon": "phones",
                "website": "sk_website",
            }
            self._owned(row, self.node(row, "Contact", data, columns), places)
        for row in self.tables.get("phone", []):
            if row.text("contact_id"):
                continue
            data = _present(
                id=row.text("id"),
                rol=row.text("description")[:80] or "telefoon",
                telefoon=row.text("number"),
            )
            columns = {"id": "id", "rol": "description", "telefoon": "number"}
            self._owned(row, self.node(row, "Contact", data, columns), places)
        if names:
            self.parsed.problem(
                None,
                "contact.name",
                "",
                f"{names} contact name(s) not stored: the sociale kaart keeps functions, never persons",
                fatal=False,
            )

    def _owned(self, row: Row, contact: NodeKey | None, places: dict[str, list[Row]]) -> None:
        if contact is None:
            return
        owners = [
            self.ref(row, "Zorgaanbieder", "organization_id"),
            self.ref(row, "Aanbod", "service_id"),
            self.ref(row, "Locatie", "location_id"),
        ]
        for sal in places.get(row.text("service_at_location_id"), []):
            owners.append(self.ref(sal, "Aanbod", "service_id"))
        for owner in dict.fromkeys(o for o in owners if o is not None):
            self.edge(row, "HEEFT_CONTACT", owner, contact)


def _stelsel(row: Row, taxonomies: dict[str, Row]) -> str:
    """Which of our taxonomies a term belongs to; a foreign taxonomy becomes our 'eigen'."""
    candidates = [row.text("sk_stelsel"), row.text("taxonomy")]
    tax = taxonomies.get(row.text("taxonomy_id"))
    if tax is not None:
        candidates += [tax.text("sk_stelsel"), tax.text("name")]
    for value in candidates:
        if value.lower() in STELSELS:
            return value.lower()
    prefix = row.text("id").split("-", 1)[0]
    return prefix if prefix in STELSELS and _NEED.match(row.text("id")) else "eigen"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50]


def _values(value: object) -> list[str]:
    """A list in JSON, ``a|b`` in a CSV cell."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        return [p.strip() for p in value.split("|") if p.strip()]
    return []


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _present(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in ("", None, [])}


# --- export ----------------------------------------------------------------------------------


def hsds_tables(store: GraphStore) -> dict[str, list[dict[str, Any]]]:
    """The providers, offers, locations, needs and their contacts of the store as flat HSDS
    tables, linked by ``*_id`` fields and sorted by id, so that two exports of one graph are
    equal."""
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}

    def first(rel: str, dst: NodeKey, kind: str) -> str | None:
        srcs = sorted(e.src.id for e in edges[rel].get(dst, []) if e.src.kind == kind)
        return srcs[0] if srcs else None

    edges: dict[str, dict[NodeKey, list[Any]]] = {}
    for rel in (
        "BIEDT",
        "HEEFT_LOCATIE",
        "OP_LOCATIE",
        "VOOR_BEHOEFTE",
        "BEDIENT",
        "VALT_ONDER",
        "HEEFT_CONTACT",
    ):
        by_dst: dict[NodeKey, list[Any]] = defaultdict(list)
        for e in store.edges(rel=rel):
            by_dst[e.dst].append(e)
        edges[rel] = by_dst

    for n in store.nodes("Zorgaanbieder"):
        p = n.props
        out["organization"].append(
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
                out["organization_identifier"].append(
                    _clean(
                        id=f"{n.id}-{field_name}",
                        organization_id=n.id,
                        identifier_scheme=scheme,
                        identifier_type=kind,
                        identifier=p[field_name],
                    )
                )

    for n in store.nodes("Aanbod"):
        p = n.props
        wait = None
        if "wachttijd_weken" in p:
            wait = (
                f"{p['wachttijd_weken']:g} weken ".replace(".", ",")
                + f"(peildatum {p.get('wachttijd_datum')}, bron: {p.get('wachttijd_bron')})"
            )
        out["service"].append(
            _clean(
                id=n.id,
                organization_id=first("BIEDT", n.key, "Zorgaanbieder"),
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
            out["funding"].append({"id": f"{n.id}-financiering-{i}", "service_id": n.id, "source": source})

    for n in store.nodes("Locatie"):
        p = n.props
        out["location"].append(
            _clean(
                id=n.id,
                location_type="physical",
                organization_id=first("HEEFT_LOCATIE", n.key, "Zorgaanbieder"),
                name=p.get("naam"),
                latitude=p.get("lat"),
                longitude=p.get("lon"),
            )
        )
        if any(p.get(k) for k in ("straat", "postcode", "plaats")):
            out["address"].append(
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
        for e in sorted(edges["OP_LOCATIE"].get(n.key, []), key=lambda e: e.src.id):
            out["service_at_location"].append(
                {"id": f"{e.src.id}--{n.id}", "service_id": e.src.id, "location_id": n.id}
            )

    names = {}
    for kind in {dst.kind for dst in edges["BEDIENT"]}:
        names.update({n.key: n.props.get("naam") for n in store.nodes(kind)})
    for area, found in sorted(edges["BEDIENT"].items()):
        for e in sorted(found, key=lambda e: e.src.id):
            if e.src.kind != "Aanbod":
                continue
            out["service_area"].append(
                _clean(
                    id=f"{e.src.id}--{area.kind}-{area.id}",
                    service_id=e.src.id,
                    name=names.get(area) or area.id,
                    extent=area.id,
                    extent_type="text",
                    sk_gebied=str(area),
                )
            )

    behoeften = store.nodes("Behoefte")
    for stelsel in sorted({str(n.props.get("stelsel")) for n in behoeften}):
        out["taxonomy"].append(
            {
                "id": f"sociale-kaart-{stelsel}",
                "name": TAXONOMY_NAMES.get(stelsel, stelsel),
                "description": "",
            }
        )
    parents = {e.src: e.dst.id for found in edges["VALT_ONDER"].values() for e in found}
    for n in behoeften:
        p = n.props
        out["taxonomy_term"].append(
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
        for e in sorted(edges["VOOR_BEHOEFTE"].get(n.key, []), key=lambda e: e.src.id):
            if e.src.kind == "Aanbod":
                out["attribute"].append(
                    {
                        "id": f"{e.src.id}--{n.id}",
                        "link_id": e.src.id,
                        "link_entity": "service",
                        "link_type": "service_category",
                        "taxonomy_term_id": n.id,
                    }
                )

    owners = {"Zorgaanbieder": "organization_id", "Aanbod": "service_id", "Locatie": "location_id"}
    contact_ids = [
        k for k, found in edges["HEEFT_CONTACT"].items() if any(e.src.kind in owners for e in found)
    ]
    for n in store.nodes("Contact", [k.id for k in contact_ids]):
        p = n.props
        links = {owners[kind]: first("HEEFT_CONTACT", n.key, kind) for kind in owners}
        out["contact"].append(
            _clean(id=n.id, **links, title=p.get("rol"), email=p.get("email"), sk_website=p.get("website"))
        )
        if p.get("telefoon"):
            out["phone"].append(
                {"id": f"{n.id}-telefoon", "contact_id": n.id, "number": p["telefoon"], "type": "voice"}
            )

    for rows in out.values():
        rows.sort(key=lambda r: str(r["id"]))
    return out


def export_hsds(store: GraphStore, path: Path, source: str = "sociale-kaart export") -> dict[str, int]:
    """Write the store's providers as one HSDS 3 JSON file; returns the count per table.

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
    ``datapackage.json``; lists are ``a|b`` in a cell."""
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
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return str(value)


def _field_type(rows: list[dict[str, Any]], column: str) -> str:
    values = [r[column] for r in rows if r.get(column) is not None]
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "number"
    return "string"  # lists too: a|b in a cell
