"""Reading one cell of a spreadsheet or one YAML value: the same words mean the same thing in
every importer.

People fill in the own formats by hand, in Dutch or English, so a yes/no cell may say
``ja``, ``x`` or ``true``; an empty cell (or YAML's ``~``) is *not said*, which is not the
same as *no* and is never stored as a fact. A date may be typed the ISO way or the Dutch
way. Kept here, once, so that a word accepted by one format is accepted by all of them.

Examples
--------
>>> [yes_no(v) for v in ("ja", "X", " nee ", "", "~")]
[True, True, False, None, None]
>>> yes_no("misschien")
Traceback (most recent call last):
...
ValueError: 'misschien' is geen ja of nee: gebruik ja/nee, true/false of 1/0
>>> decimal("52,3814309")
52.3814309
>>> [parse_date(v) for v in ("2025-01-31", "31-1-2025", "31.1.2025")]
[datetime.date(2025, 1, 31), datetime.date(2025, 1, 31), datetime.date(2025, 1, 31)]
>>> slug("Toegang jeugdhulp (fictief)"), slug("Zorg & Welzijn B.V.", keep="._-"), slug("Één")
('toegang-jeugdhulp-fictief', 'zorg-welzijn-b.v.', 'een')
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

#: Words that say yes, and no (compared in lower case, without surrounding spaces).
YES = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x"})
NO = frozenset({"nee", "n", "no", "false", "onwaar", "0"})
#: What leaves a value unsaid: an empty cell, or YAML's null.
EMPTY = ("", "~", "null")  # a tuple: YAML values that are mappings are compared too


def yes_no(text: str) -> bool | None:
    """True or False for a yes/no word; None when nothing is said; ValueError otherwise."""
    value = text.strip().lower()
    if value in EMPTY:
        return None
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(f"{text!r} is geen ja of nee: gebruik ja/nee, true/false of 1/0")


def decimal(text: str) -> float:
    """``52,3814309`` and ``52.3814309`` are the same number (Dutch files use commas)."""
    return float(text.replace(",", "."))


def parse_date(text: str) -> date:
    """ISO (``2025-01-31``) or Dutch (``31-1-2025``, ``31/1/2025``, ``31.1.2025``): a date typed
    in a Dutch spreadsheet or exported by a foreign directory means the same day."""
    value = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    dutch = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if dutch:
            return date(int(dutch.group(3)), int(dutch.group(2)), int(dutch.group(1)))
    except ValueError as exc:
        raise ValueError(f"{text!r} is geen datum: {exc}") from None
    raise ValueError(f"{text!r} is geen datum: gebruik YYYY-MM-DD (2025-01-31) of D-M-YYYY (31-1-2025)")


def slug(text: str, keep: str = "", limit: int | None = None) -> str:
    """A name or code as a part of an id: accents folded (``Één`` → ``een``), lower case,
    every run of other characters one dash; ``keep`` names characters to leave as they are
    (``._-`` for a scope part), ``limit`` cuts it. One rule, so that the same name gives the
    same id whichever format it came in."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().strip().lower()
    found = re.sub(f"[^a-z0-9{re.escape(keep)}]+", "-", folded).strip("-")
    return found[:limit] if limit else found
