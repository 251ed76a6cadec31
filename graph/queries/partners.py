"""Everyone an SWV deals with: its gemeenten and their jeugdregio's, wijkteams and contracted
providers, and its schoolbesturen and schools.

The picture of an SWV (:mod:`viz.swv`) draws this; it is gathered here so that the picture
reads nothing itself and an SWV's partners are one question of the graph, as of a day. Every
part is given whole: how much of it to draw one by one is the picture's choice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from graph import ids
from graph.dated import as_of, day_of
from graph.props import text
from graph.queries.domain import SECTOR, valid_on
from graph.queries.errors import QuestionError
from graph.queries.names import label, naam_of
from graph.queries.pictures import Genoemd, pc4_gemeenten
from graph.records import NodeKey, NodeRecord
from graph.store import GraphStore


@dataclass(frozen=True)
class PartnerGemeente:
    """A gemeente the SWV's region touches: by its PC4 areas, or because the regulation of
    the SWV regions names it (possibly for some postcodes only)."""

    id: str
    naam: str | None
    pc4: int  # its PC4 areas in the SWV's region
    regeling: str | None  # the regulation names it, with this postcode restriction ("": none)
    bekend: bool  # stored: only a stored gemeente has regions, wijkteams and contracts


@dataclass(frozen=True)
class Jeugdregio:
    """A gemeente's membership of a jeugdregio; ``deels``: only through a gemeente it
    absorbed after the region was drawn."""

    gemeente: str
    regio: Genoemd
    deels: bool


@dataclass(frozen=True)
class Wijkteam:
    """A wijkteam that works for one of the SWV's gemeenten: where the SWV's pupils get
    access to youth care."""

    id: str
    naam: str | None
    soort: str  # wijkteam, jeugdteam …


@dataclass(frozen=True)
class Zorgaanbieder:
    """A provider contracted by one of the gemeenten or their jeugdregio's on the day: the
    youth care the SWV's pupils can be referred to, with who bought it."""

    id: str
    naam: str | None
    contracten: dict[str, list[str]]  # buyer (Gemeente:GM… or Regio:JZ…) → its contract ids


@dataclass(frozen=True)
class Schoolbestuur:
    """A board: a member of the SWV, or the bevoegd gezag of one of its schools; the SWV
    deals with boards, which hold the zorgplicht, more than with single schools."""

    id: str
    naam: str | None
    label: str
    lid: bool  # LID_VAN the SWV


@dataclass(frozen=True)
class School:
    """A school of the SWV: joined to it, or lying in its region in its sector, because a
    school whose membership no source records belongs to the SWV of its place."""

    id: str
    naam: str | None
    label: str
    soort: str
    plaats: str
    bestuur: str | None  # its bevoegd gezag (possibly not stored)
    aangesloten: bool  # AANGESLOTEN_BIJ the SWV


@dataclass
class SwvPartners:
    """One SWV and its partners on a day, each part whole and in a fixed order, so that the
    picture (which caps large parts) is the same every time it is drawn."""

    code: str
    naam: str | None
    label: str
    sector: str | None
    bron: str
    bron_datum: str
    day: date
    pc4: int  # PC4 areas in its region
    gemeenten: list[PartnerGemeente] = field(default_factory=list)  # by code
    jeugdregios: list[Jeugdregio] = field(default_factory=list)  # by gemeente
    wijkteams: list[Wijkteam] = field(default_factory=list)  # by id
    #: (wijkteam, gemeente) it works for, by gemeente
    wijkteam_gemeenten: list[tuple[str, str]] = field(default_factory=list)
    zorgaanbieders: list[Zorgaanbieder] = field(default_factory=list)  # by id
    besturen: list[Schoolbestuur] = field(default_factory=list)  # by id
    scholen: list[School] = field(default_factory=list)  # by id


def swv_partners(store: GraphStore, swv_id: str, on: date | None = None) -> SwvPartners:
    """The SWV and everyone it deals with, for the picture of its neighbourhood.

    Parameters
    ----------
    store:
        the store; read as of ``on``
    swv_id:
        the SWV's code in any spelling: ``PO2704``, ``PO 27-04``
    on:
        the day (default: the dated view's, or today); contracts count when valid then

    Returns
    -------
    SwvPartners
        the SWV named, with its gemeenten, jeugdregio's, wijkteams, contracted providers,
        schoolbesturen and schools

    Raises
    ------
    QuestionError
        404 for an SWV not known, 422 for a code that is no SWV code
    """
    store = as_of(store, on)
    try:
        code = ids.swv_code(swv_id)
    except ids.IdentifierError as exc:
        raise QuestionError("regio", f"{exc}; geef een SWV-code zoals PO2704") from None
    key = NodeKey("Swv", code)
    swv = store.node(key)
    if swv is None:
        raise QuestionError("regio", f"samenwerkingsverband {code} is niet bekend in de kaart", 404)
    pc4 = {e.src.id for e in store.edges(rel="IN_WERKGEBIED", dst=key) if e.src.kind == "PC4"}
    partners = SwvPartners(
        code=code,
        naam=naam_of(swv),
        label=label(swv),
        sector=str(swv.props["sector"]) if swv.props.get("sector") else None,
        bron=str(swv.props.get("source", "?")),
        bron_datum=str(swv.props.get("source_date", "?")),
        day=day_of(store, on),
        pc4=len(pc4),
        gemeenten=_gemeenten(store, key, pc4),
    )
    stored = [g.id for g in partners.gemeenten if g.bekend]
    partners.jeugdregios = _jeugdregios(store, stored)
    partners.wijkteams, partners.wijkteam_gemeenten = _wijkteams(store, stored)
    buyers = [f"Gemeente:{g}" for g in stored]
    buyers += list(dict.fromkeys(f"Regio:{j.regio.id}" for j in partners.jeugdregios))
    partners.zorgaanbieders = _zorgaanbieders(store, buyers, partners.day)
    partners.scholen, partners.besturen = _scholen(store, key, pc4)
    return partners


def _gemeenten(store: GraphStore, key: NodeKey, pc4: set[str]) -> list[PartnerGemeente]:
    per_gemeente: dict[str, set[str]] = defaultdict(set)
    for pc in pc4:
        for gm in pc4_gemeenten(store, pc):
            per_gemeente[gm].add(pc)
    restricted = {
        e.src.id: str(e.props.get("postcode_restrictie") or "")
        for e in store.edges(rel="IN_WERKGEBIED", dst=key)
        if e.src.kind == "Gemeente"
    }
    found = set(per_gemeente) | set(restricted)
    records = _records(store, "Gemeente", found)
    return [
        PartnerGemeente(
            gm,
            naam_of(records.get(gm)),
            len(per_gemeente.get(gm, ())),
            restricted.get(gm),
            gm in records,
        )
        for gm in sorted(found)
    ]


def _records(store: GraphStore, kind: str, ids: Iterable[str]) -> dict[str, NodeRecord]:
    """The stored nodes of ``kind`` among ``ids``, by id, in one read."""
    wanted = sorted(set(ids))
    return {n.id: n for n in store.nodes(kind, wanted)} if wanted else {}


def _jeugdregios(store: GraphStore, gemeenten: list[str]) -> list[Jeugdregio]:
    """The jeugdregio's of the gemeenten (HOORT_BIJ a Regio of soort jeugdregio)."""
    links = {
        gm: [
            (e.dst.id, bool(e.props.get("deels")))
            for e in store.edges(rel="HOORT_BIJ", src=NodeKey("Gemeente", gm))
            if e.dst.kind == "Regio"
        ]
        for gm in gemeenten
    }
    regions = _records(store, "Regio", {r for found in links.values() for r, _ in found})
    out = []
    for gm, found in sorted(links.items()):
        for region_id, partly in found:
            region = regions.get(region_id)
            if region is None or region.props.get("soort") != "jeugdregio":
                continue
            out.append(Jeugdregio(gm, Genoemd(region_id, naam_of(region), label(region)), partly))
    return out


def _wijkteams(store: GraphStore, gemeenten: list[str]) -> tuple[list[Wijkteam], list[tuple[str, str]]]:
    """The stored wijkteams working for the gemeenten, and which one each works for."""
    links = [
        (e.src.id, gm)
        for gm in sorted(gemeenten)
        for e in store.edges(rel="WERKT_VOOR", dst=NodeKey("Gemeente", gm))
    ]
    teams = _records(store, "Wijkteam", {t for t, _ in links})
    found = [
        Wijkteam(team_id, naam_of(team), str(team.props.get("soort", "wijkteam")))
        for team_id, team in sorted(teams.items())
    ]
    return found, [(t, gm) for t, gm in links if t in teams]


def _zorgaanbieders(store: GraphStore, buyers: list[str], day: date) -> list[Zorgaanbieder]:
    """Providers contracted by the buyers (gemeenten, jeugdregio's) on ``day``."""
    links: dict[str, dict[str, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )  # provider→buyer→contracts
    for buyer in buyers:
        kind, _, ident = buyer.partition(":")
        for c in store.edges(rel="OPDRACHTGEVER_VAN", src=NodeKey(kind, ident)):
            contract = store.node(c.dst)
            if contract is None or not valid_on(contract.props, day):
                continue
            for p in store.edges(rel="GECONTRACTEERD", src=c.dst):
                links[p.dst.id][buyer].append(c.dst.id)
    providers = _records(store, "Zorgaanbieder", links)
    return [Zorgaanbieder(pid, naam_of(p), dict(links[pid])) for pid, p in sorted(providers.items())]


def _scholen(store: GraphStore, key: NodeKey, pc4: set[str]) -> tuple[list[School], list[Schoolbestuur]]:
    """Schools belonging to the SWV (AANGESLOTEN_BIJ) or lying in its region in its sector,
    with their besturen (LID_VAN, or bevoegd gezag of one of the schools)."""
    joined = {e.src.id for e in store.edges(rel="AANGESLOTEN_BIJ", dst=key)}
    located = {
        e.src.id
        for pc in pc4
        for e in store.edges(rel="LIGT_IN", dst=NodeKey("PC4", pc))
        if e.src.kind == "School"
    }
    schools = _records(store, "School", joined | located)
    sector = key.id[:2]
    mine = {
        s
        for s, r in schools.items()
        if s in joined or SECTOR.get(str(r.props.get("soort") or ""), "PO") == sector
    }
    board_of = {e.dst.id: e.src.id for e in store.edges(rel="BESTUURT") if e.dst.id in mine}
    members = {e.src.id for e in store.edges(rel="LID_VAN", dst=key)}
    boards = _records(store, "Schoolbestuur", set(board_of.values()) | members)
    scholen = [
        School(
            sid,
            naam_of(record),
            label(record),
            text(record.props, "soort") or "?",
            text(record.props, "plaats") or "",
            board_of.get(sid),
            sid in joined,
        )
        for sid, record in sorted(schools.items())
        if sid in mine
    ]
    besturen = [Schoolbestuur(bid, naam_of(r), label(r), bid in members) for bid, r in sorted(boards.items())]
    return scholen, besturen
