"""What a who-serves answer is made of: each role with the rule behind it in words, the path
of nodes and relations that proves it with the source of every fact, the contracted
providers, and the warnings (a question that cannot be answered raises
:class:`graph.queries.errors.QuestionError`).

These are the contract between the query and everything that shows an answer (the API's
response models, the network pictures, the web page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.queries.names import REL_WORDS, label
from graph.records import EdgeRecord, NodeRecord


@dataclass
class Step:
    """One node or relation on the path that proves an answer, with its source."""

    node: str | None = None
    rel: str | None = None
    source: str = ""
    source_date: str = ""
    label: str = ""  # the node's name with its code, or the relation in words


@dataclass
class Role:
    role: str
    id: str | None
    name: str | None
    rule: str
    path: list[Step] = field(default_factory=list)
    contact: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Provider:
    id: str
    name: str
    contract: str
    opdrachtgever: str
    offers: list[dict[str, Any]]
    distance_home_km: float | None
    distance_school_km: float | None
    path: list[Step]
    opdrachtgever_naam: str | None = None  # the buyer's name with its code beside it


@dataclass
class Answer:
    school: str
    postcode: str
    need: str
    date: str
    enrolled_regular: bool
    roles: list[Role]
    providers: list[Provider]
    warnings: list[str]
    school_naam: str | None = None  # what people call the school and the need asked about
    need_naam: str | None = None


RULES = {
    "zorgplicht": "Wet passend onderwijs: het bevoegd gezag van de school van inschrijving heeft zorgplicht",
    "swv_school": "WPO/WVO: extra ondersteuning en TLV via het samenwerkingsverband van de school",
    "swv_home": "Leerling niet op een reguliere school (thuiszitter, SO, nog niet ingeschreven): "
    "het samenwerkingsverband van het woonadres",
    "gemeente_jeugdhulp": "Jeugdwet, woonplaatsbeginsel: de woongemeente van het kind betaalt de jeugdhulp",
    "toegang": "Beleid van de woongemeente: het wijkteam dat het woonadres bedient",
    "toegang_central": "Geen wijkteam voor dit adres bekend: de centrale toegang van de woongemeente",
    "jeugdregio": "Jeugdwet: gemeenten kopen jeugdhulp samen in per jeugdregio",
    "leerplicht": "Leerplichtwet: de leerplichtambtenaar van de woongemeente",
    "rmc": "RMC-wetgeving: de RMC-regio van de woongemeente",
    "ggd": "Wet publieke gezondheid: de GGD-regio van de woongemeente",
}


def step_of(record: NodeRecord | EdgeRecord) -> Step:
    props = record.props
    if isinstance(record, NodeRecord):
        return Step(
            node=str(record.key),
            source=str(props.get("source", "")),
            source_date=str(props.get("source_date", "")),
            label=label(record),
        )
    return Step(
        rel=record.rel,
        source=str(props.get("source", "")),
        source_date=str(props.get("source_date", "")),
        label=REL_WORDS.get(record.rel, record.rel.lower().replace("_", " ")),
    )


