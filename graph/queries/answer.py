"""What a who-serves answer is made of: each role with the rule behind it in words, the path
of nodes and relations that proves it with the source of every fact, the contracted
providers, and the warnings (a question that cannot be answered raises
:class:`graph.queries.errors.QuestionError`).

These are the contract between the query and everything that shows an answer (the API's
response models, the network pictures, the web page).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field

from graph.props import flag, text
from graph.queries.names import REL_WORDS, label
from graph.records import EdgeRecord, NodeRecord


@dataclass
class Step:
    """One node or relation on the path that proves an answer, with its source: a reader
    can check every link of the answer against where it came from."""

    node: Annotated[str | None, Field(examples=["PC4:2011"])] = None
    rel: Annotated[str | None, Field(examples=["IN_WERKGEBIED"])] = None
    source: Annotated[str, Field(examples=["Regeling regio-indeling SWV (BWBR0032324)"])] = ""
    source_date: Annotated[str, Field(examples=["2015-04-23"])] = ""
    label: Annotated[
        str,
        Field(description="the node's name with its code, or the relation in words", examples=["ligt in"]),
    ] = ""


@dataclass
class Contact:
    """A functional contact point (a role's mailbox, phone, site, desk): never a person."""

    rol: Annotated[str, Field(examples=["toegang jeugdhulp"])]
    naam: str | None = None
    email: str | None = None
    telefoon: str | None = None
    website: str | None = None
    adres: str | None = None
    fictief: bool | None = None

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> Contact:
        """The contact a stored Contact node's properties describe."""
        return cls(
            text(props, "rol") or "",
            text(props, "naam"),
            text(props, "email"),
            text(props, "telefoon"),
            text(props, "website"),
            text(props, "adres"),
            flag(props, "fictief"),
        )


@dataclass
class Role:
    """One responsible party of the answer: who (``id`` and ``name``, both None when the kaart
    cannot tell), the rule that makes them responsible, the path that proves it, and how to
    reach them."""

    role: Annotated[str, Field(examples=["swv"])]
    id: Annotated[str | None, Field(examples=["PO2704"])]
    name: Annotated[str | None, Field(examples=["Samenwerkingsverband Zuid-Kennemerland (PO 27-04)"])]
    rule: str
    path: list[Step] = field(default_factory=list)
    contact: list[Contact] = field(default_factory=list)
    niveau: Annotated[
        str | None,
        Field(
            description="for toegang: the level the team was found on (PC6, buurt, wijk, PC4, "
            "wijk van de postcode, gemeente) or centraal",
            examples=["PC4"],
        ),
    ] = None


@dataclass
class Place:
    """Where an offer is given, with its distance to home and school (km, None if unknown)."""

    locatie: str
    postcode: str
    km_thuis: float | None
    km_school: float | None


@dataclass
class Offer:
    """A provider's offer for the need asked about, with its waiting time where known and the
    day and source of that figure (a waiting time is only worth its date)."""

    id: str
    naam: str | None
    wachttijd_weken: float | None
    wachttijd_datum: str | None
    wachttijd_bron: str | None
    locaties: list[Place]


@dataclass
class Provider:
    """A provider contracted for the need by the home gemeente or its jeugdregio."""

    id: str
    name: str
    contract: str
    opdrachtgever: Annotated[
        str, Field(description="the gemeente or jeugdregio that contracted it", examples=["JZ11"])
    ]
    offers: list[Offer]
    distance_home_km: float | None
    distance_school_km: float | None
    path: list[Step]
    opdrachtgever_naam: Annotated[
        str | None,
        Field(
            description="its name with the code beside it", examples=["Jeugdregio Zuid-Kennemerland (JZ11)"]
        ),
    ] = None


@dataclass
class Answer:
    """The whole answer to "who serves this pupil": the question as understood, every role,
    the contracted providers and the warnings. The API's response model is this type itself."""

    school: Annotated[str, Field(examples=["15UJ00"])]
    postcode: Annotated[str, Field(examples=["2011AB"])]
    need: Annotated[str, Field(examples=["ijw-45"])]
    date: str
    enrolled_regular: bool
    roles: list[Role]
    providers: list[Provider]
    warnings: list[str]
    school_naam: Annotated[
        str | None, Field(description="the school's name with its code", examples=["De Ark (15UJ00)"])
    ] = None
    need_naam: Annotated[
        str | None, Field(description="the need's name", examples=["Jeugdhulp ambulant"])
    ] = None


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
    """The path step for a node or relation, with its source and its name in words."""
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
