"""Overlap of regions: two regions side by side, or every region of a type that overlaps one."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import DatedDep
from api.params import Page, Size
from api.problems import Problem
from graph.queries.overlap import Overlap, OverlapPage, overlap, overlapping
from graph.queries.pages import paginate

router = APIRouter(tags=["overlap"])

REGION_HELP = (
    "a code: SWV (PO2704), gemeente (GM0392), provincie (PV27), other CBS region (JZ11) or wijkteam:<id>"
)


@router.get(
    "/overlap",
    response_model=Overlap,
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
    items, total = paginate(found, page, size)
    return dataclasses.asdict(OverlapPage(items, page, size, total))
