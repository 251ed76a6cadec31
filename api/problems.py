"""Errors as RFC 9457 problem details (``application/problem+json``), never a stack trace.

Handlers are registered on the app so that every error, from validation to an unreachable
Neo4j, reaches the client in the same shape with a message a person can act on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.queries.errors import QuestionError
from graph.store import StoreError, StoreUnavailable

log = logging.getLogger("sociale_kaart.api")

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 10


class Problem(BaseModel):
    """RFC 9457 problem details, with an optional list of field errors."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    request: Request | None = None,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    body = Problem(
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path if request else None,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


#: Renders a Dutch web page for an error (status, message) on a page's address.
ErrorPage = Callable[[int, str], Response]

#: Where the JSON API and its documentation live: errors there are problem+json.
_NOT_PAGES = ("/api/", "/static/", "/docs", "/redoc", "/openapi.json")


def _on_a_page(request: Request) -> bool:
    """A person asked for a web page (``/beleid?date=…``, a mistyped address): they get a
    page in Dutch, not a JSON body."""
    return request.method in ("GET", "HEAD") and not request.url.path.startswith(_NOT_PAGES)


#: What a 500 says: nothing of the cause, which may quote a question or a path.
INTERNAL = "Er ging bij ons iets mis; probeer het later opnieuw."

#: Pydantic's reasons for a bad parameter, in Dutch, by their type. A type not listed here
#: gets :data:`UNKNOWN_REASON`, never pydantic's English words: every 422 speaks Dutch.
_REASONS = {
    "missing": "ontbreekt",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_parsing": "moet een getal zijn",
    "finite_number": "moet een eindig getal zijn (geen inf of nan)",
    "bool_parsing": "moet true of false zijn",
    "date_parsing": "moet een datum zijn (jjjj-mm-dd)",
    "date_from_datetime_parsing": "moet een datum zijn (jjjj-mm-dd)",
    "date_from_datetime_inexact": "moet een datum zijn (jjjj-mm-dd)",
    "greater_than_equal": "moet minstens {ge} zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "string_too_short": "moet minstens {min_length} tekens hebben",
    "string_too_long": "mag hoogstens {max_length} tekens hebben",
    "string_pattern_mismatch": "heeft niet de vorm {pattern}",
    "literal_error": "moet {expected} zijn",
    "enum": "moet {expected} zijn",
}

#: What a 422 says of a parameter whose fault pydantic names in a way not translated here.
UNKNOWN_REASON = "ongeldige waarde"


def _reason(error: Any) -> str:
    """One validation error's reason in Dutch (a choice's ``'a' or 'b'`` becomes ``'a' of 'b'``).

    >>> _reason({"type": "less_than_equal", "ctx": {"le": 200}, "msg": "Input should be ..."})
    'mag hoogstens 200 zijn'
    >>> _reason({"type": "literal_error", "ctx": {"expected": "'json' or 'html'"}})
    "moet 'json' of 'html' zijn"
    >>> _reason({"type": "url_parsing", "msg": "Input should be a valid URL"})
    'ongeldige waarde'
    """
    words = _REASONS.get(str(error.get("type", "")))
    if words is None:
        return UNKNOWN_REASON
    ctx = {k: str(v).replace(" or ", " of ") for k, v in (error.get("ctx") or {}).items()}
    try:
        return words.format(**ctx)
    except (KeyError, IndexError):
        return UNKNOWN_REASON


def _page_reason(errors: list[dict[str, Any]]) -> str:
    """What was wrong with a page's address, in Dutch."""
    fields = [e["field"] for e in errors]
    if "date" in fields:
        return "De datum in het adres klopt niet: schrijf hem als jjjj-mm-dd, bijvoorbeeld 2025-10-01."
    return f"Het adres van deze pagina klopt niet ({', '.join(fields) or 'onbekend veld'})."


def _problems_declared(schema: dict[str, Any]) -> dict[str, Any]:
    """Every error response of the description as what is really sent: the Problem schema
    as ``application/problem+json`` (FastAPI would say ``application/json``, and describe
    its own validation body, which the handlers here replace)."""
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if str(status)[:1] in ("4", "5"):
                    response["content"] = {PROBLEM_JSON: problem}
    for unused in ("HTTPValidationError", "ValidationError"):
        schema["components"]["schemas"].pop(unused, None)
    return schema


#: The title and, in place of the framework's English words, the detail of an HTTP error
#: that no handler of ours words: an unknown address or method, a body that cannot be read.
_HTTP_WORDS = {
    400: (
        "Ongeldig verzoek",
        "De inhoud van het verzoek kon niet worden gelezen (verwacht: multipart/form-data).",
    ),
    401: ("Niet aangemeld", "Dit verzoek vraagt om een sleutel."),
    404: ("Niet gevonden", "Dit adres bestaat niet."),
    405: ("Methode niet toegestaan", "Deze methode is op dit adres niet toegestaan."),
}


_PHRASES = {s.value: s.phrase for s in HTTPStatus}


def _http_words(exc: StarletteHTTPException) -> tuple[str, str | None]:
    """Title and detail of an HTTP error in Dutch. Our own code raises such errors only with a
    Dutch detail (404 on a static file); the framework's (400 for an unreadable body, 404,
    405) carry English, which is replaced.

    >>> _http_words(StarletteHTTPException(405))
    ('Methode niet toegestaan', 'Deze methode is op dit adres niet toegestaan.')
    >>> _http_words(StarletteHTTPException(404, "geen bestand 'x.css'"))
    ('Niet gevonden', "geen bestand 'x.css'")
    """
    title, dutch = _HTTP_WORDS.get(exc.status_code, ("Fout", None))
    framework = exc.status_code == 400 or exc.detail == _PHRASES.get(exc.status_code)
    if framework or not isinstance(exc.detail, str):
        return title, dutch
    return title, exc.detail


def install(app: FastAPI, page: ErrorPage | None = None) -> None:
    """Turn every error into problem+json; on a web page's address (``page`` given) into a
    Dutch page instead. The OpenAPI description says so for every error it documents."""
    described = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _problems_declared(described())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if page is not None and exc.status_code == 404 and _on_a_page(request):
            return page(404, "Deze pagina bestaat niet.")
        title, detail = _http_words(exc)
        return problem_response(
            exc.status_code, title, detail, request=request, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "body", "path")),
                "reason": _reason(e),
            }
            for e in exc.errors()
        ]
        if page is not None and _on_a_page(request):
            return page(422, _page_reason(errors))
        detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
        return problem_response(422, "Ongeldig verzoek", detail, request=request, errors=errors)

    @app.exception_handler(QuestionError)
    async def _question(request: Request, exc: QuestionError) -> Response:
        # Raised by any query: an unknown thing (404, with the closest matches when known)
        # or a malformed question (422). Never cached: a question may hold a pupil's postcode.
        if page is not None and _on_a_page(request):
            return page(exc.status, str(exc))
        suggestions = [{"field": exc.field, "reason": f"bedoelt u {s}?"} for s in exc.suggestions]
        return problem_response(
            exc.status,
            "Niet gevonden" if exc.not_found else "Ongeldige vraag",
            str(exc),
            request=request,
            headers={"Cache-Control": "no-store"},
            errors=suggestions or [{"field": exc.field, "reason": str(exc)}],
        )

    @app.exception_handler(StoreUnavailable)
    async def _unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store unavailable: %s", exc)
        return problem_response(
            503,
            "Kaart tijdelijk niet bereikbaar",
            "De grafendatabase is nu niet bereikbaar; probeer het zo dadelijk opnieuw.",
            request=request,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        # The message may hold a file path: it goes to the log, not to the client.
        log.error("store error on %s: %s", request.url.path, exc)
        return problem_response(
            500,
            "Fout in de kaart",
            "De kaart kon geen antwoord geven; de reden staat in het log van de beheerder.",
            request=request,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # A backstop (api.middleware.PrivacyGuard answers first): logged by type and path,
        # not by message, which may quote a pupil's question.
        log.error("unexpected %s on %s", type(exc).__name__, request.url.path)
        return problem_response(500, "Interne fout", INTERNAL, request=request)
