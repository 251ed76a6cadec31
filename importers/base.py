"""What every format module produces, and the row-level helpers they share.

A format turns a file into a :class:`ParsedFile`: node and edge records, each with the line
it came from, and a report with every problem found. Building entities through
:func:`add_entity` and :func:`add_relation` means every row is validated by the domain model
and every failure becomes a :class:`~importers.report.Problem` with file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.model import Provenance, Relatie, entity
from graph.records import EdgeRecord, NodeKey, NodeRecord, SchemaError
from graph.store import GraphStore
from importers.report import FileReport, Problem, problems_from_validation
from importers.resolve import GemeenteResolver
from importers.tabular import missing_columns, read_table


@dataclass
class ParsedFile:
    report: FileReport
    nodes: list[tuple[int, NodeRecord]] = field(default_factory=list)
    edges: list[tuple[int, EdgeRecord]] = field(default_factory=list)
    _seen: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    def unique(self, line: int, field_name: str, value: str) -> bool:
        """False, with a problem naming both lines, when a key the file should hold once repeats."""
        first = self._seen.setdefault((field_name, value), line)
        if first != line:
            self.problem(line, field_name, value, f"appears again: also on line {first}")
            return False
        return True

    def problem(
        self, line: int | None, field_name: str, value: object, reason: str, *, fatal: bool = True
    ) -> None:
        text = "" if value is None else str(value)
        self.report.problems.append(Problem(self.report.file, line, field_name, text, reason, fatal))

    def add_entity(
        self, line: int, kind: str, data: dict[str, Any], provenance: Provenance
    ) -> NodeKey | None:
        """Validate one node; on failure record the problems and return ``None``."""
        try:
            record = entity(kind, {**data, "provenance": provenance}).to_record()
        except ValidationError as exc:
            self.report.problems.extend(problems_from_validation(exc, self.report.file, line))
            return None
        except ValueError as exc:
            self.problem(line, "kind", kind, str(exc))
            return None
        self.nodes.append((line, record))
        return record.key

    def add_relation(
        self, line: int, rel: str, van: NodeKey, naar: NodeKey, provenance: Provenance, **props: Any
    ) -> None:
        try:
            record = Relatie(rel=rel, van=van, naar=naar, props=props, provenance=provenance).to_record()
        except (ValidationError, SchemaError) as exc:
            self.problem(line, "rel", rel, str(exc))
            return
        self.edges.append((line, record))


def start_table(
    path: Path, name: str, required: tuple[str, ...]
) -> tuple[ParsedFile, list[tuple[int, dict[str, str]]]]:
    """Read a CSV source and check its columns: a missing required column is one problem
    naming all missing columns, and no rows are read then."""
    parsed = ParsedFile(FileReport(file=str(path), format=name))
    table = read_table(path)
    missing = missing_columns(table.columns, required)
    if missing:
        parsed.problem(1, ", ".join(missing), "", f"required column(s) missing: {', '.join(missing)}")
        return parsed, []
    for line, reason in table.damaged:
        parsed.problem(line, "", "", reason)
    parsed.report.rows_read = len(table.rows) + len(table.damaged)
    return parsed, table.rows


@dataclass
class Context:
    """What a format may consult while parsing: the store, and the files parsed before it in
    the same run (reference tables are parsed first, see :data:`importers.run.FORMATS`)."""

    store: GraphStore
    parsed: list[ParsedFile] = field(default_factory=list)
    _stored: dict[str, list[NodeRecord]] = field(default_factory=dict, repr=False)
    _stored_merges: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)

    def stored(self, kind: str) -> list[NodeRecord]:
        """The store's nodes of a kind as they were when the run began (read once per run)."""
        if kind not in self._stored:
            self._stored[kind] = self.store.nodes(kind)
        return self._stored[kind]

    def gemeenten(self) -> GemeenteResolver:
        """Today's gemeenten and the herindelingen, from the store and this run's earlier files."""
        nodes = {n.id: dict(n.props) for n in self.stored("Gemeente")}
        for p in self.parsed:
            for _, n in p.nodes:
                if n.kind == "Gemeente":
                    nodes.setdefault(n.id, {}).update(n.props)
        if "OPGEGAAN_IN" not in self._stored_merges:
            self._stored_merges["OPGEGAAN_IN"] = [
                (e.src.id, e.dst.id) for e in self.store.edges(rel="OPGEGAAN_IN")
            ]
        merges = self._stored_merges["OPGEGAAN_IN"] + [
            (e.src.id, e.dst.id) for p in self.parsed for _, e in p.edges if e.rel == "OPGEGAAN_IN"
        ]
        return GemeenteResolver.from_records(
            (NodeRecord("Gemeente", code, props) for code, props in nodes.items()), merges
        )
