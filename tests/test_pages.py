"""The web pages in process (no browser): every page renders in Dutch with a strict
Content-Security-Policy, loads nothing from another host, escapes data, and never echoes or
logs a pupil's question. The browser half is in test_browser.py."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.access_log import ACCESS
from api.app import create_app
from api.cli import demo_files
from graph.embedded import EmbeddedStore
from graph.records import Batch, NodeRecord
from graph.store import GraphStore
from importers.run import run_import

PAGES = [
    "/",
    "/school",
    "/swv",
    "/swv?sector=VO",
    "/swv/PO2704",
    "/beleid",
    "/beleid?signal=buiten&regio=PV27",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store: GraphStore = EmbeddedStore(tmp_path_factory.mktemp("pages") / "graph.json")
    run_import(store, demo_files())
    batch = Batch()
    batch.add_node(
        NodeRecord(
            "Swv",
            "PO9999",
            {"naam": "<script>alert(1)</script>", "source": "test", "source_date": "2025", "import_id": "t"},
        )
    )
    store.apply(batch)
    with TestClient(create_app(store)) as c:
        yield c
    store.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_in_dutch_with_a_strict_policy(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe" not in csp
    assert r.headers["referrer-policy"] == "no-referrer"
    html = r.text
    assert '<html lang="nl">' in html and 'name="viewport"' in html
    assert "<script>" not in html.replace('<script src="/static/', "")  # no inline script at all
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#", "mailto:")), url  # nothing from another host


def test_every_form_field_has_a_label(client: TestClient) -> None:
    for path in ("/school", "/swv", "/beleid"):
        html = client.get(path).text
        labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', html))
        fields = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
        assert fields, path
        for field in fields:
            ident = re.search(r'\bid="([^"]+)"', field)
            assert ident and ident.group(1) in labelled, f"{path}: {field}"


def test_school_page_lists_the_needs_and_ignores_a_query(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sociale_kaart.api"):
        r = client.get("/school", params={"school": "15UJ00", "postcode": "2011AB", "need": "45"})
        ACCESS.flush()  # the access line is written in a batch, soon after the answer
    assert r.status_code == 200
    assert '<option value="ijw-45">45 – Jeugdhulp ambulant</option>' in r.text
    assert '<option value="onderwijs-dyslexie">Dyslexie</option>' in r.text
    assert "2011AB" not in r.text and "15UJ00" not in r.text
    assert "GET /school 200" in caplog.text and "2011AB" not in caplog.text


def test_swv_page_shows_overlaps_and_escapes_names(client: TestClient) -> None:
    html = client.get("/swv/PO2704").text
    for expected in (
        "Haarlem (GM0392)",
        "Haarlemmermeer (GM0394)",
        "Jeugdregio Zuid Kennemerland (JZ11)",
        "(JZ15)",
        "Samenwerkingsverband VO Zuid-Kennemerland (VO 27-05)",
    ):
        assert expected in html
    assert not re.search(r">\s*(JZ11|VO2705|GM0392)\s*<", html)  # never a bare code
    assert 'data-url="/api/v1/network/swv/PO2704?format=json"' in html
    assert "jeugdregio's (Jeugdregio Zuid Kennemerland (JZ11), Jeugdregio" in html
    listing = client.get("/swv").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (PO 99-99)" in listing and "<script>alert" not in listing
    r = client.get("/swv/XX0000")
    assert r.status_code == 404 and "XX0000" in r.text and r.headers["content-type"].startswith("text/html")


def test_an_swv_is_found_by_its_code_in_any_spelling(client: TestClient) -> None:
    for spelling in ("po2704", "PO 27-04", "po27.04"):
        r = client.get(f"/swv/{spelling}", follow_redirects=False)
        assert r.status_code == 307 and r.headers["location"] == "/swv/PO2704", spelling
    both = client.get("/swv/27-04")  # a region has a PO and a VO samenwerkingsverband
    assert both.status_code == 200
    assert 'href="/swv/PO2704"' in both.text and 'href="/swv/VO2704"' in both.text


def test_beleid_page_has_table_map_and_network(client: TestClient) -> None:
    html = client.get("/beleid", params={"signal": "buiten", "regio": "PV27"}).text
    assert 'id="mismatch-tabel"' in html and 'aria-sort="ascending"' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="kaart"' in html
    assert 'href="/api/v1/map/gemeenten.svg?signal=buiten&amp;regio=PV27"' in html
    assert '<option value="buiten" selected>' in html and '<option value="PV27" selected>' in html
    assert 'data-url="/api/v1/network/mismatch?format=json"' in html
    # an unknown signal or region falls back to the defaults rather than failing
    html = client.get("/beleid", params={"signal": "<x>", "regio": "<y>"}).text
    assert '<option value="swvs-po" selected>' in html and "&lt;x&gt;" not in html


def test_static_files(client: TestClient) -> None:
    for name, kind in (
        ("style.css", "text/css"),
        ("kaart.js", "text/javascript"),
        ("school.js", "text/javascript"),
        ("favicon.svg", "image/svg+xml"),
        ("vis-network.min.js", "text/javascript"),
        ("vis-network.css", "text/css"),
    ):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and r.headers["content-type"].startswith(kind), name
    assert b"vis-network" in client.get("/static/vis-network.min.js").content[:400]
    for bad in ("nothing.js", "..%2Fpages.py", "__init__.py", ".hidden.css"):
        assert client.get(f"/static/{bad}").status_code == 404, bad


def test_scripts_put_data_in_the_page_as_text_only(client: TestClient) -> None:
    for name in ("kaart.js", "school.js"):
        js = client.get(f"/static/{name}").text
        assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js
        assert "http://" not in js and "https://" not in js


def _form(html: str, ident: str) -> str:
    """The markup of the form with this id, from its start tag to its end tag."""
    start = html.index(f'<form id="{ident}"')
    return html[start : html.index("</form>", start) + len("</form>")]


def test_the_question_form_cannot_put_the_question_in_a_url(client: TestClient) -> None:
    """Without JavaScript (or before school.js runs) a browser submits the form itself: with
    named fields and GET, postcode and need would land in the address bar, the history and
    every log on the way. The fields have no names and the form POSTs (an empty body)."""
    form = _form(client.get("/school").text, "vraag")
    start_tag = form[: form.index(">") + 1]
    assert 'method="post"' in start_tag and 'method="get"' not in start_tag, start_tag
    for ident in ("postcode", "behoefte", "niet-regulier"):
        field = re.search(rf'<(?:input|select)\b[^>]*\bid="{ident}"[^>]*>', form)
        assert field, ident
        assert " name=" not in field.group(0), field.group(0)
    assert not re.search(r"<(?:input|select|textarea)\b[^>]*\bname=", form), "a named field would be sent"


def test_the_question_posted_without_javascript_is_not_echoed(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sociale_kaart.api"):
        r = client.post("/school", data={"postcode": "2011AB", "need": "ijw-45", "school": "15UJ00"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Zet JavaScript aan" in r.text
    assert "2011AB" not in r.text and "15UJ00" not in r.text and "ijw-45" not in r.text
    assert r.headers["cache-control"] == "no-store"
    assert "2011AB" not in caplog.text


def test_the_school_page_is_not_stored_by_the_browser(client: TestClient) -> None:
    """no-store, not no-cache: no-cache still lets the back/forward cache keep the page with
    the answer in it for the next user of the computer."""
    assert client.get("/school").headers["cache-control"] == "no-store"
    assert client.get("/beleid").headers["cache-control"] == "no-cache"  # public pages may be kept


def test_the_map_table_uses_dutch_numbers(client: TestClient) -> None:
    """The values next to the map are written as on the map: "20 %", not "20.3"."""

    def values(signal: str) -> list[str]:
        html = client.get("/beleid", params={"signal": signal}).text
        table = html[
            html.index("per gemeente</caption>") : html.index(
                "</table>", html.index("per gemeente</caption>")
            )
        ]
        return re.findall(r'<td class="getal" data-sort="[^"]*">([^<]*)</td>', table)

    shares = values("buiten")
    assert shares and all(re.fullmatch(r"\d+ %|–", v) for v in shares), shares
    assert any(v != "–" for v in shares)
    counts = values("swvs-po")
    assert counts and all(re.fullmatch(r"\d+|–", v) for v in counts), counts
