"""One style per kind of node: colour, shape and the Dutch legend text, kept as one table.

Every picture takes its styles from here, so an SWV looks the same in the who-serves picture
as in the national mismatch, and the legend can be made from the groups a picture uses.
Colours follow the Okabe–Ito and Tol palettes, chosen so that they stay apart for
colour-blind readers (a test simulates protan, deutan and tritan vision and measures every pair);
shapes differ too, so the picture still reads in grey.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.queries.names import human_code, label_of


@dataclass(frozen=True)
class Style:
    label: str
    color: str
    shape: str


STYLES: dict[str, Style] = {
    "vraag": Style("Vraag van de school (de leerling)", "#d62728", "star"),
    "school": Style("School (vestiging)", "#56b4e9", "dot"),
    "schoolbestuur": Style("Schoolbestuur (bevoegd gezag)", "#0072b2", "square"),
    "swv": Style("Samenwerkingsverband passend onderwijs", "#e69f00", "hexagon"),
    "swv_meerdere": Style("Samenwerkingsverband in meer dan één jeugdregio", "#d55e00", "hexagon"),
    "gemeente": Style("Gemeente", "#009e73", "box"),
    "gemeente_gedeeld": Style("Gemeente in beide regio's", "#7b3294", "box"),
    "jeugdregio": Style("Jeugdregio (inkoop jeugdhulp)", "#cc79a7", "diamond"),
    "ggd": Style("GGD-regio", "#999933", "triangle"),
    "rmc": Style("RMC-regio (voortijdig schoolverlaten)", "#882255", "triangle"),
    "regio": Style("Andere regio van gemeenten", "#aaaaaa", "triangle"),
    "provincie": Style("Provincie", "#666666", "diamond"),
    "wijkteam": Style("Wijkteam of toegang tot jeugdhulp", "#332288", "ellipse"),
    "zorgaanbieder": Style("Zorgaanbieder", "#ddcc77", "dot"),
    "contract": Style("Contract (inkoop)", "#ee6677", "box"),
    "pc4": Style("Postcodegebied (PC4)", "#bbcc33", "dot"),
    "gebied": Style("Wijk, buurt of volledige postcode", "#b3dcea", "dot"),
    "groep": Style("Samengevat: te veel om los te tonen", "#bbbbbb", "box"),
    "onbekend": Style("Niet bekend in de kaart", "#f4f4f4", "box"),
}

#: Node kinds of the graph (graph.schema.NODE_KINDS) and the group they are drawn in.
KIND_GROUP: dict[str, str] = {
    "School": "school",
    "Schoolbestuur": "schoolbestuur",
    "Swv": "swv",
    "Gemeente": "gemeente",
    "Provincie": "provincie",
    "Wijkteam": "wijkteam",
    "Zorgaanbieder": "zorgaanbieder",
    "Contract": "contract",
    "PC4": "pc4",
    "PC6": "gebied",
    "Wijk": "gebied",
    "Buurt": "gebied",
}

#: Dutch names of the kinds, for tooltips ("Gemeente Haarlem (GM0392)").
KIND_NAME: dict[str, str] = {
    "School": "School",
    "Schoolbestuur": "Schoolbestuur",
    "Swv": "Samenwerkingsverband",
    "Gemeente": "Gemeente",
    "Provincie": "Provincie",
    "Regio": "Regio",
    "Wijkteam": "Wijkteam",
    "Zorgaanbieder": "Zorgaanbieder",
    "Contract": "Contract",
    "PC4": "Postcode",
    "PC6": "Postcode",
    "Wijk": "Wijk",
    "Buurt": "Buurt",
}


#: Kinds whose code means something to a reader (GM0392, PO2704, JZ11), shown under the name.
_CODE_SHOWN = frozenset({"School", "Schoolbestuur", "Swv", "Gemeente", "Regio", "Provincie"})


def node_label(kind: str, ident: str, name: str | None, limit: int = 40) -> str:
    """The text drawn at a node: the name (cut to ``limit``) with a meaningful code under it,
    or the kind and code when no name is known.

    A name that already carries its code ("Haarlem (GM0392)", as answers give it) is drawn
    with the code under it once; a code in its human form ("Samenwerkingsverband PO 27-04",
    where no name is known) as the kind and the code.

    >>> node_label("Gemeente", "GM0392", "Haarlem"), node_label("Swv", "PO2704", None)
    ('Haarlem\\nGM0392', 'Samenwerkingsverband\\nPO 27-04')
    >>> node_label("Gemeente", "GM0392", "Haarlem (GM0392)")
    'Haarlem\\nGM0392'
    """
    code = human_code(kind, ident)
    for shown in (f" ({code})", f" ({ident})"):
        if name and name.endswith(shown):
            name = name[: -len(shown)]
    if not name or name in (ident, code, label_of(kind, ident, None)):
        return f"{KIND_NAME.get(kind, kind)}\n{code}"
    return f"{short(name, limit)}\n{code}" if kind in _CODE_SHOWN else short(name, limit)


def short(text: str, limit: int = 40) -> str:
    """A label that fits on the canvas: cut at ``limit`` characters with an ellipsis; the
    whole text belongs in the tooltip."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def group_of(kind: str, soort: str | None = None) -> str:
    """The style group of a graph node: regions by their soort (jeugdregio, ggd, rmc), the rest
    by kind; an unknown kind is drawn as 'other region' rather than refused.

    >>> group_of("Regio", "jeugdregio"), group_of("Regio", "corop"), group_of("Swv")
    ('jeugdregio', 'regio', 'swv')
    """
    if kind == "Regio":
        return soort if soort in ("jeugdregio", "ggd", "rmc") else "regio"
    return KIND_GROUP.get(kind, "regio")


def width(value: float, largest: float, low: float = 1.0, high: float = 10.0) -> float:
    """An edge width between ``low`` and ``high`` growing with the square root of ``value``:
    a tenfold larger overlap looks about three times as thick, so small ones stay visible.

    >>> width(0, 100), width(100, 100), width(25, 100)
    (1.0, 10.0, 5.5)
    """
    if largest <= 0 or value <= 0:
        return low
    return round(low + (high - low) * min(1.0, (value / largest) ** 0.5), 2)
