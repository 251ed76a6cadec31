"""The web pages, in Dutch: a landing page, the school's question, an SWV's partners and
overlaps, and the policymaker's mismatch report with a map of the gemeenten.

Server-rendered with Jinja2 (autoescaped) plus small hand-written CSS and JavaScript from
``viz/web/static``; the network library (vis-network) is served from the installed pyvis
package, so a page never loads anything from another host (the Content-Security-Policy says
so too). The who-serves question is asked by the page's JavaScript with ``fetch()`` to the
API: it never appears in a page URL, the browser history or a log.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup

from api.deps import DatedDep
from graph.dated import DatedStore
from graph.queries.errors import QuestionError
from graph.queries.map import map_areas, map_regions
from graph.queries.mismatch import Report, current_report
from graph.queries.names import human_code, label
from graph.queries.overlap import overlapping
from graph.queries.search import search_swvs
from graph.records import NodeKey
from graph.store import GraphStore
from viz import assets
from viz.svgmap import DEFAULT_SIGNAL, NO_DATA, SIGNALS, signal_svg

router = APIRouter()

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("viz.web", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)

#: Everything from this server, nothing inline but the server's own SVG map (attributes only).
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}
STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


#: For the school page and what it answers: the browser keeps no copy (not even in the
#: back/forward cache), so a pupil's answer cannot be brought back by the next user of the computer.
PRIVATE_HEADERS = {**PAGE_HEADERS, "Cache-Control": "no-store"}


def _page(template: str, status: int = 200, *, private: bool = False, **context: Any) -> HTMLResponse:
    context.setdefault("network", False)
    context.setdefault("nav", "")
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=PRIVATE_HEADERS if private else PAGE_HEADERS)


def error_page(status: int, melding: str) -> HTMLResponse:
    """The page for an address that does not work (see api.problems)."""
    title = "Niet gevonden" if status == 404 else "Dit adres klopt niet"
    return _page("niet_gevonden.html", status, title=title, melding=melding)


def _vis_network(name: str) -> bytes:
    return assets.vis_network_js() if name.endswith(".js") else assets.vis_network_css()


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    """The pages' own CSS and JavaScript, and vis-network from the installed pyvis."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    if name in ("vis-network.min.js", "vis-network.css"):
        return Response(
            _vis_network(name), media_type=STATIC_TYPES[suffix], headers={"Cache-Control": "max-age=86400"}
        )
    file = resources.files("viz.web") / "static" / name
    if not _NAME.match(name) or suffix not in STATIC_TYPES or not file.is_file():
        raise HTTPException(404, f"geen bestand {name!r}")
    return Response(file.read_bytes(), media_type=STATIC_TYPES[suffix], headers={"Cache-Control": "no-cache"})


# --- helpers ------------------------------------------------------------------------------------


def _report(store: DatedStore) -> Report:
    """The national mismatch report, shared with GET /api/v1/mismatch until the data changes."""
    return current_report(store, store.day)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f} %"


def _dec(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def _range(low: int, high: int) -> str:
    def n(v: int) -> str:
        return f"{v:,}".replace(",", ".")

    return n(low) if low == high else f"{n(low)}–{n(high)}"


def _share(part_min: int, part_max: int, total_min: int, total_max: int) -> float | None:
    total = total_min + total_max
    return None if total <= 0 else (part_min + part_max) / total


def _naam(store: GraphStore, key: str) -> str:
    """What to call a node ``Kind:id``: its name with its code (graph.queries.names)."""
    kind, _, ident = key.partition(":")
    node_key = NodeKey(kind, ident)
    return label(store.node(node_key) if ident else None, node_key)


def _swv_naam(store: GraphStore, code: str) -> str:
    return _naam(store, f"Swv:{code}")


def _behoeften(store: GraphStore) -> list[tuple[str, list[dict[str, str]]]]:
    groups: dict[str, tuple[str, list[tuple[tuple[int, str], dict[str, str]]]]] = {
        "ijw": ("Jeugdhulp (iJw-productcategorie)", []),
        "onderwijs": ("Onderwijs", []),
        "eigen": ("Eigen categorieën", []),
    }
    for n in store.nodes("Behoefte"):
        stelsel = str(n.props.get("stelsel") or "eigen")
        code, naam = str(n.props.get("code") or ""), str(n.props.get("naam") or n.id)
        label = f"{code} – {naam}" if stelsel == "ijw" else naam
        order = (int(code) if code.isdigit() else 999, label.lower())
        groups.setdefault(stelsel, (stelsel.capitalize(), []))[1].append(
            (order, {"id": n.id, "label": label})
        )
    return [
        (title, [b for _, b in sorted(items, key=lambda x: x[0])])
        for title, items in groups.values()
        if items
    ]


# --- pages --------------------------------------------------------------------------------------


@router.get("/", include_in_schema=False, response_class=HTMLResponse)
def index() -> HTMLResponse:
    return _page("index.html", title="Wie helpt deze leerling?")


@router.get("/school", include_in_schema=False, response_class=HTMLResponse)
def school(store: DatedDep) -> HTMLResponse:
    # Query parameters are ignored on purpose: the question goes to the API by fetch().
    return _page(
        "school.html", title="School", nav="school", network=True, behoeften=_behoeften(store), private=True
    )


@router.post("/school", include_in_schema=False, response_class=HTMLResponse)
def school_without_javascript() -> HTMLResponse:
    """Where the question form lands when JavaScript is off (or before school.js has run).

    The form's fields have no names, so the browser sends nothing; the body is not read either
    way. The page only says to turn JavaScript on: it echoes nothing and answers nothing, so a
    question can never end up in a URL, the history or a log by this route.
    """
    return _page("javascript_nodig.html", title="JavaScript nodig", nav="school", private=True)


@router.get("/swv", include_in_schema=False, response_class=HTMLResponse)
def swv_list(store: DatedDep, sector: Annotated[str | None, Query()] = None) -> HTMLResponse:
    sector = (sector or "").upper() if (sector or "").upper() in ("PO", "VO") else ""
    rows = {r.swv: r for r in _report(store).swvs}
    rijen = []
    for n in sorted(store.nodes("Swv"), key=lambda n: n.id):
        if sector and not n.id.startswith(sector):
            continue
        r = rows.get(n.id)
        rijen.append(
            {
                "id": n.id,
                "naam": _swv_naam(store, n.id),
                "gemeenten": r.gemeenten if r else 0,
                "jeugdregios": len(r.jeugdregios) if r else 0,
                "scholen": r.scholen if r else 0,
                "wijkteams": r.wijkteams if r else 0,
                "zorgaanbieders": r.zorgaanbieders if r else 0,
            }
        )
    return _page("swv_lijst.html", title="Samenwerkingsverbanden", nav="swv", rijen=rijen, sector=sector)


@router.get("/swv/{code}", include_in_schema=False, response_class=HTMLResponse)
def swv_detail(store: DatedDep, code: str) -> Response:
    """One SWV, by its code in any spelling (``PO2704``, ``po 27-04``); a code without its
    sector (``27-04``) leads to the SWV of that region, or lets the reader choose PO or VO."""
    by_code = [n for n in search_swvs(store, code, size=10).items if n.score >= 3.0]
    if len(by_code) == 1 and by_code[0].id != code:
        return RedirectResponse(f"/swv/{by_code[0].id}", status_code=307)
    if len(by_code) > 1:
        keuze = [{"link": f"/swv/{h.id}", "naam": _swv_naam(store, h.id)} for h in by_code]
        return _page("swv_keuze.html", title="Welk samenwerkingsverband?", nav="swv", code=code, keuze=keuze)
    node = store.node(NodeKey("Swv", code))
    if node is None:
        return _page(
            "niet_gevonden.html",
            404,
            title="Niet gevonden",
            nav="swv",
            melding=f"Er is geen samenwerkingsverband met code {code} in de kaart.",
        )
    overlap: dict[str, list[dict[str, Any]]] = {}
    for kind in ("gemeente", "jeugdregio", "wijkteam", "swv"):
        try:
            found = overlapping(store, code, kind)
        except QuestionError:
            found = []
        overlap[kind] = [
            {
                "naam": _naam(store, o.b),
                "link": f"/swv/{o.b.partition(':')[2]}" if o.b.startswith("Swv:") else "",
                "gedeeld": len(o.shared_pc4),
                "deel_b": _pct(len(o.shared_pc4) / o.pc4_b if o.pc4_b else None),
                "deel_b_waarde": len(o.shared_pc4) / o.pc4_b if o.pc4_b else -1,
                "deel_a": _pct(o.share_of_a_inwoners),
                "deel_a_waarde": o.share_of_a_inwoners if o.share_of_a_inwoners is not None else -1,
                "jaccard": _dec(o.jaccard_pc4),
            }
            for o in found
        ]
    row = next((r for r in _report(store).swvs if r.swv == code), None)
    partners = None
    if row is not None:
        share = _share(row.buiten_swv_min, row.buiten_swv_max, row.leerlingen_min, row.leerlingen_max)
        partners = {
            **row.__dict__,
            "jeugdregios": [_naam(store, f"Regio:{j}") for j in row.jeugdregios],
            "buiten": f"ca. {_pct(share)}",
            "buiten_detail": f"{_range(row.buiten_swv_min, row.buiten_swv_max)} van "
            f"{_range(row.leerlingen_min, row.leerlingen_max)} leerlingen",
        }
    return _page(
        "swv.html",
        title=_swv_naam(store, code),
        nav="swv",
        network=True,
        swv={
            "id": code,
            "code": human_code("Swv", code),
            "naam": _swv_naam(store, code),
            "sector": node.props.get("sector") or code[:2],
        },
        partners=partners,
        overlap=overlap,
        netwerk_url=f"/api/v1/network/swv/{code}?format=json",
    )


@router.get("/beleid", include_in_schema=False, response_class=HTMLResponse)
def beleid(
    store: DatedDep,
    signal: Annotated[str | None, Query()] = None,
    regio: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    signal = signal if signal in SIGNALS else DEFAULT_SIGNAL
    gebieden = map_regions(store)
    regio = (regio or "").upper()
    if regio not in {code for code, _ in gebieden}:
        regio = ""
    areas = map_areas(store, signal, regio or None)
    rapport = _report(store)
    rijen = []
    for r in rapport.swvs:
        share = _share(r.buiten_swv_min, r.buiten_swv_max, r.leerlingen_min, r.leerlingen_max)
        rijen.append(
            {
                **r.__dict__,
                "naam": _swv_naam(store, r.swv),
                "buiten": "–"
                if share is None
                else f"ca. {_pct(share)} ({_range(r.buiten_swv_min, r.buiten_swv_max)})",
                "buiten_waarde": -1 if share is None else share,
            }
        )
    gm_naam = {n.id: label(n) for n in store.nodes("Gemeente")}
    verdeeld = [
        {
            "naam": gm_naam.get(v.gemeente, v.gemeente),
            "sector": v.sector,
            "swvs": v.swvs,
            "swvs_naam": v.swvs_naam,
        }
        for v in rapport.split_gemeenten
    ]
    stromen = []
    for f in rapport.pupil_flows_per_gemeente:
        share = _share(f.buiten_min, f.buiten_max, f.leerlingen_min, f.leerlingen_max)
        stromen.append(
            {
                "naam": gm_naam.get(f.gemeente, f.gemeente),
                "leerlingen": _range(f.leerlingen_min, f.leerlingen_max),
                "leerlingen_min": f.leerlingen_min,
                "buiten": _range(f.buiten_min, f.buiten_max),
                "buiten_min": f.buiten_min,
                "aandeel": f"ca. {_pct(share)}" if share is not None else "–",
                "aandeel_waarde": -1 if share is None else share,
            }
        )
    query = f"signal={signal}" + (f"&regio={regio}" if regio else "")
    return _page(
        "beleid.html",
        title="Beleid",
        nav="beleid",
        network=True,
        rapport=rapport,
        rijen=rijen,
        verdeeld=verdeeld,
        stromen=stromen,
        signalen=list(SIGNALS.values()),
        signaal=SIGNALS[signal],
        geen_gegevens=NO_DATA,
        gebieden=gebieden,
        regio=regio,
        kaart=Markup(signal_svg(signal, areas, regio or None)),  # built from escaped parts in viz.svgmap
        kaart_url=f"/api/v1/map/gemeenten.svg?{query}",
        gebieden_waarden=sorted(areas, key=lambda a: a.naam),
    )
