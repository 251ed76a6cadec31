"""The SWV regions of the regulation (BWBR0032324): PC4 → SWV PO and SWV VO.

An SWV's region is a set of PC4 areas; every PC4 row gives one ``IN_WERKGEBIED`` edge per
sector. A cell that holds no SWV code (``Europoort`` for PC4 3197–3199, a harbour area with
no pupils) is listed in the report, not guessed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graph import ids
from graph.model import Provenance
from graph.records import NodeKey
from importers.base import Context, ParsedFile, start_table
from importers.recognise import is_pc4, table_fits


class SwvPc4:
    """``pc4,po_swv,vo_swv``: the regulation's PC4 table, a PO and a VO SWV for every PC4."""

    NAME = "SWV regio-indeling per PC4"
    REQUIRED = ("pc4", "po_swv", "vo_swv")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """``pc4``, ``po_swv`` and ``vo_swv`` (``gemeentenaam`` allowed) with a PC4 per row: the two
        SWV columns are the regulation's own."""
        return table_fits(path, cls.REQUIRED, ("gemeentenaam",), lambda r: is_pc4(r["pc4"]))

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """An ``Swv`` per code and one ``IN_WERKGEBIED`` per PC4 and sector, as the regulation of
        2015-04-23 has it; a PO code in the VO column is refused, a cell without a code is a note."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        prov = Provenance(
            source="Regeling regio-indeling SWV (BWBR0032324)", source_date="2015-04-23", import_id=import_id
        )
        parsed.source("swv-indeling:pc4", "regio-indeling samenwerkingsverbanden per PC4", prov.source_date)
        made: set[str] = set()
        for line, row in rows:
            if not parsed.unique(line, "pc4", row["pc4"]):
                continue
            pc4 = parsed.add_entity(line, "PC4", {"id": row["pc4"]}, prov)
            if pc4 is None:
                continue
            for column in ("po_swv", "vo_swv"):
                try:
                    code = ids.swv_code(row[column])
                except ids.IdentifierError:
                    parsed.problem(
                        line,
                        column,
                        row[column],
                        f"geen SWV-code: deze PC4 heeft geen {column[:2].upper()}-SWV in de regeling",
                        fatal=False,
                    )
                    continue
                if code[:2] != column[:2].upper():
                    parsed.problem(line, column, code, f"een {code[:2]}-code in de kolom {column}")
                    continue
                if code not in made:
                    parsed.add_entity(line, "Swv", {"id": code}, prov)
                    made.add(code)
                parsed.add_relation(line, "IN_WERKGEBIED", pc4, NodeKey("Swv", code), prov)
        return parsed


_PC4_LIST = re.compile(r"\b[1-9]\d{3}\b")


def parse_restrictie(text: str) -> tuple[str, list[str]] | None:
    """``postcodes 7951 en 7955`` → ('alleen', [...]); ``m.u.v. postcode 8064`` → ('behalve', [...]).

    >>> parse_restrictie("m.u.v. postcodes 7233, 7234 en 7251")
    ('behalve', ['7233', '7234', '7251'])
    >>> parse_restrictie("postcodes 7233. 7234 en 7251")
    ('alleen', ['7233', '7234', '7251'])
    """
    lowered = text.strip().lower()
    codes = _PC4_LIST.findall(lowered)
    if not codes or "postcode" not in lowered:
        return None
    return ("behalve" if lowered.startswith(("m.u.v", "muv", "met uitzondering")) else "alleen", codes)


class SwvGemeenten2013:
    """The regulation's older form (2013): per SWV the gemeenten, some with postcode exceptions
    in free text. Parsed where the text says which PC4s are in ('postcodes 7951 en 7955') or
    out ('m.u.v. postcode 8064'); other text is kept on the edge and listed in the report."""

    NAME = "SWV regio-indeling per gemeente (2013)"
    REQUIRED = ("sector", "swv_code", "gemeentenaam", "postcode_restrictie")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """Its four columns exactly: the 2013 table shares ``gemeentenaam`` with others."""
        return table_fits(path, cls.REQUIRED)

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """One edge per gemeente of today and SWV, however many 2013 gemeenten (merged since)
        and restrictions led to it, so that the regulation's lines are kept on the edge."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        prov = Provenance(
            source="Regeling regio-indeling SWV (BWBR0032324)", source_date="2013-10-01", import_id=import_id
        )
        parsed.source(
            "swv-indeling:gemeente", "regio-indeling samenwerkingsverbanden per gemeente", prov.source_date
        )
        resolver = context.gemeenten() if context else None
        edges: dict[tuple[str, str], dict[str, Any]] = {}
        made: set[str] = set()
        by_place: dict[str, int] = {}
        for line, row in rows:
            try:
                code = ids.swv_code(row["swv_code"])
            except ids.IdentifierError as exc:
                parsed.problem(line, "swv_code", exc.value, str(exc))
                continue
            if row["sector"].upper() != code[:2]:
                parsed.problem(line, "sector", row["sector"], f"past niet bij SWV-code {code}")
                continue
            name, restrictie = row["gemeentenaam"], row["postcode_restrictie"].strip()
            if re.fullmatch(r"[A-Za-z]{1,3}\.", restrictie):
                # The conversion split 'Bergen (NH.)' into name and restriction: put it back.
                name, restrictie = f"{name} ({restrictie})", ""
            gm, how = resolver.by_name(name) if resolver else (None, "geen gemeenten geladen")
            if gm is None and resolver is not None:
                # a gemeente of 2013 gone since (Bussum, 2016): where its woonplaats lies now
                gm, _ = resolver.by_place(name)
                if gm is not None:
                    by_place.setdefault(f"{name} → {resolver.current[gm]}", line)
            if gm is None:
                parsed.problem(line, "gemeentenaam", name, f"niet gevonden: {how}", fatal=False)
                continue
            if code not in made:
                parsed.add_entity(line, "Swv", {"id": code}, prov)
                made.add(code)
            edge = edges.setdefault(
                (gm, code),
                {
                    "line": line,
                    "gemeenten_2013": [],
                    "alleen_pc4": [],
                    "behalve_pc4": [],
                    "postcode_restrictie": [],
                },
            )
            edge["gemeenten_2013"].append(name)
            if restrictie:
                _restrict(parsed, line, edge, restrictie)
        if by_place:
            parsed.problem(
                min(by_place.values()),
                "gemeentenaam",
                "",
                f"{len(by_place)} gemeenten van 2013 sindsdien opgeheven, geplaatst in de gemeente waar hun "
                f"woonplaats nu ligt: {', '.join(sorted(by_place))}",
                fatal=False,
            )
        for (gm, code), edge in sorted(edges.items()):
            line = edge.pop("line")
            parsed.add_relation(
                line,
                "IN_WERKGEBIED",
                NodeKey("Gemeente", gm),
                NodeKey("Swv", code),
                prov,
                peiljaar=2013,
                **_lists(edge),
            )
        return parsed


def _restrict(parsed: ParsedFile, line: int, edge: dict[str, Any], restrictie: str) -> None:
    """Add a postcode restriction to a gemeente's edge: the text always (it is what the
    regulation says), the PC4s in or out only where the text could be read."""
    edge["postcode_restrictie"].append(restrictie)
    parsed_restrictie = parse_restrictie(restrictie)
    if parsed_restrictie is None:
        why = "niet te lezen; als tekst bewaard"
        parsed.problem(line, "postcode_restrictie", restrictie, why, fatal=False)
    else:
        edge[f"{parsed_restrictie[0]}_pc4"].extend(parsed_restrictie[1])


def _lists(edge: dict[str, Any]) -> dict[str, Any]:
    """The edge's lists, each once and sorted."""
    return {k: sorted(set(v)) for k, v in edge.items()}
