"""Postcode areas: CBS PC4 → gemeente (with inwoners), PC4 → gemeente and → wijk by share
of addresses (2024), and PC4 centroids.

The CBS file also holds PC3 and PC2 aggregate rows (``10``, ``101``); they are skipped and
counted. It names gemeenten by their 2021 name, which is resolved to today's code; where that
gemeente is gone and no single one took its place (Haaren, split in 2021), the row's
woonplaats, which lies in one gemeente today, places it; else the PC4 is left without a
gemeente and listed in the report.

Which gemeente a PC4 lies in is one scope (``pc4-gemeente``), whichever table says it: the
2024 table by addresses is a newer version of what the 2021 table said, so a PC4 of a gemeente
split since (Haaren, 2021) or merged (Weesp, 2022) lies where 2024 puts it, and the 2021
answer is kept as history. A PC4 in two gemeenten keeps both, each with its ``aandeel``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from graph import ids
from graph.model import Provenance
from graph.records import NodeKey
from importers.base import Context, ParsedFile, start_table
from importers.cells import decimal
from importers.recognise import is_gemeente_code, is_pc4, is_share, table_fits
from importers.regios import year_in_name
from importers.tabular import is_total_row

PC4_GEMEENTE = "pc4-gemeente"
PC4_GEMEENTE_NAAM = "in welke gemeente een PC4 ligt"


class CbsPostcodes:
    """``postcode,gemeente,inwoners,…`` (CBS 2021): each PC4's plaats, inwoners and gemeente, the
    gemeente named by its 2021 name (module docstring)."""

    NAME = "CBS postcodes (PC4)"
    REQUIRED = ("postcode", "gemeente", "inwoners")
    OPTIONAL = ("inwoners_man", "inwoners_vrouw", "plaats", "provincie", "nuts3", "ggdregio")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """``postcode``, ``gemeente`` and ``inwoners`` with digits as postcodes: no other table counts
        inwoners per PC4 (and its gemeente is a name, not a code)."""
        return table_fits(path, cls.REQUIRED, cls.OPTIONAL, lambda r: r["postcode"].isdigit())

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context) -> ParsedFile:
        """A ``PC4`` with plaats and inwoners per row, and ``LIGT_IN`` to the gemeente its name or
        woonplaats resolves to today, in the ``pc4-gemeente`` scope; PC3/PC2 sums are skipped."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        year = year_in_name(path) or "2021"
        prov = Provenance(source="CBS postcodes PC4", source_date=year, import_id=import_id)
        parsed.source("cbs:postcodes", "CBS postcodes (PC4): plaats en inwoners", year)
        in_gemeente = parsed.source(PC4_GEMEENTE, PC4_GEMEENTE_NAAM)
        resolver = context.gemeenten()
        aggregates = 0
        for line, row in rows:
            code = row["postcode"]
            if code.isdigit() and len(code) in (2, 3):
                aggregates += 1
                continue
            if not parsed.unique(line, "postcode", code):
                continue
            data: dict[str, object] = {"id": code}
            if row.get("plaats"):
                data["plaats"] = row["plaats"]
            if row.get("inwoners", "").isascii() and row.get("inwoners", "").isdigit():
                data["inwoners"] = int(row["inwoners"])
            key = parsed.add_entity(line, "PC4", data, prov)
            if key is None:
                continue
            gm, how = resolver.by_name(row["gemeente"])
            if gm is None and row.get("plaats"):
                gm, how = resolver.by_place(row["plaats"])  # a gemeente gone since: Haaren (2021)
            if gm is None:
                parsed.problem(line, "gemeente", row["gemeente"], f"niet gevonden: {how}", fatal=False)
                continue
            parsed.add_relation(
                line,
                "LIGT_IN",
                key,
                NodeKey("Gemeente", gm),
                prov,
                scope=in_gemeente,
                regel=f"gemeente by {how}",
            )
        parsed.report.skipped += aggregates
        if aggregates:
            parsed.problem(
                None, "postcode", "", f"{aggregates} PC3/PC2-totaalrijen overgeslagen", fatal=False
            )
        return parsed


class Pc4Coordinaten:
    """``postcode,lat,lon``: the middle of each PC4, for what is near whom and for the map."""

    NAME = "PC4 centroids"
    REQUIRED = ("postcode", "lat", "lon")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """Exactly ``postcode``, ``lat`` and ``lon``: no other table of ours has coordinates."""
        return table_fits(path, cls.REQUIRED)

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context) -> ParsedFile:
        """``lat`` and ``lon`` on each ``PC4`` (decimal commas read too); a spreadsheet's total row is
        skipped with a note. Version the year in the file name, else 2024."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        year = year_in_name(path) or "2024"
        prov = Provenance(source="PC4 centroids", source_date=year, import_id=import_id)
        parsed.source("pc4-centroide", "middelpunten van de PC4-gebieden", year)
        for line, row in rows:
            if is_total_row(row["postcode"]):
                parsed.report.skipped += 1
                parsed.problem(
                    line, "postcode", row["postcode"], "een totaalrij, geen PC4: overgeslagen", fatal=False
                )
                continue
            try:
                lat, lon = decimal(row["lat"]), decimal(row["lon"])
            except ValueError:
                parsed.problem(line, "lat/lon", f"{row['lat']} {row['lon']}", "geen getal")
                continue
            parsed.add_entity(line, "PC4", {"id": row["postcode"], "lat": lat, "lon": lon}, prov)
        return parsed


class _Pc4Shares:
    """``pc4,<area>,adressen,aandeel_pc4``: the share of a PC4's addresses in each area."""

    NAME = ""
    AREA = ""
    REQUIRED: tuple[str, ...] = ()

    @classmethod
    def _check(cls, row: Mapping[str, str]) -> bool:
        return is_pc4(row["pc4"]) and is_share(row["aandeel_pc4"])

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return table_fits(path, cls.REQUIRED, ("adressen",), cls._check)

    @classmethod
    def _rows(
        cls, path: Path, import_id: str
    ) -> tuple[ParsedFile, list[tuple[int, dict[str, str], float]], Provenance]:
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        year = year_in_name(path) or "onbekend"
        prov = Provenance(
            source=f"{cls.NAME} {year} (CBS/BAG-adressen)", source_date=year, import_id=import_id
        )
        if year == "onbekend":
            parsed.problem(
                None, "", path.name, "geen jaar in de bestandsnaam: zeg van welk jaar het is (…-2024.csv)"
            )
        out = []
        for line, row in rows:
            try:
                share = float(row["aandeel_pc4"])
            except ValueError:
                parsed.problem(line, "aandeel_pc4", row["aandeel_pc4"], "geen getal van 0 tot en met 1")
                continue
            if not 0 <= share <= 1:
                parsed.problem(line, "aandeel_pc4", row["aandeel_pc4"], "een aandeel ligt van 0 tot en met 1")
                continue
            if not parsed.unique(line, f"pc4 {cls.AREA}", f"{row['pc4']} {row[cls.AREA]}"):
                continue
            out.append((line, row, share))
        return parsed, out, prov


def _adressen(row: dict[str, str]) -> int | None:
    value = row.get("adressen", "")
    return int(value) if value.isdigit() else None


class Pc4Gemeente(_Pc4Shares):
    """``pc4,gm_code,adressen,aandeel_pc4`` (2024): the gemeente(n) of each PC4."""

    NAME = "PC4 per gemeente"
    AREA = "gm_code"
    REQUIRED = ("pc4", "gm_code", "aandeel_pc4")

    @classmethod
    def _check(cls, row: Mapping[str, str]) -> bool:
        return super()._check(row) and is_gemeente_code(row["gm_code"])

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context) -> ParsedFile:
        """``LIGT_IN`` from each PC4 to every gemeente of today it has addresses in, with ``aandeel``
        and ``adressen``: the newer version of the ``pc4-gemeente`` scope, dated by the file name."""
        parsed, rows, prov = cls._rows(path, import_id)
        parsed.source(
            PC4_GEMEENTE, PC4_GEMEENTE_NAAM, prov.source_date if prov.source_date != "onbekend" else None
        )
        resolver = context.gemeenten() if context else None
        made: set[str] = set()
        for line, row, share in rows:
            try:
                gm = ids.gemeente_code(row["gm_code"])
            except ids.IdentifierError as exc:
                parsed.problem(line, "gm_code", exc.value, str(exc))
                continue
            current, how = resolver.by_code(gm) if resolver else (gm, "code")
            if current is None:
                parsed.problem(line, "gm_code", gm, f"niet gevonden: {how}", fatal=False)
                continue
            if row["pc4"] not in made:
                if parsed.add_entity(line, "PC4", {"id": row["pc4"]}, prov) is None:
                    continue
                made.add(row["pc4"])
            parsed.add_relation(
                line, "LIGT_IN", NodeKey("PC4", row["pc4"]), NodeKey("Gemeente", current), prov,
                aandeel=share, adressen=_adressen(row),
            )  # fmt: skip
        return parsed


class Pc4Wijk(_Pc4Shares):
    """``pc4,wk_code,adressen,aandeel_pc4`` (2024): the CBS wijken of each PC4, so that a
    wijkteam whose area is given as wijken serves the PC4 areas in them."""

    NAME = "PC4 per wijk"
    AREA = "wk_code"
    REQUIRED = ("pc4", "wk_code", "aandeel_pc4")

    @classmethod
    def _check(cls, row: Mapping[str, str]) -> bool:
        return super()._check(row) and row["wk_code"].upper().startswith("WK")

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context) -> ParsedFile:
        """``LIGT_IN`` from each PC4 to its wijken (with ``aandeel``), and from each wijk to the
        gemeente of today its code holds (``WK`` + the gemeente's four digits)."""
        parsed, rows, prov = cls._rows(path, import_id)
        parsed.source(
            "pc4-wijk",
            "in welke CBS-wijken een PC4 ligt",
            prov.source_date if prov.source_date != "onbekend" else None,
        )
        resolver = context.gemeenten() if context else None
        made: set[str] = set()
        for line, row, share in rows:
            try:
                wijk = ids.wijk_code(row["wk_code"])
            except ids.IdentifierError as exc:
                parsed.problem(line, "wk_code", exc.value, str(exc))
                continue
            if row["pc4"] not in made:
                if parsed.add_entity(line, "PC4", {"id": row["pc4"]}, prov) is None:
                    continue
                made.add(row["pc4"])
            if wijk not in made:
                made.add(wijk)
                parsed.add_entity(line, "Wijk", {"id": wijk}, prov)
                gm, _ = resolver.by_code(f"GM{wijk[2:6]}") if resolver else (f"GM{wijk[2:6]}", "code")
                if gm is not None:
                    parsed.add_relation(line, "LIGT_IN", NodeKey("Wijk", wijk), NodeKey("Gemeente", gm), prov)
            parsed.add_relation(
                line, "LIGT_IN", NodeKey("PC4", row["pc4"]), NodeKey("Wijk", wijk), prov,
                aandeel=share, adressen=_adressen(row),
            )  # fmt: skip
        return parsed
