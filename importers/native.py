"""The project's own graph format: JSON Lines, one node or edge per line.

It is the exchange format of last resort (anything the other importers cannot read can be
written in it by hand or by a script) and the format of the shipped demo data. Line 1 names
the source; ``#`` lines and blank lines are comments::

    {"format": "sociale-kaart/1", "source": "CBS gemeenten", "source_date": "2025", "scope": "cbs:gemeenten"}
    {"kind": "Gemeente", "id": "GM0392", "naam": "Haarlem"}
    {"kind": "PC4", "id": "2011", "plaats": "Haarlem"}
    {"rel": "LIGT_IN", "van": "PC4:2011", "naar": "Gemeente:GM0392", "aandeel": 1.0}

A node line holds the fields of its kind (see :mod:`graph.model`); an edge line holds
``rel``, ``van`` and ``naar`` as ``Kind:id``, and any other keys become edge properties.

The header says which source the file is a version of: ``scope`` (default ``native:`` and
the source's name), ``naam``, what the scope is called in the list of sources (default the
source) and ``version``, the day its facts hold (default ``source_date`` when that is a
date, else the day of the import). A newer version of the same scope replaces this one
(see :mod:`graph.lifecycle`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

from graph.lifecycle import scope_id, version_date
from graph.model import Provenance, Relatie, entity, normalise_id
from graph.records import NodeKey, SchemaError
from importers.base import Context, ParsedFile
from importers.cells import slug
from importers.formats import head_text
from importers.jsonfile import load_json
from importers.limits import InputRefused, Limits, MiB, check_size, current
from importers.report import FileReport, Problem, problems_from_validation

FORMAT = "sociale-kaart/1"
NAME = "sociale-kaart JSON Lines"


def sniff(path: Path) -> bool:
    """The first non-comment line is a JSON object declaring this format."""
    first = _first_object(path)
    return first is not None and first.get("format") == FORMAT


def _first_object(path: Path) -> dict[str, Any] | None:
    head = head_text(path)
    for raw in (head or "").splitlines():
        text = raw.strip()
        if text and not text.startswith("#"):
            try:
                first = load_json(text)  # a key twice in the header is refused, not guessed
            except ValueError:
                return None
            return first if isinstance(first, dict) else None
    return None


def declared_version(path: Path) -> tuple[str, str]:
    """The scope and version a file's header declares (``("", "")`` when it has none): how
    the shipped reference data is checked against the store without reading it whole."""
    header = _first_object(path) or {}
    scope, version = _scope_and_version(header)
    return scope or "", version or ""


def _scope_and_version(header: dict[str, Any]) -> tuple[str | None, str | None]:
    source = str(header.get("source") or "").strip()
    try:
        scope = scope_id(str(header.get("scope") or f"native:{slug(source) or 'bron'}"[:120]))
    except ValueError:
        scope = None
    for raw in (header.get("version"), header.get("source_date")):
        if raw:
            try:
                return scope, version_date(raw)
            except ValueError:
                continue
    return scope, None


def parse(path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
    """The first line that is not a comment is the header (source, scope, version); every
    later line is one node or one edge, validated alone, so that a bad line is a problem with
    its number and the others still count. Without a valid header nothing is read: no record
    could say where it came from."""
    name = str(path)
    out = ParsedFile(FileReport(file=name, format=NAME))
    report = out.report
    provenance: Provenance | None = None
    lim = current()
    check_size(path, lim)
    with open(path, "rb") as fh:
        for lineno, raw_bytes in _lines(fh, lim):
            if raw_bytes is None:
                report.rows_read += 1
                report.problems.append(
                    lim.refused("line_bytes", "de regel is te lang", line=lineno).problem(name)
                )
                continue
            try:
                raw = raw_bytes.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                report.rows_read += 1
                report.problems.append(Problem(name, lineno, "", "", f"geen geldige UTF-8: {exc.reason}"))
                continue
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            if report.rows_read >= lim.rows:  # refused whole: a part would read as the whole source
                report.problems.append(lim.refused("rows", "te veel regels", line=lineno).problem(name))
                out.nodes.clear()
                out.edges.clear()
                return out
            try:
                row = load_json(text, first_line=lineno, limits=lim)
            except ValueError as exc:
                report.rows_read += 1
                report.problems.append(Problem(name, lineno, "", "", f"geen geldige JSON: {exc}"))
                continue
            except InputRefused as exc:  # nested too deep, a key twice: this line only
                report.rows_read += 1
                report.problems.append(exc.problem(name))
                continue
            if not isinstance(row, dict):
                report.rows_read += 1
                report.problems.append(Problem(name, lineno, "", "", "een regel moet een JSON-object zijn"))
                continue
            if provenance is None:
                provenance = _header(row, name, lineno, import_id, report)
                if provenance is None:
                    return out  # without a source nothing can be attributed: fatal
                _declare(out, row, lineno)
                continue
            report.rows_read += 1
            problems = _row(row, name, lineno, provenance, out)
            report.problems.extend(problems)
    if provenance is None:
        report.problems.append(Problem(name, None, "", "", "het bestand is leeg: geen kopregel"))
    return out


def _lines(fh: BinaryIO, lim: Limits) -> Iterator[tuple[int, bytes | None]]:
    """The file's lines with their numbers; ``None`` for a line over the line limit, whose rest
    is skipped unread, so that one endless line costs no more memory than the limit."""
    for lineno in itertools.count(1):
        raw = fh.readline(lim.line_bytes + 1)
        if not raw:
            return
        if len(raw) > lim.line_bytes and not raw.endswith(b"\n"):
            while (rest := fh.readline(MiB)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
            continue
        yield lineno, raw


def _declare(out: ParsedFile, header: dict[str, Any], lineno: int) -> None:
    """The file is a version of the scope its header names (module docstring)."""
    scope, version = _scope_and_version(header)
    if scope is None:
        out.problem(
            lineno, "scope", str(header.get("scope")), "geen geldige scope: kleine letters, cijfers, ':._-'"
        )
        return
    if version is None:
        version = date.today().isoformat()
        out.problem(
            lineno, "version", "", f"geen versiedatum in de kopregel: vandaag genomen, {version}", fatal=False
        )
    out.source(scope, str(header.get("naam") or header.get("source") or scope), version)


def _header(
    row: dict[str, Any], name: str, lineno: int, import_id: str, report: FileReport
) -> Provenance | None:
    if row.get("format") != FORMAT:
        report.problems.append(
            Problem(
                name,
                lineno,
                "format",
                str(row.get("format", "")),
                f'regel 1 moet "format": "{FORMAT}" opgeven',
            )
        )
        return None
    try:
        return Provenance(
            source=row.get("source") or "", source_date=str(row.get("source_date") or ""), import_id=import_id
        )
    except ValidationError as exc:
        report.problems.extend(problems_from_validation(exc, name, lineno))
        return None


def _row(
    row: dict[str, Any], name: str, lineno: int, provenance: Provenance, out: ParsedFile
) -> list[Problem]:
    if "kind" in row and "rel" in row:
        return [
            Problem(
                name, lineno, "kind", "", "een regel is een knoop (kind) of een relatie (rel), niet allebei"
            )
        ]
    if "kind" in row:
        data = dict(row)
        kind = str(data.pop("kind"))
        data["provenance"] = provenance
        try:
            out.nodes.append((lineno, entity(kind, data).to_record()))
        except ValidationError as exc:
            return problems_from_validation(exc, name, lineno)
        except ValueError as exc:
            return [Problem(name, lineno, "kind", kind, str(exc))]
        return []
    if "rel" in row:
        data = dict(row)
        rel, props = data.pop("rel"), data
        ends: dict[str, NodeKey] = {}
        problems: list[Problem] = []
        for side in ("van", "naar"):
            ref = props.pop(side, None)
            try:
                key = NodeKey.parse(str(ref)) if ref is not None else None
                if key is None:
                    raise SchemaError(f"'{side}' is verplicht, als Kind:id")
                ends[side] = NodeKey(key.kind, normalise_id(key.kind, key.id))
            except ValidationError as exc:
                problems.append(Problem(name, lineno, side, str(ref), _first_msg(exc)))
            except ValueError as exc:  # SchemaError and unknown kinds
                problems.append(Problem(name, lineno, side, str(ref or ""), str(exc)))
        if problems:
            return problems
        try:
            edge = Relatie(
                rel=str(rel), van=ends["van"], naar=ends["naar"], props=props, provenance=provenance
            )
            out.edges.append((lineno, edge.to_record()))
        except ValidationError as exc:
            return problems_from_validation(exc, name, lineno)
        except SchemaError as exc:
            return [Problem(name, lineno, "rel", str(rel), str(exc))]
        return []
    return [Problem(name, lineno, "", "", "een regel heeft 'kind' (een knoop) of 'rel' (een relatie) nodig")]


def _first_msg(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    return errors[0]["msg"] if errors else str(exc)
