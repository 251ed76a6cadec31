"""Uploads judged before they are read (issue 11.1): against a real ``serve`` process, over a
raw socket, so that what the server reads of a body is what the test sends and no client
library fills in or checks anything for us.

A request without a valid key is answered while its body has not been sent at all; one that
declares more than the upload limit likewise; one that sends more than it declared (chunked,
so nothing is declared) is cut off at the limit. Each answer is problem+json and nothing of
the upload reaches the store.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import GraphStore

from .servers import serving, target_of
from .utils import DEMO

KEY = "upload-sleutel-niet-geheim"
LIMIT = 64 * 1024


@pytest.fixture
def server(store: GraphStore, tmp_path: Path) -> Iterator[str]:
    env = {"SOCIALE_KAART_API_KEY": KEY, "SOCIALE_KAART_MAX_UPLOAD_BYTES": "64K"}
    with serving(target_of(store), tmp_path / "serve.log", env) as base:
        yield base


def _exchange(base: str, head: str, body: bytes = b"") -> tuple[int, dict[str, str], dict]:
    """Send ``head`` (and ``body``, if any) and read one answer; the socket times out after
    ten seconds, so that a server waiting for a body we never send fails the test."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode() + body)
        raw = b""
        while b"\r\n\r\n" not in raw:
            raw += sock.recv(65536)
        top, rest = raw.split(b"\r\n\r\n", 1)
        status_line, *header_lines = top.decode().split("\r\n")
        headers = {k.lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines)}
        while len(rest) < int(headers.get("content-length", "0")):
            rest += sock.recv(65536)
    return int(status_line.split()[1]), headers, json.loads(rest or b"{}")


def _head(key: str | None, length: int | None) -> str:
    lines = ["POST /api/v1/imports HTTP/1.1", "Host: test", "Content-Type: multipart/form-data; boundary=xx"]
    lines += [f"X-API-Key: {key}"] if key else []
    lines += [f"Content-Length: {length}"] if length is not None else ["Transfer-Encoding: chunked"]
    return "\r\n".join(lines) + "\r\n\r\n"


def test_without_a_valid_key_the_body_is_never_waited_for(server: str) -> None:
    for key in (None, "raden"):
        status, headers, problem = _exchange(server, _head(key, 1 << 30))
        assert status == 401 and headers["content-type"] == "application/problem+json"
        assert "X-API-Key" in problem["detail"]


def test_a_declared_size_over_the_limit_is_refused_before_reading(server: str) -> None:
    status, headers, problem = _exchange(server, _head(KEY, LIMIT + 1))
    assert status == 413 and headers["content-type"] == "application/problem+json"
    assert "SOCIALE_KAART_MAX_UPLOAD_BYTES" in problem["detail"] and "64 KiB" in problem["detail"]


def _form(name: str, content: bytes) -> bytes:
    return (
        f'--xx\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n\r\n'.encode()
        + content
        + b"\r\n--xx--\r\n"
    )


def _chunked(data: bytes, size: int = 8192) -> bytes:
    parts = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in parts) + b"0\r\n\r\n"


def test_a_body_larger_than_it_says_is_cut_off_and_nothing_applied(server: str, store: GraphStore) -> None:
    padding = b'{"kind": "PC4", "id": "2011", "plaats": "' + b"x" * 1000 + b'"}\n'
    too_much = _form("groot.jsonl", DEMO.read_bytes() + padding * 100)
    assert len(too_much) > LIMIT
    status, headers, problem = _exchange(server, _head(KEY, None), _chunked(too_much))
    assert status == 413 and headers["content-type"] == "application/problem+json"
    assert "SOCIALE_KAART_MAX_UPLOAD_BYTES" in problem["detail"]
    assert not store.counts().nodes

    small = _form("demo.jsonl", DEMO.read_bytes())
    assert len(small) < LIMIT
    status, _, report = _exchange(server, _head(KEY, len(small)), small)
    assert status == 200 and report["applied"], report
    assert sum(store.counts().nodes.values()) > 0
