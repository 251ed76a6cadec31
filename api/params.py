"""Query parameters that several endpoints share, declared once so that they read, validate
and document the same everywhere: a postcode and a need (the whole pupil's question is read in
one step by :mod:`api.pupil_question`), paging, and the answer's serialisation."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Query, Response

#: Answers to a pupil's question may identify the child: no cache anywhere may keep them.
NO_STORE = {"Cache-Control": "no-store"}

#: what the pupil's question's parameters say (here and in :mod:`api.pupil_question`)
POSTCODE_TEXT = "home postcode, PC6 or PC4"
NEED_TEXT = "iJw category (45) or education need (dyslexie)"

Postcode = Annotated[str, Query(description=POSTCODE_TEXT, examples=["2011AB"])]
Need = Annotated[str, Query(description=NEED_TEXT, examples=["45"])]

Page = Annotated[int, Query(ge=1, description="page number, from 1", examples=[1])]
Size = Annotated[int, Query(ge=1, le=200, description="items per page, at most 200", examples=[20])]


def dataclass_response(value: Any, headers: dict[str, str] | None = None) -> Response:
    """``value`` (a query's own result dataclass, such as a who-serves answer) straight to
    JSON bytes. Returned as is, FastAPI would validate it against the endpoint's
    ``response_model`` once more (a copy of every role, path and provider) and then serialise
    it. The result dataclasses hold only text, numbers, booleans, None, lists and dataclasses,
    which orjson writes as the response model's schema says, in less than half the time
    pydantic takes (``tests/test_who_serves.py`` checks that both agree); the endpoint's
    ``response_model`` still declares the schema in the OpenAPI document."""
    return Response(orjson.dumps(value), media_type="application/json", headers=headers)
