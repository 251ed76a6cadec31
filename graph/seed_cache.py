"""The pieces of the graph a question starts from, kept between questions: a school's, a PC4
area's, a need's.

Most of a who-serves answer is the walk out from its seeds (:mod:`graph.neighbourhood`), and
the same schools and postcodes are asked about again and again (a school's staff, a
gemeente's). So the walk from each seed is kept, per store, version of its data and day, and a
question joins the pieces of its seeds (:meth:`Neighbourhood.merged`).

What is kept must not say who asked what: a school, a PC4 area and a need together can point
at a child, so each piece is keyed by one seed only, never by the question, and a PC6 (a few
addresses) is not kept at all. The pieces live in a fixed array of slots, in sets of four
chosen by a hash of the seed (a set-associative cache); a seed whose set is full replaces one
of its four at random. Nothing keeps an order of arrival or of use that could pair a school
with the postcode asked about at the same moment. (With one slot per seed instead of four,
a few thousand seeds in 8192 slots already collide for a third of them, and each collision
walks again on every question.)

A piece also keeps what questions worked out from it alone (``Neighbourhood.derived``, see
:meth:`graph.queries.question.Question.kept`): a school's board and SWV, a PC4's gemeente,
team, regions and contracted providers for every need; it goes with the piece. Memory is
bounded by the number of slots (``SOCIALE_KAART_SEED_CACHE``, default 8192; on national data
a piece is about 14 KB and what is worked out from it about 5 KB more, by tracemalloc, so
about 150 MB when full; 0 turns it off).

>>> from graph.neighbourhood import Seed
>>> from graph.records import NodeKey
>>> walks = []
>>> def fetch(seed):
...     walks.append(seed.key.id)
...     return Neighbourhood([], [])
>>> cache = SeedCache(8)
>>> for _ in range(3):
...     _ = cache.neighbourhood([Seed(NodeKey("School", "00AA00"))], "v1", "2025-10-01", fetch)
>>> walks
['00AA00']
>>> _ = cache.neighbourhood([Seed(NodeKey("School", "00AA00"))], "v2", "2025-10-01", fetch)
>>> walks  # the data changed: walked again
['00AA00', '00AA00']
"""

from __future__ import annotations

import logging
import os
import random
import threading
import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from graph.neighbourhood import Neighbourhood, Seed

log = logging.getLogger(__name__)

#: the seeds whose pieces are kept: one school, one PC4 area, one need say nothing of a child
KEPT_KINDS = frozenset({"School", "PC4", "Behoefte"})
DEFAULT_SLOTS = 8192
#: slots a seed may use: its set
WAYS = 4


@dataclass(frozen=True, slots=True)
class _Piece:
    version: Hashable
    day: str
    #: the seed as given: a hit must have the very same tree of steps (see `neighbourhood`)
    seed: Seed
    near: Neighbourhood


class SeedCache:
    """Pieces of the graph by seed, in ``slots`` slots (0: none kept)."""

    def __init__(self, slots: int) -> None:
        self._slots: list[_Piece | None] = [None] * slots

    def neighbourhood(
        self,
        seeds: Sequence[Seed],
        version: Hashable,
        day: str,
        fetch: Callable[[Seed], Neighbourhood],
    ) -> Neighbourhood:
        """The neighbourhood of ``seeds`` as of ``day``: their :meth:`pieces` joined."""
        return Neighbourhood.merged(self.pieces(seeds, version, day, fetch))

    def pieces(
        self,
        seeds: Sequence[Seed],
        version: Hashable,
        day: str,
        fetch: Callable[[Seed], Neighbourhood],
    ) -> list[Neighbourhood]:
        """Each seed's piece as of ``day``, in the order of ``seeds``: from its slot when it
        was walked for this version of the data and this day, else from ``fetch`` (and kept).

        A hit needs the seed's steps to be the same object as when it was kept, not just an
        equal one: a question's steps are module constants, and comparing trees of steps for
        equality would cost about what the walk does."""
        pieces = []
        slots = self._slots
        for seed in seeds:
            if not slots or seed.key.kind not in KEPT_KINDS:
                pieces.append(fetch(seed))
                continue
            ways = min(WAYS, len(slots))
            first = hash((seed.key, id(seed.steps), day)) % (len(slots) // ways) * ways
            piece = None
            for slot in range(first, first + ways):
                held = slots[slot]
                if held is None:
                    break
                if held.seed.steps is seed.steps and held.seed.key == seed.key and held.day == day:
                    piece = held if held.version == version else None
                    break
            else:
                slot = first + random.randrange(ways)  # a full set: any of its slots
            if piece is None:
                piece = _Piece(version, day, seed, fetch(seed))
                slots[slot] = piece  # one reference swapped: safe across threads
            pieces.append(piece.near)
        return pieces


def slots_from_env() -> int:
    """``SOCIALE_KAART_SEED_CACHE``: how many pieces to keep; the default when unset or no
    number of zero or more (with a warning)."""
    raw = os.environ.get("SOCIALE_KAART_SEED_CACHE", "").strip().replace("_", "")
    if not raw:
        return DEFAULT_SLOTS
    if raw.isdigit():
        return int(raw)
    log.warning("SOCIALE_KAART_SEED_CACHE=%r is geen aantal: %d gebruikt", raw[:20], DEFAULT_SLOTS)
    return DEFAULT_SLOTS


_CACHES: weakref.WeakKeyDictionary[object, SeedCache] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def cache_for(store: object) -> SeedCache:
    """The one cache of a store, shared by its views of every day (the day is in the key), made
    at its first question with :func:`slots_from_env` slots."""
    with _GUARD:
        found = _CACHES.get(store)
        if found is None:
            found = _CACHES[store] = SeedCache(slots_from_env())
        return found
