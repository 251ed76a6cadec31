"""The network pictures in one place: the model and the four builders.

Each builder turns one question's answer into a :class:`~viz.model.Network`; rendering it
(JSON for clients, a self-contained HTML page with vis-network) is :mod:`viz.html`'s job, so
the API, the CLI and the web pages all draw the same picture.
"""

from __future__ import annotations

from viz.mismatch import mismatch_network
from viz.model import Edge, LegendEntry, Network, NetworkBuilder, Node
from viz.overlap import overlap_network
from viz.swv import swv_network
from viz.who_serves import who_serves_network

__all__ = [
    "Edge",
    "LegendEntry",
    "Network",
    "NetworkBuilder",
    "Node",
    "mismatch_network",
    "overlap_network",
    "swv_network",
    "who_serves_network",
]
