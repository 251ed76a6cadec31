"""One import run: recognise each file's format, parse and validate everything, then apply
it all as one batch, or nothing.

With ``skip_invalid`` the valid rows are applied and the invalid ones reported as skipped;
without it any problem means nothing is applied and :class:`ImportFailed` is raised.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from pathlib import Path

from graph.records import Batch, SchemaError
from graph.store import GraphStore, MissingNodes
from importers import cbs, duo, hsds, native, postcodes, swv, twente, wijkteams, zorg
from importers.base import Context, ParsedFile
from importers.report import FileReport, ImportFailed, ImportReport, Problem

#: Formats in the order they are tried, and in which files of one run are parsed:
#: reference tables first, so that later files can be resolved against them.
log = logging.getLogger("sociale_kaart.import")

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
    context = Context(store)
    files = _expand(paths)
    parsed_files: list[ParsedFile] = []
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
        try:
            parsed = fmt.parse(path, report.import_id, context)
        except Exception as exc:
            log.exception("reading %s failed", path)
            parsed = ParsedFile(FileReport(file=str(path), format=fmt.NAME))
            parsed.problem(None, "", "", f"the file could not be read ({type(exc).__name__}: {exc})")
        context.parsed.append(parsed)
        parsed_files.append(parsed)
        report.files.append(parsed.report)

    # A line of a file is one unit: if any record of it is refused, all of it is, so that
    # --skip-invalid never stores half a team, an offer without its provider, and so on.
    bad: set[tuple[str, int | None]] = {(p.file, p.line) for p in report.problems if p.fatal}
    while True:
        batch, clashes = _build(parsed_files, bad)
        if clashes:
            bad |= clashes
            continue
        if any(p.fatal for p in report.problems) and not skip_invalid:
            raise ImportFailed(report)
        try:
            result = store.apply(batch)
            break
        except MissingNodes as exc:
            before = len(bad)
            for edge_key, node_key in exc.missing:
                for f in parsed_files:
                    line = f.report.origins.get(edge_key)
                    if line is not None and (f.report.file, line) not in bad:
                        side = "naar" if node_key == edge_key.dst else "van"
                        f.report.problems.append(
                            Problem(
                                f.report.file,
                                line,
                                side,
                                str(node_key),
                                "no such node in this import or in the store",
                            )
                        )
                        bad.add((f.report.file, line))
            if not skip_invalid or len(bad) == before:
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


def _build(
    parsed_files: list[ParsedFile], bad: set[tuple[str, int | None]]
) -> tuple[Batch, set[tuple[str, int | None]]]:
    """One batch of every record whose line is not refused; new clashes come back as lines."""
    batch = Batch()
    clashes: set[tuple[str, int | None]] = set()
    for parsed in parsed_files:
        report = parsed.report
        report.origins.clear()
        records = [(line, batch.add_node, n) for line, n in parsed.nodes]
        records += [(line, batch.add_edge, e) for line, e in parsed.edges]
        for line, add, record in records:
            if (report.file, line) in bad:
                continue
            try:
                add(record)
            except SchemaError as exc:
                earlier = report.origins.get(record.key)
                also = f" (line {earlier})" if earlier is not None else ""
                report.problems.append(Problem(report.file, line, "", str(record.key), f"{exc}{also}"))
                clashes.add((report.file, line))
                continue
            report.origins.setdefault(record.key, line)
    return batch, clashes


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
    for fmt in FORMATS:
        try:
            if fmt.sniff(path):
                return fmt
        except Exception:
            log.warning("%s: %s could not look at it", path, fmt.NAME)
    return None


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
