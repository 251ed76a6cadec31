"""A who-serves question resolved once: which school, which home, which gemeente, on which
day, and the neighbourhood of the graph that the rules may read.

Every role rule (:mod:`graph.queries.roles`) reads this one :class:`Question` instead of
looking things up itself, so a rule is a few lines about the rule, and the graph is fetched
once per question (one neighbourhood read: a handful of round trips on Neo4j, whatever the
number of roles). What cannot be resolved — a malformed code, an unknown school, need or
postcode — is a :class:`graph.queries.errors.QuestionError` here, before any rule runs.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import TypeVar

from graph import ids
from graph.dated import DatedStore, as_of, day_of
from graph.lifecycle import LIFECYCLE_KEYS, ended_on
from graph.neighbourhood import Lookup, Neighbourhood, Seed, into, out
from graph.props import texts
from graph.queries.answer import Contact
from graph.queries.cache import CACHE
from graph.queries.domain import SECTOR, need_id, postcode_of, unknown_need, unknown_postcode
from graph.queries.errors import QuestionError
from graph.queries.names import label
from graph.records import PROVENANCE_KEYS, EdgeRecord, NodeKey, NodeRecord
from graph.store import GraphStore

#: What a contact in an answer leaves out: where it came from is in the path, not the contact.
HIDDEN = frozenset((*PROVENANCE_KEYS, *LIFECYCLE_KEYS))

T = TypeVar("T")
_MISSING = object()

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


#: the walks out of a question's seeds, made once: a seed's piece of the graph is kept between
#: questions only for the very same steps (:mod:`graph.seed_cache`)
_FROM_SCHOOL = (
    into("BESTUURT", "Schoolbestuur", _CONTACT),
    out("LIGT_IN", "PC4", _SWV),
    out("LIGT_IN", "Gemeente", out("HOORT_BIJ", "Regio"), _SWV),
)
_FROM_PC4 = (
    _SWV,
    into("BEDIENT", "Wijkteam", *_TEAM),
    # a team whose area is given as CBS wijken serves the PC4 areas in them
    out("LIGT_IN", "Wijk", into("BEDIENT", "Wijkteam", *_TEAM)),
    _HOME_GEMEENTE,
)
_PC6_TEAM = into("BEDIENT", "Wijkteam", *_TEAM)
_FROM_PC6 = (
    _PC6_TEAM,
    # the wijk also says which gemeente a PC4 on a border belongs to
    out("LIGT_IN", "Buurt", _PC6_TEAM, out("LIGT_IN", "Wijk", _PC6_TEAM, out("LIGT_IN", "Gemeente"))),
)


def seeds(school: str, home: str, need: str) -> list[Seed]:
    """Everything a who-serves answer may read, from its three (or four) starting points:
    declared up front so that both backends fetch it in one go."""
    found = [
        Seed(NodeKey("School", school), _FROM_SCHOOL),
        Seed(NodeKey("PC4", home[:4]), _FROM_PC4),
        Seed(NodeKey("Behoefte", need)),
    ]
    if len(home) == 6:
        found.append(Seed(NodeKey("PC6", home), _FROM_PC6))
    return found


class Reads:
    """The reads the rules need, over the neighbourhood fetched for the question.

    Each read is made once per question and handed out again: the rules ask the same things
    (the home gemeente's regions for four roles and a warning, the school's gemeente for two),
    and the lists are only read by them, never changed."""

    def __init__(self, near: Neighbourhood) -> None:
        self.near = near
        self.node = near.node
        self._out: dict[tuple[NodeKey, str, str | None], list[EdgeRecord]] = {}
        self._in: dict[tuple[NodeKey, str, str | None], list[EdgeRecord]] = {}
        self._members: dict[NodeKey, list[tuple[NodeRecord, bool]]] = {}

    def out(self, key: NodeKey, rel: str, kind: str | None = None) -> list[EdgeRecord]:
        """The fetched edges ``rel`` from the node (to ``kind`` only), in a stable order."""
        found = self._out.get((key, rel, kind))
        if found is None:
            found = self._out[key, rel, kind] = self.near.out(key, rel, kind)
        return found

    def into(self, key: NodeKey, rel: str, kind: str | None = None) -> list[EdgeRecord]:
        """The fetched edges ``rel`` into the node (from ``kind`` only), in a stable order."""
        found = self._in.get((key, rel, kind))
        if found is None:
            found = self._in[key, rel, kind] = self.near.into(key, rel, kind)
        return found

    def regions(self, gemeente: NodeKey, soort: str) -> list[tuple[NodeRecord, bool]]:
        """Regions of a soort the gemeente belongs to, each with whether only in part (through
        a gemeente it absorbed that was in another region); whole memberships first."""
        members = self._members.get(gemeente)
        if members is None:
            members = self._members[gemeente] = []
            edges = self.out(gemeente, "HOORT_BIJ", "Regio")
            for e in sorted(edges, key=lambda e: bool(e.props.get("deels"))):
                region = self.node(e.dst)
                if region is not None:
                    members.append((region, bool(e.props.get("deels"))))
        return [(region, part) for region, part in members if region.props.get("soort") == soort]

    def named(self, key: NodeKey) -> str:
        """What to call the node in a message: its name with its code (graph.queries.names)."""
        return label(self.node(key), key)

    def contacts(self, key: NodeKey, rol: str | None = None, but: str | None = None) -> list[Contact]:
        """The node's functional contacts; with ``rol`` only those whose function names it,
        with ``but`` only those whose function does not (a gemeente's leerplicht desk is the
        leerplicht role's contact, not the jeugdhulp one's)."""
        found = []
        for e in self.out(key, "HEEFT_CONTACT"):
            c = self.node(e.dst)
            function = str(c.props.get("rol", "")).lower() if c is not None else ""
            if c is None or (rol and rol not in function) or (but and but in function):
                continue
            found.append(Contact.of({k: v for k, v in c.props.items() if k not in HIDDEN}))
        return found


@dataclass
class Question:
    """What every role rule starts from: the school and home as nodes of the graph on the
    day asked about, whether the pupil is at a regular school, and the home gemeente."""

    store: DatedStore
    day: date
    g: Reads
    school: NodeRecord
    need: NodeRecord
    home: str  # the PC4 or PC6 asked about, normalised
    home_pc4: NodeRecord
    home_gemeente: EdgeRecord | None  # PC4 (or PC6) → gemeente, None where no source places it
    regular: bool
    warnings: list[str] = field(default_factory=list)  # what resolving the home had to assume
    #: the pieces of the graph of the school and of a PC4 home, as kept between questions
    sides: dict[str, Neighbourhood] = field(default_factory=dict)

    def kept(self, side: str, key: Hashable, compute: Callable[[Question], T]) -> T:
        """What ``compute`` works out from one side of the question alone — the school's
        piece of the graph (``"school"``) or the home PC4's (``"home"``) — kept with that
        piece for the next question from there, and forgotten with it when the data change.

        Most of an answer depends on one side only (the board and SWV of a regular school,
        the gemeente, team and regions of a home), and the same schools and postcodes are
        asked about again and again. ``compute`` reads a question whose graph is that piece
        alone, so what is kept cannot depend on the other side or on the need: it pairs
        nothing of a question, like the piece itself. A PC6 home has no side kept (the PC6
        may decide the gemeente and the team, and a PC6 is not kept)."""
        piece = self.sides.get(side)
        if piece is None:
            return compute(self)
        held = piece.derived.get(key, _MISSING)
        if held is _MISSING:
            held = piece.derived[key] = compute(replace(self, g=Reads(piece)))
        return held  # type: ignore[return-value]

    @property
    def soort(self) -> str:
        """The school's kind (BAO, SBO, SO, SO/VSO, VSO, VO)."""
        return str(self.school.props.get("soort") or "")

    @property
    def sector(self) -> str:
        """PO or VO: whose SWV the school belongs to."""
        return SECTOR.get(self.soort, "PO")

    @cached_property
    def school_pc4(self) -> list[EdgeRecord]:
        """The school's PC4 edge (at most one in the sources)."""
        return self.g.out(self.school.key, "LIGT_IN", "PC4")

    @property
    def school_pc4_node(self) -> NodeRecord | None:
        """The school's PC4 area, for distances and the SWV of a regular school."""
        return self.g.node(self.school_pc4[0].dst) if self.school_pc4 else None

    @cached_property
    def school_gemeenten(self) -> list[NodeKey]:
        """The gemeente(n) the school lies in."""
        return [e.dst for e in self.g.out(self.school.key, "LIGT_IN", "Gemeente")]

    @property
    def home_gm(self) -> NodeRecord | None:
        """The home gemeente's node, when the home lies in a known one."""
        return self.g.node(self.home_gemeente.dst) if self.home_gemeente else None

    @property
    def home_gemeenten(self) -> list[NodeKey]:
        """The home gemeente as a list: empty where it is unknown."""
        return [self.home_gemeente.dst] if self.home_gemeente else []

    @property
    def home_gemeente_edges(self) -> list[EdgeRecord]:
        """The home's gemeente relation as a list, for a path: empty where it is unknown."""
        return [self.home_gemeente] if self.home_gemeente else []

    @cached_property
    def jeugdregios(self) -> list[NodeRecord]:
        """The jeugdregio(s) that buy care for the home gemeente: the ones it wholly belongs
        to; the partial ones only when there is no other (the role says so in a warning)."""
        if self.home_gemeente is None:
            return []
        found = self.g.regions(self.home_gemeente.dst, "jeugdregio")
        return [r for r, part in found if not part] or [r for r, _ in found]


def resolve(
    store: GraphStore, school: str, postcode: str, need: str, on: date | None, enrolled_regular: bool | None
) -> Question:
    """The :class:`Question` for school, home postcode and need on a day.

    Raises
    ------
    QuestionError
        422 for a malformed school code, postcode or need; 404 for a school, need or PC4
        the kaart does not know on that day (with the closest school codes as suggestions).
    """
    dated = as_of(store, on)
    day = day_of(dated, on)
    school_id, home, need_key = _codes(school, postcode, need)
    pieces = dated.pieces(seeds(school_id, home, need_key))
    g = Reads(Neighbourhood.merged(pieces))
    school_node = g.node(NodeKey("School", school_id))
    if school_node is None:
        raise QuestionError("school", _unknown_school(dated, school_id, day), 404, _closest(dated, school_id))
    need_node = g.node(NodeKey("Behoefte", need_key))
    if need_node is None:
        raise unknown_need(need)
    home_pc4 = g.node(NodeKey("PC4", home[:4]))
    if home_pc4 is None:
        raise unknown_postcode(home[:4])
    soort = str(school_node.props.get("soort") or "")
    # SBO is the SWV's own provision within regular education: its SWV is that of its address
    regular = enrolled_regular if enrolled_regular is not None else soort in ("BAO", "SBO", "VO")
    gemeente, warnings = _home_gemeente(g, home)
    sides = {"school": pieces[0], **({"home": pieces[1]} if len(home) == 4 else {})}
    return Question(dated, day, g, school_node, need_node, home, home_pc4, gemeente, regular, warnings, sides)


def _codes(school: str, postcode: str, need: str) -> tuple[str, str, str]:
    """The question's three codes in their one form, or the error that says the forms."""
    try:
        school_id = ids.school_id(school)
    except ids.IdentifierError as exc:
        raise QuestionError("school", f"{exc}") from None
    return school_id, postcode_of(postcode), need_id(need)


def _home_gemeente(g: Reads, home: str) -> tuple[EdgeRecord | None, list[str]]:
    """The gemeente of the home address: the PC4's, or for a PC4 on a border the one its
    PC6 lies in (through buurt and wijk) or else the one with the largest share, saying so
    in the warning it returns."""
    edges = g.out(NodeKey("PC4", home[:4]), "LIGT_IN", "Gemeente")
    if len(edges) <= 1:
        return (edges[0] if edges else None), []
    by_pc6 = {
        gm.dst
        for b in g.out(NodeKey("PC6", home), "LIGT_IN", "Buurt")
        for w in g.out(b.dst, "LIGT_IN", "Wijk")
        for gm in g.out(w.dst, "LIGT_IN", "Gemeente")
    }
    chosen = [e for e in edges if e.dst in by_pc6]
    if len(chosen) == 1:
        return chosen[0], []
    edges = sorted(edges, key=lambda e: -share(e))
    shares = ", ".join(f"{g.named(e.dst)}: {_pct(e)}" for e in edges)
    warning = (
        f"Postcode {home[:4]} ligt in meer gemeenten: {shares}. Het antwoord gaat uit van "
        f"{g.named(edges[0].dst)}, de gemeente met het grootste deel; geef de volledige postcode (PC6)."
    )
    return edges[0], [warning]


def share(e: EdgeRecord) -> float:
    """The share of the addresses an area relation covers (``aandeel``), 0 when unknown."""
    value = e.props.get("aandeel")
    return float(value) if isinstance(value, int | float) else 0.0


def _pct(e: EdgeRecord) -> str:
    value = e.props.get("aandeel")
    return f"{100 * value:.0f}% van de adressen" if isinstance(value, int | float) else "aandeel onbekend"


def gemeente_other_days(store: DatedStore, pc4: str) -> str:
    """Where the history places a PC4 that lies in no gemeente on the day asked about (a
    gemeente split that day's table could not divide, say), so the warning can say when."""
    history = store.all_days
    found = []
    for e in history.edges(rel="LIGT_IN", src=NodeKey("PC4", pc4)):
        if e.dst.kind == "Gemeente":
            spans = texts(e.props, "geldig")
            when = ", ".join(_span_words(p) for p in spans) or "op een andere dag"
            found.append(f"{label(history.node(e.dst), e.dst)} ({when})")
    return "; ".join(found)


def _span_words(span: str) -> str:
    begin, _, end = span.partition("/")
    if begin and end:
        return f"van {begin} tot {end}"
    return f"vanaf {begin}" if begin else f"tot {end}" if end else "altijd"


def _unknown_school(store: DatedStore, school: str, day: date) -> str:
    """Why a school is not there: none of that code, or not on the day asked for (closed since,
    or opened later), which the history says."""
    known = store.all_days.node(NodeKey("School", school))
    if known is None:
        return f"school {school} is niet bekend in de kaart"
    ended = ended_on(known.props)
    name = label(known)
    if ended and ended <= day.isoformat():
        return f"{name} bestaat volgens de bronnen niet meer sinds {ended}"
    return f"{name} bestond op {day.isoformat()} nog niet volgens de bronnen"


def _closest(store: GraphStore, school: str, n: int = 5) -> list[str]:
    """Known school ids that look like the one asked for (a typing error in a code). Only ids
    that share the BRIN's first two characters or four positions are compared closely: over
    ~9,000 ids that keeps a wrong code's answer fast."""
    known = CACHE.get(store, "school-ids", lambda s: [n.id for n in s.nodes("School")])
    near = [
        i for i in known if i[:2] == school[:2] or sum(a == b for a, b in zip(i, school, strict=False)) >= 4
    ]
    return difflib.get_close_matches(school, near, n=n, cutoff=0.5)
