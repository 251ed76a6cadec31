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
from importers import cbs, native
from importers.base import ParsedFile
from importers.report import FileReport, ImportFailed, ImportReport, Problem

#: Formats in the order they are tried; the first whose ``sniff`` says yes reads the file.
FORMATS = [native, cbs.Gemeenten, cbs.Provincies, cbs.Herindelingen]


def new_import_id() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"imp-{stamp}-{secrets.token_hex(3)}"


def run_import(
    store: GraphStore, paths: list[Path], *, skip_invalid: bool = False, import_id: str | None = None
) -> ImportReport:
    report = ImportReport(import_id or new_import_id())
    batch = Batch()
    for path in paths:
        parsed = _parse(path, report.import_id)
        file_report = parsed.report if parsed else FileReport(file=str(path))
        report.files.append(file_report)
        if parsed is None:
            file_report.problems.append(Problem(str(path), None, "", "", _unrecognised(path)))
            continue
        for lineno, node in parsed.nodes:
            _add(batch.add_node, node, lineno, file_report)
        for lineno, edge in parsed.edges:
            _add(batch.add_edge, edge, lineno, file_report)

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


def _parse(path: Path, import_id: str) -> ParsedFile | None:
    if not path.is_file():
        return None
    for fmt in FORMATS:
        if fmt.sniff(path):
            return fmt.parse(path, import_id)
    return None


def _unrecognised(path: Path) -> str:
    if not path.exists():
        return "no such file"
    if not path.is_file():
        return "not a file"
    names = ", ".join(f.NAME for f in FORMATS)
    return f"format not recognised; this version reads: {names}"
