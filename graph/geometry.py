"""Which outlines a store may hold: a GeoJSON Polygon or MultiPolygon whose rings are closed,
do not cross themselves and lie in the Netherlands.

An outline (``grens``) replaces the one a gemeente or region had before and is drawn on every
map, so a broken one is refused at import (with the file, line and field) and the previous
outline stays: string coordinates, ``"coordinates":"nope"``, a ring of three points or one
that is not closed, a point outside the Netherlands (often longitude and latitude swapped) or
a ring that crosses itself (which a map fills inside out). What is checked is each ring on its
own; holes are not checked against their shell, since CBS outlines, the only source of them,
hold none that cross.

The crossing check sorts a ring's segments by their leftmost point and compares each only with
the segments whose horizontal extent overlaps it, so a national import (343 gemeenten, about
18,000 points) stays a fraction of a second rather than the square of its points.

>>> check('{"type":"Polygon","coordinates":[[[4.6,52.3],[4.7,52.3],[4.7,52.4],[4.6,52.3]]]}')[:18]
'{"type":"Polygon",'
>>> check('{"type":"Polygon","coordinates":"nope"}')
Traceback (most recent call last):
...
ValueError: de coördinaten van een Polygon moeten een lijst van ringen zijn, niet een tekst
>>> swapped = '{"type":"Polygon","coordinates":[[[52.3,4.6],[52.3,4.7],[52.4,4.7],[52.3,4.6]]]}'
>>> check(swapped)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: punt 1 van ring 1 (52.3, 4.6) ligt buiten Nederland (...; lengte- en breedtegraad verwisseld?)
"""

from __future__ import annotations

import json
import math
from typing import Any

#: Where a point of a Dutch outline may lie (WGS84): the European Netherlands with its coastal
#: waters, a little wider than the CBS outlines (longitude 3.36-7.23, latitude 50.75-53.55).
LONGITUDE = (3.0, 7.5)
LATITUDE = (50.5, 54.0)

Point = tuple[float, float]


def check(text: str) -> str:
    """The outline text unchanged, or ``ValueError`` (in Dutch) saying what is wrong with it
    and where (which polygon, ring and point): the model calls this for every ``grens``.

    Parameters
    ----------
    text:
        GeoJSON geometry as text, as a store holds it

    Returns
    -------
    str
        ``text``, when it is an outline a map can draw
    """
    try:
        geometry = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"geen geldige JSON ({exc})") from None
    for polygon, where in _polygons(geometry):
        for number, ring in enumerate(polygon, start=1):
            _check_ring(ring, f"ring {number}{where}")
    return text


def _polygons(geometry: Any) -> list[tuple[list[Any], str]]:
    """The polygons of a geometry, each a list of rings, with how to name it in a problem."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = repr(geometry.get("type")) if isinstance(geometry, dict) else _kind(geometry)
        raise ValueError(f"verwacht een Polygon of MultiPolygon, niet {kind}")
    kind = geometry["type"]
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return [(_list(coordinates, "de coördinaten van een Polygon", "ringen"), "")]
    polygons = _list(coordinates, "de coördinaten van een MultiPolygon", "polygonen")
    return [
        (_list(polygon, f"polygoon {n}", "ringen"), f" van polygoon {n}")
        for n, polygon in enumerate(polygons, start=1)
    ]


def _list(value: Any, what: str, of: str) -> list[Any]:
    """``value`` when it is a non-empty list, else the refusal that says what it was instead."""
    if not isinstance(value, list):
        raise ValueError(f"{what} moeten een lijst van {of} zijn, niet {_kind(value)}")
    if not value:
        raise ValueError(f"{what} zijn een lege lijst (verwacht {of})")
    return value


def _kind(value: Any) -> str:
    """What a value is, in the words of a refusal."""
    if value is None:
        return "null"
    kinds = ((bool, "een boolean"), (str, "een tekst"), (int | float, "een getal"), (list, "een lijst"))
    return next((name for t, name in kinds if isinstance(value, t)), "een object")


def _check_ring(ring: Any, where: str) -> None:
    """A ring is at least four points, the last the first again, each in the Netherlands, and
    no two of its segments that are not neighbours touch."""
    if not isinstance(ring, list):
        raise ValueError(f"{where} moet een lijst van punten zijn, niet {_kind(ring)}")
    points = [_point(p, f"punt {n} van {where}") for n, p in enumerate(ring, start=1)]
    if len(points) < 4:
        raise ValueError(f"{where} heeft {len(points)} punten; een ring heeft er minstens 4")
    if points[0] != points[-1]:
        raise ValueError(f"{where} is niet gesloten: het laatste punt moet het eerste zijn")
    distinct = _distinct(points)
    if len(distinct) < 4:
        raise ValueError(f"{where} heeft minder dan 3 verschillende punten: geen vlak")
    crossing = _crossing(distinct)
    if crossing is not None:
        i, j = crossing
        raise ValueError(
            f"{where} snijdt zichzelf: het lijnstuk vanaf ({_shown(distinct[i])}) "
            f"raakt dat vanaf ({_shown(distinct[j])})"
        )


def _point(value: Any, where: str) -> Point:
    """A position: two finite numbers (a third, a height, is allowed and ignored), longitude
    first, inside :data:`LONGITUDE` and :data:`LATITUDE`."""
    if not isinstance(value, list) or len(value) not in (2, 3):
        raise ValueError(f"{where} moet [lengte, breedte] zijn, niet {_short(value)}")
    if not all(isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c) for c in value):
        raise ValueError(f"{where} moet uit getallen bestaan, niet {_short(value)}")
    lon, lat = float(value[0]), float(value[1])
    if not (LONGITUDE[0] <= lon <= LONGITUDE[1] and LATITUDE[0] <= lat <= LATITUDE[1]):
        swapped = LONGITUDE[0] <= lat <= LONGITUDE[1] and LATITUDE[0] <= lon <= LATITUDE[1]
        hint = "; lengte- en breedtegraad verwisseld?" if swapped else ""
        raise ValueError(
            f"{where} ({_shown((lon, lat))}) ligt buiten Nederland (lengte "
            f"{_dutch(LONGITUDE)}, breedte {_dutch(LATITUDE)}{hint})"
        )
    return lon, lat


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _shown(point: Point) -> str:
    return f"{point[0]:g}, {point[1]:g}"


def _dutch(bounds: tuple[float, float]) -> str:
    return "-".join(f"{b:.1f}".replace(".", ",") for b in bounds)


def _crossing(points: list[Point]) -> tuple[int, int] | None:
    """The first pair of segments (by index) that touch while not being neighbours, or None;
    ``points`` hold no point twice in a row (a segment of no length).

    Segments are swept from left to right: each is compared only with the segments still
    open (whose right end lies at or past its left end), which keeps a ring of a few hundred
    points to a few thousand comparisons."""
    count = len(points) - 1
    segments = sorted(range(count), key=lambda i: min(points[i][0], points[i + 1][0]))
    open_: list[tuple[float, int]] = []
    found: list[tuple[int, int]] = []
    for i in segments:
        a, b = points[i], points[i + 1]
        left = min(a[0], b[0])
        open_ = [(right, j) for right, j in open_ if right >= left]
        for _, j in open_:
            if _neighbours(i, j, count):
                continue
            if _touch(a, b, points[j], points[j + 1]):
                found.append((min(i, j), max(i, j)))
        open_.append((max(a[0], b[0]), i))
    return min(found) if found else None


def _neighbours(i: int, j: int, count: int) -> bool:
    """Segments that share a point by construction: consecutive ones, and the last and first."""
    return abs(i - j) == 1 or abs(i - j) == count - 1


def _touch(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """Whether two closed segments share a point (they cross, or one ends on the other)."""
    if max(p1[1], p2[1]) < min(q1[1], q2[1]) or max(q1[1], q2[1]) < min(p1[1], p2[1]):
        return False
    d1, d2 = _side(q1, q2, p1), _side(q1, q2, p2)
    d3, d4 = _side(p1, p2, q1), _side(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return (
        (d1 == 0 and _on(q1, q2, p1))
        or (d2 == 0 and _on(q1, q2, p2))
        or (d3 == 0 and _on(p1, p2, q1))
        or (d4 == 0 and _on(p1, p2, q2))
    )


def _side(a: Point, b: Point, c: Point) -> float:
    """Which side of the line a-b point c lies on: the sign of the cross product."""
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on(a: Point, b: Point, c: Point) -> bool:
    """Whether c, known to be on the line a-b, lies within the segment."""
    return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])


def untangle(geometry: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The geometry with every hole-free ring that crosses itself cut into rings that do not,
    and how many cuts that took: for an official outline only (CBS's generalised outline of
    Waterland crosses itself once), so that one artefact of simplification does not refuse a
    national file; an outline given by hand is refused by :func:`check` instead.

    A ring is cut at the first point where two of its segments meet: the loop between them
    becomes a ring of its own, and both are cut again until none crosses (at most
    :data:`MAX_CUTS`). Nothing of the area is dropped; the result is a MultiPolygon when a cut
    was made. A polygon with holes, or anything :func:`check` would refuse for another
    reason, is returned as it is.

    Parameters
    ----------
    geometry:
        a GeoJSON geometry, as read from the file

    Returns
    -------
    tuple[dict, int]
        the geometry to store, and the number of cuts made (0: returned unchanged)

    Examples
    --------
    >>> bow = {"type": "Polygon", "coordinates": [[[4, 52], [5, 53], [5, 52], [4, 53], [4, 52]]]}
    >>> fixed, cuts = untangle(bow)
    >>> cuts, fixed["type"], len(fixed["coordinates"])
    (1, 'MultiPolygon', 2)
    >>> check(json.dumps(fixed)) == json.dumps(fixed)
    True
    """
    try:
        polygons = [polygon for polygon, _ in _polygons(geometry)]
        rings = [[_point(p, "") for p in polygon[0]] for polygon in polygons if len(polygon) == 1]
    except ValueError:
        return geometry, 0
    if len(rings) != len(polygons):
        return geometry, 0
    pieces: list[list[Point]] = []
    cuts = 0
    for ring in rings:
        cut, made = _cut(ring, MAX_CUTS - cuts)
        cuts += made
        pieces.extend(cut)
    if cuts == 0:
        return geometry, 0
    coordinates = [[[list(p) for p in ring]] for ring in pieces]
    return {"type": "MultiPolygon", "coordinates": coordinates}, cuts


#: how many cuts one outline may take before it is left to :func:`check` to refuse
MAX_CUTS = 100


def _cut(ring: list[Point], budget: int) -> tuple[list[list[Point]], int]:
    """``ring`` as rings that do not cross themselves (within ``budget`` cuts) and the cuts it
    took, dropping loops of fewer than three distinct points (no area)."""
    todo = [ring]
    done: list[list[Point]] = []
    cuts = 0
    while todo:
        points = _distinct(todo.pop())
        if len(points) < 4:
            continue
        crossing = _crossing(points) if cuts < budget else None
        if crossing is None:
            done.append(points)
            continue
        i, j = crossing
        meet = _meeting(points[i], points[i + 1], points[j], points[j + 1])
        todo.append([meet, *points[i + 1 : j + 1], meet])
        todo.append([*points[: i + 1], meet, *points[j + 1 :]])
        cuts += 1
    return done, cuts


def _distinct(points: list[Point]) -> list[Point]:
    """The points without one repeated right after itself (a segment of no length)."""
    return [p for n, p in enumerate(points) if n == 0 or p != points[n - 1]]


def _meeting(p1: Point, p2: Point, q1: Point, q2: Point) -> Point:
    """Where two segments that touch meet: their crossing, or the end of one that lies on the
    other (for segments on one line, the first such end)."""
    denominator = (p2[0] - p1[0]) * (q2[1] - q1[1]) - (p2[1] - p1[1]) * (q2[0] - q1[0])
    if denominator != 0:
        t = ((q1[0] - p1[0]) * (q2[1] - q1[1]) - (q1[1] - p1[1]) * (q2[0] - q1[0])) / denominator
        if 0 < t < 1:
            return p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])
    for point, (a, b) in ((p2, (q1, q2)), (q1, (p1, p2)), (q2, (p1, p2)), (p1, (q1, q2))):
        if _side(a, b, point) == 0 and _on(a, b, point):
            return point
    return p2
