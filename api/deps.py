"""FastAPI dependencies: the store is opened once by the app's lifespan and shared; a
question sees it as of the day it asks for (``date=``, default today)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError
from starlette.concurrency import run_in_threadpool

from graph.dated import DatedStore, as_of
from graph.store import GraphStore


async def get_store(request: Request) -> GraphStore:
    # async, though it awaits nothing: FastAPI runs a plain def dependency in a worker
    # thread, a hop that costs more than the lookup
    return request.app.state.store


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(value: object) -> object:
    """A day only as written in the API (``2016-06-01``): pydantic would also take a number as
    seconds since 1970 (``date=0`` is 1970-01-01, ``date=2011`` an error in English), which no
    person asking about a day means.

    >>> iso_day("2016-06-01")
    '2016-06-01'
    >>> iso_day("2011")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.PydanticCustomError: geen datum: verwacht jjjj-mm-dd
    """
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise PydanticCustomError("date_parsing", "geen datum: verwacht jjjj-mm-dd")
    return value


async def get_dated_store(
    request: Request,
    on: Annotated[
        date | None,
        BeforeValidator(iso_day),
        Query(
            alias="date",
            description="answer as on this day (YYYY-MM-DD): regions, memberships and contracts "
            "valid then; default today",
            examples=["2016-06-01"],
        ),
    ] = None,
) -> DatedStore:
    return as_of(request.app.state.store, on)


T = TypeVar("T")

StoreDep = Annotated[GraphStore, Depends(get_store)]
#: The store as of the question's ``date``: what every question reads.
DatedDep = Annotated[DatedStore, Depends(get_dated_store)]


async def answer(store: GraphStore, question: Callable[[], T]) -> T:
    """Ask a question of the store without making the event loop wait on I/O: in memory and
    at once when the store says it can (the embedded store: a hop to a worker thread would
    cost more than the answer), in a worker thread otherwise (Neo4j, or an embedded store
    busy with a write)."""
    if store.quick():
        return question()
    return await run_in_threadpool(question)
