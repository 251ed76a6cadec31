"""One import run: recognise each file's format, parse and validate everything, then apply
it all as one batch, or nothing.

With ``skip_invalid`` the valid rows are applied and the invalid ones reported as skipped;
without it any problem means nothing is applied and :class:`ImportFailed` is raised.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

from graph.records import Batch, SchemaError
from graph.store import GraphStore, MissingNodes
from importers import cbs, duo, hsds, native, postcodes, swv, twente, wijkteams, zorg
from importers.base import Context
from importers.report import FileReport, ImportFailed, ImportReport, Problem

#: Formats in the order they are tried, and in which files of one run are parsed:
#: reference tables first, so that later files can be resolved against them.
FORMATS = [
    native,
    cbs.Gemeenten,
    cbs.Herindelingen,
    cbs.Provincies,
    cbs.Gebieden,
    cbs.Woonplaatsen,
    cbs.Gemeentegrenzen,
    postcodes.CbsPostcodes,
    postcodes.Pc4Coordinaten,
    swv.SwvPc4,
    swv.SwvGemeenten2013,
    duo.Vestigingen,
    duo.PoBevoegdGezag,
    duo.LeerlingenPostcode,
    # providers (zorg, HSDS)
    zorg.Aanbod,
    zorg.Contracten,
    hsds,
    # wijkteams and Twente
    wijkteams.WijkteamsCsv,
    wijkteams.WijkteamsYaml,
    twente.TwenteWachttijden,
]


def new_import_id() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"imp-{stamp}-{secrets.token_hex(3)}"


def run_import(
    store: GraphStore, paths: list[Path], *, skip_invalid: bool = False, import_id: str | None = None
) -> ImportReport:
    report = ImportReport(import_id or new_import_id())
    batch = Batch()
    context = Context(store)
    files = _expand(paths)
    for path, fmt in sorted(((p, _format_of(p)) for p in files), key=_parse_order):
        if fmt is None:
            report.files.append(FileReport(file=str(path)))
            empty = path.is_file() and path.stat().st_size == 0
            # An empty file (DUO publishes some gemeenten so) has nothing to apply or refuse;
            # in a folder given whole, a file of another kind (a README, a map) is passed over.
            passed_over = empty or files[path]
            reason = "the file is empty: nothing to import" if empty else _unrecognised(path)
            if files[path] and not empty:
                reason = "not a format this version reads: passed over (it was in a folder given whole)"
            report.files[-1].problems.append(Problem(str(path), None, "", "", reason, fatal=not passed_over))
            continue
        parsed = fmt.parse(path, report.import_id, context)
        context.parsed.append(parsed)
        report.files.append(parsed.report)
        for lineno, node in parsed.nodes:
            _add(batch.add_node, node, lineno, parsed.report)
        for lineno, edge in parsed.edges:
            _add(batch.add_edge, edge, lineno, parsed.report)

    if any(p.fatal for p in report.problems) and not skip_invalid:
        raise ImportFailed(report)

    while True:
        try:
            result = store.apply(batch)
            break
        except MissingNodes as exc:
            for edge_key, node_key in exc.missing:
                batch.edges.pop(edge_key, None)
                for f in report.files:
                    if edge_key in f.origins:
                        f.problems.append(
                            Problem(
                                f.file,
                                f.origins[edge_key],
                                "naar" if node_key == edge_key.dst else "van",
                                str(node_key),
                                "no such node in this import or in the store",
                            )
                        )
            if not skip_invalid:
                raise ImportFailed(report) from exc

    counted: set[object] = set()
    for f in report.files:
        f.skipped += len({p.line for p in f.problems if p.fatal})
        # A record named by several files is counted once, for the first file that named it.
        for key in f.origins.keys() - counted:
            status = result.outcomes.get(key)
            if status:
                setattr(f, status, getattr(f, status) + 1)
        counted |= f.origins.keys()
    report.applied = True
    return report


def _add(add, record, lineno: int, file_report: FileReport) -> None:  # type: ignore[no-untyped-def]
    try:
        add(record)
    except SchemaError as exc:
        earlier = file_report.origins.get(record.key)
        also = f" (line {earlier})" if earlier is not None else ""
        file_report.problems.append(Problem(file_report.file, lineno, "", "", f"{exc}{also}"))
        return
    file_report.origins.setdefault(record.key, lineno)


def _expand(paths: list[Path]) -> dict[Path, bool]:
    """Files to read, each with whether it came from a folder (rather than being named)."""
    files: dict[Path, bool] = {}
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                files.setdefault(found, True)
        else:
            files[path] = False
    return files


def _format_of(path: Path):  # type: ignore[no-untyped-def]
    if not path.is_file():
        return None
    return next((fmt for fmt in FORMATS if fmt.sniff(path)), None)


def _parse_order(item: tuple[Path, object]) -> int:
    fmt = item[1]
    return FORMATS.index(fmt) if fmt in FORMATS else -1  # type: ignore[arg-type]


def _unrecognised(path: Path) -> str:
    if not path.exists():
        return "no such file"
    if not path.is_file():
        return "not a file"
    names = ", ".join(f.NAME for f in FORMATS)
    return f"format not recognised; this version reads: {names}"
