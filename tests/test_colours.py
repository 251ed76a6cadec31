"""Node colours stay distinguishable for colour-blind readers: every pair of styles, seen with
normal vision and simulated protanopia, deuteranopia and tritanopia (Machado, Oliveira and
Fernandes 2009, severity 1), differs by a colour difference (CIE76 ΔE in CIELAB) of at least
12 when the two share a shape, and of at least 6 when the shape tells them apart too."""

from __future__ import annotations

import itertools
import math

from viz.styles import STYLES

VIEWS = {
    "normaal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopie": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopie": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopie": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(color: str, view: str) -> tuple[float, float, float]:
    rgb = [_linear(int(color[i : i + 2], 16)) for i in (1, 3, 5)]
    matrix = VIEWS[view]
    simulated = [max(0.0, min(1.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]
    return _lab(simulated)


def test_every_pair_of_styles_stays_apart_in_every_kind_of_vision() -> None:
    too_close = []
    for (a, sa), (b, sb) in itertools.combinations(STYLES.items(), 2):
        need = 12 if sa.shape == sb.shape else 6
        for view in VIEWS:
            difference = math.dist(seen(sa.color, view), seen(sb.color, view))
            if difference < need:
                too_close.append((a, b, view, round(difference, 1)))
    assert too_close == []


def test_the_check_can_fail() -> None:
    """Red and green, the classic pair, are the same to a deuteranope."""
    assert math.dist(seen("#d62728", "deuteranopie"), seen("#2ca02c", "deuteranopie")) < 12
