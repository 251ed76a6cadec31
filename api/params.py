"""Query parameters that several endpoints share, declared once so that they read, validate
and document the same everywhere: a postcode and a need (the whole pupil's question is read in
one step by :mod:`api.pupil_question`), paging, and the answer's serialisation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import TypeAdapter

#: Answers to a pupil's question may identify the child: no cache anywhere may keep them.
NO_STORE = {"Cache-Control": "no-store"}

#: what the pupil's question's parameters say (here and in :mod:`api.pupil_question`)
POSTCODE_TEXT = "home postcode, PC6 or PC4"
NEED_TEXT = "iJw category (45) or education need (dyslexie)"

Postcode = Annotated[str, Query(description=POSTCODE_TEXT, examples=["2011AB"])]
Need = Annotated[str, Query(description=NEED_TEXT, examples=["45"])]

Page = Annotated[int, Query(ge=1, description="page number, from 1", examples=[1])]
Size = Annotated[int, Query(ge=1, le=200, description="items per page, at most 200", examples=[20])]


_ADAPTERS: dict[object, TypeAdapter[Any]] = {}


def _adapter(model: type[Any]) -> TypeAdapter[Any]:
    """One adapter per response type, built once: building one costs far more than using it."""
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def model_response(model: type[Any], value: Any, headers: dict[str, str] | None = None) -> Response:
    """``value`` (an instance of the response model: a query's own result dataclass, or a
    pydantic model) serialised here by the model's schema, straight to bytes. Returned as
    is, FastAPI would validate it against the response model once more (a copy of every
    role, path and provider) and then serialise it; the endpoint's ``response_model`` still
    declares the schema in the OpenAPI document, and the tests check answers against it."""
    body = _adapter(model).dump_json(value)
    return Response(body, media_type="application/json", headers=headers)
