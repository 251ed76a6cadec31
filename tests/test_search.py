"""Search on both backends: typing errors, codes first, an official name before the same name
from another source, gemeenten by everyday names and those of today first, pages that add
up, providers by distance, the index following imports, the HTTP contract; and the mismatch
report served a section at a time (the same API-polish issue).

Most tests run on the stub region plus a few records of our own (below), so that every
expected answer can be read off this file; some run on the shipped demo, and the ranking on
the national data in ../shared/data.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import demo_files
from graph.embedded import EmbeddedStore
from graph.queries import search
from graph.queries.cache import CACHE
from graph.queries.domain import distance_km
from graph.queries.errors import QuestionError
from graph.queries.mismatch import mismatch
from graph.queries.providers_near import providers_near
from graph.queries.search import search_gemeenten, search_schools, search_swvs
from graph.queries.words import normalise
from graph.records import Batch, EdgeRecord, NodeKey, NodeRecord
from graph.store import GraphStore
from importers.run import run_import

from .utils import all_files, needs_shared

PROV = {"source": "test", "source_date": "2025-01-01", "import_id": "test-search"}


def _n(kind: str, ident: str, **props: object) -> NodeRecord:
    return NodeRecord(kind, ident, {**props, **PROV})


def _e(src: str, rel: str, dst: str) -> EdgeRecord:
    return EdgeRecord(NodeKey.parse(src), rel, NodeKey.parse(dst), dict(PROV))


#: Schools, gemeenten and providers of our own on top of the stub: a Mariaschool and a name
#: close to it, a school known by an alias, two schools of one name (one of them by an alias,
#: and first by id); real gemeenten known by everyday names, with places that share their
#: words, Haaren (split in 2021, no single successor) and Littenseradiel, whose last code
#: is known without a name (from 2016 data); and providers for ijw-45 near, farther and nowhere.
EXTRA_NODES = [
    _n("School", "99AA00", naam="Mariaschool", soort="BAO", postcode="2101AB", plaats="Heemstede"),
    _n("School", "99AA01", naam="De Marimba", soort="BAO", postcode="2041AB", plaats="Zandvoort"),
    _n("School", "99AB00", naam="Het Kompas", namen=["Kompasschool"], soort="VO", plaats="Haarlem"),
    _n(
        "School",
        "99RA00",
        naam="Christelijke Basisschool De Regenboog",
        namen=["De Regenboog"],
        soort="BAO",
        plaats="Bloemendaal",
    ),
    _n(
        "School", "99RB00", naam="De Regenboog", namen=["OBS De Regenboog"], soort="BAO", plaats="Bloemendaal"
    ),
    _n("Gemeente", "GM0518", naam="'s-Gravenhage", woonplaatsen=["'s-Gravenhage"]),
    _n("Gemeente", "GM0796", naam="'s-Hertogenbosch", woonplaatsen=["'s-Hertogenbosch", "Rosmalen"]),
    _n("Gemeente", "GM0355", naam="Zeist", woonplaatsen=["Bosch en Duin", "Den Dolder", "Zeist"]),
    _n("Gemeente", "GM1961", naam="Vijfheerenlanden", woonplaatsen=["Hoef en Haag", "Vianen"]),
    _n("Gemeente", "GM0373", naam="Bergen (NH.)", woonplaatsen=["Bergen (NH)", "Schoorl"]),
    _n("Gemeente", "GM0893", naam="Bergen (L.)", woonplaatsen=["Bergen L", "Well L"]),
    _n("Gemeente", "GM0748", naam="Bergen op Zoom", woonplaatsen=["Bergen op Zoom", "Halsteren"]),
    _n("Gemeente", "GM0788", naam="Haaren", opgeheven="2021-01-01"),
    _n("Gemeente", "GM0824", naam="Oisterwijk", woonplaatsen=["Haaren", "Moergestel", "Oisterwijk"]),
    _n("Gemeente", "GM0103", naam="Littenseradiel", opgeheven="1985-01-26"),
    _n("Gemeente", "GM0140"),
    _n("Zorgaanbieder", "t-near", naam="Dichtbij Jeugdhulp", plaats="Haarlem"),
    _n("Zorgaanbieder", "t-far", naam="Verderop Zorg", plaats="Heemstede"),
    _n("Zorgaanbieder", "t-nowhere", naam="Zonder Adres"),
    _n("Zorgaanbieder", "t-lezen", naam="Leeshulp"),
    _n("Aanbod", "t-near-45", naam="Ambulant dichtbij"),
    _n(
        "Aanbod",
        "t-far-45",
        naam="Ambulant verderop",
        wachttijd_weken=3,
        wachttijd_datum="2025-01-01",
        wachttijd_bron="test",
    ),
    _n("Aanbod", "t-nowhere-45", naam="Ambulant ergens"),
    _n("Aanbod", "t-lezen-dys", naam="Dyslexiezorg"),
    _n("Locatie", "l-near", naam="Dichtbij", postcode="2012AB", plaats="Haarlem"),
    _n("Locatie", "l-far", naam="Verderop", postcode="2101AB", plaats="Heemstede"),
    _n("Locatie", "l-lezen", naam="Leeshuis", postcode="2011AB", plaats="Haarlem"),
    _n("Contract", "c-haarlem-far", geldig_van="2020-01-01", geldig_tot="2099-12-31"),
    _n("Contract", "c-jz11-near-dys", geldig_van="2020-01-01"),
]
EXTRA_EDGES = [
    _e("School:99AA00", "LIGT_IN", "PC4:2101"),
    _e("School:99AA01", "LIGT_IN", "PC4:2041"),
    _e("School:99AB00", "LIGT_IN", "PC4:2013"),
    _e("Gemeente:GM0103", "OPGEGAAN_IN", "Gemeente:GM0140"),
    *[_e(f"Zorgaanbieder:t-{p}", "BIEDT", f"Aanbod:t-{p}-45") for p in ("near", "far", "nowhere")],
    _e("Zorgaanbieder:t-lezen", "BIEDT", "Aanbod:t-lezen-dys"),
    *[_e(f"Aanbod:t-{p}-45", "VOOR_BEHOEFTE", "Behoefte:ijw-45") for p in ("near", "far", "nowhere")],
    _e("Aanbod:t-lezen-dys", "VOOR_BEHOEFTE", "Behoefte:onderwijs-dyslexie"),
    _e("Aanbod:t-near-45", "OP_LOCATIE", "Locatie:l-near"),
    _e("Aanbod:t-far-45", "OP_LOCATIE", "Locatie:l-far"),
    _e("Aanbod:t-lezen-dys", "OP_LOCATIE", "Locatie:l-lezen"),
    _e("Gemeente:GM0392", "OPDRACHTGEVER_VAN", "Contract:c-haarlem-far"),
    _e("Contract:c-haarlem-far", "GECONTRACTEERD", "Zorgaanbieder:t-far"),
    _e("Contract:c-haarlem-far", "VOOR_BEHOEFTE", "Behoefte:ijw-45"),
    _e("Regio:JZ11", "OPDRACHTGEVER_VAN", "Contract:c-jz11-near-dys"),
    _e("Contract:c-jz11-near-dys", "GECONTRACTEERD", "Zorgaanbieder:t-near"),
    _e("Contract:c-jz11-near-dys", "VOOR_BEHOEFTE", "Behoefte:onderwijs-dyslexie"),
]


@pytest.fixture
def fresh(store: GraphStore) -> Iterator[GraphStore]:
    """The store with nothing cached for it: the Neo4j store object outlives one test, and
    the next test's data may have the same counts."""
    CACHE.forget(store)
    yield store
    CACHE.forget(store)


@pytest.fixture
def stub(fresh: GraphStore, demo_batch: Batch) -> GraphStore:
    fresh.apply(demo_batch.extend(EXTRA_NODES, EXTRA_EDGES))
    return fresh


@pytest.fixture
def demo(fresh: GraphStore) -> GraphStore:
    run_import(fresh, demo_files())
    return fresh


def ids_of(page: search.Page) -> list[str]:  # type: ignore[type-arg]
    return [h.id for h in page.items]


def ids_of_hits(hits: list[search.GemeenteHit]) -> list[tuple[str, float]]:
    return [(h.id, h.score) for h in hits]


# -- schools --------------------------------------------------------------------------------


def test_a_typo_in_a_name_still_finds_the_school(stub: GraphStore) -> None:
    for typed in ("Mariascool", "mariaschol", "Mariaschool Heemstede", "MARIA-SCHOOL"):
        assert ids_of(search_schools(stub, typed))[:1] == ["99AA00"], typed
    assert ids_of(search_schools(stub, "de krng")) == ["15UJ00"]  # a short word missing a letter
    # a word of another school that merely starts alike is no match for a whole different word
    assert "99AA01" not in ids_of(search_schools(stub, "Mariaschool"))


def test_a_typo_in_a_place_finds_that_places_schools(demo: GraphStore) -> None:
    in_haarlem = {n.id for n in demo.nodes("School") if n.props.get("plaats") == "Haarlem"} | {
        e.src.id
        for e in demo.edges(rel="LIGT_IN", dst=NodeKey("Gemeente", "GM0392"))
        if e.src.kind == "School"
    }
    assert len(in_haarlem) > 20
    found = search_schools(demo, "Haarlm", size=200)
    assert in_haarlem <= set(ids_of(found))
    assert all(h.gemeente and h.gemeente.id == "GM0392" for h in found.items[: len(in_haarlem)])


def test_an_exact_id_or_a_brin_ranks_first(stub: GraphStore) -> None:
    for typed in ("15UJ00", "15uj 00", "15UJ-00"):
        first = search_schools(stub, typed).items[0]
        assert (first.id, first.matched_on) == ("15UJ00", ["id"])
    assert ids_of(search_schools(stub, "99AA"))[:2] == ["99AA00", "99AA01"]
    exact, prefix = search_schools(stub, "99AA00").items[0], search_schools(stub, "99AA").items[0]
    assert exact.score > prefix.score > max(h.score for h in search_schools(stub, "Mariaschool").items)


def test_an_alias_and_the_kind_are_searchable(stub: GraphStore) -> None:
    hit = search_schools(stub, "Kompasschool").items[0]
    assert (hit.id, hit.naam, "naam" in hit.matched_on) == ("99AB00", "Het Kompas", True)
    # 'basisschool' matches the kind of every BAO, even when its name does not say so
    bao = {n.id for n in stub.nodes("School") if n.props.get("soort") == "BAO"}
    assert set(ids_of(search_schools(stub, "basisschool", size=200))) == bao


def test_the_official_name_outranks_the_same_name_of_another_source(stub: GraphStore) -> None:
    # both are 'De Regenboog' somewhere; 99RA00 only to another source, and first by id
    found = search_schools(stub, "De Regenboog").items
    assert [h.id for h in found][:2] == ["99RB00", "99RA00"] and found[0].score > found[1].score
    for typed, first in [
        ("Christelijke Basisschool De Regenboog", "99RA00"),
        ("OBS De Regenboog", "99RB00"),  # an alias alone still finds its school
    ]:
        assert ids_of(search_schools(stub, typed))[:1] == [first], typed


def test_a_hit_shows_what_a_list_needs(stub: GraphStore) -> None:
    hit = search_schools(stub, "De Kring").items[0]
    assert hit.id == "15UJ00" and hit.naam == "OBS De Kring/H Schaft"
    # the stub gives no LIGT_IN gemeente: the school's PC4 tells it
    assert (hit.plaats, hit.gemeente, hit.soort, hit.sector) == (
        "Haarlem",
        search.Ref("GM0392", "Haarlem"),
        "BAO",
        "PO",
    )


def test_pages_add_up_to_the_total(stub: GraphStore) -> None:
    everything = search_schools(stub, "Haarlem", size=200)
    assert everything.total == len(everything.items) >= 4
    pages = [search_schools(stub, "Haarlem", page=p, size=2) for p in range(1, everything.total // 2 + 2)]
    assert all(p.total == everything.total for p in pages)
    assert [i for p in pages for i in ids_of(p)] == ids_of(everything)
    assert search_schools(stub, "Haarlem", page=99, size=2).items == []
    scores = [h.score for h in everything.items]
    assert scores == sorted(scores, reverse=True)


def test_a_question_too_short_or_empty_is_refused(stub: GraphStore) -> None:
    for typed in ("", " ", "a", "--"):
        with pytest.raises(QuestionError) as info:
            search_schools(stub, typed)
        assert info.value.field == "q" and info.value.status == 422
    with pytest.raises(QuestionError, match="minstens 2 tekens"):
        search_gemeenten(stub, "x")


# -- the index follows imports --------------------------------------------------------------


def _import(store: GraphStore, tmp_path: Path, name: str, *records: dict[str, object]) -> None:
    path = tmp_path / f"{name}.jsonl"
    header = {"format": "sociale-kaart/1", "source": "test", "source_date": "2025-06-01"}
    path.write_text("\n".join(json.dumps(r) for r in (header, *records)) + "\n")
    report = run_import(store, [path])
    assert report.applied, [str(p) for p in report.problems]


def test_the_index_follows_an_import(stub: GraphStore, tmp_path: Path) -> None:
    assert search_schools(stub, "Zeeleeuw").total == 0
    before = CACHE.get(stub, "schools", search._build_schools)
    assert CACHE.get(stub, "schools", search._build_schools) is before  # kept while nothing changes
    # a new school
    _import(stub, tmp_path, "new", {"kind": "School", "id": "98ZZ00", "naam": "De Zeeleeuw", "soort": "BAO"})
    assert ids_of(search_schools(stub, "Zeeleeuw")) == ["98ZZ00"]
    # a school renamed: nothing added, and still seen at once
    version = stub.data_version()
    _import(stub, tmp_path, "rename", {"kind": "School", "id": "98ZZ00", "naam": "De Zeehond"})
    assert stub.data_version() != version
    assert ids_of(search_schools(stub, "Zeehond")) == ["98ZZ00"]
    assert search_schools(stub, "Zeeleeuw").total == 0
    gm = search_gemeenten(stub, "Zandvoort").items[0]
    _import(stub, tmp_path, "gm", {"kind": "Gemeente", "id": gm.id, "woonplaatsen": ["Bentveld"]})
    assert ids_of(search_gemeenten(stub, "Bentveld")) == [gm.id]


# -- gemeenten and SWVs ----------------------------------------------------------------------


def test_gemeenten_by_name_code_typo_and_former_name(stub: GraphStore) -> None:
    for typed in ("Heemsted", "Heemstde", "heemstede"):
        assert ids_of(search_gemeenten(stub, typed))[:1] == ["GM0397"], typed
    for code in ("GM0392", "gm392", "392", "0392"):
        assert search_gemeenten(stub, code).items[0].id == "GM0392"
    merged = search_gemeenten(stub, "Haarlemmerliede").items
    assert [(g.id, g.via.id if g.via else None) for g in merged] == [("GM0394", "GM0393")]
    assert merged[0].naam == "Haarlemmermeer" and merged[0].matched_on == ["voormalige naam"]
    assert merged[0].via and merged[0].via.opgeheven == "2019-01-01"
    # the gemeente of today outranks one found through a former name that shares the words
    found = search_gemeenten(stub, "Haarlemmermeer").items
    assert found[0].id == "GM0394" and found[0].via is None


def test_gemeenten_by_their_everyday_names(stub: GraphStore) -> None:
    for typed, code in [
        ("Den Haag", "GM0518"),
        ("den haag", "GM0518"),
        ("Den Bosch", "GM0796"),
        ("Den Bosh", "GM0796"),  # a typo in the everyday name
        ("Bergen NH", "GM0373"),
        ("Bergen L", "GM0893"),
        ("Bergen (L.)", "GM0893"),
        ("s-Gravenhage", "GM0518"),  # the official name still works
    ]:
        found = search_gemeenten(stub, typed).items
        assert found[0].id == code and found[0].matched_on == ["naam"], (typed, ids_of_hits(found))
    # found as a name, above places that share its words: Bosch en Duin (Zeist), Hoef en Haag
    found = search_gemeenten(stub, "Den Bosch").items
    assert [h.id for h in found] == ["GM0796", "GM0355"] and found[0].score > found[1].score
    assert [h.id for h in search_gemeenten(stub, "Den Haag").items] == ["GM0518", "GM1961"]
    assert search_gemeenten(stub, "Den Haag").items[0].naam == "'s-Gravenhage"


def test_a_gemeente_not_of_today_ranks_last(stub: GraphStore) -> None:
    # Haaren, opgeheven without one successor: itself, as opgeheven, below the gemeente of today
    # that has a place called Haaren, though its own name matched better
    found = search_gemeenten(stub, "Haaren").items
    assert [(h.id, h.opgeheven) for h in found] == [("GM0824", None), ("GM0788", "2021-01-01")]
    assert found[1].score > found[0].score and found[1].via is None
    for code in ("GM0788", "788"):
        assert [(h.id, h.naam, h.opgeheven) for h in search_gemeenten(stub, code).items] == [
            ("GM0788", "Haaren", "2021-01-01")
        ]
    # a gemeente known only by its code: found by that code or a former name, without a name
    assert [(h.id, h.naam) for h in search_gemeenten(stub, "GM0140").items] == [("GM0140", None)]
    last = search_gemeenten(stub, "Littenseradiel").items
    assert [(h.id, h.naam, h.via.id if h.via else None) for h in last] == [("GM0140", None, "GM0103")]
    assert not search.is_of_today(NodeRecord("Gemeente", "GM0140"))
    # whatever the scores, every gemeente of today comes first
    for typed in ("Haaren", "Haarlem", "Bergen", "Haarlemmerliede", "Littens"):
        today = [h.naam is not None and h.opgeheven is None for h in search_gemeenten(stub, typed).items]
        assert today == sorted(today, reverse=True), typed


def test_a_woonplaats_leads_to_its_gemeente(demo: GraphStore) -> None:
    velsen = demo.node(NodeKey("Gemeente", "GM0453"))
    assert velsen is not None and "IJmuiden" in velsen.props["woonplaatsen"]  # type: ignore[operator]
    hit = search_gemeenten(demo, "IJmuiden").items[0]
    assert (hit.id, hit.matched_on) == ("GM0453", ["woonplaats"])


def test_swvs_by_code_in_every_spelling_and_by_gemeente(stub: GraphStore) -> None:
    for typed in ("PO2704", "PO 27-04", "po27.04", "swv PO 27-04"):
        assert search_swvs(stub, typed).items[0].id == "PO2704", typed
    assert set(ids_of(search_swvs(stub, "27"))) == {"PO2704", "VO2705"}
    by_place = search_swvs(stub, "Zandvoort")
    assert set(ids_of(by_place)) == {"PO2704", "VO2705"}
    assert all(h.matched_on == ["gemeente"] for h in by_place.items)
    po = next(h for h in by_place.items if h.id == "PO2704")
    region = {
        e.dst.id
        for e in stub.edges(rel="LIGT_IN")
        if e.src.kind == "PC4"
        and any(w.dst.id == "PO2704" for w in stub.edges(rel="IN_WERKGEBIED", src=e.src))
    }
    assert {g.id for g in po.gemeenten} == region and po.sector == "PO"


# -- providers -------------------------------------------------------------------------------


def test_providers_for_a_need_nearest_first(stub: GraphStore) -> None:
    found = providers_near(stub, "45", "2011AB", on=date(2026, 1, 1))
    got = [(h.id, h.km) for h in found.items]
    assert [i for i, _ in got] == ["t-near", "t-far", "demo-jeugdhulp-spaarne", "t-nowhere"]
    home = stub.node(NodeKey("PC4", "2011"))
    for pid, pc in (("t-near", "2012"), ("t-far", "2101")):
        assert dict(got)[pid] == distance_km(home, stub.node(NodeKey("PC4", pc)))
    assert dict(got)["t-nowhere"] is None  # no location: listed, last
    assert "t-lezen" not in dict(got)  # offers dyslexiezorg only
    assert found.total == 4 and found.need == search.Ref("ijw-45", "Jeugdhulp ambulant")
    assert [g.id for g in found.home.gemeenten] == ["GM0392"] and [r.id for r in found.home.jeugdregios] == [
        "JZ11"
    ]


def test_a_provider_says_who_contracts_it(stub: GraphStore) -> None:
    by_id = {h.id: h for h in providers_near(stub, "45", "2011", on=date(2026, 1, 1)).items}
    assert by_id["t-far"].contracted_by_home  # Haarlem, the home gemeente, for ijw-45
    assert [(c.opdrachtgever.id, c.opdrachtgever.soort) for c in by_id["t-far"].contracts] == [
        ("GM0392", "gemeente")
    ]
    # contracted by the home jeugdregio, but for another need
    near = by_id["t-near"]
    assert not near.contracted_by_home
    assert [(c.opdrachtgever.id, c.voor_behoefte) for c in near.contracts] == [("JZ11", False)]
    # the stub's contract runs 2025-2027: valid in 2026, not in 2030
    assert by_id["demo-jeugdhulp-spaarne"].contracted_by_home
    later = providers_near(stub, "45", "2011", on=date(2030, 1, 1)).items
    assert not next(h for h in later if h.id == "demo-jeugdhulp-spaarne").contracted_by_home
    # seen from Heemstede (GM0397, also JZ11) Haarlem's own contract is not the home gemeente's
    from_heemstede = {h.id: h for h in providers_near(stub, "45", "2101", on=date(2026, 1, 1)).items}
    assert not from_heemstede["t-far"].contracted_by_home
    assert [h.id for h in providers_near(stub, "45", "2101").items][:1] == ["t-far"]  # now nearest


def test_providers_within_km_and_pages(stub: GraphStore) -> None:
    home = stub.node(NodeKey("PC4", "2011"))
    near = distance_km(home, stub.node(NodeKey("PC4", "2012")))
    far = distance_km(home, stub.node(NodeKey("PC4", "2101")))
    assert near is not None and far is not None and near < far
    assert [h.id for h in providers_near(stub, "45", "2011", km=(near + far) / 2).items] == ["t-near"]
    assert providers_near(stub, "45", "2011", km=far).total == 2
    assert providers_near(stub, "dyslexie", "2011").items[0].id == "t-lezen"
    second = providers_near(stub, "45", "2011", page=2, size=1)
    assert second.total == 4 and [h.id for h in second.items] == ["t-far"]


def test_provider_search_errors(stub: GraphStore) -> None:
    cases = [
        (("45", "20111"), "postcode", 422, "PC4 (2011) of een PC6 (2011AB)"),
        (("45", "2011 SA"), "postcode", 422, "PC4 (2011)"),
        (("45", "9999"), "postcode", 404, "niet bekend"),
        (("zwemles", "2011"), "need", 404, "onderwijs-zwemles is niet bekend"),
        ((" ", "2011"), "need", 422, "geef een behoefte"),
    ]
    for (need, postcode), fld, status, words in cases:
        with pytest.raises(QuestionError) as info:
            providers_near(stub, need, postcode)
        assert (info.value.field, info.value.status) == (fld, status) and words in str(info.value)


# -- HTTP --------------------------------------------------------------------------------------


def test_http_search_contract(stub: GraphStore) -> None:
    with TestClient(create_app(stub)) as client:
        r = client.get("/api/v1/search/schools", params={"q": "Mariascool", "size": 5})
        assert r.status_code == 200
        body = r.json()
        assert set(body) == {"items", "page", "size", "total"} and (body["page"], body["size"]) == (1, 5)
        first = body["items"][0]
        assert {"id", "naam", "plaats", "gemeente", "soort"} <= set(first)  # what the web UI reads
        assert (first["id"], first["plaats"], first["gemeente"]) == (
            "99AA00",
            "Heemstede",
            {"id": "GM0397", "naam": "Heemstede"},
        )
        assert (
            client.get("/api/v1/search/gemeenten", params={"q": "GM0393"}).json()["items"][0]["id"]
            == "GM0394"
        )
        assert (
            client.get("/api/v1/search/swvs", params={"q": "PO 27-04"}).json()["items"][0]["id"] == "PO2704"
        )
        r = client.get("/api/v1/search/providers", params={"need": "45", "postcode": "2011AB", "km": 50})
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
        assert [p["id"] for p in r.json()["items"]][:2] == ["t-near", "t-far"]


def test_http_search_errors_are_problem_json(stub: GraphStore) -> None:
    with TestClient(create_app(stub)) as client:
        for path, params, status, words in [
            ("schools", {"q": "a"}, 422, "minstens 2 tekens"),
            ("gemeenten", {"q": "  "}, 422, "minstens 2 tekens"),
            ("swvs", {"q": "?!"}, 422, "letters of cijfers"),
            ("schools", {}, 422, "q"),
            ("schools", {"q": "Haarlem", "size": 201}, 422, "size"),
            ("providers", {"need": "45", "postcode": "2011XYZ"}, 422, "PC4 (2011) of een PC6 (2011AB)"),
            ("providers", {"need": "45", "postcode": "2011", "km": -1}, 422, "km"),
            ("providers", {"need": "zwemles", "postcode": "2011"}, 404, "niet bekend"),
            ("providers", {"need": "-", "postcode": "2011"}, 422, "geen code van de taxonomie"),  # was a 500
        ]:
            r = client.get(f"/api/v1/search/{path}", params=params)
            assert r.status_code == status, (path, params, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            assert words in r.json()["detail"], (path, params, r.json())
        r = client.get("/api/v1/search/providers", params={"need": "45", "postcode": "2011XYZ"})
        assert r.headers["cache-control"] == "no-store"  # the question is not kept anywhere


# -- the mismatch report, a section at a time --------------------------------------------------


SECTIONS = ("swvs", "swvs_in_several_jeugdregios", "split_gemeenten", "pupil_flows_per_gemeente")


def test_mismatch_sections_page_through_the_whole_report(demo: GraphStore) -> None:
    report = dataclasses.asdict(mismatch(demo))
    with TestClient(create_app(demo)) as client:
        assert client.get("/api/v1/mismatch").json() == report  # the old shape, unchanged
        for section in SECTIONS:
            first = client.get(f"/api/v1/mismatch/{section}", params={"size": 3}).json()
            assert first["total"] == len(report[section]) and first["size"] == 3
            pages = [
                client.get(f"/api/v1/mismatch/{section}", params={"page": p, "size": 3}).json()["items"]
                for p in range(1, first["total"] // 3 + 2)
            ]
            assert [row for page in pages for row in page] == report[section], section
        assert len(report["swvs"]) > 3  # the paging above really paged


def test_mismatch_sections_sort_and_refuse_unknown_keys(demo: GraphStore) -> None:
    rows = dataclasses.asdict(mismatch(demo))["swvs"]
    with TestClient(create_app(demo)) as client:
        r = client.get("/api/v1/mismatch/swvs", params={"sort": "-buiten_swv_max", "size": 200})
        got = [row["buiten_swv_max"] for row in r.json()["items"]]
        assert got == sorted((row["buiten_swv_max"] for row in rows), reverse=True) and got[0] > 0
        r = client.get("/api/v1/mismatch/swvs", params={"sort": "jeugdregios", "size": 200})
        assert [len(row["jeugdregios"]) for row in r.json()["items"]] == sorted(
            len(x["jeugdregios"]) for x in rows
        )
        r = client.get("/api/v1/mismatch/split_gemeenten", params={"sort": "gemeente"})
        names = [row["gemeente"] for row in r.json()["items"]]
        assert names == sorted(names)
        bad = client.get("/api/v1/mismatch/swvs", params={"sort": "nope"})
        assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
        assert "buiten_swv_max" in bad.json()["detail"]  # says which keys there are
        assert client.get("/api/v1/mismatch/nothing").status_code == 404


# -- the national data -------------------------------------------


@needs_shared
def test_national_search_is_right(tmp_path: Path) -> None:
    """Speed is measured in bench/queries.py, not here."""
    store = EmbeddedStore(tmp_path / "national.json")
    run_import(store, all_files())
    schools = store.nodes("School")
    assert len(schools) > 8000
    marias = {n.id for n in schools if normalise(str(n.props.get("naam", ""))) == "mariaschool"}
    assert len(marias) >= 3 and marias <= set(ids_of(search_schools(store, "Mariascool", size=200)))
    haarlem = {n.id for n in schools if n.props.get("plaats") == "Haarlem"}
    assert len(haarlem) > 40 and haarlem <= set(ids_of(search_schools(store, "Haarlm", size=200)))
    # the whole official name puts its school first, though other schools have it as an alias
    count = Counter(normalise(str(n.props.get("naam") or "")) for n in schools)
    unique = sorted(
        (n for n in schools if n.props.get("naam") and count[normalise(str(n.props["naam"]))] == 1),
        key=lambda n: n.id,
    )
    sample = random.Random(20250601).sample(unique, 300)
    first = [ids_of(search_schools(store, str(n.props["naam"]), size=1)) == [n.id] for n in sample]
    assert sum(first) >= 0.99 * len(sample), [n.id for n, ok in zip(sample, first, strict=True) if not ok]
    # ... every time when another school has that name as an alias (141 schools; 76 before the
    # official name counted more, when the tie went to the lower id)
    alias_of: dict[str, set[str]] = defaultdict(set)
    for n in schools:
        aliases = n.props.get("namen")
        for alias in aliases if isinstance(aliases, list) else []:
            alias_of[normalise(str(alias))].add(n.id)
    shadowed = [n for n in unique if alias_of[normalise(str(n.props["naam"]))] - {n.id}]
    assert len(shadowed) > 100
    wrong = [n.id for n in shadowed if ids_of(search_schools(store, str(n.props["naam"]), size=1)) != [n.id]]
    assert wrong == []
    # gemeenten by their everyday names, and none of the past above one of today
    for typed, code in [
        ("Den Haag", "GM0518"),
        ("Den Bosch", "GM0796"),
        ("Bergen NH", "GM0373"),
        ("Bergen L", "GM0893"),
    ]:
        assert ids_of(search_gemeenten(store, typed))[:1] == [code], typed
    for typed in ("Haaren", "Littenseradiel", "Bergen", "GM0788", "GM0140", "Groningen"):
        today = [h.naam is not None and h.opgeheven is None for h in search_gemeenten(store, typed).items]
        assert today == sorted(today, reverse=True), typed
