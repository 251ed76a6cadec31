"""The vocabulary of needs: which taxonomies there are and how a need is written.

A need (``Behoefte``) is ``<stelsel>-<code>``: ``ijw-45`` is iJw productcategorie 45
(Jeugdhulp ambulant), ``onderwijs-dyslexie`` an education need, ``eigen-…`` a term of a
provider's own taxonomy. People write them short — ``45``, ``Dyslexie`` — in a spreadsheet
cell and in a question alike, so both read them with the one :func:`need_id` here; the
taxonomy itself is data (``importers/reference/behoeften.jsonl``).

Examples
--------
>>> [need_id(c) for c in ("45", "IJW-45", " Dyslexie ", "onderwijs-taal-spraak", "eigen-x")]
['ijw-45', 'ijw-45', 'onderwijs-dyslexie', 'onderwijs-taal-spraak', 'eigen-x']
>>> need_id("４５")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: behoefte '４５' is geen code van de taxonomie: ...
>>> need_id("ADHD/ADD")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: behoefte 'ADHD/ADD' is geen code van de taxonomie: verwacht een iJw-productcategorie ...
"""

from __future__ import annotations

import re

#: Need-taxonomy systems (``Behoefte.stelsel``); a need id is ``<stelsel>-<code>``.
STELSELS = ("ijw", "onderwijs", "eigen")

_NEED_ID = re.compile(r"^(?:ijw|onderwijs|eigen)-[a-z0-9]+(?:-[a-z0-9]+)*$")
_WORD = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def need_id(code: str) -> str:
    """The Behoefte id a code stands for; ValueError, saying the forms, for one that is none."""
    text = code.strip().lower()
    if re.fullmatch(r"[0-9]{2}", text):  # not \d: that also takes ４５ and other digits
        return f"ijw-{text}"
    if _NEED_ID.match(text):
        return text
    if _WORD.match(text):
        return f"onderwijs-{text}"
    raise ValueError(
        f"behoefte {code!r} is geen code van de taxonomie: verwacht een iJw-productcategorie "
        "(45 of ijw-45) of een onderwijsbehoefte (dyslexie of onderwijs-dyslexie)"
    )
