"""What every format module produces, and the row-level helpers they share.

A format turns a file into a :class:`ParsedFile`: node and edge records, each with the line
it came from, and a report with every problem found. Building entities through
:func:`add_entity` and :func:`add_relation` means every row is validated by the domain model
and every failure becomes a :class:`~importers.report.Problem` with file, line and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.herindeling import Merge
from graph.lifecycle import scope_id, version_date
from graph.model import Provenance, Relatie, entity
from graph.records import EdgeKey, EdgeRecord, NodeKey, NodeRecord, SchemaError
from graph.store import GraphStore
from graph.text import visible
from importers.report import FileReport, Problem, problems_from_validation
from importers.resolve import GemeenteResolver
from importers.tabular import missing_columns, read_table


@dataclass
class ParsedFile:
    """What a file says: its records with their lines, and which version of which source
    (scope) it is, so that a newer version can replace it (see :mod:`graph.lifecycle`).

    A file states one scope (``duo:vestigingen``), or several when it holds facts that are
    refreshed apart: CBS's 2016 region table has a scope per kind of region, a wijkteams file
    one per gemeente. ``scopes`` names each (the first is the default of every record);
    ``scope_of`` holds the records of another scope than the first."""

    report: FileReport
    nodes: list[tuple[int, NodeRecord]] = field(default_factory=list)
    edges: list[tuple[int, EdgeRecord]] = field(default_factory=list)
    version: str = ""
    scopes: dict[str, str] = field(default_factory=dict)
    scope_of: dict[NodeKey | EdgeKey, str] = field(default_factory=dict, repr=False)
    _seen: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    def source(self, scope: str, naam: str, version: object | None = None) -> str:
        """Declare a scope the file states (and, once, the version: the day its facts hold);
        returns the scope's id. A version that is not a date is a problem of the file."""
        sid = scope_id(scope)
        self.scopes.setdefault(sid, naam)
        if version is not None and not self.version:
            try:
                self.version = version_date(version)
            except ValueError as exc:
                self.problem(None, "version", str(version), str(exc))
        return sid

    def mark(self) -> tuple[int, int]:
        """Where the records of the next row will start, for :meth:`tag`."""
        return len(self.nodes), len(self.edges)

    def tag(self, since: tuple[int, int], scope: str, naam: str) -> None:
        """Put the records added since ``since`` (one row's) in ``scope``: a file of rows of
        several providers or gemeenten is a version of each one's scope."""
        sid = self.source(scope, naam)
        for _, record in self.nodes[since[0] :]:
            self.scope_of[record.key] = sid
        for _, edge in self.edges[since[1] :]:
            self.scope_of[edge.key] = sid

    def scope_for(self, key: NodeKey | EdgeKey) -> str | None:
        """The scope a record is a version of: its own (:meth:`tag`) or else the file's first, so
        that a run settles each record against the history of the right source."""
        return self.scope_of.get(key) or next(iter(self.scopes), None)

    def unique(self, line: int, field_name: str, value: str) -> bool:
        """False, with a problem naming both lines, when a key the file should hold once repeats."""
        first = self._seen.setdefault((field_name, value), line)
        if first != line:
            self.problem(line, field_name, value, f"komt opnieuw voor: ook op regel {first}")
            return False
        return True

    def problem(
        self, line: int | None, field_name: str, value: object, reason: str, *, fatal: bool = True
    ) -> None:
        """Record a problem instead of raising, so that one run shows every problem of a file;
        ``fatal=False`` makes it a note, which refuses nothing."""
        text = "" if value is None else visible(str(value))
        self.report.problems.append(Problem(self.report.file, line, field_name, text, reason, fatal))

    def add_entity(
        self,
        line: int,
        kind: str,
        data: dict[str, Any],
        provenance: Provenance,
        scope: str | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> NodeKey | None:
        """Validate one node; on failure record the problems and return ``None``. ``scope``:
        when not the file's first (see :meth:`source`); ``fields``: the file's name for a
        model field where it differs (``{"grens": "geometry"}``), so a problem names what the
        user can find in the file."""
        try:
            record = entity(kind, {**data, "provenance": provenance}).to_record()
        except ValidationError as exc:
            found = problems_from_validation(exc, self.report.file, line, fields=fields)
            self.report.problems.extend(found)
            return None
        except ValueError as exc:
            self.problem(line, "kind", kind, str(exc))
            return None
        self.nodes.append((line, record))
        if scope:
            self.scope_of[record.key] = scope
        return record.key

    def add_relation(
        self,
        line: int,
        rel: str,
        van: NodeKey,
        naar: NodeKey,
        provenance: Provenance,
        scope: str | None = None,
        **props: Any,
    ) -> None:
        """Validate one edge against the schema (which kinds the relation joins); on failure record
        a problem and add nothing, so that a bad edge never reaches the store."""
        try:
            record = Relatie(rel=rel, van=van, naar=naar, props=props, provenance=provenance).to_record()
        except (ValidationError, SchemaError) as exc:
            self.problem(line, "rel", rel, str(exc))
            return
        self.edges.append((line, record))
        if scope:
            self.scope_of[record.key] = scope


def file_date(path: Path) -> str:
    """A spreadsheet has no place for its date; its last change is the best we know."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date().isoformat()


def latest_date(path: Path, dates: list[str]) -> str:
    """A file's version when its rows say when they were checked (a ``peildatum`` column):
    the latest of those days, else the day the file last changed (a copy's date, which may
    be newer than its facts)."""
    known = []
    for text in dates:
        try:
            known.append(version_date(text))
        except ValueError:
            continue
    return max(known) if known else file_date(path)


def start_table(
    path: Path, name: str, required: tuple[str, ...]
) -> tuple[ParsedFile, list[tuple[int, dict[str, str]]]]:
    """Read a CSV source and check its columns: a missing required column is one problem
    naming all missing columns, and no rows are read then."""
    parsed = ParsedFile(FileReport(file=str(path), format=name))
    table = read_table(path)
    missing = missing_columns(table.columns, required)
    if missing:
        parsed.problem(1, ", ".join(missing), "", f"verplichte kolom(men) ontbreken: {', '.join(missing)}")
        return parsed, []
    for line, reason in table.damaged:
        parsed.problem(line, "", "", reason)
    parsed.report.rows_read = len(table.rows) + len(table.damaged)
    return parsed, table.rows


@dataclass
class Context:
    """What a format may consult while parsing: the store, and the files parsed before it in
    the same run (reference tables are parsed first, see :data:`importers.run.FORMATS`).

    What it derives from them (the gemeenten, the herindelingen, what is known of each school)
    grows file by file instead of being read again for each: a national run has hundreds of
    DUO files, and reading all earlier files for each one made the run quadratic."""

    store: GraphStore
    parsed: list[ParsedFile] = field(default_factory=list)
    _stored: dict[str, list[NodeRecord]] = field(default_factory=dict, repr=False)
    _merges: list[Merge] | None = field(default=None, repr=False)
    _gemeenten: dict[str, dict[str, Any]] | None = field(default=None, repr=False)
    _resolver: GemeenteResolver | None = field(default=None, repr=False)
    _seen: int = field(default=0, repr=False)
    _schools: Any = field(default=None, repr=False)

    def stored(self, kind: str) -> list[NodeRecord]:
        """The store's nodes of a kind as they were when the run began (read once per run)."""
        if kind not in self._stored:
            self._stored[kind] = self.store.nodes(kind)
        return self._stored[kind]

    def _catch_up(self) -> None:
        """Take in the files parsed since the last look: their gemeenten and herindelingen."""
        if self._gemeenten is None or self._merges is None:
            self._gemeenten = {n.id: dict(n.props) for n in self.stored("Gemeente")}
            self._merges = [_merge(e) for e in self.store.edges(rel="OPGEGAAN_IN")]
        changed = False
        for p in self.parsed[self._seen :]:
            for _, n in p.nodes:
                if n.kind == "Gemeente":
                    self._gemeenten.setdefault(n.id, {}).update(n.props)
                    changed = True
            for _, e in p.edges:
                if e.rel == "OPGEGAAN_IN":
                    self._merges.append(_merge(e))
                    changed = True
        self._seen = len(self.parsed)
        if changed:
            self._resolver = None

    def gemeenten(self) -> GemeenteResolver:
        """Today's gemeenten and the herindelingen, from the store and this run's earlier files."""
        self._catch_up()
        if self._resolver is None:
            nodes = (NodeRecord("Gemeente", code, props) for code, props in (self._gemeenten or {}).items())
            self._resolver = GemeenteResolver.from_records(nodes, self.merges())
        return self._resolver

    def merges(self) -> list[Merge]:
        """Every herindeling known, from the store and this run, as (old, new, share, date)."""
        self._catch_up()
        return list(self._merges or [])

    def shared(self, name: str, make: Any) -> Any:
        """One object a format keeps for the whole run (what DUO's files know of each school):
        made once by ``make(context)``, then kept up to date by the format itself."""
        if self._schools is None:
            self._schools = {}
        if name not in self._schools:
            self._schools[name] = make(self)
        return self._schools[name]


def _merge(edge: EdgeRecord) -> Merge:
    share, day = edge.props.get("aandeel"), edge.props.get("datum")
    return (
        edge.src.id,
        edge.dst.id,
        float(share) if isinstance(share, int | float) else None,
        str(day) if day else None,
    )
