"""The web pages in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) driven by Selenium, against the real app served by uvicorn on a free
loopback port over an embedded store loaded with the full demo.

Every page must load without a console error and without a single request to another host;
the school's question must work with the mouse and with the keyboard alone, its answer must
show a provider named like an XSS attack as plain text, and the networks must be drawn.
Screenshots go to ``tests/artifacts/``; the two in the README (``docs/screenshots/``) are
written when missing or when ``SOCIALE_KAART_UPDATE_SCREENSHOTS=1``.

Without Chromium the tests are skipped with a message; under ``CI=true`` they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from api.cli import demo_files
from graph.embedded import EmbeddedStore
from graph.queries.partners import swv_partners
from graph.queries.pictures import mismatch_picture
from graph.store import GraphStore
from importers.run import run_import
from viz.export import write_network
from viz.model import Network, NetworkBuilder
from viz.network import mismatch_network, swv_network

from .utils import IN_CI, REPO

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO / "tests" / "artifacts"
SCREENSHOTS = REPO / "docs" / "screenshots"
XSS = "</script><img src=x onerror=alert(1)>"
HOW_TO_ENABLE = (
    "the browser tests need Debian's chromium and chromium-driver and the selenium package: "
    "`apt-get install -y chromium chromium-driver` (scripts/test does it as root) and "
    "`pip install -e '.[test]'`"
)


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return f"selenium is not installed; {HOW_TO_ENABLE}"
    absent = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    return f"{' and '.join(absent)} not found; {HOW_TO_ENABLE}" if absent else None


@pytest.fixture(scope="module")
def browser_ready() -> None:
    reason = _missing()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")


# --- the app ------------------------------------------------------------------------------------


def _xss_provider(folder: Path) -> list[Path]:
    """A provider whose name is markup, contracted by Haarlem for crisis care (by the gemeente,
    not the jeugdregio: a file of JZ11's contracts would be a newer version of the demo's and
    end them)."""
    aanbod = folder / "zorgaanbod-xss.csv"
    aanbod.write_text(
        "aanbieder_id,aanbieder_naam,aanbod_id,aanbod_naam,behoeften,locatie_id,postcode,plaats,fictief\n"
        f"test-xss,{XSS},test-xss-crisis,Crisishulp <b>vet</b> (fictief),46,test-xss-loc,2011,Haarlem,ja\n",
        encoding="utf-8",
    )
    contract = folder / "contracten-xss.csv"
    contract.write_text(
        "contract_id,opdrachtgever,aanbieder_id,behoeften,geldig_van,fictief\n"
        "test-xss-contract,GM0392,test-xss,46,2020-01-01,ja\n",
        encoding="utf-8",
    )
    return [aanbod, contract]


JS_URL = "javascript:alert(1)"


def _javascript_contact(folder: Path) -> list[Path]:
    """A fictional wijkteam for Heemstede (GM0397, no team in the demo) whose contact website
    is a ``javascript:`` URL: the page must show it as text, never as a link to click."""
    teams = folder / "wijkteams-test.yaml"
    teams.write_text(
        "bron: test (fictief)\n"
        'peildatum: "2025-09-01"\n'
        "wijkteams:\n"
        "  - id: test-heemstede-js\n"
        "    naam: Testteam Heemstede (fictief)\n"
        "    gemeente: GM0397\n"
        "    gebied: [gemeente]\n"
        "    contact:\n"
        "      rol: toegang jeugdhulp (fictief)\n"
        "      email: toegang@heemstede-test.example\n"
        f'      website: "{JS_URL}"\n'
        "    fictief: ja\n",
        encoding="utf-8",
    )
    return [teams]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    folder = tmp_path_factory.mktemp("browser")
    store = EmbeddedStore(folder / "graph.json")
    report = run_import(store, [*demo_files(), *_xss_provider(folder), *_javascript_contact(folder)])
    assert not report.problems, report.text()
    yield store
    store.close()


@pytest.fixture(scope="module")
def app_url(browser_ready: None, demo_store: GraphStore) -> Iterator[str]:
    import uvicorn

    from api.app import create_app

    store = demo_store
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        create_app(store), host="127.0.0.1", port=port, access_log=False, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def driver(browser_ready: None) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    saved = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download anything
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",  # root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--lang=nl-NL",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    d = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    d.set_page_load_timeout(60)
    try:
        yield d
    finally:
        d.quit()
        if saved is None:
            os.environ.pop("SE_OFFLINE", None)
        else:
            os.environ["SE_OFFLINE"] = saved


class Watch:
    """Console errors and requested URLs since the last look (reading a log empties it)."""

    def __init__(self, driver: Any, origin: str) -> None:
        self.driver, self.origin = driver, origin
        self.urls: list[str] = []

    def drain(self) -> list[dict[str, Any]]:
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                self.urls.append(message["params"]["request"]["url"])
        return [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def check(self) -> None:
        errors = self.drain()
        assert not errors, f"console errors: {errors}"
        foreign = [
            u for u in self.urls if not (u.startswith(self.origin + "/") or u.startswith(("data:", "blob:")))
        ]
        assert not foreign, f"requests to other hosts: {foreign}"
        assert self.urls, "the performance log saw no requests at all"


@pytest.fixture
def watch(driver: Any, app_url: str) -> Watch:
    w = Watch(driver, app_url)
    w.drain()  # forget what earlier tests left
    w.urls.clear()
    return w


def wait_for(condition: Callable[[], Any], timeout: float = 20, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except Exception:  # elements may be replaced while we look
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def screenshot(driver: Any, name: str, *, element: Any = None, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = driver.get_window_size()
    if element is not None:
        tall = driver.execute_script("return arguments[0].getBoundingClientRect().height", element)
        driver.set_window_size(size["width"], max(size["height"], int(tall) + 200))
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", element)
        time.sleep(0.3)
        element.screenshot(str(path))
    elif full_page:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(size["width"], min(int(height) + 20, 6000))
        driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.3)
        driver.save_screenshot(str(path))
    else:
        driver.save_screenshot(str(path))
    driver.set_window_size(size["width"], size["height"])
    return path


def publish(shot: Path, name: str) -> None:
    """Copy a screenshot for the README when it is missing, or when asked to refresh them."""
    target = SCREENSHOTS / name
    if not target.exists() or os.environ.get("SOCIALE_KAART_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)


def network_nodes(driver: Any, canvas_id: str) -> int:
    """Nodes drawn by vis-network, once the layout has settled (physics frozen)."""
    wait_for(
        lambda: driver.execute_script(f"return document.getElementById('{canvas_id}').dataset.stable") == "1",
        what=f"network {canvas_id} to stabilise",
    )
    return int(driver.execute_script(f"return window.sk.networks['{canvas_id}'].body.data.nodes.length"))


def assert_accessible_basics(driver: Any) -> None:
    assert driver.execute_script("return document.documentElement.lang") == "nl"
    assert driver.execute_script("return !!document.querySelector('meta[name=viewport]')")
    assert driver.find_element("css selector", "h1").text.strip()
    unlabelled = driver.execute_script(
        """return Array.from(document.querySelectorAll('input, select, textarea'))
             .filter(e => e.type !== 'hidden')
             .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
             .map(e => e.outerHTML)"""
    )
    assert not unlabelled, f"form fields without a label: {unlabelled}"


# --- the tests ----------------------------------------------------------------------------------

PAGES = {
    "start": ("/", None),
    "school-leeg": ("/school", None),
    "swv-lijst": ("/swv", None),
    "swv": ("/swv/PO2704", "netwerk-swv"),
    "beleid": ("/beleid", "netwerk-beleid"),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_with_no_console_error_and_nothing_from_another_host(
    driver: Any, app_url: str, watch: Watch, name: str
) -> None:
    path, network = PAGES[name]
    driver.get(app_url + path)
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", what="page load")
    assert_accessible_basics(driver)
    if network:
        assert network_nodes(driver, network) > 0
    screenshot(driver, name, full_page=True)
    watch.check()


def test_the_api_documentation_renders_from_this_server_alone(
    driver: Any, app_url: str, watch: Watch
) -> None:
    """Swagger UI at /docs, linked from every page, shows the operations and fetches nothing
    from a CDN (FastAPI's own /docs would load it from jsdelivr)."""
    driver.get(app_url + "/docs")
    wait_for(lambda: driver.find_elements("css selector", ".opblock"), what="the documented operations")
    paths = driver.execute_script(
        "return Array.from(document.querySelectorAll('.opblock-summary-path')).map(e => e.textContent)"
    )
    assert any("who-serves" in p for p in paths), paths
    watch.check()


def ask(driver: Any, app_url: str, *, need: str, postcode: str = "2011") -> None:
    """The school's question with the mouse: find a Haarlem school, pick it, ask."""
    from selenium.webdriver.support.ui import Select

    driver.get(app_url + "/school")
    driver.find_element("id", "school-zoek").send_keys("Haarlem")
    driver.find_element("css selector", "#zoek-school button[type=submit]").click()
    wait_for(lambda: driver.find_elements("css selector", "#school-lijst input[type=radio]"), what="results")
    # a primary school (BAO): its board and SWV are in the demo, so every role has an answer
    label = next(
        e for e in driver.find_elements("css selector", "#school-lijst label") if "· BAO ·" in e.text
    )
    label.click()
    assert driver.find_element("id", label.get_attribute("for")).is_selected()
    driver.find_element("id", "postcode").send_keys(postcode)
    Select(driver.find_element("id", "behoefte")).select_by_value(need)
    driver.find_element("css selector", "#vraag button[type=submit]").click()
    wait_for(lambda: driver.find_element("id", "antwoord").is_displayed(), what="the answer")


def test_school_question_answers_with_roles_providers_and_network(
    driver: Any, app_url: str, watch: Watch
) -> None:
    ask(driver, app_url, need="ijw-45")
    roles = driver.find_elements("css selector", "#rollen .rol")
    assert len(roles) >= 5
    text = driver.find_element("id", "rollen").text
    for expected in ("samenwerkingsverband", "woongemeente", "Regel:", "Haarlem"):
        assert expected in text
    assert "Spaarnezorg Jeugd (fictief)" in driver.find_element("id", "aanbieders").text
    assert network_nodes(driver, "netwerk-vraag") > 0
    # The question is not in the address bar (nor in the history).
    assert "2011" not in driver.current_url and "?" not in driver.current_url
    publish(screenshot(driver, "school", full_page=True), "school.png")
    watch.check()
    asked = [u for u in watch.urls if "/api/v1/who-serves?" in u]
    assert asked and all(u.startswith(app_url) for u in asked)


def test_a_provider_named_like_markup_is_shown_as_text(driver: Any, app_url: str, watch: Watch) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    ask(driver, app_url, need="ijw-46")
    providers = driver.find_element("id", "aanbieders")
    assert XSS in providers.text
    assert "Crisishulp <b>vet</b> (fictief)" in providers.text
    assert driver.execute_script("return document.querySelectorAll('#antwoord img, #antwoord b').length") == 0
    assert network_nodes(driver, "netwerk-vraag") > 0
    time.sleep(0.5)
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - an alert would mean the markup ran
    watch.check()


def test_a_javascript_url_from_the_data_is_not_a_link(driver: Any, app_url: str, watch: Watch) -> None:
    """A contact's website comes from an imported file: ``javascript:alert(1)`` must be shown
    as text (safeHref), while the same contact's e-mail address does become a link."""
    ask(driver, app_url, need="ijw-45", postcode="2101")  # Heemstede: the test team
    rollen = driver.find_element("id", "rollen")
    assert "Testteam Heemstede (fictief)" in rollen.text and JS_URL in rollen.text
    hrefs = driver.execute_script(
        "return Array.from(document.querySelectorAll('#antwoord a')).map(a => a.getAttribute('href'))"
    )
    assert "mailto:toegang@heemstede-test.example" in hrefs  # links are made, just not this one
    assert not [h for h in hrefs if h.lower().startswith("javascript:")], hrefs
    shown_as = driver.execute_script(
        """return Array.from(document.querySelectorAll('#rollen *'))
             .filter(e => e.children.length === 0 && e.textContent === arguments[0])
             .map(e => e.tagName)""",
        JS_URL,
    )
    assert shown_as == ["SPAN"], shown_as
    watch.check()


def test_without_javascript_the_question_stays_out_of_the_address(
    driver: Any, app_url: str, watch: Watch
) -> None:
    """With JavaScript off the browser submits the question form itself: it must not send the
    postcode and need in a URL (address bar, history, server and proxy logs)."""
    from selenium.webdriver.support.ui import Select

    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        driver.get(app_url + "/school")
        assert driver.find_element("css selector", "noscript").get_attribute("textContent").strip()
        assert not driver.find_element("id", "antwoord").is_displayed()
        driver.find_element("id", "postcode").send_keys("2011 AB")
        Select(driver.find_element("id", "behoefte")).select_by_value("ijw-45")
        driver.find_element("id", "niet-regulier").click()
        driver.find_element("id", "vraag-knop").click()
        wait_for(
            lambda: "JavaScript" in driver.find_element("css selector", "h1").text,
            what="the no-JavaScript page",
        )
        assert driver.current_url == app_url + "/school", driver.current_url
        assert "2011" not in driver.page_source and "ijw-45" not in driver.page_source
        watch.check()
        sent = [u for u in watch.urls if u.startswith(app_url + "/school")]
        assert sent and not [u for u in sent if "?" in u], sent
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_a_failed_or_overtaken_question_never_shows_another_answer(
    driver: Any, app_url: str, watch: Watch
) -> None:
    """A follow-up question that fails hides the old answer; a slow first answer that arrives
    after a second question was asked is dropped; the summary names the need that was answered."""
    from selenium.webdriver.support.ui import Select

    ask(driver, app_url, need="ijw-45")
    summary = driver.find_element("id", "antwoord-samenvatting")
    assert "Hulpvraag: 45 – Jeugdhulp ambulant." in summary.text
    need = Select(driver.find_element("id", "behoefte"))
    need.select_by_value("ijw-46")  # changed, not asked: the summary still says what was asked
    assert "Hulpvraag: 45 – Jeugdhulp ambulant." in summary.text

    postcode = driver.find_element("id", "postcode")
    postcode.clear()
    postcode.send_keys("1000")  # well-formed, but no such PC4: the API answers 404
    driver.find_element("id", "vraag-knop").click()
    wait_for(lambda: "postcode" in driver.find_element("id", "vraag-fout").text, what="the error")
    assert not driver.find_element("id", "antwoord").is_displayed()
    expected = watch.drain()  # Chromium logs the 404 itself; nothing else may complain
    assert all("/api/v1/who-serves?" in e["message"] and "404" in e["message"] for e in expected), expected

    # The first question's answer is held back 1.5 s, the second is not: the first comes last.
    driver.execute_script(
        """const real = window.sk.getJson;
           let first = true;
           window.sk.getJson = function (url, signal) {
             if (first && url.indexOf('/api/v1/who-serves?') === 0) {
               first = false;
               return new Promise(r => setTimeout(r, 1500)).then(() => real(url));
             }
             return real(url, signal);
           };"""
    )
    postcode.clear()
    postcode.send_keys("2011")
    need.select_by_value("ijw-45")
    driver.find_element("id", "vraag-knop").click()
    need.select_by_value("ijw-46")
    driver.find_element("id", "vraag-knop").click()
    wait_for(lambda: driver.find_element("id", "antwoord").is_displayed(), what="the second answer")
    time.sleep(2.5)  # the held-back first answer has arrived by now
    assert "Hulpvraag: 46 – Jeugdhulp crisis." in summary.text, summary.text
    assert XSS in driver.find_element("id", "aanbieders").text  # the crisis provider, not ambulant care
    watch.check()


def test_leaving_the_school_page_forgets_the_question(driver: Any, app_url: str, watch: Watch) -> None:
    """The page is not stored (no-store), and should the browser keep it anyway in its
    back/forward cache, coming back to it (pageshow, persisted) wipes question and answer."""

    def forgotten() -> None:
        assert not driver.find_element("id", "antwoord").is_displayed()
        assert driver.find_element("id", "postcode").get_attribute("value") == ""
        assert driver.find_element("id", "behoefte").get_attribute("value") == ""
        assert not driver.find_elements("css selector", "#rollen .rol, #aanbieders .aanbieder")
        assert driver.execute_script("return window.sk.networks['netwerk-vraag'] === undefined")
        assert driver.find_element("id", "school-zoek").get_attribute("value") == ""
        assert not driver.find_elements("css selector", "#school-lijst input")
        assert driver.find_element("id", "gekozen-school").text == "Nog geen school gekozen."

    ask(driver, app_url, need="ijw-45")
    network_nodes(driver, "netwerk-vraag")
    driver.execute_script("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    forgotten()
    ask(driver, app_url, need="ijw-45")
    driver.get(app_url + "/")
    driver.back()
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", what="page load")
    assert driver.current_url == app_url + "/school"
    forgotten()
    watch.check()


def test_overlapping_network_drawings_leave_only_the_latest(driver: Any, app_url: str, watch: Watch) -> None:
    """Two drawings on one canvas, the first answered last: the second network stays, and
    the first is never drawn over it (nor left running behind it)."""
    driver.get(app_url + "/swv/PO2704")
    swv_nodes = network_nodes(driver, "netwerk-swv")
    mismatch_nodes = len(
        driver.execute_script(
            "return fetch('/api/v1/network/mismatch?format=json').then(r => r.json()).then(d => d.nodes)"
        )
    )
    assert mismatch_nodes != swv_nodes
    driver.execute_script(
        """const real = window.sk.getJson;
           window.sk.getJson = function (url, signal) {
             if (url.indexOf('/api/v1/network/mismatch') === 0) {
               return new Promise(r => setTimeout(r, 1500)).then(() => real(url));
             }
             return real(url, signal);
           };
           window.gemaakt = 0;
           const Real = vis.Network;
           vis.Network = function (a, b, c) { window.gemaakt++; return new Real(a, b, c); };
           const figure = document.getElementById('netwerk-swv').closest('figure');
           window.sk.drawNetwork(figure, '/api/v1/network/mismatch?format=json');
           window.sk.drawNetwork(figure, '/api/v1/network/swv/PO2704?format=json');"""
    )
    assert network_nodes(driver, "netwerk-swv") == swv_nodes
    time.sleep(2.5)  # the held-back mismatch network has arrived by now
    assert network_nodes(driver, "netwerk-swv") == swv_nodes
    assert driver.execute_script("return window.gemaakt") == 1
    assert len(driver.find_elements("css selector", "#netwerk-swv div.vis-network")) == 1
    watch.check()


def test_an_swv_network_shows_boards_as_groups_opened_by_a_click(
    driver: Any, app_url: str, watch: Watch
) -> None:
    """Drawn at its default size, an SWV's network shows each board with its schools as one
    node; a click on the group opens it, in the real browser (vis-network's clusters)."""
    from selenium.webdriver.common.action_chains import ActionChains

    driver.get(app_url + "/swv/PO2704")
    total = network_nodes(driver, "netwerk-swv")
    net = "window.sk.networks['netwerk-swv']"
    groups = driver.execute_script(
        f"return Object.keys({net}.body.nodes).filter(id => {net}.body.nodes[id].isCluster === true)"
    )
    assert groups and int(
        driver.execute_script("return document.getElementById('netwerk-swv').dataset.groepen")
    ) == len(groups)
    visible = driver.execute_script(f"return {net}.body.nodeIndices.length")
    assert visible < total  # the schools are folded into their boards
    group = groups[0]
    where = driver.execute_script(
        f"const p = {net}.getPositions(['{group}'])['{group}']; return {net}.canvasToDOM(p);"
    )
    canvas = driver.find_element("css selector", "#netwerk-swv canvas")
    size = canvas.size
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(where["x"] - size["width"] / 2), int(where["y"] - size["height"] / 2)
    ).click().perform()
    wait_for(
        # an opened group is gone (asking vis-network whether it is a group would log an error)
        lambda: driver.execute_script(f"return !('{group}' in {net}.body.nodes)"),
        what="the group to open",
    )
    assert driver.execute_script(f"return {net}.body.nodeIndices.length") > visible
    watch.check()


def test_a_network_is_one_labelled_tab_stop_moved_with_the_arrow_keys(
    driver: Any, app_url: str, watch: Watch
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver.get(app_url + "/swv/PO2704")
    network_nodes(driver, "netwerk-swv")
    stops = driver.execute_script(
        """const canvas = document.getElementById('netwerk-swv');
           return [canvas, ...canvas.querySelectorAll('*')]
             .filter(e => e.tabIndex >= 0 && e.getAttribute('tabindex') !== null)
             .map(e => [e.className, e.getAttribute('role'), e.getAttribute('aria-label')])"""
    )
    assert len(stops) == 1, stops
    [(cls, role, label)] = stops
    assert cls == "vis-network" and role == "application" and label.startswith("Netwerk: ")
    assert driver.execute_script("return document.getElementById('netwerk-swv').getAttribute('role')") is None
    for _ in range(80):  # reached with Tab alone
        if driver.execute_script("return document.activeElement.classList.contains('vis-network')"):
            break
        ActionChains(driver).send_keys(Keys.TAB).perform()
    else:
        raise AssertionError("the network could not be reached with Tab")
    assert _focus_is_visible(driver)
    before = driver.execute_script("return window.sk.networks['netwerk-swv'].getViewPosition()")
    ActionChains(driver).key_down(Keys.ARROW_RIGHT).pause(0.5).key_up(Keys.ARROW_RIGHT).perform()
    after = driver.execute_script("return window.sk.networks['netwerk-swv'].getViewPosition()")
    assert after["x"] != before["x"], (before, after)
    watch.check()


def test_printed_tables_keep_their_headings(driver: Any, app_url: str, watch: Watch) -> None:
    """Print hides the buttons that do nothing on paper, but not the sort buttons in the table
    headers: they hold the headings' text."""
    driver.get(app_url + "/beleid")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        heading = driver.find_element("css selector", "#mismatch-tabel thead th button.sorteer")
        assert heading.is_displayed() and heading.text == "Samenwerkingsverband"
        assert not driver.find_element("css selector", "form.filter button").is_displayed()
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    watch.check()


def _tab_to(driver: Any, element_id: str = "", *, name: str = "", limit: int = 40) -> None:
    """Press Tab until the element with this id (or form field name) has the focus."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    attr, wanted = ("name", name) if name else ("id", element_id)
    for _ in range(limit):
        if driver.execute_script(f"return document.activeElement && document.activeElement.{attr}") == wanted:
            return
        ActionChains(driver).send_keys(Keys.TAB).perform()
    raise AssertionError(f"could not reach {attr}={wanted} with Tab")


def _focus_is_visible(driver: Any) -> bool:
    return bool(
        driver.execute_script(
            """const s = getComputedStyle(document.activeElement);
               return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2"""
        )
    )


def test_school_question_with_the_keyboard_only(driver: Any, app_url: str, watch: Watch) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    def press(*keys: str) -> None:
        ActionChains(driver).send_keys(*keys).perform()

    driver.get(app_url + "/school")
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", what="page load")
    _tab_to(driver, "school-zoek")
    assert _focus_is_visible(driver)
    press("Harlem", Keys.ENTER)  # a typo: the search is tolerant
    wait_for(lambda: driver.find_elements("css selector", "#school-lijst input[type=radio]"), what="results")
    _tab_to(driver, name="school")  # past the search button, into the radio group
    assert _focus_is_visible(driver)
    press(Keys.SPACE)
    assert driver.execute_script("return document.activeElement.checked") is True
    _tab_to(driver, "postcode")
    press("2011")
    _tab_to(driver, "behoefte")
    for _ in range(30):
        if driver.execute_script("return document.activeElement.value") == "ijw-45":
            break
        press(Keys.ARROW_DOWN)
    assert driver.execute_script("return document.getElementById('behoefte').value") == "ijw-45"
    _tab_to(driver, "vraag-knop")
    assert _focus_is_visible(driver)
    press(Keys.ENTER)
    wait_for(lambda: driver.find_element("id", "antwoord").is_displayed(), what="the answer")
    assert driver.execute_script("return document.activeElement.id") == "antwoord-kop"
    assert len(driver.find_elements("css selector", "#rollen .rol")) >= 5
    network_nodes(driver, "netwerk-vraag")
    watch.check()


def test_mismatch_table_sorts_by_keyboard_and_the_map_names_gemeenten(
    driver: Any, app_url: str, watch: Watch
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver.get(app_url + "/beleid?signal=buiten&regio=PV27")
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", what="page load")
    table = driver.find_element("id", "mismatch-tabel")
    header = table.find_elements("css selector", "thead th")[1]
    button = header.find_element("css selector", "button")
    driver.execute_script("arguments[0].focus()", button)
    ActionChains(driver).send_keys(Keys.ENTER).perform()

    def column() -> list[int]:
        cells = table.find_elements("css selector", "tbody tr td:nth-child(2)")
        return [int(c.text) for c in cells]

    assert header.get_attribute("aria-sort") == "ascending"
    assert column() == sorted(column())
    ActionChains(driver).send_keys(Keys.SPACE).perform()
    assert header.get_attribute("aria-sort") == "descending"
    assert column() == sorted(column(), reverse=True)

    svg = driver.find_element("css selector", "svg.kaart")
    tips = driver.execute_script(
        "return Array.from(document.querySelectorAll('svg.kaart path > title')).map(t => t.textContent)"
    )
    assert any(t.startswith("Haarlem (GM0392): ca.") for t in tips)
    assert driver.execute_script("return document.querySelectorAll('svg.kaart .legenda rect').length") >= 5
    publish(screenshot(driver, "beleid-kaart", element=svg), "beleid-kaart.png")
    network_nodes(driver, "netwerk-beleid")
    watch.check()


def test_phone_width_has_no_horizontal_scrolling(driver: Any, app_url: str, watch: Watch) -> None:
    phone = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        for path in ("/", "/school", "/swv", "/swv/PO2704", "/beleid"):
            driver.get(app_url + path)
            wait_for(lambda: driver.execute_script("return document.readyState") == "complete", what="load")
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
        screenshot(driver, "beleid-telefoon")
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    watch.check()


# --- exported pictures, opened from disk with the network switched off ---------------------------


def synthetic_network(size: int) -> Network:
    b = NetworkBuilder(f"Synthetisch netwerk van {size} knopen")
    groups = ["school", "schoolbestuur", "swv", "gemeente", "wijkteam", "zorgaanbieder"]
    for i in range(size):
        b.node(f"n{i}", f"Knoop {i}", groups[i % len(groups)], f"Knoop {i}")
    for i in range(1, size):
        b.edge(f"n{i}", f"n{(i * 7919) % i}", "", f"lijn {i}")
    return b.build()


def test_exported_pictures_show_the_whole_network_offline(
    driver: Any, app_url: str, tmp_path: Path, demo_store: GraphStore
) -> None:
    """What `sociale-kaart export` writes, opened as a file with the browser offline: every
    node is drawn, nothing is requested, nothing complains. The time to draw 1,500 nodes is
    written to the artifacts (a measurement, not a test)."""
    pictures = {
        "mismatch": mismatch_network(mismatch_picture(demo_store)),
        "swv": swv_network(swv_partners(demo_store, "PO2704")),
        "synthetisch-1500": synthetic_network(1500),
    }
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    timings = {}
    try:
        for name, network in pictures.items():
            path = tmp_path / f"{name}.html"
            write_network(network, path)
            watch = Watch(driver, path.as_uri())
            watch.drain()
            driver.get(path.as_uri())
            drawn = wait_for(
                lambda: driver.execute_script("return document.body.getAttribute('data-getekend-ms')"),
                timeout=60,
                what=f"{name} to be drawn",
            )
            timings[name] = int(drawn)
            assert driver.execute_script("return window.netwerk.body.data.nodes.length") == len(network.nodes)
            assert driver.execute_script("return window.netwerk.body.data.edges.length") == len(network.edges)
            assert not watch.drain(), f"console errors in {name}"
            # the log must have seen the page itself, or "nothing else" would prove nothing
            assert path.as_uri() in watch.urls, f"the performance log missed {name} itself: {watch.urls}"
            others = [u for u in watch.urls if u != path.as_uri() and not u.startswith(("data:", "blob:"))]
            assert not others, f"{name} requested more than itself: {others}"
            screenshot(driver, f"export-{name}")
    finally:
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "export-timings.json").write_text(json.dumps(timings, indent=2))
