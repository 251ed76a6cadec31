"""GET /api/v1/who-serves: who serves this pupil.

A question (school + home postcode + need) can identify a child, so the answer carries
``Cache-Control: no-store`` and nothing of the question is logged or kept.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import answer
from api.lean_route import LeanRoute
from api.params import NO_STORE, dataclass_response
from api.problems import Problem
from api.pupil_question import OPENAPI, pupil_question
from graph.queries.answer import Answer
from graph.queries.who_serves import who_serves

router = APIRouter(tags=["who serves"], route_class=LeanRoute)


@router.get(
    "/who-serves",
    response_model=Answer,
    summary="Who serves this pupil",
    responses={
        404: {"model": Problem, "description": "unknown school (with the closest matches), postcode or need"},
        422: {"model": Problem, "description": "a malformed school code or postcode"},
    },
    openapi_extra=OPENAPI,
)
async def get_who_serves(request: Request) -> Response:
    """Every role of the rules table (zorgplicht, swv, gemeente_jeugdhulp, toegang, jeugdregio,
    leerplicht, rmc, ggd) with its rule and the path that proves it; contracted providers for
    the need, nearest and shortest wait first; and warnings on grensverkeer and missing data."""
    asked = await pupil_question(request)
    store, day = asked.store, asked.store.day
    found = await answer(
        store, lambda: who_serves(store, asked.school, asked.postcode, asked.need, day, asked.enrolled)
    )
    return dataclass_response(found, NO_STORE)
