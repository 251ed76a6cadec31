"""CBS reference tables: the gemeenten of a year, their provincies, and the history of
herindelingen (which gemeente merged into which, when).

Each is a format of its own, recognised by its columns. The gemeenten table is the anchor
for everything else: other sources refer to gemeenten by name or by old code and are
resolved against it (see :mod:`importers.resolve`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from graph import ids
from graph.model import Provenance
from graph.records import NodeKey
from importers.base import Context, ParsedFile, start_table
from importers.tabular import header_of

#: CBS provincie codes; names as CBS and others spell them.
PROVINCIES: dict[str, tuple[str, str]] = {
    "groningen": ("PV20", "Groningen"),
    "friesland": ("PV21", "Fryslân"),
    "fryslân": ("PV21", "Fryslân"),
    "fryslan": ("PV21", "Fryslân"),
    "drenthe": ("PV22", "Drenthe"),
    "overijssel": ("PV23", "Overijssel"),
    "flevoland": ("PV24", "Flevoland"),
    "gelderland": ("PV25", "Gelderland"),
    "utrecht": ("PV26", "Utrecht"),
    "noord-holland": ("PV27", "Noord-Holland"),
    "zuid-holland": ("PV28", "Zuid-Holland"),
    "zeeland": ("PV29", "Zeeland"),
    "noord-brabant": ("PV30", "Noord-Brabant"),
    "limburg": ("PV31", "Limburg"),
}


class Gemeenten:
    """``gm_code,gm_naam,jaar`` (CBS/PDOK gemeenten of one year)."""

    NAME = "CBS gemeenten"
    REQUIRED = ("gm_code", "gm_naam")

    @staticmethod
    def sniff(path: Path) -> bool:
        cols = header_of(path) or []
        return {"gm_code", "gm_naam"} <= set(cols)

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        years = {r.get("jaar", "") for _, r in rows} - {""}
        year = years.pop() if len(years) == 1 else "unknown"
        prov = Provenance(source=f"CBS gemeenten {year}", source_date=year, import_id=import_id)
        for line, row in rows:
            parsed.add_entity(line, "Gemeente", {"id": row["gm_code"], "naam": row["gm_naam"]}, prov)
        return parsed


class Provincies:
    """``GM_code;province``: which provincie each gemeente lies in."""

    NAME = "CBS gemeenten per provincie"
    REQUIRED = ("gm_code", "province")

    @staticmethod
    def sniff(path: Path) -> bool:
        cols = header_of(path) or []
        return "gm_code" in cols and "gm_naam" not in cols and any(c.startswith("provinc") for c in cols)

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        prov = Provenance(source=cls.NAME, source_date="2025", import_id=import_id)
        made: set[str] = set()
        for line, row in rows:
            known = PROVINCIES.get(row["province"].strip().lower())
            if known is None:
                parsed.problem(line, "province", row["province"], "not a Dutch provincie name")
                continue
            code, naam = known
            if code not in made:
                parsed.add_entity(line, "Provincie", {"id": code, "naam": naam}, prov)
                made.add(code)
            try:
                gm = ids.gemeente_code(row["gm_code"])
            except ids.IdentifierError as exc:
                parsed.problem(line, "gm_code", row["gm_code"], str(exc))
                continue
            parsed.add_relation(line, "LIGT_IN", NodeKey("Gemeente", gm), NodeKey("Provincie", code), prov)
        return parsed


NO_SUCCESSOR = ("", "#N/A", "-")


def _dutch_date(text: str) -> date:
    """``1-1-2015`` → 2015-01-01."""
    d, m, y = (int(p) for p in text.strip().split("-"))
    return date(y, m, d)


class Herindelingen:
    """``Bestaan tot;Eindjaar;Oude;Nieuwe;...``: every merger, old code → new code.

    The old gemeente is kept as a node (its name is not in this table) with the day it
    ceased to exist, linked by ``OPGEGAAN_IN`` to the gemeente it became part of. Rows where
    old and new code are equal (a gemeente that absorbed others kept its code) say nothing
    about the old one and are skipped with a note.
    """

    NAME = "CBS gemeentelijke herindelingen"
    REQUIRED = ("bestaan tot", "oude", "nieuwe")

    @staticmethod
    def sniff(path: Path) -> bool:
        cols = set(header_of(path) or [])
        return "oude" in cols and bool(cols & {"nieuwe", "bestaan tot", "eindjaar"})

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        years = [r.get("eindjaar", "") for _, r in rows if r.get("eindjaar", "").isdigit()]
        prov = Provenance(source=cls.NAME, source_date=f"tot {max(years, default='?')}", import_id=import_id)
        ended: dict[str, tuple[date, int]] = {}
        merges: dict[tuple[str, str], tuple[date, int]] = {}
        codes: dict[str, int] = {}
        for line, row in rows:
            try:
                old = ids.gemeente_code(row["oude"])
                until = _dutch_date(row["bestaan tot"])
            except ids.IdentifierError as exc:
                parsed.problem(line, "oude", exc.value, str(exc))
                continue
            except ValueError:
                parsed.problem(line, "bestaan tot", row["bestaan tot"], "not a date of the form D-M-YYYY")
                continue
            if row["nieuwe"] in NO_SUCCESSOR:
                # e.g. 1963: Elten and Tudderen went back to Germany; no Dutch successor.
                where = row.get("huidige naam") or "no successor"
                parsed.problem(
                    line,
                    "nieuwe",
                    row["nieuwe"],
                    f"no successor code ({where}): ended without merger",
                    fatal=False,
                )
                codes.setdefault(old, line)
                if old not in ended or until > ended[old][0]:
                    ended[old] = (until, line)
                continue
            try:
                new = ids.gemeente_code(row["nieuwe"])
            except ids.IdentifierError as exc:
                parsed.problem(line, "nieuwe", exc.value, str(exc))
                continue
            if old == new:
                parsed.report.skipped += 1
                continue
            codes.setdefault(old, line)
            codes.setdefault(new, line)
            # A code can be reused for a later gemeente; the latest end date describes the node.
            if old not in ended or until > ended[old][0]:
                ended[old] = (until, line)
            if (old, new) not in merges or until > merges[(old, new)][0]:
                merges[(old, new)] = (until, line)
        for code, line in codes.items():
            data: dict[str, object] = {"id": code}
            if code in ended:
                data["opgeheven"] = ended[code][0]
            parsed.add_entity(line, "Gemeente", data, prov)
        for (old, new), (until, line) in merges.items():
            parsed.add_relation(
                line, "OPGEGAAN_IN", NodeKey("Gemeente", old), NodeKey("Gemeente", new), prov, datum=until
            )
        return parsed
