"""What to call a party: its name with its code beside it, never a bare code.

A user reads "Samenwerkingsverband Zuid-Kennemerland (PO 27-04)" and "Haarlem (GM0392)",
not ``PO2704`` and ``GM0392``. Where no source gives a name (open data names no SWV and no
school board), the code is shown in its human form with what it is: "Samenwerkingsverband
PO 27-04", "Schoolbestuur 41314". Regions get their kind before the name, because CBS names a
jeugdregio "Groningen" like the gemeente.

>>> label_of("Swv", "PO2704", "Samenwerkingsverband Zuid-Kennemerland")
'Samenwerkingsverband Zuid-Kennemerland (PO 27-04)'
>>> label_of("Swv", "PO2704", None), label_of("Gemeente", "GM0392", "Haarlem")
('Samenwerkingsverband PO 27-04', 'Haarlem (GM0392)')
>>> label_of("Regio", "JZ01", "Groningen", "jeugdregio")
'Jeugdregio Groningen (JZ01)'
>>> label_of("Regio", "GG3109", "GGD Kennemerland", "ggd")
'GGD Kennemerland (GG3109)'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from graph.records import NodeKey, NodeRecord

#: What a region of each soort is called, before its name ("Jeugdregio Groningen").
REGIO_WORD = {
    "jeugdregio": "Jeugdregio",
    "ggd": "GGD-regio",
    "rmc": "RMC-regio",
    "arbeidsmarktregio": "Arbeidsmarktregio",
    "corop": "COROP-gebied",
    "veiligheidsregio": "Veiligheidsregio",
    "zorgkantoorregio": "Zorgkantoorregio",
}

#: The regions of a soort together ("de jeugdregio's"), for the names of sources.
REGIO_MEERVOUD = {
    "jeugdregio": "jeugdregio's",
    "ggd": "GGD-regio's",
    "rmc": "RMC-regio's",
    "arbeidsmarktregio": "arbeidsmarktregio's",
    "corop": "COROP-gebieden",
    "veiligheidsregio": "veiligheidsregio's",
    "zorgkantoorregio": "zorgkantoorregio's",
    "wgr": "Wgr-samenwerkingsgebieden",
    "rpa": "RPA-gebieden",
}

#: What a thing of each kind is called when only its code is known.
KIND_WORD = {
    "Swv": "Samenwerkingsverband",
    "Schoolbestuur": "Schoolbestuur",
    "School": "School",
    "Gemeente": "gemeente",
    "Provincie": "provincie",
    "Wijkteam": "wijkteam",
    "Zorgaanbieder": "zorgaanbieder",
    "PC4": "postcode",
    "PC6": "postcode",
    "Wijk": "wijk",
    "Buurt": "buurt",
}


def human_code(kind: str, ident: str) -> str:
    """A code as people write it: ``PO2704`` → ``PO 27-04``; others as they are.

    >>> human_code("Swv", "VO2705"), human_code("Gemeente", "GM0392")
    ('VO 27-05', 'GM0392')
    """
    if kind == "Swv" and len(ident) == 6:
        return f"{ident[:2]} {ident[2:4]}-{ident[4:]}"
    return ident


#: Relations of a proof path in words, read along the path (school → board, area → team).
REL_WORDS: dict[str, str] = {
    "LIGT_IN": "ligt in",
    "IN_WERKGEBIED": "in werkgebied van",
    "BESTUURT": "bestuurd door",
    "BEDIENT": "bediend door",
    "HOORT_BIJ": "hoort bij",
    "WERKT_VOOR": "werkt voor",
    "OPDRACHTGEVER_VAN": "koopt in via",
    "GECONTRACTEERD": "met",
}


@lru_cache(maxsize=16_384)
def label_of(kind: str, ident: str, naam: str | None, soort: str | None = None) -> str:
    """The name with the code beside it, or the kind and code when no name is known.

    Kept per (kind, code, name, kind of region): an answer names some ten parties, most of
    them the same from one question to the next, and a label depends on nothing else."""
    code = human_code(kind, ident)
    word = REGIO_WORD.get(soort or "", "Regio") if kind == "Regio" else KIND_WORD.get(kind, kind)
    if not naam or naam == ident:
        return f"{word} {code}"
    if kind == "Regio" and not _starts_with_kind(naam, word):
        return f"{word} {naam} ({code})"
    if kind in ("Provincie", "Wijkteam", "Zorgaanbieder", "Contract", "Aanbod", "Locatie", "Contact"):
        return naam
    return f"{naam} ({code})"


def _starts_with_kind(naam: str, word: str) -> bool:
    """'GGD Kennemerland' says it is a GGD; 'Groningen' does not say it is a jeugdregio."""
    first = naam.split()[0].lower() if naam.split() else ""
    return first.startswith(word.split("-")[0].lower()) or first.startswith(("ggd", "rmc", "veiligheids"))


def label(record: NodeRecord | None, key: NodeKey | None = None) -> str:
    """:func:`label_of` for a stored node (or, when it is not stored, its key)."""
    if record is None:
        if key is None:
            return "onbekend"
        return label_of(key.kind, key.id, None)
    naam = record.props.get("naam")
    soort = record.props.get("soort")
    return label_of(record.kind, record.id, str(naam) if naam else None, str(soort) if soort else None)


#: Codes a text may name a party by (a source called "wijkteams van GM0392"), and their kind.
_CODE = re.compile(r"\b(GM\d{4}|(?:JZ|MC)\d{2}|GG\d{4}|(?:PO|VO)\d{4})\b", re.IGNORECASE)


def named_in_text(text: str, node: Callable[[NodeKey], NodeRecord | None]) -> str:
    """A text with every party it names by code named as :func:`label` does, where the
    party is known (``node`` reads it).

    >>> haarlem = NodeRecord("Gemeente", "GM0392", {"naam": "Haarlem"})
    >>> named_in_text("wijkteams van gm0392", {haarlem.key: haarlem}.get)
    'wijkteams van Haarlem (GM0392)'
    """

    def named(match: re.Match[str]) -> str:
        code = match.group(1).upper()
        kind = "Gemeente" if code.startswith("GM") else "Swv" if code[:2] in ("PO", "VO") else "Regio"
        record = node(NodeKey(kind, code))
        return label(record) if record is not None else match.group(1)

    return _CODE.sub(named, text)


def naam_of(n: NodeRecord | None) -> str | None:
    """The node's own name, or None for no node or no name (old gemeenten are known by code
    only): for where the code is shown beside it anyway, as in a table's own column."""
    value = n.props.get("naam") if n is not None else None
    return str(value) if value else None


def name_of(n: NodeRecord | None) -> str | None:
    """What to call a node in an answer: its :func:`label`, None for no node."""
    return None if n is None else label(n)
