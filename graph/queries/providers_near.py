"""Providers for a need near a postcode: who offers it, how far away, how long the wait,
and who bought it — the home gemeente, its jeugdregio or someone else.

A list for the intern begeleider or the parents to start from, nearest first; not an
answer to who must pay: whether a contract applies to a pupil is who-serves' question
(:mod:`graph.queries.who_serves`). The question (a postcode and a need) says something about
a child, so it is answered from the store as it is and nothing of it is cached or kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from graph import ids
from graph.dated import as_of, day_of
from graph.props import flag, number
from graph.queries.domain import POSTCODE_FORM, distance_km, need_id, valid_on
from graph.queries.errors import QuestionError
from graph.queries.names import naam_of
from graph.queries.search import Ref, paginate, text_of
from graph.records import NodeKey, NodeRecord
from graph.store import GraphStore


@dataclass
class Place:
    id: str
    naam: str | None
    postcode: str | None
    plaats: str | None
    km: float | None


@dataclass
class Offer:
    id: str
    naam: str | None
    behoefte: str
    wachttijd_weken: float | None
    wachttijd_datum: str | None
    wachttijd_bron: str | None
    locaties: list[Place]


@dataclass
class Buyer:
    id: str
    naam: str | None
    soort: str  # gemeente, jeugdregio (or another regio soort)


@dataclass
class ContractRef:
    id: str
    opdrachtgever: Buyer
    geldig_van: str | None
    geldig_tot: str | None
    voor_behoefte: bool  # the contract names this need (or a narrower one)
    geldig: bool  # valid on the reference date


@dataclass
class ProviderHit:
    id: str
    naam: str | None
    plaats: str | None
    website: str | None
    fictief: bool | None
    km: float | None  # to the nearest location where an offer for the need is given
    locatie: Place | None
    offers: list[Offer]
    contracts: list[ContractRef]
    contracted_by_home: bool


@dataclass
class Home:
    postcode: str
    gemeenten: list[Ref]
    jeugdregios: list[Ref]


@dataclass
class ProviderPage:
    items: list[ProviderHit]
    page: int
    size: int
    total: int
    need: Ref
    home: Home


def _narrower(store: GraphStore, need: NodeKey) -> set[str]:
    """The need and every need filed under it (VALT_ONDER), which an offer may name instead."""
    found, todo = {need.id}, [need]
    while todo:
        for e in store.edges(rel="VALT_ONDER", dst=todo.pop()):
            if e.src.id not in found:
                found.add(e.src.id)
                todo.append(e.src)
    return found


def _home(store: GraphStore, postcode: str) -> tuple[NodeRecord, Home, set[NodeKey]]:
    try:
        code = ids.postcode(postcode)
    except ids.IdentifierError:
        raise QuestionError("postcode", f"postcode {postcode!r} is not valid: {POSTCODE_FORM}") from None
    pc4 = store.node(NodeKey("PC4", code[:4]))
    if pc4 is None:
        raise QuestionError("postcode", f"postcode {code[:4]} is not known in the kaart", 404)
    gemeenten = [e.dst for e in store.edges(rel="LIGT_IN", src=pc4.key) if e.dst.kind == "Gemeente"]
    regions = [
        e.dst for gm in gemeenten for e in store.edges(rel="HOORT_BIJ", src=gm) if not e.props.get("deels")
    ]
    names = {
        n.key: n
        for kind in ("Gemeente", "Regio")
        for n in store.nodes(kind, [k.id for k in gemeenten + regions if k.kind == kind])
    }
    jeugdregios = [
        k for k in dict.fromkeys(regions) if names.get(k) and names[k].props.get("soort") == "jeugdregio"
    ]
    home = Home(
        code,
        [Ref(k.id, naam_of(names.get(k))) for k in gemeenten],
        [Ref(k.id, naam_of(names.get(k))) for k in jeugdregios],
    )
    return pc4, home, set(gemeenten) | set(jeugdregios)


def providers_near(
    store: GraphStore,
    need: str,
    postcode: str,
    km: float | None = None,
    page: int = 1,
    size: int = 20,
    on: date | None = None,
) -> ProviderPage:
    """Providers with an offer for the need, nearest location first (PC4 centroids, or the
    location's own point), each with the gemeenten and jeugdregio's that contract it and
    whether one of them is the home gemeente or its jeugdregio (valid on ``on``, default
    today). Whether a contract applies to a pupil is who-serves' question; this says only
    who bought what."""
    store = as_of(store, on)
    if not (need or "").strip():
        raise QuestionError("need", "need is required: an iJw category (45) or an education need (dyslexie)")
    if km is not None and km < 0:
        raise QuestionError("km", "km must be 0 or more")
    need_key = NodeKey("Behoefte", need_id(need))
    need_node = store.node(need_key)
    if need_node is None:
        raise QuestionError(
            "need",
            f"need {need_key.id} is not known: give an iJw category (e.g. 45) or an education need "
            "(e.g. dyslexie) of the kaart's taxonomy",
            404,
        )
    home_pc4, home, home_buyers = _home(store, postcode)
    if km is not None and "lat" not in home_pc4.props:
        raise QuestionError(
            "postcode",
            f"no centroid is known for PC4 {home_pc4.id}: leave out km to list every provider",
            404,
        )
    day = day_of(store, on)
    needs = _narrower(store, need_key)
    offer_need: dict[str, str] = {}
    for n in sorted(needs):
        for e in store.edges(rel="VOOR_BEHOEFTE", dst=NodeKey("Behoefte", n)):
            if e.src.kind == "Aanbod":
                offer_need.setdefault(e.src.id, n)
    offers = {n.id: n for n in store.nodes("Aanbod", offer_need)}
    provider_offers: dict[str, list[str]] = defaultdict(list)
    offer_places: dict[str, list[str]] = {}
    for offer in offers:
        for e in store.edges(rel="BIEDT", dst=NodeKey("Aanbod", offer)):
            provider_offers[e.src.id].append(offer)
        offer_places[offer] = [e.dst.id for e in store.edges(rel="OP_LOCATIE", src=NodeKey("Aanbod", offer))]
    provider_places = {
        p: [e.dst.id for e in store.edges(rel="HEEFT_LOCATIE", src=NodeKey("Zorgaanbieder", p))]
        for p, its in provider_offers.items()
        if any(not offer_places[o] for o in its)
    }
    all_places = {x for xs in [*offer_places.values(), *provider_places.values()] for x in xs}
    places = {n.id: n for n in store.nodes("Locatie", all_places)}
    pc4s = {str(n.props.get("postcode", ""))[:4] for n in places.values()} - {""}
    centroids = {n.id: n for n in store.nodes("PC4", pc4s)}

    def place(loc_id: str) -> Place | None:
        loc = places.get(loc_id)
        if loc is None:
            return None
        pc = text_of(loc.props.get("postcode"))
        point = loc if "lat" in loc.props and "lon" in loc.props else centroids.get((pc or "")[:4])
        return Place(loc.id, naam_of(loc), pc, text_of(loc.props.get("plaats")), distance_km(home_pc4, point))

    items: list[ProviderHit] = []
    for provider in store.nodes("Zorgaanbieder", provider_offers):
        its_offers = []
        for o in sorted(provider_offers[provider.id]):
            where = offer_places[o] or provider_places.get(provider.id, [])
            props = offers[o].props
            its_offers.append(
                Offer(
                    o,
                    naam_of(offers[o]),
                    offer_need[o],
                    number(props, "wachttijd_weken"),
                    text_of(props.get("wachttijd_datum")),
                    text_of(props.get("wachttijd_bron")),
                    sorted(
                        (p for p in map(place, where) if p is not None),
                        key=lambda p: (p.km is None, p.km or 0.0, p.id),
                    ),
                )
            )
        located = [p for o in its_offers for p in o.locaties if p.km is not None]
        nearest = min(located, key=lambda p: (p.km, p.id)) if located else None
        if km is not None and (nearest is None or nearest.km > km):  # type: ignore[operator]
            continue
        contracts = _contracts(store, provider.key, needs, day)
        by_home = any(c.geldig and c.voor_behoefte and buyer in home_buyers for c, buyer in contracts)
        items.append(
            ProviderHit(
                provider.id,
                naam_of(provider),
                text_of(provider.props.get("plaats")),
                text_of(provider.props.get("website")),
                flag(provider.props, "fictief"),
                nearest.km if nearest else None,
                nearest,
                its_offers,
                [c for c, _ in contracts],
                by_home,
            )
        )
    items.sort(key=lambda h: (h.km is None, h.km or 0.0, h.naam or "", h.id))
    chosen, total = paginate(items, page, size)
    return ProviderPage(chosen, page, size, total, Ref(need_node.id, naam_of(need_node)), home)


def _contracts(
    store: GraphStore, provider: NodeKey, needs: set[str], day: date
) -> list[tuple[ContractRef, NodeKey]]:
    """Every contract with the provider and its buyer: who bought it, when, and whether for
    this need."""
    keys = [e.src for e in store.edges(rel="GECONTRACTEERD", dst=provider)]
    out = []
    for contract in store.nodes("Contract", [k.id for k in keys]):
        covers = any(e.dst.id in needs for e in store.edges(rel="VOOR_BEHOEFTE", src=contract.key))
        for e in store.edges(rel="OPDRACHTGEVER_VAN", dst=contract.key):
            buyer = store.node(e.src)
            soort = (
                "gemeente"
                if e.src.kind == "Gemeente"
                else str((buyer.props.get("soort") if buyer else "") or "regio")
            )
            ref = ContractRef(
                contract.id,
                Buyer(e.src.id, naam_of(buyer), soort),
                text_of(contract.props.get("geldig_van")),
                text_of(contract.props.get("geldig_tot")),
                covers,
                valid_on(contract.props, day),
            )
            out.append((ref, e.src))
    return sorted(out, key=lambda cb: (not cb[0].voor_behoefte, not cb[0].geldig, cb[1], cb[0].id))
