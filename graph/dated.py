"""The graph as it was on a day: every question can be asked "as of" a date.

A :class:`DatedStore` wraps a store and hides what did not hold on its day: a node or edge
outside its periods (:func:`graph.lifecycle.valid_on`), and an edge whose end does not hold
then (a school that closed takes its board's edge along). Questions are written against the
store interface, so they answer as of any day without knowing it, the same on both backends:
the filter is this one piece of code over what either backend returns.

Views are kept per store and day (:func:`as_of`), so that today's view, and the caches of
whole-graph results that key on it, live as long as the store does.

>>> from graph.records import NodeRecord
>>> jz08 = NodeRecord("Regio", "JZ08", {"geldig": ["/2025-01-01"]})
>>> holds(jz08, "2016-06-01"), holds(jz08, "2026-01-01")
(True, False)
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from datetime import date

from graph.lifecycle import valid_on
from graph.neighbourhood import Holds, Neighbourhood, Seed
from graph.records import ApplyResult, Batch, Counts, EdgeRecord, NodeKey, NodeRecord
from graph.seed_cache import cache_for
from graph.store import BackendInfo, GraphStore, StoreError


def holds(record: NodeRecord | EdgeRecord, day: str) -> bool:
    """Whether the record's periods include the day (ISO text): the one test of "as of"."""
    return valid_on(record.props, day)


class DatedStore(GraphStore):
    """A read-only view of ``store`` as of ``day``."""

    def __init__(self, store: GraphStore, day: date) -> None:
        self.store = store
        self.day = day
        self._iso = day.isoformat()
        self._lock = threading.Lock()
        self._ended: tuple[Hashable, frozenset[NodeKey]] | None = None

    # -- what is passed through ------------------------------------------------------------

    @property
    def all_days(self) -> GraphStore:
        """The store over every day, unfiltered: for saying *when* something held that does
        not hold on this view's day (a closed school, a PC4 in a gemeente only on other days)."""
        return self.store

    def info(self) -> BackendInfo:
        return self.store.info()

    def quick(self) -> bool:
        return self.store.quick()

    def ping(self) -> None:
        self.store.ping()

    def data_version(self) -> Hashable:
        return (self.store.data_version(), self._iso)

    def counts(self) -> Counts:
        return self.store.counts()

    def apply(self, batch: Batch, *, dry_run: bool = False) -> ApplyResult:
        raise StoreError("a dated view is read-only: write to the store itself")

    def clear(self) -> None:
        raise StoreError("a dated view is read-only: clear the store itself")

    # -- what is filtered by the day -------------------------------------------------------

    def node(self, key: NodeKey) -> NodeRecord | None:
        found = self.store.node(key)
        return found if found is not None and holds(found, self._iso) else None

    def nodes(self, kind: str, ids: Iterable[str] | None = None) -> list[NodeRecord]:
        return [n for n in self.store.nodes(kind, ids) if holds(n, self._iso)]

    def edges(
        self, rel: str | None = None, src: NodeKey | None = None, dst: NodeKey | None = None
    ) -> list[EdgeRecord]:
        found = [e for e in self.store.edges(rel, src, dst) if holds(e, self._iso)]
        ends = {k for e in found for k in (e.src, e.dst)}
        gone = self._gone(ends)
        return [e for e in found if e.src not in gone and e.dst not in gone]

    def neighbourhood(self, seeds: Sequence[Seed], holds: Holds = None) -> Neighbourhood:
        """Walked one seed at a time, each seed's piece kept for the next question that starts
        there (:mod:`graph.seed_cache`)."""
        return Neighbourhood.merged(self.pieces(seeds))

    def pieces(self, seeds: Sequence[Seed]) -> list[Neighbourhood]:
        """Each seed's own piece of the graph on the view's day, in the order of ``seeds``,
        kept for the next question that starts there (:mod:`graph.seed_cache`); the data's
        version is read before any walk, so a piece walked during a write is kept under the
        version before it and not used after."""
        day = self._iso
        version = self.store.data_version()

        def fetch(seed: Seed) -> Neighbourhood:
            return self.store.neighbourhood([seed], lambda props: valid_on(props, day))

        return cache_for(self.store).pieces(seeds, version, day, fetch)

    def _gone(self, keys: set[NodeKey]) -> set[NodeKey]:
        """Which of these nodes do not hold on the day: from the store's nodes of limited
        validity, read once per version of the data."""
        version = self.store.data_version()
        with self._lock:
            if self._ended is None or self._ended[0] != version:
                periods = self.store.limited_nodes()
                ended = frozenset(
                    k for k, spans in periods.items() if not valid_on({"geldig": spans}, self._iso)
                )
                self._ended = (version, ended)
            return keys & self._ended[1]


def day_of(store: GraphStore, on: date | None = None) -> date:
    """The day a question is asked for: ``on`` if given, else the view's day, else today."""
    if on is not None:
        return on
    return store.day if isinstance(store, DatedStore) else date.today()


_VIEWS: weakref.WeakKeyDictionary[GraphStore, OrderedDict[date, DatedStore]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
KEPT_DAYS = 8


def as_of(store: GraphStore, day: date | None = None) -> DatedStore:
    """The view of ``store`` on ``day`` (default today; for a view already, its own day), the
    same object for the same day while it is among the last few asked for. Every question
    reads through one, so that what ended before its day is never part of an answer."""
    if isinstance(store, DatedStore):
        if day is None or day == store.day:
            return store
        store = store.store
    wanted = day or date.today()
    with _LOCK:
        views = _VIEWS.setdefault(store, OrderedDict())
        view = views.get(wanted)
        if view is None:
            view = views[wanted] = DatedStore(store, wanted)
            while len(views) > KEPT_DAYS:
                views.popitem(last=False)
        views.move_to_end(wanted)
        return view
