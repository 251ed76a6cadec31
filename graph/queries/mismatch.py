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
from typing import Annotated

from pydantic import Field, with_config

from graph.dated import as_of, day_of
from graph.queries.cache import CACHE
from graph.queries.domain import valid_on
from graph.queries.names import label
from graph.queries.pages import ALWAYS_SENT, Page
from graph.queries.pupils import METHODE, Flow, SchoolPupils, school_pupils
from graph.records import NodeKey
from graph.store import GraphStore


@with_config(ALWAYS_SENT)
@dataclass
class SwvRow:
    """One SWV's partners and pupil flows: how many parties it has to deal with and how many of
    its pupils live outside its region, the two measures of how badly its map fits."""

    swv: Annotated[str, Field(examples=["PO2704"])]
    gemeenten: Annotated[int, Field(description="gemeenten its region touches", examples=[5])]
    jeugdregios: Annotated[list[str], Field(examples=[["JZ11", "JZ15"]])]
    besturen: Annotated[int, Field(examples=[12])]
    scholen: Annotated[int, Field(examples=[60])]
    wijkteams: Annotated[int, Field(examples=[2])]
    zorgaanbieders: Annotated[
        int, Field(description="contracted by its gemeenten or jeugdregio's", examples=[3])
    ]
    leerlingen_min: Annotated[int, Field(examples=[14000])] = 0
    leerlingen_max: Annotated[
        int, Field(description="DUO masks counts under 5: a range", examples=[14200])
    ] = 0
    buiten_swv_min: Annotated[
        int, Field(description="pupils living outside the SWV's region, abroad included", examples=[900])
    ] = 0
    buiten_swv_max: Annotated[int, Field(examples=[1010])] = 0
    buitenland_min: Annotated[
        int, Field(description="pupils living abroad (DUO: Duitsland, België …)", examples=[0])
    ] = 0
    buitenland_max: Annotated[int, Field(examples=[4])] = 0
    # neither inside nor outside
    onbekend_min: Annotated[
        int, Field(description="pupils whose postcode DUO does not know: apart", examples=[12])
    ] = 0
    onbekend_max: Annotated[int, Field(examples=[30])] = 0
    # what to call it (graph.queries.names)
    naam: Annotated[
        str, Field(description="its name with its code", examples=["Samenwerkingsverband PO 27-04"])
    ] = ""
    jeugdregios_naam: Annotated[list[str], Field(examples=[["Jeugdregio Zuid Kennemerland (JZ11)"]])] = field(
        default_factory=list
    )


@with_config(ALWAYS_SENT)
@dataclass
class SplitGemeente:
    """A gemeente whose PC4 areas lie in more than one SWV of a sector: its schools and
    families deal with several SWVs for the same kind of support."""

    gemeente: Annotated[str, Field(examples=["GM0599"])]
    sector: Annotated[str, Field(examples=["PO"])]
    swvs: Annotated[
        dict[str, int],
        Field(
            description="SWV → number of the gemeente's PC4 areas in it",
            examples=[{"PO2801": 40, "PO2802": 12}],
        ),
    ]
    naam: Annotated[str, Field(examples=["Rotterdam (GM0599)"])] = ""
    swvs_naam: Annotated[
        dict[str, str],
        Field(
            description="SWV → its name with its code", examples=[{"PO2801": "Samenwerkingsverband PO 28-01"}]
        ),
    ] = field(default_factory=dict)


@with_config(ALWAYS_SENT)
@dataclass
class GemeenteFlow:
    """The pupils of one gemeente's schools and how many live elsewhere: where the school's
    gemeente and the one that pays the jeugdhulp (the home's) differ."""

    gemeente: Annotated[str, Field(examples=["GM0392"])]
    leerlingen_min: Annotated[int, Field(examples=[15000])] = 0
    leerlingen_max: Annotated[int, Field(examples=[15100])] = 0
    # by DUO's own gemeente of the pupil
    buiten_min: Annotated[
        int,
        Field(
            description="pupils of its schools living in another gemeente (DUO's own) or abroad",
            examples=[2100],
        ),
    ] = 0
    buiten_max: Annotated[int, Field(examples=[2250])] = 0
    buitenland_min: Annotated[int, Field(examples=[0])] = 0
    buitenland_max: Annotated[int, Field(examples=[4])] = 0
    onbekend_min: Annotated[
        int, Field(description="pupils whose postcode DUO does not know", examples=[5])
    ] = 0
    onbekend_max: Annotated[int, Field(examples=[20])] = 0
    scholen: Annotated[int, Field(description="schools with pupil counts", examples=[52])] = 0
    scholen_aangescherpt: Annotated[
        int, Field(description="schools whose total (DUO vestigingen) tightened the ranges", examples=[50])
    ] = 0
    naam: Annotated[str, Field(examples=["Haarlem (GM0392)"])] = ""


@with_config(ALWAYS_SENT)
@dataclass
class Report:
    """The whole national mismatch report, made once per day and data version: policymakers
    read it whole, the API also serves each list a page at a time."""

    swvs: list[SwvRow] = field(default_factory=list)
    swvs_in_several_jeugdregios: Annotated[list[str], Field(examples=[["PO2704"]])] = field(
        default_factory=list
    )
    swvs_in_several_jeugdregios_naam: Annotated[
        list[str],
        Field(
            description="the same SWVs by name",
            examples=[["Samenwerkingsverband Zuid-Kennemerland (PO 27-04)"]],
        ),
    ] = field(default_factory=list)
    split_gemeenten: list[SplitGemeente] = field(default_factory=list)
    pupil_flows_per_gemeente: list[GemeenteFlow] = field(default_factory=list)
    # graph.queries.pupils says how
    methode_leerlingen: Annotated[str, Field(description="how the pupil ranges are made")] = METHODE


# -- the report's lists a page at a time (the API's answers) ---------------------------------


@dataclass
class SwvRowPage(Page[SwvRow]):
    """A page of the report's SWV rows: ``/mismatch/swvs``."""

    items: list[SwvRow]
    size: Annotated[int, Field(examples=[50])]
    total: Annotated[int, Field(examples=[152])]


@dataclass
class SwvCodePage(Page[str]):
    """A page of the SWVs spanning several jeugdregio's, by code:
    ``/mismatch/swvs_in_several_jeugdregios``."""

    items: Annotated[list[str], Field(examples=[["PO2704", "VO2705"]])]
    size: Annotated[int, Field(examples=[50])]
    total: Annotated[int, Field(examples=[2])]


@dataclass
class SplitGemeentePage(Page[SplitGemeente]):
    """A page of the gemeenten split over SWVs of one sector: ``/mismatch/split_gemeenten``."""

    items: list[SplitGemeente]
    size: Annotated[int, Field(examples=[50])]
    total: Annotated[int, Field(examples=[44])]


@dataclass
class GemeenteFlowPage(Page[GemeenteFlow]):
    """A page of the pupil flows per gemeente: ``/mismatch/pupil_flows_per_gemeente``."""

    items: list[GemeenteFlow]
    size: Annotated[int, Field(examples=[50])]
    total: Annotated[int, Field(examples=[13])]


def gemeenten_per_pc4(store: GraphStore) -> dict[str, set[str]]:
    """Every PC4 area's gemeente(s), from one scan of the relation: what the national
    pictures and the map join everything else on."""
    found: dict[str, set[str]] = defaultdict(set)
    for e in store.edges(rel="LIGT_IN"):
        if e.src.kind == "PC4" and e.dst.kind == "Gemeente":
            found[e.src.id].add(e.dst.id)
    return found


def current_report(store: GraphStore, on: date | None = None) -> Report:
    """The report on a day (default: the dated view's, :func:`graph.dated.as_of`, or today),
    kept until the data changes."""
    store = as_of(store, on)
    day = day_of(store, on)
    return CACHE.get(store, f"mismatch:{day.isoformat()}", lambda s: mismatch(s, day))


def mismatch(store: GraphStore, on: date | None = None) -> Report:
    """The national mismatch report: per SWV how many gemeenten, jeugdregio's, boards,
    schools, wijkteams and contracted providers it has to deal with, the SWVs spread over
    several jeugdregio's, the gemeenten split over SWVs and the pupils who cross a border.

    Parameters
    ----------
    store : GraphStore
        The kaart (either backend).
    on : date, optional
        The day (default today): providers count when their contract is valid then, as in a
        who-serves answer.

    Returns
    -------
    Report
        Its sections, each made by one function from one scan of the store.

    Examples
    --------
    >>> from graph.queries.example import tiny_kaart
    >>> row = mismatch(tiny_kaart()).swvs[0]
    >>> row.naam, row.gemeenten, row.jeugdregios_naam
    ('Samenwerkingsverband Voorbeeld (PO 99-01)', 2, ['Jeugdregio Voorbeeld (JZ99)'])
    """
    store = as_of(store, on)
    scan = _scan(store, day_of(store, on))
    report = Report(swvs=_swv_rows(scan))
    several = [r for r in sorted(report.swvs, key=lambda r: -len(r.jeugdregios)) if len(r.jeugdregios) > 1]
    report.swvs_in_several_jeugdregios = [r.swv for r in several]
    report.swvs_in_several_jeugdregios_naam = [r.naam for r in several]
    report.split_gemeenten = _split_gemeenten(scan)
    report.pupil_flows_per_gemeente = _gemeente_flows(scan)
    return report


@dataclass
class _Scan:
    """The whole-relation scans the report is made of: every fact read once."""

    pc4_gm: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    school_pc4: dict[str, str] = field(default_factory=dict)
    school_gm: dict[str, str] = field(default_factory=dict)
    swv_pc4: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    pc4_swv: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    jeugdregio: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    boards_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    soort: dict[str, str] = field(default_factory=dict)
    teams: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    buyers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # buyer -> providers
    pupils: dict[str, SchoolPupils] = field(default_factory=dict)
    names: dict[NodeKey, str] = field(default_factory=dict)

    def sector_of(self, school: str) -> str:
        return "VO" if self.soort.get(school) in ("VO", "VSO") else "PO"

    def name(self, kind: str, ident: str) -> str:
        key = NodeKey(kind, ident)
        return self.names.get(key) or label(None, key)


def _scan(store: GraphStore, day: date) -> _Scan:
    scan = _Scan()
    for e in store.edges(rel="LIGT_IN"):
        if e.src.kind == "PC4" and e.dst.kind == "Gemeente":
            scan.pc4_gm[e.src.id].add(e.dst.id)
        elif e.src.kind == "School" and e.dst.kind == "PC4":
            scan.school_pc4.setdefault(e.src.id, e.dst.id)
        elif e.src.kind == "School" and e.dst.kind == "Gemeente":
            scan.school_gm.setdefault(e.src.id, e.dst.id)
    for e in store.edges(rel="IN_WERKGEBIED"):
        if e.src.kind == "PC4":
            scan.swv_pc4[e.dst.id].add(e.src.id)
            scan.pc4_swv[(e.src.id, e.dst.id[:2])].add(e.dst.id)
    for e in store.edges(rel="HOORT_BIJ"):
        if e.dst.id.startswith("JZ") and not e.props.get("deels"):
            scan.jeugdregio[e.src.id].add(e.dst.id)
    for e in store.edges(rel="BESTUURT"):
        scan.boards_of[e.dst.id].add(e.src.id)
    scan.soort = {n.id: str(n.props.get("soort") or "") for n in store.nodes("School")}
    for e in store.edges(rel="WERKT_VOOR"):
        scan.teams[e.dst.id].add(e.src.id)
    valid = {c.id for c in store.nodes("Contract") if valid_on(c.props, day)}
    contract_buyer = {e.dst.id: e.src.id for e in store.edges(rel="OPDRACHTGEVER_VAN") if e.dst.id in valid}
    for e in store.edges(rel="GECONTRACTEERD"):
        if e.src.id in contract_buyer:
            scan.buyers[contract_buyer[e.src.id]].add(e.dst.id)
    scan.pupils = school_pupils(store)
    for kind in ("Swv", "Gemeente", "Regio"):
        scan.names.update({n.key: label(n) for n in store.nodes(kind)})
    return scan


def _swv_rows(scan: _Scan) -> list[SwvRow]:
    school_swv = {s: scan.pc4_swv.get((pc, scan.sector_of(s)), set()) for s, pc in scan.school_pc4.items()}
    rows = []
    for swv, pcs in sorted(scan.swv_pc4.items()):
        gms = {g for p in pcs for g in scan.pc4_gm.get(p, ())}
        regions = sorted({r for g in gms for r in scan.jeugdregio.get(g, ())})
        schools = {s for s, swvs in school_swv.items() if swv in swvs}
        row = SwvRow(
            swv,
            len(gms),
            regions,
            len({b for s in schools for b in scan.boards_of.get(s, ())}),
            len(schools),
            len({t for g in gms for t in scan.teams.get(g, ())}),
            len({p for buyer in gms | set(regions) for p in scan.buyers.get(buyer, ())}),
            naam=scan.name("Swv", swv),
            jeugdregios_naam=[scan.name("Regio", r) for r in regions],
        )
        for school in sorted(schools & scan.pupils.keys()):
            pupils = scan.pupils[school]
            outside = _plus(pupils.cells(lambda f, pcs=pcs: f.pc4 not in pcs), pupils.buitenland)  # type: ignore[misc]
            _add(row, "leerlingen", pupils.range(pupils.everything()))
            _add(row, "buiten_swv", pupils.range(outside))
            _add(row, "buitenland", pupils.range(pupils.buitenland))
            _add(row, "onbekend", pupils.range(pupils.onbekend))
        rows.append(row)
    return rows


def _split_gemeenten(scan: _Scan) -> list[SplitGemeente]:
    per_gm: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (pc, sector), swvs in scan.pc4_swv.items():
        for g in scan.pc4_gm.get(pc, ()):
            for s in swvs:
                per_gm[(g, sector)][s] += 1
    return sorted(
        (
            SplitGemeente(
                g,
                sector,
                dict(sorted(counts.items())),
                scan.name("Gemeente", g),
                {s: scan.name("Swv", s) for s in sorted(counts)},
            )
            for (g, sector), counts in per_gm.items()
            if len(counts) > 1
        ),
        key=lambda x: (-len(x.swvs), x.gemeente, x.sector),
    )


def _gemeente_flows(scan: _Scan) -> list[GemeenteFlow]:
    """Per gemeente of the schools: their pupils, those living in another gemeente (by DUO's
    own gemeente of the pupil, else the PC4's) or abroad, and those DUO cannot place."""
    flows: dict[str, GemeenteFlow] = {}
    for school, pupils in sorted(scan.pupils.items()):
        gm = scan.school_gm.get(school)
        if gm is None:
            continue
        row = flows.setdefault(gm, GemeenteFlow(gm, naam=scan.name("Gemeente", gm)))

        def elsewhere(f: Flow, gm: str = gm) -> bool:
            return f.gemeente != gm if f.gemeente else gm not in scan.pc4_gm.get(f.pc4, set())

        _add(row, "leerlingen", pupils.range(pupils.everything()))
        _add(row, "buiten", pupils.range(_plus(pupils.cells(elsewhere), pupils.buitenland)))
        _add(row, "buitenland", pupils.range(pupils.buitenland))
        _add(row, "onbekend", pupils.range(pupils.onbekend))
        row.scholen += 1
        row.scholen_aangescherpt += pupils.tightened()
    return [flows[g] for g in sorted(flows)]


def _plus(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def _add(row: SwvRow | GemeenteFlow, name: str, span: tuple[int, int]) -> None:
    setattr(row, f"{name}_min", getattr(row, f"{name}_min") + span[0])
    setattr(row, f"{name}_max", getattr(row, f"{name}_max") + span[1])
