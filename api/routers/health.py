"""Health and readiness: which backend serves, whether it answers, and how much it holds.

``/ready`` is for a load balancer or orchestrator: one cheap round trip to the store, 200 or
503 with ``Retry-After``. ``/health`` is for a person: the same, plus the counts per kind.
Neither needs a restart after an outage: the store reconnects by itself when it can.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import StoreDep, answer
from api.problems import Problem

router = APIRouter(tags=["health"])


class BackendOut(BaseModel):
    kind: str = Field(examples=["embedded"])
    location: str = Field(description="store file name, or the Bolt URI", examples=["graph.json"])
    version: str = Field(examples=["networkx 3.6.1"])


class HealthOut(BaseModel):
    status: str = Field(examples=["ok"])
    backend: BackendOut
    nodes: dict[str, int] = Field(examples=[{"Gemeente": 342, "PC4": 4066}])
    edges: dict[str, int] = Field(examples=[{"LIGT_IN": 4100}])


class ReadyOut(BaseModel):
    status: str = Field(examples=["ready"])
    backend: str = Field(description="embedded or neo4j", examples=["neo4j"])


@router.get(
    "/ready",
    response_model=ReadyOut,
    summary="Can the service answer questions now?",
    responses={503: {"model": Problem, "description": "the graph store cannot be reached; see Retry-After"}},
)
async def ready(store: StoreDep) -> ReadyOut:
    """200 when the graph store answers now; 503 problem+json with ``Retry-After`` when it
    does not (e.g. Neo4j is down or restarting). Polling it is cheap: nothing is counted,
    and the embedded store's ping (a stat of its file) is done on the event loop, not in a
    worker thread; Neo4j's round trip still goes to one."""
    await answer(store, store.ping)
    return ReadyOut(status="ready", backend=store.info().kind)


@router.get(
    "/health",
    response_model=HealthOut,
    summary="Backend and counts",
    responses={503: {"model": Problem, "description": "the graph store cannot be reached"}},
)
def health(store: StoreDep) -> HealthOut:
    """Answers 200 when the store can be read; 503 with ``Retry-After`` when it cannot."""
    store.ping()
    info = store.info()
    counts = store.counts().as_dict()
    # A file path would tell the world about our disk; its name is enough.
    location = Path(info.location).name if info.kind == "embedded" else info.location
    return HealthOut(
        status="ok",
        backend=BackendOut(kind=info.kind, location=location, version=info.version),
        nodes=counts["nodes"],
        edges=counts["edges"],
    )
