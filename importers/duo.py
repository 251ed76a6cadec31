"""DUO school data: the national list of school locations (geo) and the PO/SO/VSO locations
with their bevoegd gezag (the pupils per school per home PC4 are :mod:`importers.leerlingen`).

Schools appear in all three with names of different lengths ('Koorsch Muz Inst Kathedr' in
one file, the full name in another). The first name a school gets is kept as ``naam``; a
different name from a later source goes to ``namen`` (aliases, for search), so importing
the files in any order is stable and never a conflict.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import ids
from graph.model import Provenance
from graph.records import NodeKey
from importers.base import Context, ParsedFile, start_table
from importers.jsonfile import load_json
from importers.limits import InputRefused, current, zip_member
from importers.recognise import table_fits
from importers.regios import year_in_name
from importers.report import FileReport

#: DUO's 'type' of a vestiging → our school kind. Every VO variant is VO.
GEO_SOORT = {"basisschool": "BAO", "SBAO": "SBO", "SO": "SO", "VSO": "VSO", "(V)SO": "SO/VSO"}
PO_SOORT = {"bo": "BAO", "sbo": "SBO", "so": "SO", "vso": "VSO"}


def combine_soort(soorten: set[str]) -> str:
    """One kind for a vestiging listed under several: SO + VSO is 'SO/VSO'."""
    if soorten & {"SO", "VSO", "SO/VSO"} and len(soorten) > 1 and soorten <= {"SO", "VSO", "SO/VSO"}:
        return "SO/VSO"
    for kind in ("SO/VSO", "VSO", "SO", "SBO", "BAO", "VO"):
        if kind in soorten:
            return kind
    return "OTHER"


@dataclass
class _Known:
    known: dict[str, dict[str, str]] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, context: Context) -> _Known:
        out = cls()
        records = list(context.stored("School"))
        records += [rec for p in context.parsed for _, rec in p.nodes if rec.kind == "School"]
        for rec in records:
            facts = out.known.setdefault(rec.id, {})
            for prop in _Schools.CLAIMED:
                if rec.props.get(prop):
                    facts[prop] = str(rec.props[prop])
            names = rec.props.get("namen")
            if isinstance(names, list):
                out.aliases.setdefault(rec.id, set()).update(str(n) for n in names)
        return out


class _Schools:
    """What is known of each school before this file (store, earlier files of the run).

    The DUO location file (geo) is the authority for a school's name, kind and address: its
    values replace others, whatever the order of import. Other files fill in what is not
    known yet; a name that differs becomes an alias (``namen``, for search), and a differing
    kind or address is left out and counted in a note, so importing in any order converges
    to the same graph.
    """

    CLAIMED = ("naam", "soort", "postcode")

    def __init__(self, context: Context | None) -> None:
        """The facts of the store and the run so far: shared by every DUO file of a run (kept
        up to date by their claims), so that reading them costs once, not once per file."""
        known: _Known = context.shared("duo-scholen", _Known.of) if context else _Known()
        self.known, self.aliases = known.known, known.aliases
        self.dropped = 0

    def claim(self, school: str, *, authoritative: bool = False, **facts: str) -> dict[str, Any]:
        """The facts this source may write, plus every alias known so far."""
        known = self.known.setdefault(school, {})
        aliases = self.aliases.setdefault(school, set())
        out: dict[str, Any] = {}
        for prop, value in facts.items():
            if not value:
                continue
            have = known.get(prop)
            if have is None or have == value or authoritative:
                known[prop] = value
                out[prop] = value
                if prop == "naam" and have and have != value:
                    aliases.add(have)
            elif prop == "naam":
                aliases.add(value)
            else:
                self.dropped += 1
        names = aliases - {known.get("naam", "")}
        if names:
            out["namen"] = sorted(names)
        return out

    def note(self, parsed: ParsedFile, source: str) -> None:
        if self.dropped:
            parsed.problem(
                None,
                "",
                "",
                f"{self.dropped} soorten of adressen wijken af van {source}: "
                "de waarden van het vestigingenbestand blijven",
                fatal=False,
            )


def _school_id(parsed: ParsedFile, line: int, brin: str, vestiging: str, field: str) -> str | None:
    try:
        return ids.brin(brin) + ids.vestigingscode(vestiging[-2:])
    except ids.IdentifierError as exc:
        parsed.problem(line, field, exc.value, str(exc))
        return None


class Vestigingen:
    """``scholen.geo.json`` (zipped or not): every school location with address and point."""

    NAME = "DUO vestigingen (geo)"

    @staticmethod
    def _open(path: Path) -> dict[str, Any] | None:
        """The document, unpacked and read within the limits (:mod:`importers.limits`: a zip
        bomb or a key twice is refused, not read); ``None`` when it is no JSON of one file."""
        try:
            if zipfile.is_zipfile(path):
                member = zip_member(path, (".json", ".geojson"))
                if member is None:
                    return None
                try:
                    data = load_json(member[1])
                except InputRefused as exc:
                    raise exc.inside(member[0]) from None
            elif path.suffix.lower() in (".json", ".geojson"):
                data = load_json(path)
            else:
                return None
        except (OSError, ValueError, zipfile.BadZipFile):
            return None
        return data if isinstance(data, dict) else None

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """A GeoJSON FeatureCollection (zipped as DUO ships it, or not) whose first feature has
        ``brin_nummer`` and ``vestigingscode``: DUO's school key, which no other GeoJSON carries."""
        data = cls._open(path)
        if not data or data.get("type") != "FeatureCollection":
            return False
        features = data.get("features") or [{}]
        props = features[0].get("properties") or {}
        return "vestigingscode" in props and "brin_nummer" in props

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """One ``School`` per BRIN + vestigingscode (a location listed under several types is one
        school), the authority for its name, kind and address, with ``LIGT_IN`` to its PC4 and
        gemeente; version the year and month in the file name, else 2024-11."""
        parsed = ParsedFile(FileReport(file=str(path), format=cls.NAME))
        data = cls._open(path) or {}
        features = data.get("features", [])
        if isinstance(features, list) and len(features) > current().rows:
            raise current().refused("rows", f"{len(features)} features", field="features")
        parsed.report.rows_read = len(features)
        when = year_in_name(path) or "2024-11"
        prov = Provenance(source="DUO vestigingen", source_date=when, import_id=import_id)
        parsed.source("duo:vestigingen", "DUO vestigingen (scholen)", when)
        resolver = context.gemeenten() if context else None
        schools = _Schools(context)
        grouped: dict[str, list[tuple[int, dict[str, Any], list[float] | None]]] = defaultdict(list)
        for number, feature in enumerate(features, start=1):
            props = feature.get("properties") or {}
            school = _school_id(
                parsed,
                number,
                str(props.get("brin_nummer", "")),
                str(props.get("vestigingscode", "")),
                "vestigingscode",
            )
            if school:
                geometry = feature.get("geometry") or {}
                grouped[school].append((number, props, geometry.get("coordinates")))
        for school, rows in grouped.items():
            number, props, point = rows[0]
            types = sorted({str(p.get("type", "")) for _, p, _ in rows} - {""})
            data_: dict[str, Any] = {
                "id": school,
                "onderwijstype": types,
                **schools.claim(
                    school,
                    authoritative=True,
                    naam=str(props.get("naam") or "").strip() or school,
                    soort=combine_soort({GEO_SOORT.get(t, "VO") for t in types}),
                    postcode=str(props.get("postcode") or "").replace(" ", "").upper(),
                ),
            }
            street = " ".join(
                str(props[k])
                for k in ("straat", "huisnummer", "huisletter", "huisnummertoevoeging")
                if props.get(k)
            )
            if street:
                data_["straat"] = street
            if props.get("plaats"):
                data_["plaats"] = props["plaats"]
            if isinstance(props.get("leerlingen"), int):
                data_["leerlingen"] = props["leerlingen"]  # the school's total: tightens masked counts
            if point and len(point) == 2:
                data_["lon"], data_["lat"] = point
            key = parsed.add_entity(number, "School", data_, prov)
            if key is None:
                continue
            if data_.get("postcode"):
                _place(parsed, number, key, data_["postcode"], prov)
            if resolver is not None and props.get("gemeente"):
                gm, how = resolver.by_name(str(props["gemeente"]))
                if gm is None:
                    parsed.problem(
                        number, "gemeente", props["gemeente"], f"niet gevonden: {how}", fatal=False
                    )
                else:
                    parsed.add_relation(number, "LIGT_IN", key, NodeKey("Gemeente", gm), prov)
        return parsed


def _place(parsed: ParsedFile, line: int, school: NodeKey, postcode: str, prov: Provenance) -> None:
    """The school's PC4 area (created if no other source has it), for region lookups."""
    try:
        pc4 = ids.pc6(postcode)[:4] if len(postcode.replace(" ", "")) == 6 else ids.pc4(postcode)
    except ids.IdentifierError as exc:
        parsed.problem(line, "postcode", postcode, str(exc))
        return
    key = parsed.add_entity(line, "PC4", {"id": pc4}, prov)
    if key:
        parsed.add_relation(line, "LIGT_IN", school, key, prov)


class PoBevoegdGezag:
    """PO/SO/VSO vestigingen with ``BEVOEGD_GEZAG_NUMMER``: who is bevoegd gezag of which school."""

    NAME = "DUO PO vestigingen met bevoegd gezag"
    REQUIRED = (
        "instellingscode",
        "vestigingscode",
        "instellingsnaam_vestiging",
        "bevoegd_gezag_nummer",
        "soort_po",
        "gemeentenummer",
    )

    OPTIONAL = ("postcode_vestiging", "plaatsnaam", "gemeentenaam", "provincie", "denominatie_vestiging")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """DUO's PO columns, ``bevoegd_gezag_nummer`` among them, and no others: the pupils file
        shares most of them but adds ``postcode_leerling``, so it is not taken for this one."""
        return table_fits(path, cls.REQUIRED, cls.OPTIONAL)

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """Each ``School`` (its name and kind only where the location file has not given them),
        ``BESTUURT`` from its ``Schoolbestuur`` and ``LIGT_IN`` its gemeente and PC4, as of
        2024-10-01."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        prov = Provenance(
            source="DUO leerlingen po (vestigingen, bevoegd gezag)",
            source_date="2024-10-01",
            import_id=import_id,
        )
        parsed.source("duo:po-bevoegd-gezag", "DUO PO-vestigingen met bevoegd gezag", prov.source_date)
        schools = _Schools(context)
        resolver = context.gemeenten() if context else None
        grouped: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
        for line, row in rows:
            school = _school_id(parsed, line, row["instellingscode"], row["vestigingscode"], "vestigingscode")
            if school:
                grouped[school].append((line, row))
        boards: set[str] = set()
        for school, group in grouped.items():
            line, row = group[0]
            soorten = {PO_SOORT.get(r["soort_po"].strip().lower(), "OTHER") for _, r in group}
            names = [r["instellingsnaam_vestiging"].strip() for _, r in group]
            data: dict[str, Any] = {
                "id": school,
                "soort_po": sorted({r["soort_po"].strip() for _, r in group}),
                **schools.claim(
                    school,
                    naam=names[0],
                    soort=combine_soort(soorten),
                    postcode=row.get("postcode_vestiging", "").replace(" ", "").upper(),
                ),
            }
            variants = set(names) - {names[0], data.get("naam", "")}
            if variants:
                schools.aliases.setdefault(school, set()).update(variants)
                data["namen"] = sorted(set(data.get("namen", [])) | variants)
            key = parsed.add_entity(line, "School", data, prov)
            if key is None:
                continue
            try:
                board = ids.bevoegd_gezag(row["bevoegd_gezag_nummer"])
                gm = ids.gemeente_code(row["gemeentenummer"])
            except ids.IdentifierError as exc:
                parsed.problem(line, exc.field, exc.value, str(exc))
                continue
            if board not in boards:
                parsed.add_entity(line, "Schoolbestuur", {"id": board}, prov)
                boards.add(board)
            parsed.add_relation(line, "BESTUURT", NodeKey("Schoolbestuur", board), key, prov)
            resolved, how = resolver.by_code(gm) if resolver else (gm, "code")
            if resolved is None:
                parsed.problem(line, "gemeentenummer", gm, f"niet gevonden: {how}", fatal=False)
            else:
                parsed.add_relation(line, "LIGT_IN", key, NodeKey("Gemeente", resolved), prov)
            if data.get("postcode"):
                _place(parsed, line, key, data["postcode"], prov)
        schools.note(parsed, "het DUO-vestigingenbestand")
        return parsed
