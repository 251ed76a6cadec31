"""Reading a record's properties as the type a question needs.

A property is text, a number, a boolean or a list of those (:mod:`graph.records`), and a
source may leave any of them out. The readers here say in one place what a missing or
mistyped value becomes (None, or an empty list), so that a query never fails on one odd
record and the type checker knows what it gets.

Examples
--------
>>> props = {"naam": "Haarlem", "inwoners": 162543, "lat": "52.38", "namen": ["Harlem", 3]}
>>> text(props, "naam"), text(props, "plaats")
('Haarlem', None)
>>> whole(props, "inwoners"), number(props, "lat"), texts(props, "namen")
(162543, 52.38, ['Harlem', '3'])
>>> flag({"fictief": True}, "fictief"), flag({"fictief": "ja"}, "fictief")
(True, None)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def text(props: Mapping[str, object], key: str) -> str | None:
    """The property as text; None when missing or empty."""
    value = props.get(key)
    return str(value) if value not in (None, "") else None


def number(props: Mapping[str, object], key: str) -> float | None:
    """The property as a number (a numeric text counts: coordinates travel as text)."""
    value = props.get(key)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def whole(props: Mapping[str, object], key: str) -> int | None:
    """The property as a whole number (a count), only when it is stored as one."""
    value = props.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def flag(props: Mapping[str, object], key: str) -> bool | None:
    """The property as yes/no, only when it is stored as a boolean."""
    value = props.get(key)
    return value if isinstance(value, bool) else None


def texts(props: Mapping[str, object], key: str) -> list[str]:
    """A list property as texts; a single value is a list of one, a missing one empty."""
    value = props.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def shared(props: dict[str, Any], pool: dict[tuple[Any, ...], dict[str, Any]]) -> dict[str, Any]:
    """One dict for every record with the very same properties, in the same order: a
    national graph has 153,000 edges but 37,000 distinct property sets (a school's pupils
    per gemeente, a PC4 in its gemeente, all of one source and day), and a dict of ten
    entries costs about a kilobyte. Safe because the store never changes a record's dict in
    place, it replaces it (``EmbeddedStore._write``), and an import's plan hands records on
    without changing them. Properties holding a list of lists
    (an outline) are left alone: few, and costly to compare.

    >>> pool = {}
    >>> a = shared({"bron": "DUO", "geldig": ["/"]}, pool)
    >>> a is shared({"bron": "DUO", "geldig": ["/"]}, pool)
    True
    """
    try:
        key = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in props.items())
        return pool.setdefault(key, props)
    except TypeError:  # a value that cannot be compared cheaply
        return props
