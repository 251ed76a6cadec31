"""Running the API under uvicorn: one process, or several that share the port.

One process runs one event loop on one core. ``--workers N`` starts N processes that accept
on the same socket, so that N cores answer; each opens the store itself (the embedded store:
its own copy of the graph in memory; Neo4j: its own driver), and a write through one is seen
by the others (the embedded store's file is checked on every read).

Logging goes through a queue: the server's threads hand a record over, and one thread of
its own writes the lines out, so that a slow terminal or a full pipe never stalls the event
loop. uvicorn's own access log stays off: it would print query strings (pupil data); ours
(:mod:`api.middleware`) logs method, path and status only.
"""

from __future__ import annotations

import atexit
import logging
import logging.handlers
import os
import queue
from typing import Any

from fastapi import FastAPI

from api.access_log import ACCESS
from graph.config import StoreTarget

#: Where a worker process finds the store its parent was given (they share the environment).
STORE_ENV = "SOCIALE_KAART_STORE"


def settings(host: str, port: int) -> dict[str, Any]:
    """uvicorn's settings for this API, the same for one process or several.

    The event loop is asyncio's own, not uvloop: when requests arrive faster than one core
    answers them, uvloop serves some connections far later than others. Measured with 50
    connections against a route that takes 2 ms (``bench.http_load``'s machine): the same
    425 req/s either way, p99 2.0 s with uvloop against 126 ms with asyncio's loop, where
    p50 is 118 ms for both. Who-serves under load: p99 2.7 s against 240 ms. uvloop's edge
    on a route that does nothing (about 10%) is not worth that tail. HTTP is parsed by
    httptools (uvicorn's choice when installed)."""
    return {"host": host, "port": port, "access_log": False, "loop": "asyncio"}


def queued_logging(level: int = logging.INFO) -> None:
    """Root logging to stderr as before (``LEVEL name: message``), written by a thread of
    its own: a record costs the logging thread a queue put, not a write. The access lines
    go to the same stream in batches (:mod:`api.access_log`): one per request, the most
    frequent by far."""
    out = logging.StreamHandler()
    out.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    listener = logging.handlers.QueueListener(records, out, respect_handler_level=True)
    into_queue = logging.handlers.QueueHandler(records)
    # the queue carries the bare message; the writer's formatter adds level and name once
    into_queue.setFormatter(logging.Formatter("%(message)s"))
    logging.basicConfig(level=level, handlers=[into_queue], force=True)
    listener.start()
    ACCESS.write_to(out.stream)
    atexit.register(listener.stop)  # what is still queued is written before the process ends


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn's factory for ``--workers``): a process
    started afresh, so it sets up its own logging and opens the store named in the
    environment."""
    from api.app import create_app

    queued_logging()
    return create_app(os.environ[STORE_ENV], server=True)


def serve(target: StoreTarget, host: str, port: int, workers: int = 1) -> int:
    """Serve until interrupted, in ``workers`` processes (1: this one)."""
    import uvicorn

    if workers <= 1:
        from api.app import create_app

        queued_logging()
        uvicorn.run(create_app(target.location, server=True), **settings(host, port))
        return 0
    os.environ[STORE_ENV] = target.location
    uvicorn.run("api.serve:worker_app", factory=True, workers=workers, host=host, port=port, access_log=False)
    return 0
