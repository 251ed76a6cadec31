"""Who serves this pupil? School + home postcode + need → every responsible party, each with
the rule behind it, the path in the graph that proves it, and where those facts came from.

The rules are those of DOMAIN.md: the school's board has zorgplicht; extra support comes from
the school's SWV (or, for a pupil not at a regular school, the SWV of the home address);
youth care is paid and given access to by the home gemeente (woonplaatsbeginsel), through
the wijkteam that serves the home address; care is bought by the home gemeente or its
jeugdregio. Nothing of the question is stored or logged: it is answered and forgotten.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph import ids
from graph.neighbourhood import Lookup, Neighbourhood, Seed, into, out
from graph.queries.cache import CACHE
from graph.records import PROVENANCE_KEYS, EdgeRecord, NodeKey, NodeRecord
from graph.store import GraphStore


class QueryError(ValueError):
    """A question that cannot be answered as asked (unknown school, malformed postcode)."""

    def __init__(self, field: str, message: str, status: int = 422, suggestions: list[str] | None = None):
        self.field, self.status, self.suggestions = field, status, suggestions or []
        super().__init__(message)


@dataclass
class Step:
    """One node or relation on the path that proves an answer, with its source."""

    node: str | None = None
    rel: str | None = None
    source: str = ""
    source_date: str = ""


@dataclass
class Role:
    role: str
    id: str | None
    name: str | None
    rule: str
    path: list[Step] = field(default_factory=list)
    contact: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Provider:
    id: str
    name: str
    contract: str
    opdrachtgever: str
    offers: list[dict[str, Any]]
    distance_home_km: float | None
    distance_school_km: float | None
    path: list[Step]


@dataclass
class Answer:
    school: str
    postcode: str
    need: str
    date: str
    enrolled_regular: bool
    roles: list[Role]
    providers: list[Provider]
    warnings: list[str]


SECTOR = {"BAO": "PO", "SBO": "PO", "SO": "PO", "SO/VSO": "PO", "VSO": "VO", "VO": "VO"}
RULES = {
    "zorgplicht": "Wet passend onderwijs: het bevoegd gezag van de school van inschrijving heeft zorgplicht",
    "swv_school": "WPO/WVO: extra ondersteuning en TLV via het samenwerkingsverband van de school",
    "swv_home": "Leerling niet op een reguliere school (thuiszitter, SO, nog niet ingeschreven): "
    "het samenwerkingsverband van het woonadres",
    "gemeente_jeugdhulp": "Jeugdwet, woonplaatsbeginsel: de woongemeente van het kind betaalt de jeugdhulp",
    "toegang": "Beleid van de woongemeente: het wijkteam dat het woonadres bedient",
    "toegang_central": "Geen wijkteam voor dit adres bekend: de centrale toegang van de woongemeente",
    "jeugdregio": "Jeugdwet: gemeenten kopen jeugdhulp samen in per jeugdregio",
    "leerplicht": "Leerplichtwet: de leerplichtambtenaar van de woongemeente",
    "rmc": "RMC-wetgeving: de RMC-regio van de woongemeente",
    "ggd": "Wet publieke gezondheid: de GGD-regio van de woongemeente",
}


def _step(record: NodeRecord | EdgeRecord) -> Step:
    props = record.props
    if isinstance(record, NodeRecord):
        return Step(
            node=str(record.key),
            source=str(props.get("source", "")),
            source_date=str(props.get("source_date", "")),
        )
    return Step(
        rel=record.rel, source=str(props.get("source", "")), source_date=str(props.get("source_date", ""))
    )


def _name(n: NodeRecord | None) -> str | None:
    return None if n is None else str(n.props.get("naam") or n.id)


def need_id(need: str) -> str:
    """``45`` → ``ijw-45``; ``dyslexie`` → ``onderwijs-dyslexie``; a full id stays.

    >>> need_id("45"), need_id("Dyslexie"), need_id("ijw-45")
    ('ijw-45', 'onderwijs-dyslexie', 'ijw-45')
    """
    text = need.strip().lower()
    if not text or not any(c.isalnum() for c in text):
        raise QueryError("need", "give a need: an iJw category (45) or an education need (dyslexie)")
    if text.isdigit() and len(text) == 2:
        return f"ijw-{text}"
    if "-" in text and text.split("-", 1)[0] in ("ijw", "onderwijs", "eigen"):
        return text
    return f"onderwijs-{text}"


def distance_km(a: NodeRecord | None, b: NodeRecord | None) -> float | None:
    """Great-circle distance between two PC4 centroids, when both are known."""
    if a is None or b is None or "lat" not in a.props or "lat" not in b.props:
        return None
    lat1, lon1, lat2, lon2 = (
        math.radians(float(v)) for v in (a.props["lat"], a.props["lon"], b.props["lat"], b.props["lon"])
    )
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return round(2 * 6371 * math.asin(math.sqrt(h)), 1)


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
            (_SWV, into("BEDIENT", "Wijkteam", *_TEAM), _HOME_GEMEENTE),
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

    def contacts(self, key: NodeKey) -> list[dict[str, Any]]:
        found = []
        for e in self.out(key, "HEEFT_CONTACT"):
            c = self.node(e.dst)
            if c is not None:
                found.append({k: v for k, v in c.props.items() if k not in PROVENANCE_KEYS})
        return found


def valid_on(props: Mapping[str, Any], day: date) -> bool:
    """Whether a contract (``geldig_van``..``geldig_tot``, either open) runs on ``day``."""
    start, end = props.get("geldig_van"), props.get("geldig_tot")
    return (not start or str(start) <= day.isoformat()) and (not end or day.isoformat() <= str(end))


def who_serves(
    store: GraphStore,
    school: str,
    postcode: str,
    need: str,
    on: date | None = None,
    enrolled_regular: bool | None = None,
) -> Answer:
    day = on or date.today()
    try:
        school_id = ids.school_id(school)
    except ids.IdentifierError as exc:
        raise QueryError("school", f"{exc}") from None
    try:
        home = ids.postcode(postcode)
    except ids.IdentifierError:
        raise QueryError(
            "postcode", f"postcode {postcode!r} is not valid: give a PC4 (2011) or a PC6 (2011AB)"
        ) from None
    need_key = need_id(need)
    g = _Graph(store.neighbourhood(_seeds(school_id, home, need_key)))
    school_node = g.node(NodeKey("School", school_id))
    if school_node is None:
        raise QueryError("school", f"no school {school_id} is known", 404, _closest_schools(store, school_id))
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
                _name(board),
                RULES["zorgplicht"],
                [_step(school_node), _step(boards[0]), _step(board)] if board else [],
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
        raise QueryError("postcode", f"postcode {home[:4]} is not known in the kaart", 404)
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
        path = [_step(r) for r in (*lead, *hop, via, swvs[0], swv) if r is not None]
        roles.append(Role("swv", swvs[0].dst.id, _name(swv), swv_rule, path, g.contacts(swvs[0].dst)))
        if len(swvs) > 1:
            warnings.append(
                f"Postcode {swv_from.id} ligt in meer samenwerkingsverbanden: "  # type: ignore[union-attr]
                + ", ".join(e.dst.id for e in swvs)
            )
        if soort == "SO/VSO" and not regular:
            vo = _swv_edges(g, home_pc4, [home_gm_edge.dst] if home_gm_edge else [], "VO")
            if vo:
                warnings.append(
                    "Deze school heeft SO en VSO: voor een leerling in het VSO is het "
                    f"samenwerkingsverband van het woonadres {vo[0].dst.id} (VO)."
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
        warnings.append(
            f"Voor postcode {home[:4]} noemt geen bron een gemeente: de gemeente, de toegang en de "
            "gecontracteerde zorg zijn niet te bepalen. Vraag het na bij de gemeente van het woonadres."
        )
    else:
        jeugdregio = _home_roles(g, home, home_pc4, home_gm_edge, home_gm, roles, warnings)
        if school_gm and home_gm_edge.dst not in school_gm:
            warnings.append(
                f"Grensverkeer: de school ligt in {school_gm[0].id}, "
                f"het kind woont in {home_gm_edge.dst.id}. De woongemeente betaalt de jeugdhulp; "
                "contracten van de schoolgemeente gelden niet."
            )
    if regular and swvs and home_pc4 is not None:
        home_swvs = {
            e.dst.id for e in _swv_edges(g, home_pc4, [home_gm_edge.dst] if home_gm_edge else [], sector)
        }
        if home_swvs and swvs[0].dst.id not in home_swvs:
            warnings.append(
                f"Grensverkeer: het SWV van de school ({swvs[0].dst.id}) is niet dat van het woonadres "
                f"({', '.join(sorted(home_swvs))}). Ondersteuning loopt via het SWV van de school."
            )
    if school_gm:
        school_jr = {r.id for r, _ in g.regions(school_gm[0], "jeugdregio")}
        home_jr = {r.id for r in jeugdregio}
        if school_jr and home_jr and not school_jr & home_jr:
            warnings.append(
                f"Grensverkeer: school en woonadres liggen in verschillende jeugdregio's "
                f"({', '.join(sorted(school_jr))} en {', '.join(sorted(home_jr))}): "
                "de ingekochte zorg van de jeugdregio van het woonadres geldt."
            )

    providers = (
        _providers(g, need_key, day, home_gm_edge.dst, jeugdregio, home_pc4, school_pc4_node)
        if home_gm_edge
        else []
    )
    if g.node(NodeKey("Behoefte", need_key)) is None:
        warnings.append(f"De hulpvraag {need_key} is niet bekend in de taxonomie van de kaart.")
    return Answer(school_id, home, need_key, day.isoformat(), regular, roles, providers, warnings)


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
    shares = ", ".join(f"{e.dst.id} ({e.props.get('aandeel', '?')})" for e in edges)
    warnings.append(
        f"Postcode {home[:4]} ligt in meer gemeenten: {shares}. Het antwoord gaat uit van "
        f"{edges[0].dst.id}, de gemeente met het grootste deel; geef de volledige postcode (PC6)."
    )
    return edges[0]


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
            _name(home_gm),
            RULES["gemeente_jeugdhulp"],
            [_step(home_pc4), _step(home_gm_edge), _step(home_gm)] if home_gm else [],
            g.contacts(home_gm_edge.dst),
        )
    )

    roles.append(_toegang(g, home, home_pc4, home_gm_edge.dst, home_gm))
    jeugdregio: list[NodeRecord] = []
    for soort_regio in ("jeugdregio", "rmc", "ggd"):
        found = g.regions(home_gm_edge.dst, soort_regio)
        if not found:
            roles.append(Role(soort_regio, None, None, RULES[soort_regio]))
            warnings.append(
                f"Geen {soort_regio} bekend voor {_name(home_gm)}: die gegevens ontbreken in de kaart."
            )
            continue
        region, partly = found[0]
        roles.append(
            Role(
                soort_regio,
                region.id,
                _name(region),
                RULES[soort_regio],
                [_step(home_gm), _step(region)] if home_gm else [],
                g.contacts(region.key),
            )
        )
        if partly:
            others = ", ".join(r.id for r, _ in found[1:])
            warnings.append(
                f"{_name(home_gm)} hoort maar voor een deel bij {soort_regio} {region.id}, via een "
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
            _name(home_gm),
            RULES["leerplicht"],
            [_step(home_gm)] if home_gm else [],
            g.contacts(home_gm_edge.dst),
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
    areas += [("PC4", home_pc4.key), ("gemeente", gm_key)]

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
                    _name(team),
                    rule,
                    [Step(node=str(area)), _step(teams[0]), _step(team)] if team else [],
                    g.contacts(teams[0].src),
                    {"niveau": level},
                )
    return Role(
        "toegang",
        gm_key.id,
        _name(gm),
        RULES["toegang_central"],
        [_step(gm)] if gm else [],
        g.contacts(gm_key),
        {"niveau": "centraal"},
    )


def _providers(
    g: _Graph,
    need: str,
    day: date,
    gm: NodeKey,
    jeugdregio: list[NodeRecord],
    home_pc4: NodeRecord | None,
    school_pc4: NodeRecord | None,
) -> list[Provider]:
    found: dict[str, Provider] = {}
    buyers = [gm] + [r.key for r in jeugdregio]
    for buyer in buyers:
        for c_edge in g.out(buyer, "OPDRACHTGEVER_VAN", "Contract"):
            contract = g.node(c_edge.dst)
            if contract is None or not valid_on(dict(contract.props), day):
                continue
            needs = {e.dst.id for e in g.out(contract.key, "VOOR_BEHOEFTE")}
            if need not in needs:
                continue
            for p_edge in g.out(contract.key, "GECONTRACTEERD", "Zorgaanbieder"):
                if p_edge.dst.id in found:
                    continue
                provider = g.node(p_edge.dst)
                offers, near_home, near_school = [], None, None
                for b in g.out(p_edge.dst, "BIEDT", "Aanbod"):
                    offer = g.node(b.dst)
                    if offer is None or need not in {e.dst.id for e in g.out(b.dst, "VOOR_BEHOEFTE")}:
                        continue
                    places = []
                    for loc_edge in g.out(b.dst, "OP_LOCATIE", "Locatie"):
                        loc = g.node(loc_edge.dst)
                        pc = str(loc.props.get("postcode", ""))[:4] if loc else ""
                        pc_node = g.node(NodeKey("PC4", pc)) if pc else None
                        dh, ds = distance_km(home_pc4, pc_node), distance_km(school_pc4, pc_node)
                        near_home = (
                            dh if near_home is None or (dh is not None and dh < near_home) else near_home
                        )
                        near_school = (
                            ds
                            if near_school is None or (ds is not None and ds < near_school)
                            else near_school
                        )
                        places.append(
                            {"locatie": loc_edge.dst.id, "postcode": pc, "km_thuis": dh, "km_school": ds}
                        )
                    offers.append(
                        {
                            "id": offer.id,
                            "naam": offer.props.get("naam"),
                            "wachttijd_weken": offer.props.get("wachttijd_weken"),
                            "wachttijd_datum": offer.props.get("wachttijd_datum"),
                            "wachttijd_bron": offer.props.get("wachttijd_bron"),
                            "locaties": places,
                        }
                    )
                found[p_edge.dst.id] = Provider(
                    p_edge.dst.id,
                    _name(provider) or p_edge.dst.id,
                    contract.id,
                    buyer.id,
                    offers,
                    near_home,
                    near_school,
                    [_step(c_edge), _step(contract), _step(p_edge)] + ([_step(provider)] if provider else []),
                )

    def rank(p: Provider) -> tuple[float, float]:
        waits = [o["wachttijd_weken"] for o in p.offers if o["wachttijd_weken"] is not None]
        return (
            min(waits) if waits else 999.0,
            p.distance_home_km if p.distance_home_km is not None else 999.0,
        )

    return sorted(found.values(), key=rank)


def _closest_schools(store: GraphStore, school: str, n: int = 5) -> list[str]:
    """Known school ids that look like the one asked for (a typing error in a code). Only ids
    that share the BRIN's first two characters or four positions are compared closely: over
    ~9,000 ids that keeps a wrong code's answer fast."""
    known = CACHE.get(store, "school-ids", lambda s: [n.id for n in s.nodes("School")])
    near = [
        i for i in known if i[:2] == school[:2] or sum(a == b for a, b in zip(i, school, strict=False)) >= 4
    ]
    return difflib.get_close_matches(school, near, n=n, cutoff=0.5)
