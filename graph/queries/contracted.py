"""The providers a pupil can go to: contracted for the need, on the reference date, by the home
gemeente or its jeugdregio (not by the school's gemeente: the woonplaatsbeginsel), read from
the neighbourhood fetched for the question."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from graph.neighbourhood import Neighbourhood
from graph.props import number, text
from graph.queries.answer import Offer, Place, Provider, step_of
from graph.queries.domain import distance_km, valid_on
from graph.queries.names import name_of
from graph.records import NodeKey, NodeRecord

#: Where a provider with no known wait or distance sorts: after every one that has them.
_UNKNOWN = 999.0


def contracted_providers(
    g: Neighbourhood,
    need: str,
    day: date,
    buyers: list[NodeKey],
    home_pc4: NodeRecord | None,
    school_pc4: NodeRecord | None,
) -> list[Provider]:
    """Providers contracted for the need on the day by the buyers (the home gemeente, then
    its jeugdregio's), each with its offers for the need, their locations' distance to home
    and school, and the waiting time where known; shortest wait first, then nearest."""
    found: dict[str, Provider] = {}
    for buyer in buyers:
        for c_edge in g.out(buyer, "OPDRACHTGEVER_VAN", "Contract"):
            contract = g.node(c_edge.dst)
            if contract is None or not valid_on(dict(contract.props), day):
                continue
            if need not in {e.dst.id for e in g.out(contract.key, "VOOR_BEHOEFTE")}:
                continue
            for p_edge in g.out(contract.key, "GECONTRACTEERD", "Zorgaanbieder"):
                if p_edge.dst.id in found:
                    continue
                provider = g.node(p_edge.dst)
                offers = _offers(g, p_edge.dst, need, home_pc4, school_pc4)
                found[p_edge.dst.id] = Provider(
                    p_edge.dst.id,
                    name_of(provider) or p_edge.dst.id,
                    contract.id,
                    buyer.id,
                    offers,
                    _nearest([p.km_thuis for o in offers for p in o.locaties]),
                    _nearest([p.km_school for o in offers for p in o.locaties]),
                    [step_of(r) for r in (c_edge, contract, p_edge, provider) if r is not None],
                    name_of(g.node(buyer)),
                )
    return sorted(found.values(), key=_rank)


def providers_by_need(
    g: Neighbourhood, day: date, buyers: list[NodeKey], home_pc4: NodeRecord | None
) -> dict[str, list[Provider]]:
    """:func:`contracted_providers` for every need the buyers' contracts cover, without the
    distances to a school: what a home keeps (every need, so that what is kept does not say
    which need was asked about); :func:`with_school_distances` adds the school's."""
    needs = {
        e.dst.id
        for buyer in buyers
        for c_edge in g.out(buyer, "OPDRACHTGEVER_VAN", "Contract")
        for e in g.out(c_edge.dst, "VOOR_BEHOEFTE")
    }
    return {need: contracted_providers(g, need, day, buyers, home_pc4, None) for need in sorted(needs)}


def with_school_distances(
    g: Neighbourhood, providers: list[Provider], school_pc4: NodeRecord | None
) -> list[Provider]:
    """The providers with each location's distance to the school filled in (new records: the
    kept ones are shared by every question from the same home). The order does not change:
    it is by wait and distance to home."""
    if school_pc4 is None:
        return providers
    found = []
    for p in providers:
        offers = [
            replace(o, locaties=[replace(pl, km_school=_km(g, school_pc4, pl.postcode)) for pl in o.locaties])
            for o in p.offers
        ]
        nearest = _nearest([pl.km_school for o in offers for pl in o.locaties])
        found.append(replace(p, offers=offers, distance_school_km=nearest))
    return found


def _km(g: Neighbourhood, school_pc4: NodeRecord, pc: str) -> float | None:
    return distance_km(school_pc4, g.node(NodeKey("PC4", pc)) if pc else None)


def _offers(
    g: Neighbourhood, provider: NodeKey, need: str, home_pc4: NodeRecord | None, school_pc4: NodeRecord | None
) -> list[Offer]:
    """The provider's offers for the need, each with its locations and their distances."""
    offers = []
    for b in g.out(provider, "BIEDT", "Aanbod"):
        offer = g.node(b.dst)
        if offer is None or need not in {e.dst.id for e in g.out(b.dst, "VOOR_BEHOEFTE")}:
            continue
        places = []
        for loc_edge in g.out(b.dst, "OP_LOCATIE", "Locatie"):
            loc = g.node(loc_edge.dst)
            pc = str(loc.props.get("postcode", ""))[:4] if loc else ""
            pc_node = g.node(NodeKey("PC4", pc)) if pc else None
            places.append(
                Place(loc_edge.dst.id, pc, distance_km(home_pc4, pc_node), distance_km(school_pc4, pc_node))
            )
        props = offer.props
        offers.append(
            Offer(
                offer.id,
                text(props, "naam"),
                number(props, "wachttijd_weken"),
                text(props, "wachttijd_datum"),
                text(props, "wachttijd_bron"),
                places,
            )
        )
    return offers


def _nearest(distances: list[float | None]) -> float | None:
    known = [d for d in distances if d is not None]
    return min(known) if known else None


def _rank(p: Provider) -> tuple[float, float]:
    """Shortest known wait first, then nearest to home."""
    waits = [o.wachttijd_weken for o in p.offers if o.wachttijd_weken is not None]
    return (
        min(waits) if waits else _UNKNOWN,
        p.distance_home_km if p.distance_home_km is not None else _UNKNOWN,
    )
