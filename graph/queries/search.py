"""Search: find a school, gemeente or SWV from what a person types — a name with a typo, a
place, a code.

What is typed is matched word by word against the words of every candidate
(:mod:`graph.queries.words`): its name and aliases, its place, its gemeente, its kind. This
module says what is indexed for each kind of thing and what ranks above a match of words:
an exact code (``15UJ00``, ``PO2704``, ``GM0392``) or a BRIN prefix above any name, the whole
official name above the whole name of another source, a gemeente of today above a former one.
Providers for a need near a postcode are :mod:`graph.queries.providers_near`.

The words of every school, gemeente and SWV sit in an index per store, built on first use and
rebuilt when the store's :meth:`~graph.store.GraphStore.data_version` changes (see
:mod:`graph.queries.cache`), so a search over ~10,000 schools
costs milliseconds; only what the hits of one page show is read from the store, fresh.

What a search finds is :mod:`graph.queries.hits`; how a list is paged, :mod:`graph.queries.pages`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from graph import ids
from graph.dated import as_of
from graph.props import texts, whole
from graph.queries.cache import CACHE
from graph.queries.domain import SECTOR
from graph.queries.hits import (
    FormerGemeente,
    GemeenteHit,
    GemeentePage,
    SchoolHit,
    SchoolPage,
    SwvHit,
    SwvPage,
)
from graph.queries.names import naam_of
from graph.queries.pages import Ref, paginate, text_of
from graph.queries.words import WordIndex, normalise, words_of_question
from graph.records import NodeRecord
from graph.store import GraphStore

#: Words that make a school's kind findable ("speciaal basisonderwijs Haarlem").
SOORT_WORDS = {
    "BAO": "basisschool basisonderwijs bao",
    "SBO": "sbo speciaal basisonderwijs",
    "SO": "so speciaal onderwijs",
    "VSO": "vso voortgezet speciaal onderwijs",
    "SO/VSO": "so vso speciaal onderwijs",
    "VO": "vo voortgezet onderwijs middelbare",
    "MBO": "mbo",
}
#: Added to a school's score when the question is its whole name: the official name (DUO)
#: above a name of another source, so that 'De Regenboog' finds the school of that name before
#: 'Christelijke Basisschool De Regenboog', which another source calls 'De Regenboog'.
OFFICIAL_NAME_BONUS = 0.3
ALIAS_BONUS = 0.2
START_BONUS = 0.1  # the question is the start of a name


@dataclass
class _Geo:
    """Where things lie, from one scan of LIGT_IN: what schools, SWVs and gemeenten show."""

    school_pc4: dict[str, str] = field(default_factory=dict)
    school_gemeente: dict[str, str] = field(default_factory=dict)
    pc4_gemeenten: dict[str, list[tuple[float, str]]] = field(default_factory=lambda: defaultdict(list))
    gemeente_provincie: dict[str, str] = field(default_factory=dict)

    def gemeente_of_school(self, school: str) -> str | None:
        """The school's own gemeente, else the gemeente of most of its PC4."""
        if school in self.school_gemeente:
            return self.school_gemeente[school]
        options = self.pc4_gemeenten.get(self.school_pc4.get(school, ""), [])
        return max(options)[1] if options else None


def _geo(store: GraphStore) -> _Geo:
    geo = _Geo()
    for e in store.edges(rel="LIGT_IN"):
        pair = (e.src.kind, e.dst.kind)
        if pair == ("School", "PC4"):
            geo.school_pc4.setdefault(e.src.id, e.dst.id)
        elif pair == ("School", "Gemeente"):
            geo.school_gemeente.setdefault(e.src.id, e.dst.id)
        elif pair == ("PC4", "Gemeente"):
            share = e.props.get("aandeel")
            geo.pc4_gemeenten[e.src.id].append(
                (float(share) if isinstance(share, int | float) else 1.0, e.dst.id)
            )
        elif pair == ("Gemeente", "Provincie"):
            geo.gemeente_provincie.setdefault(e.src.id, e.dst.id)
    return geo


# -- schools -----------------------------------------------------------------------------------


@dataclass
class _SchoolIndex:
    ids: list[str]
    naam: list[str]  # the normalised official name, for a whole-name bonus
    aliases: list[set[str]]  # the normalised names of other sources, for a smaller one
    words: WordIndex
    gemeente: list[str | None]
    gemeente_naam: dict[str, str | None]
    pc4_plaats: dict[str, str]
    geo: _Geo


def _build_schools(store: GraphStore) -> _SchoolIndex:
    geo = CACHE.get(store, "geo", _geo)
    gemeente_naam = {n.id: naam_of(n) for n in store.nodes("Gemeente")}
    pc4_plaats = {n.id: str(n.props["plaats"]) for n in store.nodes("PC4") if n.props.get("plaats")}
    words = WordIndex()
    index = _SchoolIndex([], [], [], words, [], gemeente_naam, pc4_plaats, geo)
    for doc, s in enumerate(store.nodes("School")):
        p = s.props
        aliases = texts(p, "namen") if isinstance(p.get("namen"), list) else []
        names = [str(p["naam"])] if p.get("naam") else []
        gm = geo.gemeente_of_school(s.id)
        pc4 = geo.school_pc4.get(s.id) or str(p.get("postcode") or "")[:4]
        index.ids.append(s.id)
        index.naam.append(normalise(names[0]) if names else "")
        index.aliases.append({normalise(a) for a in aliases} - {index.naam[-1]})
        index.gemeente.append(gm)
        for name in names + aliases:
            words.add(doc, "naam", name)
        for place in (p.get("plaats"), pc4_plaats.get(pc4), gemeente_naam.get(gm or "")):
            words.add(doc, "plaats", str(place) if place else None)
        words.add(doc, "postcode", f"{pc4} {p.get('postcode') or ''}")
        words.add(doc, "soort", SOORT_WORDS.get(str(p.get("soort") or "")))
    words.freeze()
    return index


def _school_id_hits(index: _SchoolIndex, q: str) -> dict[int, float]:
    """An exact vestiging id first, then every vestiging of a BRIN."""
    code = re.sub(r"[\s/-]", "", q).upper()
    if not re.fullmatch(r"\d{2}[A-Z]{2}(\d{2})?", code):
        return {}
    return {
        doc: 3.0 if school == code else 2.0 for doc, school in enumerate(index.ids) if school.startswith(code)
    }


def search_schools(store: GraphStore, q: str, page: int = 1, size: int = 20) -> SchoolPage:
    """Schools by name (or an alias of other sources), place, gemeente, postcode, kind or
    code, best first."""
    store = as_of(store)
    norm, typed = words_of_question(q)
    index = CACHE.get(store, "schools", _build_schools)
    ranking = index.words.rank(typed)
    for doc in ranking.scores:
        if norm == index.naam[doc]:
            ranking.scores[doc] += OFFICIAL_NAME_BONUS
        elif norm in index.aliases[doc]:
            ranking.scores[doc] += ALIAS_BONUS
        elif index.naam[doc].startswith(norm) or any(a.startswith(norm) for a in index.aliases[doc]):
            ranking.scores[doc] += START_BONUS
    for doc, score in _school_id_hits(index, q).items():
        ranking.add_code(doc, score)
    chosen, total = paginate(ranking.best_first(), page, size)
    fresh = {n.id: n for n in store.nodes("School", [index.ids[doc] for doc in chosen])}
    items = []
    for doc in chosen:
        node = fresh.get(index.ids[doc])
        if node is None:
            continue
        gm = index.gemeente[doc]
        pc4 = index.geo.school_pc4.get(node.id, "")
        soort = str(node.props["soort"]) if node.props.get("soort") else None
        plaats = node.props.get("plaats") or index.pc4_plaats.get(pc4) or index.gemeente_naam.get(gm or "")
        items.append(
            SchoolHit(
                node.id,
                naam_of(node),
                str(plaats) if plaats else None,
                Ref(gm, index.gemeente_naam.get(gm)) if gm else None,
                soort,
                SECTOR.get(soort or ""),
                str(node.props["postcode"]) if node.props.get("postcode") else None,
                round(ranking.scores[doc], 3),
                ranking.matched_on(doc),
            )
        )
    return SchoolPage(items, page, size, total)


# -- gemeenten ---------------------------------------------------------------------------------

#: What people call a gemeente when that is not its official name (CBS), indexed as a name: no
#: one types 's-Gravenhage. A name with a qualifier needs nothing here: 'Bergen NH' and
#: 'Bergen L' already match 'Bergen (NH.)' and 'Bergen (L.)' word for word.
EVERYDAY_NAMES: dict[str, tuple[str, ...]] = {
    "GM0518": ("Den Haag",),  # 's-Gravenhage
    "GM0796": ("Den Bosch",),  # 's-Hertogenbosch
    "GM0505": ("Dordt",),  # Dordrecht
    "GM0737": ("Tietjerksteradeel",),  # Tytsjerksteradiel, its Dutch name until 1989
}
FORMER_NAME_WEIGHT = 0.95  # a gemeente found by its former name ranks below one of that name today


@dataclass
class _GemeenteIndex:
    nodes: list[NodeRecord]
    doc_of: dict[str, int]
    words: WordIndex
    names: list[set[str]]  # normalised official and everyday names, for a whole-name bonus
    today: dict[str, list[str]]  # gemeente -> the gemeente(n) of today it is part of
    provincie: dict[str, Ref]


def is_of_today(gemeente: NodeRecord) -> bool:
    """A gemeente of today has a name and was not opgeheven. Old gemeenten known only by a code
    (split, or from a table of codes) and those opgeheven without a known successor are not."""
    return naam_of(gemeente) is not None and not gemeente.props.get("opgeheven")


def _build_gemeenten(store: GraphStore) -> _GemeenteIndex:
    nodes = store.nodes("Gemeente")
    words = WordIndex()
    names: list[set[str]] = []
    for doc, n in enumerate(nodes):
        own = [naam_of(n) or "", *EVERYDAY_NAMES.get(n.id, ())] if is_of_today(n) else [naam_of(n) or ""]
        names.append({normalise(name) for name in own} - {""})
        for name in own:
            words.add(doc, "naam", name)
        places = n.props.get("woonplaatsen")
        for place in places if isinstance(places, list) else []:
            words.add(doc, "woonplaats", str(place))
    merged: dict[str, list[str]] = defaultdict(list)
    for e in store.edges(rel="OPGEGAAN_IN"):
        merged[e.src.id].append(e.dst.id)

    def today(gm: str, seen: frozenset[str] = frozenset()) -> list[str]:
        if gm not in merged or gm in seen:
            return [gm]
        return sorted({t for nxt in merged[gm] for t in today(nxt, seen | {gm})})

    provincies = {n.id: naam_of(n) for n in store.nodes("Provincie")}
    in_provincie = CACHE.get(store, "geo", _geo).gemeente_provincie
    provincie = {gm: Ref(pv, provincies.get(pv)) for gm, pv in in_provincie.items()}
    return _GemeenteIndex(
        nodes,
        {n.id: i for i, n in enumerate(nodes)},
        words.freeze(),
        names,
        {g: today(g) for g in merged},
        provincie,
    )


def search_gemeenten(store: GraphStore, q: str, page: int = 1, size: int = 20) -> GemeentePage:
    """Gemeenten of today by name (official or everyday: Den Haag), code, woonplaats, or the
    name or code of a gemeente that merged into them (``via``).

    A gemeente that is not of today (:func:`is_of_today`) is listed after every gemeente of
    today, however well it matched: one opgeheven without a known successor (split, like
    Haaren in 2021) as itself, with ``opgeheven``; one known only by its code (found by that
    code, or as where a former gemeente went) without a name."""
    store = as_of(store)
    norm, typed = words_of_question(q)
    index = CACHE.get(store, "gemeenten", _build_gemeenten)
    ranking = index.words.rank(typed)
    for doc in ranking.scores:
        if norm in index.names[doc]:
            ranking.scores[doc] += 0.3
    if re.fullmatch(r"(?:gm)?\s*\d{1,4}", norm):
        code = ids.gemeente_code(norm.replace(" ", ""))
        if code in index.doc_of:
            ranking.add_code(index.doc_of[code], 3.0)
    hits: dict[str, GemeenteHit] = {}
    for doc, score in ranking.scores.items():
        node = index.nodes[doc]
        for gm in index.today.get(node.id, [node.id]):
            former = gm != node.id
            weighted = round(score * (FORMER_NAME_WEIGHT if former else 1.0), 3)
            if gm in hits and hits[gm].score >= weighted:
                continue
            target = index.nodes[index.doc_of[gm]] if gm in index.doc_of else NodeRecord("Gemeente", gm)
            via = (
                FormerGemeente(node.id, naam_of(node), text_of(node.props.get("opgeheven")))
                if former
                else None
            )
            hits[gm] = GemeenteHit(
                gm,
                naam_of(target),
                index.provincie.get(gm),
                whole(target.props, "inwoners"),
                text_of(target.props.get("opgeheven")),
                via,
                weighted,
                [f"voormalige {f}" if former else f for f in ranking.matched_on(doc)],
            )
    of_today = {gm for gm in hits if gm in index.doc_of and is_of_today(index.nodes[index.doc_of[gm]])}
    ranked = sorted(hits.values(), key=lambda h: (h.id not in of_today, -h.score, h.naam or "", h.id))
    items, total = paginate(ranked, page, size)
    return GemeentePage(items, page, size, total)


# -- samenwerkingsverbanden --------------------------------------------------------------------


@dataclass
class _SwvIndex:
    nodes: list[NodeRecord]
    words: WordIndex
    gemeenten: list[list[Ref]]


def _build_swvs(store: GraphStore) -> _SwvIndex:
    geo = CACHE.get(store, "geo", _geo)
    gemeente_naam = {n.id: naam_of(n) for n in store.nodes("Gemeente")}
    region: dict[str, set[str]] = defaultdict(set)
    for e in store.edges(rel="IN_WERKGEBIED"):
        if e.src.kind == "Gemeente":
            region[e.dst.id].add(e.src.id)
        elif e.src.kind == "PC4":
            region[e.dst.id].update(gm for _, gm in geo.pc4_gemeenten.get(e.src.id, ()))
        elif e.src.kind == "PC6":
            region[e.dst.id].update(gm for _, gm in geo.pc4_gemeenten.get(e.src.id[:4], ()))
    nodes = store.nodes("Swv")
    words = WordIndex()
    gemeenten: list[list[Ref]] = []
    for doc, n in enumerate(nodes):
        refs = sorted(
            (Ref(g, gemeente_naam.get(g)) for g in region.get(n.id, ())), key=lambda r: r.naam or r.id
        )
        gemeenten.append(refs)
        words.add(doc, "naam", naam_of(n))
        for ref in refs:
            words.add(doc, "gemeente", ref.naam)
    return _SwvIndex(nodes, words.freeze(), gemeenten)


def _swv_code_hits(nodes: list[NodeRecord], q: str) -> dict[int, float]:
    """``PO2704``, ``PO 27-04``, ``po27`` (a prefix) or ``27-04`` (PO and VO of that region)."""
    code = re.sub(r"[\s.-]", "", q.upper()).removeprefix("SWV")
    if re.fullmatch(r"(PO|VO)\d{0,4}", code):
        return {d: 3.0 if n.id == code else 2.0 for d, n in enumerate(nodes) if n.id.startswith(code)}
    if re.fullmatch(r"\d{2,4}", code):
        return {d: 3.0 if len(code) == 4 else 2.0 for d, n in enumerate(nodes) if n.id[2:].startswith(code)}
    return {}


def search_swvs(store: GraphStore, q: str, page: int = 1, size: int = 20) -> SwvPage:
    """SWVs by code, name, or a gemeente in their region (open data has codes, not names)."""
    store = as_of(store)
    _, typed = words_of_question(q)
    index = CACHE.get(store, "swvs", _build_swvs)
    ranking = index.words.rank(typed)
    for doc, score in _swv_code_hits(index.nodes, q).items():
        ranking.add_code(doc, score)
    chosen, total = paginate(ranking.best_first(), page, size)
    items = [
        SwvHit(
            index.nodes[doc].id,
            naam_of(index.nodes[doc]),
            text_of(index.nodes[doc].props.get("sector")) or index.nodes[doc].id[:2],
            index.gemeenten[doc],
            round(ranking.scores[doc], 3),
            ranking.matched_on(doc),
        )
        for doc in chosen
    ]
    return SwvPage(items, page, size, total)
