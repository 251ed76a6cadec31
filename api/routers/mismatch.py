"""The national mismatch report, for policymakers: whole, or one list of it a page at a time.

The report reads every relation it needs once, which nationally takes about a second; it
is kept until the data changes (:data:`graph.queries.cache.CACHE`), so paging through a
section costs that second once, not per page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import DatedDep
from api.params import Page, Size
from api.problems import Problem
from graph.dated import DatedStore
from graph.queries.mismatch import (
    GemeenteFlow,
    GemeenteFlowPage,
    Report,
    SplitGemeente,
    SplitGemeentePage,
    SwvCodePage,
    SwvRow,
    SwvRowPage,
    current_report,
)
from graph.queries.pages import Page as PageOf
from graph.queries.pages import paginate

router = APIRouter(tags=["mismatch"])


def _report(store: DatedStore) -> Report:
    return current_report(store, store.day)


def _sort_param(fields: list[str], example: str) -> Any:
    pattern = f"^-?({'|'.join(fields)})$"
    return Query(
        pattern=pattern,
        description=f"sort by one of {', '.join(fields)} (a list by its length); '-' first for descending; "
        "default: the report's order",
        examples=[example],
    )


def _sort_key(value: object) -> Any:
    return len(value) if isinstance(value, list | dict) else value


def _paginate(
    page_type: type[PageOf[Any]],
    rows: list[Any],
    page: int,
    size: int,
    sort: str | None,
    key: Callable[[Any, str], Any],
) -> Any:
    if sort:
        name = sort.lstrip("-")
        rows = sorted(rows, key=lambda r: _sort_key(key(r, name)), reverse=sort.startswith("-"))
    items, total = paginate(rows, page, size)
    return dataclasses.asdict(page_type(items, page, size, total))


def _field(row: Any, name: str) -> Any:
    return getattr(row, name)


SWV_FIELDS = [f.name for f in dataclasses.fields(SwvRow)]
SPLIT_FIELDS = [f.name for f in dataclasses.fields(SplitGemeente)]
FLOW_FIELDS = [f.name for f in dataclasses.fields(GemeenteFlow)]
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": Problem, "description": "page, size or sort out of range"}
}


@router.get(
    "/mismatch",
    response_model=Report,
    summary="Where the maps of education and youth care do not line up",
)
def get_mismatch(store: DatedDep) -> Any:
    """SWVs spanning several jeugdregio's, gemeenten split over SWVs of one sector, partner
    counts per SWV (gemeenten, jeugdregio's, besturen, scholen, wijkteams, zorgaanbieders) and
    pupil flows: per SWV and per gemeente how many pupils live outside it (a range, because
    DUO masks counts under 5). Each list is also served a page at a time under
    ``/mismatch/{section}``."""
    return dataclasses.asdict(_report(store))


@router.get(
    "/mismatch/swvs",
    response_model=SwvRowPage,
    summary="Mismatch report: partners and pupil flows per SWV, paginated",
    responses=INVALID,
)
def get_mismatch_swvs(
    store: DatedDep,
    page: Page = 1,
    size: Size = 50,
    sort: Annotated[str | None, _sort_param(SWV_FIELDS, "-buiten_swv_max")] = None,
) -> Any:
    """One row per SWV, by code unless sorted."""
    return _paginate(SwvRowPage, _report(store).swvs, page, size, sort, _field)


@router.get(
    "/mismatch/swvs_in_several_jeugdregios",
    response_model=SwvCodePage,
    summary="Mismatch report: SWVs spanning several jeugdregio's, paginated",
    responses=INVALID,
)
def get_mismatch_swvs_in_several_jeugdregios(
    store: DatedDep,
    page: Page = 1,
    size: Size = 50,
    sort: Annotated[str | None, _sort_param(["swv"], "swv")] = None,
) -> Any:
    """SWV codes, most jeugdregio's first unless sorted by code."""
    return _paginate(
        SwvCodePage, _report(store).swvs_in_several_jeugdregios, page, size, sort, lambda code, _: code
    )


@router.get(
    "/mismatch/split_gemeenten",
    response_model=SplitGemeentePage,
    summary="Mismatch report: gemeenten split over SWVs of one sector, paginated",
    responses=INVALID,
)
def get_mismatch_split_gemeenten(
    store: DatedDep,
    page: Page = 1,
    size: Size = 50,
    sort: Annotated[str | None, _sort_param(SPLIT_FIELDS, "-swvs")] = None,
) -> Any:
    """Most SWVs first unless sorted; ``swvs`` sorts by the number of SWVs."""
    return _paginate(SplitGemeentePage, _report(store).split_gemeenten, page, size, sort, _field)


@router.get(
    "/mismatch/pupil_flows_per_gemeente",
    response_model=GemeenteFlowPage,
    summary="Mismatch report: pupils living outside their school's gemeente, paginated",
    responses=INVALID,
)
def get_mismatch_pupil_flows(
    store: DatedDep,
    page: Page = 1,
    size: Size = 50,
    sort: Annotated[str | None, _sort_param(FLOW_FIELDS, "-buiten_max")] = None,
) -> Any:
    """One row per gemeente with schools in DUO's pupil data, by code unless sorted."""
    return _paginate(GemeenteFlowPage, _report(store).pupil_flows_per_gemeente, page, size, sort, _field)
