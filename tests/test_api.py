"""The HTTP API in process, on both backends, and what it does when Neo4j is gone."""

from __future__ import annotations

import socket

from fastapi.testclient import TestClient

from api.app import create_app
from graph.neo4j_backend import Neo4jStore
from graph.records import Batch
from graph.store import GraphStore


def test_health_reports_backend_and_counts(store: GraphStore, demo_batch: Batch) -> None:
    store.apply(demo_batch)
    with TestClient(create_app(store)) as client:
        r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["backend"]["kind"] == store.info().kind
    assert body["nodes"] == store.counts().nodes
    assert body["edges"]["OPGEGAAN_IN"] == 1
    if body["backend"]["kind"] == "embedded":
        assert body["backend"]["location"] == "graph.json"  # a name, not our disk layout


def test_unknown_path_is_problem_json(embedded_store: GraphStore) -> None:
    with TestClient(create_app(embedded_store)) as client:
        r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == "Not found" and r.json()["instance"] == "/api/v1/nothing-here"


def test_neo4j_down_gives_503_with_retry_hint() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = Neo4jStore(f"bolt://127.0.0.1:{port}")
    try:
        with TestClient(create_app(store), raise_server_exceptions=False) as client:
            r = client.get("/api/v1/health")
    finally:
        store.close()
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert int(r.headers["retry-after"]) > 0
    body = r.json()
    assert body["status"] == 503 and "try again" in body["detail"]
    assert "Traceback" not in r.text
