"""CBS reference tables: the gemeenten of a year, their provincies, and the history of
herindelingen (which gemeente merged into which, when).

Each is a format of its own, recognised by its columns. The gemeenten table is the anchor
for everything else: other sources refer to gemeenten by name or by old code and are
resolved against it (see :mod:`importers.resolve`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from graph import ids
from graph.model import Provenance
from graph.queries.names import REGIO_MEERVOUD
from graph.records import NodeKey
from importers.base import Context, ParsedFile, start_table
from importers.jsonfile import load_json
from importers.outline import official_outline
from importers.recognise import is_gemeente_code, table_fits
from importers.regios import indeling_scope, year_in_name
from importers.report import FileReport

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
    OPTIONAL = ("jaar", "fid", "objectid", "jrstatcode", "water")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """``gm_code`` and ``gm_naam`` with no column beyond CBS/PDOK's own and a gemeente code in
        each row: the jeugdregio table shares both columns but adds region columns, so it is not this."""
        return table_fits(path, cls.REQUIRED, cls.OPTIONAL, lambda r: is_gemeente_code(r["gm_code"]))

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """A ``Gemeente`` node (code, name) per row, the anchor every other source is resolved against;
        the version is the table's one ``jaar`` or the year in the file name, else none is stated."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        years = {r.get("jaar", "") for _, r in rows} - {""}
        year = years.pop() if len(years) == 1 else year_in_name(path) or "unknown"
        prov = Provenance(source=f"CBS gemeenten {year}", source_date=year, import_id=import_id)
        parsed.source("cbs:gemeenten", "CBS gemeenten", year if year != "unknown" else None)
        for line, row in rows:
            parsed.add_entity(line, "Gemeente", {"id": row["gm_code"], "naam": row["gm_naam"]}, prov)
        return parsed


class Provincies:
    """``GM_code;province``: which provincie each gemeente lies in."""

    NAME = "CBS gemeenten per provincie"
    REQUIRED = ("gm_code", "province")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """Exactly ``gm_code`` and ``province``, with gemeente codes: no other table has a provincie
        per gemeente."""
        return table_fits(path, cls.REQUIRED, (), lambda r: is_gemeente_code(r["gm_code"]))

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """A ``Provincie`` node per provincie named, as PROVINCIES spells it (``Friesland`` becomes
        ``Fryslân``), and one ``LIGT_IN`` per gemeente; version the year in the file name, else 2025."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        year = year_in_name(path) or "2025"
        prov = Provenance(source=cls.NAME, source_date=year, import_id=import_id)
        parsed.source("cbs:gemeente-provincie", "provincie van elke gemeente", year)
        made: set[str] = set()
        for line, row in rows:
            known = PROVINCIES.get(row["province"].strip().lower())
            if known is None:
                parsed.problem(line, "province", row["province"], "geen naam van een Nederlandse provincie")
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
            if parsed.unique(line, "gm_code", gm):
                parsed.add_relation(
                    line, "LIGT_IN", NodeKey("Gemeente", gm), NodeKey("Provincie", code), prov
                )
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
    OPTIONAL = ("eindjaar", "huidige code", "huidige naam")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """``bestaan tot``, ``oude`` and ``nieuwe`` with a gemeente code under ``oude``: the columns of
        CBS's list of mergers, which no other table has."""
        return table_fits(path, cls.REQUIRED, cls.OPTIONAL, lambda r: is_gemeente_code(r["oude"]))

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """Every old code a ``Gemeente`` with its ``opgeheven`` day, and ``OPGEGAAN_IN`` to the new
        one; dated the year after the last ``eindjaar``, when the last listed merger took effect."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        years = [r.get("eindjaar", "") for _, r in rows if r.get("eindjaar", "").isdigit()]
        prov = Provenance(source=cls.NAME, source_date=f"tot {max(years, default='?')}", import_id=import_id)
        last = max((int(y) for y in years), default=0)
        parsed.source("cbs:herindelingen", cls.NAME, str(last + 1) if last else year_in_name(path))
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
                parsed.problem(line, "bestaan tot", row["bestaan tot"], "geen datum van de vorm D-M-YYYY")
                continue
            if row["nieuwe"] in NO_SUCCESSOR:
                # e.g. 1963: Elten and Tudderen went back to Germany; no Dutch successor.
                where = row.get("huidige naam") or "geen opvolger"
                parsed.problem(
                    line,
                    "nieuwe",
                    row["nieuwe"],
                    f"geen opvolgende code ({where}): opgeheven zonder samenvoeging",
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


#: Region types of CBS table 83287NED ('Gebieden in Nederland') that this product uses,
#: → our soort. COROP comes from the newer woonplaatsen table; provincies from 2025.
GEBIEDEN_SOORTEN = {
    "Jeugdzorgregios": "jeugdregio",
    "GGD-regio's": "ggd",
    "Arbeidsmarktregio's": "arbeidsmarktregio",
    "Veiligheidsregio's": "veiligheidsregio",
    "Zorgkantoorregio's": "zorgkantoorregio",
    "Wgr-samenwerkingsgebieden": "wgr",
    "RPA-gebieden": "rpa",
}


class Gebieden:
    """CBS 'Gebieden in Nederland' (2016): for each gemeente of 2016 the code of each region type.

    The gemeenten of 2016 are mapped to today's through the herindeling history. A gemeente
    of today made of several 2016 gemeenten gets one edge per region they were in (with the
    2016 codes that led to it), so a merger across a jeugdregio border stays visible.
    """

    NAME = "CBS gebieden in Nederland"

    @staticmethod
    def _load(path: Path) -> dict[str, Any] | None:
        if path.suffix.lower() != ".json":
            return None
        try:
            data = load_json(path)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and isinstance(data.get("reg"), list) else None

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """A JSON object with a ``reg`` list (the gemeenten of 2016) and at least one CBS region
        type key: the shape of the 83287NED download, which no table of ours has."""
        data = cls._load(path)
        return data is not None and any(k in data for k in GEBIEDEN_SOORTEN)

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """A ``Regio`` node per code and ``HOORT_BIJ`` from today's gemeente with the 2016 gemeenten
        that led to it (``gemeenten_2016``, ``deels``), each region type a scope of its own;
        version 2016 unless the file name says otherwise."""
        parsed = ParsedFile(FileReport(file=str(path), format=cls.NAME))
        data = cls._load(path) or {}
        gemeenten = data.get("reg", [])
        parsed.report.rows_read = len(gemeenten)
        year = year_in_name(path) or "2016"
        prov = Provenance(
            source="CBS gebieden in Nederland (83287NED)", source_date=year, import_id=import_id
        )
        scope = {
            soort: parsed.source(
                indeling_scope(soort), f"indeling in {REGIO_MEERVOUD.get(soort, soort)}", year
            )
            for soort in GEBIEDEN_SOORTEN.values()
        }
        resolver = context.gemeenten() if context else None
        skipped = sorted(set(data) - set(GEBIEDEN_SOORTEN) - {"reg"})
        if skipped:
            parsed.problem(None, "", "", f"regiosoorten niet gebruikt: {', '.join(skipped)}", fatal=False)
        memberships: set[tuple[str, str]] = set()
        regions: dict[str, str] = {}
        for column, soort in GEBIEDEN_SOORTEN.items():
            codes = data.get(column)
            if codes is None:
                continue
            if len(codes) != len(gemeenten):
                parsed.problem(None, column, "", f"{len(codes)} codes voor {len(gemeenten)} gemeenten")
                continue
            for old, region in zip(gemeenten, codes, strict=True):
                if region:
                    regions[region] = soort
                    memberships.add((str(old), region))
        for region, soort in sorted(regions.items()):
            parsed.add_entity(1, "Regio", {"id": region, "soort": soort}, prov, scope=scope[soort])
        per_current: dict[tuple[str, str], list[str]] = defaultdict(list)
        unresolved: set[str] = set()
        for old, region in sorted(memberships):
            current, _ = resolver.by_code(old) if resolver else (old, "code")
            if current is None:
                unresolved.add(old)
                continue
            per_current[(current, region)].append(old)
        for old in sorted(unresolved):
            parsed.problem(
                None, "reg", old, "gemeente van 2016 nu niet gevonden (samengevoegd na 2017?)", fatal=False
            )
        soort_count: dict[tuple[str, str], int] = defaultdict(int)
        for current, region in per_current:
            soort_count[(current, regions[region])] += 1
        for (current, region), olds in sorted(per_current.items()):
            # Partial: today's gemeente is in this region only through a gemeente it absorbed,
            # while it was (or another part of it was) in another region of the same soort.
            deels = current not in olds and (
                current in gemeenten or soort_count[(current, regions[region])] > 1
            )
            parsed.add_relation(
                gemeenten.index(olds[0]) + 1,  # the 'line': position of the gemeente in the table
                "HOORT_BIJ",
                NodeKey("Gemeente", current),
                NodeKey("Regio", region),
                prov,
                scope=scope[regions[region]],
                peiljaar=int(year[:4]),
                gemeenten_2016=sorted(olds),
                deels=deels,
            )
        return parsed


class Woonplaatsen:
    """``Woonplaatscode,Woonplaats,Gemeentecode,Gemeente,COROP-gebiedcode,COROP-gebied`` (CBS 2024).

    Gives each gemeente its woonplaatsen (names people use for where they live, for search)
    and its COROP-gebied, with the region's name.
    """

    NAME = "CBS woonplaatsen, gemeenten en COROP"
    REQUIRED = ("woonplaats", "gemeentecode", "corop-gebiedcode", "corop-gebied")
    OPTIONAL = ("woonplaatscode", "gemeente")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """The woonplaats and COROP columns with a gemeente code per row: only CBS's woonplaatsen
        table has both, and it is the one source of COROP-gebieden."""
        return table_fits(path, cls.REQUIRED, cls.OPTIONAL, lambda r: is_gemeente_code(r["gemeentecode"]))

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """Each gemeente of today with its ``woonplaatsen`` (a code followed through herindelingen),
        a COROP ``Regio`` with its name and one ``HOORT_BIJ`` to it; version 2024 unless the name says."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        year = year_in_name(path) or "2024"
        prov = Provenance(source=cls.NAME, source_date=year, import_id=import_id)
        parsed.source("cbs:woonplaatsen", "woonplaatsen van elke gemeente", year)
        corop_scope = parsed.source(indeling_scope("corop"), "indeling in COROP-gebieden")
        resolver = context.gemeenten() if context else None
        places: dict[str, set[str]] = defaultdict(set)
        corop: dict[str, tuple[str, int]] = {}
        regions: dict[str, tuple[str, int]] = {}
        for line, row in rows:
            try:
                code = ids.gemeente_code(row["gemeentecode"])
                region = ids.regio_code("CR" + row["corop-gebiedcode"].zfill(2), "CR")
            except ids.IdentifierError as exc:
                parsed.problem(line, exc.field, exc.value, str(exc))
                continue
            current, how = resolver.by_code(code) if resolver else (code, "code")
            if current is None:
                parsed.problem(line, "gemeentecode", code, f"niet gevonden: {how}", fatal=False)
                continue
            places[current].add(row["woonplaats"])
            earlier = corop.setdefault(current, (region, line))
            if earlier[0] != region:
                parsed.problem(
                    line,
                    "corop-gebiedcode",
                    region,
                    f"{current} ligt in {earlier[0]} op regel {earlier[1]}: een gemeente ligt in één "
                    "COROP-gebied",
                )
                continue
            regions.setdefault(region, (row["corop-gebied"], line))
        for region, (naam, line) in sorted(regions.items()):
            parsed.add_entity(
                line, "Regio", {"id": region, "soort": "corop", "naam": naam}, prov, scope=corop_scope
            )
        for gm, (region, line) in sorted(corop.items()):
            parsed.add_entity(line, "Gemeente", {"id": gm, "woonplaatsen": sorted(places[gm])}, prov)
            parsed.add_relation(
                line, "HOORT_BIJ", NodeKey("Gemeente", gm), NodeKey("Regio", region), prov,
                scope=corop_scope, peiljaar=int(year[:4]),
            )  # fmt: skip
        return parsed


class Gemeentegrenzen:
    """CBS 'wijken en buurten' gemeente polygons (GeoJSON, WGS84), kept for maps.

    The outline is stored on the gemeente as compact GeoJSON text (``grens``): a map needs
    it whole and no query looks inside it. The table's ``aantalInwoners`` of that year gives
    ``inwoners``, which overlap shares are weighed by. A feature that is not a gemeente
    (``GM0998 Buitenland``) is listed, not stored.
    """

    NAME = "CBS gemeentegrenzen (GeoJSON)"

    @staticmethod
    def _load(path: Path) -> dict[str, Any] | None:
        if path.suffix.lower() not in (".geojson", ".json"):
            return None
        try:
            data = load_json(path)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """A GeoJSON FeatureCollection whose first feature has a ``gemeentecode`` property: other
        GeoJSON (regions, PC4 areas) carries other codes."""
        data = cls._load(path)
        features = (data or {}).get("features") or [{}]
        return "gemeentecode" in (features[0].get("properties") or {})

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """Only a gemeente of today gets its outline (``grens``) and ``inwoners``: an outline of a
        former gemeente is a note, since it would draw a wrong map; version the file's ``jaar``
        or the year in its name."""
        parsed = ParsedFile(FileReport(file=str(path), format=cls.NAME))
        features = (cls._load(path) or {}).get("features", [])
        parsed.report.rows_read = len(features)
        years = {str((f.get("properties") or {}).get("jaar", "")) for f in features} - {""}
        year = years.pop() if len(years) == 1 else year_in_name(path) or "unknown"
        prov = Provenance(source=f"CBS gemeentegrenzen {year}", source_date=year, import_id=import_id)
        parsed.source(
            "cbs:gemeentegrenzen", "CBS gemeentegrenzen en inwoners", year if year != "unknown" else None
        )
        resolver = context.gemeenten() if context else None
        for number, feature in enumerate(features, start=1):
            props = feature.get("properties") or {}
            geometry = feature.get("geometry")
            if (
                props.get("aantalInwoners") is None
                and "buitenland" in str(props.get("gemeentenaam", "")).lower()
            ):
                parsed.report.skipped += 1
                parsed.problem(
                    number,
                    "gemeentecode",
                    props.get("gemeentecode"),
                    "geen gemeente: overgeslagen",
                    fatal=False,
                )
                continue
            try:
                code = ids.gemeente_code(props.get("gemeentecode"))
            except ids.IdentifierError as exc:
                parsed.problem(number, "gemeentecode", exc.value, str(exc))
                continue
            current, how = resolver.by_code(code) if resolver else (code, "code")
            if current != code:
                # An outline of a gemeente that no longer exists would draw a wrong map.
                parsed.problem(
                    number,
                    "gemeentecode",
                    code,
                    f"geen gemeente van nu ({how}): grens niet bewaard",
                    fatal=False,
                )
                continue
            outline = official_outline(parsed, number, "geometry", code, geometry)
            data: dict[str, Any] = {"id": code, "grens": outline}
            if isinstance(props.get("aantalInwoners"), int):
                data["inwoners"] = props["aantalInwoners"]
            parsed.add_entity(number, "Gemeente", data, prov, fields={"grens": "geometry"})
        return parsed
