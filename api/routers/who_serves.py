"""GET /api/v1/who-serves: who serves this pupil.

A question (school + home postcode + need) can identify a child, so the answer carries
``Cache-Control: no-store`` and nothing of the question is logged or kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import DatedDep, answer
from api.params import NO_STORE, Enrolled, Need, Postcode, School, model_response
from api.problems import Problem
from graph.queries.who_serves import who_serves

router = APIRouter(tags=["who serves"])


class StepOut(BaseModel):
    node: str | None = Field(default=None, examples=["PC4:2011"])
    rel: str | None = Field(default=None, examples=["IN_WERKGEBIED"])
    source: str = Field(examples=["Regeling regio-indeling SWV (BWBR0032324)"])
    source_date: str = Field(examples=["2015-04-23"])
    label: str = Field(
        default="",
        description="the node's name with its code, or the relation in words",
        examples=["ligt in"],
    )


class RoleOut(BaseModel):
    role: str = Field(examples=["swv"])
    id: str | None = Field(examples=["PO2704"])
    name: str | None
    rule: str
    path: list[StepOut]
    contact: list[dict[str, Any]]
    extra: dict[str, Any]


class ProviderOut(BaseModel):
    id: str
    name: str
    contract: str
    opdrachtgever: str = Field(description="the gemeente or jeugdregio that contracted it", examples=["JZ11"])
    offers: list[dict[str, Any]]
    distance_home_km: float | None
    distance_school_km: float | None
    path: list[StepOut]
    opdrachtgever_naam: str | None = Field(
        description="its name with the code beside it", examples=["Jeugdregio Zuid-Kennemerland (JZ11)"]
    )


class AnswerOut(BaseModel):
    school: str = Field(examples=["15UJ00"])
    postcode: str = Field(examples=["2011AB"])
    need: str = Field(examples=["ijw-45"])
    date: str
    enrolled_regular: bool
    roles: list[RoleOut]
    providers: list[ProviderOut]
    warnings: list[str]
    school_naam: str | None = Field(
        description="the school's name with its code", examples=["De Ark (15UJ00)"]
    )
    need_naam: str | None = Field(description="the need's name", examples=["Jeugdhulp ambulant"])


@router.get(
    "/who-serves",
    response_model=AnswerOut,
    summary="Who serves this pupil",
    responses={
        404: {"model": Problem, "description": "unknown school (with the closest matches), postcode or need"},
        422: {"model": Problem, "description": "a malformed school code or postcode"},
    },
)
async def get_who_serves(
    store: DatedDep,
    school: School,
    postcode: Postcode,
    need: Need,
    enrolled: Enrolled = None,
) -> Any:
    """Every role of the rules table (zorgplicht, swv, gemeente_jeugdhulp, toegang, jeugdregio,
    leerplicht, rmc, ggd) with its rule and the path that proves it; contracted providers for
    the need, nearest and shortest wait first; and warnings on grensverkeer and missing data."""
    found = await answer(store, lambda: who_serves(store, school, postcode, need, store.day, enrolled))
    return model_response(AnswerOut, found, NO_STORE)
