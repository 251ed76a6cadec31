"""Gemeente boundary changes from one year to the next, with shares of addresses (2018–2024).

``gemeente-grenswijzigingen-2018-2024.csv``: ``jaar_van,jaar_naar,gm_code_oud,gm_code_nieuw,
adressen,aandeel_van_oud``. A row with old = new is a gemeente that continues; a gemeente
without such a row ended on 1 January of ``jaar_naar`` and went to the gemeenten of its other
rows (``OPGEGAAN_IN`` with ``datum`` and ``aandeel``). Two or more parts of at least
:data:`PART` each make a split (``opgesplitst_in``: Haaren, 2021, over Oisterwijk, Vught,
Tilburg and Boxtel; Winsum, 2019, over Het Hogeland and Westerkwartier). Rows moving a few
addresses between gemeenten that both continue are boundary corrections: counted in a note,
not herindelingen.

Where this published table and the herindelingen the project typed in from the merger laws
(``importers/reference``) disagree, this table wins (see :mod:`graph.herindeling`) and each
difference is listed in the report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from graph import ids
from graph.model import Provenance
from graph.records import NodeKey
from importers import native
from importers.base import Context, ParsedFile, start_table
from importers.recognise import is_gemeente_code, is_share, is_year, table_fits
from importers.regios import year_in_name

#: The least share of a former gemeente that makes a part of it (below: a boundary correction).
PART = 0.01
SCOPE = "cbs:grenswijzigingen"


class Grenswijzigingen:
    """``jaar_van,jaar_naar,gm_code_oud,gm_code_nieuw,adressen,aandeel_van_oud``: the published
    table of herindelingen with shares, which wins over the typed-in ones (module docstring)."""

    NAME = "gemeentelijke grenswijzigingen (met aandelen)"
    REQUIRED = ("jaar_van", "jaar_naar", "gm_code_oud", "gm_code_nieuw", "aandeel_van_oud")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        """The five columns (``adressen`` optional) with a year, a gemeente code and a share in each
        row: ``aandeel_van_oud`` is what no merger list of ours has."""
        return table_fits(
            path,
            cls.REQUIRED,
            ("adressen",),
            lambda r: (
                is_year(r["jaar_naar"])
                and is_gemeente_code(r["gm_code_oud"])
                and is_share(r["aandeel_van_oud"])
            ),
        )

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """Per gemeente that ended: the ``Gemeente`` with ``opgeheven`` (and ``opgesplitst_in``), and
        ``OPGEGAAN_IN`` with ``datum`` and ``aandeel`` to each real part; boundary corrections and
        disagreements with the typed-in herindelingen are notes. Version: the file name's last year."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        moves: dict[tuple[int, str], list[tuple[int, str, float]]] = defaultdict(list)
        for line, row in rows:
            try:
                year = int(row["jaar_naar"])
                old, new = ids.gemeente_code(row["gm_code_oud"]), ids.gemeente_code(row["gm_code_nieuw"])
                share = float(row["aandeel_van_oud"])
            except ids.IdentifierError as exc:
                parsed.problem(line, exc.field, exc.value, str(exc))
                continue
            except ValueError:
                parsed.problem(
                    line, "aandeel_van_oud", row["aandeel_van_oud"], "geen jaar en aandeel van 0 tot en met 1"
                )
                continue
            moves[(year, old)].append((line, new, share))
        last = max((y for y, _ in moves), default=0)
        version = year_in_name(path) or (str(last) if last else None)
        parsed.source(SCOPE, "herindelingen en grenscorrecties van gemeenten", version)
        prov = Provenance(source=f"{cls.NAME} tot {last}", source_date=str(last), import_id=import_id)
        typed, typed_days = _typed_in()
        corrections = 0
        made: set[str] = set()
        for (year, old), parts in sorted(moves.items()):
            if any(new == old for _, new, _ in parts):
                corrections += len(parts) - 1
                continue
            _ended(parsed, prov, year, old, parts, made, typed, typed_days)
        if corrections:
            parsed.problem(
                None,
                "gm_code_nieuw",
                "",
                f"{corrections} rijen verplaatsen een paar adressen tussen gemeenten die allebei blijven: "
                "grenscorrecties, geen herindelingen (niet opgeslagen)",
                fatal=False,
            )
        return parsed


def _ended(
    parsed: ParsedFile,
    prov: Provenance,
    year: int,
    old: str,
    parts: list[tuple[int, str, float]],
    made: set[str],
    typed: dict[str, set[str]],
    typed_days: dict[str, date],
) -> None:
    """The records of one gemeente that ended on 1 January ``year``, or on the day in the year
    before that the typed-in herindelingen give (the table counts whole years: Weesp joined
    Amsterdam on 24 March 2022)."""
    line = parts[0][0]
    day = date(year, 1, 1)
    real = sorted((p for p in parts if p[2] >= PART), key=lambda p: -p[2])
    typed_day = typed_days.get(old)
    if typed_day and date(year - 1, 1, 1) < typed_day <= day:
        day = typed_day
    data: dict[str, Any] = {"id": old, "opgeheven": day}
    if len(real) > 1:
        data["opgesplitst_in"] = sorted(new for _, new, _ in real)
    for code in [old, *(new for _, new, _ in real)]:
        if code not in made:
            made.add(code)
            parsed.add_entity(line, "Gemeente", data if code == old else {"id": code}, prov)
    for part_line, new, share in real:
        parsed.add_relation(
            part_line,
            "OPGEGAAN_IN",
            NodeKey("Gemeente", old),
            NodeKey("Gemeente", new),
            prov,
            datum=day,
            aandeel=share,
        )
    published = {new for _, new, _ in real}
    if old in typed and typed[old] != published:
        shares = ", ".join(f"{new} ({share:.0%})" for _, new, share in real)
        parsed.problem(
            line,
            "gm_code_oud",
            old,
            f"de ingetypte herindelingen zeggen dat {old} opging in "
            f"{', '.join(sorted(typed[old])) or 'geen gemeente'}; "
            f"deze tabel zegt {shares}: deze tabel wordt gevolgd",
            fatal=False,
        )


def _typed_in() -> tuple[dict[str, set[str]], dict[str, date]]:
    """What the herindelingen the project typed in (shipped in ``importers/reference``) say
    each former gemeente became, and on which day: compared with this table, whatever the
    store holds."""
    found: dict[str, set[str]] = defaultdict(set)
    days: dict[str, date] = {}
    root = resources.files("importers") / "reference"
    for ref in root.iterdir():
        if not ref.name.startswith("herindelingen"):
            continue
        typed = native.parse(Path(str(ref)), "vergelijking")
        for _, e in typed.edges:
            if e.rel == "OPGEGAAN_IN":
                found[e.src.id].add(e.dst.id)
        for _, n in typed.nodes:
            split = n.props.get("opgesplitst_in")
            if n.kind == "Gemeente" and isinstance(split, list):
                found[n.id] |= {str(c) for c in split}
            if n.kind == "Gemeente" and n.props.get("opgeheven"):
                days[n.id] = date.fromisoformat(str(n.props["opgeheven"]))
    return found, days
