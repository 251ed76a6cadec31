import pytest

from graph import ids


@pytest.mark.parametrize(
    ("raw", "expected"), [("GM0363", "GM0363"), ("gm0363", "GM0363"), ("363", "GM0363"), (392, "GM0392")]
)
def test_gemeente_code_normalises(raw: object, expected: str) -> None:
    assert ids.gemeente_code(raw) == expected


@pytest.mark.parametrize("raw", ["GM03633", "Haarlem", "", None, "GM-0363"])
def test_gemeente_code_rejects(raw: object) -> None:
    with pytest.raises(ids.IdentifierError) as err:
        ids.gemeente_code(raw)
    assert err.value.field == "gemeentecode"
    assert "GM0363" in str(err.value)  # the message shows the expected form


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PO2707", "PO2707"),
        ("PO 27-07", "PO2707"),
        ("po 27.07", "PO2707"),
        ("VO 20-01", "VO2001"),
        ("SWV VO 27-05", "VO2705"),
    ],
)
def test_swv_code_both_spellings(raw: str, expected: str) -> None:
    assert ids.swv_code(raw) == expected


@pytest.mark.parametrize("raw", ["MB2707", "PO27071", "PO 27-7", "2707"])
def test_swv_code_rejects(raw: str) -> None:
    with pytest.raises(ids.IdentifierError, match="PO of VO"):
        ids.swv_code(raw)


def test_pc4_and_pc6() -> None:
    assert ids.pc4("2011") == "2011"
    assert ids.pc6("2011 ab") == "2011AB"
    assert ids.postcode("2011") == "2011"
    assert ids.postcode("2011AB") == "2011AB"
    for bad in ("0123", "201", "20111", "abcd"):
        with pytest.raises(ids.IdentifierError):
            ids.pc4(bad)


@pytest.mark.parametrize("letters", ["SA", "SD", "SS"])
def test_pc6_forbidden_letters(letters: str) -> None:
    with pytest.raises(ids.IdentifierError, match="SA, SD of SS"):
        ids.pc6(f"2011{letters}")


def test_school_brin_vestiging() -> None:
    assert ids.school_id("00wo00") == "00WO00"
    assert ids.school_id("00WO 00") == "00WO00"
    assert ids.brin("15uj") == "15UJ"
    assert ids.vestigingscode("7") == "07"
    for bad in ("0WO00", "00WO0", "00W000", "ABCD00"):
        with pytest.raises(ids.IdentifierError):
            ids.school_id(bad)


def test_bevoegd_gezag_keeps_five_digits() -> None:
    assert ids.bevoegd_gezag("1234") == "01234"
    assert ids.bevoegd_gezag(41853) == "41853"
    with pytest.raises(ids.IdentifierError):
        ids.bevoegd_gezag("123456")


def test_regio_code_prefix() -> None:
    assert ids.regio_code("jz11", "JZ") == "JZ11"
    with pytest.raises(ids.IdentifierError, match="begint met JZ"):
        ids.regio_code("GG3109", "JZ")


def test_wijk_buurt_eigen_id() -> None:
    assert ids.wijk_code("wk039201") == "WK039201"
    assert ids.buurt_code("BU03920101") == "BU03920101"
    assert ids.eigen_id("demo-team.1") == "demo-team.1"
    for bad in ("", "-x", "a b", "a/b"):
        with pytest.raises(ids.IdentifierError):
            ids.eigen_id(bad)
