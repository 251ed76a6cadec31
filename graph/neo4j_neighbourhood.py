"""The Neo4j backend's neighbourhood question: the tree of steps as one Cypher statement,
and its rows read back as a neighbourhood.

Apart from :mod:`graph.neo4j_backend` because it is one thing of its own: the text depends
only on the shape of a question (built and planned once), and reading its rows retraces the
walk the embedded backend makes, so that both backends answer alike as of a day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from graph.neighbourhood import BULKY, Holds, Lookup, Neighbourhood, Step
from graph.records import EdgeRecord, NodeKey, NodeRecord
from graph.store import known_kind, known_rel


def neighbourhood_of(rows: list[list[Any]], holds: Holds = None) -> Neighbourhood:
    """The neighbourhood in the rows of :func:`neighbourhood_cypher`; with ``holds``, only
    what holds and is reached along what holds (see :class:`_Steps`)."""
    nodes: dict[NodeKey, NodeRecord] = {}
    steps = _Steps()
    for sk, si, t, dk, di, rp, nk, ni, np, vk, vi, at in rows:
        key = NodeKey(nk, ni)
        if key not in nodes:
            props = {k: v for k, v in np.items() if k != "id" and k not in BULKY}
            nodes[key] = NodeRecord(nk, ni, props)
        if t is not None:
            edge = EdgeRecord(NodeKey(sk, si), t, NodeKey(dk, di), rp)
            steps.add((edge.src if key == edge.dst else edge.dst, at), (key, at), edge)
        elif vk is None:
            steps.roots.append((key, at))
        else:
            steps.add((NodeKey(vk, vi), at), (key, at), None)
    if holds is None:
        return Neighbourhood(nodes.values(), steps.edges())
    return steps.reached(nodes, holds)


#: A node as reached at a place in the tree of steps (the ``at`` of its row).
_State = tuple[NodeKey, str]


class _Steps:
    """The rows of a neighbourhood statement as steps from one state to the next, so that
    the walk the embedded backend makes can be made again over them when only what holds
    on a day counts (see graph.dated): the statement fetched everything, but a node behind
    an edge that ended, and all that hangs from it along that path, is not there. A state
    is a node at a place in the tree of steps, not the node alone: a node reached along a
    path that holds takes only the steps of that path."""

    def __init__(self) -> None:
        self.roots: list[_State] = []
        self.onward: dict[_State, list[tuple[_State, EdgeRecord | None]]] = defaultdict(list)

    def add(self, origin: tuple[NodeKey, str], found: _State, edge: EdgeRecord | None) -> None:
        """A step to ``found`` from ``origin`` (its place is that of ``found``'s parent)."""
        key, at = origin
        self.onward[key, at.rpartition(".")[0]].append((found, edge))

    def edges(self) -> list[EdgeRecord]:
        return [e for steps in self.onward.values() for _, e in steps if e is not None]

    def reached(self, nodes: dict[NodeKey, NodeRecord], holds: Callable[..., bool]) -> Neighbourhood:
        valid = {k for k, n in nodes.items() if holds(n.props)}
        seen = {state for state in self.roots if state[0] in valid}
        todo = list(seen)
        kept: dict[tuple[NodeKey, str, NodeKey], EdgeRecord] = {}
        while todo:
            for found, edge in self.onward[todo.pop()]:
                if found[0] not in valid or (edge is not None and not holds(edge.props)):
                    continue
                if edge is not None:
                    kept[edge.src, edge.rel, edge.dst] = edge
                if found not in seen:
                    seen.add(found)
                    todo.append(found)
        return Neighbourhood((nodes[k] for k in dict.fromkeys(k for k, _ in seen)), kept.values())


@lru_cache(maxsize=64)
def neighbourhood_cypher(shape: tuple[tuple[str, tuple[Step, ...]], ...]) -> str:
    """The Cypher for :meth:`Neo4jStore.neighbourhood`, for seeds of these kinds with these
    steps (seed ``i``'s id is parameter ``$s{i}``): the tree of steps as nested subqueries,
    each node reached yielding itself (with the relationship that reached it) and then, by
    ``UNION ALL``, what its own steps reach. Every relationship is expanded once, from an
    index seek on each seed. All rows come back as one list in one record: one message to
    decode instead of one per row.

    The text depends only on the shape of the question, so it is built once and Neo4j plans
    it once, whatever the ids.

    >>> from graph.neighbourhood import out
    >>> q = neighbourhood_cypher((("School", (out("LIGT_IN", "PC4"),)),))
    >>> "MATCH (n0:School {id: $s0})" in q and "MATCH (n0)-[r1:LIGT_IN]->(n1:PC4)" in q
    True
    """
    branches = [
        f"MATCH (n0:{known_kind(kind)} {{id: $s{i}}}) CALL (n0) {{ {_subtree(steps, 0, str(i))} }} "
        "RETURN r, n, via, at"
        for i, (kind, steps) in enumerate(shape)
    ]
    bulky = ", ".join(f"{b}: null" for b in sorted(BULKY))
    return (
        "CALL () { "
        + " UNION ALL ".join(branches)
        + " } RETURN collect([labels(startNode(r))[0], startNode(r).id, type(r), labels(endNode(r))[0], "
        f"endNode(r).id, properties(r), labels(n)[0], n.id, n {{.*, {bulky}}}, "
        "labels(via)[0], via.id, at]) AS rows"
    )


def _subtree(steps: Sequence[Step], depth: int, at: str, by_rel: bool = True) -> str:
    """Rows ``(r, n, via, at)`` for node ``n{depth}`` (reached by ``r{depth}``; null at a
    seed or a lookup, which has the node it was looked up from as ``via``) and for
    everything its steps reach; ``at`` names the place in the tree of steps ("0.2.1": seed
    0, its third step, that step's second), so that the walk can be retraced."""
    here = f"r{depth}" if depth and by_rel else "null"
    via = f"n{depth - 1}" if depth and not by_rel else "null"
    branches = [f"RETURN {here} AS r, n{depth} AS n, {via} AS via, '{at}' AS at"]
    d, e = f"n{depth}", depth + 1
    for j, step in enumerate(steps):
        place = f"{at}.{j}"
        if isinstance(step, Lookup):
            prop = f"{d}.{step.prop}"
            match = (
                f"WITH {d} WHERE size({prop}) >= {step.length:d} "
                f"MATCH (n{e}:{known_kind(step.kind)} {{id: left({prop}, {step.length:d})}})"
            )
            inner = _subtree(step.then, e, place, False)
        else:
            rel = f"[r{e}:{known_rel(step.rel)}]"
            arrow = f"<-{rel}-" if step.inward else f"-{rel}->"
            match = f"MATCH ({d}){arrow}(n{e}:{known_kind(step.kind)})"
            inner = _subtree(step.then, e, place)
        imported = f"{d}, n{e}" if isinstance(step, Lookup) else f"r{e}, n{e}"
        branches.append(f"{match} CALL ({imported}) {{ {inner} }} RETURN r, n, via, at")
    return " UNION ALL ".join(branches)
