"""What the national and overlap network pictures need beyond the answers they show.

A picture draws an answer (an overlap, the mismatch report) and adds how much lies where
(the PC4 areas of each gemeente, of each SWV in each jeugdregio) and what to call every node.
Those are reads of the graph, so they are made here and handed to :mod:`viz` as plain values:
the pictures never read the store, and the reads go by batches of ids, so that a picture
costs few round trips on Neo4j.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph import ids
from graph.dated import as_of
from graph.props import whole
from graph.queries.errors import QuestionError
from graph.queries.mismatch import Report, current_report, gemeenten_per_pc4
from graph.queries.names import label, naam_of
from graph.queries.overlap import Overlap, Region, overlap, region, region_key
from graph.records import NodeKey
from graph.store import GraphStore


@dataclass(frozen=True)
class Genoemd:
    """A stored party as a picture names it: a node's label shows its own name beside the
    code, its tooltip the name with the code (:func:`graph.queries.names.label`)."""

    id: str
    naam: str | None  # its own name; None when no source names it
    label: str  # its name with its code


def named(store: GraphStore, kind: str, ids: Iterable[str]) -> dict[str, Genoemd]:
    """The stored nodes of ``kind`` among ``ids``, named, by id; ids not stored are left out.

    One read for all of them, because a picture names hundreds of nodes.

    Parameters
    ----------
    store:
        the store (or a dated view of it) to read
    kind:
        the node kind (``Gemeente``, ``Regio`` …)
    ids:
        the ids wanted, in any order, repeated or not

    Returns
    -------
    dict[str, Genoemd]
        by id, in the order of the ids
    """
    wanted = sorted(set(ids))
    return {n.id: Genoemd(n.id, naam_of(n), label(n)) for n in store.nodes(kind, wanted)} if wanted else {}


def naam_in(found: Mapping[str, Genoemd], ident: str | None) -> str | None:
    """The own name of ``ident`` among ``found``; None when it is not stored or has none,
    so that a node's label falls back to its code as :func:`graph.queries.names.label_of` does."""
    party = found.get(ident or "")
    return party.naam if party is not None else None


def label_in(found: Mapping[str, Genoemd], kind: str, ident: str) -> str:
    """What to call ``ident`` of ``kind``: its label when stored, else its code in words, so
    that a party missing from the store is still named, never shown as a bare code."""
    party = found.get(ident)
    return party.label if party is not None else label(None, NodeKey(kind, ident))


def pc4_gemeenten(store: GraphStore, pc4: str) -> set[str]:
    """The gemeente(s) a PC4 area lies in: a region's share of a gemeente is counted in PC4
    areas, and one area can lie in two gemeenten."""
    return {e.dst.id for e in store.edges(rel="LIGT_IN", src=NodeKey("PC4", pc4)) if e.dst.kind == "Gemeente"}


def pc4_per_gemeente(store: GraphStore, pc4: Iterable[str]) -> dict[str, set[str]]:
    """The PC4 areas among ``pc4`` per gemeente they lie in: how much of a region lies in
    each of its gemeenten."""
    found: dict[str, set[str]] = {}
    for pc in pc4:
        for gm in pc4_gemeenten(store, pc):
            found.setdefault(gm, set()).add(pc)
    return found


# --- two overlapping regions -----------------------------------------------------------------


@dataclass
class OverlapPicture:
    """Two regions, their overlap, and per gemeente the PC4 areas of either region in it:
    the picture shows how much of each gemeente a region holds, which the overlap alone
    does not say."""

    overlap: Overlap
    a: Region
    b: Region
    gemeenten: dict[str, Genoemd]  # the stored gemeenten of either region
    pc4_per_gemeente: dict[str, set[str]]  # gemeente → the PC4 areas of either region in it


def overlap_picture(store: GraphStore, a: str, b: str) -> OverlapPicture:
    """What the picture of two overlapping regions draws, from the same queries as the
    overlap endpoint (:func:`graph.queries.overlap.overlap`), so the two cannot disagree.

    Parameters
    ----------
    store:
        the store; read as of the dated view's day, or today
    a, b:
        region codes as for the overlap endpoint: ``PO2704``, ``GM0392``, ``JZ11``, ``PV27``,
        ``wijkteam:<id>``

    Returns
    -------
    OverlapPicture
        the overlap, both regions, their gemeenten named and the PC4 areas in each

    Raises
    ------
    QuestionError
        404 for an unknown region, 422 for a malformed code (with the endpoint's messages)
    """
    store = as_of(store)
    result = overlap(store, a, b)  # validates both codes, with the overlap endpoint's messages
    try:
        ra, rb = region(store, region_key(a)), region(store, region_key(b))
    except ids.IdentifierError as exc:  # pragma: no cover - overlap() has refused these already
        raise QuestionError("regio", str(exc)) from None
    return OverlapPicture(
        overlap=result,
        a=ra,
        b=rb,
        gemeenten=named(store, "Gemeente", ra.gemeenten | rb.gemeenten),
        pc4_per_gemeente=pc4_per_gemeente(store, ra.pc4 | rb.pc4),
    )


# --- the national picture of mismatch ------------------------------------------------------


@dataclass
class MismatchPicture:
    """The mismatch report with how much of each SWV lies in each of its jeugdregio's: the
    report says that an SWV spans two jeugdregio's, the picture shows whether barely or half."""

    report: Report
    swvs: dict[str, Genoemd]  # the report's SWVs that are stored
    jeugdregios: dict[str, Genoemd]  # the stored jeugdregio's the report's SWVs lie in
    gedeeld_pc4: dict[tuple[str, str], int]  # (SWV, jeugdregio) → PC4 areas of the SWV in it
    inwoners: dict[tuple[str, str], int]  # (SWV, jeugdregio) → inwoners of those PC4 areas


def mismatch_picture(store: GraphStore) -> MismatchPicture:
    """What the national picture of SWVs and jeugdregio's draws: the report says which
    jeugdregio's each SWV spans, this adds how much of the SWV lies in each, from the same
    whole-relation scans (a few reads, whatever the number of SWVs).

    Parameters
    ----------
    store:
        the store; read as of the dated view's day, or today

    Returns
    -------
    MismatchPicture
        the report (kept until the data changes), the parties named, the shares per pair
    """
    store = as_of(store)
    report = current_report(store)
    shared, inwoners = _shared_pc4(store)
    return MismatchPicture(
        report=report,
        swvs=named(store, "Swv", (r.swv for r in report.swvs)),
        jeugdregios=named(store, "Regio", {j for r in report.swvs for j in r.jeugdregios}),
        gedeeld_pc4=shared,
        inwoners=inwoners,
    )


def _shared_pc4(store: GraphStore) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """Per (SWV, jeugdregio): the PC4 areas of the SWV lying in a gemeente of the jeugdregio,
    and their inwoners where CBS gives them. Gemeenten only partly in a region (``deels``) are
    left out, as the report does."""
    pc4_gm = gemeenten_per_pc4(store)
    gm_jz: dict[str, set[str]] = defaultdict(set)
    for e in store.edges(rel="HOORT_BIJ"):
        if e.dst.id.startswith("JZ") and not e.props.get("deels"):
            gm_jz[e.src.id].add(e.dst.id)
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in store.edges(rel="IN_WERKGEBIED"):
        if e.src.kind == "PC4":
            for gm in pc4_gm.get(e.src.id, ()):
                for jz in gm_jz.get(gm, ()):
                    pairs[(e.dst.id, jz)].add(e.src.id)
    people = {n.id: count for n in store.nodes("PC4") if (count := whole(n.props, "inwoners")) is not None}
    counts = {k: len(v) for k, v in pairs.items()}
    inwoners = {k: sum(people.get(p, 0) for p in v) for k, v in pairs.items()}
    return counts, inwoners
