"""Odd values of every parameter (issue 11.2): each is answered, or refused with a 404 or 422
problem+json in Dutch; never a 500, never the framework's English words.

The sweep walks the app's own OpenAPI description, so an endpoint or parameter added later
is swept too without this file knowing of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.records import Batch
from graph.store import GraphStore

#: A value that is answered, for every parameter the sweep does not vary.
GOOD = {
    "school": "15UJ00",
    "postcode": "2011AB",
    "need": "45",
    "a": "PO2704",
    "b": "JZ11",
    "region": "PO2704",
    "swv_id": "PO2704",
    "type": "jeugdregio",
    "q": "Haarlem",
}

#: Values a person, a script or a fuzzer may send: signs alone, empty and blank, numbers out
#: of range or not finite, days that are none, other scripts' digits, control characters, long.
ODD = [
    "-",
    "",
    " ",
    "--",
    "-1",
    "0",
    "1.5",
    "1e400",
    "inf",
    "nan",
    "2011",
    "2016-02-30",
    "0001-01-01",
    "9999-12-31",
    "99999999999999999999",
    "true",
    "\x00",
    "\u2028",
    "İ",
    "４５",
    "ijw-",
    "onderwijs-",
    "%",
    "'\"\\",
    "a" * 2000,
]

#: Words of pydantic's and Starlette's English messages that must not reach a person.
ENGLISH = re.compile(
    r"Input should|should be|String should|Field required|Not Found|error parsing|Method Not"
)


@pytest.fixture
def client(store: GraphStore, demo_batch: Batch) -> Iterator[TestClient]:
    store.apply(demo_batch)
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        yield c


def _refused_in_dutch(r: Any, *statuses: int) -> dict[str, Any]:
    """The answer is a problem+json of one of ``statuses`` with no English in it."""
    assert r.status_code in statuses, (r.status_code, r.text[:300])
    assert r.headers["content-type"] == "application/problem+json"
    assert not ENGLISH.search(r.text), r.text[:300]
    body: dict[str, Any] = r.json()
    assert body["status"] == r.status_code and body["title"] and body["detail"]
    return body


def test_a_need_of_signs_alone_is_422_saying_the_forms(client: TestClient) -> None:
    for path, extra in (("/api/v1/search/providers", {}), ("/api/v1/who-serves", {"school": "15UJ00"})):
        r = client.get(path, params={"postcode": "2011AB", "need": "-", **extra})
        body = _refused_in_dutch(r, 422)
        assert "geen code van de taxonomie" in body["detail"]
        assert body["errors"][0]["field"] == "need"


def test_other_scripts_digits_are_no_ijw_category(client: TestClient) -> None:
    r = client.get("/api/v1/search/providers", params={"postcode": "2011AB", "need": "４５"})
    assert "geen code van de taxonomie" in _refused_in_dutch(r, 422)["detail"]
    assert (
        client.get("/api/v1/search/providers", params={"postcode": "2011AB", "need": "45"}).status_code == 200
    )


@pytest.mark.parametrize("km", ["inf", "-inf", "nan", "1e400"])
def test_a_distance_that_is_no_finite_number_is_422(client: TestClient, km: str) -> None:
    r = client.get("/api/v1/search/providers", params={"postcode": "2011AB", "need": "45", "km": km})
    body = _refused_in_dutch(r, 422)
    assert body["errors"][0]["field"] == "km" and "eindig" in body["errors"][0]["reason"]


@pytest.mark.parametrize("day", ["0", "2011", "1.5", "-1", "2016-6-1", "20160601"])
def test_a_day_is_only_a_day_written_yyyy_mm_dd(client: TestClient, day: str) -> None:
    # pydantic alone would read a number as seconds since 1970: date=0 would be 1970-01-01
    r = client.get("/api/v1/overlap", params={"a": "PO2704", "b": "JZ11", "date": day})
    assert _refused_in_dutch(r, 422)["errors"] == [
        {"field": "date", "reason": "moet een datum zijn (jjjj-mm-dd)"}
    ]
    assert client.get("/api/v1/overlap", params={"a": "PO2704", "b": "JZ11", "date": "2016-06-01"}).is_success


def test_a_choice_and_a_form_are_refused_in_dutch(client: TestClient) -> None:
    r = client.get("/api/v1/network/mismatch", params={"format": "pdf"})
    assert _refused_in_dutch(r, 422)["errors"] == [
        {"field": "format", "reason": "moet 'json' of 'html' zijn"}
    ]
    r = client.get("/api/v1/mismatch/swvs", params={"sort": "x"})
    assert _refused_in_dutch(r, 422)["errors"][0]["reason"].startswith("heeft niet de vorm ^-?(swv|")


def test_the_frameworks_own_errors_are_dutch(client: TestClient) -> None:
    assert _refused_in_dutch(client.get("/api/v1/nothing-here"), 404)["detail"] == "Dit adres bestaat niet."
    assert _refused_in_dutch(client.post("/api/v1/health"), 405)["title"] == "Methode niet toegestaan"
    assert "geen bestand" in _refused_in_dutch(client.get("/static/nothing.css"), 404)["detail"]


def test_an_unreadable_upload_is_400_in_dutch(store: GraphStore) -> None:
    with TestClient(create_app(store, api_key="k"), raise_server_exceptions=False) as c:
        r = c.post(
            "/api/v1/imports",
            headers={"x-api-key": "k", "content-type": "multipart/form-data; boundary=x"},
            content=b"--x\r\nTrue--x--\r\n",
        )
    assert "multipart/form-data" in _refused_in_dutch(r, 400)["detail"]


def _get_operations(client: TestClient) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for path, operations in client.get("/openapi.json").json()["paths"].items():
        if "get" in operations:
            yield path, operations["get"].get("parameters", [])


def test_every_odd_value_of_every_parameter_is_answered_or_refused_in_dutch(client: TestClient) -> None:
    swept = 0
    for path, parameters in _get_operations(client):
        for odd in parameters:
            for value in ODD:
                url, query = path, {}
                for p in parameters:
                    v = value if p is odd else GOOD.get(p["name"])
                    if p["in"] == "path":
                        url = url.replace("{" + p["name"] + "}", v.replace("\x00", "%00") or "-")  # type: ignore[union-attr]
                    elif v is not None:
                        query[p["name"]] = v
                r = client.get(url, params=query)
                swept += 1
                if r.status_code >= 400:
                    _refused_in_dutch(r, 404, 422)
                else:
                    assert r.status_code == 200, (url, query, r.status_code)
    assert swept > 1000  # every operation's every parameter, not an empty description
