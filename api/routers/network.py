"""GET /api/v1/network/…: the answers as network pictures, as JSON or as one HTML page.

``format=json`` (default) gives the neutral network (nodes, edges, legend, note) for a client
that draws it itself; ``format=html`` a self-contained page with vis-network inlined, which
loads nothing from elsewhere. The who-serves picture holds a pupil's question: it is sent
with ``Cache-Control: no-store`` and its inputs are never logged (the app's access log holds
the path only).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse
from pydantic import ConfigDict

from api.deps import DatedDep
from api.params import NO_STORE
from api.problems import Problem
from api.pupil_question import OPENAPI, PupilQuestionDep
from api.routers.overlap import REGION_HELP
from graph.queries.partners import swv_partners
from graph.queries.pictures import mismatch_picture, overlap_picture
from graph.queries.who_serves import who_serves
from viz.html import CSP, render_html
from viz.network import Network, mismatch_network, overlap_network, swv_network, who_serves_network

router = APIRouter(tags=["network pictures"])

Format = Annotated[
    Literal["json", "html"],
    Query(description="json: the network (nodes, edges, legend, note); html: a self-contained page"),
]


class NetworkOut(Network):
    """A network picture: what vis-network (or any graph drawer) needs, plus its legend."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Overlap van PO2704 en JZ11",
                    "nodes": [
                        {
                            "id": "Swv:PO2704",
                            "label": "A: Samenwerkingsverband\nPO2704",
                            "group": "swv",
                            "title": "Regio A: Samenwerkingsverband PO2704\n37 postcodegebieden (PC4)",
                        },
                        {
                            "id": "Regio:JZ11",
                            "label": "B: Regio\nJZ11",
                            "group": "jeugdregio",
                            "title": "Regio B: jeugdregio JZ11\n34 postcodegebieden (PC4), 4 gemeenten",
                        },
                        {
                            "id": "Gemeente:GM0392",
                            "label": "Haarlem\nGM0392",
                            "group": "gemeente_gedeeld",
                            "title": "Gemeente Haarlem (GM0392): in beide regio's",
                        },
                    ],
                    "edges": [
                        {
                            "from": "Gemeente:GM0392",
                            "to": "Swv:PO2704",
                            "label": "20 PC4",
                            "title": "20 postcodegebieden (PC4) van Haarlem liggen in PO2704",
                            "width": 10.0,
                        },
                        {
                            "from": "Gemeente:GM0392",
                            "to": "Regio:JZ11",
                            "label": "20 PC4",
                            "title": "20 postcodegebieden (PC4) van Haarlem liggen in JZ11",
                            "width": 10.0,
                        },
                    ],
                    "legend": [
                        {
                            "group": "swv",
                            "label": "Samenwerkingsverband passend onderwijs",
                            "color": "#e69f00",
                            "shape": "hexagon",
                        },
                        {
                            "group": "gemeente_gedeeld",
                            "label": "Gemeente in beide regio's",
                            "color": "#7b3294",
                            "shape": "box",
                        },
                        {
                            "group": "jeugdregio",
                            "label": "Jeugdregio (inkoop jeugdhulp)",
                            "color": "#cc79a7",
                            "shape": "diamond",
                        },
                    ],
                    "note": "Gedeeld: 4 gemeenten en 33 postcodegebieden (PC4). Jaccard-index PC4 0.89, …",
                }
            ]
        }
    )


RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the network as JSON, or with format=html a self-contained HTML page",
        "content": {"text/html": {"schema": {"type": "string"}}},
    },
    404: {"model": Problem, "description": "an unknown school, postcode, SWV or region"},
    422: {"model": Problem, "description": "a malformed code or question"},
}


def _send(network: Network, fmt: str, response: Response, headers: dict[str, str] | None = None) -> Any:
    """The picture in the format asked for; the JSON goes through the response model."""
    if fmt == "html":
        return HTMLResponse(render_html(network), headers={**(headers or {}), "Content-Security-Policy": CSP})
    response.headers.update(headers or {})
    return network


@router.get(
    "/network/who-serves",
    response_model=NetworkOut,
    summary="Who serves this pupil, as a network picture",
    responses=RESPONSES,
    openapi_extra=OPENAPI,
)
def get_who_serves_network(response: Response, asked: PupilQuestionDep, format: Format = "json") -> Any:
    """The question in the middle; every role (zorgplicht, swv, gemeente_jeugdhulp, toegang,
    jeugdregio, leerplicht, rmc, ggd) reached along the path that proves it, the edge into it
    labelled with the role and its rule in the tooltip; contracted providers through their
    contract. The home postcode is shown as PC4 only. Sent with ``Cache-Control: no-store``."""
    store = asked.store
    answer = who_serves(store, asked.school, asked.postcode, asked.need, store.day, asked.enrolled)
    return _send(who_serves_network(answer), format, response, NO_STORE)


@router.get(
    "/network/swv/{swv_id}",
    response_model=NetworkOut,
    summary="An SWV and everyone it deals with, as a network picture",
    responses=RESPONSES,
)
def get_swv_network(
    response: Response,
    store: DatedDep,
    swv_id: str,
    format: Format = "json",
) -> Any:
    """Its gemeenten (edge width: shared PC4), their jeugdregio's, wijkteams and contracted
    providers, its schoolbesturen and schools; large parts are capped with a grouped node
    ("+ 312 scholen") and a note."""
    network = swv_network(swv_partners(store, swv_id, on=store.day))
    return _send(network, format, response)


@router.get(
    "/network/overlap",
    response_model=NetworkOut,
    summary="Two overlapping regions, as a network picture",
    responses=RESPONSES,
)
def get_overlap_network(
    response: Response,
    store: DatedDep,
    a: Annotated[str, Query(description=REGION_HELP, examples=["PO2704"])],
    b: Annotated[str, Query(description=REGION_HELP, examples=["JZ11"])],
    format: Format = "json",
) -> Any:
    """Both regions, the gemeenten they share, and on each side those only one holds; the
    note gives the shared counts, Jaccard and share of inwoners of GET /overlap."""
    network = overlap_network(overlap_picture(store, a, b))
    return _send(network, format, response)


@router.get(
    "/network/mismatch",
    response_model=NetworkOut,
    summary="SWVs and jeugdregio's nationally, as a network picture",
    responses={200: RESPONSES[200]},
)
def get_mismatch_network(response: Response, store: DatedDep, format: Format = "json") -> Any:
    """Every SWV joined to the jeugdregio's it lies in, edge width by shared PC4; SWVs in more
    than one jeugdregio in their own colour."""
    return _send(mismatch_network(mismatch_picture(store)), format, response)
