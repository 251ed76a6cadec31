"""Reading the CSV files that Dutch open data comes in, whatever their habits.

BOM or none, UTF-8 or Windows-1252 (CBS's older files), ``;`` or ``,`` or tab, quoted
fields, CRLF, unknown extra columns: :func:`read_table` gives rows as dicts keyed by
lower-cased column name, each with its line number, so a format can report problems with
file and line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    delimiter: str
    encoding: str


def _decode(raw: bytes) -> tuple[str, str]:
    for enc in ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def header_of(path: Path) -> list[str] | None:
    """The lower-cased column names, or ``None`` when the file is not text with a header."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError:
        return None
    if b"\0" in head:
        return None
    text, _ = _decode(head)
    first = text.splitlines()[0] if text else ""
    if not first:
        return None
    cols = next(csv.reader([first], delimiter=_delimiter(first)), [])
    return [c.strip().lower() for c in cols]


def read_table(path: Path) -> Table:
    text, encoding = _decode(path.read_bytes())
    first = text.splitlines()[0] if text else ""
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        if not columns:
            columns = [c.strip().lower() for c in row]
            continue
        if not any(cell.strip() for cell in row):
            continue
        values = {col: (row[i].strip() if i < len(row) else "") for i, col in enumerate(columns)}
        rows.append((reader.line_num, values))
    return Table(columns, rows, delimiter, encoding)


def missing_columns(columns: list[str], required: tuple[str, ...]) -> list[str]:
    return [c for c in required if c not in columns]


def decimal(text: str) -> float:
    """``52,3814309`` and ``52.3814309`` are the same number (Dutch files use commas)."""
    return float(text.replace(",", "."))


def is_total_row(value: str) -> bool:
    """Spreadsheet exports end with a 'Grand Total' or 'Totaal' row: a sum, not a record."""
    return value.strip().lower() in ("grand total", "total", "totaal", "eindtotaal")
