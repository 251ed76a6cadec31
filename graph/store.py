"""The one store interface that both backends implement, and the write plan they share.

A write is a :class:`~graph.records.Batch`, applied all-or-nothing with *merge* semantics:
properties given overwrite, properties not given stay. Each backend reads what the batch
touches, lets :func:`plan` decide what is new, changed or unchanged, and writes only that in
one transaction, so re-applying the same batch changes nothing and says so.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field

from graph.lifecycle import GELDIG
from graph.neighbourhood import BULKY, Holds, Hop, Neighbourhood, Seed, walk
from graph.records import (
    ApplyResult,
    Batch,
    Counts,
    EdgeKey,
    EdgeRecord,
    NodeKey,
    NodeRecord,
    PropValue,
    SchemaError,
    Tally,
    differs,
    restated,
)
from graph.schema import NODE_KINDS, RELATIONS
from graph.settle import Settled, bron_keys, known_scopes, settle


class StoreError(Exception):
    """Base of the errors a store raises on purpose."""


class StoreUnavailable(StoreError):
    """The backend cannot be reached (e.g. Neo4j is down); callers may retry later."""


class MissingNodes(StoreError):
    """A batch has edges whose endpoints are neither in the store nor in the batch."""

    def __init__(self, missing: list[tuple[EdgeKey, NodeKey]]) -> None:
        self.missing = missing
        shown = "; ".join(f"{e.src} -{e.rel}-> {e.dst}: {n} does not exist" for e, n in missing[:5])
        more = f" (and {len(missing) - 5} more)" if len(missing) > 5 else ""
        super().__init__(f"{len(missing)} edge(s) point to unknown nodes: {shown}{more}")


@dataclass(frozen=True)
class BackendInfo:
    """What the store is, for health checks and the test run's header."""

    kind: str  # "embedded" or "neo4j"
    location: str  # file path or bolt URI (never with a password)
    version: str = ""

    def __str__(self) -> str:
        if self.kind == "neo4j":
            return f"neo4j {self.version} at {self.location}".replace("  ", " ")
        return f"embedded at {self.location}"


@dataclass
class Plan:
    """The writes a batch needs after comparing it with what the store holds."""

    nodes: list[NodeRecord] = field(default_factory=list)
    edges: list[EdgeRecord] = field(default_factory=list)
    result: ApplyResult = field(default_factory=ApplyResult)


def endpoints_outside(batch: Batch) -> set[NodeKey]:
    """Endpoints the store must already hold, because the batch does not bring them."""
    needed = {k for e in batch.edges for k in (e.src, e.dst)}
    return needed - batch.nodes.keys()


Props = Mapping[str, PropValue]
NodeReader = Callable[[list[NodeKey]], Mapping[NodeKey, Props]]
EdgeReader = Callable[[list[EdgeKey], Set[NodeKey]], Mapping[EdgeKey, Props]]
StatedReader = Callable[[list[str]], tuple[Mapping[NodeKey, Props], Mapping[EdgeKey, Props]]]


def prepare(batch: Batch, read_nodes: NodeReader, read_edges: EdgeReader, read_stated: StatedReader) -> Plan:
    """What a backend does inside its write transaction, with its own three reads: the stored
    records the batch names (``read_edges`` also gets the nodes the batch creates, whose
    edges cannot exist yet), and, when the batch states versions of sources, every stored
    record of those sources, to settle their history (:mod:`graph.settle`)."""
    stored_nodes: Mapping[NodeKey, Props] = read_nodes(list(batch.nodes) + sorted(endpoints_outside(batch)))
    stored_edges: Mapping[EdgeKey, Props] = read_edges(
        list(batch.edges), batch.nodes.keys() - stored_nodes.keys()
    )
    settled = Settled(batch)
    if batch.statements:
        bronnen = read_nodes(bron_keys(batch))
        scopes = known_scopes(bronnen)
        stated_nodes, stated_edges = read_stated(scopes) if scopes else ({}, {})
        settled = settle(batch, stored_nodes, stored_edges, bronnen, stated_nodes, stated_edges)
        stored_nodes = {**stated_nodes, **bronnen, **stored_nodes}
        stored_edges = {**stated_edges, **stored_edges}
    return plan(settled.batch, stored_nodes, stored_edges, settled)


def plan(
    batch: Batch,
    stored_nodes: Mapping[NodeKey, Mapping[str, PropValue]],
    stored_edges: Mapping[EdgeKey, Mapping[str, PropValue]],
    settled: Settled | None = None,
) -> Plan:
    """Decide what to write. ``stored_nodes`` must hold every stored node the batch names,
    as a node or as an edge endpoint; ``stored_edges`` every stored edge it names (an edge
    that is stored has its endpoints). ``settled``: what :func:`graph.settle.settle` found
    ended, counted as removed.

    >>> from graph.records import NodeRecord
    >>> prov = {"source": "CBS", "source_date": "2021", "import_id": "i1"}
    >>> b = Batch(); b.add_node(NodeRecord("PC4", "2011", {"plaats": "Haarlem", **prov}))
    >>> plan(b, {}, {}).result.nodes.created
    1
    >>> plan(b, {NodeKey("PC4", "2011"): {"plaats": "Haarlem"}}, {}).result.nodes.unchanged
    1
    """
    missing = [
        (e.key, n)
        for e in batch.edges.values()
        if e.key not in stored_edges
        for n in (e.src, e.dst)
        if n not in batch.nodes and n not in stored_nodes
    ]
    if missing:
        raise MissingNodes(missing)
    removed = settled.removed if settled else {}
    out = Plan()
    out.result.notes = list(settled.notes) if settled else []
    out.result.removed_by = dict(removed)
    for key, record in batch.nodes.items():
        status = _status(stored_nodes.get(key), record.props, key in removed)
        _count(out.result.nodes, status)
        out.result.outcomes[key] = status
        if status != "unchanged" or restated(stored_nodes.get(key), record.props):
            out.nodes.append(record)
    for ekey, edge in batch.edges.items():
        status = _status(stored_edges.get(ekey), edge.props, ekey in removed)
        _count(out.result.edges, status)
        out.result.outcomes[ekey] = status
        if status != "unchanged" or restated(stored_edges.get(ekey), edge.props):
            out.edges.append(edge)
    return out


def _status(old: Mapping[str, PropValue] | None, new: Mapping[str, PropValue], removed: bool = False) -> str:
    if old is None:
        return "created"
    if removed:
        return "removed"
    return "updated" if differs(old, new) else "unchanged"


def _count(tally: Tally, status: str) -> None:
    setattr(tally, status, getattr(tally, status) + 1)


class GraphStore(ABC):
    """What every backend offers. Reads return records sorted by key, so that two backends
    holding the same graph give identical answers."""

    @abstractmethod
    def info(self) -> BackendInfo:
        """Which backend, where, and what version: shown in /health and the test header."""

    def quick(self) -> bool:
        """Whether a read now is answered from memory at once: no network, no writer to wait
        for, nothing to load. The API answers such reads on its event loop, where a hop to
        a worker thread would cost more than the answer; others go to a worker thread."""
        return False

    @abstractmethod
    def ping(self) -> None:
        """Raise :class:`StoreUnavailable` unless the backend answers now."""

    @abstractmethod
    def apply(self, batch: Batch, *, dry_run: bool = False) -> ApplyResult:
        """Write the batch in one transaction; on any error nothing of it is written. With
        ``dry_run`` nothing is written at all: the result says what would change."""

    @abstractmethod
    def node(self, key: NodeKey) -> NodeRecord | None:
        """The node with this key, or None when the store has none."""

    @abstractmethod
    def nodes(self, kind: str, ids: Iterable[str] | None = None) -> list[NodeRecord]:
        """All nodes of a kind, or those of the given ids that exist, sorted by id."""

    @abstractmethod
    def edges(
        self, rel: str | None = None, src: NodeKey | None = None, dst: NodeKey | None = None
    ) -> list[EdgeRecord]:
        """Edges matching every filter given, sorted by (src, rel, dst)."""

    def neighbourhood(self, seeds: Sequence[Seed], holds: Holds = None) -> Neighbourhood:
        """Everything reached from the seeds along their steps, for one question; with
        ``holds``, only what holds (on a day: :mod:`graph.dated`).

        This generic walk asks the store once per node and step; backends override it to
        fetch in one go (see :mod:`graph.neighbourhood`)."""

        def edges(key: NodeKey, hop: Hop) -> list[EdgeRecord]:
            return self.edges(rel=hop.rel, dst=key) if hop.inward else self.edges(rel=hop.rel, src=key)

        def node(key: NodeKey) -> NodeRecord | None:
            found = self.node(key)
            if found is None or BULKY.isdisjoint(found.props):
                return found
            return NodeRecord(key.kind, key.id, {k: v for k, v in found.props.items() if k not in BULKY})

        return walk(seeds, node, edges, holds)

    def limited_nodes(self) -> dict[NodeKey, list[str]]:
        """Every node that does not hold always, with its periods (``geldig``): what a dated
        view needs to drop edges to a node that no longer holds (:mod:`graph.dated`)."""
        found: dict[NodeKey, list[str]] = {}
        for kind in NODE_KINDS:
            for n in self.nodes(kind):
                spans = n.props.get(GELDIG)
                if isinstance(spans, list) and spans != ["/"]:
                    found[n.key] = [str(s) for s in spans]
        return found

    @abstractmethod
    def data_version(self) -> Hashable:
        """A value that changes whenever the data may have changed (every write that changed
        something, and ``clear``), and is cheap to ask: caches of whole-graph results key on
        it (:mod:`graph.queries.cache`)."""

    @abstractmethod
    def counts(self) -> Counts:
        """How many nodes of each kind and edges of each relation: for reports and parity."""

    @abstractmethod
    def clear(self) -> None:
        """Remove everything (tests and a full re-import use it)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections or file handles."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def edge_sort_key(e: EdgeRecord) -> tuple[str, str, str, str, str]:
    """One order of edges for both backends, so that their answers compare equal."""
    return (e.src.kind, e.src.id, e.rel, e.dst.kind, e.dst.id)


def known_kind(kind: str) -> str:
    """Guard for reads: an unknown kind is a caller's mistake, in either backend."""
    if kind not in NODE_KINDS:
        raise SchemaError(f"unknown node kind {kind!r}")
    return kind


def known_rel(rel: str) -> str:
    """Guard for reads: an unknown relation is a caller's mistake, in either backend."""
    if rel not in RELATIONS:
        raise SchemaError(f"unknown relation {rel!r}")
    return rel
