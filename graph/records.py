"""The storage-level shape of the graph: plain node and edge records and write batches.

Both backends speak only this shape, so that they can be tested against each other.
Properties are flat (text, numbers, booleans and lists of those) because that is what a
Neo4j property can hold; dates travel as ISO text, so both backends hand back the same
values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar, overload

from graph.lifecycle import VERMELD
from graph.schema import NODE_KINDS, RELATIONS

Scalar = str | int | float | bool
_T = TypeVar("_T")
PropValue = Scalar | list[Scalar]

#: Property names that say where a fact came from. They are written with every change but
#: are not compared when deciding whether a record changed: importing the same facts from a
#: later run of the same source is not a change.
PROVENANCE_KEYS = ("source", "source_date", "import_id")
#: Not compared either: which versions of its source state a fact (graph.lifecycle).
QUIET_KEYS = (*PROVENANCE_KEYS, VERMELD)


class SchemaError(ValueError):
    """A record that the graph's schema does not allow (unknown kind, relation or value)."""


class NodeKey(NamedTuple):
    """The identity of a node: its kind (Neo4j label) and its id within that kind."""

    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> NodeKey:
        """``Gemeente:GM0392`` → ``NodeKey("Gemeente", "GM0392")``."""
        kind, sep, ident = text.partition(":")
        if not sep or not ident:
            raise SchemaError(f"node reference {text!r} is not of the form Kind:id")
        return cls(kind, ident)


class EdgeKey(NamedTuple):
    """An edge is identified by its endpoints and relation type: at most one of each."""

    src: NodeKey
    rel: str
    dst: NodeKey


class _computed_once(Generic[_T]):
    """A property computed on first use and then kept on the instance, like
    :class:`functools.cached_property` but without the lock that one takes on every first
    use before Python 3.12 (a national import asks for half a million keys)."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func, self.__doc__ = func, func.__doc__
        self.name = func.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> _computed_once[_T]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> _T: ...
    def __get__(self, obj: object | None, owner: type) -> _T | _computed_once[_T]:
        if obj is None:
            return self
        value = self.func(obj)
        obj.__dict__[self.name] = value  # found before this descriptor from now on
        return value


@dataclass(frozen=True)
class NodeRecord:
    """A node as both backends store it: kind, id and flat properties (provenance among
    them), so that what one backend writes the other reads back the same."""

    kind: str
    id: str
    props: Mapping[str, PropValue] = field(default_factory=dict)

    @_computed_once
    def key(self) -> NodeKey:
        """The node's identity: what edges and lookups name it by."""
        return NodeKey(self.kind, self.id)


@dataclass(frozen=True)
class EdgeRecord:
    """A relation as both backends store it: at most one per pair of nodes and relation name,
    so that writing it again merges instead of adding a second."""

    src: NodeKey
    rel: str
    dst: NodeKey
    props: Mapping[str, PropValue] = field(default_factory=dict)

    @_computed_once
    def key(self) -> EdgeKey:
        """The relation's identity: source, relation name, destination."""
        return EdgeKey(self.src, self.rel, self.dst)


INT64 = (-(2**63), 2**63 - 1)


def _storable(value: object) -> bool:
    """What both backends store and give back unchanged: finite, 64-bit, valid UTF-8."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return INT64[0] <= value <= INT64[1]
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        if value.isascii():
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    return False


def check_props(props: Mapping[str, Any], where: str) -> dict[str, PropValue]:
    """Refuse what a backend cannot hold early, with the record named, instead of deep in a
    backend: nested values, mixed lists, huge integers, NaN, broken text."""
    clean: dict[str, PropValue] = {}
    for name, value in props.items():
        if not isinstance(name, str) or not name or name in ("id", "kind"):
            raise SchemaError(f"{where}: property name {name!r} is not allowed")
        kind = type(value)
        if (kind is str and value.isascii()) or (kind is int and INT64[0] <= value <= INT64[1]):
            clean[name] = value  # by far the most values: no further look needed
            continue
        if value is None:
            continue
        if isinstance(value, list):
            kinds = {type(v) for v in value}
            if not kinds <= {str, int, float, bool} or len(kinds) > 1:
                # Neo4j stores only homogeneous lists; refuse them in both backends alike.
                raise SchemaError(f"{where}: property {name!r} must be a list of values of one type")
            if not all(_storable(v) for v in value):
                raise SchemaError(f"{where}: property {name!r} holds a value that cannot be stored")
            value = list(value)
        elif not isinstance(value, (str, int, float, bool)):
            raise SchemaError(
                f"{where}: property {name!r} has a {type(value).__name__}; "
                "only text, numbers, booleans and lists of those can be stored"
            )
        elif not _storable(value):
            raise SchemaError(
                f"{where}: property {name!r} value {value!r:.40} cannot be stored "
                "(integers must fit 64 bits, numbers must be finite, text valid Unicode)"
            )
        clean[name] = value
    return clean


def check_provenance(props: Mapping[str, PropValue], where: str) -> None:
    """Every fact says where it came from, so that every answer can cite its source."""
    missing = [k for k in PROVENANCE_KEYS if not props.get(k)]
    if missing:
        raise SchemaError(f"{where}: provenance missing: {', '.join(missing)}")


def check_node(record: NodeRecord) -> NodeRecord:
    """The node with its properties checked (known kind, an id, plain values, provenance):
    the last gate before a store, whatever importer made it."""
    if record.kind not in NODE_KINDS:
        raise SchemaError(f"unknown node kind {record.kind!r}; known: {', '.join(NODE_KINDS)}")
    if not isinstance(record.id, str) or not record.id:
        raise SchemaError(f"{record.kind}: id must be non-empty text")
    props = check_props(record.props, str(record.key))
    check_provenance(props, str(record.key))
    return NodeRecord(record.kind, record.id, props)


def check_edge(record: EdgeRecord) -> EdgeRecord:
    """The edge checked against the schema (a known relation between the kinds it may join)
    and for provenance: a wrong relation is refused before it reaches a store."""
    allowed = RELATIONS.get(record.rel)
    if allowed is None:
        raise SchemaError(f"unknown relation {record.rel!r}; known: {', '.join(RELATIONS)}")
    pair = (record.src.kind, record.dst.kind)
    if pair not in allowed.endpoints:
        ok = ", ".join(f"{a}->{b}" for a, b in sorted(allowed.endpoints))
        raise SchemaError(
            f"relation {record.rel} cannot go from {record.src.kind} to {record.dst.kind}; allowed: {ok}"
        )
    where = f"{record.src} -{record.rel}-> {record.dst}"
    props = check_props(record.props, where)
    check_provenance(props, where)
    return EdgeRecord(record.src, record.rel, record.dst, props)


class ConflictError(SchemaError):
    """Two records for one key give different values for the same property."""


def _merge(
    earlier: Mapping[str, PropValue],
    later: Mapping[str, PropValue],
    where: str,
    newer: bool | None = None,
) -> dict[str, PropValue]:
    """Combine two records of one key, as the store would. Facts may come from several
    files (a gemeente's name from one, its end date from another); of one date they must not
    disagree, but a newer version's value replaces an older one's (``newer``: whether
    ``later`` is of a newer version than ``earlier``; ``None`` for the same or unknown)."""
    if newer is None:
        clash = [
            k
            for k, v in later.items()
            if k not in PROVENANCE_KEYS
            and k in earlier
            and not same(earlier[k], v)
            and not (isinstance(v, list) and isinstance(earlier[k], list))
        ]
        if clash:
            k = clash[0]
            raise ConflictError(f"{where}: {k} is hier {later[k]!r} maar eerder {earlier[k]!r}")
    if newer:
        merged = {**earlier, **later}  # the newer version is the one to cite
    else:
        merged = dict(later)
        merged.update(earlier)  # the first record's provenance stays with the facts it brought
    for k, v in later.items():
        before = earlier.get(k)
        if isinstance(v, list) and isinstance(before, list):
            # Lists (aliases, specialisms) from several records are one list: their union.
            merged[k] = sorted({*before, *v}, key=lambda x: (str(type(x)), x))
    return merged


@dataclass(frozen=True)
class Statement:
    """A batch states what version ``version`` (ISO date) of ``scope`` says (see
    :mod:`graph.lifecycle`). ``complete``: the batch holds *all* of it, so that a fact of the
    scope it leaves out has ended; a partial statement (an import with skipped rows) only adds.
    """

    scope: str
    version: str
    naam: str = ""
    complete: bool = True


Stated = tuple[str, str]  # (scope, version)


@dataclass
class Batch:
    """A set of writes applied all-or-nothing. Records for one key are merged, so a batch
    writes each key once; conflicting values of one version raise :class:`ConflictError`.

    ``statements`` are the scope versions the batch states and ``stated`` which records each
    one states: with them the store keeps every fact's history (:mod:`graph.lifecycle`)."""

    nodes: dict[NodeKey, NodeRecord] = field(default_factory=dict)
    edges: dict[EdgeKey, EdgeRecord] = field(default_factory=dict)
    statements: dict[Stated, Statement] = field(default_factory=dict)
    stated: dict[NodeKey | EdgeKey, set[Stated]] = field(default_factory=dict)

    def state(self, statement: Statement) -> None:
        """Say that the batch is (a version of) a source: what it no longer states, ends."""
        self.statements[(statement.scope, statement.version)] = statement

    def _newer(self, key: NodeKey | EdgeKey, stated: Stated | None) -> bool | None:
        """Whether a record stated by ``stated`` is of a newer version than what the batch
        holds for ``key`` (``None``: the same version, or unversioned)."""
        before = {v for _, v in self.stated.get(key, ())}
        if stated is None or not before:
            return None
        if stated[1] > max(before):
            return True
        return False if stated[1] < max(before) else None

    def add_node(self, record: NodeRecord, stated: Stated | None = None) -> None:
        """Add a checked node, merged with what the batch holds for its key; ``stated``: the
        scope version it comes from (the newer version's values win)."""
        checked = check_node(record)
        earlier = self.nodes.get(checked.key)
        if earlier:
            props = _merge(earlier.props, checked.props, str(checked.key), self._newer(checked.key, stated))
            checked = NodeRecord(checked.kind, checked.id, props)
        self.nodes[checked.key] = checked
        if stated:
            self.stated.setdefault(checked.key, set()).add(stated)

    def add_edge(
        self, record: EdgeRecord, stated: Stated | None = None, *, checked_already: bool = False
    ) -> None:
        """``checked_already``: the record was made by :meth:`graph.model.Relatie.to_record`,
        which checks it (a national import has ~150,000 edges: checking twice costs seconds)."""
        checked = record if checked_already else check_edge(record)
        earlier = self.edges.get(checked.key)
        if earlier:
            where = f"{checked.src} -{checked.rel}-> {checked.dst}"
            props = _merge(earlier.props, checked.props, where, self._newer(checked.key, stated))
            checked = EdgeRecord(checked.src, checked.rel, checked.dst, props)
        self.edges[checked.key] = checked
        if stated:
            self.stated.setdefault(checked.key, set()).add(stated)

    def extend(self, nodes: Iterable[NodeRecord] = (), edges: Iterable[EdgeRecord] = ()) -> Batch:
        """Add unversioned records (tests and small fixes): returns the batch for chaining."""
        for n in nodes:
            self.add_node(n)
        for e in edges:
            self.add_edge(e)
        return self

    def __len__(self) -> int:
        return len(self.nodes) + len(self.edges)


@dataclass
class Tally:
    """What a write did to one sort of record, for the import report a custodian reads."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: facts a newer version no longer states: they end (and are kept as history)
    removed: int = 0


@dataclass
class ApplyResult:
    """What a batch did; an import report is built from these numbers."""

    nodes: Tally = field(default_factory=Tally)
    edges: Tally = field(default_factory=Tally)
    #: what happened to each key ("created", "updated", "unchanged", "removed"), so that an
    #: import report can say it per file
    outcomes: dict[NodeKey | EdgeKey, str] = field(default_factory=dict)
    #: which scope's newer version ended each removed fact, to name it in the report
    removed_by: dict[NodeKey | EdgeKey, str] = field(default_factory=dict)
    #: notes on the statements, per (scope, version): an older version only filling in history
    notes: list[tuple[tuple[str, str], str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything was written (a re-import of the same data changes nothing)."""
        return any(t.created or t.updated or t.removed for t in (self.nodes, self.edges))


@dataclass
class Counts:
    """How many nodes of each kind and edges of each relation the store holds."""

    nodes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, dict[str, int]]:
        """The counts in a stable order, for JSON output and comparing two stores."""
        return {"nodes": dict(sorted(self.nodes.items())), "edges": dict(sorted(self.edges.items()))}


def differs(old: Mapping[str, PropValue] | None, new: Mapping[str, PropValue]) -> bool:
    """Whether writing ``new`` over ``old`` (merge semantics) would change a fact.

    Provenance alone does not count, so that re-importing the same file is a no-op; nor does
    which versions stated it (``vermeld``), as long as its periods stay the same.
    """
    if old is None:
        return True
    return any(not same(old.get(k), v) for k, v in new.items() if k not in QUIET_KEYS)


def restated(old: Mapping[str, PropValue] | None, new: Mapping[str, PropValue]) -> bool:
    """Whether only the versions that state a record change: written, but no change of fact."""
    return old is not None and VERMELD in new and not same(old.get(VERMELD), new[VERMELD])


def same(a: object, b: object) -> bool:
    """Equal in value *and* type, so that ``1`` → ``1.0`` or ``True`` is a change."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b
