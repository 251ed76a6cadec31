"""Recognising a file's format by its content, never by its name, without taking one table
for another.

Open data comes as many tables with overlapping columns: CBS's gemeenten (``gm_code,
gm_naam``) and a derived table of gemeenten per jeugdregio (``gm_code, gm_naam, jz_code, …``)
share two columns. A table is therefore of a format only when *all* its columns are the
format's (every required one, and none the format does not know) and the values of its first
rows look like the format's. Formats of our own, which people fill in by hand, may carry
extra columns (they are listed as notes): their required columns are distinctive enough.

>>> row = {"pc4": "2011", "gm_code": "GM0392", "aandeel_pc4": "0.75"}
>>> is_pc4(row["pc4"]), is_gemeente_code(row["gm_code"]), is_share(row["aandeel_pc4"])
(True, True, True)
>>> is_share("1.5"), is_year("2025"), is_year("25")
(False, True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from importers.tabular import sample_table

RowCheck = Callable[[Mapping[str, str]], bool]


def table_fits(
    path: Path,
    required: Iterable[str],
    optional: Iterable[str] = (),
    check: RowCheck | None = None,
    *,
    extra_ok: bool = False,
) -> bool:
    """Whether the table at ``path`` is of a format with these columns: every required
    column present, no other column than the optional ones (unless ``extra_ok``), and every
    sampled row passing ``check``."""
    table = sample_table(path)
    if table is None:
        return False
    columns = {c for c in table.columns if c}
    need = set(required)
    if not need <= columns:
        return False
    if not extra_ok and columns - need - set(optional):
        return False
    return check is None or all(check(row) for _, row in table.rows)


def columns_of(path: Path) -> list[str]:
    """The file's columns, for a message saying why no format fits."""
    table = sample_table(path)
    return [c for c in table.columns if c] if table else []


def is_gemeente_code(value: str) -> bool:
    """A CBS gemeente code with or without its ``GM`` (sources write both), any case.

    >>> is_gemeente_code("GM0363"), is_gemeente_code("0363"), is_gemeente_code("363")
    (True, True, False)"""
    return re.fullmatch(r"(?i)(GM)?\d{4}", value.strip()) is not None


def is_pc4(value: str) -> bool:
    """A four-digit postcode: none starts with 0, so ``0123`` is a number, not a PC4.

    >>> is_pc4("1011"), is_pc4("0123"), is_pc4("1011AB")
    (True, False, False)"""
    return re.fullmatch(r"[1-9]\d{3}", value.strip()) is not None


def is_share(value: str) -> bool:
    """A share between 0 and 1 (``0.75``, ``7e-05``, ``1.0``)."""
    try:
        share = float(value.replace(",", "."))
    except ValueError:
        return False
    return 0.0 <= share <= 1.0


def is_count(value: str) -> bool:
    """Digits only and ASCII only: ``str.isdigit`` alone also takes ``²`` and other digits no
    count is written in.

    >>> is_count("12"), is_count("²"), is_count("-1")
    (True, False, False)"""
    return value.strip().isascii() and value.strip().isdigit()


def is_year(value: str) -> bool:
    """A year of this or the last century, so that a four-digit code or count is not taken for one."""
    return re.fullmatch(r"(19|20)\d{2}", value.strip()) is not None


def is_region_code(value: str, prefix: str) -> bool:
    """A CBS region code of the kind ``prefix`` names (``JZ01``, ``MC25``): the prefix, any case,
    and two to four digits, so that a gemeente code in a region column does not pass.

    >>> is_region_code("jz01", "JZ"), is_region_code("GM0363", "JZ")
    (True, False)"""
    return re.fullmatch(rf"(?i){prefix}\d{{2,4}}", value.strip()) is not None
