"""Building the graph from HSDS rows: nodes, relations and the problems that stop either.

HSDS ids are our node ids, and an ``*_id`` field may point to an object of this file or to
one the store already holds; the builder keeps track of both, and of the objects it refused,
so that one bad row is reported once and not again by every row that links to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from graph import ids
from graph.model import Provenance, normalise_id
from graph.needs import STELSELS
from graph.records import NodeKey
from importers.base import ParsedFile
from importers.cells import decimal, parse_date, slug, yes_no
from importers.columns import add_mapped
from importers.hsds.tables import Row, Tables
from importers.report import Problem

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


def build(parsed: ParsedFile, prov: Provenance, tables: Tables) -> None:
    """Add the graph records of an HSDS file's rows to ``parsed``: needs first, then the
    providers, their offers and locations, then what links them, so that every link finds the
    node it points to, or the reason it was refused."""
    _Builder(parsed, prov, tables).run()


@dataclass
class _Builder:
    """One file's rows on their way into the graph, with what became of every HSDS id."""

    parsed: ParsedFile
    prov: Provenance
    tables: Tables
    #: per node kind: HSDS id → key of the node built from it
    known: dict[str, dict[str, NodeKey]] = field(default_factory=lambda: defaultdict(dict))
    #: per node kind: HSDS ids that are in the file but gave no node (invalid or inactive)
    dropped: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def run(self) -> None:
        """In the order links need: a need, provider, offer or location exists before
        anything points to it."""
        self._terms()
        self._organizations()
        self._services()
        self._locations()
        self._links()
        self._contacts()

    # helpers

    def problem(self, row: Row, name: str, value: object, reason: str, *, fatal: bool = True) -> None:
        """Record a problem at the row's own file and line (a CSV of a package, not the
        descriptor), with the field as ``table.field``, so that the user can find it."""
        text = "" if value is None else str(value)
        self.parsed.report.problems.append(
            Problem(row.file, row.line, f"{row.table}.{name}", text, reason, fatal)
        )

    def node(self, row: Row, kind: str, data: dict[str, Any], columns: dict[str, str]) -> NodeKey | None:
        """Add a node, its problems in HSDS field names; remember which HSDS id gave which
        node (or none), so that later rows link to it, or are quiet about a refused one."""
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
            self.problem(row, name, raw, f"niet in dit bestand, en geen geldig {kind}-id")
            return None

    def edge(self, row: Row, rel: str, van: NodeKey | None, naar: NodeKey | None) -> None:
        """Add a relation when both ends are known: a missing end is either not said in the
        file or reported once, where it was refused, not again for every link to it."""
        if van is not None and naar is not None:
            self.parsed.add_relation(row.line, rel, van, naar, self.prov)

    def by(self, table: str, link: str) -> dict[str, list[Row]]:
        """The rows of a table by the id they link to, so that a parent finds its children
        (identifiers, funding, addresses, phones) without a scan per parent."""
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
            ident = ident or f"{stelsel}-{slug(code, limit=50)}"
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
            row,
            name,
            raw,
            "deze taxonomieterm staat niet in het bestand en is geen behoefte-id van de sociale kaart",
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
                    row,
                    "status",
                    status,
                    "aanbod dat niet meer gegeven wordt: niet geïmporteerd",
                    fatal=False,
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
                self.problem(row, "organization_id", "", "aanbod zonder aanbieder", fatal=False)
            self.edge(row, "BIEDT", self.ref(row, "Zorgaanbieder", "organization_id"), aanbod)

    def _waiting_time(self, row: Row, data: dict[str, Any]) -> bool:
        weeks, when = row.text("sk_wachttijd_weken"), row.text("sk_wachttijd_datum")
        if not weeks:
            if row.text("wait_time"):
                self.problem(
                    row,
                    "wait_time",
                    row.text("wait_time"),
                    "wachttijd als vrije tekst niet geïmporteerd: de graaf bewaart een wachttijd alleen als "
                    "weken met een datum en een bron (sk_wachttijd_weken, _datum, _bron)",
                    fatal=False,
                )
            return True
        ok = True
        try:
            data["wachttijd_weken"] = decimal(weeks)
        except ValueError:
            self.problem(row, "sk_wachttijd_weken", weeks, "geen aantal weken")
            ok = False
        try:
            data["wachttijd_datum"] = parse_date(when)
        except ValueError as exc:
            reason = str(exc) if when else "een wachttijd heeft de datum van meten nodig"
            self.problem(row, "sk_wachttijd_datum", when, reason)
            ok = False
        if not row.text("sk_wachttijd_bron"):
            self.problem(row, "sk_wachttijd_bron", "", "een wachttijd heeft een bron nodig")
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
                        self.problem(row, theirs, row.text(theirs), "geen getal in decimale graden")
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
                    "alleen de behoeften van diensten worden geïmporteerd (VOOR_BEHOEFTE)",
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
                self.problem(row, "sk_gebied", row.text("sk_gebied"), f"geen gebied als Kind:id: {exc}")
                return None
        for name in ("extent", "uri", "name", "description"):
            m = _GM.search(row.text(name))
            if m:
                return NodeKey("Gemeente", m.group(0).upper())
        self.problem(
            row,
            "extent",
            row.text("name")[:60],
            "geen gemeentecode (GM0000) in dit werkgebied: het gebied is niet gekoppeld",
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
                    "een contact zonder functie (title of department) wordt niet geïmporteerd: de sociale "
                    "kaart bewaart functionele contacten, nooit personen",
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
                f"{names} naam/namen van contacten niet opgeslagen: de sociale kaart bewaart functies, "
                "nooit personen",
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
