from datetime import date

import pytest
from pydantic import ValidationError

from graph.model import (
    ENTITY_TYPES,
    Aanbod,
    Contract,
    Gemeente,
    Provenance,
    Regio,
    Relatie,
    School,
    Swv,
    entity,
)
from graph.records import NodeKey, SchemaError
from graph.schema import NODE_KINDS, RELATIONS

PROV = Provenance(source="test", source_date="2025-01-01", import_id="t1")


def test_every_schema_kind_has_a_model_and_back() -> None:
    assert set(ENTITY_TYPES) == set(NODE_KINDS)
    for rel in RELATIONS.values():
        for a, b in rel.endpoints:
            assert a in NODE_KINDS and b in NODE_KINDS


def test_record_round_trip_keeps_provenance_and_dates() -> None:
    g = Gemeente(id="393", naam="Haarlemmerliede en Spaarnwoude", opgeheven=date(2019, 1, 1), provenance=PROV)
    rec = g.to_record()
    assert rec.key == NodeKey("Gemeente", "GM0393")
    assert rec.props["opgeheven"] == "2019-01-01"
    assert rec.props["source"] == "test" and rec.props["import_id"] == "t1"
    back = Gemeente.from_record(rec)
    assert back == g


def test_provenance_is_required() -> None:
    with pytest.raises(ValidationError, match="provenance"):
        Gemeente(id="GM0392", naam="Haarlem")  # type: ignore[call-arg]


def test_swv_sector_follows_code() -> None:
    assert Swv(id="VO 27-05", provenance=PROV).sector == "VO"
    with pytest.raises(ValidationError, match="does not match"):
        Swv(id="PO2704", sector="VO", provenance=PROV)


def test_regio_code_must_fit_its_soort() -> None:
    assert Regio(id="jz11", soort="jeugdregio", provenance=PROV).id == "JZ11"
    with pytest.raises(ValidationError, match="begint met JZ"):
        Regio(id="GG3109", soort="jeugdregio", provenance=PROV)
    # a soort nobody listed yet is accepted: region types are data
    assert Regio(id="WG07", soort="wgr", provenance=PROV).soort == "wgr"


def test_school_kind_and_regular() -> None:
    s = School(id="15UJ00", naam="OBS De Kring", soort="BAO", postcode="2011 kz", provenance=PROV)
    assert s.brin == "15UJ" and s.regulier and s.postcode == "2011KZ"
    assert not School(id="01JO17", naam="x", soort="SO", provenance=PROV).regulier


def test_waiting_time_needs_date_and_source() -> None:
    with pytest.raises(ValidationError, match="wachttijd_datum"):
        Aanbod(id="a1", naam="x", wachttijd_weken=4, provenance=PROV)
    ok = Aanbod(
        id="a1",
        naam="x",
        wachttijd_weken=4,
        wachttijd_datum=date(2026, 8, 1),
        wachttijd_bron="site",
        provenance=PROV,
    )
    assert ok.to_record().props["wachttijd_datum"] == "2026-08-01"


def test_contract_period_is_ordered() -> None:
    with pytest.raises(ValidationError, match="before"):
        Contract(id="c1", geldig_van=date(2026, 1, 1), geldig_tot=date(2025, 1, 1), provenance=PROV)


def test_entity_by_kind_and_unknown_kind() -> None:
    assert entity("PC4", {"id": "2011", "provenance": PROV}).key == NodeKey("PC4", "2011")
    with pytest.raises(ValueError, match="onbekende soort"):
        entity("Leerling", {"id": "x", "provenance": PROV})


def test_relation_endpoints_are_checked() -> None:
    ok = Relatie(
        rel="LIGT_IN", van=NodeKey("PC4", "2011"), naar=NodeKey("Gemeente", "GM0392"), provenance=PROV
    )
    assert ok.to_record().props["source"] == "test"
    with pytest.raises(SchemaError, match="cannot go from Swv to Gemeente"):
        Relatie(
            rel="LIGT_IN", van=NodeKey("Swv", "PO2704"), naar=NodeKey("Gemeente", "GM0392"), provenance=PROV
        ).to_record()
    with pytest.raises(SchemaError, match="unknown relation"):
        Relatie(
            rel="KENT", van=NodeKey("PC4", "2011"), naar=NodeKey("Gemeente", "GM0392"), provenance=PROV
        ).to_record()
