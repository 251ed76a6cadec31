"""FastAPI dependencies: the store is opened once by the app's lifespan and shared."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from graph.store import GraphStore


async def get_store(request: Request) -> GraphStore:
    # async, though it awaits nothing: FastAPI runs a plain def dependency in a worker
    # thread, a hop that costs more than the lookup
    return request.app.state.store  # type: ignore[no-any-return]


T = TypeVar("T")

StoreDep = Annotated[GraphStore, Depends(get_store)]


async def answer(store: GraphStore, question: Callable[[], T]) -> T:
    """Ask a question of the store without making the event loop wait on I/O: in memory and
    at once when the store says it can (the embedded store: a hop to a worker thread would
    cost more than the answer), in a worker thread otherwise (Neo4j, or an embedded store
    busy with a write)."""
    if store.quick():
        return question()
    return await run_in_threadpool(question)
