"""Who serves this pupil? School + home postcode + need → every responsible party, each with
the rule behind it, the path in the graph that proves it, and where those facts came from.

The rules are those of ``docs/wie-helpt.md``: the school's board has zorgplicht; extra support comes from
the school's SWV (or, for a pupil not at a regular school, the SWV of the home address);
youth care is paid and given access to by the home gemeente (woonplaatsbeginsel), through
the wijkteam that serves the home address; care is bought by the home gemeente or its
jeugdregio. Nothing of the question is stored or logged: it is answered and forgotten.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any

from graph import ids
from graph.dated import DatedStore, as_of, day_of
from graph.lifecycle import LIFECYCLE_KEYS, ended_on
from graph.neighbourhood import Lookup, Neighbourhood, Seed, into, out
from graph.props import texts
from graph.queries.answer import RULES, Answer, Role, Step, step_of
from graph.queries.cache import CACHE
from graph.queries.contracted import contracted_providers
from graph.queries.domain import POSTCODE_FORM, SECTOR, need_id
from graph.queries.errors import QuestionError
from graph.queries.names import REGIO_WORD, label, name_of
from graph.records import PROVENANCE_KEYS, EdgeRecord, NodeKey, NodeRecord
from graph.store import GraphStore

#: What a contact in an answer leaves out: where it came from is in the path, not the contact.
HIDDEN = frozenset((*PROVENANCE_KEYS, *LIFECYCLE_KEYS))

_CONTACT = out("HEEFT_CONTACT", "Contact")
_TEAM = (out("WERKT_VOOR", "Gemeente"), out("HEEFT_CONTACT", "Contact"))
_PROVIDERS = out(
    "GECONTRACTEERD",
    "Zorgaanbieder",
    out(
        "BIEDT",
        "Aanbod",
        out("VOOR_BEHOEFTE", "Behoefte"),
        out("OP_LOCATIE", "Locatie", Lookup("PC4", "postcode", 4)),
    ),
)
_CONTRACTS = out("OPDRACHTGEVER_VAN", "Contract", out("VOOR_BEHOEFTE", "Behoefte"), _PROVIDERS)
_SWV = out("IN_WERKGEBIED", "Swv", _CONTACT)
_HOME_GEMEENTE = out(
    "LIGT_IN",
    "Gemeente",
    _CONTACT,
    _SWV,  # the 2013 list of gemeenten per SWV, where the 2015 PC4 table is silent
    into("BEDIENT", "Wijkteam", *_TEAM),
    out("HOORT_BIJ", "Regio", _CONTACT, _CONTRACTS),
    _CONTRACTS,
)


def _seeds(school: str, home: str, need: str) -> list[Seed]:
    """Everything a who-serves answer may read, from its three (or four) starting points."""
    seeds = [
        Seed(
            NodeKey("School", school),
            (
                into("BESTUURT", "Schoolbestuur", _CONTACT),
                out("LIGT_IN", "PC4", _SWV),
                out("LIGT_IN", "Gemeente", out("HOORT_BIJ", "Regio"), _SWV),
            ),
        ),
        Seed(
            NodeKey("PC4", home[:4]),
            (
                _SWV,
                into("BEDIENT", "Wijkteam", *_TEAM),
                # a team whose area is given as CBS wijken serves the PC4 areas in them
                out("LIGT_IN", "Wijk", into("BEDIENT", "Wijkteam", *_TEAM)),
                _HOME_GEMEENTE,
            ),
        ),
        Seed(NodeKey("Behoefte", need)),
    ]
    if len(home) == 6:
        team = into("BEDIENT", "Wijkteam", *_TEAM)
        # the wijk also says which gemeente a PC4 on a border belongs to
        buurt = out("LIGT_IN", "Buurt", team, out("LIGT_IN", "Wijk", team, out("LIGT_IN", "Gemeente")))
        seeds.append(Seed(NodeKey("PC6", home), (team, buurt)))
    return seeds


class _Graph:
    """The reads the question needs, over the neighbourhood fetched for it."""

    def __init__(self, near: Neighbourhood) -> None:
        self.near = near
        self.node = near.node
        self.out = near.out
        self.into = near.into

    def regions(self, gemeente: NodeKey, soort: str) -> list[tuple[NodeRecord, bool]]:
        """Regions of a soort the gemeente belongs to, each with whether only in part (through
        a gemeente it absorbed that was in another region); whole memberships first."""
        found = []
        for e in sorted(self.out(gemeente, "HOORT_BIJ", "Regio"), key=lambda e: bool(e.props.get("deels"))):
            region = self.node(e.dst)
            if region is not None and region.props.get("soort") == soort:
                found.append((region, bool(e.props.get("deels"))))
        return found

    def named(self, key: NodeKey) -> str:
        """What to call the node in a message: its name with its code (graph.queries.names)."""
        return label(self.node(key), key)

    def contacts(self, key: NodeKey, rol: str | None = None, but: str | None = None) -> list[dict[str, Any]]:
        """The node's functional contacts; with ``rol`` only those whose function names it,
        with ``but`` only those whose function does not (a gemeente's leerplicht desk is the
        leerplicht role's contact, not the jeugdhulp one's)."""
        found = []
        for e in self.out(key, "HEEFT_CONTACT"):
            c = self.node(e.dst)
            function = str(c.props.get("rol", "")).lower() if c is not None else ""
            if c is None or (rol and rol not in function) or (but and but in function):
                continue
            found.append({k: v for k, v in c.props.items() if k not in HIDDEN})
        return found


def who_serves(
    store: GraphStore,
    school: str,
    postcode: str,
    need: str,
    on: date | None = None,
    enrolled_regular: bool | None = None,
) -> Answer:
    store = as_of(store, on)
    day = day_of(store, on)
    try:
        school_id = ids.school_id(school)
    except ids.IdentifierError as exc:
        raise QuestionError("school", f"{exc}") from None
    try:
        home = ids.postcode(postcode)
    except ids.IdentifierError:
        raise QuestionError("postcode", f"postcode {postcode!r} is not valid: {POSTCODE_FORM}") from None
    need_key = need_id(need)
    g = _Graph(store.neighbourhood(_seeds(school_id, home, need_key)))
    school_node = g.node(NodeKey("School", school_id))
    if school_node is None:
        raise QuestionError(
            "school", _unknown_school(store, school_id, day), 404, _closest_schools(store, school_id)
        )
    if g.node(NodeKey("Behoefte", need_key)) is None:
        raise QuestionError(
            "need",
            f"need {need!r} is not known: give an iJw category (e.g. 45) or an education need "
            "(e.g. dyslexie) of the kaart's taxonomy",
            404,
        )
    soort = str(school_node.props.get("soort") or "")
    # SBO is the SWV's own provision within regular education: its SWV is that of its address
    regular = enrolled_regular if enrolled_regular is not None else soort in ("BAO", "SBO", "VO")
    sector = SECTOR.get(soort, "PO")
    roles: list[Role] = []
    warnings: list[str] = []

    # zorgplicht: the board of the school
    boards = g.into(school_node.key, "BESTUURT", "Schoolbestuur")
    if boards:
        board = g.node(boards[0].src)
        roles.append(
            Role(
                "zorgplicht",
                boards[0].src.id,
                name_of(board),
                RULES["zorgplicht"],
                [step_of(school_node), step_of(boards[0]), step_of(board)] if board else [],
                g.contacts(boards[0].src),
            )
        )
    else:
        roles.append(Role("zorgplicht", None, None, RULES["zorgplicht"]))
        warnings.append(
            "Het bevoegd gezag van deze school is niet bekend in de kaart (DUO-gegevens ontbreken)."
        )

    # where school and home lie
    school_pc4 = [e for e in g.out(school_node.key, "LIGT_IN", "PC4")]
    school_pc4_node = g.node(school_pc4[0].dst) if school_pc4 else None
    school_gm = [e.dst for e in g.out(school_node.key, "LIGT_IN", "Gemeente")]
    home_pc4_key = NodeKey("PC4", home[:4])
    home_pc4 = g.node(home_pc4_key)
    if home_pc4 is None:
        raise QuestionError("postcode", f"postcode {home[:4]} is not known in the kaart", 404)
    home_gm_edge = _home_gemeente(g, home, warnings)
    home_gm = g.node(home_gm_edge.dst) if home_gm_edge else None

    # SWV: of the school (regular) or of the home address
    swv_from = school_pc4_node if regular else home_pc4
    swv_rule = RULES["swv_school"] if regular else RULES["swv_home"]
    swv_gemeenten = school_gm if regular else ([home_gm_edge.dst] if home_gm_edge else [])
    swvs = _swv_edges(g, swv_from, swv_gemeenten, sector) if swv_from else []
    if swvs:
        swv, via = g.node(swvs[0].dst), g.node(swvs[0].src)
        by_gemeente = swvs[0].src.kind == "Gemeente"
        if by_gemeente:
            swv_rule += " (gemeentelijst 2013: de postcodetabel van 2015 noemt deze postcode niet)"
            hop = g.out(school_node.key, "LIGT_IN", "Gemeente")[:1] if regular else [home_gm_edge]
        else:
            hop = school_pc4[:1] if regular else []
        lead = [school_node] if regular else [home_pc4] if by_gemeente else []
        path = [step_of(r) for r in (*lead, *hop, via, swvs[0], swv) if r is not None]
        roles.append(Role("swv", swvs[0].dst.id, name_of(swv), swv_rule, path, g.contacts(swvs[0].dst)))
        if len(swvs) > 1:
            warnings.append(
                f"Postcode {swv_from.id} ligt in meer samenwerkingsverbanden: "  # type: ignore[union-attr]
                + ", ".join(g.named(e.dst) for e in swvs)
            )
        if soort == "SO/VSO" and not regular:
            vo = _swv_edges(g, home_pc4, [home_gm_edge.dst] if home_gm_edge else [], "VO")
            if vo:
                warnings.append(
                    "Deze school heeft SO en VSO: voor een leerling in het VSO is het "
                    f"samenwerkingsverband van het woonadres: {g.named(vo[0].dst)}."
                )
    else:
        roles.append(Role("swv", None, None, swv_rule))
        warnings.append(
            "Het samenwerkingsverband is niet te bepalen: de postcode ligt in geen bekende SWV-regio."
        )

    jeugdregio: list[NodeRecord] = []
    if home_gm_edge is None:
        # The PC4 is known but no source places it in a gemeente (a new postcode, say):
        # answer what can be answered and say plainly what is missing.
        for role in ("gemeente_jeugdhulp", "toegang", "jeugdregio", "rmc", "ggd", "leerplicht"):
            roles.append(Role(role, None, None, RULES[role if role != "toegang" else "toegang_central"]))
        elsewhere = _gemeente_other_days(store, home[:4], day)
        warnings.append(
            f"Op {day.isoformat()} ligt postcode {home[:4]} volgens de bronnen van de kaart in geen "
            "bekende gemeente"
            + (f"; op andere dagen wel: {elsewhere}" if elsewhere else "")
            + ". De gemeente, de toegang en de gecontracteerde zorg zijn niet te bepalen. "
            "Vraag het na bij de gemeente van het woonadres."
        )
    else:
        jeugdregio = _home_roles(g, home, home_pc4, home_gm_edge, home_gm, roles, warnings)
        if school_gm and home_gm_edge.dst not in school_gm:
            warnings.append(
                f"Grensverkeer: de school ligt in {g.named(school_gm[0])}, "
                f"het kind woont in {g.named(home_gm_edge.dst)}. De woongemeente betaalt de jeugdhulp; "
                "contracten van de schoolgemeente gelden niet."
            )
    if regular and swvs and home_pc4 is not None:
        home_swvs = {
            e.dst.id for e in _swv_edges(g, home_pc4, [home_gm_edge.dst] if home_gm_edge else [], sector)
        }
        if home_swvs and swvs[0].dst.id not in home_swvs:
            warnings.append(
                f"Grensverkeer: het samenwerkingsverband van de school ({g.named(swvs[0].dst)}) is niet dat "
                f"van het woonadres ({', '.join(g.named(NodeKey('Swv', s)) for s in sorted(home_swvs))}). "
                "Ondersteuning loopt via het samenwerkingsverband van de school."
            )
    if school_gm:
        school_jr = {r.key for r, _ in g.regions(school_gm[0], "jeugdregio")}
        home_jr = {r.key for r in jeugdregio}
        if school_jr and home_jr and not school_jr & home_jr:
            warnings.append(
                f"Grensverkeer: school en woonadres liggen in verschillende jeugdregio's "
                f"({', '.join(g.named(k) for k in sorted(school_jr))} en "
                f"{', '.join(g.named(k) for k in sorted(home_jr))}): "
                "de ingekochte zorg van de jeugdregio van het woonadres geldt."
            )

    buyers = [home_gm_edge.dst, *(r.key for r in jeugdregio)] if home_gm_edge else []
    providers = contracted_providers(g.near, need_key, day, buyers, home_pc4, school_pc4_node)
    need_node = g.node(NodeKey("Behoefte", need_key))
    need_naam = str(need_node.props.get("naam")) if need_node and need_node.props.get("naam") else None
    school_naam = f"{school_node.props.get('naam') or 'School'} ({school_id})"
    return Answer(
        school_id,
        home,
        need_key,
        day.isoformat(),
        regular,
        roles,
        providers,
        warnings,
        school_naam,
        need_naam,
    )


def _home_gemeente(g: _Graph, home: str, warnings: list[str]) -> EdgeRecord | None:
    """The gemeente of the home address: the PC4's, or for a PC4 on a border the one its
    PC6 lies in (through buurt and wijk) or else the one with the largest share, saying so."""
    edges = g.out(NodeKey("PC4", home[:4]), "LIGT_IN", "Gemeente")
    if len(edges) <= 1:
        return edges[0] if edges else None
    by_pc6 = {
        gm.dst
        for b in g.out(NodeKey("PC6", home), "LIGT_IN", "Buurt")
        for w in g.out(b.dst, "LIGT_IN", "Wijk")
        for gm in g.out(w.dst, "LIGT_IN", "Gemeente")
    }
    chosen = [e for e in edges if e.dst in by_pc6]
    if len(chosen) == 1:
        return chosen[0]
    edges = sorted(edges, key=lambda e: -_share(e))
    shares = ", ".join(f"{g.named(e.dst)}: {_pct(e)}" for e in edges)
    warnings.append(
        f"Postcode {home[:4]} ligt in meer gemeenten: {shares}. Het antwoord gaat uit van "
        f"{g.named(edges[0].dst)}, de gemeente met het grootste deel; geef de volledige postcode (PC6)."
    )
    return edges[0]


def _pct(e: EdgeRecord) -> str:
    share = e.props.get("aandeel")
    return f"{100 * share:.0f}% van de adressen" if isinstance(share, int | float) else "aandeel onbekend"


def _share(e: EdgeRecord) -> float:
    share = e.props.get("aandeel")
    return float(share) if isinstance(share, int | float) else 0.0


def _swv_edges(g: _Graph, pc4: NodeRecord, gemeenten: list[NodeKey], sector: str) -> list[EdgeRecord]:
    """The SWVs of a sector whose region holds a PC4: from the regulation's 2015 PC4 table;
    where that table does not name the PC4, from its gemeente in the 2013 list of gemeenten
    per SWV, minding that list's postcode exceptions."""
    direct = [e for e in g.out(pc4.key, "IN_WERKGEBIED", "Swv") if e.dst.id.startswith(sector)]
    if direct:
        return direct
    found = []
    for gm in gemeenten:
        for e in g.out(gm, "IN_WERKGEBIED", "Swv"):
            only, unless = e.props.get("alleen_pc4") or [], e.props.get("behalve_pc4") or []
            in_list = isinstance(only, list) and (not only or pc4.id in only)
            excepted = isinstance(unless, list) and pc4.id in unless
            if e.dst.id.startswith(sector) and in_list and not excepted:
                found.append(e)
    return found


def _home_roles(
    g: _Graph,
    home: str,
    home_pc4: NodeRecord,
    home_gm_edge: EdgeRecord,
    home_gm: NodeRecord | None,
    roles: list[Role],
    warnings: list[str],
) -> list[NodeRecord]:
    """The roles that follow from the home gemeente; returns its jeugdregio(s)."""
    roles.append(
        Role(
            "gemeente_jeugdhulp",
            home_gm_edge.dst.id,
            name_of(home_gm),
            RULES["gemeente_jeugdhulp"],
            [step_of(home_pc4), step_of(home_gm_edge), step_of(home_gm)] if home_gm else [],
            g.contacts(home_gm_edge.dst, but="leerplicht"),
        )
    )

    roles.append(_toegang(g, home, home_pc4, home_gm_edge.dst, home_gm))
    jeugdregio: list[NodeRecord] = []
    for soort_regio in ("jeugdregio", "rmc", "ggd"):
        found = g.regions(home_gm_edge.dst, soort_regio)
        if not found:
            roles.append(Role(soort_regio, None, None, RULES[soort_regio]))
            warnings.append(
                f"Geen {REGIO_WORD.get(soort_regio, soort_regio)} bekend voor {g.named(home_gm_edge.dst)}: "
                "die gegevens ontbreken in de kaart."
            )
            continue
        region, partly = found[0]
        member = [e for e in g.out(home_gm_edge.dst, "HOORT_BIJ", "Regio") if e.dst == region.key]
        roles.append(
            Role(
                soort_regio,
                region.id,
                name_of(region),
                RULES[soort_regio],
                [step_of(home_gm), *map(step_of, member[:1]), step_of(region)] if home_gm else [],
                g.contacts(region.key),
            )
        )
        if partly:
            others = ", ".join(label(r) for r, _ in found[1:])
            warnings.append(
                f"{g.named(home_gm_edge.dst)} hoort maar voor een deel bij {label(region)}, via een "
                f"gemeente die erin opging{f' (ook bij {others})' if others else ''}: vraag de "
                "gemeente welke regio nu geldt."
            )
        if soort_regio == "jeugdregio":
            # care bought by the regions the gemeente wholly belongs to; by the partial ones
            # only when there is no other (with the warning above)
            jeugdregio = [r for r, part in found if not part] or [r for r, _ in found]
    roles.append(
        Role(
            "leerplicht",
            home_gm_edge.dst.id,
            name_of(home_gm),
            RULES["leerplicht"],
            [step_of(home_gm)] if home_gm else [],
            g.contacts(home_gm_edge.dst, rol="leerplicht"),
        )
    )

    return jeugdregio


def _toegang(g: _Graph, home: str, home_pc4: NodeRecord, gm_key: NodeKey, gm: NodeRecord | None) -> Role:
    """PC6 > buurt/wijk > PC4 > whole gemeente > central access."""
    areas: list[tuple[str, NodeKey]] = []
    if len(home) == 6:
        pc6 = NodeKey("PC6", home)
        areas.append(("PC6", pc6))
        for e in g.out(pc6, "LIGT_IN", "Buurt"):
            areas.append(("buurt", e.dst))
            areas += [("wijk", w.dst) for w in g.out(e.dst, "LIGT_IN", "Wijk")]
    areas.append(("PC4", home_pc4.key))
    # the wijken the PC4 lies in (2024, by addresses), the one with most of it first
    wijken = sorted(g.out(home_pc4.key, "LIGT_IN", "Wijk"), key=lambda e: (-_share(e), e.dst.id))
    areas += [("wijk van de postcode", e.dst) for e in wijken]
    areas.append(("gemeente", gm_key))

    def works_for_home(team: NodeKey) -> bool:
        employers = [w.dst for w in g.out(team, "WERKT_VOOR")]
        return not employers or gm_key in employers

    # the home gemeente's own teams at every level first: a team that another gemeente runs
    # for this area comes only after them (the home gemeente decides on access)
    for own in (True, False):
        for level, area in areas:
            teams = [e for e in g.into(area, "BEDIENT", "Wijkteam") if works_for_home(e.src) == own]
            if teams:
                team = g.node(teams[0].src)
                rule = f"{RULES['toegang']} (op {level})"
                if not own:
                    rule += "; dit team werkt voor een andere gemeente: vraag de woongemeente of het geldt"
                return Role(
                    "toegang",
                    teams[0].src.id,
                    name_of(team),
                    rule,
                    [_step_at(g, area), step_of(teams[0]), step_of(team)] if team else [],
                    g.contacts(teams[0].src),
                    {"niveau": level},
                )
    return Role(
        "toegang",
        gm_key.id,
        name_of(gm),
        RULES["toegang_central"],
        [step_of(gm)] if gm else [],
        g.contacts(gm_key),
        {"niveau": "centraal"},
    )


def _step_at(g: _Graph, key: NodeKey) -> Step:
    node = g.node(key)
    return step_of(node) if node is not None else Step(node=str(key))


def _gemeente_other_days(store: GraphStore, pc4: str, day: date) -> str:
    """Where the history places a PC4 that lies in no gemeente on the day asked about (a
    gemeente split that day's table could not divide, say), so the warning can say when."""
    if not isinstance(store, DatedStore):
        return ""
    found = []
    for e in store.store.edges(rel="LIGT_IN", src=NodeKey("PC4", pc4)):
        if e.dst.kind == "Gemeente":
            spans = texts(e.props, "geldig")
            when = ", ".join(_span_words(p) for p in spans) or "op een andere dag"
            found.append(f"{label(store.store.node(e.dst), e.dst)} ({when})")
    return "; ".join(found)


def _span_words(span: str) -> str:
    begin, _, end = span.partition("/")
    if begin and end:
        return f"van {begin} tot {end}"
    return f"vanaf {begin}" if begin else f"tot {end}" if end else "altijd"


def _unknown_school(store: GraphStore, school: str, day: date) -> str:
    """Why a school is not there: none of that code, or not on the day asked for (closed since,
    or opened later), which the history says."""
    known = store.store.node(NodeKey("School", school)) if isinstance(store, DatedStore) else None
    if known is None:
        return f"no school {school} is known"
    ended = ended_on(known.props)
    name = label(known)
    if ended and ended <= day.isoformat():
        return f"{name} bestaat volgens de bronnen niet meer sinds {ended}"
    return f"{name} bestond op {day.isoformat()} nog niet volgens de bronnen"


def _closest_schools(store: GraphStore, school: str, n: int = 5) -> list[str]:
    """Known school ids that look like the one asked for (a typing error in a code). Only ids
    that share the BRIN's first two characters or four positions are compared closely: over
    ~9,000 ids that keeps a wrong code's answer fast."""
    known = CACHE.get(store, "school-ids", lambda s: [n.id for n in s.nodes("School")])
    near = [
        i for i in known if i[:2] == school[:2] or sum(a == b for a, b in zip(i, school, strict=False)) >= 4
    ]
    return difflib.get_close_matches(school, near, n=n, cutoff=0.5)
