"""Who serves this pupil: the rules on the demo region, parity between backends, the HTTP
contract, and a sample of real (home, school) pairs checked against DUO and the regulation."""

from __future__ import annotations

import csv
import dataclasses
import glob
import logging
from datetime import date

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from api.app import create_app
from api.cli import demo_files
from graph.queries.answer import Answer
from graph.queries.errors import QuestionError
from graph.queries.who_serves import who_serves
from graph.store import GraphStore
from importers.run import run_import

from .utils import REPO, SHARED_DATA, all_files, needs_shared


@pytest.fixture
def demo(store: GraphStore) -> GraphStore:
    run_import(store, demo_files())
    return store


def roles(answer) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {r.role: r.id for r in answer.roles}


def test_pupil_living_near_the_school(demo: GraphStore) -> None:
    answer = who_serves(demo, "15UJ00", "2011AB", "45", date(2025, 10, 1))
    got = roles(answer)
    assert got["zorgplicht"] == "41853" and got["swv"] == "PO2704" and got["gemeente_jeugdhulp"] == "GM0392"
    assert got["toegang"] == "demo-haarlem-centrum" and got["jeugdregio"] == "JZ11" and got["ggd"] == "GG3109"
    assert not [w for w in answer.warnings if w.startswith("Grensverkeer")]
    assert [p.id for p in answer.providers][:1] == ["demo-spaarnezorg"]
    swv = next(r for r in answer.roles if r.role == "swv")
    assert [s.rel for s in swv.path if s.rel] == ["LIGT_IN", "IN_WERKGEBIED"]
    assert all(s.source for s in swv.path)  # every fact used names its source


def test_grensverkeer_home_in_another_gemeente_swv_and_jeugdregio(demo: GraphStore) -> None:
    answer = who_serves(demo, "15UJ00", "1971", "45", date(2025, 10, 1))
    got = roles(answer)
    assert got["swv"] == "PO2704"  # the school's SWV: the pupil is at a regular school
    assert got["gemeente_jeugdhulp"] == "GM0453" and got["jeugdregio"] == "JZ10"
    text = " ".join(answer.warnings)
    # every party named, with its code beside it
    assert "de school ligt in Haarlem (GM0392), het kind woont in Velsen (GM0453)" in text
    assert "PO 27-11" in text and "PO2711" not in text and "(JZ10)" in text
    assert {p.opdrachtgever for p in answer.providers} == {"JZ10"}  # Haarlem's contracts do not apply


def test_contracts_count_on_the_reference_date(demo: GraphStore) -> None:
    before = {p.id for p in who_serves(demo, "15UJ00", "2011", "45", date(2023, 6, 1)).providers}
    now = {p.id for p in who_serves(demo, "15UJ00", "2011", "45", date(2025, 10, 1)).providers}
    assert "demo-noorderlicht" in before and "demo-noorderlicht" not in now


def test_not_at_a_regular_school_uses_the_home_swv(demo: GraphStore) -> None:
    special = who_serves(demo, "01JO17", "1971", "45")  # SO school in Haarlem, pupil in Velsen
    assert not special.enrolled_regular and roles(special)["swv"] == "PO2711"
    thuiszitter = who_serves(demo, "15UJ00", "1971", "45", enrolled_regular=False)
    assert roles(thuiszitter)["swv"] == "PO2711"


def test_unknown_school_and_bad_postcode(demo: GraphStore) -> None:
    with pytest.raises(QuestionError) as err:
        who_serves(demo, "15UJ01", "2011", "45")
    assert err.value.status == 404 and "15UJ00" in err.value.suggestions
    with pytest.raises(QuestionError) as err:
        who_serves(demo, "15UJ00", "2011SS", "45")
    assert err.value.status == 422 and err.value.field == "postcode"


def test_both_backends_give_the_same_answer(embedded_store: GraphStore, neo4j_store: GraphStore) -> None:
    for store in (embedded_store, neo4j_store):
        run_import(store, demo_files())
    for question in (("15UJ00", "2011AB", "45"), ("15UJ00", "1971", "45"), ("01JO17", "2041", "dyslexie")):
        a = who_serves(embedded_store, *question, date(2025, 10, 1))
        b = who_serves(neo4j_store, *question, date(2025, 10, 1))
        assert dataclasses.asdict(a) == dataclasses.asdict(b), question


def test_http_contract(demo: GraphStore, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with TestClient(create_app(demo)) as client:
        ok = client.get("/api/v1/who-serves", params={"school": "15UJ00", "postcode": "2011AB", "need": "45"})
        missing = client.get(
            "/api/v1/who-serves", params={"school": "15UJ01", "postcode": "2011AB", "need": "45"}
        )
        bad = client.get("/api/v1/who-serves", params={"school": "15UJ00", "postcode": "20", "need": "45"})
    assert ok.status_code == 200 and ok.headers["cache-control"] == "no-store"
    assert {r["role"] for r in ok.json()["roles"]} >= {"zorgplicht", "swv", "gemeente_jeugdhulp", "toegang"}
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert "bedoelt u 15UJ00?" in [e["reason"] for e in missing.json()["errors"]]
    assert bad.status_code == 422 and "PC6" in bad.json()["detail"]
    assert missing.headers["cache-control"] == "no-store"
    # the server's own logs (the test client logs its URLs itself: that is the caller's side)
    logged = " ".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "/api/v1/who-serves" in logged and "2011AB" not in logged  # the question is never logged


def test_the_answer_is_written_as_its_response_model_says(demo: GraphStore) -> None:
    """The endpoint writes its answer with orjson (api.params.dataclass_response): the bytes
    must be those of the response model's own serialisation, for every kind of answer."""
    schools = sorted(n.id for n in demo.nodes("School"))[:8]
    homes = [*sorted(n.id for n in demo.nodes("PC4"))[:4], "2011AB"]
    asked = [(s, h, need) for s in schools for h in homes for need in ("45", "dyslexie")]
    by_schema = TypeAdapter(Answer)
    compared = 0
    with TestClient(create_app(demo)) as client:
        for school, home, need in asked:
            params = {"school": school, "postcode": home, "need": need, "date": "2025-10-01"}
            got = client.get("/api/v1/who-serves", params=params)
            if got.status_code != 200:
                continue
            expected = by_schema.dump_json(who_serves(demo, school, home, need, date(2025, 10, 1)))
            assert got.content == expected, params
            compared += 1
    assert compared >= len(asked) // 2


@needs_shared
def test_real_pairs_from_duo_against_the_source_tables(store: GraphStore) -> None:
    """Every 25th (home PC4, school) pair of the Kennemerland pupil files, for regular PO
    schools: SWV from the regulation's PC4 table at the school's postcode, gemeente from DUO's
    own pupil gemeente, grensverkeer when DUO's school and pupil gemeenten differ."""
    reference = sorted((REPO / "importers" / "reference").glob("*.jsonl"))  # herindelingen since 2017
    run_import(store, [*all_files(), *reference])
    with open(SHARED_DATA / "regio-indeling-swv-2015-pc4.csv", newline="") as fh:
        swv_of = {r["pc4"]: r["po_swv"] for r in csv.DictReader(fh)}
    with open(SHARED_DATA / "cbs-gemeenten-2025.csv", encoding="utf-8-sig", newline="") as fh:
        code_of = {r["gm_naam"]: r["gm_code"] for r in csv.DictReader(fh)}
    with open(SHARED_DATA / "cbs-postcodes-2021.csv", encoding="utf-8-sig", newline="") as fh:
        cbs_names = {r["postcode"]: r["gemeente"] for r in csv.DictReader(fh)}
    with open(SHARED_DATA / "pc4-gemeente-2024.csv", newline="") as fh:
        cbs_names.update({r["pc4"]: r["gm_code"] for r in csv.DictReader(fh)})
    rows = []
    for name in sorted(
        glob.glob(str(SHARED_DATA / "duo-leerlingen-po-postcode-2024-kennemerland" / "*.csv"))
    ):
        with open(name, encoding="utf-8-sig", newline="") as fh:
            rows += [r for r in csv.DictReader(fh, delimiter=";") if r["SOORT_PO"] == "Bo"]
    # a PC4 DUO places in one gemeente only (some PC4s straddle a border)
    gemeenten_of: dict[str, set[str]] = {}
    for r in rows:
        gemeenten_of.setdefault(r["POSTCODE_LEERLING"], set()).add(r["GEMEENTENAAM_LEERLING"])
    sample = [
        r
        for r in rows
        if len(gemeenten_of[r["POSTCODE_LEERLING"]]) == 1 and r["GEMEENTENAAM_LEERLING"] in code_of
    ][::25]
    assert len(sample) > 50
    checked = missing = 0
    for r in sample:
        school = r["INSTELLINGSCODE"] + r["VESTIGINGSCODE"]
        answer = who_serves(store, school, r["POSTCODE_LEERLING"], "45")
        got = roles(answer)
        assert got["swv"] == swv_of[r["POSTCODE_VESTIGING"][:4]], (school, r["POSTCODE_LEERLING"])
        if not cbs_names.get(r["POSTCODE_LEERLING"]):
            # no table names a gemeente for this PC4: the answer must say so, not guess
            assert got["gemeente_jeugdhulp"] is None
            assert any("in geen bekende gemeente" in w for w in answer.warnings)
            missing += 1
            continue
        assert got["gemeente_jeugdhulp"] == code_of[r["GEMEENTENAAM_LEERLING"]], (
            school,
            r["POSTCODE_LEERLING"],
        )
        crossing = r["GEMEENTENAAM"] != r["GEMEENTENAAM_LEERLING"]
        warned = any(w.startswith("Grensverkeer: de school ligt in") for w in answer.warnings)
        assert warned == crossing, (school, r["POSTCODE_LEERLING"], answer.warnings)
        checked += 1
    assert checked + missing == len(sample) and missing < len(sample) / 20
