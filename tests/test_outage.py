"""A Neo4j outage, for real: the test stops the project's own Neo4j server under a running
app, checks that every request gets a 503 problem+json with ``Retry-After`` (no hang, no
stack trace), starts the server again on the same port and checks that the same app, not
restarted, answers again by itself.

It needs a server it may stop: the one ``scripts/neo4j.py`` runs for the tests (what
``bash scripts/test`` and CI start). A test database elsewhere is left alone (skipped, and a
failure under CI).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore, StoreUnavailable
from importers.run import run_import

from .utils import DEMO, IN_CI, REPO, TEST_URI

NEO4J_SCRIPT = [sys.executable, str(REPO / "scripts" / "neo4j.py")]
QUESTION = {"school": "15UJ00", "postcode": "2011", "need": "45", "date": "2025-10-01"}


def neo4j(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NEO4J_SCRIPT, *args], capture_output=True, text=True, timeout=300)


def our_server_port() -> int | None:
    """The port of the server scripts/neo4j.py runs, if it is the test database."""
    status = neo4j("status")
    uri = status.stdout.strip().removeprefix("NEO4J_URI=")
    if status.returncode != 0 or uri != os.environ.get(TEST_URI):
        return None
    return int(uri.rsplit(":", 1)[1])


@pytest.mark.neo4j
def test_neo4j_outage_gives_503_and_the_service_recovers(neo4j_store: GraphStore) -> None:
    port = our_server_port()
    if port is None:
        reason = f"{TEST_URI} is not the server scripts/neo4j.py runs: not stopping it"
        if IN_CI:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    run_import(neo4j_store, [DEMO])
    with TestClient(create_app(neo4j_store), raise_server_exceptions=False) as client:
        before = client.get("/api/v1/who-serves", params=QUESTION)
        assert before.status_code == 200
        assert client.get("/api/v1/ready").json() == {"status": "ready", "backend": "neo4j"}

        stopped = neo4j("stop")
        try:
            assert stopped.returncode == 0, stopped.stderr
            with pytest.raises(StoreUnavailable):
                neo4j_store.ping()
            for path, params in (
                ("/api/v1/ready", None),
                ("/api/v1/health", None),
                ("/api/v1/who-serves", QUESTION),
                ("/api/v1/search/schools", {"q": "Haarlem"}),
            ):
                down = client.get(path, params=params)
                assert down.status_code == 503, (path, down.text)
                assert down.headers["content-type"] == "application/problem+json"
                assert int(down.headers["retry-after"]) > 0
                assert "Traceback" not in down.text and "neo4j" not in down.json()["detail"].lower()
        finally:
            started = neo4j("start", "--port", str(port))
            assert started.returncode == 0, started.stderr

        # the same app and store, not restarted: answers as before
        assert client.get("/api/v1/ready").status_code == 200
        after = client.get("/api/v1/who-serves", params=QUESTION)
        assert after.status_code == 200 and after.json() == before.json()
        assert client.get("/api/v1/health").json()["nodes"]["School"] > 0
