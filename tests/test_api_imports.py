"""POST /api/v1/imports: the import run over HTTP, behind an API key."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from graph.records import NodeKey
from graph.store import GraphStore

from .utils import DEMO

KEY = "test-key-not-secret"


def post(client: TestClient, files: list[tuple[str, bytes]], key: str | None = KEY, **params: str):  # type: ignore[no-untyped-def]
    headers = {"X-API-Key": key} if key else {}
    return client.post(
        "/api/v1/imports",
        files=[("files", (name, body)) for name, body in files],
        headers=headers,
        params=params,
    )


def test_import_with_key_then_again_is_no_change(store: GraphStore) -> None:
    body = DEMO.read_bytes()
    with TestClient(create_app(store, api_key=KEY)) as client:
        first = post(client, [("demo.jsonl", body)])
        second = post(client, [("demo.jsonl", body)])
    assert first.status_code == 200, first.text
    report = first.json()
    assert report["applied"] and report["changed"]
    assert report["files"][0]["file"] == "demo.jsonl"  # the name sent, not a server path
    assert report["files"][0]["created"] == report["files"][0]["rows_read"] > 0
    assert second.json()["changed"] is False
    assert store.node(NodeKey("Gemeente", "GM0392")) is not None


def test_bad_rows_refuse_everything_with_lines(store: GraphStore) -> None:
    bad = (
        b'{"format": "sociale-kaart/1", "source": "t", "source_date": "2025-01-01"}\n'
        b'{"kind": "PC4", "id": "2011"}\n'
        b'{"kind": "PC4", "id": "0999"}\n'
    )
    with TestClient(create_app(store, api_key=KEY)) as client:
        refused = post(client, [("pc4.jsonl", bad)])
        partial = post(client, [("pc4.jsonl", bad)], skip_invalid="true")
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    [problem] = refused.json()["errors"]
    assert problem["file"] == "pc4.jsonl" and problem["line"] == 3 and problem["field"] == "id"
    assert partial.status_code == 200 and partial.json()["files"][0]["created"] == 1
    assert store.node(NodeKey("PC4", "2011")) is not None and store.node(NodeKey("PC4", "0999")) is None


def test_key_is_required_and_checked(embedded_store: GraphStore) -> None:
    with TestClient(create_app(embedded_store, api_key=KEY)) as client:
        missing = post(client, [("x.jsonl", b"")], key=None)
        wrong = post(client, [("x.jsonl", b"")], key="guess")
    for r in (missing, wrong):
        assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
        assert "X-API-Key" in r.json()["detail"]
    with TestClient(create_app(embedded_store, api_key="")) as client:
        disabled = post(client, [("x.jsonl", b"")])
    assert disabled.status_code == 403 and "SOCIALE_KAART_API_KEY" in disabled.json()["detail"]
    assert embedded_store.counts().nodes == {}
