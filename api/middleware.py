"""Privacy at the HTTP edge, for every request whatever the router: the access log holds
method, path and status only (a query string may be a pupil's question: school, postcode,
need), answers to such questions are never kept by a cache, errors included, and an
unexpected error is logged by its type and place, never its message (which may quote the
question), and answered with problem+json.

A plain ASGI middleware: Starlette's BaseHTTPMiddleware would cost a task and a stream per
request. The access line is the one thing it does per request beyond passing messages on: it
is noted, and written with others by a thread of its own (:mod:`api.access_log`), so that
neither formatting it nor a slow terminal or pipe holds up the event loop.

A path is logged with its control characters percent-encoded (:func:`printable`): decoded
from ``%0A``, a newline in a path would otherwise start a forged line of the log.
"""

from __future__ import annotations

import json
import logging
import traceback

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.access_log import ACCESS, printable
from api.problems import INTERNAL

__all__ = ["QUESTION_PATHS", "PrivacyGuard", "printable"]

log = logging.getLogger("sociale_kaart.api")

#: Paths whose query string is (part of) a pupil's question.
QUESTION_PATHS = frozenset(
    {"/api/v1/who-serves", "/api/v1/network/who-serves", "/api/v1/search/providers", "/school"}
)


class PrivacyGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        private = path in QUESTION_PATHS
        status, started = 500, False

        async def guarded_send(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                if private:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                    message = {**message, "headers": [*headers, (b"cache-control", b"no-store")]}
            await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            method, where = scope["method"], printable(path)
            log.error("unexpected %s on %s %s\n%s", type(exc).__name__, method, where, frames)
            if not started:
                await _internal_error(path, private, guarded_send)
        finally:
            ACCESS.note(scope["method"], path, status)


async def _internal_error(path: str, private: bool, send: Send) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "Interne fout",
            "status": 500,
            "detail": INTERNAL,
            "instance": path,
        }
    ).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})
