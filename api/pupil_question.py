"""The pupil's question (school, home postcode, need, enrolled, date) read from the query
string in one step, for the endpoints that answer it.

FastAPI's own handling of five query parameters costs more than the answer itself once the
answer comes from kept pieces of the graph (it inspects each parameter's annotation again on
every request). One pydantic model validates the five at once, and the same model writes
their OpenAPI description, so the document and the check cannot drift apart. A malformed
value is the same :class:`RequestValidationError` FastAPI raises: one handler turns both into
a 422 problem+json.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from api.deps import iso_day
from api.params import NEED_TEXT, POSTCODE_TEXT
from graph.dated import DatedStore, as_of


class Asked(BaseModel):
    """The question's query parameters as the API documents them."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=False)

    school: Annotated[str, Field(description="BRIN + vestigingscode", examples=["15UJ00"])]
    postcode: Annotated[str, Field(description=POSTCODE_TEXT, examples=["2011AB"])]
    need: Annotated[str, Field(description=NEED_TEXT, examples=["45"])]
    enrolled: Annotated[
        bool | None, Field(description="enrolled at a regular school; default: from the school's kind")
    ] = None
    on: Annotated[
        date | None,
        BeforeValidator(iso_day),
        Field(
            alias="date",
            description="answer as on this day (YYYY-MM-DD): regions, memberships and contracts "
            "valid then; default today",
            examples=["2016-06-01"],
        ),
    ] = None


def _parameters() -> list[dict[str, Any]]:
    """The OpenAPI parameters of :class:`Asked`, in the form FastAPI writes for query ones."""
    schema = Asked.model_json_schema(by_alias=True)
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": field,
            "description": field.get("description", ""),
        }
        for name, field in schema["properties"].items()
    ]


#: what an endpoint that reads :data:`PupilQuestionDep` adds to its OpenAPI operation
OPENAPI = {"parameters": _parameters()}


@dataclass(frozen=True, slots=True)
class PupilQuestion:
    """A question as asked, with the store as of its day."""

    store: DatedStore
    school: str
    postcode: str
    need: str
    enrolled: bool | None


def query_of(request: Request) -> dict[str, str]:
    """The query string's parameters by name, a repeated one by its last value: what
    ``dict(request.query_params)`` gives, without building the multi-dict first.

    >>> from starlette.requests import Request
    >>> query_of(Request({"type": "http", "query_string": b"school=15UJ00&need=45&need=46&x="}))
    {'school': '15UJ00', 'need': '46', 'x': ''}
    """
    return dict(parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True))


async def pupil_question(request: Request) -> PupilQuestion:
    """The question of the request's query string, or the 422 of a malformed value (missing
    school, ``enrolled=misschien``, ``date=2011``). Unknown parameters are ignored, as
    FastAPI's own parameters do; a repeated one counts with its last value."""
    try:
        asked = Asked.model_validate(query_of(request))
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]) from None
    store = as_of(request.app.state.store, asked.on)
    return PupilQuestion(store, asked.school, asked.postcode, asked.need, asked.enrolled)


PupilQuestionDep = Annotated[PupilQuestion, Depends(pupil_question)]
