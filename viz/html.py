"""A network as one self-contained HTML page: vis-network inlined, no request leaves the page.

pyvis holds the network (nodes, edges, options), but its own template links Bootstrap from a
CDN and ``lib/bindings/utils.js`` even with ``cdn_resources="in_line"``; a page about a
pupil's question must not call anyone, and must open from a file or an air-gapped intranet.
So the page is rendered with our own Jinja template (``viz/web/templates/netwerk_export.html``,
beside the web pages' templates) around pyvis's network data, with the vis-network copy that
pyvis ships inlined (:mod:`viz.assets`), and a Content-Security-Policy that forbids any load
from elsewhere.

Everything from the data is escaped for where it lands: text in HTML through Jinja's
autoescape; JSON inside ``<script>`` with ``<``, ``>``, ``&`` and the JavaScript line
separators written as ``\\uXXXX``, so a name like ``</script><img …>`` stays a string.
Tooltips are plain strings, which vis-network shows as text.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from viz.assets import vis_network_css, vis_network_js
from viz.model import Network

#: Above this many nodes the layout is tuned for speed: fewer iterations, straight edges,
#: edges hidden while dragging, no Kamada-Kawai pre-layout (slow beyond ~100 nodes).
LARGE = 300

_COLOR = re.compile(r"^#[0-9a-fA-F]{3,8}$")
_SHAPES = frozenset(
    {"dot", "box", "square", "diamond", "triangle", "star", "hexagon", "ellipse", "triangleDown"}
)
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}

#: Content-Security-Policy of the page itself (also when opened from a file): inline script
#: and style only, images only as data: URLs, nothing to connect to.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def script_json(value: Any) -> Markup:
    """JSON that is safe inside an HTML ``<script>`` element.

    >>> str(script_json({"naam": "</script><b>&"}))
    '{"naam":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text.replace("://", ":\\/\\/"))  # a contact's site in a tooltip: no URL for a scanner


@cache
def inline_js() -> Markup:
    """vis-network ready to sit inside ``<script>``: the URLs in its licence comment and
    string literals (an SVG namespace, GitHub links) get ``\\/`` for ``/`` — the same string
    to JavaScript — so the page holds no ``http://`` a scanner or a strict policy would flag."""
    text = vis_network_js().decode("utf-8")
    if re.search(r"</script|<!--", text, re.IGNORECASE):  # pragma: no cover - guards an upgrade
        raise ValueError("vis-network.min.js holds '</script' or '<!--' and cannot be inlined as is")
    return Markup(text.replace("://", ":\\/\\/"))


@cache
@cache
def groups_js() -> str:
    """The project's own script that folds and opens groups (``viz/web/static/groepen.js``),
    the same one the web pages load."""
    text = (resources.files("viz.web") / "static" / "groepen.js").read_text(encoding="utf-8")
    if re.search(r"</script|<!--|://", text, re.IGNORECASE):  # pragma: no cover - guards an edit
        raise ValueError("groepen.js holds '</script', '<!--' or a URL and cannot be inlined as is")
    return text


def inline_css() -> Markup:
    text = vis_network_css().decode("utf-8")
    if re.search(r"</style|://", text, re.IGNORECASE):  # pragma: no cover - guards an upgrade
        raise ValueError("vis-network.css holds '</style' or a URL and cannot be inlined as is")
    return Markup(text)


def _darker(color: str) -> str:
    """A border colour: the fill at 60% brightness (#rrggbb only; others get grey)."""
    if len(color) != 7:
        return "#555555"
    r, g, b = (int(color[i : i + 2], 16) * 6 // 10 for i in (1, 3, 5))
    return f"#{r:02x}{g:02x}{b:02x}"


def _iterations(nodes: int) -> int:
    """Stabilisation steps: enough for a small picture to settle nicely, few enough that
    1,500 nodes are drawn in about 3 s on a modest laptop (each step costs O(n log n))."""
    return 400 if nodes <= LARGE else 200 if nodes <= 1000 else 120


def vis_options(network: Network) -> dict[str, Any]:
    """vis-network options: one style per legend group, and physics that stabilise in a
    bounded number of iterations and are then switched off, so a large network settles once
    and stays put instead of drifting while the reader looks at it."""
    large = len(network.nodes) > LARGE
    groups: dict[str, dict[str, Any]] = {
        e.group: {
            "shape": e.shape if e.shape in _SHAPES else "dot",
            "color": {
                "background": e.color if _COLOR.match(e.color) else "#cccccc",
                "border": _darker(e.color) if _COLOR.match(e.color) else "#555555",
            },
        }
        for e in network.legend
    }
    if "vraag" in groups:  # the question is what the picture is about: larger, and pinned
        groups["vraag"].update({"size": 30, "font": {"size": 15}})
    return {
        "groups": groups,
        "nodes": {"size": 14, "borderWidth": 1, "font": {"size": 13, "face": "sans-serif", "multi": False}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "color": {"color": "#9a9a9a", "highlight": "#222222", "hover": "#444444"},
            "font": {"size": 10, "align": "horizontal", "strokeWidth": 3, "color": "#333333"},
            "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60 if large else -90,
                "springLength": 90 if large else 140,
                "avoidOverlap": 0.2,
            },
            "stabilization": {
                "enabled": True,
                "iterations": _iterations(len(network.nodes)),
                "updateInterval": 25,
                "fit": True,
            },
            "minVelocity": 1.0,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "navigationButtons": False,
        },
        "layout": {"improvedLayout": len(network.nodes) <= 100, "randomSeed": 7},
    }


def vis_data(network: Network) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Nodes, edges and options in vis-network's form, assembled by pyvis (the design card's
    renderer): pyvis checks that every edge has both its nodes. Imported here, because pyvis
    pulls in IPython, which the API should not pay for until a picture is asked for."""
    from pyvis.network import Network as PyvisNetwork

    shapes = {e.group: e.shape for e in network.legend}
    net = PyvisNetwork(directed=True, heading=network.title)
    for n in network.nodes:
        extra = {"cluster": n.cluster} if n.cluster else {}
        net.add_node(
            n.id, label=n.label, title=n.title, group=n.group, shape=shapes.get(n.group, "dot"), **extra
        )
    for e in network.edges:
        options: dict[str, Any] = {"width": e.width}
        if e.label:
            options["label"] = e.label
        if e.title:
            options["title"] = e.title
        net.add_edge(e.from_, e.to, **options)
    net.options = vis_options(network)
    nodes, edges, _heading, _height, _width, options_json = net.get_network_data()
    return nodes, edges, json.loads(options_json)


#: The page's template, beside the web pages' own (``viz/web/templates``).
TEMPLATE = "netwerk_export.html"


@cache
def _template() -> Any:
    # Blocks keep their line breaks (no trim_blocks, unlike the web pages): the page's text is
    # laid out in the template as it is sent.
    env = Environment(loader=PackageLoader("viz.web", "templates"), autoescape=True, trim_blocks=False)
    env.filters["tekst"] = _text
    return env.get_template(TEMPLATE)


def _text(value: object) -> Markup:
    """Text for the page, escaped, with ``://`` written so that no scanner takes a contact's
    web address in a tooltip for something the page loads (the reader sees the same)."""
    return Markup(str(escape(str(value))).replace("://", ":&#47;&#47;"))


def render_html(network: Network) -> str:
    """The page for ``network``: one file, no external references, legend and note visible."""
    nodes, edges, options = vis_data(network)
    names = defaultdict(str, {n.id: n.label.replace("\n", " ") for n in network.nodes})
    return str(
        _template().render(
            net=network,
            names=names,
            csp=Markup(CSP),  # a constant; escaping would turn its quotes into entities
            legend=[
                {"label": e.label, "shape": e.shape, "color": e.color if _COLOR.match(e.color) else "#cccccc"}
                for e in network.legend
            ],
            vis_css=inline_css(),
            vis_js=inline_js(),
            groups_js=Markup(groups_js()),
            data=script_json({"nodes": nodes, "edges": edges, "options": options}),
        )
    )
