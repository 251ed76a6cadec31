"""The HTTP API in process, on both backends, and what it does when Neo4j is gone."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.embedded import EmbeddedStore
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
    assert r.json()["title"] == "Niet gevonden" and r.json()["instance"] == "/api/v1/nothing-here"


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
    assert body["status"] == 503 and "probeer het zo dadelijk opnieuw" in body["detail"]
    assert "Traceback" not in r.text


QUESTION = {"school": "15UJ00", "postcode": "2011AB", "need": "45"}


class Broken(EmbeddedStore):
    """A store with a bug: its message quotes what it was asked, as bugs' messages do."""

    def neighbourhood(self, seeds, holds=None):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"kapot bij {[str(s.key) for s in seeds]}")


def test_an_unexpected_error_is_500_problem_json_and_the_question_stays_out_of_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(Broken(tmp_path / "graph.json"))
    with caplog.at_level(logging.DEBUG), TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/api/v1/who-serves", params=QUESTION)
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert r.headers["cache-control"] == "no-store"
    assert "kapot" not in r.text and "Traceback" not in r.text
    # the server's log (not the test client's own line about its request): where and what
    # kind of error, the frames of code, never the message that quotes the question
    logged = "\n".join(
        f"{rec.getMessage()} {rec.exc_text or ''}"
        for rec in caplog.records
        if not rec.name.startswith("httpx")
    )
    assert "RuntimeError" in logged and "/api/v1/who-serves" in logged and "neighbourhood" in logged
    assert "2011AB" not in logged and "School:15UJ00" not in logged


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/who-serves", {"school": "15UJ00", "postcode": "2011AB"}),  # no need
        (
            "/api/v1/who-serves",
            {"school": "15UJ00", "postcode": "2011AB", "need": "45", "date": "2025-13-01"},
        ),
        (
            "/api/v1/network/who-serves",
            {"school": "15UJ00", "postcode": "2011AB", "need": "45", "enrolled": "?"},
        ),
        ("/api/v1/search/providers", {"need": "45", "postcode": "2011AB", "km": "-1"}),
    ],
)
def test_a_refused_question_is_not_kept_by_any_cache(
    embedded_store: GraphStore, path: str, params: dict[str, str]
) -> None:
    with TestClient(create_app(embedded_store)) as client:
        r = client.get(path, params=params)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.headers["cache-control"] == "no-store"
