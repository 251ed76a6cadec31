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
from pydantic import BaseModel, Field

from api.deps import DatedDep
from api.params import Page, Size, page_of
from api.problems import Problem
from graph.dated import DatedStore
from graph.queries.mismatch import GemeenteFlow, Report, SplitGemeente, SwvRow, current_report

router = APIRouter(tags=["mismatch"])


class SwvRowOut(BaseModel):
    swv: str = Field(examples=["PO2704"])
    gemeenten: int = Field(description="gemeenten its region touches", examples=[5])
    jeugdregios: list[str] = Field(examples=[["JZ11", "JZ15"]])
    besturen: int = Field(examples=[12])
    scholen: int = Field(examples=[60])
    wijkteams: int = Field(examples=[2])
    zorgaanbieders: int = Field(description="contracted by its gemeenten or jeugdregio's", examples=[3])
    leerlingen_min: int = Field(examples=[14000])
    leerlingen_max: int = Field(description="DUO masks counts under 5: a range", examples=[14200])
    buiten_swv_min: int = Field(
        description="pupils living outside the SWV's region, abroad included", examples=[900]
    )
    buiten_swv_max: int = Field(examples=[1010])
    buitenland_min: int = Field(description="pupils living abroad (DUO: Duitsland, België …)", examples=[0])
    buitenland_max: int = Field(examples=[4])
    onbekend_min: int = Field(description="pupils whose postcode DUO does not know: apart", examples=[12])
    onbekend_max: int = Field(examples=[30])
    naam: str = Field(description="its name with its code", examples=["Samenwerkingsverband PO 27-04"])
    jeugdregios_naam: list[str] = Field(examples=[["Jeugdregio Zuid Kennemerland (JZ11)"]])


class SplitGemeenteOut(BaseModel):
    gemeente: str = Field(examples=["GM0599"])
    sector: str = Field(examples=["PO"])
    swvs: dict[str, int] = Field(
        description="SWV → number of the gemeente's PC4 areas in it", examples=[{"PO2801": 40, "PO2802": 12}]
    )
    naam: str = Field(examples=["Rotterdam (GM0599)"])
    swvs_naam: dict[str, str] = Field(
        description="SWV → its name with its code", examples=[{"PO2801": "Samenwerkingsverband PO 28-01"}]
    )


class GemeenteFlowOut(BaseModel):
    gemeente: str = Field(examples=["GM0392"])
    leerlingen_min: int = Field(examples=[15000])
    leerlingen_max: int = Field(examples=[15100])
    buiten_min: int = Field(
        description="pupils of its schools living in another gemeente (DUO's own) or abroad", examples=[2100]
    )
    buiten_max: int = Field(examples=[2250])
    buitenland_min: int = Field(examples=[0])
    buitenland_max: int = Field(examples=[4])
    onbekend_min: int = Field(description="pupils whose postcode DUO does not know", examples=[5])
    onbekend_max: int = Field(examples=[20])
    scholen: int = Field(description="schools with pupil counts", examples=[52])
    scholen_aangescherpt: int = Field(
        description="schools whose total (DUO vestigingen) tightened the ranges", examples=[50]
    )
    naam: str = Field(examples=["Haarlem (GM0392)"])


class ReportOut(BaseModel):
    swvs: list[SwvRowOut]
    swvs_in_several_jeugdregios: list[str] = Field(examples=[["PO2704"]])
    swvs_in_several_jeugdregios_naam: list[str] = Field(
        description="the same SWVs by name", examples=[["Samenwerkingsverband Zuid-Kennemerland (PO 27-04)"]]
    )
    split_gemeenten: list[SplitGemeenteOut]
    pupil_flows_per_gemeente: list[GemeenteFlowOut]
    methode_leerlingen: str = Field(description="how the pupil ranges are made")


class SwvRowPage(BaseModel):
    items: list[SwvRowOut]
    page: int = Field(examples=[1])
    size: int = Field(examples=[50])
    total: int = Field(examples=[152])


class SwvCodePage(BaseModel):
    items: list[str] = Field(examples=[["PO2704", "VO2705"]])
    page: int = Field(examples=[1])
    size: int = Field(examples=[50])
    total: int = Field(examples=[2])


class SplitGemeentePage(BaseModel):
    items: list[SplitGemeenteOut]
    page: int = Field(examples=[1])
    size: int = Field(examples=[50])
    total: int = Field(examples=[44])


class GemeenteFlowPage(BaseModel):
    items: list[GemeenteFlowOut]
    page: int = Field(examples=[1])
    size: int = Field(examples=[50])
    total: int = Field(examples=[13])


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


def _paginate(rows: list[Any], page: int, size: int, sort: str | None, key: Callable[[Any, str], Any]) -> Any:
    if sort:
        name = sort.lstrip("-")
        rows = sorted(rows, key=lambda r: _sort_key(key(r, name)), reverse=sort.startswith("-"))
    return page_of(rows, page, size)


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
    response_model=ReportOut,
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
    return _paginate(_report(store).swvs, page, size, sort, _field)


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
    return _paginate(_report(store).swvs_in_several_jeugdregios, page, size, sort, lambda code, _: code)


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
    return _paginate(_report(store).split_gemeenten, page, size, sort, _field)


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
    return _paginate(_report(store).pupil_flows_per_gemeente, page, size, sort, _field)
