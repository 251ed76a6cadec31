"""How regions overlap: SWV, gemeente, jeugdregio (and any other regio), provincie and
wijkteam area, each seen as a set of PC4 areas and a set of gemeenten.

>>> region_key("PO 27-04"), region_key("gm392")
(NodeKey(kind='Swv', id='PO2704'), NodeKey(kind='Gemeente', id='GM0392'))
>>> region_key("JZ11"), region_key("wijkteam:t1")
(NodeKey(kind='Regio', id='JZ11'), NodeKey(kind='Wijkteam', id='t1'))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from pydantic import Field, with_config

from graph import ids
from graph.dated import as_of
from graph.neighbourhood import Lookup, Neighbourhood, Seed, Step, into, out
from graph.queries.errors import QuestionError
from graph.queries.names import REGIO_MEERVOUD, label
from graph.queries.pages import ALWAYS_SENT, Page
from graph.records import NodeKey
from graph.store import GraphStore

TYPES = ("swv", "gemeente", "provincie", "wijkteam")  # plus every Regio soort (jeugdregio, ggd, …)


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
    """Any region as the same two sets, PC4 areas and gemeenten (with inwoners per PC4): what
    makes an SWV comparable with a jeugdregio, a provincie or a wijkteam's area."""

    key: NodeKey
    name: str | None
    soort: str
    pc4: set[str] = field(default_factory=set)
    gemeenten: set[str] = field(default_factory=set)
    inwoners: dict[str, int] = field(default_factory=dict)  # per PC4, where CBS gives it
    label: str = ""  # its name with its code (graph.queries.names)
    gemeente_namen: dict[str, str] = field(default_factory=dict)  # code → name with code


@with_config(ALWAYS_SENT)
@dataclass
class Overlap:
    """How two regions cover each other, in PC4 areas, gemeenten and inwoners: the measure of
    every mismatch between the maps; the API's answer is this type itself."""

    a: Annotated[str, Field(examples=["Swv:PO2704"])]
    b: Annotated[str, Field(examples=["Regio:JZ11"])]
    shared_pc4: list[str]
    shared_gemeenten: Annotated[list[str], Field(examples=[["GM0377", "GM0392", "GM0397", "GM0473"]])]
    pc4_a: int
    pc4_b: int
    gemeenten_a: int
    gemeenten_b: int
    jaccard_pc4: Annotated[float, Field(examples=[0.8919])]
    jaccard_gemeenten: float
    inwoners_shared: int | None
    share_of_a_inwoners: Annotated[
        float | None, Field(description="share of A's inwoners living in the overlap")
    ]
    share_of_b_inwoners: float | None
    # what to call them: names with codes beside
    a_naam: Annotated[
        str,
        Field(
            description="A's name with its code",
            examples=["Samenwerkingsverband Zuid-Kennemerland (PO 27-04)"],
        ),
    ] = ""
    b_naam: Annotated[str, Field(examples=["Jeugdregio Zuid-Kennemerland (JZ11)"])] = ""
    shared_gemeenten_naam: Annotated[
        list[str], Field(examples=[["Bloemendaal (GM0377)", "Haarlem (GM0392)"]])
    ] = field(default_factory=list)


@dataclass
class OverlapPage(Page[Overlap]):
    """A page of the regions of a type that overlap one, most shared first: ``/overlap/{region}``."""

    items: list[Overlap]
    size: Annotated[int, Field(examples=[50])]


def _steps(kind: str, soort: str | None) -> tuple[Step, ...]:
    """What to fetch for a region of this kind: its PC4 areas and gemeenten, and, when
    ``soort`` is given, the regions of that type those could share (the candidates)."""
    at_pc4: tuple[Step, ...] = (out("IN_WERKGEBIED", "Swv"),) if soort == "swv" else ()
    at_gm: tuple[Step, ...] = ()
    if soort == "provincie":
        at_gm = (out("LIGT_IN", "Provincie"),)
    elif soort == "wijkteam":
        at_gm = (into("WERKT_VOOR", "Wijkteam"),)
    elif soort not in (None, "swv", "gemeente"):
        at_gm = (out("HOORT_BIJ", "Regio"),)
    # looking for candidates, a PC4 on a border also brings the other gemeente it lies in:
    # regions of that one may share the PC4
    border = (out("LIGT_IN", "Gemeente", *at_gm),) if soort else ()
    gm_pc4 = into("LIGT_IN", "PC4", *border, *at_pc4)
    if kind == "Swv":
        return (into("IN_WERKGEBIED", "PC4", out("LIGT_IN", "Gemeente", *at_gm), *at_pc4),)
    if kind == "Gemeente":
        return (gm_pc4, *at_gm)
    if kind == "Regio":
        return (into("HOORT_BIJ", "Gemeente", gm_pc4, *at_gm),)
    if kind == "Provincie":
        return (into("LIGT_IN", "Gemeente", gm_pc4, *at_gm),)
    pc4 = (out("LIGT_IN", "Gemeente", *at_gm), *at_pc4)
    return (  # a wijkteam serves PC4 areas, whole postcodes (PC6), CBS wijken or whole gemeenten
        out("BEDIENT", "PC4", *pc4),
        out("BEDIENT", "PC6", Lookup("PC4", "id", 4, pc4)),
        out("BEDIENT", "Wijk", into("LIGT_IN", "PC4", *pc4)),
        out("BEDIENT", "Gemeente", gm_pc4, *at_gm),
    )


def _fetch(store: GraphStore, key: NodeKey, soort: str | None = None) -> tuple[Region, Neighbourhood]:
    """A region and its neighbourhood, in one read of the store."""
    if key.kind not in ("Swv", "Gemeente", "Regio", "Provincie", "Wijkteam"):
        raise QuestionError("regio", f"{key.kind} is geen regio")
    near = store.neighbourhood([Seed(key, _steps(key.kind, soort))])
    node = near.node(key)
    if node is None:
        raise QuestionError("regio", f"regio {key.id} is niet bekend in de kaart", 404)
    name = node.props.get("naam")
    r = Region(key, str(name) if name else None, str(node.props.get("soort") or key.kind.lower()))

    def pc4_of(gm: NodeKey) -> set[str]:
        return {e.src.id for e in near.into(gm, "LIGT_IN", "PC4")}

    def gemeenten_of(pcs: set[str]) -> set[str]:
        return {e.dst.id for pc in pcs for e in near.out(NodeKey("PC4", pc), "LIGT_IN", "Gemeente")}

    if key.kind == "Swv":
        r.pc4 = {e.src.id for e in near.into(key, "IN_WERKGEBIED", "PC4")}
        r.gemeenten = gemeenten_of(r.pc4)
    elif key.kind == "Gemeente":
        r.gemeenten, r.pc4 = {key.id}, pc4_of(key)
    elif key.kind in ("Regio", "Provincie"):
        rel = "HOORT_BIJ" if key.kind == "Regio" else "LIGT_IN"
        # a gemeente only partly in the region (through a gemeente it absorbed) is left out:
        # all of its PC4 areas would overstate the region
        r.gemeenten = {e.src.id for e in near.into(key, rel, "Gemeente") if not e.props.get("deels")}
        r.pc4 = {pc for gm in r.gemeenten for pc in pc4_of(NodeKey("Gemeente", gm))}
    else:
        for e in near.out(key, "BEDIENT"):
            if e.dst.kind in ("PC4", "PC6"):
                r.pc4.add(e.dst.id[:4])
            elif e.dst.kind == "Wijk":
                r.pc4 |= {x.src.id for x in near.into(e.dst, "LIGT_IN", "PC4")}
            elif e.dst.kind == "Gemeente":
                r.pc4 |= pc4_of(e.dst)
        r.gemeenten = gemeenten_of(r.pc4)
    r.inwoners = {pc: v for pc in r.pc4 if isinstance(v := _prop(near, NodeKey("PC4", pc), "inwoners"), int)}
    r.label = label(node)
    r.gemeente_namen = {g: label(near.node(k), k) for g in r.gemeenten for k in [NodeKey("Gemeente", g)]}
    return r, near


def _prop(near: Neighbourhood, key: NodeKey, name: str) -> object:
    node = near.node(key)
    return None if node is None else node.props.get(name)


def region(store: GraphStore, key: NodeKey) -> Region:
    """A region as a set of PC4 areas and a set of gemeenten (with inwoners per PC4)."""
    store = as_of(store)
    return _fetch(store, key)[0]


def _jaccard(a: set[str], b: set[str]) -> float:
    return round(len(a & b) / len(a | b), 4) if a | b else 0.0


def overlap(store: GraphStore, a_text: str, b_text: str) -> Overlap:
    """How two regions (any two of SWV, gemeente, jeugdregio, RMC, GGD, provincie, wijkteam)
    cover each other, in PC4 areas and in addresses: the question behind every mismatch.

    Parameters
    ----------
    store : GraphStore
        The kaart (either backend).
    a_text, b_text : str
        The regions' codes: PO2704, GM0392, JZ11, PV27 or ``wijkteam:<id>``.

    Returns
    -------
    Overlap
        The shared and separate PC4 areas, the share of each region in the other, and the
        gemeenten the two have in common.

    Raises
    ------
    QuestionError
        A malformed code (422) or a region the kaart does not know (404).

    Examples
    --------
    >>> from graph.queries.example import tiny_kaart
    >>> o = overlap(tiny_kaart(), "PO9901", "JZ99")
    >>> o.a_naam, o.shared_pc4, o.jaccard_pc4
    ('Samenwerkingsverband Voorbeeld (PO 99-01)', ['9991', '9992'], 1.0)
    """
    store = as_of(store)
    try:
        a, b = region(store, region_key(a_text)), region(store, region_key(b_text))
    except ids.IdentifierError as exc:
        raise QuestionError(
            "regio", f"{exc}; geef een code zoals PO2704, GM0392, JZ11, PV27 of wijkteam:<id>"
        ) from None
    return _compare(a, b)


def _compare(a: Region, b: Region) -> Overlap:
    shared = a.pc4 & b.pc4
    inwoners = {**a.inwoners, **b.inwoners}

    def total(pcs: set[str]) -> int | None:
        values = [inwoners[p] for p in pcs if p in inwoners]
        return sum(values) if values else None

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
        a.label,
        b.label,
        [a.gemeente_namen.get(g) or b.gemeente_namen.get(g) or g for g in sorted(a.gemeenten & b.gemeenten)],
    )


def _candidates(x: Region, near: Neighbourhood, soort: str) -> set[NodeKey]:
    """Regions of type ``soort`` that may share something with X, read from X's
    neighbourhood fetched with ``soort`` (see :func:`_steps`)."""
    gemeenten = {NodeKey("Gemeente", g) for g in x.gemeenten} | {
        e.dst for pc in x.pc4 for e in near.out(NodeKey("PC4", pc), "LIGT_IN", "Gemeente")
    }
    found: set[NodeKey] = set()
    if soort == "swv":
        found = {e.dst for pc in x.pc4 for e in near.out(NodeKey("PC4", pc), "IN_WERKGEBIED", "Swv")}
    elif soort == "gemeente":
        found = gemeenten
    elif soort == "provincie":
        found = {e.dst for gm in gemeenten for e in near.out(gm, "LIGT_IN", "Provincie")}
    elif soort == "wijkteam":
        found = {e.src for gm in gemeenten for e in near.into(gm, "WERKT_VOOR", "Wijkteam")}
    else:
        found = {
            e.dst
            for gm in gemeenten
            for e in near.out(gm, "HOORT_BIJ", "Regio")
            if _prop(near, e.dst, "soort") == soort
        }
    return found - {x.key}


#: What a region can be compared with: the kinds of area and every regio soort.
REGION_TYPES = ("swv", "gemeente", "provincie", "wijkteam", *REGIO_MEERVOUD)


def overlapping(
    store: GraphStore, x_text: str, soort: str, cache: dict[NodeKey, Region] | None = None
) -> list[Overlap]:
    """Every region of type ``soort`` that shares PC4 areas or gemeenten with X, most shared
    PC4 areas first. ``cache`` keeps regions between calls (for an all-pairs run): one read
    of the store for X and one for each candidate not yet seen."""
    store = as_of(store)
    if soort not in REGION_TYPES:
        raise QuestionError("type", f"onbekend type {soort!r}; bekend zijn: {', '.join(REGION_TYPES)}")
    try:
        x, near = _fetch(store, region_key(x_text), soort)
    except ids.IdentifierError as exc:
        raise QuestionError("regio", str(exc)) from None
    cache = {} if cache is None else cache
    results = []
    for c in sorted(_candidates(x, near, soort)):
        if c not in cache:
            cache[c] = region(store, c)
        found = _compare(x, cache[c])
        if found.shared_pc4 or found.shared_gemeenten:
            results.append(found)
    return sorted(results, key=lambda r: (-len(r.shared_pc4), -len(r.shared_gemeenten), r.b))


def overlaps_between(store: GraphStore, kind: str, soort: str) -> list[Overlap]:
    """Every overlapping pair of a region of ``kind`` (``Swv``, ``Gemeente``, ``Regio``,
    ``Provincie``) and one of type ``soort``: the national matrix, each region read once."""
    store = as_of(store)
    cache: dict[NodeKey, Region] = {}
    pairs = []
    for node in store.nodes(kind):
        code = node.id if kind != "Wijkteam" else f"wijkteam:{node.id}"
        pairs += overlapping(store, code, soort, cache)
    return pairs
