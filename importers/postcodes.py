"""Postcode areas: CBS PC4 → gemeente (with inwoners) and PC4 centroids.

The CBS file also holds PC3 and PC2 aggregate rows (``10``, ``101``); they are skipped and
counted. It names gemeenten by their 2021 name, which is resolved to today's code; a name
that cannot be resolved leaves the PC4 without a gemeente and is listed in the report.
"""

from __future__ import annotations

from pathlib import Path

from graph.model import Provenance
from graph.records import NodeKey
from importers.base import Context, ParsedFile, start_table
from importers.tabular import decimal, header_of, is_total_row


class CbsPostcodes:
    NAME = "CBS postcodes (PC4)"
    REQUIRED = ("postcode", "gemeente")

    @staticmethod
    def sniff(path: Path) -> bool:
        cols = set(header_of(path) or [])
        return {"postcode", "gemeente"} <= cols and "inwoners" in cols

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context) -> ParsedFile:
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        prov = Provenance(source="CBS postcodes PC4", source_date="2021", import_id=import_id)
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
            if gm is None:
                parsed.problem(line, "gemeente", row["gemeente"], f"unresolved: {how}", fatal=False)
                continue
            parsed.add_relation(
                line, "LIGT_IN", key, NodeKey("Gemeente", gm), prov, regel=f"gemeente by {how}"
            )
        parsed.report.skipped += aggregates
        if aggregates:
            parsed.problem(None, "postcode", "", f"{aggregates} PC3/PC2 aggregate rows skipped", fatal=False)
        return parsed


class Pc4Coordinaten:
    NAME = "PC4 centroids"
    REQUIRED = ("postcode", "lat", "lon")

    @staticmethod
    def sniff(path: Path) -> bool:
        return set(header_of(path) or []) >= {"postcode", "lat", "lon"}

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context) -> ParsedFile:
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        prov = Provenance(source="PC4 centroids", source_date="2024", import_id=import_id)
        for line, row in rows:
            if is_total_row(row["postcode"]):
                parsed.report.skipped += 1
                parsed.problem(
                    line, "postcode", row["postcode"], "a total row, not a PC4: skipped", fatal=False
                )
                continue
            try:
                lat, lon = decimal(row["lat"]), decimal(row["lon"])
            except ValueError:
                parsed.problem(line, "lat/lon", f"{row['lat']} {row['lon']}", "not a number")
                continue
            parsed.add_entity(line, "PC4", {"id": row["postcode"], "lat": lat, "lon": lon}, prov)
        return parsed
