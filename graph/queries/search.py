"""Search: find a school, gemeente or SWV from what a person types — a name with a typo, a
place, a code — and providers for a need near a postcode.

A question is matched word by word. Each word must match a word of the candidate (its name,
an alias, its place, its gemeente …): exactly, as the start of it ('haarl' → Haarlem), inside
a compound ('school' in 'Mariaschool') or within one typing error (two for long words:
'Haarlm', 'Mariascool'; a word of four letters may only miss one, 'krng'). Common words
('de', 'basisschool', 'obs') help the ranking but need not match, because people add them
whether the official name has them or not. An exact code (``15UJ00``, ``PO2704``,
``GM0392``) or a BRIN prefix ranks above any name.

The words of every school, gemeente and SWV sit in an index per store, built on first use and
rebuilt when the store's :meth:`~graph.store.GraphStore.data_version` changes (see
:mod:`graph.queries.cache`), so a search over ~10,000 schools
costs milliseconds; only what the hits of one page show is read from the store, fresh.

>>> normalise("'s-Hertogenbosch, Sint-Michielsgestel")
's hertogenbosch sint michielsgestel'
>>> osa("haarlm", "haarlem", 2), osa("mariascool", "mariaschool", 2), osa("abc", "xyz", 1)
(1, 1, 2)
>>> match_quality("haarlm", "haarlem") > match_quality("haarlm", "haarlemmermeer") > 0
True
>>> match_quality("krng", "kring") > 0, match_quality("haag", "hoog")
(True, 0.0)
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from graph import ids
from graph.queries.cache import CACHE
from graph.queries.who_serves import SECTOR, distance_km, need_id
from graph.records import NodeKey, NodeRecord
from graph.store import GraphStore

T = TypeVar("T")

MIN_QUERY = 2
MAX_QUERY = 200

#: Words people add to a name whether the official name has them or not: they count for the
#: ranking when they match but a candidate need not have them.
_COMMON = (
    "de het een en van der den voor in op te ten ter aan bij st sint school basisschool obs cbs pcbs "
    "rkbs rk kbs ikc bs sbo so vso vo bao prot chr openbare katholieke christelijke gemeente swv "
    "samenwerkingsverband passend onderwijs"
)
COMMON_WORDS = frozenset(_COMMON.split())
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
#: How much a match on a field counts, against a match on the name itself.
FIELD_WEIGHT = {"naam": 1.0, "plaats": 1.0, "postcode": 1.0, "soort": 0.9, "woonplaats": 0.9, "gemeente": 0.9}
FORMER_NAME_WEIGHT = 0.95  # a gemeente found by its former name ranks below one of that name today
COMMON_WORD_WEIGHT = 0.25


class SearchError(ValueError):
    """A question that cannot be searched as asked; ``field`` names the parameter."""

    def __init__(self, field: str, message: str, status: int = 422) -> None:
        self.field, self.status = field, status
        super().__init__(message)


# -- words ---------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case, accents off, every run of other characters one space: how both the
    question and the names are compared ('Sint-Jozef' = 'sint jozef', 'Café' = 'cafe')."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def osa(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of neighbours as one edit ('hoofd' / 'hofod'), or
    ``limit + 1`` as soon as it must exceed ``limit`` (most candidates stop early)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, before[j - 2] + 1)
            cur[j] = v
        if min(cur) > limit:
            return limit + 1
        before, prev = prev, cur
    return min(prev[-1], limit + 1)


def typos_allowed(word: str) -> int:
    """Short words must be typed (nearly) right: one error in 'haag' makes 'hoog'."""
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def match_quality(typed: str, word: str) -> float:
    """How well a typed word matches a word of a name, 0 for not at all; exact beats start
    beats inside-a-compound beats a typo beats a typo in the start."""
    if word == typed:
        return 1.0
    if word.startswith(typed):
        return 0.8 + 0.15 * len(typed) / len(word)
    if len(typed) < 4:
        return 0.0
    if typed in word:
        return 0.7
    limit = typos_allowed(typed)
    if not limit:
        # a 4-letter word may miss a letter ('krng'), not have one changed ('hoog' is no 'haag')
        missing_one = len(word) == len(typed) + 1 == 5
        return 0.65 if missing_one and any(word[:i] + word[i + 1 :] == typed for i in range(5)) else 0.0
    d = osa(typed, word, limit)
    if d <= limit:
        return 0.8 - 0.1 * d
    if len(word) > len(typed) and word[0] == typed[0]:
        n = len(typed)
        d = min(osa(typed, word[:k], limit) for k in (n - 1, n, n + 1) if k < len(word))
        if d <= limit:
            return 0.55 - 0.05 * d
    return 0.0


def _grams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class WordIndex:
    """The words of many documents (by number), for matching typed words: an ordered word
    list for starts, trigrams to find typos and compounds without comparing every word."""

    def __init__(self) -> None:
        self._postings: dict[str, dict[int, str]] = defaultdict(dict)
        self._words: list[str] = []
        self._grams: dict[str, list[int]] = {}
        self._memo: dict[str, list[tuple[str, float]]] = {}

    def add(self, doc: int, fld: str, text: str | None) -> None:
        """Index ``text`` as ``fld`` of ``doc``; a word that is already there under a
        weightier field keeps that field."""
        for word in normalise(text or "").split():
            have = self._postings[word].get(doc)
            if have is None or FIELD_WEIGHT[fld] > FIELD_WEIGHT[have]:
                self._postings[word][doc] = fld

    def freeze(self) -> WordIndex:
        self._words = sorted(self._postings)
        grams: dict[str, list[int]] = defaultdict(list)
        for i, word in enumerate(self._words):
            for g in _grams(word):
                grams[g].append(i)
        self._grams = dict(grams)
        return self

    def words_like(self, typed: str) -> list[tuple[str, float]]:
        """Every indexed word the typed one matches, with the quality of the match."""
        if typed in self._memo:
            return self._memo[typed]
        found: dict[str, float] = {}
        i = bisect.bisect_left(self._words, typed)
        while i < len(self._words) and self._words[i].startswith(typed):
            found[self._words[i]] = match_quality(typed, self._words[i])
            i += 1
        if len(typed) >= 4:
            # a common word only helps the ranking: inside a compound, yes; with a typo, no
            fuzzy = typed not in COMMON_WORDS
            grams = _grams(typed)
            shared = Counter(j for g in grams for j in self._grams.get(g, ()))
            # one edit breaks at most 3 trigrams; inside a word, '^' and '$' are lost
            least = max(1, len(grams) - 2 - 3 * typos_allowed(typed) * fuzzy)
            for j, n in shared.items():
                word = self._words[j]
                if n >= least and word not in found:
                    q = match_quality(typed, word) if fuzzy else 0.7 * (typed in word)
                    if q:
                        found[word] = q
        result = sorted(found.items())
        if len(self._memo) > 4096:
            self._memo.clear()
        self._memo[typed] = result
        return result

    def docs_like(self, typed: str) -> tuple[dict[int, float], dict[int, str]]:
        """Per document the best weighted quality of its words for a typed word, and the
        field of that word. Two flat dicts, not one of pairs: a common word matches thousands
        of documents, and that many small objects per question would wake the garbage
        collector to walk the whole graph in memory."""
        best: dict[int, float] = {}
        where: dict[int, str] = {}
        for word, quality in self.words_like(typed):
            for doc, fld in self._postings[word].items():
                q = quality * FIELD_WEIGHT[fld]
                if q > best.get(doc, 0.0):
                    best[doc], where[doc] = q, fld
        return best, where

    def rank(self, typed_words: list[str]) -> Ranking:
        """Documents matching every word that matters, scored by the weighted mean quality
        of all words (0..1)."""
        required = [w for w in typed_words if w not in COMMON_WORDS and len(w) > 1] or typed_words
        per_word = {w: self.docs_like(w) for w in dict.fromkeys(typed_words)}
        chosen = sorted((per_word[w][0] for w in required), key=len)
        docs = set(chosen[0]).intersection(*chosen[1:]) if chosen else set()
        weighted = [(per_word[w][0], 1.0 if w in required else COMMON_WORD_WEIGHT) for w in typed_words]
        total = sum(weight for _, weight in weighted)
        scores = {doc: sum(best.get(doc, 0.0) * weight for best, weight in weighted) / total for doc in docs}
        return Ranking(scores, [where for _, where in per_word.values()])


@dataclass
class Ranking:
    """The score of each matching document; what matched is looked up only for the few
    documents shown."""

    scores: dict[int, float]
    fields: list[dict[int, str]]
    codes: set[int] = field(default_factory=set)  # documents found by their code

    def matched_on(self, doc: int) -> list[str]:
        if doc in self.codes:
            return ["id"]
        return list(dict.fromkeys(f[doc] for f in self.fields if doc in f))

    def add_code(self, doc: int, score: float) -> None:
        self.scores[doc] = max(score, self.scores.get(doc, 0.0))
        self.codes.add(doc)

    def best_first(self) -> list[int]:
        """Highest score first; documents of one score in their own order (by id)."""
        return sorted(sorted(self.scores), key=self.scores.__getitem__, reverse=True)


def _words_of_question(q: str) -> tuple[str, list[str]]:
    """The question, checked and normalised, and its words."""
    text = (q or "").strip()
    if len(text) < MIN_QUERY:
        raise SearchError(
            "q",
            f"q must have at least {MIN_QUERY} characters: a name, a place or a code "
            "(e.g. 'Haarlem', 'Mariaschool', '15UJ00')",
        )
    if len(text) > MAX_QUERY:
        raise SearchError("q", f"q may have at most {MAX_QUERY} characters")
    norm = normalise(text)
    if not norm:
        raise SearchError("q", "q must contain letters or digits: a name, a place or a code")
    return norm, norm.split()


# -- pages and hits --------------------------------------------------------------------------


@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    size: int
    total: int


@dataclass
class Ref:
    id: str
    naam: str | None


@dataclass
class SchoolHit:
    id: str
    naam: str | None
    plaats: str | None
    gemeente: Ref | None
    soort: str | None
    sector: str | None
    postcode: str | None
    score: float
    matched_on: list[str]


@dataclass
class FormerGemeente:
    id: str
    naam: str | None
    opgeheven: str | None


@dataclass
class GemeenteHit:
    id: str
    naam: str | None
    provincie: Ref | None
    inwoners: int | None
    opgeheven: str | None
    via: FormerGemeente | None  # found by the name or code of a gemeente that merged into it
    score: float
    matched_on: list[str]


@dataclass
class SwvHit:
    id: str
    naam: str | None
    sector: str | None
    gemeenten: list[Ref]
    score: float
    matched_on: list[str]


def _page(ranked: list[T], page: int, size: int) -> tuple[list[T], int]:
    if page < 1 or not 1 <= size <= 200:
        raise SearchError("page" if page < 1 else "size", "page starts at 1; size is 1 to 200")
    return ranked[(page - 1) * size : page * size], len(ranked)


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


def _naam(n: NodeRecord | None) -> str | None:
    value = n.props.get("naam") if n is not None else None
    return str(value) if value else None


# -- schools -----------------------------------------------------------------------------------


@dataclass
class _SchoolIndex:
    ids: list[str]
    names: list[set[str]]  # normalised full names and aliases, for a whole-name bonus
    words: WordIndex
    gemeente: list[str | None]
    gemeente_naam: dict[str, str | None]
    pc4_plaats: dict[str, str]
    geo: _Geo


def _build_schools(store: GraphStore) -> _SchoolIndex:
    geo = CACHE.get(store, "geo", _geo)
    gemeente_naam = {n.id: _naam(n) for n in store.nodes("Gemeente")}
    pc4_plaats = {n.id: str(n.props["plaats"]) for n in store.nodes("PC4") if n.props.get("plaats")}
    words = WordIndex()
    index = _SchoolIndex([], [], words, [], gemeente_naam, pc4_plaats, geo)
    for doc, s in enumerate(store.nodes("School")):
        p = s.props
        aliases = [str(a) for a in p["namen"]] if isinstance(p.get("namen"), list) else []
        names = [str(p["naam"])] if p.get("naam") else []
        gm = geo.gemeente_of_school(s.id)
        pc4 = geo.school_pc4.get(s.id) or str(p.get("postcode") or "")[:4]
        index.ids.append(s.id)
        index.names.append({normalise(n) for n in names + aliases})
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


def search_schools(store: GraphStore, q: str, page: int = 1, size: int = 20) -> Page[SchoolHit]:
    """Schools by name (or an alias of other sources), place, gemeente, postcode, kind or
    code, best first."""
    norm, typed = _words_of_question(q)
    index = CACHE.get(store, "schools", _build_schools)
    ranking = index.words.rank(typed)
    for doc in ranking.scores:
        if norm in index.names[doc]:
            ranking.scores[doc] += 0.3
        elif any(name.startswith(norm) for name in index.names[doc]):
            ranking.scores[doc] += 0.1
    for doc, score in _school_id_hits(index, q).items():
        ranking.add_code(doc, score)
    chosen, total = _page(ranking.best_first(), page, size)
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
                _naam(node),
                str(plaats) if plaats else None,
                Ref(gm, index.gemeente_naam.get(gm)) if gm else None,
                soort,
                SECTOR.get(soort or ""),
                str(node.props["postcode"]) if node.props.get("postcode") else None,
                round(ranking.scores[doc], 3),
                ranking.matched_on(doc),
            )
        )
    return Page(items, page, size, total)


# -- gemeenten ---------------------------------------------------------------------------------


@dataclass
class _GemeenteIndex:
    nodes: list[NodeRecord]
    doc_of: dict[str, int]
    words: WordIndex
    today: dict[str, list[str]]  # gemeente -> the gemeente(n) of today it is part of
    provincie: dict[str, Ref]


def _build_gemeenten(store: GraphStore) -> _GemeenteIndex:
    nodes = store.nodes("Gemeente")
    words = WordIndex()
    for doc, n in enumerate(nodes):
        words.add(doc, "naam", _naam(n))
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

    provincies = {n.id: _naam(n) for n in store.nodes("Provincie")}
    in_provincie = CACHE.get(store, "geo", _geo).gemeente_provincie
    provincie = {gm: Ref(pv, provincies.get(pv)) for gm, pv in in_provincie.items()}
    return _GemeenteIndex(
        nodes,
        {n.id: i for i, n in enumerate(nodes)},
        words.freeze(),
        {g: today(g) for g in merged},
        provincie,
    )


def search_gemeenten(store: GraphStore, q: str, page: int = 1, size: int = 20) -> Page[GemeenteHit]:
    """Gemeenten of today by name, code, woonplaats, or the name or code of a gemeente that
    merged into them (``via``); a former gemeente whose successor is unknown is itself a hit."""
    norm, typed = _words_of_question(q)
    index = CACHE.get(store, "gemeenten", _build_gemeenten)
    ranking = index.words.rank(typed)
    for doc in ranking.scores:
        if normalise(_naam(index.nodes[doc]) or "") == norm:
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
            via = FormerGemeente(node.id, _naam(node), _text(node.props.get("opgeheven"))) if former else None
            hits[gm] = GemeenteHit(
                gm,
                _naam(target),
                index.provincie.get(gm),
                int(target.props["inwoners"]) if isinstance(target.props.get("inwoners"), int) else None,
                _text(target.props.get("opgeheven")),
                via,
                weighted,
                [f"voormalige {f}" if former else f for f in ranking.matched_on(doc)],
            )
    ranked = sorted(hits.values(), key=lambda h: (-h.score, h.naam or "", h.id))
    items, total = _page(ranked, page, size)
    return Page(items, page, size, total)


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


# -- samenwerkingsverbanden --------------------------------------------------------------------


@dataclass
class _SwvIndex:
    nodes: list[NodeRecord]
    words: WordIndex
    gemeenten: list[list[Ref]]


def _build_swvs(store: GraphStore) -> _SwvIndex:
    geo = CACHE.get(store, "geo", _geo)
    gemeente_naam = {n.id: _naam(n) for n in store.nodes("Gemeente")}
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
        words.add(doc, "naam", _naam(n))
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


def search_swvs(store: GraphStore, q: str, page: int = 1, size: int = 20) -> Page[SwvHit]:
    """SWVs by code, name, or a gemeente in their region (open data has codes, not names)."""
    _, typed = _words_of_question(q)
    index = CACHE.get(store, "swvs", _build_swvs)
    ranking = index.words.rank(typed)
    for doc, score in _swv_code_hits(index.nodes, q).items():
        ranking.add_code(doc, score)
    chosen, total = _page(ranking.best_first(), page, size)
    items = [
        SwvHit(
            index.nodes[doc].id,
            _naam(index.nodes[doc]),
            _text(index.nodes[doc].props.get("sector")) or index.nodes[doc].id[:2],
            index.gemeenten[doc],
            round(ranking.scores[doc], 3),
            ranking.matched_on(doc),
        )
        for doc in chosen
    ]
    return Page(items, page, size, total)


# -- providers near a postcode -------------------------------------------------------------------


@dataclass
class Place:
    id: str
    naam: str | None
    postcode: str | None
    plaats: str | None
    km: float | None


@dataclass
class Offer:
    id: str
    naam: str | None
    behoefte: str
    wachttijd_weken: float | None
    wachttijd_datum: str | None
    wachttijd_bron: str | None
    locaties: list[Place]


@dataclass
class Buyer:
    id: str
    naam: str | None
    soort: str  # gemeente, jeugdregio (or another regio soort)


@dataclass
class ContractRef:
    id: str
    opdrachtgever: Buyer
    geldig_van: str | None
    geldig_tot: str | None
    voor_behoefte: bool  # the contract names this need (or a narrower one)
    geldig: bool  # valid on the reference date


@dataclass
class ProviderHit:
    id: str
    naam: str | None
    plaats: str | None
    website: str | None
    fictief: bool | None
    km: float | None  # to the nearest location where an offer for the need is given
    locatie: Place | None
    offers: list[Offer]
    contracts: list[ContractRef]
    contracted_by_home: bool


@dataclass
class Home:
    postcode: str
    gemeenten: list[Ref]
    jeugdregios: list[Ref]


@dataclass
class ProviderPage:
    items: list[ProviderHit]
    page: int
    size: int
    total: int
    need: Ref
    home: Home


def _valid_on(props: dict[str, object], day: date) -> bool:
    start, end = props.get("geldig_van"), props.get("geldig_tot")
    return (not start or str(start) <= day.isoformat()) and (not end or day.isoformat() <= str(end))


def _narrower(store: GraphStore, need: NodeKey) -> set[str]:
    """The need and every need filed under it (VALT_ONDER), which an offer may name instead."""
    found, todo = {need.id}, [need]
    while todo:
        for e in store.edges(rel="VALT_ONDER", dst=todo.pop()):
            if e.src.id not in found:
                found.add(e.src.id)
                todo.append(e.src)
    return found


def _home(store: GraphStore, postcode: str) -> tuple[NodeRecord, Home, set[NodeKey]]:
    try:
        code = ids.postcode(postcode)
    except ids.IdentifierError:
        raise SearchError(
            "postcode", f"postcode {postcode!r} is not valid: give a PC4 (2011) or a PC6 (2011AB)"
        ) from None
    pc4 = store.node(NodeKey("PC4", code[:4]))
    if pc4 is None:
        raise SearchError("postcode", f"postcode {code[:4]} is not known in the kaart", 404)
    gemeenten = [e.dst for e in store.edges(rel="LIGT_IN", src=pc4.key) if e.dst.kind == "Gemeente"]
    regions = [
        e.dst for gm in gemeenten for e in store.edges(rel="HOORT_BIJ", src=gm) if not e.props.get("deels")
    ]
    names = {
        n.key: n
        for kind in ("Gemeente", "Regio")
        for n in store.nodes(kind, [k.id for k in gemeenten + regions if k.kind == kind])
    }
    jeugdregios = [
        k for k in dict.fromkeys(regions) if names.get(k) and names[k].props.get("soort") == "jeugdregio"
    ]
    home = Home(
        code,
        [Ref(k.id, _naam(names.get(k))) for k in gemeenten],
        [Ref(k.id, _naam(names.get(k))) for k in jeugdregios],
    )
    return pc4, home, set(gemeenten) | set(jeugdregios)


def providers_near(
    store: GraphStore,
    need: str,
    postcode: str,
    km: float | None = None,
    page: int = 1,
    size: int = 20,
    on: date | None = None,
) -> ProviderPage:
    """Providers with an offer for the need, nearest location first (PC4 centroids, or the
    location's own point), each with the gemeenten and jeugdregio's that contract it and
    whether one of them is the home gemeente or its jeugdregio (valid on ``on``, default
    today). Whether a contract applies to a pupil is who-serves' question; this says only
    who bought what."""
    if not (need or "").strip():
        raise SearchError("need", "need is required: an iJw category (45) or an education need (dyslexie)")
    if km is not None and km < 0:
        raise SearchError("km", "km must be 0 or more")
    need_key = NodeKey("Behoefte", need_id(need))
    need_node = store.node(need_key)
    if need_node is None:
        raise SearchError(
            "need",
            f"need {need_key.id} is not known: give an iJw category (e.g. 45) or an education need "
            "(e.g. dyslexie) of the kaart's taxonomy",
            404,
        )
    home_pc4, home, home_buyers = _home(store, postcode)
    if km is not None and "lat" not in home_pc4.props:
        raise SearchError(
            "postcode",
            f"no centroid is known for PC4 {home_pc4.id}: leave out km to list every provider",
            404,
        )
    day = on or date.today()
    needs = _narrower(store, need_key)
    offer_need: dict[str, str] = {}
    for n in sorted(needs):
        for e in store.edges(rel="VOOR_BEHOEFTE", dst=NodeKey("Behoefte", n)):
            if e.src.kind == "Aanbod":
                offer_need.setdefault(e.src.id, n)
    offers = {n.id: n for n in store.nodes("Aanbod", offer_need)}
    provider_offers: dict[str, list[str]] = defaultdict(list)
    offer_places: dict[str, list[str]] = {}
    for offer in offers:
        for e in store.edges(rel="BIEDT", dst=NodeKey("Aanbod", offer)):
            provider_offers[e.src.id].append(offer)
        offer_places[offer] = [e.dst.id for e in store.edges(rel="OP_LOCATIE", src=NodeKey("Aanbod", offer))]
    provider_places = {
        p: [e.dst.id for e in store.edges(rel="HEEFT_LOCATIE", src=NodeKey("Zorgaanbieder", p))]
        for p, its in provider_offers.items()
        if any(not offer_places[o] for o in its)
    }
    all_places = {x for xs in [*offer_places.values(), *provider_places.values()] for x in xs}
    places = {n.id: n for n in store.nodes("Locatie", all_places)}
    pc4s = {str(n.props.get("postcode", ""))[:4] for n in places.values()} - {""}
    centroids = {n.id: n for n in store.nodes("PC4", pc4s)}

    def place(loc_id: str) -> Place | None:
        loc = places.get(loc_id)
        if loc is None:
            return None
        pc = _text(loc.props.get("postcode"))
        point = loc if "lat" in loc.props and "lon" in loc.props else centroids.get((pc or "")[:4])
        return Place(loc.id, _naam(loc), pc, _text(loc.props.get("plaats")), distance_km(home_pc4, point))

    items: list[ProviderHit] = []
    for provider in store.nodes("Zorgaanbieder", provider_offers):
        its_offers = []
        for o in sorted(provider_offers[provider.id]):
            where = offer_places[o] or provider_places.get(provider.id, [])
            props = offers[o].props
            its_offers.append(
                Offer(
                    o,
                    _naam(offers[o]),
                    offer_need[o],
                    float(props["wachttijd_weken"])
                    if isinstance(props.get("wachttijd_weken"), int | float)
                    else None,
                    _text(props.get("wachttijd_datum")),
                    _text(props.get("wachttijd_bron")),
                    sorted(
                        (p for p in map(place, where) if p is not None),
                        key=lambda p: (p.km is None, p.km or 0.0, p.id),
                    ),
                )
            )
        located = [p for o in its_offers for p in o.locaties if p.km is not None]
        nearest = min(located, key=lambda p: (p.km, p.id)) if located else None
        if km is not None and (nearest is None or nearest.km > km):  # type: ignore[operator]
            continue
        contracts = _contracts(store, provider.key, needs, day)
        by_home = any(c.geldig and c.voor_behoefte and buyer in home_buyers for c, buyer in contracts)
        items.append(
            ProviderHit(
                provider.id,
                _naam(provider),
                _text(provider.props.get("plaats")),
                _text(provider.props.get("website")),
                provider.props.get("fictief") if isinstance(provider.props.get("fictief"), bool) else None,
                nearest.km if nearest else None,
                nearest,
                its_offers,
                [c for c, _ in contracts],
                by_home,
            )
        )
    items.sort(key=lambda h: (h.km is None, h.km or 0.0, h.naam or "", h.id))
    chosen, total = _page(items, page, size)
    return ProviderPage(chosen, page, size, total, Ref(need_node.id, _naam(need_node)), home)


def _contracts(
    store: GraphStore, provider: NodeKey, needs: set[str], day: date
) -> list[tuple[ContractRef, NodeKey]]:
    """Every contract with the provider and its buyer: who bought it, when, and whether for
    this need."""
    keys = [e.src for e in store.edges(rel="GECONTRACTEERD", dst=provider)]
    out = []
    for contract in store.nodes("Contract", [k.id for k in keys]):
        covers = any(e.dst.id in needs for e in store.edges(rel="VOOR_BEHOEFTE", src=contract.key))
        for e in store.edges(rel="OPDRACHTGEVER_VAN", dst=contract.key):
            buyer = store.node(e.src)
            soort = (
                "gemeente"
                if e.src.kind == "Gemeente"
                else str((buyer.props.get("soort") if buyer else "") or "regio")
            )
            ref = ContractRef(
                contract.id,
                Buyer(e.src.id, _naam(buyer), soort),
                _text(contract.props.get("geldig_van")),
                _text(contract.props.get("geldig_tot")),
                covers,
                _valid_on(dict(contract.props), day),
            )
            out.append((ref, e.src))
    return sorted(out, key=lambda cb: (not cb[0].voor_behoefte, not cb[0].geldig, cb[1], cb[0].id))
