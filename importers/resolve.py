"""Resolving gemeenten named in other years' spelling to today's codes.

Order of rules, each named in the answer so a user can check it: the code itself (followed
through herindelingen to the gemeente that exists now), then the normalised name
(``'s-``, case, hyphens, spaces, dots), then the name without a provincie suffix
(``Beek`` → ``Beek (L.)``) when exactly one gemeente has that name. Anything else stays
unresolved and is reported: never guessed.

>>> r = GemeenteResolver({"GM0888": "Beek (L.)", "GM0363": "Amsterdam"}, {"GM0457": "GM0363"})
>>> r.by_name("beek")
('GM0888', 'name without provincie suffix')
>>> r.by_code("GM0457")
('GM0363', 'code, via herindeling')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from graph.records import NodeRecord
from graph.store import GraphStore

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
    def __init__(self, current: Mapping[str, str], successor: Mapping[str, str]) -> None:
        """``current``: code → name of gemeenten that exist now; ``successor``: old → new code."""
        self.current = dict(current)
        self.successor = dict(successor)
        self._names = {normalise(n): c for c, n in self.current.items()}
        bases: dict[str, list[str]] = {}
        for code, name in self.current.items():
            bases.setdefault(_base(name), []).append(code)
        self._bases = {b: codes[0] for b, codes in bases.items() if len(codes) == 1}

    @classmethod
    def from_records(cls, nodes: Iterable[NodeRecord], merges: Iterable[tuple[str, str]]) -> GemeenteResolver:
        current = {
            n.id: str(n.props["naam"]) for n in nodes if n.props.get("naam") and not n.props.get("opgeheven")
        }
        return cls(current, dict(merges))

    @classmethod
    def from_store(cls, store: GraphStore, extra: Iterable[NodeRecord] = ()) -> GemeenteResolver:
        nodes = {n.id: n for n in store.nodes("Gemeente")}
        for n in extra:
            nodes[n.id] = NodeRecord(
                n.kind, n.id, {**nodes[n.id].props, **n.props} if n.id in nodes else n.props
            )
        merges = [(e.src.id, e.dst.id) for e in store.edges(rel="OPGEGAAN_IN")]
        return cls.from_records(nodes.values(), merges)

    def add_merges(self, merges: Iterable[tuple[str, str]]) -> None:
        self.successor.update(merges)

    def by_code(self, code: str) -> tuple[str | None, str]:
        seen = set()
        how = "code"
        while code not in self.current and code in self.successor and code not in seen:
            seen.add(code)
            code = self.successor[code]
            how = "code, via herindeling"
        return (code, how) if code in self.current else (None, "unknown code")

    def by_name(self, name: str) -> tuple[str | None, str]:
        key = normalise(name)
        if not key:
            return None, "no name given"
        if key in self._names:
            return self._names[key], "name"
        base = _base(name)
        if base in self._bases:
            return self._bases[base], "name without provincie suffix"
        return None, "no gemeente of this name exists now (merged since, or misspelt)"
