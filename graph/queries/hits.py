"""What a search finds: a school, gemeente or SWV as a hit, with its score, what it matched
on and what to call it, and the page of hits each search answers. These are the API's
response models too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, with_config

from graph.queries.names import label_of
from graph.queries.pages import ALWAYS_SENT, Page, Ref


@with_config(ALWAYS_SENT)
@dataclass
class SchoolHit:
    """A school found by what was typed, with what a person needs to pick the right one
    (plaats, gemeente, kind) and why it matched; the API's answer item is this type itself."""

    id: Annotated[str, Field(description="BRIN + vestigingscode", examples=["15UJ00"])]
    naam: Annotated[str | None, Field(examples=["Openbare Basisschool De Kring/Hannie Schaft School"])]
    plaats: Annotated[
        str | None,
        Field(
            description="the school's own plaats, else that of its PC4, else its gemeente",
            examples=["Haarlem"],
        ),
    ]
    gemeente: Annotated[Ref | None, Field(description="the gemeente the school lies in")]
    soort: Annotated[str | None, Field(description="BAO, SBO, SO, VSO, SO/VSO, VO", examples=["BAO"])]
    sector: Annotated[str | None, Field(description="PO or VO (the SWV's sector)", examples=["PO"])]
    postcode: Annotated[str | None, Field(examples=["2011KZ"])]
    score: Annotated[
        float,
        Field(
            description="higher is better: 3 an exact code, 2 a BRIN prefix, about 0.5–1.3 a name",
            examples=[3.0],
        ),
    ]
    matched_on: Annotated[
        list[str],
        Field(description="what matched: id, naam, plaats, postcode, soort", examples=[["naam", "plaats"]]),
    ]
    label: Annotated[
        str,
        Field(
            description="what to call it: its name with its code",
            examples=["Openbare Basisschool De Kring/Hannie Schaft School (15UJ00)"],
        ),
    ] = ""

    def __post_init__(self) -> None:
        self.label = label_of("School", self.id, self.naam)


@dataclass
class SchoolPage(Page[SchoolHit]):
    """A page of schools found: the answer of ``/search/schools``."""

    items: list[SchoolHit]


@dataclass
class FormerGemeente:
    """A gemeente that merged into one of today, named in a hit found by its old name or code:
    it tells the person why Haarlemmerliede led to Haarlemmermeer."""

    id: Annotated[str, Field(examples=["GM0393"])]
    naam: Annotated[str | None, Field(examples=["Haarlemmerliede en Spaarnwoude"])]
    opgeheven: Annotated[
        str | None, Field(description="first day it no longer existed", examples=["2019-01-01"])
    ]


@with_config(ALWAYS_SENT)
@dataclass
class GemeenteHit:
    """A gemeente found by what was typed, with its provincie and size to tell namesakes apart
    and, when found by a former gemeente, which one; the API's answer item is this type itself."""

    id: Annotated[str, Field(examples=["GM0394"])]
    naam: Annotated[str | None, Field(examples=["Haarlemmermeer"])]
    provincie: Annotated[Ref | None, Field(examples=[{"id": "PV27", "naam": "Noord-Holland"}])]
    inwoners: Annotated[int | None, Field(examples=[162000])]
    opgeheven: Annotated[
        str | None,
        Field(
            description="set only for a former gemeente whose successor the kaart does not know",
            examples=[None],
        ),
    ]
    via: Annotated[
        FormerGemeente | None,
        Field(description="found by the name or code of this former gemeente, which merged into it"),
    ]
    score: Annotated[float, Field(examples=[0.95])]
    matched_on: Annotated[
        list[str],
        Field(
            description="id, naam, woonplaats, or 'voormalige …' for a former gemeente's",
            examples=[["voormalige naam"]],
        ),
    ]
    label: Annotated[
        str, Field(description="what to call it: its name with its code", examples=["Haarlem (GM0392)"])
    ] = ""

    def __post_init__(self) -> None:
        self.label = label_of("Gemeente", self.id, self.naam)


@dataclass
class GemeentePage(Page[GemeenteHit]):
    """A page of gemeenten found: the answer of ``/search/gemeenten``."""

    items: list[GemeenteHit]


@with_config(ALWAYS_SENT)
@dataclass
class SwvHit:
    """A samenwerkingsverband found by code, name or a gemeente in its region, with those
    gemeenten: the open data has codes but no names, so the gemeenten say which one it is."""

    id: Annotated[str, Field(examples=["PO2704"])]
    naam: Annotated[
        str | None, Field(description="open data gives codes only; a name when imported", examples=[None])
    ]
    sector: Annotated[str | None, Field(examples=["PO"])]
    gemeenten: Annotated[
        list[Ref],
        Field(
            description="the gemeenten its region touches", examples=[[{"id": "GM0392", "naam": "Haarlem"}]]
        ),
    ]
    score: Annotated[float, Field(examples=[3.0])]
    matched_on: Annotated[list[str], Field(description="id, naam or gemeente", examples=[["id"]])]
    label: Annotated[
        str,
        Field(
            description="what to call it: its name with its code", examples=["Samenwerkingsverband PO 27-04"]
        ),
    ] = ""

    def __post_init__(self) -> None:
        self.label = label_of("Swv", self.id, self.naam)


@dataclass
class SwvPage(Page[SwvHit]):
    """A page of samenwerkingsverbanden found: the answer of ``/search/swvs``."""

    items: list[SwvHit]
