"""Which gemeente of today a former gemeente became: one rule for the importers' name
resolution and for search.

A herindeling is an ``OPGEGAAN_IN`` edge from the old gemeente to each gemeente that got part
of it, on a date. Where a published table gives the shares (``aandeel``, of the old gemeente's
addresses), its edges are followed and those without a share (typed in from the merger laws)
are not: the published table wins. A former gemeente *became* the one successor that got the
majority of it; one split more evenly (Haaren, 2021, over four gemeenten) became none of them.
Without shares, the latest merger counts (CBS reuses old codes).

>>> successor_map([("GM0053", "GM1966", 0.877, "2019-01-01"), ("GM0053", "GM1969", 0.123, "2019-01-01")])
{'GM0053': 'GM1966'}
>>> successor_map([("GM0788", "GM0824", 0.42, "2021-01-01"), ("GM0788", "GM0865", 0.34, "2021-01-01")])
{}
>>> successor_map([("GM0457", "GM0363", None, "2022-03-24"), ("GM0457", "GM0392", 1.0, "2022-03-24")])
{'GM0457': 'GM0392'}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

Merge = tuple[str, str, float | None, str | None]  # old, new, share of the old one, date

MAJORITY = 0.5


def successors(merges: Iterable[Merge]) -> dict[str, list[tuple[str, float | None]]]:
    """Every former gemeente's successors, by the rule of the module docstring: published
    shares first, largest first; else the typed-in ones, latest first."""
    by_old: dict[str, list[tuple[str, float | None, str]]] = defaultdict(list)
    for old, new, share, day in merges:
        by_old[old].append((new, share, day or ""))
    out = {}
    for old, found in by_old.items():
        published: set[tuple[str, float | None]] = {(n, s) for n, s, _ in found if s is not None}
        if published:
            out[old] = sorted(published, key=lambda x: (-(x[1] or 0.0), x[0]))
        else:
            latest = max(d for _, _, d in found)
            typed: set[tuple[str, float | None]] = {(n, None) for n, _, d in found if d == latest}
            out[old] = sorted(typed, key=lambda x: x[0])
    return out


def successor_map(merges: Iterable[Merge]) -> dict[str, str]:
    """Former gemeente → the gemeente it became: the one with the majority of it by a
    published share, or the only one typed in without a share; a gemeente split without a
    majority is left out."""
    out = {}
    for old, found in successors(merges).items():
        new, share = found[0]
        if (share is None and len(found) == 1) or (share is not None and share > MAJORITY):
            out[old] = new
    return out
