"""The providers a pupil can go to: contracted for the need, on the reference date, by the home
gemeente or its jeugdregio (not by the school's gemeente: the woonplaatsbeginsel), read from
the neighbourhood fetched for the question."""

from __future__ import annotations

from datetime import date

from graph.neighbourhood import Neighbourhood
from graph.queries.answer import Provider, step_of
from graph.queries.domain import distance_km, valid_on
from graph.queries.names import name_of
from graph.records import NodeKey, NodeRecord


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
            needs = {e.dst.id for e in g.out(contract.key, "VOOR_BEHOEFTE")}
            if need not in needs:
                continue
            for p_edge in g.out(contract.key, "GECONTRACTEERD", "Zorgaanbieder"):
                if p_edge.dst.id in found:
                    continue
                provider = g.node(p_edge.dst)
                offers, near_home, near_school = [], None, None
                for b in g.out(p_edge.dst, "BIEDT", "Aanbod"):
                    offer = g.node(b.dst)
                    if offer is None or need not in {e.dst.id for e in g.out(b.dst, "VOOR_BEHOEFTE")}:
                        continue
                    places = []
                    for loc_edge in g.out(b.dst, "OP_LOCATIE", "Locatie"):
                        loc = g.node(loc_edge.dst)
                        pc = str(loc.props.get("postcode", ""))[:4] if loc else ""
                        pc_node = g.node(NodeKey("PC4", pc)) if pc else None
                        dh, ds = distance_km(home_pc4, pc_node), distance_km(school_pc4, pc_node)
                        near_home = (
                            dh if near_home is None or (dh is not None and dh < near_home) else near_home
                        )
                        near_school = (
                            ds
                            if near_school is None or (ds is not None and ds < near_school)
                            else near_school
                        )
                        places.append(
                            {"locatie": loc_edge.dst.id, "postcode": pc, "km_thuis": dh, "km_school": ds}
                        )
                    offers.append(
                        {
                            "id": offer.id,
                            "naam": offer.props.get("naam"),
                            "wachttijd_weken": offer.props.get("wachttijd_weken"),
                            "wachttijd_datum": offer.props.get("wachttijd_datum"),
                            "wachttijd_bron": offer.props.get("wachttijd_bron"),
                            "locaties": places,
                        }
                    )
                found[p_edge.dst.id] = Provider(
                    p_edge.dst.id,
                    name_of(provider) or p_edge.dst.id,
                    contract.id,
                    buyer.id,
                    offers,
                    near_home,
                    near_school,
                    [step_of(r) for r in (c_edge, contract, p_edge, provider) if r is not None],
                    name_of(g.node(buyer)),
                )

    def rank(p: Provider) -> tuple[float, float]:
        waits = [o["wachttijd_weken"] for o in p.offers if o["wachttijd_weken"] is not None]
        return (
            min(waits) if waits else 999.0,
            p.distance_home_km if p.distance_home_km is not None else 999.0,
        )

    return sorted(found.values(), key=rank)
