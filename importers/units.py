"""A line of a file is one unit: a bad line rejects that line whole, with a problem naming
file, line, field and reason, and never part of it.

One line of a file states one thing people mean together (a wijkteam with its areas and
contacts, an offer with its provider, a school with its board): storing part of it would
state something nobody wrote. So ``--skip-invalid`` skips lines, never records, and without
it any refused line means nothing is stored. Parsing keeps a unit whole with
:func:`start_unit`; the run refuses lines with :func:`refuse` and leaves them out of its
batch by :func:`refused_lines`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from importers.base import ParsedFile
from importers.report import FileReport, Problem

#: A line of a file, as (file, line); ``None`` for a problem of the whole file.
Line = tuple[str, int | None]


def refused_lines(problems: Iterable[Problem]) -> set[Line]:
    """The lines a fatal problem refuses: each is left out whole, whichever of its records
    the problem is about."""
    return {(p.file, p.line) for p in problems if p.fatal}


def refuse(
    report: FileReport, line: int | None, field: str, value: str, reason: str, refused: set[Line]
) -> None:
    """Refuse a line found bad after parsing (a clash in the batch, a node the store lacks):
    the problem says why, and the whole line goes, as if parsing had found it."""
    report.problems.append(Problem(report.file, line, field, value, reason))
    refused.add((report.file, line))


def skipped(report: FileReport) -> int:
    """How many lines a file's problems refused: the count people see as 'skipped'."""
    return len({p.line for p in report.problems if p.fatal})


@dataclass
class Unit:
    """The records one unit has added to a file so far, to keep or drop together."""

    parsed: ParsedFile
    nodes: int
    edges: int
    fatal: int

    def close(self) -> bool:
        """Keep the unit's records, or drop them all when it had a fatal problem: a record
        of a bad unit must not reach the batch even when others of its line's records do
        not share the line (a YAML wijkteam spans lines). True when kept."""
        if _fatal(self.parsed) > self.fatal:
            del self.parsed.nodes[self.nodes :]
            del self.parsed.edges[self.edges :]
            return False
        return True


def start_unit(parsed: ParsedFile) -> Unit:
    """Begin a unit of ``parsed``: what it adds until :meth:`Unit.close` stands or falls whole."""
    nodes, edges = parsed.mark()
    return Unit(parsed, nodes, edges, _fatal(parsed))


def _fatal(parsed: ParsedFile) -> int:
    return sum(p.fatal for p in parsed.report.problems)
