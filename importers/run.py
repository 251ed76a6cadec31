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
from importers import native
from importers.report import FileReport, ImportFailed, ImportReport, Problem

#: Formats in the order they are tried; the first whose ``sniff`` says yes reads the file.
FORMATS = [native]


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

    if report.problems and not skip_invalid:
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

    for f in report.files:
        f.skipped = len({p.line for p in f.problems})
        for key, status in result.outcomes.items():
            if key in f.origins:
                setattr(f, status, getattr(f, status) + 1)
    report.applied = True
    return report


def _add(add, record, lineno: int, file_report: FileReport) -> None:  # type: ignore[no-untyped-def]
    try:
        add(record)
        file_report.origins[record.key] = lineno
    except SchemaError as exc:
        file_report.problems.append(Problem(file_report.file, lineno, "", "", str(exc)))


def _parse(path: Path, import_id: str) -> native.ParsedFile | None:
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
