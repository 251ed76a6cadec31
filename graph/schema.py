"""Which kinds of node and which relations the graph may hold, as data.

The Neo4j backend puts kinds and relation names into Cypher text (labels and relationship
types cannot be query parameters), so they are only ever taken from these tables; every
value travels as a parameter. The tables also document the graph for a newcomer: read
``RELATIONS`` to see how an answer can be proven by a path.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Node kinds, with what each one is. Each is a Neo4j label with a uniqueness constraint on
#: ``id``.
NODE_KINDS: dict[str, str] = {
    "Gemeente": "municipality, CBS code GM0000; keeps its history (opgegaan in, with date)",
    "Provincie": "province, CBS code PV00",
    "Regio": "a region of gemeenten of some soort: jeugdregio, GGD, RMC, arbeidsmarktregio, COROP …",
    "PC4": "postcode area, 4 digits",
    "PC6": "full postcode, 4 digits + 2 letters",
    "Wijk": "CBS wijk, WK000000",
    "Buurt": "CBS buurt, BU00000000",
    "Swv": "samenwerkingsverband passend onderwijs, PO0000 or VO0000",
    "Schoolbestuur": "bevoegd gezag, DUO number of 5 digits",
    "School": "school vestiging, BRIN + vestigingscode",
    "Wijkteam": "access to jeugdhulp for an area: wijkteam, jeugdteam, CJG, loket",
    "Zorgaanbieder": "jeugdhulp or care provider (HSDS organization)",
    "Locatie": "a place where a provider works (HSDS location)",
    "Aanbod": "an offer or service of a provider (HSDS service)",
    "Behoefte": "a need category: iJw productcategorie or education need (HSDS taxonomy term)",
    "Contract": "inkoop: a gemeente or jeugdregio contracts a provider for categories, from–to",
    "Contact": "a functional contact point (role mailbox, phone, site): never a private person",
    "Bron": "a source's scope and the versions of it imported (graph.lifecycle); joined to nothing",
}


@dataclass(frozen=True)
class Relation:
    """A relation's meaning in words and the pairs of kinds it may join: the schema as data."""

    meaning: str
    endpoints: frozenset[tuple[str, str]]


def _rel(meaning: str, *pairs: tuple[str, str]) -> Relation:
    for a, b in pairs:
        assert a in NODE_KINDS and b in NODE_KINDS, (a, b)
    return Relation(meaning, frozenset(pairs))


_AREAS = ("PC6", "PC4", "Buurt", "Wijk", "Gemeente")
_ORGS = (
    "Gemeente",
    "Regio",
    "Swv",
    "Schoolbestuur",
    "School",
    "Wijkteam",
    "Zorgaanbieder",
    "Locatie",
    "Aanbod",
)

RELATIONS: dict[str, Relation] = {
    "LIGT_IN": _rel(
        "geography: a smaller area or a place lies in a larger area (property aandeel: share)",
        ("PC6", "PC4"),
        ("PC6", "Buurt"),
        ("Buurt", "Wijk"),
        ("Wijk", "Gemeente"),
        ("PC4", "Gemeente"),
        ("PC4", "Wijk"),
        ("School", "PC6"),
        ("School", "PC4"),
        ("School", "Gemeente"),
        ("Locatie", "PC6"),
        ("Locatie", "PC4"),
        ("Gemeente", "Provincie"),
    ),
    "HOORT_BIJ": _rel(
        "a gemeente is part of a region of gemeenten (geldig_van, geldig_tot)",
        ("Gemeente", "Regio"),
    ),
    "OPGEGAAN_IN": _rel(
        "herindeling: the gemeente merged into another on a date (datum)",
        ("Gemeente", "Gemeente"),
    ),
    "IN_WERKGEBIED": _rel(
        "the area belongs to the SWV's region; from a gemeente, with postcode_restrictie text",
        ("PC4", "Swv"),
        ("PC6", "Swv"),
        ("Gemeente", "Swv"),
    ),
    "BESTUURT": _rel("the schoolbestuur is bevoegd gezag of the school", ("Schoolbestuur", "School")),
    "LID_VAN": _rel("the schoolbestuur is a member of the SWV", ("Schoolbestuur", "Swv")),
    "AANGESLOTEN_BIJ": _rel("the school belongs to the SWV (SO/VSO may serve several)", ("School", "Swv")),
    "WERKT_VOOR": _rel("the wijkteam is run by or for the gemeente", ("Wijkteam", "Gemeente")),
    "BEDIENT": _rel(
        "the wijkteam or offer serves this area (service area)",
        *[(a, b) for a in ("Wijkteam", "Aanbod") for b in _AREAS],
        ("Aanbod", "Regio"),
    ),
    "WERKT_SAMEN_MET": _rel(
        "a provider attached to a wijkteam or working at a school",
        ("Wijkteam", "Zorgaanbieder"),
        ("Zorgaanbieder", "School"),
    ),
    "HEEFT_LOCATIE": _rel("the provider works from this location", ("Zorgaanbieder", "Locatie")),
    "BIEDT": _rel("the provider offers this service", ("Zorgaanbieder", "Aanbod")),
    "OP_LOCATIE": _rel("the service is given at this location", ("Aanbod", "Locatie")),
    "VOOR_BEHOEFTE": _rel(
        "the offer or contract is for this need category", ("Aanbod", "Behoefte"), ("Contract", "Behoefte")
    ),
    "VALT_ONDER": _rel("taxonomy: a need category is part of a broader one", ("Behoefte", "Behoefte")),
    "OPDRACHTGEVER_VAN": _rel(
        "the gemeente or jeugdregio bought care through the contract",
        ("Gemeente", "Contract"),
        ("Regio", "Contract"),
    ),
    "GECONTRACTEERD": _rel("the contract is with this provider", ("Contract", "Zorgaanbieder")),
    "LEERLINGEN_UIT": _rel(
        "pupils of the school live in this PC4 (aantal_min..aantal_max: DUO masks counts under 5 "
        "as '<5', kept as the range 1-4; peildatum)",
        ("School", "PC4"),
    ),
    "HEEFT_CONTACT": _rel("a functional contact point of an organisation", *[(o, "Contact") for o in _ORGS]),
}
