"""The who-serves rules as a table: one function per role, each reading the resolved
:class:`~graph.queries.question.Question` and returning its role with its own warnings.

The rules are those of ``docs/wie-helpt.md``. Adding a role is one function here and one row
in :data:`ROLES`; a warning about home and school lying apart (grensverkeer) is one function
and one row in :data:`BORDERS`. No rule reads the store: everything comes from the
neighbourhood the question fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graph.queries.answer import RULES, Role, Step, step_of
from graph.queries.names import REGIO_WORD, label, name_of
from graph.queries.question import Question, Reads, gemeente_other_days, share
from graph.records import EdgeRecord, NodeKey, NodeRecord


@dataclass(frozen=True)
class Found:
    """What a rule found: its role, and what the reader should know about it."""

    role: Role
    warnings: tuple[str, ...] = ()


def unknown(role: str, rule: str | None = None) -> Role:
    """A role the kaart cannot fill: it is still listed, with its rule, so the reader sees it."""
    return Role(role, None, None, RULES[rule or role])


def zorgplicht(q: Question) -> Found:
    """The board (bevoegd gezag) of the school of enrolment has zorgplicht."""
    boards = q.g.into(q.school.key, "BESTUURT", "Schoolbestuur")
    if not boards:
        return Found(
            unknown("zorgplicht"),
            ("Het bevoegd gezag van deze school is niet bekend in de kaart (DUO-gegevens ontbreken).",),
        )
    board = q.g.node(boards[0].src)
    path = [step_of(q.school), step_of(boards[0]), step_of(board)] if board else []
    return Found(
        Role(
            "zorgplicht",
            boards[0].src.id,
            name_of(board),
            RULES["zorgplicht"],
            path,
            q.g.contacts(boards[0].src),
        )
    )


def swv_edges(g: Reads, pc4: NodeRecord, gemeenten: list[NodeKey], sector: str) -> list[EdgeRecord]:
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


def _swv_place(q: Question) -> NodeRecord | None:
    """Whose SWV counts: the school's PC4 for a regular school, else the home's."""
    return q.school_pc4_node if q.regular else q.home_pc4


def school_swvs(q: Question) -> list[EdgeRecord]:
    """The SWV relations that apply: the school's (regular school) or the home address's."""
    where = _swv_place(q)
    if where is None:
        return []
    return swv_edges(q.g, where, q.school_gemeenten if q.regular else q.home_gemeenten, q.sector)


def swv(q: Question) -> Found:
    """Extra support and TLV come from the school's SWV; for a pupil not at a regular school
    (thuiszitter, SO, not yet enrolled) from the SWV of the home address."""
    rule = RULES["swv_school"] if q.regular else RULES["swv_home"]
    swvs = school_swvs(q)
    if not swvs:
        return Found(
            Role("swv", None, None, rule),
            ("Het samenwerkingsverband is niet te bepalen: de postcode ligt in geen bekende SWV-regio.",),
        )
    first, g, where = swvs[0], q.g, _swv_place(q)
    found, via = g.node(first.dst), g.node(first.src)
    by_gemeente = first.src.kind == "Gemeente"
    hop: list[EdgeRecord] = []
    if by_gemeente:
        rule += " (gemeentelijst 2013: de postcodetabel van 2015 noemt deze postcode niet)"
        hop = g.out(q.school.key, "LIGT_IN", "Gemeente")[:1] if q.regular else q.home_gemeente_edges
    elif q.regular:
        hop = q.school_pc4[:1]
    lead = [q.school] if q.regular else [q.home_pc4] if by_gemeente else []
    path = [step_of(r) for r in (*lead, *hop, via, first, found) if r is not None]
    warnings = []
    if len(swvs) > 1:
        warnings.append(
            f"Postcode {where.id if where else q.home[:4]} ligt in meer samenwerkingsverbanden: "
            + ", ".join(g.named(e.dst) for e in swvs)
        )
    if q.soort == "SO/VSO" and not q.regular:
        vo = swv_edges(g, q.home_pc4, q.home_gemeenten, "VO")
        if vo:
            warnings.append(
                "Deze school heeft SO en VSO: voor een leerling in het VSO is het "
                f"samenwerkingsverband van het woonadres: {g.named(vo[0].dst)}."
            )
    return Found(
        Role("swv", first.dst.id, name_of(found), rule, path, g.contacts(first.dst)), tuple(warnings)
    )


def gemeente_jeugdhulp(q: Question) -> Found:
    """The home gemeente pays for youth care (woonplaatsbeginsel)."""
    if q.home_gemeente is None:
        return Found(unknown("gemeente_jeugdhulp"))
    gm = q.home_gm
    path = [step_of(q.home_pc4), step_of(q.home_gemeente), step_of(gm)] if gm else []
    contacts = q.g.contacts(q.home_gemeente.dst, but="leerplicht")
    return Found(
        Role(
            "gemeente_jeugdhulp",
            q.home_gemeente.dst.id,
            name_of(gm),
            RULES["gemeente_jeugdhulp"],
            path,
            contacts,
        )
    )


def _areas(q: Question) -> list[tuple[str, NodeKey]]:
    """Where a team may be found for the home, the narrowest first: PC6 > buurt/wijk > PC4 >
    the wijken of the PC4 (most of it first) > the whole gemeente."""
    g, areas = q.g, []
    if len(q.home) == 6:
        pc6 = NodeKey("PC6", q.home)
        areas.append(("PC6", pc6))
        for e in g.out(pc6, "LIGT_IN", "Buurt"):
            areas.append(("buurt", e.dst))
            areas += [("wijk", w.dst) for w in g.out(e.dst, "LIGT_IN", "Wijk")]
    areas.append(("PC4", q.home_pc4.key))
    wijken = sorted(g.out(q.home_pc4.key, "LIGT_IN", "Wijk"), key=lambda e: (-share(e), e.dst.id))
    areas += [("wijk van de postcode", e.dst) for e in wijken]
    if q.home_gemeente is not None:
        areas.append(("gemeente", q.home_gemeente.dst))
    return areas


def toegang(q: Question) -> Found:
    """Access to youth care: the team that serves the home address, the home gemeente's own
    teams before one another gemeente runs for the area (the home gemeente decides on access);
    where no team is known, the gemeente's central access."""
    if q.home_gemeente is None:
        return Found(unknown("toegang", "toegang_central"))
    g, gm_key = q.g, q.home_gemeente.dst

    def works_for_home(team: NodeKey) -> bool:
        employers = [w.dst for w in g.out(team, "WERKT_VOOR")]
        return not employers or gm_key in employers

    for own in (True, False):
        for level, area in _areas(q):
            teams = [e for e in g.into(area, "BEDIENT", "Wijkteam") if works_for_home(e.src) == own]
            if teams:
                team = g.node(teams[0].src)
                rule = f"{RULES['toegang']} (op {level})"
                if not own:
                    rule += "; dit team werkt voor een andere gemeente: vraag de woongemeente of het geldt"
                path = [_step_at(g, area), step_of(teams[0]), step_of(team)] if team else []
                role = Role(
                    "toegang", teams[0].src.id, name_of(team), rule, path, g.contacts(teams[0].src), level
                )
                return Found(role)
    gm = q.home_gm
    path = [step_of(gm)] if gm else []
    return Found(
        Role(
            "toegang", gm_key.id, name_of(gm), RULES["toegang_central"], path, g.contacts(gm_key), "centraal"
        )
    )


def _step_at(g: Reads, key: NodeKey) -> Step:
    node = g.node(key)
    return step_of(node) if node is not None else Step(node=str(key))


def region_role(soort: str) -> Callable[[Question], Found]:
    """The rule for a region of the home gemeente (jeugdregio, RMC, GGD): the region it
    wholly belongs to, or, when only in part, that one with a warning to ask the gemeente."""

    def rule(q: Question) -> Found:
        if q.home_gemeente is None:
            return Found(unknown(soort))
        g, gm_key = q.g, q.home_gemeente.dst
        found = g.regions(gm_key, soort)
        if not found:
            return Found(
                unknown(soort),
                (
                    f"Geen {REGIO_WORD.get(soort, soort)} bekend voor {g.named(gm_key)}: "
                    "die gegevens ontbreken in de kaart.",
                ),
            )
        region, partly = found[0]
        member = [e for e in g.out(gm_key, "HOORT_BIJ", "Regio") if e.dst == region.key]
        path = [step_of(q.home_gm), *map(step_of, member[:1]), step_of(region)] if q.home_gm else []
        role = Role(soort, region.id, name_of(region), RULES[soort], path, g.contacts(region.key))
        if not partly:
            return Found(role)
        others = ", ".join(label(r) for r, _ in found[1:])
        return Found(
            role,
            (
                f"{g.named(gm_key)} hoort maar voor een deel bij {label(region)}, via een "
                f"gemeente die erin opging{f' (ook bij {others})' if others else ''}: vraag de "
                "gemeente welke regio nu geldt.",
            ),
        )

    rule.__name__ = rule.__qualname__ = soort
    return rule


def leerplicht(q: Question) -> Found:
    """The leerplichtambtenaar of the home gemeente."""
    if q.home_gemeente is None:
        return Found(unknown("leerplicht"))
    gm = q.home_gm
    contacts = q.g.contacts(q.home_gemeente.dst, rol="leerplicht")
    path = [step_of(gm)] if gm else []
    return Found(Role("leerplicht", q.home_gemeente.dst.id, name_of(gm), RULES["leerplicht"], path, contacts))


def _school_side(q: Question) -> str | None:
    return "school"


def _home_side(q: Question) -> str | None:
    return "home"


def _swv_side(q: Question) -> str | None:
    """A regular school's SWV is the school's own; the home's SWV for a pupil elsewhere also
    depends on the kind of school, so it is worked out for each question."""
    return "school" if q.regular else None


#: The roles of an answer, in the order a reader meets them, each with the side of the
#: question it depends on alone (kept with that side: :meth:`Question.kept`), or None.
ROLES: tuple[tuple[str, Callable[[Question], Found], Callable[[Question], str | None]], ...] = (
    ("zorgplicht", zorgplicht, _school_side),
    ("swv", swv, _swv_side),
    ("gemeente_jeugdhulp", gemeente_jeugdhulp, _home_side),
    ("toegang", toegang, _home_side),
    ("jeugdregio", region_role("jeugdregio"), _home_side),
    ("rmc", region_role("rmc"), _home_side),
    ("ggd", region_role("ggd"), _home_side),
    ("leerplicht", leerplicht, _home_side),
)


def roles_of(q: Question) -> list[Found]:
    """Every role of :data:`ROLES` for the question, each from what its side keeps when the
    rule depends on one side only."""
    found = []
    for name, rule, side_of in ROLES:
        side = side_of(q)
        found.append(q.kept(side, name, rule) if side else rule(q))
    return found


def no_home_gemeente(q: Question) -> list[str]:
    """A known PC4 that no source places in a gemeente (a new postcode, say): the answer gives
    what it can and says plainly what is missing, and on which days the PC4 was placed."""
    if q.home_gemeente is not None:
        return []
    elsewhere = gemeente_other_days(q.store, q.home[:4])
    return [
        f"Op {q.day.isoformat()} ligt postcode {q.home[:4]} volgens de bronnen van de kaart in geen "
        "bekende gemeente"
        + (f"; op andere dagen wel: {elsewhere}" if elsewhere else "")
        + ". De gemeente, de toegang en de gecontracteerde zorg zijn niet te bepalen. "
        "Vraag het na bij de gemeente van het woonadres."
    ]


def other_gemeente(q: Question) -> list[str]:
    """School and home in different gemeenten: the home gemeente pays."""
    school_gm, home = q.school_gemeenten, q.home_gemeente
    if home is None or not school_gm or home.dst in school_gm:
        return []
    return [
        f"Grensverkeer: de school ligt in {q.g.named(school_gm[0])}, "
        f"het kind woont in {q.g.named(home.dst)}. De woongemeente betaalt de jeugdhulp; "
        "contracten van de schoolgemeente gelden niet."
    ]


def other_swv(q: Question) -> list[str]:
    """A regular school in another SWV than the home's: support runs through the school's."""
    swvs = q.kept("school", "swvs", school_swvs) if q.regular else []
    if not swvs:
        return []
    home_swvs = q.kept("home", "swvs per sector", _home_swvs)[q.sector]
    if not home_swvs or swvs[0].dst.id in home_swvs:
        return []
    return [
        f"Grensverkeer: het samenwerkingsverband van de school ({q.g.named(swvs[0].dst)}) is niet dat "
        f"van het woonadres ({', '.join(q.g.named(NodeKey('Swv', s)) for s in sorted(home_swvs))}). "
        "Ondersteuning loopt via het samenwerkingsverband van de school."
    ]


def _home_swvs(q: Question) -> dict[str, frozenset[str]]:
    """The ids of the home's SWVs in each sector (both: what is kept must not say which)."""
    return {
        sector: frozenset(e.dst.id for e in swv_edges(q.g, q.home_pc4, q.home_gemeenten, sector))
        for sector in ("PO", "VO")
    }


def other_jeugdregio(q: Question) -> list[str]:
    """School and home in different jeugdregio's: the home's bought care applies."""
    school_jr = q.kept("school", "jeugdregio's", _school_jeugdregios)
    home_jr = q.kept("home", "jeugdregio's", lambda home: frozenset(r.key for r in home.jeugdregios))
    if not school_jr or not home_jr or school_jr & home_jr:
        return []
    return [
        f"Grensverkeer: school en woonadres liggen in verschillende jeugdregio's "
        f"({', '.join(q.g.named(k) for k in sorted(school_jr))} en "
        f"{', '.join(q.g.named(k) for k in sorted(home_jr))}): "
        "de ingekochte zorg van de jeugdregio van het woonadres geldt."
    ]


def _school_jeugdregios(q: Question) -> frozenset[NodeKey]:
    if not q.school_gemeenten:
        return frozenset()
    return frozenset(r.key for r, _ in q.g.regions(q.school_gemeenten[0], "jeugdregio"))


#: What the answer says about home and school lying apart, or the home lying nowhere known.
BORDERS: tuple[Callable[[Question], list[str]], ...] = (
    no_home_gemeente,
    other_gemeente,
    other_swv,
    other_jeugdregio,
)
