"""The picture of one SWV's neighbourhood: its gemeenten and their jeugdregio's, wijkteams
and contracted providers, and its schoolbesturen and schools — everyone an SWV deals with.

An SWV of 450 schools cannot be read as 450 dots, so large parts are capped: the first ones
are drawn, the rest become one grouped node ("+ 312 scholen") and the note says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from graph import ids
from graph.dated import as_of, day_of
from graph.props import text
from graph.queries.domain import SECTOR, valid_on
from graph.queries.errors import QuestionError
from graph.queries.names import label, naam_of
from graph.records import NodeKey, NodeRecord
from graph.store import GraphStore
from viz.model import Network, NetworkBuilder
from viz.reads import pc4_gemeenten, records, regions_of, width
from viz.styles import node_label

#: Most nodes of a part drawn one by one; above this the rest is grouped. Chosen so that an
#: SWV of the largest kind (450 schools, 39 besturen) stays readable and quick to lay out.
CAPS = {"scholen": 150, "besturen": 60, "wijkteams": 60, "zorgaanbieders": 80}


def swv_network(
    store: GraphStore, swv_id: str, on: date | None = None, caps: Mapping[str, int] | None = None
) -> Network:
    """Draw the SWV ``swv_id`` (``PO2704`` or ``PO 27-04``) with its partners; contracts count
    when valid on ``on`` (default today); ``caps`` overrides :data:`CAPS`. Raises QuestionError
    (404 unknown, 422 malformed)."""
    store = as_of(store, on)
    limits = {**CAPS, **(caps or {})}
    try:
        code = ids.swv_code(swv_id)
    except ids.IdentifierError as exc:
        raise QuestionError("regio", f"{exc}; give an SWV code such as PO2704") from None
    key = NodeKey("Swv", code)
    swv = store.node(key)
    if swv is None:
        raise QuestionError("regio", f"no samenwerkingsverband {code} is known", 404)
    day = day_of(store, on)
    me = str(key)
    b = NetworkBuilder(f"{label(swv)} en zijn partners")
    b.node(me, node_label("Swv", code, naam_of(swv)), "swv", _swv_title(swv))

    pc4 = {e.src.id for e in store.edges(rel="IN_WERKGEBIED", dst=key) if e.src.kind == "PC4"}
    per_gemeente: dict[str, set[str]] = defaultdict(set)
    for pc in pc4:
        for gm in pc4_gemeenten(store, pc):
            per_gemeente[gm].add(pc)
    restricted = {
        e.src.id: str(e.props.get("postcode_restrictie") or "")
        for e in store.edges(rel="IN_WERKGEBIED", dst=key)
        if e.src.kind == "Gemeente"
    }
    gemeenten = records(store, "Gemeente", set(per_gemeente) | set(restricted))
    _draw_gemeenten(b, me, code, gemeenten, per_gemeente, restricted, len(pc4))
    buyers = _draw_regions(b, store, gemeenten)
    _draw_wijkteams(b, store, me, gemeenten, limits)
    _draw_providers(b, store, me, [f"Gemeente:{g}" for g in gemeenten] + buyers, day, limits)
    _draw_schools(b, store, me, code, pc4, limits)
    if not pc4 and not restricted:
        b.notes.append(f"Voor {code} kent de kaart geen werkgebied (postcodes of gemeenten).")
    return b.build()


def _swv_title(swv: NodeRecord) -> str:
    lines = [label(swv)]
    if swv.props.get("sector"):
        lines.append(f"Sector: {swv.props['sector']}")
    lines.append(f"Bron: {swv.props.get('source', '?')}, {swv.props.get('source_date', '?')}")
    return "\n".join(lines)


def _draw_gemeenten(
    b: NetworkBuilder,
    me: str,
    code: str,
    gemeenten: dict[str, NodeRecord],
    per_gemeente: dict[str, set[str]],
    restricted: dict[str, str],
    total_pc4: int,
) -> None:
    largest = max((len(v) for v in per_gemeente.values()), default=0)
    for gm in sorted(set(per_gemeente) | set(restricted)):
        record = gemeenten.get(gm)
        b.node(
            f"Gemeente:{gm}",
            node_label("Gemeente", gm, naam_of(record)),
            "gemeente",
            f"Gemeente {naam_of(record) or gm} ({gm})",
        )
        shared = len(per_gemeente.get(gm, ()))
        lines = []
        if shared:
            lines.append(
                f"{shared} postcodegebieden (PC4) van {naam_of(record) or gm} liggen in het werkgebied "
                f"van het samenwerkingsverband (van de {total_pc4} van het SWV)"
            )
        if gm in restricted:
            rule = f": {restricted[gm]}" if restricted[gm] else ""
            lines.append(f"Regeling SWV-indeling noemt de gemeente{rule}")
        label = f"{shared} PC4" if shared else "gemeente"
        b.edge(f"Gemeente:{gm}", me, label, "\n".join(lines), width(shared, largest))


def _draw_regions(b: NetworkBuilder, store: GraphStore, gemeenten: dict[str, NodeRecord]) -> list[str]:
    """Jeugdregio's of the gemeenten; returns their node ids (they buy care too)."""
    links = {gm: regions_of(store, gm) for gm in gemeenten}
    regions = records(store, "Regio", {r for found in links.values() for r, _ in found})
    drawn: list[str] = []
    for gm, found in sorted(links.items()):
        for region_id, partly in found:
            region = regions.get(region_id)
            if region is None or region.props.get("soort") != "jeugdregio":
                continue
            ref = f"Regio:{region_id}"
            if not b.has(ref):
                b.node(
                    ref,
                    node_label("Regio", region_id, naam_of(region)),
                    "jeugdregio",
                    label(region),
                )
                drawn.append(ref)
            title = f"{naam_of(gemeenten[gm]) or gm} hoort bij {label(region)}"
            if partly:
                title += " (alleen het deel van een later opgeheven gemeente)"
            b.edge(f"Gemeente:{gm}", ref, "deels" if partly else "jeugdregio", title)
    return drawn


def _draw_wijkteams(
    b: NetworkBuilder, store: GraphStore, me: str, gemeenten: dict[str, NodeRecord], caps: Mapping[str, int]
) -> None:
    links = [
        (e.src.id, gm)
        for gm in sorted(gemeenten)
        for e in store.edges(rel="WERKT_VOOR", dst=NodeKey("Gemeente", gm))
    ]
    teams = records(store, "Wijkteam", {t for t, _ in links})
    shown = sorted(teams)[: caps["wijkteams"]]
    for team_id in shown:
        team = teams[team_id]
        b.node(
            f"Wijkteam:{team_id}",
            node_label("Wijkteam", team_id, naam_of(team)),
            "wijkteam",
            f"{team.props.get('soort', 'wijkteam')} {naam_of(team) or team_id}",
        )
    for team_id, gm in links:
        if team_id in shown:
            b.edge(
                f"Wijkteam:{team_id}",
                f"Gemeente:{gm}",
                "werkt voor",
                "Toegang tot jeugdhulp voor (een deel van) de gemeente",
            )
    _grouped(b, "wijkteams", len(teams) - len(shown), me, caps)


def _draw_providers(
    b: NetworkBuilder, store: GraphStore, me: str, buyers: list[str], day: date, caps: Mapping[str, int]
) -> None:
    """Providers contracted by the gemeenten or their jeugdregio's on ``day``."""
    links: dict[str, dict[str, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )  # provider→buyer→contracts
    for buyer in buyers:
        kind, _, ident = buyer.partition(":")
        for c in store.edges(rel="OPDRACHTGEVER_VAN", src=NodeKey(kind, ident)):
            contract = store.node(c.dst)
            if contract is None or not valid_on(contract.props, day):
                continue
            for p in store.edges(rel="GECONTRACTEERD", src=c.dst):
                links[p.dst.id][buyer].append(c.dst.id)
    providers = records(store, "Zorgaanbieder", links)
    shown = sorted(providers)[: caps["zorgaanbieders"]]
    for pid in shown:
        provider = providers[pid]
        b.node(
            f"Zorgaanbieder:{pid}",
            node_label("Zorgaanbieder", pid, naam_of(provider)),
            "zorgaanbieder",
            f"Zorgaanbieder {naam_of(provider) or pid}",
        )
        for buyer, contracts in sorted(links[pid].items()):
            b.edge(
                buyer,
                f"Zorgaanbieder:{pid}",
                "contract",
                f"Gecontracteerd op {day.isoformat()}: {', '.join(contracts)}",
            )
    _grouped(b, "zorgaanbieders", len(providers) - len(shown), me, caps)


def _draw_schools(
    b: NetworkBuilder, store: GraphStore, me: str, code: str, pc4: set[str], caps: Mapping[str, int]
) -> None:
    """Schools belonging to the SWV (AANGESLOTEN_BIJ) or lying in its region in its sector,
    with their besturen (LID_VAN, or bevoegd gezag of one of the schools)."""
    key = NodeKey("Swv", code)
    swv = label(next(iter(store.nodes("Swv", [code])), None), key)
    joined = {e.src.id for e in store.edges(rel="AANGESLOTEN_BIJ", dst=key)}
    located = {
        e.src.id
        for pc in pc4
        for e in store.edges(rel="LIGT_IN", dst=NodeKey("PC4", pc))
        if e.src.kind == "School"
    }
    schools = records(store, "School", joined | located)
    sector = code[:2]
    mine = {
        s
        for s, r in schools.items()
        if s in joined or SECTOR.get(str(r.props.get("soort") or ""), "PO") == sector
    }
    board_of = {e.dst.id: e.src.id for e in store.edges(rel="BESTUURT") if e.dst.id in mine}
    members = {e.src.id for e in store.edges(rel="LID_VAN", dst=key)}
    boards = records(store, "Schoolbestuur", set(board_of.values()) | members)
    size: dict[str, int] = defaultdict(int)
    for board in board_of.values():
        size[board] += 1
    board_ids = sorted(boards, key=lambda bid: (-size[bid], bid))
    largest = max(size.values(), default=0)
    shown_boards = set(board_ids[: caps["besturen"]])
    for bid in board_ids:
        if bid not in shown_boards:
            continue
        ref = f"Schoolbestuur:{bid}"
        board = label(boards.get(bid), NodeKey("Schoolbestuur", bid))
        b.node(
            ref,
            node_label("Schoolbestuur", bid, naam_of(boards[bid])),
            "schoolbestuur",
            f"{board}: {size[bid]} scholen in het werkgebied",
        )
        if bid in members:
            b.edge(ref, me, "lid", f"{board} is lid van {swv}", 2)
        else:
            b.edge(
                ref,
                me,
                "",
                f"Bevoegd gezag van {size[bid]} scholen van {swv}",
                width(size[bid], largest, 1, 6),
            )
    _grouped(b, "besturen", len(boards) - len(shown_boards), me, caps)
    rank = {bid: i for i, bid in enumerate(board_ids)}
    ordered = sorted(mine, key=lambda s: (rank.get(board_of.get(s, ""), len(rank)), s))
    shown = ordered[: caps["scholen"]]
    for sid in shown:
        record = schools[sid]
        ref = f"School:{sid}"
        soort = text(record.props, "soort") or "?"
        place = text(record.props, "plaats") or ""
        board_id = board_of.get(sid)
        school = label(record, NodeKey("School", sid))
        b.node(
            ref,
            node_label("School", sid, naam_of(record)),
            "school",
            f"{school}, {soort}, {place}".rstrip(", "),
            # folded into its board
            cluster=f"Schoolbestuur:{board_id}" if board_id in shown_boards else None,
        )
        if sid in joined:
            b.edge(ref, me, "aangesloten", f"{school} is aangesloten bij {swv}")
        if board_id in shown_boards:
            bestuur = label(boards.get(board_id or ""), NodeKey("Schoolbestuur", board_id or ""))
            b.edge(ref, f"Schoolbestuur:{board_id}", "", f"Bevoegd gezag: {bestuur}")
        elif sid not in joined:
            b.edge(ref, me, "", f"{school} ligt in het werkgebied van {swv}")
    _grouped(b, "scholen", len(ordered) - len(shown), me, caps)


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
