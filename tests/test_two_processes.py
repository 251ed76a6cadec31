"""Two API processes on one Neo4j, as a deployment behind a load balancer runs them: a write
through one is what the other answers within a second.

Each process keeps values built from the whole graph (the search index, the mismatch
report) until the data changes; it learns of a change by reading the data's version token
from Neo4j on every request (:meth:`graph.neo4j_backend.Neo4jStore.data_version`). The
test starts the real ``sociale-kaart serve`` twice, so that nothing is shared but the
server.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import GraphStore
from importers.run import run_import

from .servers import get_json, serving
from .utils import DEMO, TEST_URI

KEY = "twee-processen-sleutel"
NEW_GEMEENTE = b"""{"format": "sociale-kaart/1", "source": "test: tweede proces", "source_date": "2026-01-01"}
{"kind": "Gemeente", "id": "GM9901", "naam": "Proefdorp aan Zee"}
"""


def _post_import(base: str, name: str, body: bytes) -> dict:
    boundary = "----sociale-kaart-test"
    form = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{base}/api/v1/imports",
        data=form,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "X-API-Key": KEY},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert answer.status == 200
        return json.loads(answer.read())


@pytest.fixture
def two_servers(neo4j_store: GraphStore, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two ``serve`` processes on the test Neo4j, which holds the demo stub."""
    run_import(neo4j_store, [DEMO])
    env = {"SOCIALE_KAART_API_KEY": KEY}
    target = os.environ[TEST_URI]
    with (
        serving(target, tmp_path / "serve-0.log", env) as first,
        serving(target, tmp_path / "serve-1.log", env) as second,
    ):
        yield first, second


@pytest.mark.neo4j
def test_a_write_through_one_process_is_seen_by_the_other_within_a_second(
    two_servers: tuple[str, str],
) -> None:
    writer, reader = two_servers
    search = f"{reader}/api/v1/search/gemeenten?q=Proefdorp"
    status, before = get_json(search)
    assert status == 200
    assert before["items"] == [], "the reader knows the gemeente before it was written"
    # the reader has built its search index now: the test is that it notices the change
    report = _post_import(writer, "tweede-proces.jsonl", NEW_GEMEENTE)
    assert report["applied"] is True
    written = time.monotonic()
    seen_after = None
    while time.monotonic() - written < 5:
        status, found = get_json(search)
        if status == 200 and [i["naam"] for i in found["items"]] == ["Proefdorp aan Zee"]:
            seen_after = time.monotonic() - written
            break
        time.sleep(0.02)
    assert seen_after is not None, "the other process never saw the write"
    assert seen_after < 1.0, f"the other process saw the write only after {seen_after:.2f} s"
