"""How much of anything an import reads: every input path is bounded, so that a hostile or
broken file is refused with a located problem instead of filling memory or the disk.

Each limit has a default that admits every real file the project knows (the national
downloads, not only ``../shared/data``) with a wide margin, and an environment variable
``SOCIALE_KAART_MAX_<NAME>`` to raise (or lower) it on one machine without a new release.
A value may carry a binary suffix (``1G``, ``512M``, ``64K``). ``docs/grenzen.md`` lists
them; a refusal names the limit and its variable, so that whoever meets one can raise it.

The readers here are the only ways an importer reads a whole file or a zip member, so that
no format can forget a limit: :func:`read_bounded` (a file), :func:`zip_member` (the one
data file of a zip) and :func:`checked_rows` (the rows of a CSV reader).
"""

from __future__ import annotations

import csv
import logging
import os
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

from importers.report import Problem

log = logging.getLogger("sociale_kaart.import")

PREFIX = "SOCIALE_KAART_MAX_"
KiB, MiB, GiB = 1024, 1024**2, 1024**3


@dataclass(frozen=True)
class Limits:
    """The limits of one import run. Why each default (``docs/grenzen.md`` has the table):

    ``file_bytes`` 512 MiB: the largest national download (CBS postcodes, DUO pupils per
    PC4) is tens of MB and the largest file in ``../shared/data`` is about 1 MB; a file is
    held in memory whole while it is parsed, so this also caps memory at a few GiB.
    ``zip_bytes`` 512 MiB: what a zip may unpack to, in total, by its central directory and
    by what is actually read; the same as a file, because the member is parsed like one
    (DUO's 0.8 MB zip unpacks to 5 MB).
    ``zip_members`` 1000: DUO ships one member, a shapefile zip has about ten.
    ``yaml_nodes`` 1,000,000: the nodes of a YAML document with every alias expanded; a
    national wijkteams or organisaties file has about 100,000, and a "billion laughs" of
    558 bytes has a billion.
    ``depth`` 64: JSON and YAML nesting; GeoJSON's deepest (a MultiPolygon in a feature)
    is 8, and Python's own JSON reader fails at about 1000.
    ``field_bytes`` 64 KiB: one CSV cell or YAML value; the longest in the real tables is
    under 100 bytes, a long description a few KB.
    ``line_bytes`` 4 MiB: one JSON Lines record; the longest shipped, a gemeente with its
    outline, is under 10 KB.
    ``rows`` 2,000,000: rows, features or records of one file; the largest national table
    (PC6 postcodes) has about 500,000, and each row costs about 1 KB of memory while the
    file is parsed.
    ``upload_bytes`` 512 MiB: one request to ``POST /api/v1/imports``, all its files and the
    multipart framing together; checked by the server before the import sees a file.
    """

    file_bytes: int = 512 * MiB
    zip_bytes: int = 512 * MiB
    zip_members: int = 1000
    yaml_nodes: int = 1_000_000
    depth: int = 64
    field_bytes: int = 64 * KiB
    line_bytes: int = 4 * MiB
    rows: int = 2_000_000
    upload_bytes: int = 512 * MiB

    def refused(
        self, name: str, what: str, *, line: int | None = None, field: str = "", file: str = ""
    ) -> InputRefused:
        """The refusal of input over the limit ``name``: ``what`` says what the input is
        ("het bestand is 600 MiB"); the reason adds the limit and how to raise it."""
        value = getattr(self, name)
        shown = size(value) if name.endswith("_bytes") else f"{value:,}".replace(",", ".")
        hint = f"{env_name(name)}; zet die hoger om het toch te lezen"
        reason = f"{what}: meer dan de grens van {shown} ({hint})"
        return InputRefused(reason, line=line, field=field, file=file)


class InputRefused(Exception):
    """Input an import will not read, where it is (file, line, field) and why. Not a
    ``ValueError``: the formats treat those as 'not my format', and a refused file must be
    reported as refused, by :mod:`importers.run`, never mistaken for another format."""

    def __init__(
        self, reason: str, *, line: int | None = None, field: str = "", value: str = "", file: str = ""
    ) -> None:
        super().__init__(reason)
        self.reason, self.line, self.field, self.value, self.file = reason, line, field, value, file

    def problem(self, file: str) -> Problem:
        """The refusal as a problem of ``file`` (or of the file it names itself: a CSV that an
        HSDS package refers to)."""
        return Problem(self.file or file, self.line, self.field, self.value, self.reason)

    def inside(self, member: str) -> InputRefused:
        """The same refusal, said to be in ``member`` of a zip: its line is the member's."""
        return InputRefused(
            f"in {member}: {self.reason}", line=self.line, field=self.field, value=self.value, file=self.file
        )


def env_name(name: str) -> str:
    """The environment variable of a limit: ``file_bytes`` → ``SOCIALE_KAART_MAX_FILE_BYTES``."""
    return PREFIX + name.upper()


def size(n: int) -> str:
    """A byte count as people read it (binary units, as the limits are set)."""
    for unit, factor in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if n >= factor:
            return f"{n / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


_SUFFIX = {"": 1, "k": KiB, "m": MiB, "g": GiB}


def _number(raw: str) -> int:
    match = re.fullmatch(r"\s*(\d[\d_]*)\s*([kmg]?)(?:i?b)?\s*", raw.lower())
    if not match or int(match[1]) <= 0:
        raise ValueError(raw)
    return int(match[1]) * _SUFFIX[match[2]]


@lru_cache(maxsize=16)
def _from_env(values: tuple[str | None, ...]) -> Limits:
    """The limits for these environment values, parsed once (an import asks for them per file
    and per row reader). A value that is no positive number keeps the default, with a warning:
    a typo must not make an import fail, and the default is the documented safe value."""
    chosen: dict[str, int] = {}
    for f, raw in zip(fields(Limits), values, strict=True):
        if raw is None or not raw.strip():
            continue
        try:
            chosen[f.name] = _number(raw)
        except ValueError:
            log.warning("%s=%r is geen positief getal: de standaardwaarde blijft", env_name(f.name), raw)
    return replace(Limits(), **chosen)


def current(**overrides: int) -> Limits:
    """The limits in force: the defaults, changed by the environment, changed by ``overrides``
    (a caller or a test that wants another limit for one call). The environment is looked at
    on every call, so that a test's ``monkeypatch.setenv`` takes effect at once."""
    limits = _from_env(tuple(os.environ.get(env_name(f.name)) for f in fields(Limits)))
    return replace(limits, **overrides) if overrides else limits


def check_size(path: Path, limits: Limits | None = None) -> int:
    """The file's size, or :class:`InputRefused` when it is over the limit: checked before any
    format looks at the file, so that a file too large is never read at all."""
    lim = limits or current()
    actual = path.stat().st_size
    if actual > lim.file_bytes:
        raise lim.refused("file_bytes", f"het bestand is {size(actual)}", file=str(path))
    return actual


def read_bounded(path: Path, limits: Limits | None = None) -> bytes:
    """The whole file, never more than the limit: its size is checked first, and a file that
    grows while it is read (or lies about its size, as a pipe does) is read in chunks and cut
    off at the limit. (One ``read(limit)`` would allocate the whole limit for any file.)"""
    lim = limits or current()
    expected = check_size(path, lim)
    with open(path, "rb") as fh:
        chunks = [fh.read(expected + 1)]
        read = len(chunks[0])
        while read > expected and read <= lim.file_bytes and (chunk := fh.read(MiB)):
            chunks.append(chunk)
            read += len(chunk)
    if read > lim.file_bytes:
        raise lim.refused("file_bytes", "het bestand groeit tijdens het lezen", file=str(path))
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


_EOCD, _ZIP64_LOCATOR = b"PK\x05\x06", b"PK\x06\x07"


def _directory(path: Path) -> tuple[int, int]:
    """The member count and central-directory size a zip's end record declares, read from its
    tail alone: :class:`zipfile.ZipFile` would build an object per member before anything
    could be checked, and a zip of 500 MB can declare millions of them."""
    with open(path, "rb") as fh:
        end = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, end - (65535 + 22)))  # the end record, after a comment of at most 64 KiB
        tail = fh.read()
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) < at + 22:
            raise zipfile.BadZipFile("geen centrale map")
        entries, cd_size = struct.unpack("<6xHL", tail[at + 4 : at + 16])
        locator = tail.rfind(_ZIP64_LOCATOR, 0, at)
        if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and locator >= 0:
            (record,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
            fh.seek(record)
            entries, cd_size = struct.unpack("<32xQQ", fh.read(48))
    return entries, cd_size


def zip_member(
    path: Path, suffixes: tuple[str, ...], limits: Limits | None = None
) -> tuple[str, bytes] | None:
    """The name and bytes of the one member whose name ends in ``suffixes``; ``None`` when there
    is not exactly one. The member count and the declared sizes are checked before anything
    is unpacked, and the member is read in a bounded stream, so that a declared size that lies
    cannot make it unpack further than the limit either."""
    lim = limits or current()
    entries, cd_size = _directory(path)
    if entries > lim.zip_members or cd_size > lim.zip_members * 4 * KiB:
        raise lim.refused("zip_members", f"het zip-bestand heeft {entries} bestanden", file=str(path))
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if len(infos) > lim.zip_members:
            raise lim.refused("zip_members", f"het zip-bestand heeft {len(infos)} bestanden", file=str(path))
        total = sum(info.file_size for info in infos)
        if total > lim.zip_bytes:
            raise lim.refused("zip_bytes", f"het zip-bestand pakt uit tot {size(total)}", file=str(path))
        chosen = [info for info in infos if info.filename.endswith(suffixes)]
        if len(chosen) != 1:
            return None
        with zf.open(chosen[0]) as fh:  # in chunks: zipfile unpacks all it is asked for, then cuts
            chunks, read = [], 0
            while read <= lim.zip_bytes and (chunk := fh.read(MiB)):
                chunks.append(chunk)
                read += len(chunk)
        data = b"".join(chunks)
        if read > lim.zip_bytes:
            what = f"{chosen[0].filename} pakt verder uit dan het zip-bestand opgeeft"
            raise lim.refused("zip_bytes", what, file=str(path))
        return chosen[0].filename, data


def checked_rows(reader: Iterator[list[str]], file: str = "", text: str = "") -> Iterator[list[str]]:
    """The rows of a CSV reader over ``text`` (its header first), refusing a cell over the field
    limit (with its line and column) and a file with more rows than the row limit, as soon as
    either is met: the rest of the file is not read into rows, and a long cell is not read to
    its end (``csv``'s own field limit is ours while the rows are read, then restored)."""
    lim = current()
    before = csv.field_size_limit(lim.field_bytes + 1)  # csv refuses a field of the limit itself
    line, header = 0, list[str]()
    try:
        for count, row in enumerate(reader):
            line = getattr(reader, "line_num", count + 1)
            if count > lim.rows:
                raise lim.refused("rows", "te veel rijen", line=line, file=file)
            header = header or row
            yield row
    except csv.Error as exc:
        line = getattr(reader, "line_num", line)
        if "field larger than field limit" not in str(exc):
            raise InputRefused(f"geen leesbare CSV: {exc}", line=line, file=file) from None
        column = _long_cell(text, line, header, getattr(getattr(reader, "dialect", None), "delimiter", ","))
        raise lim.refused(
            "field_bytes", "een waarde is te lang", line=line, field=column, file=file
        ) from None
    finally:
        csv.field_size_limit(before)


def _long_cell(text: str, line: int, header: list[str], delimiter: str) -> str:
    """The column of the first value over the field limit on ``line`` of ``text`` (found only
    when a file is refused for it, so a plain scan will do); ``""`` when it cannot be told
    (a value that spans lines)."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    long = re.compile(f"[^{re.escape(delimiter)}\n]{{{current().field_bytes + 1}}}")
    found = long.search(text, start, len(text) if end < 0 else end)
    if found is None:
        return ""
    at = text.count(delimiter, start, found.start())
    return header[at].strip().lower() if at < len(header) else f"kolom {at + 1}"
