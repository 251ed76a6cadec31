"""The national picture of mismatch: every SWV joined to the jeugdregio's its region lies in,
the line as thick as the postcode areas they share. SWVs in more than one jeugdregio stand
out in their own colour.

The report (:func:`graph.queries.mismatch.mismatch`) says which jeugdregio's each SWV spans;
the picture adds how much of the SWV lies in each, from the same whole-relation scans (a few
queries, whatever the number of SWVs), so ~150 SWVs and 42 jeugdregio's draw in one go.
"""

from __future__ import annotations

from collections import defaultdict

from graph.dated import as_of
from graph.props import whole
from graph.queries.mismatch import Report, SwvRow, current_report, gemeenten_per_pc4
from graph.queries.names import label, naam_of
from graph.records import NodeKey
from graph.store import GraphStore
from viz.model import Network, NetworkBuilder
from viz.reads import records, width
from viz.styles import node_label


def mismatch_network(store: GraphStore) -> Network:
    store = as_of(store)
    report = current_report(store)
    shared, inwoners = _shared_pc4(store)
    swvs = records(store, "Swv", (r.swv for r in report.swvs))
    regions = records(store, "Regio", {j for r in report.swvs for j in r.jeugdregios})
    b = NetworkBuilder("Samenwerkingsverbanden en jeugdregio's: waar de kaarten niet samenvallen")
    for region_id, region in sorted(regions.items()):
        b.node(
            f"Regio:{region_id}",
            node_label("Regio", region_id, naam_of(region)),
            "jeugdregio",
            label(region, NodeKey("Regio", region_id)),
        )
    largest = max(shared.values(), default=0)
    for row in report.swvs:
        several = len(row.jeugdregios) > 1
        ref = f"Swv:{row.swv}"
        b.node(
            ref,
            node_label("Swv", row.swv, naam_of(swvs.get(row.swv)), 28),
            "swv_meerdere" if several else "swv",
            _swv_title(row),
        )
        for region_id in row.jeugdregios:
            n = shared.get((row.swv, region_id), 0)
            people = inwoners.get((row.swv, region_id))
            regio = label(regions.get(region_id), NodeKey("Regio", region_id))
            text = f"{row.naam or row.swv} en {regio}: {n} gedeelde postcodegebieden (PC4)"
            if people:
                text += f", {people:,} inwoners".replace(",", ".")
            b.edge(ref, f"Regio:{region_id}", "", text, width(n, largest))
    b.notes.append(_summary(report))
    return b.build()


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
    people = {
        n.id: count for n in store.nodes("PC4") if (count := whole(n.props, "inwoners")) is not None
    }
    counts = {k: len(v) for k, v in pairs.items()}
    inwoners = {k: sum(people.get(p, 0) for p in v) for k, v in pairs.items()}
    return counts, inwoners


def _swv_title(row: SwvRow) -> str:
    lines = [
        row.naam or row.swv,
        f"Jeugdregio's: {', '.join(row.jeugdregios_naam or row.jeugdregios) or 'geen bekend'}",
        f"Gemeenten: {row.gemeenten}; schoolbesturen: {row.besturen}; scholen: {row.scholen}",
        f"Wijkteams: {row.wijkteams}; gecontracteerde zorgaanbieders: {row.zorgaanbieders}",
    ]
    if row.leerlingen_max:
        lines.append(
            f"Leerlingen die buiten het SWV wonen: {row.buiten_swv_min}–{row.buiten_swv_max} "
            f"van {row.leerlingen_min}–{row.leerlingen_max} (DUO telt kleine aantallen als <5)"
        )
    return "\n".join(lines)


def _summary(report: Report) -> str:
    several = len(report.swvs_in_several_jeugdregios)
    return (
        f"{len(report.swvs)} samenwerkingsverbanden; {several} liggen in meer dan één jeugdregio "
        f"(eigen kleur). De dikte van een lijn volgt het aantal gedeelde postcodegebieden (PC4)."
    )
