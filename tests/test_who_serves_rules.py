"""The responsibility rules of docs/wie-helpt.md on a small made-up map, on both backends: each test
builds exactly the situation a rule is about, so that it fails when the rule is broken.

Codes are in the real formats; every name is made up."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph.queries.errors import QuestionError
from graph.queries.who_serves import who_serves
from graph.store import GraphStore

from .utils import build_graph as build

DAY = date(2026, 1, 1)


def base() -> tuple[list[tuple[str, str, dict[str, Any]]], list[tuple]]:
    """Two gemeenten (GM0001 in JZ01, GM0002 in JZ02), one PC4 each, one PO SWV each."""
    nodes = [
        ("Gemeente", "GM0001", {"naam": "Eerstedorp"}),
        ("Gemeente", "GM0002", {"naam": "Tweedestad"}),
        ("Regio", "JZ01", {"soort": "jeugdregio"}),
        ("Regio", "JZ02", {"soort": "jeugdregio"}),
        ("PC4", "1001", {}),
        ("PC4", "2002", {}),
        ("Swv", "PO0001", {}),
        ("Swv", "PO0002", {}),
        ("Swv", "VO0002", {}),
        ("Behoefte", "ijw-45", {"naam": "Jeugdhulp ambulant"}),
    ]
    edges = [
        ("PC4:1001", "LIGT_IN", "Gemeente:GM0001"),
        ("PC4:2002", "LIGT_IN", "Gemeente:GM0002"),
        ("Gemeente:GM0001", "HOORT_BIJ", "Regio:JZ01"),
        ("Gemeente:GM0002", "HOORT_BIJ", "Regio:JZ02"),
        ("PC4:1001", "IN_WERKGEBIED", "Swv:PO0001"),
        ("PC4:2002", "IN_WERKGEBIED", "Swv:PO0002"),
        ("PC4:2002", "IN_WERKGEBIED", "Swv:VO0002"),
    ]
    return nodes, edges


def school(ident: str, soort: str, pc4: str, gm: str) -> tuple[list, list]:
    return (
        [("School", ident, {"naam": f"School {ident}", "soort": soort})],
        [(f"School:{ident}", "LIGT_IN", f"PC4:{pc4}"), (f"School:{ident}", "LIGT_IN", f"Gemeente:{gm}")],
    )


def roles(answer: Any) -> dict[str, str | None]:
    return {r.role: r.id for r in answer.roles}


def test_sbo_is_regular_education_its_swv_is_that_of_its_address(store: GraphStore) -> None:
    nodes, edges = base()
    n, e = school("01AA00", "SBO", "1001", "GM0001")
    build(store, nodes + n, edges + e)
    answer = who_serves(store, "01AA00", "2002", "45", DAY)
    assert roles(answer)["swv"] == "PO0001" and answer.enrolled_regular
    n, e = school("02BB00", "SO/VSO", "1001", "GM0001")
    build(store, n, e)
    special = who_serves(store, "02BB00", "2002", "45", DAY)
    assert roles(special)["swv"] == "PO0002" and not special.enrolled_regular  # SO: the home's SWV
    assert any("VSO" in w and "VO 00-02" in w for w in special.warnings)  # and the VO one is named


def test_swv_from_the_gemeente_list_where_the_pc4_table_is_silent(store: GraphStore) -> None:
    nodes, edges = base()
    nodes += [("PC4", "1003", {}), ("PC4", "1004", {}), ("Swv", "PO0003", {})]
    edges += [
        ("PC4:1003", "LIGT_IN", "Gemeente:GM0001"),
        ("PC4:1004", "LIGT_IN", "Gemeente:GM0001"),
        # 2013: GM0001 belongs to PO0001 except PC4 1004, which belongs to PO0003
        ("Gemeente:GM0001", "IN_WERKGEBIED", "Swv:PO0001", {"behalve_pc4": ["1004"], "alleen_pc4": []}),
        ("Gemeente:GM0001", "IN_WERKGEBIED", "Swv:PO0003", {"alleen_pc4": ["1004"], "behalve_pc4": []}),
    ]
    for ident, pc4 in (("03CC00", "1003"), ("04DD00", "1004")):
        n, e = school(ident, "BAO", pc4, "GM0001")
        nodes, edges = nodes + n, edges + e
    build(store, nodes, edges)
    by_list = who_serves(store, "03CC00", "1001", "45", DAY)
    swv = next(r for r in by_list.roles if r.role == "swv")
    assert swv.id == "PO0001" and "2013" in swv.rule
    assert [s.rel for s in swv.path if s.rel] == ["LIGT_IN", "IN_WERKGEBIED"]
    assert roles(who_serves(store, "04DD00", "1001", "45", DAY))["swv"] == "PO0003"


def test_the_home_gemeentes_own_team_before_another_gemeentes(store: GraphStore) -> None:
    nodes, edges = base()
    n, e = school("01AA00", "BAO", "1001", "GM0001")
    nodes += [
        *n,
        ("Wijkteam", "team-eigen", {"naam": "Eigen loket"}),
        ("Wijkteam", "team-buren", {"naam": "Buren"}),
    ]
    edges += [
        *e,
        ("Wijkteam:team-eigen", "BEDIENT", "Gemeente:GM0001"),
        ("Wijkteam:team-eigen", "WERKT_VOOR", "Gemeente:GM0001"),
        ("Wijkteam:team-buren", "BEDIENT", "PC4:1001"),  # more specific, but another gemeente's
        ("Wijkteam:team-buren", "WERKT_VOOR", "Gemeente:GM0002"),
    ]
    build(store, nodes, edges)
    toegang = next(r for r in who_serves(store, "01AA00", "1001", "45", DAY).roles if r.role == "toegang")
    assert toegang.id == "team-eigen" and toegang.niveau == "gemeente"


def test_a_pc4_in_two_gemeenten_the_pc6_decides_else_the_largest_share(store: GraphStore) -> None:
    nodes, edges = base()
    n, e = school("01AA00", "BAO", "1001", "GM0001")
    nodes += [
        *n,
        ("PC4", "3003", {}),
        ("PC6", "3003AB", {}),
        ("Buurt", "BU00020001", {}),
        ("Wijk", "WK000200", {}),
    ]
    edges += [
        *e,
        ("PC4:3003", "LIGT_IN", "Gemeente:GM0001", {"aandeel": 0.7}),
        ("PC4:3003", "LIGT_IN", "Gemeente:GM0002", {"aandeel": 0.3}),
        ("PC6:3003AB", "LIGT_IN", "Buurt:BU00020001"),
        ("Buurt:BU00020001", "LIGT_IN", "Wijk:WK000200"),
        ("Wijk:WK000200", "LIGT_IN", "Gemeente:GM0002"),
    ]
    build(store, nodes, edges)
    pc4_only = who_serves(store, "01AA00", "3003", "45", DAY)
    assert roles(pc4_only)["gemeente_jeugdhulp"] == "GM0001"  # the larger share
    assert any("meer gemeenten" in w for w in pc4_only.warnings)
    pc6 = who_serves(store, "01AA00", "3003AB", "45", DAY)
    assert roles(pc6)["gemeente_jeugdhulp"] == "GM0002"  # where the PC6 lies
    assert not any("meer gemeenten" in w for w in pc6.warnings)


def test_a_jeugdregio_held_only_in_part_is_named_with_a_warning(store: GraphStore) -> None:
    nodes, edges = base()
    n, e = school("01AA00", "BAO", "1001", "GM0001")
    nodes += [
        *n,
        ("Contract", "c-jz02", {"geldig_van": "2025-01-01"}),
        ("Zorgaanbieder", "zorg-b", {"naam": "Zorg B"}),
    ]
    edges = [x for x in edges if x != ("Gemeente:GM0001", "HOORT_BIJ", "Regio:JZ01")]
    edges += [
        *e,
        ("Gemeente:GM0001", "HOORT_BIJ", "Regio:JZ01", {"deels": True}),
        ("Gemeente:GM0001", "HOORT_BIJ", "Regio:JZ02", {"deels": True}),
        ("Regio:JZ02", "OPDRACHTGEVER_VAN", "Contract:c-jz02"),
        ("Contract:c-jz02", "VOOR_BEHOEFTE", "Behoefte:ijw-45"),
        ("Contract:c-jz02", "GECONTRACTEERD", "Zorgaanbieder:zorg-b"),
    ]
    build(store, nodes, edges)
    answer = who_serves(store, "01AA00", "1001", "45", DAY)
    assert roles(answer)["jeugdregio"] == "JZ01"
    assert any("deel" in w and "JZ01" in w and "JZ02" in w for w in answer.warnings)
    # with no region held whole, the partial ones' contracts are shown (and the warning says why)
    assert [p.id for p in answer.providers] == ["zorg-b"]
    build(store, [], [("Gemeente:GM0001", "HOORT_BIJ", "Regio:JZ01", {"deels": False})])
    whole = who_serves(store, "01AA00", "1001", "45", DAY)
    assert whole.providers == []  # JZ01 is held whole now: JZ02's contracts no longer count


@pytest.mark.parametrize("need", ["", "  ", "-"])
def test_a_blank_need_is_refused(store: GraphStore, need: str) -> None:
    nodes, edges = base()
    n, e = school("01AA00", "BAO", "1001", "GM0001")
    build(store, nodes + n, edges + e)
    with pytest.raises(QuestionError) as exc:
        who_serves(store, "01AA00", "1001", need, DAY)
    assert exc.value.field == "need" and exc.value.status == 422


def test_a_team_that_serves_cbs_wijken_serves_the_pc4_areas_in_them(store: GraphStore) -> None:
    """A gemeente gives its team's area as wijken; the PC4 table of 2024 says which wijken a
    PC4 lies in: the team of the wijk with most of the PC4's addresses is the access."""
    from graph.queries.overlap import overlap

    nodes, edges = base()
    n, e = school("01AA00", "BAO", "1001", "GM0001")
    nodes += [
        ("Wijk", "WK000101", {}),
        ("Wijk", "WK000102", {}),
        ("Wijkteam", "team-west", {"naam": "Team West (fictief)"}),
        ("Wijkteam", "team-oost", {"naam": "Team Oost (fictief)"}),
    ]
    edges += [
        ("PC4:1001", "LIGT_IN", "Wijk:WK000101", {"aandeel": 0.25}),
        ("PC4:1001", "LIGT_IN", "Wijk:WK000102", {"aandeel": 0.75}),
        ("Wijkteam:team-west", "BEDIENT", "Wijk:WK000101"),
        ("Wijkteam:team-oost", "BEDIENT", "Wijk:WK000102"),
        ("Wijkteam:team-west", "WERKT_VOOR", "Gemeente:GM0001"),
        ("Wijkteam:team-oost", "WERKT_VOOR", "Gemeente:GM0001"),
    ]
    build(store, nodes + n, edges + e)
    answer = who_serves(store, "01AA00", "1001", "45", DAY)
    [toegang] = [r for r in answer.roles if r.role == "toegang"]
    assert toegang.id == "team-oost" and "wijk" in toegang.rule  # most of the PC4 lies in its wijk
    assert overlap(store, "wijkteam:team-west", "GM0001").shared_pc4 == ["1001"]
