"""Values derived from a store's whole data (a search index, the mismatch report), kept
until the data changes.

Building them reads every school or every relation: seconds on national data. A request
should cost milliseconds, so each value is built once per store and kept while the store's
:meth:`~graph.store.GraphStore.data_version` stays the same; an import changes the version,
and the next request rebuilds.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from graph.store import GraphStore

T = TypeVar("T")


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    version: Hashable = None
    value: object = None
    filled: bool = False


class Cache:
    """Requests for one value wait for a single build instead of each building it; other
    values are not held up meanwhile."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._slots: weakref.WeakKeyDictionary[GraphStore, dict[str, _Slot]] = weakref.WeakKeyDictionary()

    def get(self, store: GraphStore, name: str, build: Callable[[GraphStore], T]) -> T:
        """The whole-graph result ``name`` for the store's current data, built once per version
        of the data: one caller builds while the others wait, instead of all building at once."""
        version = store.data_version()
        with self._guard:
            slot = self._slots.setdefault(store, {}).setdefault(name, _Slot())
        with slot.lock:
            if not slot.filled or slot.version != version:
                # a change during the build leaves the older version here: rebuilt next time
                slot.value, slot.version, slot.filled = build(store), version, True
            return slot.value  # type: ignore[return-value]

    def forget(self, store: GraphStore) -> None:
        """Drop what is kept for a store: for a caller that knows it just wrote to it."""
        with self._guard:
            self._slots.pop(store, None)


CACHE = Cache()
