"""Jeugdhulp Twente: offers and waiting times of youth-care providers, read from their own sites.

The file (``jeugdhulp-twente-wachttijden-2026.json``) is a JSON object with ``generatedAt``
and ``rows``; one row is one offer: ``p`` provider, ``w`` offer (missing for a provider's
general offer), ``a`` kinds, ``l`` place, ``d`` target group, ``e`` specialisms, ``c``
funding, ``i`` waiting weeks to intake, ``iText`` the waiting time as published, ``b``/
``bText`` the waiting time for treatment after intake, ``k`` what the figure is
(``concrete``, ``route`` = a published norm, ``unknown``), ``s`` the scraper's note, ``u``
the source page and ``date`` the day the figure was published or checked.

Mapping, and why:

- One ``Zorgaanbieder`` per provider name, id ``twente-`` + slug of the name, so that a
  later scrape of the same site meets the same node. ``plaats`` is set only when all of the
  provider's rows name the same place: a provider with offers in Losser and Vriezenveen has
  no single place, and picking one would be a guess.
- One ``Aanbod`` per row, ``BIEDT`` from its provider. Its id is made of provider, offer
  (or, for a general offer, the target group and first specialism) and place, because the
  same offer at two places has two waiting lists. Its ``naam`` is the offer, or
  'provider (target group)' for a general offer; when one provider has several offers of
  the same name, the place and then the first specialism are added so that a user can tell
  them apart. ``beschrijving`` is the scraper's note (how to read the figure), ``website``
  the source page, ``financiering`` the funding named in ``c`` in the model's words
  (Samen14 — the joint purchasing of the 14 Twente gemeenten — and Jeugdwet → Jeugdwet,
  zorgverzekering → Zvw, Wlz, Wmo, particulier).
- The waiting time is ``i`` (time to intake), stored only with its date (``date``) and
  source (``u``); ``b`` (treatment after intake) is another quantity and is not mixed in:
  when only ``b`` is published it is listed as a note. A number in ``i`` is stored as given
  (the scraper already turned '1–3 mnd' into weeks). Text in ``i`` is read by this rule: a
  number with an optional unit (weken, default; maanden ×4.35; dagen ÷7); for a range
  ('4-6', '4–6 wk', '1–3 mnd') the **upper bound**, because a waiting time is something a
  school tells a family and the long end is the one that does not disappoint; '< 4 wk'
  gives 4 (an upper bound), '> 6 mnd' gives 6 months (a lower bound: the wait is at least
  that). Every text value is listed as a note saying what was stored; text without a number
  ('Aanmeldstop', 'In overleg') stores nothing and is listed too. A date of only a month
  (``2026-05``) is read as its first day (the older end: a waiting time is not made to look
  fresher than it is), with a note.

Provenance: source "Jeugdhulp Twente wachttijden (providers' own sites)", source date the
day of ``generatedAt``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from graph.model import Provenance
from graph.records import NodeKey
from importers.base import Context, ParsedFile
from importers.cells import slug
from importers.formats import head_text
from importers.jsonfile import load_json
from importers.limits import read_bounded
from importers.report import FileReport

SOURCE = "Jeugdhulp Twente wachttijden (providers' own sites)"
PREFIX = "twente-"
MAX_SIZE = 64 * 1024 * 1024
#: Weeks per month, as 365.25 / 12 / 7 (the scraper's own conversion is close to this).
WEEKS_PER_MONTH = 365.25 / 12 / 7
#: Words that may occur in ``c`` (lower-cased), and the funding they stand for in the model's words.
FUNDING = (
    ("samen14", "Jeugdwet"),
    ("jeugdwet", "Jeugdwet"),
    ("zorgverzekering", "Zvw"),
    ("zvw", "Zvw"),
    ("wlz", "Wlz"),
    ("wmo", "Wmo"),
    ("particulier", "particulier"),
)
_UNITS = {
    "": 1.0,
    "w": 1.0,
    "wk": 1.0,
    "wkn": 1.0,
    "week": 1.0,
    "weken": 1.0,
    "werkweken": 1.0,
    "m": WEEKS_PER_MONTH,
    "mnd": WEEKS_PER_MONTH,
    "maand": WEEKS_PER_MONTH,
    "maanden": WEEKS_PER_MONTH,
    "d": 1 / 7,
    "dag": 1 / 7,
    "dagen": 1 / 7,
}
_NUM = r"(\d+(?:[.,]\d+)?)"
_WAIT = re.compile(
    rf"(?P<q>[<>≤≥±~]|ca\.?|circa|max\.?|maximaal|min\.?|minimaal)?\s*{_NUM}"
    rf"(?:\s*(?:-|–|—|tot)\s*{_NUM})?\s*(?P<u>[a-z]*)\.?"
)
_LOWER_BOUND = (">", "≥", "min", "min.", "minimaal")


def weeks_from_text(text: str) -> tuple[float, str] | None:
    """The weeks a published waiting text stands for, by the rule in the module docstring,
    and how it was read; ``None`` when the text holds no usable number.

    >>> weeks_from_text("4-6")
    (6.0, 'bovengrens van het bereik 4-6')
    >>> weeks_from_text("> 6 mnd")[1]
    'minstens 6 mnd (een ondergrens)'
    >>> weeks_from_text("Aanmeldstop") is None
    True
    """
    clean = text.strip().lower()
    m = _WAIT.fullmatch(clean)
    if not m or m.group("u") not in _UNITS:
        return None
    unit = _UNITS[m.group("u")]
    low = float(m.group(2).replace(",", "."))
    high = float(m.group(3).replace(",", ".")) if m.group(3) else None
    if high is not None:
        if high < low:
            return None
        return high * unit, f"bovengrens van het bereik {text.strip()}"
    qualifier = m.group("q") or ""
    if qualifier in _LOWER_BOUND:
        return low * unit, f"minstens {m.group(2)} {m.group('u') or 'weken'} (een ondergrens)"
    return low * unit, f"gelezen als {low * unit:g} weken"


def _slug_id(*parts: str) -> str:
    """``twente-`` + the slugs of the parts, joined by ``--``; cut to the 120 characters of an
    own id, keeping it unique with a hash of the whole."""
    text = PREFIX + "--".join(s for s in (slug(p) for p in parts) if s)
    if len(text) <= 120:
        return text
    return text[:111].rstrip("-") + "-" + hashlib.sha1(text.encode()).hexdigest()[:8]


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _row_lines(text: str) -> list[int]:
    """The line on which each item of the top-level ``rows`` list starts. :mod:`json` gives
    values but no positions; the text is known to be valid JSON here, so it is walked value
    by value with :meth:`json.JSONDecoder.raw_decode`."""
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if text[pos : pos + 1] != "{":
        return []
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "}":
        key, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, _skip(text, pos) + 1)  # past the ':'
        if key == "rows" and text[pos] == "[":
            lines, line, counted = [], 1, 0
            pos = _skip(text, pos + 1)
            while text[pos] != "]":
                line += text.count("\n", counted, pos)
                counted = pos
                lines.append(line)
                _, pos = decoder.raw_decode(text, pos)
                pos = _skip(text, pos)
                if text[pos] == ",":
                    pos = _skip(text, pos + 1)
            return lines
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text[pos : pos + 1] == ",":
            pos = _skip(text, pos + 1)
    return []


def _load(path: Path) -> Any:
    if path.stat().st_size > MAX_SIZE:
        raise ValueError(f"groter dan {MAX_SIZE // 1024 // 1024} MB")
    return load_json(path.read_bytes().decode("utf-8-sig"))


def _words(value: Any) -> str:
    """A text or a list of texts (``d`` is sometimes ``["Jeugd", "Volwassenen"]``) as one text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return ", ".join(v.strip() for v in value if isinstance(v, str) and v.strip())
    return ""


def _texts(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(v.strip() for v in items if isinstance(v, str) and v.strip()))


@dataclass
class _Offer:
    line: int
    provider: str
    row: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)
    #: the waiting time for treatment after intake, when it is the only one published
    treatment_only: str = ""


class TwenteWachttijden:
    """The scraped offers and waiting times of Twente's youth-care providers (module docstring)."""

    NAME = "Jeugdhulp Twente wachttijden (JSON)"

    @staticmethod
    def sniff(path: Path) -> bool:
        """A JSON object whose ``rows`` hold offers: items with ``p`` (provider) and ``w`` (offer)."""
        if (head_text(path, 64) or "").lstrip()[:1] != "{":
            return False
        try:
            data = _load(path)
        except (OSError, ValueError):
            return False
        rows = data.get("rows") if isinstance(data, dict) else None
        return isinstance(rows, list) and any(isinstance(r, dict) and "p" in r and "w" in r for r in rows)

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """A ``Zorgaanbieder`` per provider name and an ``Aanbod`` per row with ``BIEDT``, the waiting
        time to intake only; dated by ``generatedAt`` (else the latest row ``date``)."""
        parsed = ParsedFile(FileReport(file=str(path), format=cls.NAME))
        try:
            text = read_bounded(path).decode("utf-8-sig")
            data = load_json(text)
        except UnicodeDecodeError as exc:
            parsed.problem(None, "", "", f"geen geldige UTF-8: {exc.reason}")
            return parsed
        except json.JSONDecodeError as exc:
            parsed.problem(exc.lineno, "", "", f"geen geldige JSON: {exc.msg}")
            return parsed
        rows = data.get("rows") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            parsed.problem(1, "rows", "", "het bestand moet een JSON-object met een lijst 'rows' zijn")
            return parsed
        lines = _row_lines(text)
        if len(lines) != len(rows):
            lines = [0] * len(rows)
        prov = Provenance(source=SOURCE, source_date=cls._date(data, rows), import_id=import_id)
        parsed.source("twente:wachttijden", "Jeugdhulp Twente: aanbod en wachttijden", prov.source_date)
        parsed.report.rows_read = len(rows)

        offers: list[_Offer] = []
        providers: dict[str, tuple[str, int]] = {}  # provider id → (name, first line)
        places: dict[str, set[str]] = defaultdict(set)
        for line, row in zip(lines, rows, strict=True):
            if not isinstance(row, dict):
                parsed.problem(line, "", "", "een rij moet een JSON-object zijn")
                continue
            name = row.get("p")
            if not isinstance(name, str) or not slug(name):
                parsed.problem(line, "p", _words(name), "elke rij heeft de naam van de aanbieder nodig")
                continue
            name = name.strip()
            pid = _slug_id(name)
            if pid in providers and providers[pid][0] != name:
                earlier, first = providers[pid]
                parsed.problem(
                    line, "p", name, f"geeft hetzelfde aanbieder-id {pid} als {earlier!r} (regel {first})"
                )
                continue
            providers.setdefault(pid, (name, line))
            places[pid].add(_words(row.get("l")))
            offer = _Offer(line, pid, row)
            if cls._offer(parsed, offer):
                offers.append(offer)

        for pid, (name, line) in providers.items():
            data_: dict[str, Any] = {"id": pid, "naam": name}
            if len(places[pid]) == 1 and next(iter(places[pid])):
                data_["plaats"] = next(iter(places[pid]))
            parsed.add_entity(line, "Zorgaanbieder", data_, prov)
        cls._distinct_names(offers)
        for offer in offers:
            key = parsed.add_entity(offer.line, "Aanbod", offer.data, prov)
            if key is not None:
                parsed.add_relation(offer.line, "BIEDT", NodeKey("Zorgaanbieder", offer.provider), key, prov)

        # One note, not one per row: a fact of the source, the same for each row.
        treatment = [o.treatment_only for o in offers if o.treatment_only]
        if treatment:
            parsed.problem(
                None,
                "b",
                "",
                f"{len(treatment)} aanbiedingen publiceren alleen een wachttijd voor behandeling na "
                "de intake; niet opgeslagen, want wachttijd_weken is de tijd tot de intake: "
                + "; ".join(treatment),
                fatal=False,
            )
        without = sum(1 for o in offers if "wachttijd_weken" not in o.data)
        if without:
            reason = f"{without} van {len(offers)} aanbiedingen hebben geen wachttijd in weken"
            parsed.problem(None, "i", "", reason, fatal=False)
        return parsed

    @staticmethod
    def _date(data: dict[str, Any], rows: list[Any]) -> str:
        stamp = data.get("generatedAt")
        if isinstance(stamp, str) and re.match(r"\d{4}-\d{2}-\d{2}", stamp):
            return stamp[:10]
        dates = [str(r["date"]) for r in rows if isinstance(r, dict) and isinstance(r.get("date"), str)]
        return max(dates, default="unknown")

    @staticmethod
    def _offer(parsed: ParsedFile, offer: _Offer) -> bool:
        """Fill ``offer.data``; ``False`` when the row has a fatal problem."""
        row, line = offer.row, offer.line
        naam, doelgroep, place = _words(row.get("w")), _words(row.get("d")), _words(row.get("l"))
        specialismen = _texts(row.get("e"))
        general = [doelgroep or "aanbod", *specialismen[:1]]
        provider_name = _words(row.get("p"))
        data: dict[str, Any] = {
            "id": _slug_id(provider_name, *([naam] if naam else general), place),
            "naam": naam or f"{provider_name} ({doelgroep.lower() or 'algemeen'})",
            "soort": _words(row.get("a")) or None,
            "doelgroep": doelgroep or None,
            "specialismen": specialismen,
            "beschrijving": _words(row.get("s")) or None,
            "website": _words(row.get("u")) or None,
        }
        funding = _words(row.get("c"))
        data["financiering"] = list(dict.fromkeys(f for word, f in FUNDING if word in funding.lower()))
        if funding and not data["financiering"]:
            parsed.problem(
                line,
                "c",
                funding,
                "noemt geen financiering (Jeugdwet, Zvw, Wlz …): leeg gelaten",
                fatal=False,
            )
        offer.data = data
        return TwenteWachttijden._waiting(parsed, offer)

    @staticmethod
    def _waiting(parsed: ParsedFile, offer: _Offer) -> bool:
        row, line, data = offer.row, offer.line, offer.data
        value, published = row.get("i"), _words(row.get("iText"))
        weeks: float | None = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value) or value < 0:
                parsed.problem(line, "i", str(value), "een wachttijd moet een aantal weken zijn, 0 of meer")
                return False
            weeks = float(value)
        elif isinstance(value, str) and value.strip():
            read = weeks_from_text(value)
            if read is None:
                parsed.problem(line, "i", value, "geen aantal weken: geen wachttijd opgeslagen", fatal=False)
            else:
                weeks, how = read
                parsed.problem(
                    line, "i", value, f"tekst, {how}: opgeslagen als {weeks:.4g} weken", fatal=False
                )
        elif value is not None and value != "":
            parsed.problem(line, "i", str(value), "geen aantal weken: geen wachttijd opgeslagen", fatal=False)
        elif published:
            parsed.problem(
                line,
                "iText",
                published,
                "gepubliceerd zonder aantal weken: geen wachttijd opgeslagen",
                fatal=False,
            )
        if weeks is None:
            after, after_text = row.get("b"), _words(row.get("bText"))
            if isinstance(after, (int, float)) and not isinstance(after, bool):
                shown = f"{after:g} weken" + (f" ({after_text})" if after_text else "")
            elif after_text:
                shown = after_text
            else:
                return True
            offer.treatment_only = f"regel {line}: {shown}"
            return True
        if row.get("k") == "route":
            parsed.problem(
                line, "k", "route", "het getal is een gepubliceerde norm, geen gemeten wachttijd", fatal=False
            )
        when = _words(row.get("date"))
        source = data.get("website")
        try:
            if re.fullmatch(r"\d{4}-\d{2}", when):
                day = date.fromisoformat(when + "-01")
                parsed.problem(line, "date", when, f"alleen een maand: gelezen als {day}", fatal=False)
            else:
                day = date.fromisoformat(when)
        except ValueError:
            parsed.problem(
                line, "date", when, "geen geldige datum: de wachttijd is niet opgeslagen", fatal=False
            )
            return True
        if not source:
            parsed.problem(line, "u", "", "geen bronpagina: de wachttijd is niet opgeslagen", fatal=False)
            return True
        data.update(wachttijd_weken=weeks, wachttijd_datum=day, wachttijd_bron=source)
        return True

    @staticmethod
    def _distinct_names(offers: list[_Offer]) -> None:
        """Several offers of one provider with one name get what tells them apart added to the
        name: their place, else their target group, else their first specialism. Seven
        'Mediant (volwassenen)' help nobody choose."""
        tells_apart = (
            lambda o: _words(o.row.get("l")),
            lambda o: (o.data.get("doelgroep") or "").lower(),
            lambda o: next(iter(o.data["specialismen"]), ""),
        )
        for part in tells_apart:
            groups: dict[tuple[str, str], list[_Offer]] = defaultdict(list)
            for o in offers:
                groups[(o.provider, o.data["naam"])].append(o)
            for group in groups.values():
                if len(group) > 1 and len({part(o) for o in group}) > 1:
                    for o in group:
                        if part(o):
                            o.data["naam"] += f", {part(o)}"
