"""Reading the CSV files that Dutch open data comes in, whatever their habits.

BOM or none, UTF-8 or Windows-1252 (CBS's older files), ``;`` or ``,`` or tab, quoted
fields, CRLF, unknown extra columns: :func:`read_table` gives rows as dicts keyed by
lower-cased column name, each with its line number, so a format can report problems with
file and line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from importers.formats import HEAD, read_head
from importers.limits import InputRefused, checked_rows, read_bounded


@dataclass
class Table:
    """A CSV file as formats read it: lower-cased column names, rows keyed by them with the line
    each begins on, and the rows that could not be read kept apart so they become problems."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    delimiter: str
    encoding: str
    #: (line, reason) for rows that cannot be read as they are: more values than columns,
    #: bytes that are not text in the file's encoding
    damaged: list[tuple[int, str]] = field(default_factory=list)


def _decode(raw: bytes) -> tuple[str, str, list[int]]:
    """The text, its encoding, and the lines whose bytes do not fit it.

    A file that is UTF-8 but for a stray byte stays UTF-8 (its other accents are right) and
    the line with the stray byte is reported; only a file with no UTF-8 at all is read as
    Windows-1252, the encoding of CBS's older tables.
    """
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig", []
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    bad, utf8_lines = [], 0
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
        except UnicodeDecodeError:
            bad.append(number)
    if utf8_lines:
        return raw.decode("utf-8-sig", errors="replace"), "utf-8-sig", bad
    return raw.decode("cp1252", errors="replace"), "cp1252", []


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _binary(head: bytes) -> bool:
    """Whether a file is no text table: a NUL in its header line (a zip, a spreadsheet, a
    UTF-16 file). A NUL further on is a text's flaw, read so that the model can refuse it
    with its line and column instead of the file being taken for no format at all."""
    return b"\0" in head.split(b"\n", 1)[0]


def header_of(path: Path) -> list[str] | None:
    """The lower-cased column names, or ``None`` when the file is not text with a header."""
    head = read_head(path, 8192)
    if head is None or _binary(head):
        return None
    text, _, _ = _decode(head.rsplit(b"\n", 1)[0] if b"\n" in head else head)
    first = text.splitlines()[0] if text else ""
    if not first:
        return None
    cols = next(csv.reader([first], delimiter=_delimiter(first)), [])
    return [c.strip().lower() for c in cols]


def sample_table(path: Path, limit: int = 25) -> Table | None:
    """The header and the first ``limit`` rows, read from the file's first 64 KiB: enough to
    tell one table from another by its columns and values, without reading a large file.
    ``None`` when the file is not text with a header.

    Every format asks for the sample of every file while the run recognises formats (some
    twenty formats, hundreds of files on a national import): the sample is kept for the
    file as it is on disk (its inode, size and modification time), so that it is parsed once;
    each run starts afresh (:func:`forget_samples`), so that a file rewritten within the
    same tick of the clock is never judged by its old sample. Callers only read it."""
    try:
        st = path.stat()
    except OSError:
        return None
    return _sample(str(path), (st.st_ino, st.st_size, st.st_mtime_ns), limit)


def forget_samples() -> None:
    """Start a run without the samples of the last one."""
    _sample.cache_clear()


@lru_cache(maxsize=64)
def _sample(name: str, stamp: tuple[int, int, int], limit: int) -> Table | None:
    path = Path(name)
    head = read_head(path)
    if head is None or _binary(head) or not head.strip():
        return None
    complete = head.rsplit(b"\n", 1)[0] if b"\n" in head and len(head) == HEAD else head
    text, encoding, _ = _decode(complete)
    first = text.splitlines()[0] if text else ""
    if not first.strip():
        return None
    table = Table([], [], _delimiter(first), encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter)
    for row in reader:
        if not table.columns:
            table.columns = [c.strip().lower() for c in row]
            continue
        if any(cell.strip() for cell in row):
            table.rows.append(
                (reader.line_num, dict(zip(table.columns, (c.strip() for c in row), strict=False)))
            )
        if len(table.rows) >= limit:
            break
    return table


def read_table(path: Path) -> Table:
    """The whole file as a :class:`Table`: a row with more values than columns is set aside as
    damaged rather than cut short, and each row has the line it begins on (a quoted value may
    span lines), so that a problem points at the line a user sees in an editor."""
    text, encoding, bad_lines = _decode(read_bounded(path))
    first = text[:HEAD].splitlines()[0] if text else ""
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = Table([], [], delimiter, encoding, [(n, f"geen geldige {encoding}-tekst") for n in bad_lines])
    end_of_previous, width = 0, 0
    for row in checked_rows(reader, str(path), text):  # limits: cell size, row count
        start = end_of_previous + 1  # a quoted field may span lines: report where the row begins
        end_of_previous = reader.line_num
        if not table.columns:
            table.columns = _unique_columns(row, str(path), start)
            width = len(table.columns)
            continue
        if not "".join(row).strip():
            continue
        if len(row) == width:  # almost every row: the plain way, in C
            table.rows.append((start, dict(zip(table.columns, map(str.strip, row), strict=True))))
            continue
        extra = [cell for cell in row[width:] if cell.strip()]
        if extra:
            table.damaged.append(
                (
                    start,
                    f"{len(row)} waarden voor {len(table.columns)} kolommen "
                    "(een scheidingsteken in een waarde? zet die tussen aanhalingstekens)",
                )
            )
            continue
        values = {col: (row[i].strip() if i < len(row) else "") for i, col in enumerate(table.columns)}
        table.rows.append((start, values))
    return table


def _unique_columns(header: list[str], file: str, line: int) -> list[str]:
    """The header's column names as the formats compare them (stripped, lower case), refusing
    a name that occurs twice: a row would then hold two values for one field and the reader
    would keep one of them silently, so ``Naam`` and ``naam `` are the same column too.
    Unnamed columns (a spreadsheet's empty trailing cells) may repeat: they are never read."""
    columns = [c.strip().lower() for c in header]
    seen: set[str] = set()
    for name in columns:
        if name and name in seen:
            raise InputRefused(f"kolom {name!r} komt twee keer voor", line=line, field=name, file=file)
        seen.add(name)
    return columns


def missing_columns(columns: list[str], required: tuple[str, ...]) -> list[str]:
    """The required columns the file lacks, in the format's order: all of them in one problem,
    so that a user fixes the header once, not once per run."""
    return [c for c in required if c not in columns]


def is_total_row(value: str) -> bool:
    """Spreadsheet exports end with a 'Grand Total' or 'Totaal' row: a sum, not a record."""
    return value.strip().lower() in ("grand total", "total", "totaal", "eindtotaal")


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection"): ``=``, ``+``,
#: ``-``, ``@``, a tab or a carriage return first.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def _formula_like(text: str) -> bool:
    if text.startswith("'"):  # an escaped cell, or text that would read as one: escaped again
        return _formula_like(text[1:])
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def formula_safe(text: str) -> str:
    """A cell a spreadsheet shows as the text it is: one that would start a formula gets a
    single quote first, as OWASP advises, so that a provider named ``=cmd|' /C calc'!A0``
    cannot run anything on the computer of whoever opens the export. A plain number (``-3``,
    ``+1,5``) stays a number (``+31 23 000`` is none, and is escaped); text starting with a
    quote of its own (``'s-Hertogenbosch``) stays as it is. A cell already escaped, or text
    that would look so, gets one more quote, so that :func:`from_formula_safe` is its exact
    inverse.

    >>> [formula_safe(v) for v in ("=1+1", "@SUM(1)", "-3", "-2+3", "'s-Hertogenbosch", "'=x")]
    ["'=1+1", "'@SUM(1)", '-3', "'-2+3", "'s-Hertogenbosch", "''=x"]
    """
    return "'" + text if _formula_like(text) else text


def from_formula_safe(text: str) -> str:
    """The text a cell escaped by :func:`formula_safe` stood for (an HSDS package exported by
    this project, or by another that escapes the OWASP way); other text is left alone.

    >>> [from_formula_safe(v) for v in ("'=1+1", "''=x", "'s-Hertogenbosch", "-3")]
    ['=1+1', "'=x", "'s-Hertogenbosch", '-3']
    """
    return text[1:] if text.startswith("'") and _formula_like(text[1:]) else text
