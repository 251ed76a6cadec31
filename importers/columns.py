"""Problems that name the column a person typed, not the field of our model.

A spreadsheet or a foreign directory calls a provider's name ``aanbieder_naam`` or
``organization.name``; our model calls it ``naam``. A problem that said ``naam`` would send
the user looking for a column their file does not have, so every format that maps its own
columns onto the model reports in its own words through :func:`add_mapped`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graph.model import Provenance
from graph.records import NodeKey
from importers.base import ParsedFile


def add_mapped(
    parsed: ParsedFile,
    line: int,
    kind: str,
    data: dict[str, Any],
    provenance: Provenance,
    columns: dict[str, str],
    file: str | None = None,
) -> NodeKey | None:
    """:meth:`ParsedFile.add_entity`, but problems name the column the user typed the value
    in (``aanbieder_naam``), not the model field (``naam``), and optionally another file
    (a CSV inside an HSDS data package), so that the user can find and fix the cell.

    ``columns`` maps model fields to the user's columns; its empty key ``""`` names the
    column for a problem of the whole record (one no single field is to blame for)."""
    before = len(parsed.report.problems)
    key = parsed.add_entity(line, kind, data, provenance)
    problems = parsed.report.problems
    for i in range(before, len(problems)):
        p = problems[i]
        head, dot, rest = p.field.partition(".")
        field_name = columns.get(head, head) + dot + rest if p.field else columns.get("", "")
        problems[i] = dataclasses.replace(p, field=field_name, file=file or p.file)
    return key
