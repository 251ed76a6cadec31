"""The SWV regions of the regulation (BWBR0032324): PC4 → SWV PO and SWV VO.

An SWV's region is a set of PC4 areas; every PC4 row gives one ``IN_WERKGEBIED`` edge per
sector. A cell that holds no SWV code (``Europoort`` for PC4 3197–3199, a harbour area with
no pupils) is listed in the report, not guessed.
"""

from __future__ import annotations

from pathlib import Path

from graph import ids
from graph.model import Provenance
from graph.records import NodeKey
from importers.base import Context, ParsedFile, start_table
from importers.tabular import header_of


class SwvPc4:
    NAME = "SWV regio-indeling per PC4"
    REQUIRED = ("pc4", "po_swv", "vo_swv")

    @staticmethod
    def sniff(path: Path) -> bool:
        cols = set(header_of(path) or [])
        return "pc4" in cols and bool(cols & {"po_swv", "vo_swv"})

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        prov = Provenance(
            source="Regeling regio-indeling SWV (BWBR0032324)", source_date="2015-04-23", import_id=import_id
        )
        made: set[str] = set()
        for line, row in rows:
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
                        f"not an SWV code: this PC4 has no {column[:2].upper()} SWV in the regulation",
                        fatal=False,
                    )
                    continue
                if code[:2] != column[:2].upper():
                    parsed.problem(line, column, code, f"a {code[:2]} code in the {column} column")
                    continue
                if code not in made:
                    parsed.add_entity(line, "Swv", {"id": code}, prov)
                    made.add(code)
                parsed.add_relation(line, "IN_WERKGEBIED", pc4, NodeKey("Swv", code), prov)
        return parsed
