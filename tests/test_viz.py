"""Network pictures: each builder against the query it draws, the HTML page (self-contained,
escaped), the HTTP endpoints and the CLI export, on the demo region."""

from __future__ import annotations

import json
import logging
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.access_log import ACCESS
from api.app import create_app
from api.cli import demo_files, main
from graph.embedded import EmbeddedStore
from graph.queries.answer import Answer, Contact, Offer, Provider, Role, Step
from graph.queries.errors import QuestionError
from graph.queries.mismatch import mismatch
from graph.queries.overlap import overlap, region, region_key
from graph.queries.partners import swv_partners
from graph.queries.pictures import mismatch_picture, overlap_picture
from graph.queries.who_serves import who_serves
from graph.records import NodeKey
from graph.store import GraphStore
from importers.run import run_import
from viz.assets import vis_network_css, vis_network_js
from viz.html import inline_js, render_html, vis_data
from viz.model import LegendEntry, Network, NetworkBuilder
from viz.network import mismatch_network, overlap_network, swv_network, who_serves_network
from viz.styles import STYLES
from viz.who_serves import ROLE_LABEL

DAY = date(2025, 10, 1)
EVIL = "</script><img src=x onerror=alert(1)>"


@pytest.fixture
def demo(store: GraphStore) -> GraphStore:
    run_import(store, demo_files())
    return store


def by_id(net: Network) -> dict[str, object]:
    return {n.id: n for n in net.nodes}


def into(net: Network, node_id: str) -> list:  # type: ignore[type-arg]
    return [e for e in net.edges if e.to == node_id]


def well_formed(net: Network) -> None:
    """Every edge joins drawn nodes; the legend lists exactly the groups used, in style order."""
    ids = {n.id for n in net.nodes}
    assert len(ids) == len(net.nodes), "duplicate node ids"
    assert all(e.from_ in ids and e.to in ids for e in net.edges)
    used = {n.group for n in net.nodes}
    assert [e.group for e in net.legend] == [g for g in STYLES if g in used]
    assert all(e.label == STYLES[e.group].label for e in net.legend)


# -- who serves ------------------------------------------------------------------------------


EXPECTED_NODE = {
    "zorgplicht": "Schoolbestuur:41853",
    "swv": "Swv:PO2704",
    "gemeente_jeugdhulp": "Gemeente:GM0392",
    "toegang": "Wijkteam:demo-haarlem-centrum",
    "jeugdregio": "Regio:JZ11",
    "leerplicht": "Gemeente:GM0392",
    "ggd": "Regio:GG3109",
    "rmc": "Regio:MC25",
}


def test_who_serves_picture_draws_every_role_of_the_answer(demo: GraphStore) -> None:
    answer = who_serves(demo, "15UJ00", "2011AB", "45", DAY)
    net = who_serves_network(answer)
    well_formed(net)
    nodes = by_id(net)
    assert nodes["vraag"].group == "vraag" and "2011" in nodes["vraag"].label
    for role in answer.roles:
        if role.id is None:
            assert f"onbekend:{role.role}" in nodes and nodes[f"onbekend:{role.role}"].group == "onbekend"
            continue
        node_id = EXPECTED_NODE[role.role]
        assert node_id.endswith(f":{role.id}") and node_id in nodes, role.role
        edges = [e for e in into(net, node_id) if ROLE_LABEL[role.role] in e.label.split(" · ")]
        assert edges, f"no edge labelled {ROLE_LABEL[role.role]!r} into {node_id}"
        assert role.rule in edges[0].title  # the full rule in the tooltip
    assert nodes["Swv:PO2704"].group == "swv" and nodes["Regio:JZ11"].group == "jeugdregio"
    assert nodes["Regio:GG3109"].group == "ggd" and nodes["Gemeente:GM0392"].label.startswith("Haarlem")
    # the SWV is reached along its proof path: school -> its PC4 -> SWV
    assert ("School:15UJ00", "PC4:2011") in {(e.from_, e.to) for e in net.edges}
    assert [p.id for p in answer.providers]
    for provider in answer.providers:
        contract = f"Contract:{provider.contract}"
        assert [e.from_ for e in into(net, f"Zorgaanbieder:{provider.id}")] == [contract]
        buyer = (
            "Gemeente:" if provider.opdrachtgever.startswith("GM") else "Regio:"
        ) + provider.opdrachtgever
        assert [e.from_ for e in into(net, contract)] == [buyer]
    assert answer.warnings == [] and net.note is None  # Haarlem to Haarlem: nothing to warn about
    far = who_serves(demo, "15UJ00", "1971", "45", DAY)  # home in Velsen
    assert far.warnings and all(w in (who_serves_network(far).note or "") for w in far.warnings)


def test_who_serves_picture_of_grensverkeer_names_the_home_side(demo: GraphStore) -> None:
    answer = who_serves(demo, "15UJ00", "1971", "45", DAY)
    net = who_serves_network(answer)
    well_formed(net)
    nodes = by_id(net)
    assert {"Swv:PO2704", "Gemeente:GM0453", "Regio:JZ10"} <= nodes.keys()
    assert "Gemeente:GM0392" not in nodes  # the school's gemeente plays no role
    assert {e.from_ for e in into(net, "Contract:demo-jz10-ijmondgroep")} == {"Regio:JZ10"}
    assert "Grensverkeer" in (net.note or "")


def test_who_serves_picture_never_shows_the_full_postcode(demo: GraphStore, tmp_path: Path) -> None:
    # a wijkteam for one PC6 makes the answer's proof path run through the pupil's full postcode
    teams = tmp_path / "wijkteam-pc6.yaml"
    teams.write_text(
        "bron: test\npeildatum: '2025-09-01'\nwijkteams:\n"
        "  - id: test-pc6-team\n    naam: Buurtteam Eén Straat (fictief)\n    gemeente: GM0392\n"
        "    soort: buurtteam\n    gebied: [2011AB]\n    fictief: ja\n",
        encoding="utf-8",
    )
    run_import(demo, [teams])
    answer = who_serves(demo, "15UJ00", "2011AB", "45", DAY)
    toegang = next(r for r in answer.roles if r.role == "toegang")
    assert toegang.id == "test-pc6-team" and any(s.node == "PC6:2011AB" for s in toegang.path)
    net = who_serves_network(answer)
    well_formed(net)
    assert "2011AB" not in net.model_dump_json()
    assert "PC6:woonadres" in by_id(net) and into(net, "Wijkteam:test-pc6-team")


# -- an SWV's neighbourhood ------------------------------------------------------------------


def test_swv_picture_shows_its_gemeenten_regions_teams_boards_and_schools(demo: GraphStore) -> None:
    net = swv_network(swv_partners(demo, "PO 27-04", on=DAY))
    well_formed(net)
    nodes = by_id(net)
    me = "Swv:PO2704"
    assert nodes[me].group == "swv"
    reg = region(demo, NodeKey("Swv", "PO2704"))
    listed = {e.src.id for e in demo.edges(rel="IN_WERKGEBIED", dst=NodeKey("Swv", "PO2704"))}
    drawn_gm = {n.id.split(":")[1] for n in net.nodes if n.group == "gemeente"}
    assert drawn_gm == reg.gemeenten | {g for g in listed if g.startswith("GM")}
    haarlem = next(e for e in net.edges if e.from_ == "Gemeente:GM0392" and e.to == me)
    in_haarlem = {
        pc
        for pc in reg.pc4
        if any(e.dst.id == "GM0392" for e in demo.edges(rel="LIGT_IN", src=NodeKey("PC4", pc)))
    }
    assert haarlem.label == f"{len(in_haarlem)} PC4"
    assert "Regio:JZ11" in nodes and nodes["Regio:JZ11"].group == "jeugdregio"
    assert "Wijkteam:demo-haarlem-centrum" in nodes
    schools = {n.id.split(":")[1] for n in net.nodes if n.group == "school"}
    expected = {
        e.src.id
        for pc in reg.pc4
        for e in demo.edges(rel="LIGT_IN", dst=NodeKey("PC4", pc))
        if e.src.kind == "School"
    }
    kinds = {n.id: n.props.get("soort") for n in demo.nodes("School", expected)}
    expected = {s for s in expected if kinds[s] in ("BAO", "SBO", "SO", "SO/VSO")}  # the PO sector
    assert schools == expected and "15UJ00" in schools and len(schools) < 150
    assert "Schoolbestuur:41853" in nodes
    assert not any(n.group == "groep" for n in net.nodes) and net.note is None


def test_swv_picture_caps_large_parts_with_a_grouped_node(demo: GraphStore) -> None:
    full = swv_network(swv_partners(demo, "PO2704", on=DAY))
    total = sum(1 for n in full.nodes if n.group == "school")
    capped = swv_network(swv_partners(demo, "PO2704", on=DAY), caps={"scholen": 10})
    well_formed(capped)
    assert sum(1 for n in capped.nodes if n.group == "school") == 10
    grouped = by_id(capped)["groep:scholen"]
    assert grouped.label == f"+ {total - 10} scholen" and grouped.group == "groep"
    assert capped.note is not None and f"de overige {total - 10}" in capped.note


def test_swv_picture_refuses_unknown_and_malformed_codes(demo: GraphStore) -> None:
    with pytest.raises(QuestionError) as err:
        swv_network(swv_partners(demo, "PO9999"))
    assert err.value.status == 404
    with pytest.raises(QuestionError) as err:
        swv_network(swv_partners(demo, "GM0392"))
    assert err.value.status == 422


# -- overlap and mismatch --------------------------------------------------------------------


def test_overlap_picture_splits_shared_and_own_gemeenten(demo: GraphStore) -> None:
    result = overlap(demo, "PO2704", "JZ11")
    net = overlap_network(overlap_picture(demo, "PO2704", "JZ11"))
    well_formed(net)
    a, b = region(demo, region_key("PO2704")), region(demo, region_key("JZ11"))
    shared = {n.id.split(":")[1] for n in net.nodes if n.group == "gemeente_gedeeld"}
    own = {n.id.split(":")[1] for n in net.nodes if n.group == "gemeente"}
    assert shared == set(result.shared_gemeenten) and shared
    assert own == (a.gemeenten | b.gemeenten) - shared
    for gm in shared | own:
        ends = {e.to for e in net.edges if e.from_ == f"Gemeente:{gm}"}
        assert ends == {ref for ref, r in (("Swv:PO2704", a), ("Regio:JZ11", b)) if gm in r.gemeenten}
    assert net.note is not None and f"{result.jaccard_pc4:.2f}" in net.note


def test_overlap_of_a_gemeente_with_its_swv_draws_no_loop(demo: GraphStore) -> None:
    net = overlap_network(overlap_picture(demo, "GM0392", "PO2704"))
    well_formed(net)
    assert all(e.from_ != e.to for e in net.edges)
    assert ("Gemeente:GM0392", "Swv:PO2704") in {(e.from_, e.to) for e in net.edges}


def test_mismatch_picture_joins_each_swv_to_its_jeugdregios(demo: GraphStore) -> None:
    report = mismatch(demo)
    net = mismatch_network(mismatch_picture(demo))
    well_formed(net)
    swvs = {n.id.split(":")[1]: n.group for n in net.nodes if n.id.startswith("Swv:")}
    assert set(swvs) == {r.swv for r in report.swvs}
    assert {s for s, g in swvs.items() if g == "swv_meerdere"} == set(report.swvs_in_several_jeugdregios)
    assert report.swvs_in_several_jeugdregios  # the demo has some, so the colour is tested
    pairs = {(e.from_, e.to) for e in net.edges}
    assert pairs == {(f"Swv:{r.swv}", f"Regio:{j}") for r in report.swvs for j in r.jeugdregios}
    shared = sorted((int(re.search(r": (\d+) gedeelde", e.title).group(1)), e.width) for e in net.edges)
    assert [w for _, w in shared] == sorted(w for _, w in shared)  # thicker means more shared PC4
    assert shared[0][1] < shared[-1][1]


# -- the HTML page ---------------------------------------------------------------------------


def page_data(html: str) -> dict:  # type: ignore[type-arg]
    match = re.search(r"var data = (\{.*?\});\n", html)
    assert match, "no data in the page"
    return json.loads(match.group(1))  # JSON reads the \u003c escapes back


def assert_self_contained(html: str) -> None:
    lowered = html.lower()
    for banned in ("http://", "https://", "node_modules", "utils.js", "<link", "@import", "url(http"):
        assert banned not in lowered, banned
    # no attribute that loads something (the inlined library assigns .src in code, unquoted)
    assert not re.search(r"""\b(src|href|action|srcset)\s*=\s*["']""", lowered)
    assert "sourcemappingurl" not in lowered
    assert "content-security-policy" in lowered and "default-src 'none'" in html
    # vis-network, the project's groups script, the page's own: nothing else runs
    assert len(re.findall(r"^<script>", html, re.M)) == 3 and html.count("</script>") == 3


def test_html_is_self_contained_with_vis_network_inlined(demo: GraphStore) -> None:
    net = swv_network(swv_partners(demo, "PO2704", on=DAY))
    html = render_html(net)
    assert_self_contained(html)
    js = inline_js()
    assert str(js) in html and "vis-network" in str(js)[:200] and len(js) > 400_000
    assert vis_network_css().decode()[:500] in html
    assert 'network.once("stabilizationIterationsDone"' in html and "setOptions({ physics: false })" in html
    for entry in net.legend:
        assert f"{entry.label}\n</li>" in html  # the legend is on the page, not only in the canvas
    data = page_data(html)
    assert [n["id"] for n in data["nodes"]] == [n.id for n in net.nodes]
    assert data["options"]["physics"]["stabilization"]["enabled"] is True
    assert {n["group"] for n in data["nodes"]} <= set(data["options"]["groups"])


def test_inlined_vis_network_is_the_package_copy_with_urls_written_safely() -> None:
    raw = vis_network_js()
    assert raw.startswith(b"/**") and b"vis-network" in raw[:40] and b"sourceMappingURL" not in raw
    assert str(inline_js()).replace(":\\/\\/", "://") == raw.decode()
    assert vis_network_css().startswith(b"/*") or b".vis-" in vis_network_css()[:2000]


def xss_answer() -> Answer:
    evil_path = [Step(node="Gemeente:GM0392", source=EVIL), Step(node=f"Regio:{EVIL}")]
    return Answer(
        school="15UJ00",
        postcode="2011AB",
        need="ijw-45",
        date="2025-10-01",
        enrolled_regular=True,
        roles=[
            Role("gemeente_jeugdhulp", "GM0392", EVIL, "Jeugdwet", [Step(node="PC4:2011"), evil_path[0]]),
            Role("jeugdregio", EVIL, EVIL, EVIL, evil_path, [Contact(EVIL, email="a@b.example")]),
        ],
        providers=[
            Provider(
                EVIL,
                EVIL,
                EVIL,
                "GM0392",
                [Offer(EVIL, EVIL, None, None, None, [])],
                1.0,
                2.0,
                [Step(rel=EVIL)],
            )
        ],
        warnings=[EVIL],
    )


def test_names_from_the_data_cannot_become_markup() -> None:
    net = who_serves_network(xss_answer())
    b = NetworkBuilder(EVIL)
    b.node("x", EVIL, "gemeente", EVIL)
    b.notes.append(EVIL)
    attack = LegendEntry(group="gemeente", label=EVIL, color='red" onmouseover="x', shape=EVIL)
    legend_attack = b.build().model_copy(update={"legend": [attack]})
    for network in (net, legend_attack):
        html = render_html(network)
        assert "<img" not in html and "</script><" not in html and 'onmouseover="x' not in html
        assert_self_contained(html)
        assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # as text in the page
        assert "\\u003c/script\\u003e\\u003cimg" in html  # as a string in the script's JSON
        data = page_data(html)
        texts = [n.get("title", "") + n.get("label", "") for n in data["nodes"]]
        assert any(EVIL in t for t in texts)  # the name survives whole, as plain text


def test_a_1500_node_network_renders_to_one_page() -> None:
    b = NetworkBuilder("Synthetisch netwerk van 1.500 knopen")
    groups = ["school", "schoolbestuur", "swv", "gemeente", "wijkteam", "zorgaanbieder"]
    for i in range(1500):
        b.node(f"n{i}", f"Knoop {i}", groups[i % len(groups)], f"Knoop {i} van het testnetwerk")
    for i in range(1, 1500):
        b.edge(f"n{i}", f"n{(i * 7919) % i}", "", f"lijn {i}")
    net = b.build()
    html = render_html(net)
    assert_self_contained(html)
    data = page_data(html)
    assert len(data["nodes"]) == 1500 and len(data["edges"]) == 1499
    assert data["options"]["physics"]["stabilization"]["iterations"] <= 150
    assert (
        data["options"]["edges"]["smooth"] is False and data["options"]["layout"]["improvedLayout"] is False
    )
    assert 500_000 < len(html.encode()) < 3_000_000


def test_pyvis_refuses_an_edge_to_a_node_that_is_not_drawn() -> None:
    bad = Network(title="t", nodes=[], edges=[{"from": "a", "to": "b"}], legend=[])  # type: ignore[list-item]
    with pytest.raises(AssertionError):
        vis_data(bad)


# -- HTTP and CLI ----------------------------------------------------------------------------


@pytest.fixture
def client(embedded_store: GraphStore) -> TestClient:
    run_import(embedded_store, demo_files())
    with TestClient(create_app(embedded_store)) as c:
        yield c  # type: ignore[misc]


QUESTION = {"school": "15UJ00", "postcode": "2011AB", "need": "45", "date": "2025-10-01"}


def test_api_who_serves_network_json_and_html(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    r = client.get("/api/v1/network/who-serves", params=QUESTION)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    assert set(body) == {"title", "nodes", "edges", "legend", "note"}
    assert {"from", "to", "label", "title", "width"} == set(body["edges"][0])
    assert "Swv:PO2704" in {n["id"] for n in body["nodes"]} and "2011AB" not in r.text
    r = client.get("/api/v1/network/who-serves", params={**QUESTION, "format": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert (
        r.headers["cache-control"] == "no-store"
        and "default-src 'none'" in r.headers["content-security-policy"]
    )
    assert_self_contained(r.text)
    r = client.get("/api/v1/network/who-serves", params={**QUESTION, "school": "15UJ01", "format": "html"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.headers["cache-control"] == "no-store" and "15UJ00" in r.text
    ACCESS.flush()  # the access lines are written in batches, soon after the answers
    logged = " ".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "/api/v1/network/who-serves" in logged  # the path is logged, the question never
    assert "2011AB" not in logged and "15UJ0" not in logged


def test_api_region_networks_and_their_errors(client: TestClient) -> None:
    r = client.get("/api/v1/network/swv/PO2704")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert "Swv:PO2704" in {n["id"] for n in r.json()["nodes"]}
    r = client.get("/api/v1/network/swv/PO2704", params={"format": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert_self_contained(r.text)
    for url, status in (("/api/v1/network/swv/PO9999", 404), ("/api/v1/network/swv/XX12", 422)):
        r = client.get(url)
        assert r.status_code == status and r.headers["content-type"] == "application/problem+json"
    r = client.get("/api/v1/network/overlap", params={"a": "PO2704", "b": "JZ11", "format": "html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    r = client.get("/api/v1/network/overlap", params={"a": "PO2704", "b": "JZ99"})
    assert r.status_code == 404 and r.json()["detail"] == "regio JZ99 is niet bekend in de kaart"
    r = client.get("/api/v1/network/mismatch")
    assert r.status_code == 200 and r.json()["legend"]
    assert client.get("/api/v1/network/mismatch", params={"format": "pdf"}).status_code == 422
    schema = client.get("/openapi.json").json()
    ok = schema["paths"]["/api/v1/network/overlap"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/html"} <= set(ok)
    assert schema["components"]["schemas"]["NetworkOut"]["examples"]


def test_cli_export_writes_html_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "graph.json"
    with EmbeddedStore(path) as store:
        run_import(store, demo_files())
    out = tmp_path / "uit" / "swv.html"
    assert main(["export", "swv", "PO2704", "--store", str(path), "--out", str(out)]) == 0
    assert_self_contained(out.read_text(encoding="utf-8"))
    assert f"{out} geschreven (html)" in capsys.readouterr().out
    out = tmp_path / "wie.json"
    args = ["export", "who-serves", "--school", "15UJ00", "--postcode", "1971", "--need", "45"]
    assert main([*args, "--date", "2025-10-01", "--store", str(path), "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "Gemeente:GM0453" in {n["id"] for n in data["nodes"]} and data["edges"][0]["from"] == "vraag"
    assert main(["export", "overlap", "PO2704", "JZ11", "--store", str(path), "--out", str(out)]) == 0
    assert main(["export", "mismatch", "--store", str(path), "--out", str(tmp_path / "m.htm")]) == 0
    bad = tmp_path / "swv.pdf"
    assert main(["export", "swv", "PO2704", "--store", str(path), "--out", str(bad)]) == 2
    assert main(["export", "swv", "PO9999", "--store", str(path), "--out", str(tmp_path / "x.html")]) == 2
    assert not bad.exists() and not (tmp_path / "x.html").exists()
    err = capsys.readouterr().err
    assert f"{bad}: geef een bestand dat eindigt op .html of .json" in err
    assert "samenwerkingsverband PO9999 is niet bekend" in err


def test_examples_in_the_viz_docstrings() -> None:
    """The viz package is outside pytest's doctest paths; its examples are run here."""
    import doctest

    import viz.html
    import viz.model
    import viz.styles
    import viz.svgmap

    for module in (viz.html, viz.model, viz.styles, viz.svgmap):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, module.__name__


def test_an_swv_picture_folds_schools_into_their_boards(demo: GraphStore) -> None:
    """Drawn one by one, the schools of an SWV make a picture whose labels cannot be read at
    its default size: each school is folded into its board at first, opened on demand."""
    net = swv_network(swv_partners(demo, "PO2704", on=DAY))
    nodes = by_id(net)
    folded = [n for n in net.nodes if n.cluster]
    assert len(folded) > 20 and all(n.group == "school" and n.cluster in nodes for n in folded)
    assert all(nodes[n.cluster].group == "schoolbestuur" for n in folded)
    for n in folded:  # a school folds into the board that is its bevoegd gezag
        assert (n.id, n.cluster) in {(e.from_, e.to) for e in net.edges}
    visible = len(net.nodes) - len(folded) + 0  # the boards themselves become the groups
    assert visible < 60 < len(net.nodes)
    html = render_html(net)
    assert '"cluster":"Schoolbestuur:' in html and "window.skGroepen" in html
