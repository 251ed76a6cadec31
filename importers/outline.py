"""An outline from an official source (CBS), as the text a gemeente or region stores.

CBS publishes generalised outlines, and generalising can make a ring cross itself (the 2023
outline of Waterland does, twice). Refusing that would refuse the whole national file, so an
official outline is untangled first (:func:`graph.geometry.untangle`: cut at the crossing,
nothing of its area dropped) and the cut is reported as a note. Everything else that is wrong
with an outline is refused by the model (:mod:`graph.geometry`), as it is for an outline given
in any other file.
"""

from __future__ import annotations

import json
from typing import Any

from graph.geometry import untangle
from importers.base import ParsedFile


def official_outline(parsed: ParsedFile, line: int, field: str, code: str, geometry: Any) -> str:
    """The compact GeoJSON text to store for ``geometry``, read at ``line`` of an official
    file; a self-crossing ring is cut, with a note on ``field`` naming the area ``code``."""
    fixed, cuts = untangle(geometry) if isinstance(geometry, dict) else (geometry, 0)
    if cuts:
        parsed.problem(
            line,
            field,
            code,
            f"de grens snijdt zichzelf (een vereenvoudiging in de bron): bij {cuts} "
            f"snijpunt{'en' if cuts > 1 else ''} in delen gesplitst, zonder oppervlak weg te laten",
            fatal=False,
        )
    return json.dumps(fixed, separators=(",", ":"))
