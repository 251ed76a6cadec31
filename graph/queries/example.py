"""A tiny made-up kaart for the doctests of the query entry points, as NetworkX shows each
function on a small graph: one gemeente with a wijkteam, a jeugdregio with a contract, one
SWV, one school and its board. Every name is fictief; the codes only have the right forms.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.records import Batch, EdgeRecord, NodeKey, NodeRecord, PropValue

_PROV: dict[str, PropValue] = {
    "source": "voorbeeld (fictief)",
    "source_date": "2025-01-01",
    "import_id": "voorbeeld",
}

_NODES: tuple[tuple[str, str, dict[str, PropValue]], ...] = (
    ("Gemeente", "GM9991", {"naam": "Voorbeeldstad"}),
    ("Gemeente", "GM9992", {"naam": "Buurdorp"}),
    ("Regio", "JZ99", {"naam": "Jeugdregio Voorbeeld", "soort": "jeugdregio"}),
    ("Swv", "PO9901", {"naam": "Samenwerkingsverband Voorbeeld"}),
    ("PC4", "9991", {"lat": 52.0, "lon": 5.0}),
    ("PC4", "9992", {"lat": 52.1, "lon": 5.1}),
    ("Schoolbestuur", "99999", {"naam": "Stichting Voorbeeldscholen"}),
    ("School", "99ZZ00", {"naam": "De Voorbeeldschool", "soort": "BAO"}),
    ("Wijkteam", "wt-voorbeeld", {"naam": "Wijkteam Voorbeeldstad", "fictief": True}),
    ("Contact", "wt-voorbeeld-toegang", {"rol": "toegang jeugdhulp", "email": "wijkteam@voorbeeld.example"}),
    ("Behoefte", "ijw-45", {"naam": "Jeugdhulp ambulant"}),
)

_EDGES = (
    (("PC4", "9991"), "LIGT_IN", ("Gemeente", "GM9991")),
    (("PC4", "9992"), "LIGT_IN", ("Gemeente", "GM9992")),
    (("Gemeente", "GM9991"), "HOORT_BIJ", ("Regio", "JZ99")),
    (("Gemeente", "GM9992"), "HOORT_BIJ", ("Regio", "JZ99")),
    (("PC4", "9991"), "IN_WERKGEBIED", ("Swv", "PO9901")),
    (("PC4", "9992"), "IN_WERKGEBIED", ("Swv", "PO9901")),
    (("Schoolbestuur", "99999"), "BESTUURT", ("School", "99ZZ00")),
    (("School", "99ZZ00"), "LIGT_IN", ("PC4", "9991")),
    (("School", "99ZZ00"), "LIGT_IN", ("Gemeente", "GM9991")),
    (("Wijkteam", "wt-voorbeeld"), "BEDIENT", ("Gemeente", "GM9991")),
    (("Wijkteam", "wt-voorbeeld"), "HEEFT_CONTACT", ("Contact", "wt-voorbeeld-toegang")),
)


def tiny_kaart() -> EmbeddedStore:
    """The made-up kaart, in an embedded store in a throwaway folder.

    >>> sum(tiny_kaart().counts().nodes.values())
    11
    """
    batch = Batch()
    for kind, id_, props in _NODES:
        batch.add_node(NodeRecord(kind, id_, {**props, **_PROV}))
    for (src_kind, src), rel, (dst_kind, dst) in _EDGES:
        batch.add_edge(EdgeRecord(NodeKey(src_kind, src), rel, NodeKey(dst_kind, dst), dict(_PROV)))
    store = EmbeddedStore(Path(tempfile.mkdtemp(prefix="kaart-voorbeeld-")) / "kaart.graph")
    store.apply(batch)
    return store
