"""Words: how what a person types is matched against the names of many things — the
question's words, the matching of one typed word against one word of a name, and an index
of the words of many documents that finds every match of a typed word without comparing it
with every word.

A question is matched word by word. Each word must match a word of the candidate (its name,
an alias, its place, its gemeente …): exactly, as the start of it ('haarl' → Haarlem), inside
a compound ('school' in 'Mariaschool') or within one typing error (two for long words:
'Haarlm', 'Mariascool'; a word of four letters may only miss one, 'krng'). Common words
('de', 'basisschool', 'obs') help the ranking but need not match, because people add them
whether the official name has them or not.

This module knows nothing of schools or gemeenten: :mod:`graph.queries.search` says what is
indexed for each, and how codes and whole names rank.

>>> normalise("'s-Hertogenbosch, Sint-Michielsgestel")
's hertogenbosch sint michielsgestel'
>>> osa("haarlm", "haarlem", 2), osa("mariascool", "mariaschool", 2), osa("abc", "xyz", 1)
(1, 1, 2)
>>> match_quality("haarlm", "haarlem") > match_quality("haarlm", "haarlemmermeer") > 0
True
>>> match_quality("krng", "kring") > 0, match_quality("haag", "hoog")
(True, 0.0)
>>> words_of_question("  Maria-School ")
('maria school', ['maria', 'school'])
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from graph.queries.errors import QuestionError

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
#: How much a match on a field counts, against a match on the name itself.
FIELD_WEIGHT = {"naam": 1.0, "plaats": 1.0, "postcode": 1.0, "soort": 0.9, "woonplaats": 0.9, "gemeente": 0.9}
COMMON_WORD_WEIGHT = 0.25


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
        """Sort the words and build the trigram index once all documents are in: searching
        a frozen index is what must be fast, adding to it happens once per data version."""
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
        """What a hit matched on (id, naam, plaats, ...), for the reader to see why it is there."""
        if doc in self.codes:
            return ["id"]
        return list(dict.fromkeys(f[doc] for f in self.fields if doc in f))

    def add_code(self, doc: int, score: float) -> None:
        """A document found by its code: that outranks a match on words."""
        self.scores[doc] = max(score, self.scores.get(doc, 0.0))
        self.codes.add(doc)

    def best_first(self) -> list[int]:
        """Highest score first; documents of one score in their own order (by id)."""
        return sorted(sorted(self.scores), key=self.scores.__getitem__, reverse=True)


def words_of_question(q: str) -> tuple[str, list[str]]:
    """The question, checked and normalised, and its words."""
    text = (q or "").strip()
    if len(text) < MIN_QUERY:
        raise QuestionError(
            "q",
            f"q moet minstens {MIN_QUERY} tekens hebben: een naam, een plaats of een code "
            "(bijv. 'Haarlem', 'Mariaschool', '15UJ00')",
        )
    if len(text) > MAX_QUERY:
        raise QuestionError("q", f"q mag hoogstens {MAX_QUERY} tekens hebben")
    norm = normalise(text)
    if not norm:
        raise QuestionError("q", "q moet letters of cijfers bevatten: een naam, een plaats of een code")
    return norm, norm.split()
