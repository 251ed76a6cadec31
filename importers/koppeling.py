"""Offers found by need: the words providers publish (the kind of offer, its specialisms, its
target group) mapped to the kaart's need taxonomy by a reviewable table that ships with the
project (``importers/reference/behoefte-koppeling.yaml``), never by code.

Providers do not say "iJw category 45"; Twente's say "Behandeling", "Autisme / ASS",
"Trauma / PTSS". Every import that brings offers, or that finds the shipped table in a newer
version than the store's, derives the needs of *every* offer that names none itself, as one
version of its own source (``referentie:behoefte-koppeling``, dated by the table's
``versie``): a newer table replaces what an older one derived. Each need found is an
``VOOR_BEHOEFTE`` edge saying by which rule (``regel``); the words that map to nothing and
the offers left without any need are listed in the import report, so the table can grow.

>>> rules = [Rule(1, "soort", "behandeling", "ijw-45", "jeugd", "jeugdwet", "")]
>>> [(n, r.number) for n, r in needs_of({"soort": "Behandeling", "doelgroep": "Jeugd"}, rules)]
[('ijw-45', 1)]
>>> needs_of({"soort": "Behandeling", "doelgroep": "Volwassenen"}, rules)
[]
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from graph.lifecycle import VERMELD
from graph.model import Provenance
from graph.records import NodeKey
from importers.base import Context, ParsedFile
from importers.report import FileReport

SCOPE = "referentie:behoefte-koppeling"
NAME = "behoefte-koppeling (afgeleid)"
FIELDS = ("soort", "specialismen", "doelgroep")


@dataclass(frozen=True)
class Rule:
    """One line of the shipped table: a word in a field of an offer gives a need, optionally only
    for a doelgroep or financiering; numbered by its place so that an edge can name it."""

    number: int
    veld: str
    woord: str  # normalised
    behoefte: str
    vereist_doelgroep: str  # normalised; empty: any
    vereist_financiering: str
    toelichting: str

    def text(self, version: str) -> str:
        """The ``regel`` an edge carries: rule number, table version and the word, so that whoever
        doubts a derived need can find the line of the table that gave it."""
        return f"regel {self.number} van de behoefte-koppeling ({version}): {self.veld} '{self.woord}'"


def normal(text: str) -> str:
    """One spelling for a word: no case, no accents, single spaces, ``a / b`` = ``a/b``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(ascii_text.replace(" /", "/").replace("/ ", "/").split())


def table_path() -> Path:
    """The table shipped inside the package (found through :mod:`importlib.resources`), so that
    an installed copy derives the same needs as a checkout."""
    return Path(str(resources.files("importers") / "reference" / "behoefte-koppeling.yaml"))


def load_rules(path: Path | None = None) -> tuple[str, str, list[Rule]]:
    """The table's version, source name and rules."""
    data = yaml.safe_load((path or table_path()).read_text(encoding="utf-8"))
    rules = [
        Rule(
            number,
            str(r["veld"]),
            normal(str(r["woord"])),
            str(r["behoefte"]),
            normal(str(r.get("vereist_doelgroep") or "")),
            normal(str(r.get("vereist_financiering") or "")),
            str(r.get("toelichting") or ""),
        )
        for number, r in enumerate(data["regels"], start=1)
    ]
    return str(data["versie"]), str(data["bron"]), rules


def words_of(props: dict[str, Any], field: str) -> list[str]:
    """The words an offer publishes in a field: a list, or a text of ``,``-separated words."""
    value = props.get(field)
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [normal(str(v)) for v in items if str(v).strip()]


def needs_of(props: dict[str, Any], rules: list[Rule]) -> list[tuple[str, Rule]]:
    """The needs an offer is for by the rules, each with the first rule that gives it."""
    doelgroep = " ".join(words_of(props, "doelgroep"))
    financiering = " ".join(words_of(props, "financiering"))
    found: dict[str, Rule] = {}
    for rule in rules:
        if rule.woord not in words_of(props, rule.veld) or rule.behoefte in found:
            continue
        if rule.vereist_doelgroep and doelgroep and rule.vereist_doelgroep not in doelgroep:
            continue
        if rule.vereist_financiering and financiering and rule.vereist_financiering not in financiering:
            continue
        found[rule.behoefte] = rule
    return sorted(found.items())


def classify(context: Context, parsed_files: list[ParsedFile], import_id: str) -> ParsedFile | None:
    """The derived file of this run: the needs of every offer that names none itself, or
    ``None`` when the run brings no offer and the store has this table's version already."""
    version, source, rules = load_rules()
    brings_offers = any(n.kind == "Aanbod" for p in parsed_files for _, n in p.nodes)
    bron = context.store.node(NodeKey("Bron", SCOPE))
    versions = bron.props.get("versies") if bron is not None else None
    up_to_date = isinstance(versions, list) and version in versions
    if not brings_offers and (up_to_date or not context.stored("Aanbod")):
        return None
    offers = {n.id: dict(n.props) for n in context.stored("Aanbod")}
    for p in parsed_files:
        for _, n in p.nodes:
            if n.kind == "Aanbod":
                offers.setdefault(n.id, {}).update(n.props)
    own = _offers_with_own_needs(context, parsed_files)
    known = {n.id for n in context.stored("Behoefte")} | {
        n.id for p in parsed_files for _, n in p.nodes if n.kind == "Behoefte"
    }
    parsed = ParsedFile(FileReport(file=str(table_path()), format=NAME))
    parsed.source(SCOPE, source, version)
    prov = Provenance(source=source, source_date=version, import_id=import_id)
    unmapped: Counter[str] = Counter()
    ruled = {(r.veld, r.woord) for r in rules}
    without: list[str] = []
    for offer_id, props in sorted(offers.items()):
        if offer_id in own:
            continue
        parsed.report.rows_read += 1
        found = [(need, rule) for need, rule in needs_of(props, rules) if need in known]
        for field in FIELDS[:2]:
            unmapped.update(f"{field} '{w}'" for w in words_of(props, field) if (field, w) not in ruled)
        if not found:
            without.append(str(props.get("naam") or offer_id))
        for need, rule in found:
            parsed.add_relation(
                0, "VOOR_BEHOEFTE", NodeKey("Aanbod", offer_id), NodeKey("Behoefte", need), prov,
                regel=rule.text(version), toelichting=rule.toelichting,
            )  # fmt: skip
    _notes(parsed, unmapped, without)
    return parsed


def _offers_with_own_needs(context: Context, parsed_files: list[ParsedFile]) -> set[str]:
    """Offers whose own source names their needs (a zorgaanbod row's ``behoeften``): the
    table does not second-guess them."""

    def derived(props: Any) -> bool:
        runs = props.get(VERMELD)
        return isinstance(runs, list) and all(str(r).startswith(SCOPE) for r in runs)

    own = {
        e.src.id
        for e in context.store.edges(rel="VOOR_BEHOEFTE")
        if e.src.kind == "Aanbod" and not derived(e.props)
    }
    return own | {
        e.src.id
        for p in parsed_files
        for _, e in p.edges
        if e.rel == "VOOR_BEHOEFTE" and e.src.kind == "Aanbod"
    }


def _notes(parsed: ParsedFile, unmapped: Counter[str], without: list[str]) -> None:
    if unmapped:
        shown = ", ".join(f"{w} ({n})" for w, n in unmapped.most_common(40))
        more = f" en nog {len(unmapped) - 40}" if len(unmapped) > 40 else ""
        parsed.problem(
            None,
            "",
            "",
            f"woorden die bij geen behoefte horen (voeg een regel toe aan de tabel): {shown}{more}",
            fatal=False,
        )
    if without:
        shown = "; ".join(without[:20]) + (f" en nog {len(without) - 20}" if len(without) > 20 else "")
        parsed.problem(
            None, "", "", f"{len(without)} aanbiedingen horen bij geen enkele behoefte: {shown}", fatal=False
        )
