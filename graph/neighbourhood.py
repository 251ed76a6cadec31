"""The piece of the graph one question needs, fetched at once and read in memory.

A question such as *who serves this pupil* follows a few dozen relations out from a school,
a postcode and a need. Asked edge by edge that is a few dozen round trips to Neo4j; so the
query says up front which relations it will follow, as a tree of :class:`Hop` from its seed
nodes, and the store returns everything reached in one go (one Cypher statement on Neo4j, a
walk over the in-memory graph when embedded). The query then reads a :class:`Neighbourhood`,
which answers the same three questions on both backends, so that their answers agree.

>>> from graph.records import EdgeRecord, NodeKey, NodeRecord
>>> school, pc4 = NodeKey("School", "00AA00"), NodeKey("PC4", "2011")
>>> n = Neighbourhood(
...     [NodeRecord("School", "00AA00", {}), NodeRecord("PC4", "2011", {})],
...     [EdgeRecord(school, "LIGT_IN", pc4, {})],
... )
>>> [e.dst.id for e in n.out(school, "LIGT_IN")], [e.src.id for e in n.into(pc4, "LIGT_IN")]
(['2011'], ['00AA00'])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph.records import EdgeRecord, NodeKey, NodeRecord
from graph.schema import NODE_KINDS, RELATIONS

#: Properties a neighbourhood leaves out: outlines for maps, kilobytes each, which no
#: question reads (a map asks for them with ``store.nodes``).
BULKY = frozenset({"grens"})


@dataclass(frozen=True)
class Hop:
    """Follow ``rel`` out of (``inward=False``) or into the current node, to nodes of
    ``kind``; then the hops in ``then`` from each node reached."""

    rel: str
    kind: str
    inward: bool = False
    then: tuple[Step, ...] = ()

    def __post_init__(self) -> None:
        ends = RELATIONS[self.rel].endpoints
        if not any((b if not self.inward else a) == self.kind for a, b in ends):
            raise ValueError(f"{self.rel} never {'comes from' if self.inward else 'leads to'} {self.kind}")


@dataclass(frozen=True)
class Lookup:
    """The node of ``kind`` whose id is the first ``length`` characters of the current
    node's ``prop`` (or of its id): a join by value where the data has no edge (a
    location's postcode → its PC4, for distances; a PC6 → its PC4); then ``then``."""

    kind: str
    prop: str
    length: int
    then: tuple[Step, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in NODE_KINDS or not self.prop.isidentifier():
            raise ValueError(f"bad lookup {self}")


Step = Hop | Lookup


def out(rel: str, kind: str, *then: Step) -> Hop:
    """Follow ``rel`` from the node to nodes of ``kind``, then the ``then`` steps from each."""
    return Hop(rel, kind, False, then)


def into(rel: str, kind: str, *then: Step) -> Hop:
    """Follow ``rel`` backwards, to the nodes of ``kind`` that point at the node."""
    return Hop(rel, kind, True, then)


@dataclass(frozen=True)
class Seed:
    """Where a walk starts; a seed that does not exist simply yields nothing."""

    key: NodeKey
    steps: tuple[Step, ...] = ()


#: edges by (endpoint, relation), as (other end, edge) sorted by the other end
_Index = dict[tuple[NodeKey, str], tuple[tuple[NodeKey, EdgeRecord], ...]]


class Neighbourhood:
    """A read-only piece of the graph: nodes by key, edges by endpoint and relation; node
    properties without the :data:`BULKY` ones.

    Edges come out sorted by (src, rel, dst), as every read of the store does, so that a
    query that takes "the first" takes the same one on both backends. :meth:`merged` joins
    pieces fetched apart (one per seed, some kept from an earlier question) without copying
    them.
    """

    _nodes: tuple[dict[NodeKey, NodeRecord], ...]
    _out: tuple[_Index, ...]
    _in: tuple[_Index, ...]
    #: what questions worked out from this piece alone, kept as long as the piece is
    #: (:meth:`graph.queries.question.Question.kept`); a merged neighbourhood keeps nothing
    derived: dict[Hashable, object]

    def __init__(self, nodes: Iterable[NodeRecord], edges: Iterable[EdgeRecord]) -> None:
        own_out: dict[tuple[NodeKey, str], dict[NodeKey, EdgeRecord]] = defaultdict(dict)
        own_in: dict[tuple[NodeKey, str], dict[NodeKey, EdgeRecord]] = defaultdict(dict)
        for e in edges:
            own_out[e.src, e.rel][e.dst] = e
            own_in[e.dst, e.rel][e.src] = e
        self._nodes = ({n.key: n for n in nodes},)
        self._out = (_index(own_out),)
        self._in = (_index(own_in),)
        self.derived = {}

    @classmethod
    def merged(cls, pieces: Sequence[Neighbourhood]) -> Neighbourhood:
        """One neighbourhood that holds what each piece holds: what one walk from all their
        seeds would have fetched (a walk from several seeds is the union of the walks from
        each)."""
        if len(pieces) == 1:
            return pieces[0]
        whole = cls.__new__(cls)
        whole._nodes = tuple(part for p in pieces for part in p._nodes)
        whole._out = tuple(part for p in pieces for part in p._out)
        whole._in = tuple(part for p in pieces for part in p._in)
        whole.derived = {}
        return whole

    def __len__(self) -> int:
        return len({k for part in self._nodes for k in part})

    def node(self, key: NodeKey) -> NodeRecord | None:
        """A fetched node, or None when it was not fetched (or does not hold on the day)."""
        for part in self._nodes:
            found = part.get(key)
            if found is not None:
                return found
        return None

    def out(self, key: NodeKey, rel: str, kind: str | None = None) -> list[EdgeRecord]:
        """The fetched edges ``rel`` from the node (to ``kind`` only), in a stable order."""
        return _gathered(self._out, (key, rel), kind)

    def into(self, key: NodeKey, rel: str, kind: str | None = None) -> list[EdgeRecord]:
        """The fetched edges ``rel`` into the node (from ``kind`` only), in a stable order."""
        return _gathered(self._in, (key, rel), kind)

    def records(self) -> tuple[list[NodeRecord], list[EdgeRecord]]:
        """Everything held, sorted: for comparing two backends' fetches."""
        nodes = {k: n for part in self._nodes for k, n in part.items()}
        edges = {(e.src, e.rel, e.dst): e for part in self._out for per in part.values() for _, e in per}
        return (
            sorted(nodes.values(), key=lambda n: n.key),
            sorted(edges.values(), key=lambda e: (e.src, e.rel, e.dst)),
        )


def _index(by_end: dict[tuple[NodeKey, str], dict[NodeKey, EdgeRecord]]) -> _Index:
    """Each node's edges of a relation as a tuple sorted by the other end: sorted once, and
    a tuple is a quarter of the memory of a dict (a kept piece holds many)."""
    return {at: tuple(sorted(found.items())) for at, found in by_end.items()}


def _gathered(parts: tuple[_Index, ...], at: tuple[NodeKey, str], kind: str | None) -> list[EdgeRecord]:
    """The edges at ``at`` in every part, each once, sorted by the other end."""
    found: tuple[tuple[NodeKey, EdgeRecord], ...] | None = None
    merged: dict[NodeKey, EdgeRecord] | None = None
    for part in parts:
        more = part.get(at)
        if not more:
            continue
        if found is None:
            found = more
            continue
        if merged is None:
            merged = dict(found)
        merged.update(more)
    if merged is not None:
        found = tuple(sorted(merged.items()))
    return [e for other, e in found or () if kind is None or other.kind == kind]


#: Whether a record's properties hold (on a day, see graph.dated); ``None``: all do.
Holds = Callable[[Mapping[str, object]], bool] | None


def walk(
    seeds: Sequence[Seed],
    node: Callable[[NodeKey], NodeRecord | None],
    edges: Callable[[NodeKey, Hop], Iterable[EdgeRecord]],
    holds: Holds = None,
) -> Neighbourhood:
    """Fetch a neighbourhood by following the steps one node at a time: how a store that
    holds the graph in memory answers. ``edges(key, hop)`` lists the node's edges of the
    hop's relation and direction (those to other kinds may come along: they are dropped).
    With ``holds``, a node or edge that does not hold is not there, nor an edge to such a node."""
    nodes: dict[NodeKey, NodeRecord] = {}
    found: dict[tuple[NodeKey, str, NodeKey], EdgeRecord] = {}
    missing: set[NodeKey] = set()

    def reach(key: NodeKey) -> bool:
        if key in nodes:
            return True
        if key in missing:
            return False
        record = node(key)
        if record is None or (holds is not None and not holds(record.props)):
            missing.add(key)
            return False
        nodes[key] = record
        return True

    def visit(key: NodeKey, steps: tuple[Step, ...]) -> None:
        if not reach(key):
            return
        for step in steps:
            if isinstance(step, Lookup):
                value = key.id if step.prop == "id" else nodes[key].props.get(step.prop)
                if isinstance(value, str) and len(value) >= step.length:
                    visit(NodeKey(step.kind, value[: step.length]), step.then)
                continue
            for e in edges(key, step):
                other = e.src if step.inward else e.dst
                if other.kind == step.kind and (holds is None or holds(e.props)) and reach(other):
                    found[e.src, e.rel, e.dst] = e
                    visit(other, step.then)

    for seed in seeds:
        visit(seed.key, seed.steps)
    return Neighbourhood(nodes.values(), found.values())
