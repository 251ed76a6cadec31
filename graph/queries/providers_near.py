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
from typing import Annotated

from pydantic import Field

from graph.dated import as_of, day_of
from graph.props import flag, number
from graph.queries.domain import distance_km, need_id, postcode_of, unknown_need, unknown_postcode, valid_on
from graph.queries.errors import QuestionError
from graph.queries.names import naam_of
from graph.queries.pages import Page, Ref, paginate, text_of
from graph.records import NodeKey, NodeRecord
from graph.store import GraphStore


@dataclass
class ProviderPlace:
    """A location where an offer is given, with its distance from home: what decides whether a
    provider is near enough for a child to go to."""

    id: Annotated[str, Field(examples=["demo-spaarnezorg-centrum"])]
    naam: Annotated[str | None, Field(examples=["Spaarnezorg Centrum (fictief)"])]
    postcode: Annotated[str | None, Field(examples=["2011"])]
    plaats: Annotated[str | None, Field(examples=["Haarlem"])]
    km: Annotated[
        float | None, Field(description="from the home PC4's centroid; null when unknown", examples=[0.8])
    ]


@dataclass
class ProviderOffer:
    """A provider's offer for the need (or a narrower one), with its waiting time and the day
    and source of that figure, and where it is given: what a family compares providers by."""

    id: Annotated[str, Field(examples=["demo-spaarnezorg-ambulant"])]
    naam: Annotated[str | None, Field(examples=["Ambulante gezinsbegeleiding (fictief)"])]
    behoefte: Annotated[
        str, Field(description="the need the offer names (this one or a narrower)", examples=["ijw-45"])
    ]
    wachttijd_weken: Annotated[float | None, Field(examples=[6])]
    wachttijd_datum: Annotated[str | None, Field(examples=["2025-09-01"])]
    wachttijd_bron: Annotated[str | None, Field(examples=["fictief: demo-gegevens"])]
    locaties: list[ProviderPlace]


@dataclass
class Buyer:
    """Who bought a contract (a gemeente or a region): whether it is the home's own buyer
    decides if the contract counts for the child."""

    id: Annotated[str, Field(examples=["JZ11"])]
    naam: Annotated[str | None, Field(examples=["Zuid-Kennemerland"])]
    soort: Annotated[
        str, Field(description="gemeente or jeugdregio (or another regio soort)", examples=["jeugdregio"])
    ]


@dataclass
class ContractRef:
    """A contract with the provider, its buyer and period, and whether it covers the need and
    runs on the day: a provider without one for the home may still be paid by someone else."""

    id: Annotated[str, Field(examples=["demo-jz11-spaarnezorg"])]
    opdrachtgever: Buyer
    geldig_van: Annotated[str | None, Field(examples=["2025-01-01"])]
    geldig_tot: Annotated[str | None, Field(examples=["2027-12-31"])]
    # it names this need (or a narrower one)
    voor_behoefte: Annotated[
        bool, Field(description="the contract covers the need asked for", examples=[True])
    ]
    # valid on the reference date (the question's day, by default today)
    geldig: Annotated[bool, Field(description="valid today", examples=[True])]


@dataclass
class ProviderHit:
    """A provider with an offer for the need: how near its nearest location is, its offers and
    who contracts it; the API's answer item is this type itself."""

    id: Annotated[str, Field(examples=["demo-spaarnezorg"])]
    naam: Annotated[str | None, Field(examples=["Spaarnezorg Jeugd (fictief)"])]
    plaats: Annotated[str | None, Field(examples=["Haarlem"])]
    website: Annotated[str | None, Field(examples=["https://spaarnezorg.example"])]
    fictief: Annotated[bool | None, Field(description="true for made-up demo providers", examples=[True])]
    km: Annotated[
        float | None, Field(description="to the nearest location of an offer for the need", examples=[0.8])
    ]
    locatie: Annotated[ProviderPlace | None, Field(description="that nearest location")]
    offers: list[ProviderOffer]
    contracts: Annotated[
        list[ContractRef], Field(description="every contract with the provider, for the need first")
    ]
    contracted_by_home: Annotated[
        bool,
        Field(
            description="a valid contract for the need by the home gemeente or its jeugdregio",
            examples=[True],
        ),
    ]


@dataclass
class Home:
    """The home postcode as understood, with the gemeenten and jeugdregio's it lies in: the
    buyers whose contracts count as the home's, shown so a person can check them."""

    postcode: Annotated[str, Field(examples=["2011AB"])]
    gemeenten: list[Ref]
    jeugdregios: Annotated[list[Ref], Field(examples=[[{"id": "JZ11", "naam": None}]])]


@dataclass
class ProviderPage(Page[ProviderHit]):
    """A page of providers with the need and the home they were found for: the answer of
    ``/search/providers`` is this type itself."""

    items: list[ProviderHit]
    need: Annotated[Ref, Field(examples=[{"id": "ijw-45", "naam": "Jeugdhulp ambulant"}])]
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
    """The home PC4, the gemeenten and jeugdregio's it lies in (the buyers whose contracts
    count as the home's), or the question's error."""
    code = postcode_of(postcode)
    pc4 = store.node(NodeKey("PC4", code[:4]))
    if pc4 is None:
        raise unknown_postcode(code[:4])
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


def _need(store: GraphStore, need: str) -> NodeRecord:
    """The need asked about, or the question's error."""
    if not (need or "").strip():
        need_id(need)  # says what to give
    need_node = store.node(NodeKey("Behoefte", need_id(need)))
    if need_node is None:
        raise unknown_need(need_id(need))
    return need_node


class _Catalogue:
    """Every offer for the need (or a narrower one) with its provider and locations, read in
    a few batches: per-offer reads would make a national question slow on Neo4j."""

    def __init__(self, store: GraphStore, needs: set[str], home_pc4: NodeRecord) -> None:
        self.home_pc4 = home_pc4
        self.offer_need: dict[str, str] = {}
        for n in sorted(needs):
            for e in store.edges(rel="VOOR_BEHOEFTE", dst=NodeKey("Behoefte", n)):
                if e.src.kind == "Aanbod":
                    self.offer_need.setdefault(e.src.id, n)
        self.offers = {n.id: n for n in store.nodes("Aanbod", self.offer_need)}
        self.provider_offers: dict[str, list[str]] = defaultdict(list)
        self.offer_places: dict[str, list[str]] = {}
        for offer in self.offers:
            key = NodeKey("Aanbod", offer)
            for e in store.edges(rel="BIEDT", dst=key):
                self.provider_offers[e.src.id].append(offer)
            self.offer_places[offer] = [e.dst.id for e in store.edges(rel="OP_LOCATIE", src=key)]
        # an offer without locations of its own is given at the provider's locations
        self.provider_places = {
            p: [e.dst.id for e in store.edges(rel="HEEFT_LOCATIE", src=NodeKey("Zorgaanbieder", p))]
            for p, its in self.provider_offers.items()
            if any(not self.offer_places[o] for o in its)
        }
        every = {x for xs in [*self.offer_places.values(), *self.provider_places.values()] for x in xs}
        self.places = {n.id: n for n in store.nodes("Locatie", every)}
        pc4s = {str(n.props.get("postcode", ""))[:4] for n in self.places.values()} - {""}
        self.centroids = {n.id: n for n in store.nodes("PC4", pc4s)}

    def place(self, loc_id: str) -> ProviderPlace | None:
        """A location with its distance from home: its own point, else its PC4's centroid."""
        loc = self.places.get(loc_id)
        if loc is None:
            return None
        pc = text_of(loc.props.get("postcode"))
        point = loc if "lat" in loc.props and "lon" in loc.props else self.centroids.get((pc or "")[:4])
        return ProviderPlace(
            loc.id, naam_of(loc), pc, text_of(loc.props.get("plaats")), distance_km(self.home_pc4, point)
        )

    def offers_of(self, provider: str) -> list[ProviderOffer]:
        """The provider's offers for the need, each with its locations nearest first."""
        found = []
        for o in sorted(self.provider_offers[provider]):
            where = self.offer_places[o] or self.provider_places.get(provider, [])
            props = self.offers[o].props
            places = sorted(
                (p for p in map(self.place, where) if p is not None),
                key=lambda p: (p.km is None, p.km or 0.0, p.id),
            )
            found.append(
                ProviderOffer(
                    o,
                    naam_of(self.offers[o]),
                    self.offer_need[o],
                    number(props, "wachttijd_weken"),
                    text_of(props.get("wachttijd_datum")),
                    text_of(props.get("wachttijd_bron")),
                    places,
                )
            )
        return found


def providers_near(
    store: GraphStore,
    need: str,
    postcode: str,
    km: float | None = None,
    page: int = 1,
    size: int = 20,
    on: date | None = None,
) -> ProviderPage:
    """Providers with an offer for the need, nearest location first, each with who contracts
    it: a list to start from, not who must pay (that is :func:`graph.queries.who_serves`).

    Parameters
    ----------
    store : GraphStore
        The kaart (either backend, or a dated view).
    need : str
        An iJw category (``45``) or an education need (``dyslexie``); offers for a narrower
        need (filed under it) count too.
    postcode : str
        The home PC4 or PC6; distances are straight lines from its PC4's centroid to the
        location's own point or its PC4's centroid.
    km : float, optional
        Only providers with a location within this distance.
    page, size : int
        Which page of the list, and how long a page is.
    on : date, optional
        The day whose contracts count as valid (default: the view's day, or today).

    Returns
    -------
    ProviderPage
        The page of providers, each with its contracts and whether the home gemeente or its
        jeugdregio contracts it for this need on that day.

    Raises
    ------
    QuestionError
        For a missing or malformed need or postcode, a negative km (422), an unknown need or
        PC4, or a km limit where the home has no centroid (404).

    Examples
    --------
    >>> from graph.queries.example import tiny_kaart
    >>> page = providers_near(tiny_kaart(), "45", "9991")
    >>> page.total, page.need.naam, [g.id for g in page.home.gemeenten]
    (0, 'Jeugdhulp ambulant', ['GM9991'])
    """
    store = as_of(store, on)
    if km is not None and km < 0:
        raise QuestionError("km", "km moet 0 of meer zijn")
    need_node = _need(store, need)
    home_pc4, home, home_buyers = _home(store, postcode)
    if km is not None and "lat" not in home_pc4.props:
        raise QuestionError(
            "postcode",
            f"van PC4 {home_pc4.id} is geen middelpunt bekend: laat km weg om alle aanbieders te zien",
            404,
        )
    day = day_of(store, on)
    needs = _narrower(store, need_node.key)
    catalogue = _Catalogue(store, needs, home_pc4)
    items: list[ProviderHit] = []
    for provider in store.nodes("Zorgaanbieder", catalogue.provider_offers):
        its_offers = catalogue.offers_of(provider.id)
        located = [p for o in its_offers for p in o.locaties if p.km is not None]
        nearest = min(located, key=lambda p: (p.km or 0.0, p.id)) if located else None
        if km is not None and (nearest is None or (nearest.km or 0.0) > km):
            continue
        contracts = _contracts(store, provider.key, needs, day)
        by_home = any(c.geldig and c.voor_behoefte and buyer in home_buyers for c, buyer in contracts)
        items.append(_hit(provider, nearest, its_offers, [c for c, _ in contracts], by_home))
    items.sort(key=lambda h: (h.km is None, h.km or 0.0, h.naam or "", h.id))
    chosen, total = paginate(items, page, size)
    return ProviderPage(chosen, page, size, total, Ref(need_node.id, naam_of(need_node)), home)


def _hit(
    provider: NodeRecord,
    nearest: ProviderPlace | None,
    offers: list[ProviderOffer],
    contracts: list[ContractRef],
    by_home: bool,
) -> ProviderHit:
    props = provider.props
    return ProviderHit(
        provider.id,
        naam_of(provider),
        text_of(props.get("plaats")),
        text_of(props.get("website")),
        flag(props, "fictief"),
        nearest.km if nearest else None,
        nearest,
        offers,
        contracts,
        by_home,
    )


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
