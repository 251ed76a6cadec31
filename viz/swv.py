"""The picture of one SWV's neighbourhood: its gemeenten and their jeugdregio's, wijkteams
and contracted providers, and its schoolbesturen and schools — everyone an SWV deals with.

What is drawn comes from :func:`graph.queries.partners.swv_partners`; this module only
draws it. An SWV of 450 schools cannot be read as 450 dots, so large parts are capped: the
first ones are drawn, the rest become one grouped node ("+ 312 scholen") and the note says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from graph.queries.partners import School, Schoolbestuur, SwvPartners
from viz.model import Network, NetworkBuilder
from viz.styles import node_label, width

#: Most nodes of a part drawn one by one; above this the rest is grouped. Chosen so that an
#: SWV of the largest kind (450 schools, 39 besturen) stays readable and quick to lay out.
CAPS = {"scholen": 150, "besturen": 60, "wijkteams": 60, "zorgaanbieders": 80}


def swv_network(partners: SwvPartners, caps: Mapping[str, int] | None = None) -> Network:
    """Draw an SWV with its partners (:func:`graph.queries.partners.swv_partners`), so that an
    SWV sees in one picture everyone it deals with; ``caps`` overrides :data:`CAPS`, because
    a picture of every school of a large SWV cannot be read."""
    limits = {**CAPS, **(caps or {})}
    code = partners.code
    me = f"Swv:{code}"
    b = NetworkBuilder(f"{partners.label} en zijn partners")
    b.node(me, node_label("Swv", code, partners.naam), "swv", _swv_title(partners))
    _draw_gemeenten(b, me, partners)
    _draw_regions(b, partners)
    _draw_wijkteams(b, me, partners, limits)
    _draw_providers(b, me, partners, limits)
    _draw_schools(b, me, partners, limits)
    if not partners.pc4 and not any(g.regeling is not None for g in partners.gemeenten):
        b.notes.append(f"Voor {code} kent de kaart geen werkgebied (postcodes of gemeenten).")
    return b.build()


def _swv_title(p: SwvPartners) -> str:
    lines = [p.label]
    if p.sector:
        lines.append(f"Sector: {p.sector}")
    lines.append(f"Bron: {p.bron}, {p.bron_datum}")
    return "\n".join(lines)


def _draw_gemeenten(b: NetworkBuilder, me: str, p: SwvPartners) -> None:
    largest = max((g.pc4 for g in p.gemeenten), default=0)
    for g in p.gemeenten:
        b.node(
            f"Gemeente:{g.id}",
            node_label("Gemeente", g.id, g.naam),
            "gemeente",
            f"Gemeente {g.naam or g.id} ({g.id})",
        )
        lines = []
        if g.pc4:
            lines.append(
                f"{g.pc4} postcodegebieden (PC4) van {g.naam or g.id} liggen in het werkgebied "
                f"van het samenwerkingsverband (van de {p.pc4} van het SWV)"
            )
        if g.regeling is not None:
            rule = f": {g.regeling}" if g.regeling else ""
            lines.append(f"Regeling SWV-indeling noemt de gemeente{rule}")
        label = f"{g.pc4} PC4" if g.pc4 else "gemeente"
        b.edge(f"Gemeente:{g.id}", me, label, "\n".join(lines), width(g.pc4, largest))


def _draw_regions(b: NetworkBuilder, p: SwvPartners) -> None:
    """Jeugdregio's of the gemeenten (they buy care too)."""
    naam = {g.id: g.naam for g in p.gemeenten}
    for link in p.jeugdregios:
        region = link.regio
        ref = f"Regio:{region.id}"
        if not b.has(ref):
            b.node(ref, node_label("Regio", region.id, region.naam), "jeugdregio", region.label)
        title = f"{naam.get(link.gemeente) or link.gemeente} hoort bij {region.label}"
        if link.deels:
            title += " (alleen het deel van een later opgeheven gemeente)"
        b.edge(f"Gemeente:{link.gemeente}", ref, "deels" if link.deels else "jeugdregio", title)


def _draw_wijkteams(b: NetworkBuilder, me: str, p: SwvPartners, caps: Mapping[str, int]) -> None:
    shown = p.wijkteams[: caps["wijkteams"]]
    for team in shown:
        b.node(
            f"Wijkteam:{team.id}",
            node_label("Wijkteam", team.id, team.naam),
            "wijkteam",
            f"{team.soort} {team.naam or team.id}",
        )
    drawn = {team.id for team in shown}
    for team_id, gm in p.wijkteam_gemeenten:
        if team_id in drawn:
            b.edge(
                f"Wijkteam:{team_id}",
                f"Gemeente:{gm}",
                "werkt voor",
                "Toegang tot jeugdhulp voor (een deel van) de gemeente",
            )
    _grouped(b, "wijkteams", len(p.wijkteams) - len(shown), me, caps)


def _draw_providers(b: NetworkBuilder, me: str, p: SwvPartners, caps: Mapping[str, int]) -> None:
    """Providers contracted by the gemeenten or their jeugdregio's on the day."""
    shown = p.zorgaanbieders[: caps["zorgaanbieders"]]
    for provider in shown:
        b.node(
            f"Zorgaanbieder:{provider.id}",
            node_label("Zorgaanbieder", provider.id, provider.naam),
            "zorgaanbieder",
            f"Zorgaanbieder {provider.naam or provider.id}",
        )
        for buyer, contracts in sorted(provider.contracten.items()):
            b.edge(
                buyer,
                f"Zorgaanbieder:{provider.id}",
                "contract",
                f"Gecontracteerd op {p.day.isoformat()}: {', '.join(contracts)}",
            )
    _grouped(b, "zorgaanbieders", len(p.zorgaanbieders) - len(shown), me, caps)


def _draw_schools(b: NetworkBuilder, me: str, p: SwvPartners, caps: Mapping[str, int]) -> None:
    """The SWV's schools with their besturen; the largest boards first, and each school
    folded into its board, so that the default picture stays readable."""
    size: dict[str, int] = defaultdict(int)
    for school in p.scholen:
        if school.bestuur is not None:
            size[school.bestuur] += 1
    boards = sorted(p.besturen, key=lambda board: (-size[board.id], board.id))
    shown_boards = {board.id: board for board in boards[: caps["besturen"]]}
    _draw_boards(b, me, p.label, list(shown_boards.values()), size)
    _grouped(b, "besturen", len(boards) - len(shown_boards), me, caps)
    rank = {board.id: i for i, board in enumerate(boards)}
    ordered = sorted(p.scholen, key=lambda s: (rank.get(s.bestuur or "", len(rank)), s.id))
    shown = ordered[: caps["scholen"]]
    for school in shown:
        _draw_school(b, me, p.label, school, shown_boards.get(school.bestuur or ""))
    _grouped(b, "scholen", len(ordered) - len(shown), me, caps)


def _draw_boards(
    b: NetworkBuilder, me: str, swv: str, boards: list[Schoolbestuur], size: Mapping[str, int]
) -> None:
    largest = max(size.values(), default=0)
    for board in boards:
        ref = f"Schoolbestuur:{board.id}"
        b.node(
            ref,
            node_label("Schoolbestuur", board.id, board.naam),
            "schoolbestuur",
            f"{board.label}: {size[board.id]} scholen in het werkgebied",
        )
        if board.lid:
            b.edge(ref, me, "lid", f"{board.label} is lid van {swv}", 2)
        else:
            b.edge(
                ref,
                me,
                "",
                f"Bevoegd gezag van {size[board.id]} scholen van {swv}",
                width(size[board.id], largest, 1, 6),
            )


def _draw_school(b: NetworkBuilder, me: str, swv: str, school: School, board: Schoolbestuur | None) -> None:
    """A school, folded into its board when the board is drawn."""
    ref = f"School:{school.id}"
    b.node(
        ref,
        node_label("School", school.id, school.naam),
        "school",
        f"{school.label}, {school.soort}, {school.plaats}".rstrip(", "),
        cluster=f"Schoolbestuur:{board.id}" if board is not None else None,
    )
    if school.aangesloten:
        b.edge(ref, me, "aangesloten", f"{school.label} is aangesloten bij {swv}")
    if board is not None:
        b.edge(ref, f"Schoolbestuur:{board.id}", "", f"Bevoegd gezag: {board.label}")
    elif not school.aangesloten:
        b.edge(ref, me, "", f"{school.label} ligt in het werkgebied van {swv}")


def _grouped(b: NetworkBuilder, what: str, rest: int, anchor: str, caps: Mapping[str, int]) -> None:
    """One node for the part that is not drawn, and a note that says how much is left out."""
    if rest <= 0:
        return
    ref = f"groep:{what}"
    b.node(ref, f"+ {rest} {what}", "groep", f"{rest} {what} niet los getekend (meer dan {caps[what]})")
    b.edge(ref, anchor, "", f"{rest} {what} samengevat")
    b.notes.append(
        f"Er zijn meer dan {caps[what]} {what}: {caps[what]} staan los in het plaatje, "
        f"de overige {rest} zijn samengevat in de knoop '+ {rest} {what}'."
    )
