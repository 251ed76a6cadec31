"""The few store reads the region pictures share, over the store interface only.

The pictures draw what the queries compute (graph.queries); what they add is naming and
grouping, which needs a node's name and soort. Reads go by batches of ids where the store
allows it, so that a picture costs few round trips on Neo4j.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.records import NodeKey, NodeRecord
from graph.store import GraphStore


def records(store: GraphStore, kind: str, ids: Iterable[str]) -> dict[str, NodeRecord]:
    """The stored nodes of ``kind`` among ``ids``, by id; ids not stored are left out."""
    wanted = sorted(set(ids))
    return {n.id: n for n in store.nodes(kind, wanted)} if wanted else {}


def regions_of(store: GraphStore, gemeente: str) -> list[tuple[str, bool]]:
    """The regions a gemeente belongs to (HOORT_BIJ), with whether only partly (``deels``:
    through a gemeente it absorbed after the region was drawn)."""
    return [
        (e.dst.id, bool(e.props.get("deels")))
        for e in store.edges(rel="HOORT_BIJ", src=NodeKey("Gemeente", gemeente))
        if e.dst.kind == "Regio"
    ]


def pc4_gemeenten(store: GraphStore, pc4: str) -> set[str]:
    return {e.dst.id for e in store.edges(rel="LIGT_IN", src=NodeKey("PC4", pc4)) if e.dst.kind == "Gemeente"}


def width(value: float, largest: float, low: float = 1.0, high: float = 10.0) -> float:
    """An edge width between ``low`` and ``high`` growing with the square root of ``value``:
    a tenfold larger overlap looks about three times as thick, so small ones stay visible.

    >>> width(0, 100), width(100, 100), width(25, 100)
    (1.0, 10.0, 5.5)
    """
    if largest <= 0 or value <= 0:
        return low
    return round(low + (high - low) * min(1.0, (value / largest) ** 0.5), 2)
