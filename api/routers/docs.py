"""The OpenAPI documentation (Swagger UI) served from this server, like the pages: FastAPI's
own ``/docs`` loads Swagger UI from a CDN and its icon from fastapi.tiangolo.com, which
tells a third party who reads the documentation and breaks where the server has no way
out. The files come from the installed ``fastapi-offline`` package."""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)

#: The files Swagger UI needs, with their media types.
FILES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}
PREFIX = "/docs/static"


@cache
def _read(name: str) -> bytes:
    return (resources.files("fastapi_offline") / "static" / name).read_bytes()


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} — API-documentatie",
        swagger_js_url=f"{root}{PREFIX}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{PREFIX}/swagger-ui.css",
        swagger_favicon_url=f"{root}{PREFIX}/favicon.png",
        swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from swagger.io
    )


@router.get(PREFIX + "/{name}")
def swagger_file(name: str) -> Response:
    if name not in FILES:
        raise HTTPException(404, f"geen bestand {name!r} in de documentatie")
    return Response(_read(name), media_type=FILES[name], headers={"Cache-Control": "max-age=86400"})
