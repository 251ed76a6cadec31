"""Search: schools, gemeenten and SWVs by what a person types, and providers for a need near
a postcode. Every list is paginated as ``{items, page, size, total}``.

A provider search (postcode + need) says something about a child, so, like who-serves, its
answer carries ``Cache-Control: no-store`` and its query string is never logged.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from api.deps import DatedDep
from api.params import NO_STORE, Need, Page, Postcode, Size
from api.problems import Problem
from graph.queries.providers_near import providers_near
from graph.queries.search import search_gemeenten, search_schools, search_swvs
from graph.queries.words import MAX_QUERY, MIN_QUERY

router = APIRouter(prefix="/search", tags=["search"])

ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "q empty or too short, or a malformed parameter"}
}


class RefOut(BaseModel):
    id: str = Field(examples=["GM0392"])
    naam: str | None = Field(examples=["Haarlem"])


class SchoolOut(BaseModel):
    id: str = Field(description="BRIN + vestigingscode", examples=["15UJ00"])
    naam: str | None = Field(examples=["Openbare Basisschool De Kring/Hannie Schaft School"])
    plaats: str | None = Field(
        description="the school's own plaats, else that of its PC4, else its gemeente", examples=["Haarlem"]
    )
    gemeente: RefOut | None = Field(description="the gemeente the school lies in")
    soort: str | None = Field(description="BAO, SBO, SO, VSO, SO/VSO, VO", examples=["BAO"])
    sector: str | None = Field(description="PO or VO (the SWV's sector)", examples=["PO"])
    postcode: str | None = Field(examples=["2011KZ"])
    score: float = Field(
        description="higher is better: 3 an exact code, 2 a BRIN prefix, about 0.5–1.3 a name", examples=[3.0]
    )
    matched_on: list[str] = Field(
        description="what matched: id, naam, plaats, postcode, soort", examples=[["naam", "plaats"]]
    )
    label: str = Field(
        description="what to call it: its name with its code",
        examples=["Openbare Basisschool De Kring/Hannie Schaft School (15UJ00)"],
    )


class SchoolPage(BaseModel):
    items: list[SchoolOut]
    page: int = Field(examples=[1])
    size: int = Field(examples=[20])
    total: int = Field(examples=[1])


class FormerGemeenteOut(BaseModel):
    id: str = Field(examples=["GM0393"])
    naam: str | None = Field(examples=["Haarlemmerliede en Spaarnwoude"])
    opgeheven: str | None = Field(description="first day it no longer existed", examples=["2019-01-01"])


class GemeenteOut(BaseModel):
    id: str = Field(examples=["GM0394"])
    naam: str | None = Field(examples=["Haarlemmermeer"])
    provincie: RefOut | None = Field(examples=[{"id": "PV27", "naam": "Noord-Holland"}])
    inwoners: int | None = Field(examples=[162000])
    opgeheven: str | None = Field(
        description="set only for a former gemeente whose successor the kaart does not know", examples=[None]
    )
    via: FormerGemeenteOut | None = Field(
        description="found by the name or code of this former gemeente, which merged into it"
    )
    score: float = Field(examples=[0.95])
    matched_on: list[str] = Field(
        description="id, naam, woonplaats, or 'voormalige …' for a former gemeente's",
        examples=[["voormalige naam"]],
    )
    label: str = Field(description="what to call it: its name with its code", examples=["Haarlem (GM0392)"])


class GemeentePage(BaseModel):
    items: list[GemeenteOut]
    page: int = Field(examples=[1])
    size: int = Field(examples=[20])
    total: int = Field(examples=[1])


class SwvOut(BaseModel):
    id: str = Field(examples=["PO2704"])
    naam: str | None = Field(description="open data gives codes only; a name when imported", examples=[None])
    sector: str | None = Field(examples=["PO"])
    gemeenten: list[RefOut] = Field(
        description="the gemeenten its region touches", examples=[[{"id": "GM0392", "naam": "Haarlem"}]]
    )
    score: float = Field(examples=[3.0])
    matched_on: list[str] = Field(description="id, naam or gemeente", examples=[["id"]])
    label: str = Field(
        description="what to call it: its name with its code", examples=["Samenwerkingsverband PO 27-04"]
    )


class SwvPage(BaseModel):
    items: list[SwvOut]
    page: int = Field(examples=[1])
    size: int = Field(examples=[20])
    total: int = Field(examples=[1])


class PlaceOut(BaseModel):
    id: str = Field(examples=["demo-spaarnezorg-centrum"])
    naam: str | None = Field(examples=["Spaarnezorg Centrum (fictief)"])
    postcode: str | None = Field(examples=["2011"])
    plaats: str | None = Field(examples=["Haarlem"])
    km: float | None = Field(description="from the home PC4's centroid; null when unknown", examples=[0.8])


class OfferOut(BaseModel):
    id: str = Field(examples=["demo-spaarnezorg-ambulant"])
    naam: str | None = Field(examples=["Ambulante gezinsbegeleiding (fictief)"])
    behoefte: str = Field(
        description="the need the offer names (this one or a narrower)", examples=["ijw-45"]
    )
    wachttijd_weken: float | None = Field(examples=[6])
    wachttijd_datum: str | None = Field(examples=["2025-09-01"])
    wachttijd_bron: str | None = Field(examples=["fictief: demo-gegevens"])
    locaties: list[PlaceOut]


class BuyerOut(BaseModel):
    id: str = Field(examples=["JZ11"])
    naam: str | None = Field(examples=["Zuid-Kennemerland"])
    soort: str = Field(description="gemeente or jeugdregio (or another regio soort)", examples=["jeugdregio"])


class ContractOut(BaseModel):
    id: str = Field(examples=["demo-jz11-spaarnezorg"])
    opdrachtgever: BuyerOut
    geldig_van: str | None = Field(examples=["2025-01-01"])
    geldig_tot: str | None = Field(examples=["2027-12-31"])
    voor_behoefte: bool = Field(description="the contract covers the need asked for", examples=[True])
    geldig: bool = Field(description="valid today", examples=[True])


class ProviderOut(BaseModel):
    id: str = Field(examples=["demo-spaarnezorg"])
    naam: str | None = Field(examples=["Spaarnezorg Jeugd (fictief)"])
    plaats: str | None = Field(examples=["Haarlem"])
    website: str | None = Field(examples=["https://spaarnezorg.example"])
    fictief: bool | None = Field(description="true for made-up demo providers", examples=[True])
    km: float | None = Field(description="to the nearest location of an offer for the need", examples=[0.8])
    locatie: PlaceOut | None = Field(description="that nearest location")
    offers: list[OfferOut]
    contracts: list[ContractOut] = Field(description="every contract with the provider, for the need first")
    contracted_by_home: bool = Field(
        description="a valid contract for the need by the home gemeente or its jeugdregio", examples=[True]
    )


class HomeOut(BaseModel):
    postcode: str = Field(examples=["2011AB"])
    gemeenten: list[RefOut]
    jeugdregios: list[RefOut] = Field(examples=[[{"id": "JZ11", "naam": None}]])


class ProviderPage(BaseModel):
    items: list[ProviderOut]
    page: int = Field(examples=[1])
    size: int = Field(examples=[20])
    total: int = Field(examples=[1])
    need: RefOut = Field(examples=[{"id": "ijw-45", "naam": "Jeugdhulp ambulant"}])
    home: HomeOut


def _q(example: str, what: str) -> Any:
    return Query(
        description=f"{what}; {MIN_QUERY} to {MAX_QUERY} characters, typing errors are tolerated",
        examples=[example],
    )


@router.get(
    "/schools",
    response_model=SchoolPage,
    summary="Find a school by name, place or code",
    responses=ERRORS,
)
def get_schools(
    store: DatedDep,
    q: Annotated[str, _q("Mariascool Haarlem", "a school's name or alias, plaats, postcode, kind or code")],
    page: Page = 1,
    size: Size = 20,
) -> Any:
    """Each word must match the school's name, an alias from another source, its plaats or
    gemeente, postcode or kind: exactly, as a start, inside a compound or within a typing
    error. An exact vestiging id (15UJ00) ranks first, then a BRIN's vestigingen (15UJ)."""
    return dataclasses.asdict(search_schools(store, q, page, size))


@router.get(
    "/gemeenten",
    response_model=GemeentePage,
    summary="Find a gemeente by name, code, woonplaats or former name",
    responses=ERRORS,
)
def get_gemeenten(
    store: DatedDep,
    q: Annotated[str, _q("Haarlemmerliede", "a gemeente's name or code (GM0392, 392), a woonplaats")],
    page: Page = 1,
    size: Size = 20,
) -> Any:
    """Gemeenten of today. A former gemeente (herindeling) leads to the one it merged into,
    with ``via`` naming it: Haarlemmerliede → Haarlemmermeer."""
    return dataclasses.asdict(search_gemeenten(store, q, page, size))


@router.get(
    "/swvs",
    response_model=SwvPage,
    summary="Find a samenwerkingsverband by code, name or gemeente",
    responses=ERRORS,
)
def get_swvs(
    store: DatedDep,
    q: Annotated[str, _q("PO 27-04", "an SWV code (PO2704, PO 27-04, 27-04), name, or a gemeente in it")],
    page: Page = 1,
    size: Size = 20,
) -> Any:
    """A code first; then SWVs by name, then by the gemeenten their region touches (the
    open data has codes but no names)."""
    return dataclasses.asdict(search_swvs(store, q, page, size))


@router.get(
    "/providers",
    response_model=ProviderPage,
    summary="Providers with an offer for a need, nearest first",
    responses={
        404: {"model": Problem, "description": "unknown need or postcode"},
        422: {"model": Problem, "description": "a malformed postcode, a missing need or a negative km"},
    },
)
def get_providers(
    response: Response,
    store: DatedDep,
    need: Need,
    postcode: Postcode,
    km: Annotated[
        float | None, Query(ge=0, description="only providers within this many km", examples=[15])
    ] = None,
    page: Page = 1,
    size: Size = 20,
) -> Any:
    """Distance from the home PC4's centroid to the nearest location where the provider
    gives an offer for the need (straight line). Each provider lists who contracts it and
    whether the home gemeente or its jeugdregio does for this need today; which provider
    applies to a pupil is who-serves' answer."""
    found = providers_near(store, need, postcode, km, page, size, on=store.day)
    response.headers.update(NO_STORE)
    return dataclasses.asdict(found)
