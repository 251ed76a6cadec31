"""DUO 'leerlingen po naar postcode leerling': pupils per school per home PC4, by age.

One file per gemeente of the schools (DUO publishes the nation so, one gemeente's file may be
empty); each row is a school, a home PC4 (``POSTCODE_LEERLING``) with the gemeente DUO itself
places it in (``GEMEENTENAAM_LEERLING``), and a count per age. What is kept, and why:

- Counts under 5 are masked as ``<5``. Each flow keeps how many pupils its exact cells hold
  (``bekend``) and how many cells are masked (``gemaskeerd``, 1–4 pupils each), so that a
  range can be tightened later by the school's own total (:mod:`graph.queries.pupils`); the
  plain range is kept too (``aantal_min``..``aantal_max``; a total under 5 is shown as DUO
  shows it, 1–4).
- The home gemeente is DUO's own where it names one (``per_gemeente``: ``GM0392:12:1`` per
  gemeente of a PC4 on a border), resolved to today's code; the PC4 table decides only where
  DUO's name cannot be resolved (listed in the report).
- Pupils living abroad (``Duitsland``, ``België``, ``ander land``) are a flow to *buitenland*
  on the school (``buitenland_bekend``/``buitenland_gemaskeerd``, ``landen``), never dropped;
  pupils whose postcode DUO does not know (``Onbekend``) are kept apart (``onbekend_*``).

A file is a version of the pupil counts of its schools' gemeente (``duo:leerlingen:gm0392``),
dated by ``PEILDATUM``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import ids
from graph.model import Provenance
from graph.records import NodeKey
from importers.base import Context, ParsedFile, start_table
from importers.duo import _school_id, _Schools
from importers.recognise import table_fits

#: DUO's pupil 'gemeente' for a home abroad.
ABROAD = ("duitsland", "belgie", "ander land", "buitenland")


@dataclass
class _Cells:
    bekend: int = 0
    gemaskeerd: int = 0

    def add(self, value: str) -> bool:
        if value == "<5":
            self.gemaskeerd += 1
        elif value.isascii() and value.isdigit():
            self.bekend += int(value)
        elif value:
            return False
        return True


@dataclass
class _Flow:
    line: int
    per_gemeente: dict[str, _Cells] = field(default_factory=lambda: defaultdict(_Cells))
    total: _Cells = field(default_factory=_Cells)


@dataclass
class _School:
    line: int
    scope: str
    buitenland: _Cells = field(default_factory=_Cells)
    onbekend: _Cells = field(default_factory=_Cells)
    landen: set[str] = field(default_factory=set)


def _plain(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().strip().lower()


class LeerlingenPostcode:
    """One of DUO's per-gemeente files of pupils per school per home PC4 (module docstring)."""

    NAME = "DUO leerlingen po naar postcode leerling"
    REQUIRED = ("instellingscode", "vestigingscode", "postcode_leerling", "peildatum")
    OPTIONAL = (
        "gemeentenummer",
        "gemeentenaam",
        "gemeentenaam_leerling",
        "instellingsnaam_vestiging",
        "postcode_vestiging",
        "plaatsnaam",
        "provincie",
        "soort_po",
        "denominatie_vestiging",
        "bevoegd_gezag_nummer",
        "leeftijd_jonger",
        *(f"leeftijd_{age}" for age in range(3, 26)),
        "leeftijd_ouder",
    )

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """``instellingscode``, ``vestigingscode``, ``postcode_leerling`` and ``peildatum`` and only
        DUO's columns: the pupil's postcode is what tells it from DUO's other school tables."""
        return table_fits(path, cls.REQUIRED, cls.OPTIONAL)

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """A ``LEERLINGEN_UIT`` per school and home PC4 with the exact and masked counts, pupils
        abroad or unplaced kept on the ``School``; a version of each school gemeente's scope as of
        the (earliest) ``peildatum``. An empty file is a note: DUO publishes some so."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        if not rows and not parsed.report.problems:
            parsed.problem(
                None,
                "",
                "",
                "het bestand heeft geen rijen (DUO publiceert sommige gemeenten leeg)",
                fatal=False,
            )
            return parsed
        peildatum = _peildatum(rows)
        prov = Provenance(
            source="DUO leerlingen po naar postcode leerling",
            source_date=peildatum or "?",
            import_id=import_id,
        )
        reader = _Reader(parsed, context, peildatum)
        for line, row in rows:
            reader.row(line, row)
        reader.records(prov)
        return parsed


def _peildatum(rows: list[tuple[int, dict[str, str]]]) -> str:
    dates = {r["peildatum"] for _, r in rows}
    found = min(dates) if dates else ""
    return f"{found[:4]}-{found[4:6]}-{found[6:]}" if len(found) == 8 and found.isdigit() else found


class _Reader:
    """The rows of one file, summed per school and home PC4."""

    def __init__(self, parsed: ParsedFile, context: Context | None, peildatum: str) -> None:
        self.parsed, self.peildatum = parsed, peildatum
        self.resolver = context.gemeenten() if context else None
        self.names = _Schools(context)
        self.schools: dict[str, _School] = {}
        self.school_names: dict[str, str] = {}
        self.flows: dict[tuple[str, str], _Flow] = {}
        self.unresolved: Counter[str] = Counter()
        self.abroad: Counter[str] = Counter()
        self.unknown = 0
        self.gm_codes: dict[str, str | None] = {}
        self.age_columns: list[str] | None = None

    def _ages(self, row: dict[str, str]) -> list[str]:
        """The age columns, found once per file: every row of a table has the same."""
        if self.age_columns is None:
            self.age_columns = [col for col in row if col.startswith("leeftijd_")]
        return self.age_columns

    def _gemeente(self, name: str) -> str | None:
        if name not in self.gm_codes:
            code = self.resolver.by_name(name)[0] if self.resolver and name else None
            self.gm_codes[name] = code
        return self.gm_codes[name]

    def _school(self, line: int, row: dict[str, str]) -> str | None:
        school = _school_id(
            self.parsed, line, row["instellingscode"], row["vestigingscode"], "vestigingscode"
        )
        if school is None or school in self.schools:
            return school
        number = row.get("gemeentenummer", "")
        where = f"gm{int(number):04d}" if number.isdigit() else "nl"
        if self.resolver is not None and number.isdigit():
            where = (self.resolver.by_code(ids.gemeente_code(number))[0] or f"GM{int(number):04d}").lower()
        naam = f"DUO leerlingen naar postcode ({where.upper()})"
        scope = self.parsed.source(f"duo:leerlingen:{where}", naam, self.peildatum or None)
        self.schools[school] = _School(line, scope)
        if row.get("instellingsnaam_vestiging"):
            self.school_names[school] = row["instellingsnaam_vestiging"]
        return school

    def row(self, line: int, row: dict[str, str]) -> None:
        school = self._school(line, row)
        if school is None:
            return
        cells = _Cells()
        for col in self._ages(row):
            value = row[col]
            if value and not cells.add(value):  # most ages of a school are empty
                self.parsed.problem(line, col, value, "geen aantal of '<5'")
        pc, home = row["postcode_leerling"], row.get("gemeentenaam_leerling", "").strip()
        if not (len(pc) == 4 and pc.isdigit()):
            target = self.schools[school]
            if _plain(home) in ABROAD:
                self.abroad[home] += 1
                target.landen.add(home)
                target.buitenland.bekend += cells.bekend
                target.buitenland.gemaskeerd += cells.gemaskeerd
            else:
                self.unknown += 1
                target.onbekend.bekend += cells.bekend
                target.onbekend.gemaskeerd += cells.gemaskeerd
            return
        flow = self.flows.setdefault((school, pc), _Flow(line))
        code = self._gemeente(home)
        if code is None and home:
            self.unresolved[home] += 1
        part = flow.per_gemeente[code or ""]
        part.bekend += cells.bekend
        part.gemaskeerd += cells.gemaskeerd
        flow.total.bekend += cells.bekend
        flow.total.gemaskeerd += cells.gemaskeerd

    def records(self, prov: Provenance) -> None:
        parsed = self.parsed
        for school, facts in self.schools.items():
            data: dict[str, Any] = {"id": school}
            if school in self.school_names:
                data.update(self.names.claim(school, naam=self.school_names[school]))
            for group in ("buitenland", "onbekend"):
                cells = getattr(facts, group)
                if cells.bekend or cells.gemaskeerd:
                    data[f"{group}_bekend"], data[f"{group}_gemaskeerd"] = cells.bekend, cells.gemaskeerd
            if facts.landen:
                data["landen"] = sorted(facts.landen)
            parsed.add_entity(facts.line, "School", data, prov, scope=facts.scope)
        made_pc4: set[str] = set()
        for (school, pc), flow in self.flows.items():
            scope = self.schools[school].scope
            if pc not in made_pc4:
                if parsed.add_entity(flow.line, "PC4", {"id": pc}, prov, scope=scope) is None:
                    continue
                made_pc4.add(pc)
            low = flow.total.bekend + flow.total.gemaskeerd
            high = flow.total.bekend + 4 * flow.total.gemaskeerd
            if low >= 1 and high <= 4:
                low, high = 1, 4  # a total under 5, however it came about, as DUO shows it: 1-4
            parts = sorted(f"{gm}:{c.bekend}:{c.gemaskeerd}" for gm, c in flow.per_gemeente.items() if gm)
            parsed.add_relation(
                flow.line, "LEERLINGEN_UIT", NodeKey("School", school), NodeKey("PC4", pc), prov, scope=scope,
                aantal_min=low, aantal_max=high, bekend=flow.total.bekend, gemaskeerd=flow.total.gemaskeerd,
                per_gemeente=parts, peildatum=self.peildatum,
            )  # fmt: skip
        self._notes()
        self.names.note(parsed, "het DUO-vestigingenbestand")

    def _notes(self) -> None:
        parsed = self.parsed
        if self.abroad:
            landen = ", ".join(f"{k} ({n})" for k, n in sorted(self.abroad.items()))
            parsed.problem(
                None, "gemeentenaam_leerling", "",
                f"{sum(self.abroad.values())} rijen met leerlingen die in het buitenland wonen "
                f"({landen}): geteld als leerlingen van buiten, bij de school (buitenland)", fatal=False,
            )  # fmt: skip
        if self.unknown:
            parsed.problem(
                None, "postcode_leerling", "",
                f"{self.unknown} rijen met een leerlingpostcode die DUO niet kent (Onbekend): apart "
                "gehouden bij de school, niet geplaatst", fatal=False,
            )  # fmt: skip
        for name, n in sorted(self.unresolved.items()):
            parsed.problem(
                None, "gemeentenaam_leerling", name,
                f"niet gevonden: {n} rijen; hun woongemeente komt uit de PC4-tabel", fatal=False,
            )  # fmt: skip
