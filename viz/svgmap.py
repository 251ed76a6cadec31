"""Gemeente maps as SVG, drawn on the server from the gemeenten's CBS outlines.

What is drawn, every gemeente with its outline and value, comes from
:func:`graph.queries.map.map_areas`; this module only draws it, so a map reads nothing itself.
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

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from graph.queries.map import SIGNAL_VALUES, Area, Point, Ring, UnknownSignal, rings

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
    """How a signal is shown: its question, legend and colour scale. Its values are the
    graph's (:data:`graph.queries.map.SIGNAL_VALUES`), so the words can change without it."""

    key: str
    label: str  # Dutch, for the page's select and the map's title
    legend: str
    scale: Scale
    unit: str = ""  # after a value, as in the legend: " %"

    def show(self, value: float | None) -> str:
        """A value as the page's table says it: Dutch number format, with the unit.

        >>> SIGNALS["buiten"].show(20), SIGNALS["swvs-po"].show(2), SIGNALS["buiten"].show(None)
        ('20 %', '2', '–')
        """
        return "–" if value is None else f"{_num(value)}{self.unit}"


SIGNALS: dict[str, Signal] = {
    s.key: s
    for s in (
        Signal(
            "swvs-po",
            "Over hoeveel PO-samenwerkingsverbanden is de gemeente verdeeld?",
            "Aantal PO-samenwerkingsverbanden",
            Scale.counts(4),
        ),
        Signal(
            "swvs-vo",
            "Over hoeveel VO-samenwerkingsverbanden is de gemeente verdeeld?",
            "Aantal VO-samenwerkingsverbanden",
            Scale.counts(4),
        ),
        Signal(
            "buiten",
            "Welk deel van de leerlingen op scholen in de gemeente woont buiten de gemeente?",
            "Leerlingen die buiten de gemeente wonen",
            Scale.breaks([0, 10, 20, 30, 40], " %"),
            " %",
        ),
        Signal(
            "jeugdregios",
            "In hoeveel jeugdregio's ligt de gemeente?",
            "Aantal jeugdregio's",
            Scale.counts(3),
        ),
    )
}
DEFAULT_SIGNAL: Final = "swvs-po"
# the values are computed in graph.queries.map under the same keys; a signal in one only is a bug
assert set(SIGNALS) == set(SIGNAL_VALUES), "viz.svgmap.SIGNALS and graph.queries.map.SIGNAL_VALUES differ"


def signal_svg(signal: str, areas: Sequence[Area], region: str | None = None) -> str:
    """The map of ``areas`` (from :func:`graph.queries.map.map_areas`) with the title, legend
    and colours of ``signal``: the page inlines it and the endpoint sends it, one drawing."""
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
