"""What a format is to an import run, and the one way a format looks at a file's head.

A run tries every format on every file (:data:`importers.run.FORMATS`), so the run needs
only three things of each: what to call it in a report, whether a file is of it, and its
records. Formats are modules (``native``, ``hsds``) or classes with class methods; both
conform to :class:`Format` as they are, so no format has to know the run exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # base reads tables, and tables read heads: no import at run time
    from importers.base import Context, ParsedFile

#: How much of a file recognising it reads: enough for a header and a sample of rows or the
#: first keys of a JSON or YAML document, never a whole national table.
HEAD = 65536


class Format(Protocol):
    """A format as a run sees it. ``sniff`` looks at content, never the file name alone,
    so that a renamed download is still recognised and a table is never taken for another;
    ``parse`` reports every problem instead of raising, so that one run can show them all."""

    @property
    def NAME(self) -> str:
        """What reports call the format: people see it beside each file."""
        ...

    def sniff(self, path: Path) -> bool:
        """Whether the file is of this format: a run refuses a file that two formats claim."""
        ...

    def parse(self, path: Path, import_id: str, context: Context) -> ParsedFile:
        """The file's records and problems; ``context`` holds the files parsed before it."""
        ...


def read_head(path: Path, size: int = HEAD) -> bytes | None:
    """The file's first ``size`` bytes, or ``None`` when it cannot be read: every format
    recognises a file from its head, so that trying all formats on a large file stays cheap
    and an unreadable file is simply not of the format."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return None


def head_text(path: Path, size: int = HEAD) -> str | None:
    """The head as text (a BOM dropped, undecodable bytes replaced): recognising must not
    fail on a stray byte that parsing will report with its line."""
    head = read_head(path, size)
    return None if head is None else head.decode("utf-8-sig", errors="replace")
