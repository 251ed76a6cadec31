"""The access log cannot be forged through a path: ``%0A`` decodes to a newline in the path
the server sees, and a line that wrote it raw would end there and start another line of the
attacker's choosing (``forged 200``, looking like an answered request)."""

from __future__ import annotations

import io
import logging
import time

import pytest
from fastapi.testclient import TestClient

from api.access_log import EVERY, AccessLog
from api.app import create_app
from api.middleware import printable
from graph.store import GraphStore


def test_a_newline_in_the_path_cannot_start_a_line_of_the_log(
    embedded_store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.INFO, logger="sociale_kaart.api"),
        TestClient(create_app(embedded_store)) as c,
    ):
        r = c.get("/api/v1/x%0Aforged 200")
    assert r.status_code == 404
    access = [
        rec for rec in caplog.records if rec.name == "sociale_kaart.api" and "/api/v1/x" in rec.getMessage()
    ]
    assert len(access) == 1
    line = logging.Formatter("%(levelname)s %(name)s: %(message)s").format(access[0])
    assert "\n" not in line and "\r" not in line
    assert not any(part.startswith("forged") for part in line.splitlines())
    assert line.endswith("GET /api/v1/x%0Aforged 200 404")


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/api/v1/who-serves", "/api/v1/who-serves"),
        ("/a\r\nb", "/a%0D%0Ab"),
        ("/a\x1b[31mb", "/a%1B[31mb"),  # a terminal escape
        ("/a\u2028b", "/a%E2%80%A8b"),  # a line separator, to some log viewers
        ("/café", "/café"),
    ],
)
def test_printable_keeps_a_path_on_one_line(path: str, logged: str) -> None:
    assert printable(path) == logged


def test_the_servers_access_lines_are_written_in_batches_one_line_per_request() -> None:
    """The server's way (``sociale-kaart serve``): lines gathered, then one write of whole
    lines in the log's format, a forged newline still escaped."""
    out = io.StringIO()
    logger = logging.getLogger("sociale_kaart.test_access")
    logger.setLevel(logging.INFO)
    access = AccessLog(logger)
    access.write_to(out)
    access.note("GET", "/api/v1/ready", 200)
    access.note("GET", "/api/v1/x\nforged 200", 404)
    access.flush()
    assert out.getvalue().splitlines() == [
        "INFO sociale_kaart.test_access: GET /api/v1/ready 200",
        "INFO sociale_kaart.test_access: GET /api/v1/x%0Aforged 200 404",
    ]
    logger.setLevel(logging.WARNING)  # INFO off: nothing is even gathered
    access.note("GET", "/api/v1/ready", 200)
    assert not access.lines


def test_an_access_line_reaches_the_log_without_a_flush(caplog: pytest.LogCaptureFixture) -> None:
    """The writer thread writes by itself, within a few of its intervals."""
    logger = logging.getLogger("sociale_kaart.test_access_thread")
    access = AccessLog(logger)
    with caplog.at_level(logging.INFO, logger=logger.name):
        access.note("GET", "/api/v1/health", 200)
        deadline = time.monotonic() + 20 * EVERY
        while not caplog.records and time.monotonic() < deadline:
            time.sleep(EVERY / 4)
    assert [r.getMessage() for r in caplog.records] == ["GET /api/v1/health 200"]
