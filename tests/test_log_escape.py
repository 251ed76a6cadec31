"""The access log cannot be forged through a path: ``%0A`` decodes to a newline in the path
the server sees, and a line that wrote it raw would end there and start another line of the
attacker's choosing (``forged 200``, looking like an answered request)."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

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
