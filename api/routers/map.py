"""GET /api/v1/map/gemeenten.svg: the gemeenten coloured by a mismatch signal, drawn by the server."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Query, Response

from api.deps import DatedDep
from api.problems import Problem
from graph.queries.errors import QuestionError
from graph.queries.map import gemeenten_in, map_areas
from viz.svgmap import DEFAULT_SIGNAL, SIGNALS, signal_svg

router = APIRouter(tags=["map"])

SignalName = Literal["swvs-po", "swvs-vo", "buiten", "jeugdregios"]
# the map's signals are data in viz.svgmap; the query parameter lists the same ones
assert set(get_args(SignalName)) == set(SIGNALS), "SignalName and viz.svgmap.SIGNALS differ"

#: The SVG is opened on its own too (the page links to it for download): a browser would then
#: run any script in it with this server's origin. The map has none and loads nothing, so the
#: policy allows nothing but its inline presentation; nosniff keeps it from being read as HTML.
SVG_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


@router.get(
    "/map/gemeenten.svg",
    summary="Map of the gemeenten coloured by a signal (SVG)",
    response_class=Response,
    responses={
        200: {
            "content": {
                "image/svg+xml": {"example": '<svg xmlns="http://www.w3.org/2000/svg" class="kaart" …>'}
            },
            "description": "the map, with its legend",
        },
        404: {"model": Problem, "description": "a region with no gemeenten in the kaart"},
        422: {"model": Problem, "description": "an unknown signal"},
    },
)
def get_gemeenten_svg(
    store: DatedDep,
    signal: Annotated[
        SignalName,
        Query(
            description="swvs-po / swvs-vo: the number of SWVs of the sector the gemeente's PC4 "
            "areas lie in; buiten: share of the pupils at schools in the gemeente who live outside "
            "it; jeugdregios: the number of jeugdregio's the gemeente belongs to",
            examples=["buiten"],
        ),
    ] = DEFAULT_SIGNAL,
    regio: Annotated[
        str | None,
        Query(
            description="only the gemeenten of this region: a Regio (JZ11) or Provincie (PV27) code",
            examples=["PV27"],
        ),
    ] = None,
) -> Response:
    """Every gemeente with a known outline (CBS ``grens``), projected and simplified on the
    server; each outline's tooltip names the gemeente and its value. Hatched: no data."""
    if regio and not gemeenten_in(store, regio):
        raise QuestionError("regio", f"in regio {regio!r} zijn geen gemeenten bekend", 404)
    areas = map_areas(store, signal, regio or None)
    svg = signal_svg(signal, areas, regio or None)
    return Response(svg, media_type="image/svg+xml", headers=SVG_HEADERS)
