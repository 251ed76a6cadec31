"""How regions overlap: SWV, gemeente, jeugdregio (and any other regio), provincie and
wijkteam area, each seen as a set of PC4 areas and a set of gemeenten.

>>> region_key("PO 27-04"), region_key("gm392")
(NodeKey(kind='Swv', id='PO2704'), NodeKey(kind='Gemeente', id='GM0392'))
>>> region_key("JZ11"), region_key("wijkteam:t1")
(NodeKey(kind='Regio', id='JZ11'), NodeKey(kind='Wijkteam', id='t1'))
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph import ids
from graph.records import NodeKey
from graph.store import GraphStore

TYPES = ("swv", "gemeente", "provincie", "wijkteam")  # plus every Regio soort (jeugdregio, ggd, …)


class RegionError(ValueError):
    def __init__(self, message: str, status: int = 422) -> None:
        self.status = status
        super().__init__(message)


def region_key(text: str) -> NodeKey:
    """A region from its code: ``PO2704`` (SWV), ``GM0392``, ``PV27``, ``JZ11`` or another CBS
    region code, or ``wijkteam:<id>``."""
    value = text.strip()
    if value.lower().startswith("wijkteam:"):
        return NodeKey("Wijkteam", ids.eigen_id(value.split(":", 1)[1]))
    try:
        return NodeKey("Swv", ids.swv_code(value))
    except ids.IdentifierError:
        pass
    if value.upper().startswith("GM") or value.isdigit():
        return NodeKey("Gemeente", ids.gemeente_code(value))
    code = ids.regio_code(value)
    return NodeKey("Provincie" if code.startswith("PV") else "Regio", code)


@dataclass
class Region:
    key: NodeKey
    name: str | None
    soort: str
    pc4: set[str] = field(default_factory=set)
    gemeenten: set[str] = field(default_factory=set)


@dataclass
class Overlap:
    a: str
    b: str
    shared_pc4: list[str]
    shared_gemeenten: list[str]
    pc4_a: int
    pc4_b: int
    gemeenten_a: int
    gemeenten_b: int
    jaccard_pc4: float
    jaccard_gemeenten: float
    inwoners_shared: int | None
    share_of_a_inwoners: float | None
    share_of_b_inwoners: float | None


def _pc4_of_gemeente(store: GraphStore, gm: str) -> set[str]:
    return {e.src.id for e in store.edges(rel="LIGT_IN", dst=NodeKey("Gemeente", gm)) if e.src.kind == "PC4"}


def region(store: GraphStore, key: NodeKey) -> Region:
    node = store.node(key)
    if node is None:
        raise RegionError(f"no region {key.id} is known", 404)
    name = node.props.get("naam")
    r = Region(key, str(name) if name else None, str(node.props.get("soort") or key.kind.lower()))
    if key.kind == "Swv":
        r.pc4 = {e.src.id for e in store.edges(rel="IN_WERKGEBIED", dst=key) if e.src.kind == "PC4"}
        for pc in r.pc4:
            r.gemeenten |= {
                e.dst.id
                for e in store.edges(rel="LIGT_IN", src=NodeKey("PC4", pc))
                if e.dst.kind == "Gemeente"
            }
    elif key.kind == "Gemeente":
        r.gemeenten = {key.id}
        r.pc4 = _pc4_of_gemeente(store, key.id)
    elif key.kind in ("Regio", "Provincie"):
        rel = "HOORT_BIJ" if key.kind == "Regio" else "LIGT_IN"
        # a gemeente only partly in the region (through a gemeente it absorbed) is left out:
        # all of its PC4 areas would overstate the region
        r.gemeenten = {
            e.src.id
            for e in store.edges(rel=rel, dst=key)
            if e.src.kind == "Gemeente" and not e.props.get("deels")
        }
        for gm in r.gemeenten:
            r.pc4 |= _pc4_of_gemeente(store, gm)
    elif key.kind == "Wijkteam":
        for e in store.edges(rel="BEDIENT", src=key):
            if e.dst.kind == "PC4":
                r.pc4.add(e.dst.id)
            elif e.dst.kind == "PC6":
                r.pc4.add(e.dst.id[:4])
            elif e.dst.kind == "Gemeente":
                r.pc4 |= _pc4_of_gemeente(store, e.dst.id)
        for pc in r.pc4:
            r.gemeenten |= {
                e.dst.id
                for e in store.edges(rel="LIGT_IN", src=NodeKey("PC4", pc))
                if e.dst.kind == "Gemeente"
            }
    else:
        raise RegionError(f"{key.kind} is not a region")
    return r


def _jaccard(a: set[str], b: set[str]) -> float:
    return round(len(a & b) / len(a | b), 4) if a | b else 0.0


def overlap(store: GraphStore, a_text: str, b_text: str) -> Overlap:
    try:
        a, b = region(store, region_key(a_text)), region(store, region_key(b_text))
    except ids.IdentifierError as exc:
        raise RegionError(f"{exc}; give a code such as PO2704, GM0392, JZ11, PV27 or wijkteam:<id>") from None
    shared = a.pc4 & b.pc4
    inwoners = {n.id: n.props.get("inwoners") for n in store.nodes("PC4", a.pc4 | b.pc4)}

    def total(pcs: set[str]) -> int | None:
        values = [inwoners.get(p) for p in pcs]
        return (
            sum(int(v) for v in values if isinstance(v, int))
            if any(isinstance(v, int) for v in values)
            else None
        )

    t_shared, t_a, t_b = total(shared), total(a.pc4), total(b.pc4)
    return Overlap(
        str(a.key),
        str(b.key),
        sorted(shared),
        sorted(a.gemeenten & b.gemeenten),
        len(a.pc4),
        len(b.pc4),
        len(a.gemeenten),
        len(b.gemeenten),
        _jaccard(a.pc4, b.pc4),
        _jaccard(a.gemeenten, b.gemeenten),
        t_shared if shared else 0,
        round(t_shared / t_a, 4) if t_shared is not None and t_a else None,
        round(t_shared / t_b, 4) if t_shared is not None and t_b else None,
    )


def overlapping(store: GraphStore, x_text: str, soort: str) -> list[Overlap]:
    """Every region of type ``soort`` that shares PC4 areas with X, largest share first."""
    try:
        x = region(store, region_key(x_text))
    except ids.IdentifierError as exc:
        raise RegionError(str(exc)) from None
    candidates: set[NodeKey] = set()
    gemeenten = set(x.gemeenten)
    for pc in x.pc4:
        pc_key = NodeKey("PC4", pc)
        if soort == "swv":
            candidates |= {e.dst for e in store.edges(rel="IN_WERKGEBIED", src=pc_key) if e.dst.kind == "Swv"}
        gemeenten |= {e.dst.id for e in store.edges(rel="LIGT_IN", src=pc_key) if e.dst.kind == "Gemeente"}
    for gm in gemeenten:
        gm_key = NodeKey("Gemeente", gm)
        if soort == "gemeente":
            candidates.add(gm_key)
        elif soort == "provincie":
            candidates |= {e.dst for e in store.edges(rel="LIGT_IN", src=gm_key) if e.dst.kind == "Provincie"}
        elif soort == "wijkteam":
            candidates |= {e.src for e in store.edges(rel="WERKT_VOOR", dst=gm_key)}
        elif soort != "swv":
            for e in store.edges(rel="HOORT_BIJ", src=gm_key):
                node = store.node(e.dst)
                if node is not None and node.props.get("soort") == soort:
                    candidates.add(e.dst)
    candidates.discard(x.key)
    results = [
        overlap(
            store,
            x_text if x.key.kind != "Wijkteam" else f"wijkteam:{x.key.id}",
            c.id if c.kind != "Wijkteam" else f"wijkteam:{c.id}",
        )
        for c in candidates
    ]
    results = [r for r in results if r.shared_pc4 or r.shared_gemeenten]
    return sorted(results, key=lambda r: (-len(r.shared_pc4), -len(r.shared_gemeenten), r.b))
