"""The one way an importer reads JSON: bounded, strict about duplicate keys, and located.

Python's :mod:`json` accepts ``{"id": "GM0392", "id": "GM0363"}`` and keeps the last value,
which silently drops the other; it recurses once per level of nesting, so that a file of
200,000 brackets ends in a ``RecursionError`` without a line. :func:`load_json` refuses both
with an :class:`~importers.limits.InputRefused` that names the line: the depth is checked by
a scan of the brackets (outside strings) before the parser runs, a duplicate key when its
object is built. Syntax errors stay :class:`json.JSONDecodeError`, as the formats expect.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from itertools import accumulate
from json import decoder as json_decoder
from json import scanner as json_scanner
from pathlib import Path
from typing import Any

from importers.limits import InputRefused, Limits, current, env_name, read_bounded

#: A JSON string (escapes included, never across a line: JSON strings hold no raw newline),
#: or a run of text that holds no bracket or quote; what is left is the structure.
_STRING = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_STRIP: dict[type, re.Pattern[Any]] = {
    str: re.compile(_STRING + r'|[^\[\]{}"]+|"'),
    bytes: re.compile((_STRING + r'|[^\[\]{}"]+|"').encode()),
}
_TOKENS: dict[type, re.Pattern[Any]] = {
    str: re.compile(_STRING + r"|[\[{]|[\]}]"),
    bytes: re.compile((_STRING + r"|[\[{]|[\]}]").encode()),
}
#: what each bracket does to the depth, as text and as a byte (iterating bytes gives ints)
_DELTA: dict[object, int] = {
    c: d for b, d in zip("[{]}", (1, 1, -1, -1), strict=True) for c in (b, ord(b), b.encode())
}


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's pairs as a dict, refusing a key that occurs twice (``object_pairs_hook``)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return obj


def _opens(text: str | bytes) -> int:
    if isinstance(text, str):
        return text.count("[") + text.count("{")
    return text.count(b"[") + text.count(b"{")


def check_depth(text: str | bytes, limits: Limits | None = None, first_line: int = 1) -> None:
    """Refuse JSON nested deeper than the limit, with the line where it passes the limit.

    The common case costs two passes at C speed (strings and other text removed by one regular
    expression, the brackets summed); only a document that is too deep is walked token by token
    to find the line. Text with fewer opening brackets than the limit cannot be too deep."""
    lim = limits or current()
    if _opens(text) <= lim.depth:
        return
    structure = _STRIP[type(text)].sub(type(text)(), text)
    if max(accumulate(map(_DELTA.__getitem__, structure)), default=0) <= lim.depth:
        return
    depth = 0
    for match in _TOKENS[type(text)].finditer(text):
        depth += _DELTA.get(match[0], 0)
        if depth > lim.depth:
            newline = "\n" if isinstance(text, str) else b"\n"
            line = first_line + text.count(newline, 0, match.start())  # type: ignore[arg-type]
            raise lim.refused("depth", "de JSON is te diep genest", line=line)


class Located(dict[str, Any]):
    """A JSON object that remembers the line it starts on."""

    line = 1


def _skip(text: str, pos: int) -> int:
    """Past the JSON whitespace at ``pos``."""
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _key_line(text: str, start: int, key: str, breaks: list[int]) -> int:
    """The line of the second ``key`` in the object that starts at ``start``: its keys are read
    one by one at the object's own level (its values were valid: they were parsed first)."""
    dec = json.JSONDecoder()
    seen, pos = set(), _skip(text, start)
    while text[pos : pos + 1] == '"':
        name, end = json_decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
        if name == key and name in seen:
            return bisect_left(breaks, pos) + 1
        seen.add(name)
        _, pos = dec.raw_decode(text, _skip(text, _skip(text, end) + 1))  # past the ':'
        pos = _skip(text, pos)
        if text[pos : pos + 1] != ",":
            break
        pos = _skip(text, pos + 1)
    return bisect_left(breaks, start) + 1


def _located(text: str, first_line: int) -> Any:
    """``json.loads``, but every object knows its line (:class:`Located`) and a duplicate key is
    refused with the line of its second occurrence: a problem in a long document that named no
    line would leave the user searching it. Slower than :func:`json.loads` (the pure-Python
    scanner), so used where lines matter: HSDS, and to locate a duplicate the fast path found."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    dec = json.JSONDecoder(object_pairs_hook=_unique)

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[dict[str, Any], int]:
        """The standard object decoder, plus the line the object starts on."""
        try:
            obj, end = json_decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined]
        except _Duplicate as dup:
            line = first_line - 1 + _key_line(text, s_and_end[1], dup.key, breaks)
            raise _refuse_duplicate(dup.key, line) from None
        located = Located(obj)
        located.line = first_line + bisect_left(breaks, s_and_end[1])
        return located, end

    # the pure-Python scanner, told to call parse_object (the C one would bypass it)
    dec.parse_object = parse_object  # type: ignore[attr-defined]
    dec.scan_once = json_scanner.py_make_scanner(dec)  # type: ignore[attr-defined]
    return dec.decode(text)


def _refuse_duplicate(key: str, line: int | None) -> InputRefused:
    reason = f"sleutel '{key}' komt twee keer voor in één object: welke waarde geldt is niet te zeggen"
    return InputRefused(reason, line=line, field=key)


def load_json(
    source: Path | str | bytes, *, located: bool = False, first_line: int = 1, limits: Limits | None = None
) -> Any:
    """The JSON value of a file (read within the size limit) or of text, checked for depth and
    duplicate keys (module docstring). ``located``: objects are :class:`Located` (their line
    known); ``first_line``: the line ``source`` starts on, for one line of a JSON Lines file.
    Raises :class:`json.JSONDecodeError` for a syntax error, :class:`InputRefused` else."""
    lim = limits or current()
    data: str | bytes = read_bounded(source, lim) if isinstance(source, Path) else source
    check_depth(data, lim, first_line)
    try:
        if located:
            return _located(_text(data), first_line)
        try:
            return json.loads(data, object_pairs_hook=_unique)
        except _Duplicate as dup:
            _located(_text(data), first_line)  # raises with the line of the duplicate
            raise _refuse_duplicate(dup.key, None) from None
    except RecursionError:  # only when the depth limit was raised past what Python can do
        reason = f"de JSON is dieper genest dan Python kan lezen (verlaag {env_name('depth')})"
        raise InputRefused(reason) from None


def _text(data: str | bytes) -> str:
    return data if isinstance(data, str) else data.decode("utf-8-sig")
