"""The picture of two overlapping regions: both regions, the gemeenten they share in the
middle, and on each side the gemeenten only one of them holds.

The numbers come from :func:`graph.queries.overlap.overlap` (shared PC4, Jaccard, share of
inwoners), the sets from :func:`graph.queries.overlap.region`, both gathered by
:func:`graph.queries.pictures.overlap_picture`, so the picture and the overlap endpoint
cannot disagree.
"""

from __future__ import annotations

from graph.queries.overlap import Overlap, Region
from graph.queries.pictures import OverlapPicture, naam_in
from viz.model import Network, NetworkBuilder
from viz.styles import KIND_NAME, group_of, node_label, width


def overlap_network(picture: OverlapPicture) -> Network:
    """Draw two regions and their gemeenten (:func:`graph.queries.pictures.overlap_picture`):
    what is shared sits between them, so the overlap is seen before it is read."""
    ra, rb = picture.a, picture.b
    net = NetworkBuilder(f"Overlap van {_short_name(ra)} en {_short_name(rb)}")
    ref_a, ref_b = _region_node(net, ra, "A"), _region_node(net, rb, "B")
    counts = picture.pc4_per_gemeente
    largest = max((len(v) for v in counts.values()), default=0)
    for gm in sorted(ra.gemeenten | rb.gemeenten):
        shared = gm in ra.gemeenten and gm in rb.gemeenten
        gm_name = naam_in(picture.gemeenten, gm) or gm
        where = "in beide regio's" if shared else f"alleen in {_short_name(ra if gm in ra.gemeenten else rb)}"
        ref = f"Gemeente:{gm}"
        net.node(
            ref,
            node_label("Gemeente", gm, naam_in(picture.gemeenten, gm)),
            "gemeente_gedeeld" if shared else "gemeente",
            f"Gemeente {gm_name} ({gm}): {where}",
        )
        for r, r_ref in ((ra, ref_a), (rb, ref_b)):
            if gm in r.gemeenten and r_ref != ref:  # a gemeente compared with itself: no loop
                inside = len(counts.get(gm, set()) & r.pc4)
                net.edge(
                    ref,
                    r_ref,
                    f"{inside} PC4" if inside else "",
                    f"{inside} postcodegebieden (PC4) van {gm_name} liggen in {_short_name(r)}",
                    width(inside, largest),
                )
    net.notes.append(_summary(picture.overlap, ra, rb))
    return net.build()


def _short_name(r: Region) -> str:
    return f"{r.name} ({r.key.id})" if r.name else r.key.id


def _region_node(net: NetworkBuilder, r: Region, side: str) -> str:
    ref = str(r.key)
    soort = r.soort if r.key.kind == "Regio" else None
    kind_name = r.soort if r.key.kind == "Regio" else KIND_NAME.get(r.key.kind, r.key.kind)
    net.node(
        ref,
        f"{side}: {node_label(r.key.kind, r.key.id, r.name)}",
        group_of(r.key.kind, soort),
        f"Regio {side}: {kind_name} {_short_name(r)}\n"
        f"{len(r.pc4)} postcodegebieden (PC4), {len(r.gemeenten)} gemeenten",
    )
    return ref


def _pct(value: float | None) -> str:
    return "onbekend" if value is None else f"{value * 100:.0f}%"


def _summary(result: Overlap, ra: Region, rb: Region) -> str:
    return (
        f"Gedeeld: {len(result.shared_gemeenten)} gemeenten en {len(result.shared_pc4)} postcodegebieden "
        f"(PC4). Jaccard-index PC4 {result.jaccard_pc4:.2f}, gemeenten {result.jaccard_gemeenten:.2f}. "
        f"Aandeel inwoners in de overlap: {_pct(result.share_of_a_inwoners)} van {_short_name(ra)}, "
        f"{_pct(result.share_of_b_inwoners)} van {_short_name(rb)}."
    )
