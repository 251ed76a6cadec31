"""Open Referral HSDS 3: export and import give the same graph (JSON and data package), a
foreign HSDS file in the nested form maps onto the graph, and bad input is reported with
file, line and field. All providers are fictional."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import pytest

from graph.records import QUIET_KEYS, NodeKey, PropValue
from graph.store import GraphStore
from importers import hsds
from importers.report import ImportFailed, Problem
from importers.run import run_import

from .utils import AANBOD, BEHOEFTEN, CONTRACTEN, GEBIED, write

#: What the spreadsheets cannot say: a contact, service areas, a taxonomy parent, coordinates.
EXTRA = """{"format": "sociale-kaart/1", "source": "test", "source_date": "2025"}
{"kind": "Behoefte", "id": "eigen-leren", "stelsel": "eigen", "code": "leren", "naam": "Leren (test)"}
{"rel": "VALT_ONDER", "van": "Behoefte:onderwijs-dyslexie", "naar": "Behoefte:eigen-leren"}
{"kind": "Zorgaanbieder", "id": "fictief-kennemer", "naam": "Kennemer Dyslexiezorg (fictief)", \
"plaats": "Haarlem", "fictief": true}
{"kind": "Aanbod", "id": "fictief-kennemer-dyslexie", "naam": "Dyslexiebehandeling (fictief)", \
"soort": "dyslexiezorg", "doelgroep": "kinderen 7-12 (fictief)", "beschrijving": "EED-zorg (fictief)", \
"website": "https://kennemer.example/dyslexie"}
{"kind": "Locatie", "id": "fictief-spaarne-2011ab", "lat": 52.3814309, "lon": 4.6363717}
{"kind": "Contact", "id": "fictief-spaarne-aanmelden", "rol": "aanmelden (fictief)", \
"email": "aanmelden@spaarne.example", "telefoon": "023 000 0000", "website": "https://spaarne.example/aanmelden"}
{"rel": "HEEFT_CONTACT", "van": "Zorgaanbieder:fictief-spaarne", "naar": "Contact:fictief-spaarne-aanmelden"}
{"rel": "BEDIENT", "van": "Aanbod:fictief-spaarne-ambulant", "naar": "Gemeente:GM0392"}
{"rel": "BEDIENT", "van": "Aanbod:fictief-spaarne-ambulant", "naar": "Regio:JZ11"}
"""

KINDS = ("Zorgaanbieder", "Aanbod", "Locatie", "Behoefte", "Contact")
RELS = ("BIEDT", "HEEFT_LOCATIE", "OP_LOCATIE", "VOOR_BEHOEFTE", "BEDIENT", "VALT_ONDER", "HEEFT_CONTACT")

Graph = tuple[dict[str, dict[str, PropValue]], dict[str, dict[str, PropValue]]]


def graph_of(store: GraphStore) -> Graph:
    """The part of the graph HSDS carries, without provenance (which names the import and the
    source that stated it)."""
    nodes = {
        str(n.key): {k: v for k, v in n.props.items() if k not in QUIET_KEYS}
        for kind in KINDS
        for n in store.nodes(kind)
    }
    edges = {
        f"{e.src} {rel} {e.dst}": {k: v for k, v in e.props.items() if k not in QUIET_KEYS}
        for rel in RELS
        for e in store.edges(rel=rel)
        if e.src.kind in KINDS  # contracts have no HSDS object
    }
    return nodes, edges


def load_sample(store: GraphStore, tmp_path: Path) -> Path:
    """The zorg spreadsheets plus EXTRA; returns the file of gemeenten and regions."""
    gebied = write(tmp_path, "gebied.jsonl", GEBIED)
    paths = [
        BEHOEFTEN,
        gebied,
        write(tmp_path, "aanbod.csv", AANBOD),
        write(tmp_path, "contracten.csv", CONTRACTEN),
        write(tmp_path, "extra.jsonl", EXTRA),
    ]
    report = run_import(store, paths)
    assert not report.problems, report.text()
    return gebied


@pytest.mark.parametrize("form", ["json", "datapackage"])
def test_export_and_import_give_the_same_graph(store: GraphStore, tmp_path: Path, form: str) -> None:
    gebied = load_sample(store, tmp_path)
    before = graph_of(store)
    assert len(before[0]) == 2 + 2 + 2 + 24 + 1 and "Contact:fictief-spaarne-aanmelden" in before[0]

    if form == "json":
        target = tmp_path / "kaart.hsds.json"
        counts = hsds.export_hsds(store, target)
    else:
        hsds.export_datapackage(store, tmp_path / "pakket")
        target = tmp_path / "pakket" / "datapackage.json"
        counts = {}
    assert hsds.sniff(target)

    # importing it again into the store it came from changes nothing
    again = run_import(store, [target])
    assert not again.changed and not again.problems, again.text()

    store.clear()
    report = run_import(store, [gebied, target])
    assert not report.problems, report.text()
    assert report.files[1].format == hsds.NAME  # the files asked for, in the order they are read
    assert graph_of(store) == before
    if counts:
        assert counts["service"] == 2 and counts["service_area"] == 2 and counts["contact"] == 1


def test_export_is_stable(store: GraphStore, tmp_path: Path) -> None:
    load_sample(store, tmp_path)
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    hsds.export_hsds(store, first)
    hsds.export_hsds(store, second)
    assert first.read_text() == second.read_text()
    document = json.loads(first.read_text())
    [service] = [s for s in document["services"] if s["id"] == "fictief-spaarne-ambulant"]
    assert service["organization_id"] == "fictief-spaarne"  # our node ids are the HSDS ids
    assert service["wait_time"].startswith("6,5 weken")
    assert {a["taxonomy_term_id"] for a in service["attributes"]} == {"ijw-45", "onderwijs-dyslexie"}
    [area] = [a for a in document["service_areas"] if a["extent"] == "GM0392"]
    assert area["name"] == "Haarlem" and area["sk_gebied"] == "Gemeente:GM0392"


def foreign() -> dict[str, Any]:
    """A service in the nested form HSDS 3 compiles, as another directory might publish it."""
    return {
        "services": [
            {
                "id": "svc-1",
                "name": "Opvoedondersteuning (fictief)",
                "status": "active",
                "description": "Hulp bij opvoedvragen (fictief).",
                "wait_time": "ongeveer 4 weken",
                "organization": {
                    "id": "org-1",
                    "name": "Stichting Voorbeeld (fictief)",
                    "description": "",
                    "website": "https://voorbeeld.example",
                    "organization_identifiers": [
                        {
                            "id": "oi-1",
                            "identifier_scheme": "NL-KVK",
                            "identifier_type": "company",
                            "identifier": "87654321",
                        }
                    ],
                },
                "service_at_locations": [
                    {
                        "id": "sal-1",
                        "location": {
                            "id": "loc-1",
                            "location_type": "physical",
                            "name": "Buurthuis (fictief)",
                            "latitude": 52.38,
                            "longitude": 4.63,
                            "addresses": [
                                {
                                    "id": "adr-1",
                                    "address_1": "Voorbeeldstraat 1",
                                    "city": "Haarlem",
                                    "state_province": "Noord-Holland",
                                    "postal_code": "2011 AB",
                                    "country": "NL",
                                    "address_type": "physical",
                                }
                            ],
                        },
                        "contacts": [
                            {
                                "id": "c-1",
                                "name": "Ann Persona",
                                "title": "Aanmeldpunt",
                                "email": "aanmelden@voorbeeld.example",
                                "phones": [{"id": "ph-1", "number": "023 000 0001"}],
                            }
                        ],
                    }
                ],
                "service_areas": [
                    {"id": "sa-1", "name": "Gemeente Haarlem", "extent": "GM0392", "extent_type": "text"},
                    {"id": "sa-2", "name": "Heel Kennemerland"},
                ],
                "attributes": [
                    {
                        "id": "at-1",
                        "link_type": "category",
                        "taxonomy_term": {
                            "id": "3f7b145d-84af-42d7-8fae-eaca714b02b2",
                            "code": "OPV",
                            "name": "Opvoedondersteuning",
                            "description": "",
                            "taxonomy": "Voorbeeldtaxonomie",
                        },
                    },
                    {"id": "at-2", "link_type": "category", "taxonomy_term_id": "ijw-45"},
                ],
                "contacts": [{"id": "c-2", "name": "Bob Persona", "email": "bob@voorbeeld.example"}],
            },
            {
                "id": "svc-2",
                "name": "Oud aanbod (fictief)",
                "status": "defunct",
                "organization_id": "org-1",
                "attributes": [{"id": "at-3", "taxonomy_term_id": "ijw-45"}],
            },
        ]
    }


def write_json(tmp_path: Path, document: dict[str, Any], name: str = "hsds.json") -> Path:
    return write(tmp_path, name, json.dumps(document, indent=2))


def test_nested_foreign_file(store: GraphStore, tmp_path: Path) -> None:
    path = write_json(tmp_path, foreign())
    report = run_import(store, [BEHOEFTEN, write(tmp_path, "gebied.jsonl", GEBIED), path])
    [f] = [f for f in report.files if f.format == hsds.NAME]
    assert not [p for p in f.problems if p.fatal]
    notes = {p.field: p for p in f.problems}
    assert set(notes) == {
        "service.wait_time",  # free text: not a dated number of weeks
        "service.status",  # svc-2 is defunct
        "service_area.extent",  # 'Heel Kennemerland' names no gemeente
        "contact.title",  # c-2 has a name but no function
        "contact.name",  # names are never stored
    }
    assert notes["service.status"].value == "defunct" and store.node(NodeKey("Aanbod", "svc-2")) is None

    org = store.node(NodeKey("Zorgaanbieder", "org-1"))
    assert org is not None and org.props["kvk"] == "87654321"
    assert [str(e.dst) for e in store.edges(rel="BIEDT", src=org.key)] == ["Aanbod:svc-1"]
    loc = store.node(NodeKey("Locatie", "loc-1"))
    assert loc is not None
    assert (loc.props["postcode"], loc.props["straat"], loc.props["lat"]) == (
        "2011AB",
        "Voorbeeldstraat 1",
        52.38,
    )
    svc = NodeKey("Aanbod", "svc-1")
    assert [str(e.dst) for e in store.edges(rel="OP_LOCATIE", src=svc)] == ["Locatie:loc-1"]
    assert [str(e.dst) for e in store.edges(rel="BEDIENT", src=svc)] == ["Gemeente:GM0392"]
    # a term of a foreign taxonomy becomes one of our own ('eigen'); a known need id is kept
    assert {str(e.dst) for e in store.edges(rel="VOOR_BEHOEFTE", src=svc)} == {
        "Behoefte:eigen-opv",
        "Behoefte:ijw-45",
    }
    term = store.node(NodeKey("Behoefte", "eigen-opv"))
    assert term is not None and (term.props["stelsel"], term.props["naam"]) == (
        "eigen",
        "Opvoedondersteuning",
    )
    [contact] = store.edges(rel="HEEFT_CONTACT", src=svc)
    node = store.node(contact.dst)
    assert node is not None and contact.dst.id == "c-1"
    assert (node.props["rol"], node.props["telefoon"]) == ("Aanmeldpunt", "023 000 0001")
    assert "Ann" not in json.dumps(dict(node.props)) and store.node(NodeKey("Contact", "c-2")) is None


def test_problems_name_the_line_of_the_object(store: GraphStore, tmp_path: Path) -> None:
    document = foreign()
    address = document["services"][0]["service_at_locations"][0]["location"]["addresses"][0]
    address["postal_code"] = "2011 SS"
    path = write_json(tmp_path, document)
    lines = path.read_text().splitlines()
    opening = next(i for i, line in enumerate(lines, start=1) if '"id": "adr-1"' in line) - 1
    problems = fatal(store, [BEHOEFTEN, write(tmp_path, "gebied.jsonl", GEBIED), path])
    assert [(p.file, p.line, p.field, p.value) for p in problems] == [
        (str(path), opening, "address.postal_code", "2011 SS")
    ]


def fatal(store: GraphStore, paths: list[Path]) -> list[Problem]:
    with pytest.raises(ImportFailed) as err:
        run_import(store, paths)
    return [p for p in err.value.report.problems if p.fatal]


def test_bad_json(store: GraphStore, tmp_path: Path) -> None:
    path = write(tmp_path, "hsds.json", '{"services": [\n  {"id": }\n]}\n')
    [problem] = fatal(store, [path])
    assert problem.line == 2 and "geen geldige JSON" in problem.reason


def test_unknown_terms_and_needs(store: GraphStore, tmp_path: Path) -> None:
    document = foreign()
    attributes = document["services"][0]["attributes"]
    attributes[0] = {"id": "at-1", "taxonomy_term_id": "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2"}
    path = write_json(tmp_path, document)
    [problem] = fatal(store, [BEHOEFTEN, write(tmp_path, "gebied.jsonl", GEBIED), path])
    assert (problem.field, problem.value) == (
        "attribute.taxonomy_term_id",
        "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2",
    )
    assert "niet in het bestand" in problem.reason
    # a need id of our own taxonomy is looked up in the store when the batch is applied
    attributes[0] = {"id": "at-1", "taxonomy_term_id": "ijw-99"}
    path = write_json(tmp_path, document)
    [problem] = fatal(store, [BEHOEFTEN, write(tmp_path, "gebied.jsonl", GEBIED), path])
    assert (problem.field, problem.value) == ("naar", "Behoefte:ijw-99")
    assert "deze knoop staat niet" in problem.reason


def test_waiting_time_rules_and_bad_ids(store: GraphStore, tmp_path: Path) -> None:
    document = foreign()
    service = document["services"][0]
    service.update(sk_wachttijd_weken="4,5", sk_wachttijd_datum="2025-02-30")
    service["organization"]["id"] = "org 1"
    path = write_json(tmp_path, document)
    problems = fatal(store, [BEHOEFTEN, write(tmp_path, "gebied.jsonl", GEBIED), path])
    assert {(p.field, p.value) for p in problems} == {
        ("service.sk_wachttijd_datum", "2025-02-30"),
        ("service.sk_wachttijd_bron", ""),
        ("organization.id", "org 1"),
    }


def test_datapackage_problems_name_the_csv_file_and_line(store: GraphStore, tmp_path: Path) -> None:
    load_sample(store, tmp_path)
    folder = tmp_path / "pakket"
    hsds.export_datapackage(store, folder)
    services = folder / "services.csv"
    with open(services, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    bad = copy.deepcopy(rows[0]) | {
        "id": "fictief-nieuw",
        "sk_wachttijd_weken": "3",
        "sk_wachttijd_datum": "",
    }
    bad["sk_wachttijd_bron"] = "test"
    with open(services, "a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=list(rows[0])).writerow(bad)
    store.clear()
    gebied = write(tmp_path, "gebied.jsonl", GEBIED)
    [problem] = fatal(store, [gebied, folder / "datapackage.json"])
    assert (problem.file, problem.line, problem.field) == (str(services), 4, "service.sk_wachttijd_datum")


def test_datapackage_refuses_paths_outside_its_folder(tmp_path: Path) -> None:
    descriptor = {"resources": [{"name": "organization", "path": "../organizations.csv"}]}
    (tmp_path / "pakket").mkdir()
    path = write(tmp_path / "pakket", "datapackage.json", json.dumps(descriptor))
    assert hsds.sniff(path)
    parsed = hsds.parse(path, "test")
    [problem] = parsed.report.problems
    assert problem.value == "../organizations.csv" and "in de map van het pakket" in problem.reason


def test_hsds2_folder_without_descriptor(tmp_path: Path) -> None:
    """HSDS 2 data packages are still published: other file and field names, same meaning."""
    tables = {
        "organizations.csv": "id,name,description,url\norg-1,Stichting Twee (fictief),,https://twee.example\n",
        "services.csv": "id,organization_id,name,status\nsvc-1,org-1,Huiswerkbegeleiding (fictief),active\n",
        "locations.csv": "id,organization_id,name,latitude,longitude\n"
        'loc-1,org-1,Kantoor (fictief),"52,38",4.63\n',  # a Dutch decimal comma
        "physical_addresses.csv": "id,location_id,address_1,city,postal_code,country\n"
        "adr-1,loc-1,Voorbeeldweg 2,Haarlem,2011AB,NL\n",
        "services_at_location.csv": "id,service_id,location_id\nsal-1,svc-1,loc-1\n",
        "taxonomy_terms.csv": "id,term,taxonomy\nonderwijs-dyslexie,Dyslexie,onderwijs\n",
        "service_attributes.csv": "id,service_id,taxonomy_term_id\nsa-1,svc-1,onderwijs-dyslexie\n",
        "other_attributes.csv": "id,link_id,link_type,taxonomy_term_id\n"
        "oa-1,org-1,organization,onderwijs-dyslexie\n",
        "programs.csv": "id,organization_id,name\np-1,org-1,Programma (fictief)\n",
    }
    for name, text in tables.items():
        write(tmp_path, name, text)
    parsed = hsds.parse(tmp_path, "test")
    notes = parsed.report.problems
    assert all(not p.fatal for p in notes) and {p.field for p in notes} == {
        "resources",
        "attribute.link_entity",
    }
    nodes = {str(n.key): dict(n.props) for _, n in parsed.nodes}
    assert nodes["Zorgaanbieder:org-1"]["website"] == "https://twee.example"
    assert nodes["Locatie:loc-1"]["lat"] == 52.38 and nodes["Locatie:loc-1"]["postcode"] == "2011AB"
    assert nodes["Behoefte:onderwijs-dyslexie"]["naam"] == "Dyslexie"
    edges = {f"{e.src} {e.rel} {e.dst}" for _, e in parsed.edges}
    assert edges == {
        "Zorgaanbieder:org-1 BIEDT Aanbod:svc-1",
        "Zorgaanbieder:org-1 HEEFT_LOCATIE Locatie:loc-1",
        "Aanbod:svc-1 OP_LOCATIE Locatie:loc-1",
        "Aanbod:svc-1 VOOR_BEHOEFTE Behoefte:onderwijs-dyslexie",
    }


def test_sniff(tmp_path: Path) -> None:
    assert hsds.sniff(write_json(tmp_path, foreign()))
    assert hsds.sniff(write(tmp_path, "flat.json", '{"organizations": [], "services": []}'))
    assert not hsds.sniff(write(tmp_path, "other.json", '{"type": "FeatureCollection", "features": []}'))
    assert not hsds.sniff(write(tmp_path, "data.jsonl", GEBIED))
    assert not hsds.sniff(write(tmp_path, "a.csv", AANBOD))
