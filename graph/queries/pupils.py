"""Where the pupils of each school live, from DUO's masked counts: ranges, tightened where
the school's own total allows.

DUO masks every count under 5 as ``<5``, a cell of 1 to 4 pupils, so a sum over many cells is
a wide range (Groningen: 14,555–27,737 pupils). But DUO's list of school locations gives each
school's total: the masked cells of a school sum to its total minus its exact cells. With
``m`` masked cells summing to ``S`` (each 1–4), any ``a`` of them sum to at least
``max(a, S - 4(m - a))`` and at most ``min(4a, S - (m - a))``. Where a school's total does not
fit its cells (``S`` outside ``m..4m``: the totals are of November, the pupil counts of
October), its range stays as DUO's cells give it. Every answer names the method
(:data:`METHODE`) and how many schools' totals were used.

>>> s = SchoolPupils("00AA00", 20, flows=[Flow("2011", "GM0392", 10, 1), Flow("2012", "GM0394", 0, 2)])
>>> s.range(s.cells(lambda f: f.gemeente != "GM0392")), s.tightened()
((6, 8), True)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.store import GraphStore

METHODE = (
    "DUO toont aantallen onder 5 als '<5' (1 tot 4 leerlingen): elk aantal is een bandbreedte. "
    "Waar het totaal van de school (DUO vestigingen) bij de cellen past, is de bandbreedte daarmee "
    "aangescherpt: de gemaskeerde cellen van een school tellen op tot haar totaal min de bekende cellen. "
    "De woongemeente is die van DUO zelf; leerlingen in het buitenland tellen als buiten, die met een "
    "onbekende postcode staan apart."
)


@dataclass(frozen=True)
class Flow:
    """Pupils of a school from one home PC4 (and the gemeente DUO places them in)."""

    pc4: str
    gemeente: str | None
    bekend: int
    gemaskeerd: int


@dataclass
class SchoolPupils:
    """One school's pupils by home gemeente as DUO publishes them, small cells masked: the
    masked cells are only known within bounds, which the school's total can tighten."""

    school: str
    total: int | None
    flows: list[Flow] = field(default_factory=list)
    buitenland: tuple[int, int] = (0, 0)
    onbekend: tuple[int, int] = (0, 0)

    def everything(self) -> tuple[int, int]:
        """The known pupils of all cells, and how many cells are masked."""
        bekend = sum(f.bekend for f in self.flows) + self.buitenland[0] + self.onbekend[0]
        return bekend, sum(f.gemaskeerd for f in self.flows) + self.buitenland[1] + self.onbekend[1]

    def cells(self, where: Callable[[Flow], bool]) -> tuple[int, int]:
        """The known pupils and masked cells of the flows ``where`` picks (one gemeente, say)."""
        chosen = [f for f in self.flows if where(f)]
        return sum(f.bekend for f in chosen), sum(f.gemaskeerd for f in chosen)

    def masked_sum(self) -> int | None:
        """What the masked cells add up to, when the school's total fits its cells."""
        bekend, masked = self.everything()
        if self.total is None:
            return None
        rest = self.total - bekend
        return rest if masked <= rest <= 4 * masked else None

    def tightened(self) -> bool:
        """Whether the total narrows the masked cells down (so ranges are tighter than 1–4 each)."""
        return self.masked_sum() is not None

    def range(self, group: tuple[int, int]) -> tuple[int, int]:
        """The fewest and most pupils a group of this school's cells can hold."""
        bekend, a = group
        rest = self.masked_sum()
        if rest is None:
            return bekend + a, bekend + 4 * a
        m = self.everything()[1]
        return bekend + max(a, rest - 4 * (m - a)), bekend + min(4 * a, rest - (m - a))


def flow_of(pc4: str, props: dict[str, object]) -> list[Flow]:
    """The flows of one LEERLINGEN_UIT edge: one per gemeente DUO names for the PC4, else one
    without a gemeente. Edges of an older import (only ``aantal_min``..``aantal_max``) are read
    as exact cells plus masked ones."""
    parts = props.get("per_gemeente")
    if isinstance(parts, list) and parts:
        out = []
        for part in parts:
            gm, known, hidden = str(part).split(":")
            out.append(Flow(pc4, gm, int(known), int(hidden)))
        return out
    bekend, masked = props.get("bekend"), props.get("gemaskeerd")
    if isinstance(bekend, int) and isinstance(masked, int):
        return [Flow(pc4, None, bekend, masked)]
    low, high = int(props.get("aantal_min", 0) or 0), int(props.get("aantal_max", 0) or 0)  # type: ignore[call-overload]
    masked = (high - low) // 3
    return [Flow(pc4, None, low - masked, masked)]


def school_pupils(store: GraphStore) -> dict[str, SchoolPupils]:
    """Every school with pupil counts: one scan of LEERLINGEN_UIT and of the schools."""
    flows: dict[str, list[Flow]] = defaultdict(list)
    for e in store.edges(rel="LEERLINGEN_UIT"):
        flows[e.src.id] += flow_of(e.dst.id, dict(e.props))
    out = {}
    for n in store.nodes("School"):
        p = n.props
        away = (_int(p.get("buitenland_bekend")), _int(p.get("buitenland_gemaskeerd")))
        unknown = (_int(p.get("onbekend_bekend")), _int(p.get("onbekend_gemaskeerd")))
        if n.id not in flows and away == unknown == (0, 0):
            continue
        total = p.get("leerlingen")
        out[n.id] = SchoolPupils(
            n.id, total if isinstance(total, int) else None, flows.get(n.id, []), away, unknown
        )
    return out


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
