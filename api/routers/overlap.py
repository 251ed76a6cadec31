"""Overlap of regions: two regions side by side, or every region of a type that overlaps one."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import DatedDep
from api.params import Page, Size, page_of
from api.problems import Problem
from graph.queries.overlap import overlap, overlapping

router = APIRouter(tags=["overlap"])

REGION_HELP = (
    "a code: SWV (PO2704), gemeente (GM0392), provincie (PV27), other CBS region (JZ11) or wijkteam:<id>"
)


class OverlapOut(BaseModel):
    a: str = Field(examples=["Swv:PO2704"])
    b: str = Field(examples=["Regio:JZ11"])
    shared_pc4: list[str]
    shared_gemeenten: list[str] = Field(examples=[["GM0377", "GM0392", "GM0397", "GM0473"]])
    pc4_a: int
    pc4_b: int
    gemeenten_a: int
    gemeenten_b: int
    jaccard_pc4: float = Field(examples=[0.8919])
    jaccard_gemeenten: float
    inwoners_shared: int | None
    share_of_a_inwoners: float | None = Field(description="share of A's inwoners living in the overlap")
    share_of_b_inwoners: float | None
    a_naam: str = Field(
        description="A's name with its code", examples=["Samenwerkingsverband Zuid-Kennemerland (PO 27-04)"]
    )
    b_naam: str = Field(examples=["Jeugdregio Zuid-Kennemerland (JZ11)"])
    shared_gemeenten_naam: list[str] = Field(examples=[["Bloemendaal (GM0377)", "Haarlem (GM0392)"]])


class OverlapPage(BaseModel):
    items: list[OverlapOut]
    page: int
    size: int
    total: int


@router.get(
    "/overlap",
    response_model=OverlapOut,
    summary="Overlap of two regions",
    responses={404: {"model": Problem}, 422: {"model": Problem}},
)
def get_overlap(
    store: DatedDep,
    a: Annotated[str, Query(description=REGION_HELP, examples=["PO2704"])],
    b: Annotated[str, Query(description=REGION_HELP, examples=["JZ11"])],
) -> Any:
    """Shared PC4 areas and gemeenten, their counts, the share of inwoners (where CBS gives
    inwoners per PC4) and the Jaccard index of both."""
    return dataclasses.asdict(overlap(store, a, b))


@router.get(
    "/overlap/{region}",
    response_model=OverlapPage,
    summary="All regions of a type that overlap one",
    responses={404: {"model": Problem}, 422: {"model": Problem}},
)
def get_overlapping(
    store: DatedDep,
    region: str,
    type: Annotated[
        str,
        Query(
            description="swv, gemeente, provincie, wijkteam or a regio soort (jeugdregio, ggd …)",
            examples=["jeugdregio"],
        ),
    ],
    page: Page = 1,
    size: Size = 50,
) -> Any:
    """Sorted by the number of shared PC4 areas, most first."""
    found = overlapping(store, region, type.strip().lower())
    return page_of(found, page, size)
