"""Gemeente maps as SVG, drawn on the server from the outlines in the store.

No map tiles and no third-party code: every gemeente's ``grens`` (GeoJSON geometry text,
WGS84, from CBS) is projected equirectangularly with the longitude scaled by the cosine of
the map's middle latitude (good enough for a country 300 km across), simplified with
Douglas-Peucker to about half a pixel, and drawn as one ``<path>`` whose ``<title>`` (the
tooltip) names the gemeente and its value. A legend with the colour scale is part of the
picture, so the SVG can be saved or printed on its own.

>>> areas = [Area("GM0001", "A & B", {"type": "Polygon",
...     "coordinates": [[[4.0, 52.0], [4.1, 52.0], [4.1, 52.1], [4.0, 52.1], [4.0, 52.0]]]}, 2, "2")]
>>> svg = render(areas, Scale.counts(4), title="Test <kaart>")
>>> "A &amp; B (GM0001): 2" in svg and "Test &lt;kaart&gt;" in svg
True
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from graph.dated import as_of
from graph.queries.cache import CACHE
from graph.queries.mismatch import current_report, gemeenten_per_pc4
from graph.queries.names import label as label_text
from graph.queries.names import label_of
from graph.records import NodeKey
from graph.store import GraphStore

#: Light to dark; contrast with the white borders and with each other stays visible in print.
PALETTE = ("#d3e4f3", "#99c0e3", "#5b95cb", "#2d65a0", "#0d3a6b")
#: No data is hatched (grey lines on white), not a flat grey: a flat light grey is too easily
#: read as the lightest class, on screen and certainly on a grey-scale print.
NO_DATA_ID = "geen-gegevens"
NO_DATA = f"url(#{NO_DATA_ID})"
NO_DATA_PATTERN = (
    f'<pattern id="{NO_DATA_ID}" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#7d868f" stroke-width="2"/></pattern>'
)
TEXT = "#1a1a1a"

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True)
class Class:
    """One colour of the scale: values from ``low`` (inclusive) up to ``high`` (exclusive)."""

    low: float
    high: float
    color: str
    label: str


@dataclass(frozen=True)
class Scale:
    classes: tuple[Class, ...]
    no_data: str = "geen gegevens"

    def color(self, value: float | None) -> str:
        """The class colour of a value; the hatching (a reference to its pattern) for no value.

        >>> Scale.counts(3).color(7), Scale.counts(3).color(None)
        ('#0d3a6b', 'url(#geen-gegevens)')
        """
        if value is None:
            return NO_DATA
        for c in self.classes:
            if c.low <= value < c.high:
                return c.color
        return self.classes[-1].color if value >= self.classes[-1].low else self.classes[0].color

    @classmethod
    def counts(cls, top: int, noun: str = "") -> Scale:
        """Whole numbers 1, 2, … and ``top`` or more."""
        last = len(PALETTE) - 1
        colors = [PALETTE[round(i * last / max(1, top - 1))] for i in range(top)]
        classes = [Class(n, n + 1, colors[n - 1], f"{n}{noun}") for n in range(1, top)]
        classes.append(Class(top, math.inf, colors[top - 1], f"{top} of meer{noun}"))
        return cls(tuple(classes))

    @classmethod
    def breaks(cls, edges: Sequence[float], unit: str = "") -> Scale:
        """Classes between the edges; the last one is open: ``[0, 10, 20]`` → 0–10, 10–20, ≥ 20."""
        classes = []
        for i, low in enumerate(edges):
            high = edges[i + 1] if i + 1 < len(edges) else math.inf
            label = f"{_num(low)}–{_num(high)}{unit}" if high != math.inf else f"{_num(low)}{unit} of meer"
            classes.append(Class(low, high, PALETTE[i], label))
        return cls(tuple(classes))


def _num(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".") if x == int(x) else f"{x:.1f}".replace(".", ",")


@dataclass
class Area:
    """One gemeente to draw: its outline, its value (``None``: no data) and how to say it."""

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


def simplify(points: Sequence[Point], tolerance: float) -> Ring:
    """Douglas-Peucker, without recursion: keep the points further than ``tolerance`` from
    the line between the kept neighbours.

    >>> simplify([(0, 0), (1, 0.01), (2, 0), (2, 2)], 0.1)
    [(0, 0), (2, 0), (2, 2)]
    """
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, where = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / length if length else math.hypot(px - ax, py - ay)
            if d > worst:
                worst, where = d, i
        if worst > tolerance:
            keep[where] = True
            stack += [(first, where), (where, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


@dataclass
class Projection:
    """lon/lat → SVG pixels: equirectangular, x scaled by cos(middle latitude), fitted to a width."""

    west: float
    north: float
    kx: float
    scale: float
    pad: float
    width: float = 0.0
    height: float = 0.0

    @classmethod
    def fit(
        cls, points: Iterable[Point], width: float, pad: float = 8.0, max_height: float = 680.0
    ) -> Projection:
        pts = list(points) or [(5.0, 52.0)]
        west, east = min(p[0] for p in pts), max(p[0] for p in pts)
        south, north = min(p[1] for p in pts), max(p[1] for p in pts)
        kx = math.cos(math.radians((north + south) / 2))
        span_x, span_y = max((east - west) * kx, 1e-6), max(north - south, 1e-6)
        scale = min((width - 2 * pad) / span_x, (max_height - 2 * pad) / span_y)
        p = cls(west, north, kx, scale, pad)
        p.width = round(span_x * scale + 2 * pad, 1)
        p.height = round(span_y * scale + 2 * pad, 1)
        return p

    def __call__(self, lon: float, lat: float) -> Point:
        return (
            (lon - self.west) * self.kx * self.scale + self.pad,
            (self.north - lat) * self.scale + self.pad,
        )


def path_data(polygons: list[list[Ring]], project: Projection, tolerance: float = 0.5) -> str:
    """SVG path data of the polygons, simplified; tiny islands vanish, but never every ring."""
    parts: list[str] = []
    fallback = ""
    for poly in polygons:
        for ring in poly:
            pts = simplify([project(*p) for p in ring], tolerance)
            rounded: list[Point] = []
            for x, y in pts:
                q = (round(x, 1), round(y, 1))
                if not rounded or rounded[-1] != q:
                    rounded.append(q)
            d = "M" + "L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in rounded) + "Z"
            if len(set(rounded)) >= 3:
                parts.append(d)
            elif not fallback and rounded:
                fallback = d
    return "".join(parts) or fallback


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def render(
    areas: Sequence[Area],
    scale: Scale,
    *,
    title: str,
    description: str = "",
    width: float = 800.0,
    legend_title: str = "",
) -> str:
    """The map as a standalone SVG document (also fit to be inlined in HTML). An area whose
    outline gives no polygon is not drawn (rather than failing the whole map)."""
    shapes = [(a, polys) for a in areas if (polys := rings(a.geometry))]
    project = Projection.fit((p for _, polys in shapes for poly in polys for p in poly[0]), width)
    legend = [(c.color, c.label) for c in scale.classes] + [(NO_DATA, scale.no_data)]
    per_row = max(1, int(width // 150))
    legend_top = project.height + 10
    rows = math.ceil(len(legend) / per_row)
    height = legend_top + (22 if legend_title else 0) + rows * 24 + 6
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kaart" viewBox="0 0 {_fmt(width)} {_fmt(height)}" '
        f'width="{_fmt(width)}" height="{_fmt(height)}" role="img" '
        'aria-labelledby="kaart-titel kaart-uitleg" font-family="system-ui, sans-serif" font-size="14">',
        f'<title id="kaart-titel">{escape(title)}</title>',
        f'<desc id="kaart-uitleg">{escape(description or title)}</desc>',
        f"<defs>{NO_DATA_PATTERN}</defs>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<g stroke="#5c6670" stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd" '
        f'transform="translate({_fmt((width - project.width) / 2)} 0)">',
    ]
    for area, polys in shapes:
        d = path_data(polys, project)
        if not d:
            continue
        tip = f"{area.naam} ({area.id}): {area.text or 'geen gegevens'}"
        out.append(
            f"<path d={quoteattr(d)} fill={quoteattr(scale.color(area.value))} "
            f"data-gemeente={quoteattr(area.id)}><title>{escape(tip)}</title></path>"
        )
    out.append("</g>")
    out.append(f'<g class="legenda" transform="translate(8 {_fmt(legend_top)})" fill="{TEXT}">')
    y0 = 0
    if legend_title:
        out.append(f'<text x="0" y="14" font-weight="bold">{escape(legend_title)}</text>')
        y0 = 22
    col = (width - 16) / per_row
    for i, (color, label) in enumerate(legend):
        x, y = (i % per_row) * col, y0 + (i // per_row) * 24
        out.append(
            f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="18" height="18" fill="{color}" stroke="#555" '
            f'stroke-width="0.6"/><text x="{_fmt(x + 24)}" y="{_fmt(y + 14)}">{escape(label)}</text>'
        )
    out.append("</g></svg>")
    return "\n".join(out)


# --- Signals: what a policymaker can colour the gemeenten by ---------------------------------


@dataclass(frozen=True)
class Signal:
    key: str
    label: str  # Dutch, for the page's select and the map's title
    legend: str
    scale: Scale
    compute: Callable[[GraphStore], dict[str, tuple[float, str]]] = field(repr=False)
    unit: str = ""  # after a value, as in the legend: " %"

    def show(self, value: float | None) -> str:
        """A value as the page's table says it: Dutch number format, with the unit.

        >>> SIGNALS["buiten"].show(20), SIGNALS["swvs-po"].show(2), SIGNALS["buiten"].show(None)
        ('20 %', '2', '–')
        """
        return "–" if value is None else f"{_num(value)}{self.unit}"


def _swvs(sector: str) -> Callable[[GraphStore], dict[str, tuple[float, str]]]:
    def compute(store: GraphStore) -> dict[str, tuple[float, str]]:
        pc4_gm = gemeenten_per_pc4(store)
        per_gm: dict[str, set[str]] = defaultdict(set)
        for e in store.edges(rel="IN_WERKGEBIED"):
            if e.src.kind == "PC4" and e.dst.id.startswith(sector):
                for gm in pc4_gm.get(e.src.id, ()):
                    per_gm[gm].add(e.dst.id)
        names = {n.id: label_text(n) for n in store.nodes("Swv")}
        return {
            gm: (
                len(swvs),
                f"{len(swvs)} {sector}-samenwerkingsverband(en): "
                + ", ".join(names.get(s) or label_of("Swv", s, None) for s in sorted(swvs)),
            )
            for gm, swvs in per_gm.items()
        }

    return compute


def _jeugdregios(store: GraphStore) -> dict[str, tuple[float, str]]:
    per_gm: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    for e in store.edges(rel="HOORT_BIJ"):
        if e.src.kind == "Gemeente" and e.dst.id.startswith("JZ"):
            per_gm[e.src.id].add((e.dst.id, bool(e.props.get("deels"))))
    regions = {n.id: n for n in store.nodes("Regio", {code for rs in per_gm.values() for code, _ in rs})}

    def named(code: str, deels: bool) -> str:
        return label_text(regions.get(code), NodeKey("Regio", code)) + (" (deels)" if deels else "")

    return {
        gm: (float(len(rs)), f"{len(rs)} jeugdregio('s): {', '.join(named(*r) for r in sorted(rs))}")
        for gm, rs in per_gm.items()
    }


def _buiten(store: GraphStore) -> dict[str, tuple[float, str]]:
    out: dict[str, tuple[float, str]] = {}
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


SIGNALS: dict[str, Signal] = {
    s.key: s
    for s in (
        Signal(
            "swvs-po",
            "Over hoeveel PO-samenwerkingsverbanden is de gemeente verdeeld?",
            "Aantal PO-samenwerkingsverbanden",
            Scale.counts(4),
            _swvs("PO"),
        ),
        Signal(
            "swvs-vo",
            "Over hoeveel VO-samenwerkingsverbanden is de gemeente verdeeld?",
            "Aantal VO-samenwerkingsverbanden",
            Scale.counts(4),
            _swvs("VO"),
        ),
        Signal(
            "buiten",
            "Welk deel van de leerlingen op scholen in de gemeente woont buiten de gemeente?",
            "Leerlingen die buiten de gemeente wonen",
            Scale.breaks([0, 10, 20, 30, 40], " %"),
            _buiten,
            " %",
        ),
        Signal(
            "jeugdregios",
            "In hoeveel jeugdregio's ligt de gemeente?",
            "Aantal jeugdregio's",
            Scale.counts(3),
            _jeugdregios,
        ),
    )
}
DEFAULT_SIGNAL: Final = "swvs-po"


class UnknownSignal(ValueError):
    pass


def gemeenten_in(store: GraphStore, region: str) -> set[str]:
    """Gemeenten that belong to a Regio (``JZ11``) or lie in a Provincie (``PV27``)."""
    code = region.strip().upper()
    kind = "Provincie" if code.startswith("PV") else "Regio"
    rel = "LIGT_IN" if kind == "Provincie" else "HOORT_BIJ"
    return {e.src.id for e in store.edges(rel=rel, dst=NodeKey(kind, code)) if e.src.kind == "Gemeente"}


def map_areas(store: GraphStore, signal: str, region: str | None = None) -> list[Area]:
    """Every gemeente with an outline (in ``region`` if given) with its value for the signal."""
    store = as_of(store)
    if signal not in SIGNALS:
        raise UnknownSignal(signal)
    values = CACHE.get(store, f"map:{signal}", SIGNALS[signal].compute)  # until the data changes
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


def gemeenten_svg(store: GraphStore, signal: str = DEFAULT_SIGNAL, region: str | None = None) -> str:
    """The map of the gemeenten (of ``region``, if given) coloured by ``signal``."""
    return signal_svg(signal, map_areas(store, signal, region), region)


def signal_svg(signal: str, areas: Sequence[Area], region: str | None = None) -> str:
    s = SIGNALS.get(signal)
    if s is None:
        raise UnknownSignal(signal)
    where = f" ({region.upper()})" if region else ""
    # only the first letter lowered: "Aantal PO-samenwerkingsverbanden" → "aantal PO-…"
    legend = s.legend[:1].lower() + s.legend[1:]
    return render(
        areas,
        s.scale,
        title=f"Kaart van de gemeenten{where}: {legend}",
        description=f"{s.label} Elke gemeente met een bekende grens is gekleurd naar de waarde; "
        f"gearceerd is geen gegevens. {len(areas)} gemeenten.",
        legend_title=s.legend,
    )
