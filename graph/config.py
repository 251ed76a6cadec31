"""Choosing and opening a store from configuration.

One rule, the same for the command line, the API and the tests: an explicit ``--store``
wins; else ``SOCIALE_KAART_STORE``; else ``NEO4J_URI`` selects Neo4j; else the embedded
file in the data folder. A ``bolt://`` or ``neo4j://`` target is Neo4j, anything else a
file path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.store import GraphStore

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
STORE_FILE_NAME = "graph.json"


def default_data_dir() -> Path:
    """``$SOCIALE_KAART_DATA_DIR``, else the XDG data folder (``~/.local/share/sociale-kaart``)."""
    explicit = os.environ.get("SOCIALE_KAART_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "sociale-kaart"


@dataclass(frozen=True)
class StoreTarget:
    """Where the graph lives. ``location`` is a file path or a Bolt URI."""

    location: str
    user: str | None = None
    password: str | None = None
    database: str | None = None

    @property
    def is_neo4j(self) -> bool:
        """Whether the location names a Neo4j server (bolt:// or neo4j://, with or without +s)."""
        return self.location.startswith(NEO4J_SCHEMES)

    @classmethod
    def resolve(cls, explicit: str | None = None) -> StoreTarget:
        """The store to use: the one given, else SOCIALE_KAART_STORE, else NEO4J_URI, else the
        embedded file in the data folder; Neo4j credentials from the environment only."""
        location = explicit or os.environ.get("SOCIALE_KAART_STORE") or os.environ.get("NEO4J_URI")
        if not location:
            location = str(default_data_dir() / STORE_FILE_NAME)
        return cls(
            location=location,
            user=os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME"),
            password=os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE"),
        )

    def open(self) -> GraphStore:
        """Open the store; the Neo4j driver is imported only when a Neo4j store is asked for."""
        if self.is_neo4j:
            from graph.neo4j_backend import Neo4jStore

            return Neo4jStore(self.location, self.user, self.password, self.database)
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(self.location)


def open_store(explicit: str | None = None) -> GraphStore:
    """Open the store that configuration names (see the module docstring)."""
    return StoreTarget.resolve(explicit).open()
