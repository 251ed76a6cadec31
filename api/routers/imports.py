"""Imports over HTTP: the same all-or-nothing run as ``sociale-kaart import``, behind an API key.

Uploaded files are written to a private temporary folder under their own (base)names, so
that the report names the files the user sent, and removed when the run is done.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Header, Query, Request, UploadFile
from pydantic import BaseModel, Field

from api.deps import StoreDep
from api.problems import Problem, problem_response
from api.upload_guard import Refused, check_api_key
from importers.report import ImportFailed, ImportReport
from importers.run import run_import

router = APIRouter(tags=["imports"])


class ProblemOut(BaseModel):
    file: str
    line: int | None
    field: str
    value: str
    reason: str
    fatal: bool


class FileReportOut(BaseModel):
    file: str = Field(examples=["wijkteams.csv"])
    format: str = Field(examples=["sociale-kaart wijkteams (CSV)"])
    rows_read: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    problems: list[ProblemOut]


class ImportReportOut(BaseModel):
    import_id: str = Field(examples=["imp-20261123T120000Z-a1b2c3"])
    applied: bool
    changed: bool
    files: list[FileReportOut]


def require_api_key(
    request: Request,
    x_api_key: Annotated[str | None, Header(description="de sleutel uit SOCIALE_KAART_API_KEY")] = None,
) -> None:
    """The key check as the route declares it (and as OpenAPI shows it); on the server's own
    app :class:`~api.upload_guard.UploadGuard` has made it already, before the body was read."""
    check_api_key(request.app.state.api_key, x_api_key)


def install_refusal_handler(app: Any) -> None:
    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Any:
        return exc.response(request)


def _renamed(report: ImportReport, folder: Path) -> dict[str, Any]:
    """The report with the uploaded names instead of our temporary paths."""
    data = report.as_dict()
    prefix = str(folder) + "/"
    for f in data["files"]:
        f["file"] = f["file"].removeprefix(prefix)
        for p in f["problems"]:
            p["file"] = p["file"].removeprefix(prefix)
    return data


@router.post(
    "/imports",
    response_model=ImportReportOut,
    summary="Bestanden importeren (alles of niets)",
    dependencies=[Depends(require_api_key)],
    responses={
        400: {"model": Problem, "description": "de upload is geen leesbaar multipart-formulier"},
        401: {"model": Problem, "description": "geen of een verkeerde API-sleutel"},
        403: {"model": Problem, "description": "importeren staat uit op deze server"},
        413: {"model": Problem, "description": "de upload is groter dan SOCIALE_KAART_MAX_UPLOAD_BYTES"},
        422: {"model": Problem, "description": "de bestanden hebben problemen; er is niets toegepast"},
    },
)
def post_import(
    store: StoreDep,
    files: Annotated[list[UploadFile], File(description="een of meer bestanden, in elk ondersteund formaat")],
    skip_invalid: Annotated[bool, Query(description="pas de geldige rijen toe, meld de rest")] = False,
    dry_run: Annotated[
        bool, Query(description="controleer en tel alles (created, updated, removed …), schrijf niets")
    ] = False,
) -> Any:
    """Herkent elk bestand aan de inhoud, controleert elke rij en past alles in één keer toe.
    Elk bestand is een versie van zijn bron: wat een nieuwere versie niet meer noemt, eindigt
    (``removed``) en blijft bewaard als geschiedenis. Dezelfde bestanden opnieuw sturen verandert
    niets en zegt dat ook (``changed: false``)."""
    with tempfile.TemporaryDirectory(prefix="sk-import-") as tmp:
        folder = Path(tmp)
        paths = []
        for number, upload in enumerate(files, start=1):
            name = Path(upload.filename or f"upload-{number}").name or f"upload-{number}"
            path = folder / name
            if path.exists():
                path = folder / f"{number}-{name}"
            with open(path, "wb") as out:
                while chunk := upload.file.read(1 << 20):
                    out.write(chunk)
            paths.append(path)
        try:
            report = run_import(store, paths, skip_invalid=skip_invalid, dry_run=dry_run)
        except ImportFailed as exc:
            data = _renamed(exc.report, folder)
            errors = [p for f in data["files"] for p in f["problems"]]
            return problem_response(
                422,
                "Import geweigerd",
                f"{len(errors)} probleem/problemen in de bestanden; er is niets toegepast.",
                errors=errors,
            )
        return _renamed(report, folder)
