"""Fuzzing against the app's own OpenAPI (issue 11.3): schemathesis makes requests for every
operation the API documents, valid and not, and checks every answer: never a server error,
a body that matches the schema declared for its status, a declared status code and content
type. Bounded (50 examples per operation) and derandomised, so that a run in CI is the same
run every time and its failures can be reproduced.

Twice: with the server's API key, so that the upload route's own checks are reached (the
imports write to this module's own store, never to another test's), and without it, when
every upload must be refused with 401. The web pages (``/``, ``/school``, …) are not in the
OpenAPI (they are HTML for people, tested in ``test_pages`` and ``test_browser``); the API's
JSON routes all are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from graph.embedded import EmbeddedStore
from importers.run import run_import

from .utils import DEMO

KEY = "fuzz-sleutel-niet-geheim"
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]
#: Built from the app itself, not a file: what is checked is what the code declares today.
SCHEMA = schemathesis.openapi.from_dict(create_app(api_key=KEY).openapi())
FUZZ = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _app(folder: Path, key: str | None) -> Iterator[FastAPI]:
    store = EmbeddedStore(folder / "graph.json")
    run_import(store, [DEMO])
    yield create_app(store, api_key=key)
    store.close()


@pytest.fixture(scope="module")
def keyed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    yield from _app(tmp_path_factory.mktemp("fuzz-key"), KEY)


@pytest.fixture(scope="module")
def keyless_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    yield from _app(tmp_path_factory.mktemp("fuzz-nokey"), "een-andere-sleutel")


def test_every_operation_is_fuzzed() -> None:
    """The fuzzing below covers the whole API: no route missing from the OpenAPI."""
    paths = set(SCHEMA.raw_schema["paths"])
    assert {"/api/v1/who-serves", "/api/v1/imports", "/api/v1/search/providers"} <= paths
    assert len(paths) >= 15


@SCHEMA.parametrize()
@FUZZ
def test_fuzz_with_key(case: schemathesis.Case, keyed_app: FastAPI) -> None:
    if case.operation.path == "/api/v1/imports":
        others = {k: v for k, v in (case.headers or {}).items() if k.lower() != "x-api-key"}
        case.headers = {**others, "X-API-Key": KEY}
    case.call_and_validate(checks=CHECKS, app=keyed_app)


@SCHEMA.include(path="/api/v1/imports").parametrize()
@FUZZ
def test_fuzz_uploads_without_the_key_are_refused(case: schemathesis.Case, keyless_app: FastAPI) -> None:
    response = case.call_and_validate(checks=CHECKS, app=keyless_app)
    if response.request.method == "POST":  # schemathesis also tries other methods: 405
        assert response.status_code == 401, response.text
    else:
        assert response.status_code == 405, response.text
