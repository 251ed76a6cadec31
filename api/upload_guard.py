"""Uploads at the HTTP edge: a request to ``POST /api/v1/imports`` is judged on its headers
before a byte of its body is read, and its body is counted while it arrives.

FastAPI parses a multipart body (and spools every file to disk) before any dependency runs,
so a key checked by a dependency alone would let anyone without a key make the server read
and store a gigabyte first. Here the key is checked first (the same check the route's own
dependency makes, which stays for the documentation and for apps that mount the router
elsewhere), then the declared ``Content-Length`` against the upload limit
(``SOCIALE_KAART_MAX_UPLOAD_BYTES``, see ``docs/grenzen.md``), then what actually arrives: a
chunked body or one that lies about its length is cut off at the limit. Each refusal is a
problem+json answer: 401 or 403 for the key, 413 for the size.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response
from importers import limits

#: The routes that take uploads, by path (all of them ``POST``).
UPLOAD_PATHS = frozenset({"/api/v1/imports"})


class Refused(Exception):
    """A request the key check turns away; rendered as problem+json (401 or 403)."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail

    def response(self, request: Request) -> ASGIApp:
        headers = {"WWW-Authenticate": "ApiKey"} if self.status == 401 else None
        return problem_response(self.status, self.title, self.detail, request=request, headers=headers)


def check_api_key(expected: str | None, given: str | None) -> None:
    """Raise :class:`Refused` unless ``given`` is the server's key. Importing is off (403)
    where no key is configured, so that a server never accepts writes by accident; the
    comparison takes the same time however much of a wrong key is right."""
    if not expected:
        raise Refused(
            403, "Importeren staat uit", "Zet SOCIALE_KAART_API_KEY op de server om het toe te staan."
        )
    if not given or not secrets.compare_digest(given.encode(), expected.encode()):
        raise Refused(401, "API-sleutel ontbreekt of klopt niet", "Stuur de sleutel in de header X-API-Key.")


def _too_large(request: Request, limit: limits.Limits, what: str) -> ASGIApp:
    reason = limit.refused("upload_bytes", what).reason
    return problem_response(
        413,
        "Upload te groot",
        reason[0].upper() + reason[1:] + ".",
        request=request,
        headers={"Connection": "close"},
    )


class UploadGuard:
    """ASGI middleware; every other request passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in UPLOAD_PATHS or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope)  # headers only: the body is not touched here
        try:
            check_api_key(request.app.state.api_key, request.headers.get("x-api-key"))
        except Refused as refused:
            await refused.response(request)(scope, receive, send)
            return
        lim = limits.current()
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > lim.upload_bytes:
            shown = limits.size(int(declared))
            await _too_large(request, lim, f"de upload is {shown}")(scope, receive, send)
            return
        await self._counted(scope, receive, send, request, lim)

    async def _counted(
        self, scope: Scope, receive: Receive, send: Send, request: Request, lim: limits.Limits
    ) -> None:
        """Pass the body on while counting it; past the limit the app is told the client has
        gone (it stops reading and answers with an error of its own), and that answer is
        replaced by the 413."""
        received, over, answered = 0, False, False

        async def counted_receive() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > lim.upload_bytes:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def replacing_send(message: Message) -> None:
            nonlocal answered
            if not over:
                await send(message)
            elif not answered:
                answered = True
                await _too_large(request, lim, "de upload")(scope, receive, send)

        try:
            await self.app(scope, counted_receive, replacing_send)
        except Exception:
            if not over:
                raise
            if not answered:  # the app gave up on the cut-off body by raising
                await replacing_send({"type": "http.response.start"})
