"""Health: which backend serves, whether it answers, and how much it holds."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import StoreDep
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
