"""The project's own spreadsheet formats for care providers: their offer, and the contracts
gemeenten and jeugdregio's have with them.

There is no open national list of which provider offers what, where, with which waiting
time, nor of which gemeente contracted whom (``docs/wie-helpt.md``). A gemeente or
an SWV keeps that knowledge in a spreadsheet, so these formats are designed to be typed in
one: one row per offer (or per contract), plain column names, repeated provider columns
instead of a second sheet, and forgiving spellings (``45``, ``ijw-45`` and ``IJW-45`` are
one need; ``6,5`` weeks is a Dutch number; ``1-1-2025`` is a Dutch date).

**Aanbod** (one row per offer; an offer at several locations is repeated with the same
``aanbod_id``; columns in any order, unknown columns are listed as a note)::

    aanbieder_id,aanbieder_naam,kvk,agb,website,aanbod_id,aanbod_naam,behoeften,
    locatie_naam,straat,postcode,plaats,wachttijd_weken,wachttijd_datum,wachttijd_bron,fictief

**Contracten** (one row per contract and provider)::

    contract_id,opdrachtgever,aanbieder_id,behoeften,geldig_van,geldig_tot,fictief

Both may have a ``peildatum`` column, the day a row was checked: the file is the version of
its latest peildatum (without one, of the day the file last changed, which for a copy may
be later than its facts).

Needs are taxonomy codes separated by spaces, ``|``, ``,`` or ``;``: a bare iJw
productcategorie (``45``) means ``ijw-45``, a bare word (``dyslexie``) the education need
``onderwijs-dyslexie``. Whether the need exists is checked by the store when the batch is
applied, so that a taxonomy imported in the same run counts (``importers/reference``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graph import ids
from graph.model import Provenance
from graph.needs import need_id
from graph.records import NodeKey
from importers.base import Context, ParsedFile, latest_date, start_table
from importers.cells import decimal, parse_date, slug, yes_no
from importers.columns import add_mapped
from importers.tabular import header_of

_SPLIT = re.compile(r"[\s|,;]+")


def split_list(text: str) -> list[str]:
    """Cells that hold several values: spreadsheet users separate them every which way."""
    return [part for part in _SPLIT.split(text.strip()) if part]


class _Rows:
    """Shared row handling of both spreadsheet formats."""

    NAME = ""
    REQUIRED: tuple[str, ...] = ()
    OPTIONAL: tuple[str, ...] = ()

    @classmethod
    def _start(
        cls, path: Path, import_id: str
    ) -> tuple[ParsedFile, list[tuple[int, dict[str, str]]], Provenance]:
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        parsed.version = latest_date(path, [r.get("peildatum", "") for _, r in rows])
        prov = Provenance(source=f"{cls.NAME}: {path.name}", source_date=parsed.version, import_id=import_id)
        if rows:
            known = set(cls.REQUIRED) | set(cls.OPTIONAL) | {"peildatum"}
            unknown = [c for c in rows[0][1] if c and c not in known]
            if unknown:
                parsed.problem(
                    1,
                    ", ".join(unknown),
                    "",
                    f"kolom(men) die niet bij dit formaat horen, genegeerd: {', '.join(unknown)}; "
                    f"bekend: {', '.join(cls.REQUIRED + cls.OPTIONAL)}",
                    fatal=False,
                )
        return parsed, rows, prov

    @classmethod
    def _filled(cls, parsed: ParsedFile, line: int, row: dict[str, str]) -> bool:
        empty = [c for c in cls.REQUIRED if not row.get(c)]
        for column in empty:
            parsed.problem(line, column, "", "verplicht: mag niet leeg zijn")
        return not empty

    @staticmethod
    def _own_id(parsed: ParsedFile, line: int, row: dict[str, str], column: str) -> str | None:
        try:
            return ids.eigen_id(row[column], column)
        except ids.IdentifierError as exc:
            parsed.problem(line, column, row[column], str(exc))
            return None

    @staticmethod
    def _needs(parsed: ParsedFile, line: int, row: dict[str, str], src: NodeKey, prov: Provenance) -> None:
        for code in split_list(row.get("behoeften", "")):
            try:
                target = need_id(code)
            except ValueError as exc:
                parsed.problem(line, "behoeften", code, str(exc))
                continue
            parsed.add_relation(line, "VOOR_BEHOEFTE", src, NodeKey("Behoefte", target), prov)

    @staticmethod
    def _flag(parsed: ParsedFile, line: int, row: dict[str, str]) -> bool | None:
        try:
            return yes_no(row.get("fictief", ""))
        except ValueError as exc:
            parsed.problem(line, "fictief", row["fictief"], str(exc))
            return None


class Aanbod(_Rows):
    """``aanbieder_id,aanbieder_naam,aanbod_id,aanbod_naam,…``: providers and their offer."""

    NAME = "sociale-kaart zorgaanbod"
    REQUIRED = ("aanbieder_id", "aanbieder_naam", "aanbod_id", "aanbod_naam")
    OPTIONAL = (
        "kvk",
        "agb",
        "website",
        "aanbieder_plaats",
        "aanbod_beschrijving",
        "aanbod_website",
        "soort",
        "doelgroep",
        "specialismen",
        "financiering",
        "behoeften",
        "locatie_id",
        "locatie_naam",
        "straat",
        "postcode",
        "plaats",
        "wachttijd_weken",
        "wachttijd_datum",
        "wachttijd_bron",
        "fictief",
    )

    @staticmethod
    def sniff(path: Path) -> bool:
        """By the header, and leniently: an offer column and a provider column, no ``contract_id``; a
        hand-made sheet that lacks a required column is then still ours, and parse names it."""
        cols = set(header_of(path) or [])
        return (
            bool(cols & {"aanbod_id", "aanbod_naam"})
            and bool(cols & {"aanbieder_id", "aanbieder_naam"})
            and "contract_id" not in cols
        )

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """Per row a ``Zorgaanbieder``, its ``Aanbod`` (a waiting time only with its date and source)
        and ``Locatie``, joined by ``BIEDT``, ``HEEFT_LOCATIE`` and ``OP_LOCATIE``, with the named
        needs; each provider's rows are a version of its own scope (``zorgaanbod:<aanbieder>``)."""
        parsed, rows, prov = cls._start(path, import_id)
        for line, row in rows:
            if cls._filled(parsed, line, row):
                since = parsed.mark()
                cls._row(parsed, line, row, prov)
                who = slug(row["aanbieder_id"], keep="._-", limit=80) or "onbekend"
                parsed.tag(since, f"zorgaanbod:{who}", f"zorgaanbod van {row['aanbieder_naam'] or who}")
        return parsed

    @classmethod
    def _row(cls, parsed: ParsedFile, line: int, row: dict[str, str], prov: Provenance) -> None:
        fictief = cls._flag(parsed, line, row)
        aanbieder = add_mapped(
            parsed,
            line,
            "Zorgaanbieder",
            _present(
                id=row["aanbieder_id"],
                naam=row["aanbieder_naam"],
                kvk=row.get("kvk"),
                agb=row.get("agb"),
                website=row.get("website"),
                plaats=row.get("aanbieder_plaats"),
                fictief=fictief,
            ),
            prov,
            {"id": "aanbieder_id", "naam": "aanbieder_naam", "plaats": "aanbieder_plaats"},
        )
        aanbod = cls._aanbod(parsed, line, row, prov)
        locatie = cls._locatie(parsed, line, row, prov, aanbieder)
        if aanbieder and aanbod:
            parsed.add_relation(line, "BIEDT", aanbieder, aanbod, prov)
        if aanbieder and locatie:
            parsed.add_relation(line, "HEEFT_LOCATIE", aanbieder, locatie, prov)
        if aanbod and locatie:
            parsed.add_relation(line, "OP_LOCATIE", aanbod, locatie, prov)
        if aanbod:
            cls._needs(parsed, line, row, aanbod, prov)

    @classmethod
    def _aanbod(cls, parsed: ParsedFile, line: int, row: dict[str, str], prov: Provenance) -> NodeKey | None:
        data = _present(
            id=row["aanbod_id"],
            naam=row["aanbod_naam"],
            beschrijving=row.get("aanbod_beschrijving"),
            website=row.get("aanbod_website"),
            soort=row.get("soort"),
            doelgroep=row.get("doelgroep"),
            specialismen=_items(row.get("specialismen", "")),
            financiering=_items(row.get("financiering", "")),
            wachttijd_bron=row.get("wachttijd_bron"),
        )
        weeks, when = row.get("wachttijd_weken", ""), row.get("wachttijd_datum", "")
        ok = True
        if weeks:
            try:
                data["wachttijd_weken"] = decimal(weeks)
            except ValueError:
                parsed.problem(line, "wachttijd_weken", weeks, "geen aantal weken, bijv. 6 of 6,5")
                ok = False
            for column in ("wachttijd_datum", "wachttijd_bron"):
                if not row.get(column):
                    parsed.problem(
                        line,
                        column,
                        "",
                        "een wachttijd heeft de datum van meten (wachttijd_datum) en de herkomst "
                        "(wachttijd_bron) nodig: een wachttijd zonder datum misleidt",
                    )
                    ok = False
        if when:
            try:
                data["wachttijd_datum"] = parse_date(when)
            except ValueError as exc:
                parsed.problem(line, "wachttijd_datum", when, str(exc))
                ok = False
        if not ok:
            return None
        return add_mapped(
            parsed,
            line,
            "Aanbod",
            data,
            prov,
            {
                "id": "aanbod_id",
                "naam": "aanbod_naam",
                "beschrijving": "aanbod_beschrijving",
                "website": "aanbod_website",
                "": "wachttijd_weken",
            },
        )

    @classmethod
    def _locatie(
        cls, parsed: ParsedFile, line: int, row: dict[str, str], prov: Provenance, aanbieder: NodeKey | None
    ) -> NodeKey | None:
        columns = ("locatie_id", "locatie_naam", "straat", "postcode", "plaats")
        if not any(row.get(c) for c in columns):
            return None
        postcode = row.get("postcode", "")
        if postcode:
            try:
                postcode = ids.postcode(postcode)
            except ids.IdentifierError as exc:
                parsed.problem(line, "postcode", postcode, str(exc))
                return None
        if not row.get("locatie_id") and aanbieder is None:
            return None  # its id derives from the provider's, whose problem is reported already
        ident = row.get("locatie_id") or _location_id(aanbieder.id if aanbieder else "", postcode, row)
        if not ident:
            parsed.problem(
                line,
                "locatie_id",
                "",
                "een locatie heeft een locatie_id, een postcode of een locatie_naam nodig",
            )
            return None
        data = _present(
            id=ident,
            naam=row.get("locatie_naam"),
            straat=row.get("straat"),
            postcode=postcode,
            plaats=row.get("plaats"),
        )
        return add_mapped(parsed, line, "Locatie", data, prov, {"id": "locatie_id", "naam": "locatie_naam"})


class Contracten(_Rows):
    """``contract_id,opdrachtgever,aanbieder_id,behoeften,geldig_van,geldig_tot,fictief``."""

    NAME = "sociale-kaart contracten"
    REQUIRED = ("contract_id", "opdrachtgever", "aanbieder_id", "geldig_van")
    OPTIONAL = ("behoeften", "geldig_tot", "omschrijving", "fictief")

    @staticmethod
    def sniff(path: Path) -> bool:
        """``contract_id``, or ``opdrachtgever`` with ``geldig_van``: a contract sheet by either, so a
        sheet without its id column is still recognised and reported as missing it."""
        cols = set(header_of(path) or [])
        return "contract_id" in cols or {"opdrachtgever", "geldig_van"} <= cols

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """A ``Contract`` per row, ``OPDRACHTGEVER_VAN`` from each gemeente of today (a name or old code
        resolved) or region, ``GECONTRACTEERD`` to the provider; a version of the first client's
        scope (``contracten:<opdrachtgever>``)."""
        parsed, rows, prov = cls._start(path, import_id)
        names: dict[str, str] = {}
        if context is not None:
            # Gemeente names, and old gemeente codes through herindelingen, to today's code.
            resolver = context.gemeenten()
            for _, r in rows:
                for text in _clients(r):
                    value = text.strip()
                    if re.fullmatch(r"(?i)gm\d{4}", value):
                        code = ids.gemeente_code(value)
                        names[value] = resolver.by_code(code)[0] or (code if not resolver.current else "")
                    elif not _is_code(value):
                        names[value] = resolver.by_name(value)[0] or ""
        for line, row in rows:
            if cls._filled(parsed, line, row):
                since = parsed.mark()
                cls._row(parsed, line, row, prov, names)
                who = slug(_clients(row)[0], keep="._-", limit=80) or "onbekend"
                parsed.tag(since, f"contracten:{who}", f"contracten van {_clients(row)[0]}")
        return parsed

    @classmethod
    def _row(
        cls, parsed: ParsedFile, line: int, row: dict[str, str], prov: Provenance, names: dict[str, str]
    ) -> None:
        data: dict[str, Any] = {"id": row["contract_id"]}
        for column in ("geldig_van", "geldig_tot"):
            if row.get(column):
                try:
                    data[column] = parse_date(row[column])
                except ValueError as exc:
                    parsed.problem(line, column, row[column], str(exc))
                    return
        if row.get("omschrijving"):
            data["omschrijving"] = row["omschrijving"]
        fictief = cls._flag(parsed, line, row)
        if fictief is not None:
            data["fictief"] = fictief
        opdrachtgevers = [k for k in (_client(parsed, line, t, names) for t in _clients(row)) if k]
        aanbieder = cls._own_id(parsed, line, row, "aanbieder_id")
        contract = add_mapped(parsed, line, "Contract", data, prov, {"id": "contract_id", "": "geldig_tot"})
        if contract is None:
            return
        for client in opdrachtgevers:
            parsed.add_relation(line, "OPDRACHTGEVER_VAN", client, contract, prov)
        if aanbieder:
            parsed.add_relation(line, "GECONTRACTEERD", contract, NodeKey("Zorgaanbieder", aanbieder), prov)
        cls._needs(parsed, line, row, contract, prov)


def _clients(row: dict[str, str]) -> list[str]:
    """Several clients may share one contract; a gemeente name may hold spaces, codes do not."""
    text = row["opdrachtgever"]
    parts = split_list(text)
    return parts if all(_is_code(p) for p in parts) else [text]


def _is_code(text: str) -> bool:
    return all(re.fullmatch(r"[A-Za-z]{2}\d{2,4}", p) for p in split_list(text)) and bool(text.strip())


def _client(parsed: ParsedFile, line: int, text: str, names: dict[str, str]) -> NodeKey | None:
    value = text.strip()
    if re.fullmatch(r"(?i)gm\d{4}", value):
        if value in names and not names[value]:
            parsed.problem(
                line,
                "opdrachtgever",
                value,
                "geen gemeente van nu, en ook niet opgegaan in een gemeente van nu",
            )
            return None
        return NodeKey("Gemeente", names.get(value) or ids.gemeente_code(value))
    if _is_code(value):
        return NodeKey("Regio", ids.regio_code(value))
    if names.get(value):
        return NodeKey("Gemeente", names[value])
    parsed.problem(
        line,
        "opdrachtgever",
        value,
        "geen gemeentecode (GM0392), regiocode (JZ11) of naam van een bekende gemeente",
    )
    return None


def _location_id(aanbieder_id: str, postcode: str, row: dict[str, str]) -> str:
    """A stable id for a location typed in without one, so a re-import meets the same node."""
    named = row.get("locatie_naam") or row.get("straat") or row.get("plaats") or ""
    tail = postcode.lower() or slug(named, limit=60)
    return f"{aanbieder_id}-{tail}"[:120] if tail else ""


def _items(text: str) -> list[str]:
    """``Jeugdwet | Zvw``: lists in one cell; items may hold spaces, so only | and ; split."""
    return [p.strip() for p in re.split(r"[|;]", text) if p.strip()]


def _present(**values: Any) -> dict[str, Any]:
    """Leave out empty cells, so an empty cell never overwrites a value from another row."""
    return {k: v for k, v in values.items() if v is not None and v != "" and v != []}
