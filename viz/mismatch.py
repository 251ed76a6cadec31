"""The national picture of mismatch: every SWV joined to the jeugdregio's its region lies in,
the line as thick as the postcode areas they share. SWVs in more than one jeugdregio stand
out in their own colour.

The report (:func:`graph.queries.mismatch.mismatch`) says which jeugdregio's each SWV spans;
:func:`graph.queries.pictures.mismatch_picture` adds how much of the SWV lies in each, from
whole-relation scans, so ~150 SWVs and 42 jeugdregio's draw in one go.
"""

from __future__ import annotations

from graph.queries.mismatch import Report, SwvRow
from graph.queries.pictures import MismatchPicture, label_in, naam_in
from viz.model import Network, NetworkBuilder
from viz.styles import node_label, width


def mismatch_network(picture: MismatchPicture) -> Network:
    """Draw every SWV with its jeugdregio's (:func:`graph.queries.pictures.mismatch_picture`):
    where education and youth care draw different maps is seen at once, nationally."""
    report = picture.report
    shared, inwoners, regions = picture.gedeeld_pc4, picture.inwoners, picture.jeugdregios
    b = NetworkBuilder("Samenwerkingsverbanden en jeugdregio's: waar de kaarten niet samenvallen")
    for region_id, region in sorted(regions.items()):
        b.node(
            f"Regio:{region_id}",
            node_label("Regio", region_id, region.naam),
            "jeugdregio",
            region.label,
        )
    largest = max(shared.values(), default=0)
    for row in report.swvs:
        several = len(row.jeugdregios) > 1
        ref = f"Swv:{row.swv}"
        b.node(
            ref,
            node_label("Swv", row.swv, naam_in(picture.swvs, row.swv), 28),
            "swv_meerdere" if several else "swv",
            _swv_title(row),
        )
        for region_id in row.jeugdregios:
            n = shared.get((row.swv, region_id), 0)
            people = inwoners.get((row.swv, region_id))
            regio = label_in(regions, "Regio", region_id)
            text = f"{row.naam or row.swv} en {regio}: {n} gedeelde postcodegebieden (PC4)"
            if people:
                text += f", {people:,} inwoners".replace(",", ".")
            b.edge(ref, f"Regio:{region_id}", "", text, width(n, largest))
    b.notes.append(_summary(report))
    return b.build()


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
