"""Resolving gemeenten named in other years' spelling to today's codes.

Order of rules, each named in the answer so a user can check it: the code itself (followed
through herindelingen to the gemeente that exists now), then the normalised name
(``'s-``, case, hyphens, spaces, dots), then the name without a provincie suffix
(``Beek`` → ``Beek (L.)``) when exactly one gemeente has that name. Anything else stays
unresolved and is reported: never guessed. A table that names a gemeente gone since (Haaren,
split in 2021; Bussum, merged in 2016) may be placed by :meth:`GemeenteResolver.by_place`:
the woonplaats of a row lies in exactly one gemeente today, which CBS's woonplaatsen say.

>>> r = GemeenteResolver({"GM0888": "Beek (L.)", "GM0363": "Amsterdam"}, {"GM0457": "GM0363"})
>>> r.by_name("beek")
('GM0888', 'name without provincie suffix')
>>> r.by_code("GM0457")
('GM0363', 'code, via herindeling')
>>> r = GemeenteResolver({"GM0363": "Amsterdam"}, {"GM0457": "GM0363"}, {"GM0457": "Weesp"})
>>> r.by_name("WEESP")
('GM0363', 'former name, via herindeling')
>>> r = GemeenteResolver({"GM0824": "Oisterwijk"}, {}, places={"GM0824": ["Haaren", "Moergestel"]})
>>> r.by_place("Haaren")
('GM0824', 'woonplaats Haaren, which lies in Oisterwijk now')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from graph.herindeling import Merge, successor_map
from graph.props import texts
from graph.records import NodeRecord

#: Provincie suffixes that tell same-named gemeenten apart, as written in various sources
#: ('Bergen (NH.)', 'BERGEN NH', 'Bergen (L.)', 'BERGEN LB', 'Hengelo (O.)', 'HENGELO OV').
_SUFFIXES = {
    "nh": "nh",
    "l": "l",
    "lb": "l",
    "li": "l",
    "o": "o",
    "ov": "o",
    "zh": "zh",
    "z": "z",
    "gld": "gld",
    "g": "gld",
    "u": "u",
    "nb": "nb",
    "fr": "fr",
    "gr": "gr",
    "dr": "dr",
    "fl": "fl",
}

#: Short names in common use for gemeenten whose official name is long; facts, not guesses.
ALIASES = {
    "nuenen ca": "nuenen gerwen en nederwetten",
    "den haag": "s gravenhage",
    "den bosch": "s hertogenbosch",
}


def normalise(name: str) -> str:
    """One spelling for a name: ``'s-Hertogenbosch`` = ``S HERTOGENBOSCH``, ``Súdwest-Fryslân`` =
    ``SUDWEST-FRYSLAN``, ``Bergen (NH.)`` = ``BERGEN NH``; the provincie suffix is kept."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().strip().lower()
    text = re.sub(r"^'s[- ]", "s ", text.replace("’", "'"))
    text = re.sub(r"[.,]", " ", text).replace("-", " ")
    text = re.sub(r"\(\s*([a-z]{1,3})\s*\)", r" \1", text)
    words = text.split()
    if len(words) > 1 and words[-1] in _SUFFIXES:
        words[-1] = "(" + _SUFFIXES[words[-1]] + ")"
    text = " ".join(words)
    return ALIASES.get(text, text)


def _base(name: str) -> str:
    return re.sub(r"\s*\([a-z]+\)$", "", normalise(name))


class GemeenteResolver:
    """Finds today's gemeente for a code or name of any year, and says by which rule, so that a
    report can show how a row was placed; it answers ``None`` rather than guess."""

    def __init__(
        self,
        current: Mapping[str, str],
        successor: Mapping[str, str],
        former: Mapping[str, str] | None = None,
        places: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """``current``: code → name of gemeenten that exist now; ``successor``: old → new code;
        ``former``: code → name of gemeenten that no longer exist, where the name is known;
        ``places``: code → the woonplaatsen of a gemeente that exists now."""
        self.current = dict(current)
        self.successor = dict(successor)
        former_names: dict[str, set[str]] = {}
        for code, name in (former or {}).items():
            former_names.setdefault(normalise(name), set()).add(code)
        # A former name that two gemeenten carried (at different times) says nothing on its own.
        self._former = {n: next(iter(c)) for n, c in former_names.items() if len(c) == 1}
        self._names = {normalise(n): c for c, n in self.current.items()}
        bases: dict[str, list[str]] = {}
        for code, name in self.current.items():
            bases.setdefault(_base(name), []).append(code)
        self._bases = {b: codes[0] for b, codes in bases.items() if len(codes) == 1}
        in_gemeente: dict[str, set[str]] = {}
        for code, names in (places or {}).items():
            if code in self.current:
                for place in names:
                    in_gemeente.setdefault(normalise(place), set()).add(code)
        # a woonplaats name that two gemeenten have (Hengelo, Beek) places nothing
        self._places = {n: next(iter(c)) for n, c in in_gemeente.items() if len(c) == 1}

    @classmethod
    def from_records(cls, nodes: Iterable[NodeRecord], merges: Iterable[Merge]) -> GemeenteResolver:
        """From Gemeente nodes and herindelingen as (old, new, share, date): a former gemeente
        resolves to the gemeente it became (:func:`graph.herindeling.successor_map`)."""
        named = [n for n in nodes if n.props.get("naam")]
        current = {n.id: str(n.props["naam"]) for n in named if not n.props.get("opgeheven")}
        former = {n.id: str(n.props["naam"]) for n in named if n.props.get("opgeheven")}
        places = {n.id: texts(n.props, "woonplaatsen") for n in named if n.props.get("woonplaatsen")}
        return cls(current, successor_map(merges), former, places)

    def by_place(self, place: str) -> tuple[str | None, str]:
        """The gemeente a woonplaats lies in today, when exactly one has a woonplaats of that
        name: where a row's gemeente is gone, its place still says where the row is now."""
        code = self._places.get(normalise(place))
        if code is None:
            return None, f"geen enkele gemeente heeft een woonplaats {place!r}"
        return code, f"woonplaats {place}, which lies in {self.current[code]} now"

    def by_code(self, code: str) -> tuple[str | None, str]:
        """Follow the code through herindelingen to the gemeente that exists now (a chain, as in
        several rounds of mergers, and never looping); ``None`` when it leads to none of today."""
        seen = set()
        how = "code"
        while code not in self.current and code in self.successor and code not in seen:
            seen.add(code)
            code = self.successor[code]
            how = "code, via herindeling"
        return (code, how) if code in self.current else (None, "onbekende code")

    def by_name(self, name: str) -> tuple[str | None, str]:
        """By the normalised name, then without a provincie suffix, then as a former gemeente's name
        followed through herindelingen; a base or former name two gemeenten share places nothing."""
        key = normalise(name)
        if not key:
            return None, "geen naam gegeven"
        if key in self._names:
            return self._names[key], "name"
        base = _base(name)
        if base in self._bases:
            return self._bases[base], "name without provincie suffix"
        if key in self._former:
            code, _ = self.by_code(self._former[key])
            if code is not None:
                return code, "former name, via herindeling"
        return None, "er bestaat nu geen gemeente met deze naam (sindsdien samengevoegd, of verkeerd gespeld)"
