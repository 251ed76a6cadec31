"""Identifiers of the Dutch education and youth-care domain, validated and normalised.

Every source spells codes its own way (DUO writes ``PO 27-07``, the regulation ``PO2707``;
CBS sometimes drops the ``GM``), so each identifier is normalised to one canonical
spelling at the border. A wrong code raises :class:`IdentifierError`, which names the
field, the value and what was expected, so an importer can report it with file and line.

>>> gemeente_code("363")
'GM0363'
>>> swv_code("PO 27-07")
'PO2707'
>>> pc6("1011 ab")
'1011AB'
"""

from __future__ import annotations

import re

__all__ = [
    "IdentifierError",
    "agb_code",
    "bevoegd_gezag",
    "brin",
    "buurt_code",
    "eigen_id",
    "gemeente_code",
    "kvk_nummer",
    "pc4",
    "pc6",
    "postcode",
    "regio_code",
    "school_id",
    "swv_code",
    "vestigingscode",
    "wijk_code",
]


class IdentifierError(ValueError):
    """A code that does not have the form its kind requires."""

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field} {value!r} is niet geldig: verwacht {expected}")


def _text(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return ""
    return value.strip()


_GM = re.compile(r"^(?:GM)?\s*(\d{1,4})$", re.IGNORECASE)


def gemeente_code(value: object) -> str:
    """CBS gemeentecode ``GM`` + 4 digits; bare numbers (``363``, ``0363``) are accepted."""
    m = _GM.match(_text(value))
    if not m:
        raise IdentifierError("gemeentecode", value, "GM met 4 cijfers, bijv. GM0363")
    return f"GM{int(m.group(1)):04d}"


_PC4 = re.compile(r"^([1-9]\d{3})$")
_PC6 = re.compile(r"^([1-9]\d{3})\s?([A-Z]{2})$")
_FORBIDDEN_PC_LETTERS = {"SA", "SD", "SS"}


def pc4(value: object) -> str:
    """Four-digit postcode area, 1000–9999 (a Dutch postcode never starts with 0)."""
    text = _text(value)
    if not _PC4.match(text):
        raise IdentifierError("pc4", value, "4 cijfers van 1000 tot en met 9999, bijv. 2011")
    return text


def pc6(value: object) -> str:
    """Full postcode, normalised to ``1011AB``; SA, SD and SS are never issued."""
    text = _text(value).upper()
    m = _PC6.match(text)
    if not m:
        raise IdentifierError("pc6", value, "4 cijfers en 2 letters, bijv. 1011AB")
    if m.group(2) in _FORBIDDEN_PC_LETTERS:
        raise IdentifierError("pc6", value, "andere letters dan SA, SD of SS (die geeft PostNL nooit uit)")
    return m.group(1) + m.group(2)


def postcode(value: object) -> str:
    """A PC4 or a PC6, whichever the value is; used where users may give either."""
    text = _text(value)
    if _PC4.match(text):
        return text
    try:
        return pc6(text)
    except IdentifierError:
        raise IdentifierError("postcode", value, "een PC4 (bijv. 2011) of een PC6 (bijv. 2011AB)") from None


_SWV = re.compile(r"^(?:SWV\s*)?(PO|VO)\s*(\d{2})\s*[-.]?\s*(\d{2})$", re.IGNORECASE)


def swv_code(value: object) -> str:
    """Samenwerkingsverband code; ``PO2707``, ``PO 27-07`` and ``po 27.07`` are one code."""
    m = _SWV.match(_text(value))
    if not m:
        raise IdentifierError("swv_code", value, "PO of VO met 4 cijfers, bijv. PO2707 of PO 27-07")
    return f"{m.group(1).upper()}{m.group(2)}{m.group(3)}"


_BRIN = re.compile(r"^(\d{2}[A-Z]{2})$")


def brin(value: object) -> str:
    """DUO instellingscode (BRIN): 2 digits and 2 letters, e.g. ``00AA``."""
    text = _text(value).upper()
    if not _BRIN.match(text):
        raise IdentifierError("brin", value, "2 cijfers en 2 letters, bijv. 00WO")
    return text


def vestigingscode(value: object) -> str:
    """Two-digit number of a school's vestiging under its BRIN; ``0`` becomes ``00``."""
    text = _text(value)
    if not re.fullmatch(r"\d{1,2}", text):
        raise IdentifierError("vestigingscode", value, "1 of 2 cijfers, bijv. 00")
    return f"{int(text):02d}"


_SCHOOL = re.compile(r"^(\d{2}[A-Z]{2})\s*[-/ ]?\s*(\d{2})$")


def school_id(value: object) -> str:
    """A school vestiging: BRIN + vestigingscode, e.g. ``00WO00`` (``00WO 00`` accepted)."""
    m = _SCHOOL.match(_text(value).upper())
    if not m:
        raise IdentifierError(
            "school", value, "BRIN en vestigingscode, 2 cijfers + 2 letters + 2 cijfers, bijv. 00WO00"
        )
    return m.group(1) + m.group(2)


def bevoegd_gezag(value: object) -> str:
    """DUO bevoegd-gezagnummer of a schoolbestuur: 5 digits (leading zeros kept)."""
    text = _text(value)
    if not re.fullmatch(r"\d{1,5}", text):
        raise IdentifierError("bevoegd_gezag", value, "een getal van hoogstens 5 cijfers, bijv. 41820")
    return f"{int(text):05d}"


_REGIO = re.compile(r"^[A-Z]{2}\d{2,4}$")


def regio_code(value: object, prefix: str | None = None) -> str:
    """CBS region code such as ``JZ11`` (jeugdregio) or ``PV27`` (provincie).

    When the region type has a known CBS prefix, the code must carry it, so that a
    GGD code is never filed as a jeugdregio.
    """
    text = _text(value).upper()
    if not _REGIO.match(text):
        raise IdentifierError("regio_code", value, "2 letters en 2 tot 4 cijfers, bijv. JZ11")
    if prefix and not text.startswith(prefix):
        raise IdentifierError("regio_code", value, f"een code die begint met {prefix}")
    return text


def kvk_nummer(value: object) -> str:
    """Kamer van Koophandel number: 8 digits."""
    text = _text(value)
    if not re.fullmatch(r"\d{8}", text):
        raise IdentifierError("kvk", value, "8 cijfers, bijv. 41215422")
    return text


def agb_code(value: object) -> str:
    """Vektis AGB code of a care provider: 8 digits."""
    text = _text(value)
    if not re.fullmatch(r"\d{8}", text):
        raise IdentifierError("agb", value, "8 cijfers, bijv. 98765432")
    return text


def wijk_code(value: object) -> str:
    """CBS wijkcode: ``WK`` + the 4 digits of the gemeente + 2 characters of the wijk
    (digits, or letters as Amsterdam has them since 2022: ``WK0363AF``).

    >>> wijk_code("wk039201"), wijk_code("WK0363AF")
    ('WK039201', 'WK0363AF')
    """
    text = _text(value).upper()
    if not re.fullmatch(r"WK\d{4}[0-9A-Z]{2}", text):
        raise IdentifierError(
            "wijk_code", value, "WK, de 4 cijfers van de gemeente en 2 van de wijk, bijv. WK039201"
        )
    return text


def buurt_code(value: object) -> str:
    """CBS buurtcode: ``BU`` + the wijk's 6 characters + 2 of the buurt (``BU03920101``)."""
    text = _text(value).upper()
    if not re.fullmatch(r"BU\d{4}[0-9A-Z]{4}", text):
        raise IdentifierError("buurt_code", value, "BU met 8 tekens, bijv. BU03920101")
    return text


_EIGEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")


def eigen_id(value: object, field: str = "id") -> str:
    """Our own identifier for things without a national code (wijkteams, providers, contracts).

    Kept to letters, digits, ``.``, ``_`` and ``-`` so that it is safe in URLs and file names.
    """
    text = _text(value)
    if not _EIGEN.match(text):
        raise IdentifierError(
            field, value, "1 tot 120 letters, cijfers, '.', '_' of '-', beginnend met een letter of cijfer"
        )
    return text
