"""The FastAPI application: routers under ``/api/v1``, one store for the app's lifetime."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig

from api import problems
from api.access_log import ACCESS
from api.middleware import PrivacyGuard
from api.routers import docs, health, imports, mismatch, overlap, pages, search, who_serves
from api.routers import map as gemeente_map
from api.routers import network as network_pictures
from api.upload_guard import UploadGuard
from graph.config import StoreTarget
from graph.store import GraphStore

log = logging.getLogger("sociale_kaart.api")


#: FastAPI's own OpenTelemetry, off whatever the process configures: a span would carry the
#: query string (``url.query``: a pupil's school, postcode and need) and its logs the
#: messages of exceptions, which may quote the question. Off, a request also skips the
#: check of which providers are set up (three lookups per request).
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}


def settle_memory() -> None:
    """Take what is in memory now (the embedded store's graph: some 600,000 objects on
    national data) out of the cyclic garbage collector's sight. Each full collection would
    otherwise walk all of it — half a second on the event loop, every so many requests,
    and the cause of the slowest answers under load. A request's objects live for
    milliseconds and die by reference counting; the young generation is collected less
    often (every 10,000 allocations instead of 700), which costs a little memory and
    saves most collections that find nothing."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def create_app(
    store: str | GraphStore | None = None, api_key: str | None = None, *, server: bool = False
) -> FastAPI:
    """Build the app. ``store`` is an open store, a target (file path or Bolt URI), or
    ``None`` for the configured default; a store passed in is not closed by the app.
    ``api_key`` (default ``SOCIALE_KAART_API_KEY``) unlocks ``POST /api/v1/imports``.
    ``server``: the app is the process's one purpose (``sociale-kaart serve``), so it may
    tune the garbage collector for it (:func:`settle_memory`); a test or a host app keeps
    its own."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = not isinstance(store, GraphStore)
        opened = store if isinstance(store, GraphStore) else StoreTarget.resolve(store).open()
        app.state.store = opened
        log.info("kaart geopend: %s", opened.info())
        if server:
            settle_memory()
        try:
            yield
        finally:
            ACCESS.flush()  # the access lines still waiting for their writer
            if owned:
                opened.close()

    app = FastAPI(
        title="Sociale kaart",
        summary="Wie helpt een leerling die extra ondersteuning nodig heeft, en hoe overlappen regio's.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by api.routers.docs, without a CDN
        redoc_url=None,
        telemetry=NO_TELEMETRY,
    )
    app.state.api_key = api_key if api_key is not None else os.environ.get("SOCIALE_KAART_API_KEY")
    problems.install(app, pages.error_page)
    imports.install_refusal_handler(app)
    app.include_router(who_serves.router, prefix="/api/v1")
    app.include_router(health.router, prefix="/api/v1")
    app.include_router(imports.router, prefix="/api/v1")
    app.include_router(overlap.router, prefix="/api/v1")
    app.include_router(mismatch.router, prefix="/api/v1")
    app.include_router(network_pictures.router, prefix="/api/v1")
    app.include_router(search.router, prefix="/api/v1")
    app.include_router(docs.router)
    app.include_router(gemeente_map.router, prefix="/api/v1")
    app.include_router(pages.router)  # web pages (/, /school, /swv, /beleid)

    app.add_middleware(UploadGuard)  # inside the privacy guard: its refusals are logged too
    app.add_middleware(PrivacyGuard)
    return app
