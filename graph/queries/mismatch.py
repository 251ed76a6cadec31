"""The national mismatch report: where the maps of education and youth care do not line up.

Computed from whole relation scans, so it costs the same on a laptop and on Neo4j and reads
every fact once: SWVs spanning several jeugdregio's, gemeenten split over SWVs of one sector,
partners per SWV, and the share of pupils who live outside their school's SWV or gemeente
(from DUO's pupil postcodes; masked counts give a range).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from graph.queries.cache import CACHE
from graph.queries.domain import valid_on
from graph.store import GraphStore


@dataclass
class SwvRow:
    swv: str
    gemeenten: int
    jeugdregios: list[str]
    besturen: int
    scholen: int
    wijkteams: int
    zorgaanbieders: int
    leerlingen_min: int = 0
    leerlingen_max: int = 0
    buiten_swv_min: int = 0
    buiten_swv_max: int = 0


@dataclass
class SplitGemeente:
    gemeente: str
    sector: str
    swvs: dict[str, int]  # SWV -> number of the gemeente's PC4 areas in it


@dataclass
class GemeenteFlow:
    gemeente: str
    leerlingen_min: int
    leerlingen_max: int
    buiten_min: int
    buiten_max: int


@dataclass
class Report:
    swvs: list[SwvRow] = field(default_factory=list)
    swvs_in_several_jeugdregios: list[str] = field(default_factory=list)
    split_gemeenten: list[SplitGemeente] = field(default_factory=list)
    pupil_flows_per_gemeente: list[GemeenteFlow] = field(default_factory=list)


def gemeenten_per_pc4(store: GraphStore) -> dict[str, set[str]]:
    """Every PC4 area's gemeente(s), from one scan of the relation: what the national
    pictures and the map join everything else on."""
    found: dict[str, set[str]] = defaultdict(set)
    for e in store.edges(rel="LIGT_IN"):
        if e.src.kind == "PC4" and e.dst.kind == "Gemeente":
            found[e.src.id].add(e.dst.id)
    return found


def current_report(store: GraphStore) -> Report:
    """Today's report, kept until the data changes or the day does (contracts run out)."""
    today = date.today()
    return CACHE.get(store, f"mismatch:{today.isoformat()}", lambda s: mismatch(s, today))


def mismatch(store: GraphStore, on: date | None = None) -> Report:
    """The report on a day (default today): providers count when their contract is valid
    then, as in a who-serves answer."""
    day = on or date.today()
    pc4_gm: dict[str, set[str]] = defaultdict(set)
    school_pc4: dict[str, str] = {}
    school_gm: dict[str, str] = {}
    for e in store.edges(rel="LIGT_IN"):
        if e.src.kind == "PC4" and e.dst.kind == "Gemeente":
            pc4_gm[e.src.id].add(e.dst.id)
        elif e.src.kind == "School" and e.dst.kind == "PC4":
            school_pc4.setdefault(e.src.id, e.dst.id)
        elif e.src.kind == "School" and e.dst.kind == "Gemeente":
            school_gm.setdefault(e.src.id, e.dst.id)
    swv_pc4: dict[str, set[str]] = defaultdict(set)
    pc4_swv: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in store.edges(rel="IN_WERKGEBIED"):
        if e.src.kind == "PC4":
            swv_pc4[e.dst.id].add(e.src.id)
            pc4_swv[(e.src.id, e.dst.id[:2])].add(e.dst.id)
    jeugdregio: dict[str, set[str]] = defaultdict(set)
    for e in store.edges(rel="HOORT_BIJ"):
        if e.dst.id.startswith("JZ") and not e.props.get("deels"):
            jeugdregio[e.src.id].add(e.dst.id)
    boards_of: dict[str, set[str]] = defaultdict(set)
    for e in store.edges(rel="BESTUURT"):
        boards_of[e.dst.id].add(e.src.id)
    soort = {n.id: str(n.props.get("soort") or "") for n in store.nodes("School")}
    teams: dict[str, set[str]] = defaultdict(set)
    for e in store.edges(rel="WERKT_VOOR"):
        teams[e.dst.id].add(e.src.id)
    buyers: dict[str, set[str]] = defaultdict(set)  # gemeente or regio -> providers
    valid = {c.id for c in store.nodes("Contract") if valid_on(c.props, day)}
    contract_buyer = {e.dst.id: e.src.id for e in store.edges(rel="OPDRACHTGEVER_VAN") if e.dst.id in valid}
    for e in store.edges(rel="GECONTRACTEERD"):
        if e.src.id in contract_buyer:
            buyers[contract_buyer[e.src.id]].add(e.dst.id)
    flows = [
        (e.src.id, e.dst.id, int(e.props.get("aantal_min", 0)), int(e.props.get("aantal_max", 0)))
        for e in store.edges(rel="LEERLINGEN_UIT")
    ]

    def sector_of(school: str) -> str:
        return "VO" if soort.get(school) in ("VO", "VSO") else "PO"

    report = Report()
    school_swv = {s: pc4_swv.get((pc, sector_of(s)), set()) for s, pc in school_pc4.items()}
    for swv, pcs in sorted(swv_pc4.items()):
        gms = {g for p in pcs for g in pc4_gm.get(p, ())}
        regions = sorted({r for g in gms for r in jeugdregio.get(g, ())})
        schools = {s for s, swvs in school_swv.items() if swv in swvs}
        row = SwvRow(
            swv,
            len(gms),
            regions,
            len({b for s in schools for b in boards_of.get(s, ())}),
            len(schools),
            len({t for g in gms for t in teams.get(g, ())}),
            len({p for buyer in gms | set(regions) for p in buyers.get(buyer, ())}),
        )
        for school, home, low, high in flows:
            if swv in school_swv.get(school, ()):
                row.leerlingen_min += low
                row.leerlingen_max += high
                if swv not in pc4_swv.get((home, swv[:2]), set()):
                    row.buiten_swv_min += low
                    row.buiten_swv_max += high
        report.swvs.append(row)
    report.swvs_in_several_jeugdregios = [
        r.swv for r in sorted(report.swvs, key=lambda r: -len(r.jeugdregios)) if len(r.jeugdregios) > 1
    ]
    per_gm: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (pc, sector), swvs in pc4_swv.items():
        for g in pc4_gm.get(pc, ()):
            for s in swvs:
                per_gm[(g, sector)][s] += 1
    report.split_gemeenten = sorted(
        (
            SplitGemeente(g, sector, dict(sorted(counts.items())))
            for (g, sector), counts in per_gm.items()
            if len(counts) > 1
        ),
        key=lambda x: (-len(x.swvs), x.gemeente, x.sector),
    )
    gm_flow: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for school, home, low, high in flows:
        gm = school_gm.get(school)
        if gm is None:
            continue
        f = gm_flow[gm]
        f[0] += low
        f[1] += high
        if gm not in pc4_gm.get(home, set()):
            f[2] += low
            f[3] += high
    report.pupil_flows_per_gemeente = [GemeenteFlow(g, *v) for g, v in sorted(gm_flow.items())]
    return report
