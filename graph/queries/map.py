"""What the gemeente map needs: every gemeente's outline and its value for a signal.

The map is drawn by :mod:`viz.svgmap`, which only projects, simplifies and colours; what a
gemeente's value is, and which gemeenten a region holds, is a question of the graph and is
answered here, the same for the page, the SVG endpoint and both backends. Values are kept
until the data changes (:data:`graph.queries.cache.CACHE`): each costs a scan of a whole
relation.

An outline (``grens``) is GeoJSON geometry text, WGS84, from CBS. It comes from an imported
text, so an outline that is no usable polygon leaves its gemeente off the map rather than
failing it: :func:`rings` reads what can be drawn.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from graph.dated import as_of
from graph.queries.cache import CACHE
from graph.queries.mismatch import current_report, gemeenten_per_pc4
from graph.queries.names import label, label_of
from graph.records import NodeKey
from graph.store import GraphStore

Point = tuple[float, float]
Ring = list[Point]

#: A signal's value per gemeente: the number that is coloured, and how the tooltip says it.
Values = dict[str, tuple[float, str]]


class UnknownSignal(ValueError):
    """A signal the map does not know: the caller's mistake, told apart from a broken store."""


@dataclass
class Area:
    """One gemeente to draw: its outline, its value (``None``: no data) and how to say it.

    The map needs no record of the graph, only these, so that drawing cannot read the store.
    """

    id: str
    naam: str
    geometry: dict[str, object]
    value: float | None
    text: str = ""


def _point(p: object) -> Point | None:
    """A GeoJSON position as (lon, lat), or None when it is not two finite numbers."""
    if not isinstance(p, (list, tuple)) or len(p) < 2:
        return None
    lon, lat = p[0], p[1]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lon, lat)):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    return (float(lon), float(lat))


def _ring(ring: object) -> Ring | None:
    """A ring of at least 3 positions, or None when it is not one (or any position is broken)."""
    if not isinstance(ring, (list, tuple)) or len(ring) < 3:
        return None
    points = [_point(p) for p in ring]
    return None if any(p is None for p in points) else points  # type: ignore[return-value]


def rings(geometry: object) -> list[list[Ring]]:
    """The polygons of a GeoJSON Polygon or MultiPolygon, each a list of rings of (lon, lat).

    An outline comes from an imported text, so anything that is not a usable polygon gives
    no polygon rather than an error: a polygon whose outer ring is broken is left out, a
    broken hole is dropped, and what is not a Polygon or MultiPolygon gives nothing. A page
    with a map must never fail because one gemeente's outline is damaged.

    >>> rings({"type": "Polygon", "coordinates": []}), rings([1, 2]), rings({"type": "Polygon"})
    ([], [], [])
    >>> rings({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]], [[0, "x"]]]})
    [[[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]]]
    """
    if not isinstance(geometry, dict):
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coords, list):
        return []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    out: list[list[Ring]] = []
    for poly in polygons:
        if not isinstance(poly, list) or not poly:
            continue
        outer = _ring(poly[0])
        if outer is None:
            continue
        holes = [r for r in (_ring(h) for h in poly[1:]) if r is not None]
        out.append([outer, *holes])
    return out


# --- Signals: what a policymaker can colour the gemeenten by ---------------------------------


def _swvs(sector: str) -> Callable[[GraphStore], Values]:
    def compute(store: GraphStore) -> Values:
        pc4_gm = gemeenten_per_pc4(store)
        per_gm: dict[str, set[str]] = defaultdict(set)
        for e in store.edges(rel="IN_WERKGEBIED"):
            if e.src.kind == "PC4" and e.dst.id.startswith(sector):
                for gm in pc4_gm.get(e.src.id, ()):
                    per_gm[gm].add(e.dst.id)
        names = {n.id: label(n) for n in store.nodes("Swv")}
        return {
            gm: (
                len(swvs),
                f"{len(swvs)} {sector}-samenwerkingsverband(en): "
                + ", ".join(names.get(s) or label_of("Swv", s, None) for s in sorted(swvs)),
            )
            for gm, swvs in per_gm.items()
        }

    return compute


def _jeugdregios(store: GraphStore) -> Values:
    per_gm: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    for e in store.edges(rel="HOORT_BIJ"):
        if e.src.kind == "Gemeente" and e.dst.id.startswith("JZ"):
            per_gm[e.src.id].add((e.dst.id, bool(e.props.get("deels"))))
    regions = {n.id: n for n in store.nodes("Regio", {code for rs in per_gm.values() for code, _ in rs})}

    def named(code: str, deels: bool) -> str:
        return label(regions.get(code), NodeKey("Regio", code)) + (" (deels)" if deels else "")

    return {
        gm: (float(len(rs)), f"{len(rs)} jeugdregio('s): {', '.join(named(*r) for r in sorted(rs))}")
        for gm, rs in per_gm.items()
    }


def _buiten(store: GraphStore) -> Values:
    out: Values = {}
    for f in current_report(store).pupil_flows_per_gemeente:
        total = f.leerlingen_min + f.leerlingen_max
        if total <= 0:
            continue
        # The whole percentage the tooltip says is also the value that is coloured: 19.6 %
        # shown as "ca. 20 %" must not be painted as 10–20 %.
        share = round(100 * (f.buiten_min + f.buiten_max) / total)
        out[f.gemeente] = (
            share,
            f"ca. {share} % ({f.buiten_min}–{f.buiten_max} van {f.leerlingen_min}–{f.leerlingen_max} "
            "leerlingen woont buiten de gemeente)",
        )
    return out


#: How each signal's value is computed, by its key; :data:`viz.svgmap.SIGNALS` says how each
#: is shown (its question, legend and colour scale) under the same keys.
SIGNAL_VALUES: dict[str, Callable[[GraphStore], Values]] = {
    "swvs-po": _swvs("PO"),
    "swvs-vo": _swvs("VO"),
    "buiten": _buiten,
    "jeugdregios": _jeugdregios,
}


def gemeenten_in(store: GraphStore, region: str) -> set[str]:
    """Gemeenten that belong to a Regio (``JZ11``) or lie in a Provincie (``PV27``): the map
    of a region, and the endpoint's 404 for a region with none.

    Parameters
    ----------
    store:
        the store (or a dated view of it) to read
    region:
        a Regio or Provincie code, in any case and with spaces around

    Returns
    -------
    set[str]
        the GM codes; empty for a region unknown or without gemeenten
    """
    code = region.strip().upper()
    kind = "Provincie" if code.startswith("PV") else "Regio"
    rel = "LIGT_IN" if kind == "Provincie" else "HOORT_BIJ"
    return {e.src.id for e in store.edges(rel=rel, dst=NodeKey(kind, code)) if e.src.kind == "Gemeente"}


def map_areas(store: GraphStore, signal: str, region: str | None = None) -> list[Area]:
    """Every gemeente with a usable outline, with its value for a signal: all the map draws,
    computed once so that the SVG, the page's map and its table cannot disagree.

    Parameters
    ----------
    store:
        the store; read as of the dated view's day (:func:`graph.dated.as_of`), or today
    signal:
        a key of :data:`SIGNAL_VALUES` (``swvs-po``, ``swvs-vo``, ``buiten``, ``jeugdregios``)
    region:
        only the gemeenten of this Regio or Provincie (:func:`gemeenten_in`); all when None

    Returns
    -------
    list[Area]
        by GM code; a gemeente whose outline is missing or no usable polygon is left out

    Raises
    ------
    UnknownSignal
        for a signal not in :data:`SIGNAL_VALUES`
    """
    store = as_of(store)
    if signal not in SIGNAL_VALUES:
        raise UnknownSignal(signal)
    values = CACHE.get(store, f"map:{signal}", SIGNAL_VALUES[signal])  # until the data changes
    only = gemeenten_in(store, region) if region else None
    areas = []
    for n in store.nodes("Gemeente", sorted(only) if only is not None else None):
        text = n.props.get("grens")
        if not text:
            continue
        try:
            geometry = json.loads(str(text))
        except ValueError:
            continue
        if not rings(geometry):  # valid JSON, but no usable polygon: left out, not a failure
            continue
        value, said = values.get(n.id, (None, ""))
        areas.append(Area(n.id, str(n.props.get("naam") or n.id), geometry, value, said))
    return areas


def map_regions(store: GraphStore) -> list[tuple[str, str]]:
    """The provincies and jeugdregio's a map can be limited to: those with at least one
    gemeente that has an outline, so that no choice on the page gives an empty map.

    Parameters
    ----------
    store:
        the store (or a dated view of it) to read

    Returns
    -------
    list[tuple[str, str]]
        (code, what to call it): the provincies by code, then the jeugdregio's by code
    """
    with_outline = {n.id for n in store.nodes("Gemeente") if n.props.get("grens")}
    provincies = sorted(
        {
            e.dst.id
            for e in store.edges(rel="LIGT_IN")
            if e.dst.kind == "Provincie" and e.src.id in with_outline
        }
    )
    regios = sorted(
        {
            e.dst.id
            for e in store.edges(rel="HOORT_BIJ")
            if e.dst.id.startswith("JZ") and e.src.id in with_outline
        }
    )
    names = {
        n.key: label(n)
        for kind, codes in (("Provincie", provincies), ("Regio", regios))
        for n in store.nodes(kind, codes)
    }

    def named(kind: str, code: str) -> str:
        key = NodeKey(kind, code)
        return names.get(key) or label(None, key)

    out = [(p, f"Provincie {named('Provincie', p)}") for p in provincies]
    return out + [(r, named("Regio", r)) for r in regios]
