"""The domain model: one pydantic type per kind of node, plus relations and provenance.

Importers build these types, so every identifier is checked (see :mod:`graph.ids`) before
anything reaches a store; stores hold the flat records of :mod:`graph.records`. Every node
and edge carries provenance (source, source date or version, import id) so that each
answer can say which file a fact came from.

>>> prov = Provenance(source="demo", source_date="2025", import_id="i1")
>>> g = Gemeente(id="392", naam="Haarlem", provenance=prov)
>>> g.to_record().id
'GM0392'
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from graph import geometry, ids, text
from graph.records import PROVENANCE_KEYS, EdgeRecord, NodeKey, NodeRecord, check_edge

GemeenteCode = Annotated[str, AfterValidator(ids.gemeente_code)]
Pc4 = Annotated[str, AfterValidator(ids.pc4)]
Pc6 = Annotated[str, AfterValidator(ids.pc6)]
SwvCode = Annotated[str, AfterValidator(ids.swv_code)]
SchoolId = Annotated[str, AfterValidator(ids.school_id)]
BevoegdGezag = Annotated[str, AfterValidator(ids.bevoegd_gezag)]
EigenId = Annotated[str, AfterValidator(ids.eigen_id)]
Kvk = Annotated[str, AfterValidator(ids.kvk_nummer)]
Agb = Annotated[str, AfterValidator(ids.agb_code)]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
#: an outline replaces the one before it and is drawn on every map: refused when broken
Outline = Annotated[
    str,
    AfterValidator(geometry.check),
    Field(description="outline as GeoJSON Polygon or MultiPolygon text (WGS84), for maps"),
]


def _pc(value: str) -> str:
    return ids.postcode(value)


Postcode = Annotated[str, AfterValidator(_pc)]

#: The fields whose text may span lines (and hold tabs): a description, an address, an
#: outline's GeoJSON text. Every other text is one line (see :mod:`graph.text`).
MULTILINE = frozenset({"beschrijving", "omschrijving", "adres", "grens"})


def _plain(value: Any, multiline: bool) -> Any:
    """``value`` unchanged, or ``ValueError`` when it is a text (or a list holding one) with a
    character no stored text may hold: checked on the raw value, before any type of a field
    could turn it into something else, so that the problem names the field it was given for."""
    if isinstance(value, str):
        text.check(value, multiline=multiline)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                text.check(item, multiline=multiline)
    return value


class Provenance(BaseModel):
    """Where a fact came from: required on every node and edge."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=1, description="source name, e.g. 'CBS gemeenten 2025'")
    source_date: str = Field(min_length=1, description="date or version of the source")
    import_id: str = Field(min_length=1, description="the import run that wrote it")

    @field_validator("*", mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        """A source's name is shown with every fact it gave: one line of plain text."""
        return _plain(value, multiline=False)


class Entity(BaseModel):
    """Base of every node type. ``KIND`` is the node kind in :data:`graph.schema.NODE_KINDS`."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    KIND: ClassVar[str] = ""
    id: str
    provenance: Provenance

    @field_validator("*", mode="before")
    @classmethod
    def _plain_text(cls, value: Any, info: ValidationInfo) -> Any:
        """Every text an importer stores passes here, whatever format it came in (every format
        builds its nodes through this model), so that a NUL, a control character or a bidi
        override is refused with the row's file, line and field (:mod:`graph.text`)."""
        return _plain(value, multiline=info.field_name in MULTILINE)

    @property
    def key(self) -> NodeKey:
        """The node's key in a store."""
        return NodeKey(self.KIND, self.id)

    def to_record(self) -> NodeRecord:
        """The record a store writes: flat properties, empty values left out (they say nothing)."""
        props = self.model_dump(mode="json", exclude={"id", "provenance"}, exclude_none=True)
        props = {k: v for k, v in props.items() if v != []}  # an empty list says nothing
        props.update(self.provenance.model_dump())
        return NodeRecord(self.KIND, self.id, props)

    @classmethod
    def from_record(cls, record: NodeRecord) -> Entity:
        """The typed entity of a stored record, checked again (for an export, say)."""
        props = dict(record.props)
        prov = {k: str(props.pop(k, "unknown")) for k in PROVENANCE_KEYS}
        return cls(id=record.id, provenance=Provenance.model_validate(prov), **props)


class Organisatie(Entity):
    """What the ``organisaties`` format says of an organisation that open data names by code
    only: its name, address and site (an SWV, a school board, a GGD or RMC region)."""

    adres: str | None = None
    website: str | None = None
    fictief: bool | None = Field(default=None, description="true for made-up demo data; unset means not said")


class Gemeente(Entity):
    """A gemeente of today (CBS code): pays for youth care and runs leerplicht for its residents."""

    KIND: ClassVar[str] = "Gemeente"
    id: GemeenteCode
    naam: str | None = Field(default=None, min_length=1, description="unknown for some old gemeenten")
    inwoners: int | None = Field(default=None, ge=0)
    woonplaatsen: list[str] = Field(default_factory=list, description="places in it (CBS), for search")
    grens: Outline | None = None
    opgeheven: date | None = Field(
        default=None, description="first day it no longer existed (herindeling); see OPGEGAAN_IN"
    )
    opgesplitst_in: list[GemeenteCode] = Field(
        default_factory=list, description="split up (herindeling): the gemeenten its parts went to"
    )


class Provincie(Entity):
    """A provincie: the largest area a map or overlap can be limited to."""

    KIND: ClassVar[str] = "Provincie"
    id: Annotated[str, AfterValidator(lambda v: ids.regio_code(v, "PV"))]
    naam: str = Field(min_length=1)


#: Region types with their CBS code prefix. Data, not code: a new soort needs only a line
#: here (or none: an unknown soort is accepted with any CBS-style code).
REGIO_SOORTEN: dict[str, tuple[str, str]] = {
    "jeugdregio": ("JZ", "Jeugdzorgregio"),
    "ggd": ("GG", "GGD-regio"),
    "rmc": ("MC", "RMC-regio"),
    "arbeidsmarktregio": ("AM", "Arbeidsmarktregio"),
    "corop": ("CR", "COROP-gebied"),
    "veiligheidsregio": ("VR", "Veiligheidsregio"),
    "zorgkantoorregio": ("ZK", "Zorgkantoorregio"),
}


class Regio(Organisatie):
    """A region made of gemeenten (HOORT_BIJ edges), valid for a period; for a GGD or RMC
    region also the organisation that serves it (naam, adres, website)."""

    KIND: ClassVar[str] = "Regio"
    id: str
    soort: Slug
    naam: str | None = None
    grens: Outline | None = None

    @model_validator(mode="after")
    def _code_fits_soort(self) -> Regio:
        prefix = REGIO_SOORTEN.get(self.soort, (None, ""))[0]
        self.id = ids.regio_code(self.id, prefix)
        return self


class PC4(Entity):
    """A four-digit postcode area: the unit every region is compared on."""

    KIND: ClassVar[str] = "PC4"
    id: Pc4
    plaats: str | None = None
    inwoners: int | None = Field(default=None, ge=0)
    lat: float | None = Field(default=None, ge=50.0, le=54.0)
    lon: float | None = Field(default=None, ge=3.0, le=7.5)


class PC6(Entity):
    """A full postcode: settles which wijk, buurt and gemeente a border PC4 address lies in."""

    KIND: ClassVar[str] = "PC6"
    id: Pc6


class Wijk(Entity):
    """A CBS wijk: an area a wijkteam may serve, and a PC4's link to its gemeente."""

    KIND: ClassVar[str] = "Wijk"
    id: Annotated[str, AfterValidator(ids.wijk_code)]
    naam: str | None = None


class Buurt(Entity):
    """A CBS buurt: the finest area a wijkteam can be said to serve."""

    KIND: ClassVar[str] = "Buurt"
    id: Annotated[str, AfterValidator(ids.buurt_code)]
    naam: str | None = None


class Swv(Organisatie):
    """A samenwerkingsverband passend onderwijs: extra support for the schools of its region."""

    KIND: ClassVar[str] = "Swv"
    id: SwvCode
    naam: str | None = None
    sector: Literal["PO", "VO"] | None = None

    @model_validator(mode="after")
    def _sector_from_code(self) -> Swv:
        if self.sector is None:
            self.sector = self.id[:2]  # type: ignore[assignment]
        elif self.sector != self.id[:2]:
            raise ValueError(f"sector {self.sector} does not match code {self.id}")
        return self


class Schoolbestuur(Organisatie):
    """A school board (bevoegd gezag): has zorgplicht for the pupils of its schools."""

    KIND: ClassVar[str] = "Schoolbestuur"
    id: BevoegdGezag
    naam: str | None = None


SchoolSoort = Literal["BAO", "SBO", "SO", "VSO", "SO/VSO", "VO", "MBO", "OTHER"]


class School(Entity):
    """A vestiging; ``id`` is BRIN + vestigingscode."""

    KIND: ClassVar[str] = "School"
    id: SchoolId
    naam: str | None = Field(default=None, min_length=1)
    namen: list[str] = Field(default_factory=list, description="other names in other sources (search)")
    soort: SchoolSoort | None = None
    onderwijstype: list[str] = Field(default_factory=list, description="DUO's types, e.g. VBO/MAVO")
    soort_po: list[str] = Field(default_factory=list, description="DUO's SOORT_PO values, e.g. So, Vso")
    straat: str | None = None
    postcode: Postcode | None = None
    plaats: str | None = None
    lat: float | None = Field(default=None, ge=50.0, le=54.0)
    lon: float | None = Field(default=None, ge=3.0, le=7.5)
    leerlingen: int | None = Field(default=None, ge=0, description="pupils in total (DUO vestigingen)")
    buitenland_bekend: int | None = Field(default=None, ge=0, description="pupils living abroad, exact cells")
    buitenland_gemaskeerd: int | None = Field(
        default=None, ge=0, description="… cells masked '<5' (1-4 each)"
    )
    onbekend_bekend: int | None = Field(
        default=None, ge=0, description="pupils whose postcode DUO does not know"
    )
    onbekend_gemaskeerd: int | None = Field(default=None, ge=0)
    landen: list[str] = Field(
        default_factory=list, description="the countries abroad DUO names for its pupils"
    )

    @property
    def brin(self) -> str:
        """The school's BRIN: the first four characters of its vestiging id."""
        return self.id[:4]

    @property
    def regulier(self) -> bool:
        """Regular schools (BAO, VO) get extra support via their own SWV; SO/VSO/SBO are special."""
        return self.soort in ("BAO", "VO")


class Wijkteam(Entity):
    """A local team that gives access to youth care for the areas it serves."""

    KIND: ClassVar[str] = "Wijkteam"
    id: EigenId
    naam: str = Field(min_length=1)
    soort: Literal["wijkteam", "jeugdteam", "gebiedsteam", "buurtteam", "cjg", "loket"] = "wijkteam"
    fictief: bool | None = Field(default=None, description="true for made-up demo data; unset means not said")


class Zorgaanbieder(Entity):
    """A provider of youth care or education support; its offers say what it gives where."""

    KIND: ClassVar[str] = "Zorgaanbieder"
    id: EigenId
    naam: str = Field(min_length=1)
    kvk: Kvk | None = None
    agb: Agb | None = None
    website: str | None = None
    plaats: str | None = None
    fictief: bool | None = Field(default=None, description="true for made-up demo providers; unset: not said")


class Locatie(Entity):
    """A place where a provider gives an offer: what distances are measured to."""

    KIND: ClassVar[str] = "Locatie"
    id: EigenId
    naam: str | None = None
    straat: str | None = None
    postcode: Postcode | None = None
    plaats: str | None = None
    lat: float | None = Field(default=None, ge=50.0, le=54.0)
    lon: float | None = Field(default=None, ge=3.0, le=7.5)


class Aanbod(Entity):
    """An offer (HSDS service); waiting time only with its date and source."""

    KIND: ClassVar[str] = "Aanbod"
    id: EigenId
    naam: str = Field(min_length=1)
    beschrijving: str | None = None
    soort: str | None = Field(default=None, description="kind of offer, e.g. 'ambulant', 'dyslexiezorg'")
    doelgroep: str | None = Field(default=None, description="target group in the provider's words")
    specialismen: list[str] = Field(default_factory=list)
    financiering: list[str] = Field(default_factory=list, description="e.g. Jeugdwet, Zvw, Wlz")
    website: str | None = None
    wachttijd_weken: float | None = Field(default=None, ge=0)
    wachttijd_datum: date | None = None
    wachttijd_bron: str | None = None

    @model_validator(mode="after")
    def _waiting_time_is_dated(self) -> Aanbod:
        if self.wachttijd_weken is not None and (self.wachttijd_datum is None or not self.wachttijd_bron):
            raise ValueError("wachttijd_weken needs wachttijd_datum and wachttijd_bron")
        return self


class Behoefte(Entity):
    """A need category; the taxonomy itself is data (VALT_ONDER edges), never code."""

    KIND: ClassVar[str] = "Behoefte"
    id: Annotated[str, Field(pattern=r"^[a-z]+-[a-z0-9-]+$", max_length=60)]
    naam: str = Field(min_length=1)
    stelsel: Literal["ijw", "onderwijs", "eigen"]
    code: str = Field(min_length=1, description="code within the stelsel, e.g. '45'")


class Contract(Entity):
    """A contract by which a gemeente or jeugdregio buys care for needs, valid for a period."""

    KIND: ClassVar[str] = "Contract"
    id: EigenId
    geldig_van: date
    geldig_tot: date | None = None
    omschrijving: str | None = None
    fictief: bool | None = Field(default=None, description="true for made-up demo data; unset means not said")

    @model_validator(mode="after")
    def _period(self) -> Contract:
        if self.geldig_tot is not None and self.geldig_tot < self.geldig_van:
            raise ValueError("geldig_tot lies before geldig_van")
        return self


class Contact(Entity):
    """A functional contact: a role, with a role mailbox or phone; never a private person."""

    KIND: ClassVar[str] = "Contact"
    id: EigenId
    rol: str = Field(min_length=1, description="the function, e.g. 'toegang jeugdhulp'")
    naam: str | None = Field(
        default=None, description="the desk's own name, e.g. 'Leerplicht Zuid-Kennemerland'"
    )
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    telefoon: str | None = Field(default=None, pattern=r"^[0-9 +()-]{6,20}$")
    website: str | None = None
    adres: str | None = None
    fictief: bool | None = Field(default=None, description="true for made-up demo data")


class Bron(Entity):
    """A source's scope (``duo:vestigingen``) with the versions imported: written by the store
    when a batch states a version (see :mod:`graph.lifecycle`), never by a source."""

    KIND: ClassVar[str] = "Bron"
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9:._-]{0,119}$")]
    naam: str = Field(min_length=1)
    versies: list[str] = Field(default_factory=list, description="ISO dates of the versions, oldest first")
    laatste: str | None = None


ENTITY_TYPES: dict[str, type[Entity]] = {
    cls.KIND: cls
    for cls in (
        Gemeente,
        Provincie,
        Regio,
        PC4,
        PC6,
        Wijk,
        Buurt,
        Swv,
        Schoolbestuur,
        School,
        Wijkteam,
        Zorgaanbieder,
        Locatie,
        Aanbod,
        Behoefte,
        Contract,
        Contact,
        Bron,
    )
}


class Relatie(BaseModel):
    """An edge between two nodes; the allowed kinds per relation are in :mod:`graph.schema`."""

    model_config = ConfigDict(extra="forbid")

    rel: str
    van: NodeKey
    naar: NodeKey
    props: dict[str, Any] = Field(default_factory=dict)
    provenance: Provenance

    @field_validator("props")
    @classmethod
    def _plain_props(cls, props: dict[str, Any]) -> dict[str, Any]:
        """An edge's texts (a toelichting, a source's word for a share) are stored and shown
        like a node's, so they are checked alike; the reason names the property."""
        for name, value in props.items():
            try:
                _plain(value, multiline=name in MULTILINE)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return props

    def to_record(self) -> EdgeRecord:
        """The record a store writes, dates as ISO text (both backends store them alike)."""
        props = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.props.items()}
        props.update(self.provenance.model_dump())
        return check_edge(EdgeRecord(NodeKey(*self.van), self.rel, NodeKey(*self.naar), props))


def normalise_id(kind: str, raw: object) -> str:
    """The canonical id of a node of ``kind``, by the same rule its model applies.

    Lets an edge refer to ``Gemeente:392`` and still meet the node ``Gemeente:GM0392``.
    """
    cls = ENTITY_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"onbekende soort {kind!r}; bekend: {', '.join(ENTITY_TYPES)}")
    adapter = _ID_ADAPTERS.get(kind)
    if adapter is None:
        info = cls.model_fields["id"]
        hint: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        adapter = TypeAdapter(hint)
        _ID_ADAPTERS[kind] = adapter
    value = adapter.validate_python(raw)
    return ids.regio_code(value) if kind == "Regio" else value


_ID_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def entity(kind: str, data: dict[str, Any]) -> Entity:
    """Build the entity of ``kind`` from loose data, e.g. one row of an import file."""
    try:
        cls = ENTITY_TYPES[kind]
    except KeyError:
        raise ValueError(f"onbekende soort {kind!r}; bekend: {', '.join(ENTITY_TYPES)}") from None
    return cls.model_validate(data)
