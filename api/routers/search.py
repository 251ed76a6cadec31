"""Search: schools, gemeenten and SWVs by what a person types, and providers for a need near
a postcode. Every list is paginated as ``{items, page, size, total}``.

A provider search (postcode + need) says something about a child, so, like who-serves, its
answer carries ``Cache-Control: no-store`` and its query string is never logged.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.deps import DatedDep
from api.params import NO_STORE, Need, Page, Postcode, Size
from api.problems import Problem
from graph.queries.hits import GemeentePage, SchoolPage, SwvPage
from graph.queries.providers_near import ProviderPage, providers_near
from graph.queries.search import search_gemeenten, search_schools, search_swvs
from graph.queries.words import MAX_QUERY, MIN_QUERY

router = APIRouter(prefix="/search", tags=["search"])

ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "q empty or too short, or a malformed parameter"}
}


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
        float | None,
        Query(ge=0, allow_inf_nan=False, description="only providers within this many km", examples=[15]),
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
