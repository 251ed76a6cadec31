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
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import GraphStore
from importers.run import run_import

from .utils import DEMO, TEST_URI

KEY = "twee-processen-sleutel"
NEW_GEMEENTE = b"""{"format": "sociale-kaart/1", "source": "test: tweede proces", "source_date": "2026-01-01"}
{"kind": "Gemeente", "id": "GM9901", "naam": "Proefdorp aan Zee"}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve stopped with {process.returncode}: {log.read_text()}")
        try:
            if _get(f"{base}/api/v1/ready")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} did not become ready")


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
    """Two ``serve`` processes on the test Neo4j, which holds the demo stub; each one's log
    goes to a file (a pipe nobody reads would stop a server once full)."""
    run_import(neo4j_store, [DEMO])
    script = Path(sys.executable).with_name("sociale-kaart")
    env = {**os.environ, "SOCIALE_KAART_API_KEY": KEY}
    processes, bases, logs = [], [], []
    for n in range(2):
        port = _free_port()
        command = [str(script), "serve", "--store", os.environ[TEST_URI], "--port", str(port)]
        logs.append(tmp_path / f"serve-{n}.log")
        with open(logs[-1], "wb") as log:
            processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process, log_file in zip(bases, processes, logs, strict=True):
            _wait_ready(base, process, log_file)
        yield bases[0], bases[1]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.neo4j
def test_a_write_through_one_process_is_seen_by_the_other_within_a_second(
    two_servers: tuple[str, str],
) -> None:
    writer, reader = two_servers
    search = f"{reader}/api/v1/search/gemeenten?q=Proefdorp"
    status, before = _get(search)
    assert status == 200
    assert before["items"] == [], "the reader knows the gemeente before it was written"
    # the reader has built its search index now: the test is that it notices the change
    report = _post_import(writer, "tweede-proces.jsonl", NEW_GEMEENTE)
    assert report["applied"] is True
    written = time.monotonic()
    seen_after = None
    while time.monotonic() - written < 5:
        status, found = _get(search)
        if status == 200 and [i["naam"] for i in found["items"]] == ["Proefdorp aan Zee"]:
            seen_after = time.monotonic() - written
            break
        time.sleep(0.02)
    assert seen_after is not None, "the other process never saw the write"
    assert seen_after < 1.0, f"the other process saw the write only after {seen_after:.2f} s"
