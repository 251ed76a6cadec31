"""The neutral network model every picture is built as, before it becomes JSON or HTML.

One shape for all pictures (who serves, an SWV's neighbourhood, an overlap, the national
mismatch) so that the API, the CLI and the web pages render them alike, and a client that
draws with something other than vis-network can still use the JSON. Titles (tooltips) are
plain text on purpose: vis-network shows a string title as text, so nothing from the data can
become markup.

>>> b = NetworkBuilder("Voorbeeld")
>>> b.node("Gemeente:GM0392", "Haarlem", "gemeente", "Gemeente Haarlem")
>>> b.node("Regio:JZ11", "Zuid-Kennemerland", "jeugdregio", "Jeugdregio")
>>> b.edge("Gemeente:GM0392", "Regio:JZ11", "hoort bij", "Jeugdwet")
>>> net = b.build()
>>> [e.group for e in net.legend]
['gemeente', 'jeugdregio']
>>> net.model_dump(by_alias=True)["edges"][0]["from"]
'Gemeente:GM0392'
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from viz.styles import STYLES


class Node(BaseModel):
    id: str = Field(description="the graph node it shows, Kind:id (e.g. Swv:PO2704), or a picture node")
    label: str = Field(description="short text drawn at the node; may hold line breaks")
    group: str = Field(description="style group: a key of the legend")
    title: str = Field(description="tooltip, plain text (never HTML)")
    cluster: str | None = Field(
        default=None,
        description="the node this one is folded into at first (a school into its board), "
        "so that a large picture reads at its default size; the reader opens the group",
    )


class Edge(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", description="id of the node it starts at")
    to: str = Field(description="id of the node it points to")
    label: str = Field(default="", description="short text on the edge: the role or relation")
    title: str = Field(default="", description="tooltip, plain text: the full rule, counts and sources")
    width: float = Field(default=1.0, ge=0.5, le=12.0, description="line width, e.g. by shared postcodes")


class LegendEntry(BaseModel):
    group: str
    label: str = Field(description="what the group means, in Dutch")
    color: str = Field(description="CSS colour, #rrggbb")
    shape: str = Field(description="vis-network shape, e.g. dot, box, diamond")


class Network(BaseModel):
    """A picture: nodes, edges, the legend of the groups used, and a note for the reader."""

    title: str = Field(description="Dutch heading of the picture")
    nodes: list[Node]
    edges: list[Edge]
    legend: list[LegendEntry]
    note: str | None = Field(
        default=None, description="what the reader must know: warnings, parts left out (capped)"
    )


class NetworkBuilder:
    """Collects nodes and edges without duplicates: a node seen twice keeps its first look and
    gathers extra tooltip lines; two edges between the same nodes become one with both labels,
    because vis-network would draw them on top of each other."""

    def __init__(self, title: str) -> None:
        self.title = title
        self._nodes: dict[str, Node] = {}
        self._edges: dict[tuple[str, str], Edge] = {}
        self.notes: list[str] = []

    def has(self, node_id: str) -> bool:
        return node_id in self._nodes

    def node(self, node_id: str, label: str, group: str, title: str, cluster: str | None = None) -> None:
        if group not in STYLES:
            raise ValueError(f"unknown style group {group!r}; known: {', '.join(STYLES)}")
        old = self._nodes.get(node_id)
        if old is None:
            self._nodes[node_id] = Node(id=node_id, label=label, group=group, title=title, cluster=cluster)
        elif title and title not in old.title:
            old.title = f"{old.title}\n{title}" if old.title else title

    def edge(self, src: str, dst: str, label: str = "", title: str = "", width: float = 1.0) -> None:
        for end in (src, dst):
            if end not in self._nodes:
                raise ValueError(f"edge {src} -> {dst}: node {end} was not added")
        key = (src, dst) if (dst, src) not in self._edges else (dst, src)
        old = self._edges.get(key)
        if old is None:
            fields = {"from": src, "to": dst, "label": label, "title": title, "width": width}
            self._edges[key] = Edge.model_validate(fields)
            return
        if label and label not in old.label.split(" · "):
            old.label = f"{old.label} · {label}" if old.label else label
        if title and title not in old.title:
            old.title = f"{old.title}\n\n{title}" if old.title else title
        old.width = max(old.width, width)

    def build(self) -> Network:
        used = {n.group for n in self._nodes.values()}
        legend = [
            LegendEntry(group=g, label=s.label, color=s.color, shape=s.shape)
            for g, s in STYLES.items()
            if g in used
        ]
        return Network(
            title=self.title,
            nodes=list(self._nodes.values()),
            edges=list(self._edges.values()),
            legend=legend,
            note="\n".join(self.notes) or None,
        )
