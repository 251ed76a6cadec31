"""Small facts of the domain that several questions share: the sector of a school kind, how
a need is named, the distance between two PC4 areas, whether a contract runs on a day."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from graph import ids, needs
from graph.props import number
from graph.queries.errors import QuestionError
from graph.records import NodeRecord

#: The sector of each school kind: whose SWV (PO or VO) it belongs to.
SECTOR = {"BAO": "PO", "SBO": "PO", "SO": "PO", "SO/VSO": "PO", "VSO": "VO", "VO": "VO"}


#: The forms of a postcode a question accepts, for the message when it is neither.
POSTCODE_FORM = "geef een PC4 (2011) of een PC6 (2011AB)"


def need_id(need: str) -> str:
    """The need a question names (:func:`graph.needs.need_id`), or the question's error.

    >>> need_id("45"), need_id("Dyslexie"), need_id("ijw-45")
    ('ijw-45', 'onderwijs-dyslexie', 'ijw-45')
    """
    if not need.strip():
        raise QuestionError(
            "need", "geef een behoefte: een iJw-categorie (45) of een onderwijsbehoefte (dyslexie)"
        )
    try:
        return needs.need_id(need)
    except ValueError as exc:
        raise QuestionError("need", str(exc)) from None


def postcode_of(text: str) -> str:
    """The home postcode a question gives, as a PC4 or PC6, or the question's error.

    >>> postcode_of("2011 ab"), postcode_of("2011")
    ('2011AB', '2011')
    """
    try:
        return ids.postcode(text)
    except ids.IdentifierError:
        raise QuestionError("postcode", f"postcode {text!r} is niet geldig: {POSTCODE_FORM}") from None


def unknown_need(need: str) -> QuestionError:
    """The error for a need of the right form that the kaart's taxonomy does not have."""
    return QuestionError(
        "need",
        f"behoefte {need} is niet bekend: geef een iJw-categorie (bijv. 45) of een "
        "onderwijsbehoefte (bijv. dyslexie) uit de taxonomie van de kaart",
        404,
    )


def unknown_postcode(pc4: str) -> QuestionError:
    """The error for a PC4 that no source of the kaart names."""
    return QuestionError("postcode", f"postcode {pc4} is niet bekend in de kaart", 404)


def distance_km(a: NodeRecord | None, b: NodeRecord | None) -> float | None:
    """Great-circle distance between two PC4 centroids, when both are known."""
    if a is None or b is None:
        return None
    coords = [number(a.props, "lat"), number(a.props, "lon"), number(b.props, "lat"), number(b.props, "lon")]
    if any(c is None for c in coords):
        return None
    lat1, lon1, lat2, lon2 = (math.radians(c) for c in coords if c is not None)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return round(2 * 6371 * math.asin(math.sqrt(h)), 1)


def valid_on(props: Mapping[str, Any], day: date) -> bool:
    """Whether a contract (``geldig_van``..``geldig_tot``, either open) runs on ``day``."""
    start, end = props.get("geldig_van"), props.get("geldig_tot")
    return (not start or str(start) <= day.isoformat()) and (not end or day.isoformat() <= str(end))
