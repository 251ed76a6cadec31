"""Facts that stay true: which version of which source states a fact, and when it holds.

A source is refreshed: DUO publishes its list of school locations again, CBS draws the
jeugdregio's of a new year, a gemeente sends this year's wijkteams. Each such list covers a
*scope* (``duo:vestigingen``, ``cbs:regio-indeling:jeugdregio``, ``wijkteams:GM0392``) and is
a *version* of it, dated by the day its facts hold (an ISO date). A newer version replaces
what the scope said: a fact it no longer states ends on the new version's date, a new one
begins; an older version imported later only fills in the history.

Every versioned node and edge carries two properties, written by the store on each import:

``vermeld``
    the runs of versions that stated it, one text per run: ``scope@begin/end`` — stated by
    every version of ``scope`` from ``begin`` up to (not including) ``end``. An empty
    ``begin`` means "since the first version we have": the oldest known version is taken to
    hold back in time, since nothing older is known. An empty ``end``: still stated.
``geldig``
    the periods in which the fact holds, ``begin/end`` (end exclusive, either side open):
    the union of its runs over all scopes. A fact stated by two scopes lasts while one of them
    still states it. Unversioned records (no ``geldig``) hold always.

>>> valid_on({"geldig": ["/2025-01-01"]}, "2016-06-01"), valid_on({"geldig": ["/2025-01-01"]}, "2026-01-01")
(True, False)
>>> runs = compress({"2016-01-01"}, ["2016-01-01", "2025-01-01"], "cbs:jz")
>>> [str(r) for r in runs], periods(runs)
(['cbs:jz@/2025-01-01'], ['/2025-01-01'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

VERMELD = "vermeld"
GELDIG = "geldig"
#: Properties the store writes itself; a source never gives them.
LIFECYCLE_KEYS = (VERMELD, GELDIG)

_SCOPE = re.compile(r"^[a-z0-9][a-z0-9:._-]{0,119}$")


def scope_id(text: str) -> str:
    """A scope is lower-case letters, digits and ``:._-``: it is a node id and part of a run.

    >>> scope_id("wijkteams:GM0392")
    'wijkteams:gm0392'
    """
    value = text.strip().lower()
    if not _SCOPE.match(value):
        raise ValueError(f"scope {text!r} is niet geldig: kleine letters, cijfers en ':._-'")
    return value


def version_date(text: object) -> str:
    """A version's day as ISO text, from the ways sources write it: ``2025`` (a year: its
    first day), ``2024-11`` (a month: its first day), ``20241001``, ``2024-10-01`` or a date.

    >>> version_date("2025"), version_date("2024-11"), version_date("20241001")
    ('2025-01-01', '2024-11-01', '2024-10-01')
    """
    if isinstance(text, date):
        return text.isoformat()
    value = str(text).strip()
    if re.fullmatch(r"(19|20)\d{2}", value):
        return f"{value}-01-01"
    if re.fullmatch(r"(19|20)\d{2}-\d{2}", value):
        return date.fromisoformat(f"{value}-01").isoformat()
    if re.fullmatch(r"(19|20)\d{6}", value):
        return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is geen datum: schrijf YYYY-MM-DD, YYYY-MM of YYYY") from None


@dataclass(frozen=True)
class Run:
    """Versions ``begin`` (empty: the first) up to ``end`` (exclusive; empty: still) of a scope."""

    scope: str
    begin: str
    end: str

    def __str__(self) -> str:
        return f"{self.scope}@{self.begin}/{self.end}"

    @classmethod
    def parse(cls, text: str) -> Run:
        """The run a stored ``scope@begin/end`` text names."""
        scope, _, span = text.partition("@")
        begin, _, end = span.partition("/")
        return cls(scope, begin, end)


def runs_of(props: Mapping[str, object]) -> list[Run]:
    """The runs of versions that stated a fact: its history, source by source."""
    value = props.get(VERMELD)
    return [Run.parse(str(v)) for v in value] if isinstance(value, list) else []


def members(runs: Iterable[Run], scope: str, versions: Sequence[str]) -> set[str]:
    """The versions of ``scope`` (sorted ``versions``) that state the fact, from its runs."""
    found: set[str] = set()
    for run in runs:
        if run.scope == scope:
            found |= {
                v for v in versions if (not run.begin or v >= run.begin) and (not run.end or v < run.end)
            }
    return found


def compress(stated: set[str], versions: Sequence[str], scope: str) -> list[Run]:
    """The runs that say "stated by these of the sorted ``versions``": the inverse of
    :func:`members`. A run from the first version has an open begin."""
    runs: list[Run] = []
    begin: str | None = None
    for i, v in enumerate(versions):
        if v in stated and begin is None:
            begin = "" if i == 0 else v
        elif v not in stated and begin is not None:
            runs.append(Run(scope, begin, v))
            begin = None
    if begin is not None:
        runs.append(Run(scope, begin, ""))
    return runs


def periods(runs: Iterable[Run]) -> list[str]:
    """The union of the runs as periods ``begin/end``, sorted, touching ones joined."""
    spans = sorted(((r.begin, r.end) for r in runs), key=lambda s: s[0])
    merged: list[list[str]] = []
    for begin, end in spans:
        if merged and (not merged[-1][1] or begin <= merged[-1][1]):
            last = merged[-1]
            last[1] = "" if not last[1] or not end else max(last[1], end)
        else:
            merged.append([begin, end])
    return [f"{b}/{e}" for b, e in merged]


def valid_on(props: Mapping[str, object], day: str) -> bool:
    """Whether a record holds on ``day`` (ISO text): always for an unversioned record."""
    spans = props.get(GELDIG)
    if not isinstance(spans, list):
        return True
    for span in spans:
        begin, _, end = str(span).partition("/")
        if (not begin or begin <= day) and (not end or day < end):
            return True
    return False


def is_current(props: Mapping[str, object]) -> bool:
    """Whether a record holds from now on: unversioned, or with a period without an end."""
    spans = props.get(GELDIG)
    return not isinstance(spans, list) or any(str(s).endswith("/") for s in spans)


def ended_on(props: Mapping[str, object]) -> str | None:
    """The day a record stopped holding, when it no longer does; ``None`` while it holds."""
    spans = props.get(GELDIG)
    if not isinstance(spans, list) or is_current(props) or not spans:
        return None
    return max(str(s).partition("/")[2] for s in spans)
