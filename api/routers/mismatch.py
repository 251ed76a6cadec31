"""The national mismatch report, for policymakers."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter

from api.deps import StoreDep
from graph.queries.mismatch import mismatch

router = APIRouter(tags=["mismatch"])


@router.get("/mismatch", summary="Where the maps of education and youth care do not line up")
def get_mismatch(store: StoreDep) -> Any:
    """SWVs spanning several jeugdregio's, gemeenten split over SWVs of one sector, partner
    counts per SWV (gemeenten, jeugdregio's, besturen, scholen, wijkteams, zorgaanbieders) and
    pupil flows: per SWV and per gemeente how many pupils live outside it (a range, because
    DUO masks counts under 5)."""
    return dataclasses.asdict(mismatch(store))
