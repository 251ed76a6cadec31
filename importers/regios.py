"""Regions of gemeenten of 2025 (CBS/PDOK gebiedsindelingen): their names, which gemeente
lies in which jeugdregio and RMC-regio, and their outlines for the map.

- ``cbs-regio-namen-2025.csv`` (``regiotype,jaar,statcode,statnaam``): the code → name of
  every jeugdregio, RMC-regio, GGD-regio and arbeidsmarktregio of a year.
- ``afgeleid-gemeente-jeugdregio-2025.csv`` and ``…-rmc-regio-2025.csv``: each gemeente in the
  region whose polygon covers most of it. Derived from two CBS map layers, not published as
  such, so every membership keeps its ``aandeel`` (share of the gemeente's outline) and the
  runner-up's share; the source name says "afgeleid". They are a newer version of the same
  scope as the 2016 CBS region table (``cbs:regio-indeling:jeugdregio``): a gemeente that
  moved region (Zeewolde, JZ08 → JZ12) leaves the old one on the new version's date.
- ``cbs-jeugdregios-2025.topojson`` and ``cbs-rmc-regios-2025.topojson``: the outlines,
  kept on each region as GeoJSON text (``grens``) like a gemeente's.

These files carry no date of their own beyond the year in ``jaar``, the TopoJSON object's
name (``jeugdregio_2025``) or the file's name; the version is the first day of that year.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from graph import ids
from graph.model import REGIO_SOORTEN, Provenance
from graph.queries.names import REGIO_MEERVOUD
from graph.records import NodeKey
from importers.base import Context, ParsedFile, start_table
from importers.jsonfile import load_json
from importers.outline import official_outline
from importers.recognise import is_gemeente_code, is_region_code, is_share, is_year, table_fits
from importers.report import FileReport

#: CBS's ``regiotype`` → our soort.
REGIOTYPES = {
    "jeugdregio": "jeugdregio",
    "rmc_regio": "rmc",
    "ggdregio": "ggd",
    "arbeidsmarktregio": "arbeidsmarktregio",
}
PREFIX_SOORT = {prefix: soort for soort, (prefix, _) in REGIO_SOORTEN.items()}
MAX_SIZE = 64 * 1024 * 1024


def indeling_scope(soort: str) -> str:
    """The scope of 'which gemeente lies in which region of this soort', whoever publishes it."""
    return f"cbs:regio-indeling:{soort}"


def year_in_name(path: Path) -> str | None:
    """The year in a file's name (``…-2025.csv``), for tables that do not say it inside; a
    month with it when it has one (``…-2024-11.geo.zip`` → ``2024-11``).

    >>> year_in_name(Path("duo-vestigingen-2024-11.geo.zip")), year_in_name(Path("x-2025.csv"))
    ('2024-11', '2025')
    """
    found = re.findall(r"(?<!\d)((?:19|20)\d{2})(?:[-_](0[1-9]|1[0-2]))?(?!\d)", path.name)
    if not found:
        return None
    year, month = found[-1]
    return f"{year}-{month}" if month else year


class RegioNamen:
    """``regiotype,jaar,statcode,statnaam``: the name of each region of one year, per kind."""

    NAME = "CBS regio-namen"
    REQUIRED = ("regiotype", "jaar", "statcode", "statnaam")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """The four columns, a ``regiotype`` this product uses and a year in ``jaar``: the CBS/PDOK
        list of region names, which has no gemeente column."""
        return table_fits(
            path,
            cls.REQUIRED,
            ("bron_pad_cartomap_nl",),
            lambda r: r["regiotype"] in REGIOTYPES and is_year(r["jaar"]),
        )

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """A named ``Regio`` per ``statcode``, each kind its own scope (``cbs:regio-namen:<soort>``)
        of that ``jaar``: the names of one kind are refreshed apart from another's. One year a file."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        years = sorted({r["jaar"] for _, r in rows if is_year(r["jaar"])})
        if len(years) > 1:
            parsed.problem(None, "jaar", ", ".join(years), "één bestand bevat de namen van één jaar")
            return parsed
        year = years[0] if years else "onbekend"
        prov = Provenance(
            source=f"CBS gebiedsindelingen {year}: regionamen", source_date=year, import_id=import_id
        )
        for line, row in rows:
            soort = REGIOTYPES.get(row["regiotype"])
            if soort is None:
                parsed.problem(
                    line, "regiotype", row["regiotype"], f"verwacht een van: {', '.join(REGIOTYPES)}"
                )
                continue
            if not parsed.unique(line, "statcode", row["statcode"]):
                continue
            scope = parsed.source(
                f"cbs:regio-namen:{soort}",
                f"CBS namen van de {REGIO_MEERVOUD.get(soort, soort)} {year}",
                year,
            )
            data = {"id": row["statcode"], "soort": soort, "naam": row["statnaam"]}
            parsed.add_entity(line, "Regio", data, prov, scope=scope)
        return parsed


class GemeenteRegio:
    """The derived tables: a gemeente → its jeugdregio (``jz_*``) or RMC-regio (``rmc_*``)."""

    NAME = "gemeente per regio (afgeleid)"
    VARIANTS: ClassVar[dict[str, tuple[str, str]]] = {"jz": ("jeugdregio", "JZ"), "rmc": ("rmc", "MC")}

    @classmethod
    def _variant(cls, path: Path) -> str | None:
        for short, (_, prefix) in cls.VARIANTS.items():
            required = ("gm_code", f"{short}_code", "overlap_share")
            optional = ("gm_naam", f"{short}_naam", f"runner_up_{short}", "runner_up_share")
            if table_fits(
                path,
                required,
                optional,
                lambda r, c=f"{short}_code", p=prefix: (
                    is_gemeente_code(r["gm_code"])  # type: ignore[misc]
                    and is_region_code(r[c], p)
                    and is_share(r["overlap_share"])
                ),
            ):
                return short
        return None

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """``gm_code``, ``jz_code`` or ``rmc_code`` and ``overlap_share`` with a share in each row:
        only the derived tables carry an overlap share, which tells them from CBS's gemeenten."""
        return cls._variant(path) is not None

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """One ``HOORT_BIJ`` per gemeente of today to the region covering most of it, with its
        ``aandeel`` and the runner-up's, marked ``afgeleid``; a newer version of the region
        indeling's scope, dated by the year the file name must carry."""
        short = cls._variant(path) or "jz"
        soort, _ = cls.VARIANTS[short]
        code, naam, runner = f"{short}_code", f"{short}_naam", f"runner_up_{short}"
        parsed, rows = start_table(path, f"{cls.NAME}: {soort}", ("gm_code", code, "overlap_share"))
        year = year_in_name(path)
        if year is None:
            parsed.problem(
                None, "", path.name, "geen jaar in de bestandsnaam: zeg van welk jaar het is (…-2025.csv)"
            )
            return parsed
        parsed.source(indeling_scope(soort), f"indeling in {REGIO_MEERVOUD.get(soort, soort)}", year)
        prov = Provenance(
            source=f"CBS gebiedsindelingen {year}: gemeente per {soort} (afgeleid uit de kaartlagen)",
            source_date=year,
            import_id=import_id,
        )
        resolver = context.gemeenten() if context else None
        regions: set[str] = set()
        for line, row in rows:
            try:
                gm = ids.gemeente_code(row["gm_code"])
                region = ids.regio_code(row[code], cls.VARIANTS[short][1])
                share = float(row["overlap_share"])
            except ids.IdentifierError as exc:
                parsed.problem(line, exc.field, exc.value, str(exc))
                continue
            except ValueError:
                parsed.problem(line, "overlap_share", row["overlap_share"], "geen getal van 0 tot en met 1")
                continue
            current, how = resolver.by_code(gm) if resolver else (gm, "code")
            if current is None:
                parsed.problem(line, "gm_code", gm, f"niet gevonden: {how}", fatal=False)
                continue
            if not parsed.unique(line, "gm_code", current):
                continue
            if region not in regions:
                regions.add(region)
                data: dict[str, Any] = {"id": region, "soort": soort}
                if row.get(naam):
                    data["naam"] = row[naam]
                parsed.add_entity(line, "Regio", data, prov)
            props: dict[str, Any] = {"aandeel": share, "afgeleid": True, "deels": False}
            if row.get(runner) and row.get("runner_up_share"):
                props["tweede"] = row[runner]
                props["aandeel_tweede"] = float(row["runner_up_share"])
            parsed.add_relation(
                line, "HOORT_BIJ", NodeKey("Gemeente", current), NodeKey("Regio", region), prov, **props
            )
        return parsed


def _arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    """The arcs as WGS84 points: TopoJSON stores them quantised and delta-encoded."""
    transform = topology.get("transform")
    (sx, sy), (tx, ty) = (transform["scale"], transform["translate"]) if transform else ((1, 1), (0, 0))
    out = []
    for arc in topology["arcs"]:
        x = y = 0.0
        points = []
        for dx, dy, *_ in arc:
            x, y = (x + dx, y + dy) if transform else (dx, dy)
            points.append([round(x * sx + tx, 6), round(y * sy + ty, 6)])
        out.append(points)
    return out


def _ring(indexes: list[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    points: list[list[float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def geometry(shape: dict[str, Any], arcs: list[list[list[float]]]) -> dict[str, Any]:
    """One TopoJSON polygon or multipolygon as a GeoJSON geometry."""
    if shape.get("type") == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r, arcs) for r in shape["arcs"]]}
    if shape.get("type") == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[_ring(r, arcs) for r in p] for p in shape["arcs"]]}
    raise ValueError(f"verwacht een Polygon of MultiPolygon, geen {shape.get('type')!r}")


class RegioGrenzen:
    """A TopoJSON of regions with ``statcode``/``statnaam``: each region's outline."""

    NAME = "CBS regiogrenzen (TopoJSON)"

    @staticmethod
    def _load(path: Path) -> dict[str, Any] | None:
        if path.suffix.lower() not in (".topojson", ".json") or path.stat().st_size > MAX_SIZE:
            return None
        try:
            data = load_json(path)
        except (OSError, ValueError):
            return None
        if (
            not isinstance(data, dict)
            or data.get("type") != "Topology"
            or not isinstance(data.get("arcs"), list)
        ):
            return None
        return data

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """A TopoJSON ``Topology`` whose objects' first geometry has a ``statcode``: CBS's region
        layers; the gemeente outlines come as GeoJSON instead."""
        data = cls._load(path)
        objects = (data or {}).get("objects") or {}
        return any(
            "statcode" in (g.get("properties") or {})
            for o in objects.values()
            if isinstance(o, dict)
            for g in (o.get("geometries") or [])[:1]
        )

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """Each region's outline (``grens``, as GeoJSON text like a gemeente's) and name, its kind
        from the code's prefix; version the year in the object's name (``jeugdregio_2025``)."""
        parsed = ParsedFile(FileReport(file=str(path), format=cls.NAME))
        data = cls._load(path) or {}
        try:
            arcs = _arcs(data)
        except (KeyError, TypeError, ValueError) as exc:
            parsed.problem(None, "arcs", "", f"de arcs zijn niet te lezen: {exc}")
            return parsed
        for name, obj in sorted((data.get("objects") or {}).items()):
            year = (re.findall(r"(?:19|20)\d{2}", name) or [year_in_name(path) or "onbekend"])[-1]
            prov = Provenance(
                source=f"CBS gebiedsindelingen {year}: regiogrenzen", source_date=year, import_id=import_id
            )
            for number, shape in enumerate(obj.get("geometries") or [], start=1):
                parsed.report.rows_read += 1
                props = shape.get("properties") or {}
                code = str(props.get("statcode", ""))
                soort = PREFIX_SOORT.get(code[:2])
                if soort is None:
                    parsed.problem(number, "statcode", code, "geen code van een bekende soort regio")
                    continue
                try:
                    outline = geometry(shape, arcs)
                except (IndexError, KeyError, TypeError, ValueError) as exc:
                    parsed.problem(number, "arcs", code, f"de grens is niet te lezen: {exc}")
                    continue
                scope = parsed.source(
                    f"cbs:regio-grenzen:{soort}",
                    f"CBS grenzen van de {REGIO_MEERVOUD.get(soort, soort)} {year}",
                    year,
                )
                grens = official_outline(parsed, number, "arcs", code, outline)
                data_ = {"id": code, "soort": soort, "grens": grens}
                if props.get("statnaam"):
                    data_["naam"] = str(props["statnaam"])
                parsed.add_entity(number, "Regio", data_, prov, scope=scope, fields={"grens": "arcs"})
        return parsed
