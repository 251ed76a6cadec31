"""Wijkteams: the project's own format, in CSV or YAML.

Nobody publishes a list of wijkteams (the access to jeugdhulp per area), so gemeenten, SWVs
and we keep them by hand. The format is small on purpose, so that a gemeente can fill it
in a spreadsheet (CSV) or a text editor (YAML, see ``importers/examples/wijkteams-voorbeeld.yaml``).

One wijkteam has:

``id``
    our own id (letters, digits, ``.``, ``_``, ``-``), stable over the years: other files and
    links refer to it.
``naam``
    the name people use; write ``(fictief)`` in it for made-up teams.
``gemeente``
    the gemeente that runs it or has it run: a CBS code (``GM0392``, ``0392``) or a name
    (``Haarlem``, ``'s-Hertogenbosch``), resolved like every gemeente name in this project
    (:mod:`importers.resolve`). A name that does not resolve is a problem, never a guess. An
    old code is followed through the herindelingen the store knows.
``soort``
    ``wijkteam`` (default), ``jeugdteam``, ``gebiedsteam``, ``buurtteam``, ``cjg`` or ``loket``.
``gebied``
    the area it serves, any mix of PC6 (``2011AB``), PC4 (``2011``), a range of PC4
    (``2011-2015``, both ends included, at most 100), a CBS wijk (``WK039201``) or buurt
    (``BU03920101``), or the word ``gemeente`` for the whole gemeente.
``contact``
    a *functional* contact: ``rol`` (required: the function, e.g. 'toegang jeugdhulp') and
    at least one of ``email``, ``telefoon``, ``website``. A role mailbox, never a person: an
    address that looks like a person's (``j.jansen@…``) or a mobile number is accepted, since
    we cannot know, but listed as a note.
``zorgaanbieders``
    ids of the Zorgaanbieder nodes attached to the team (they must exist, in the store or in
    the same import).
``fictief``
    ``ja``/``nee`` (also true/false, yes/no, 1/0); default ``nee``.

CSV: one row per wijkteam, columns ``id, naam, gemeente, soort, gebied, contact_rol,
contact_email, contact_telefoon, contact_website, zorgaanbieders, fictief`` and optionally
``bron`` and ``peildatum`` (the source and the date the row was checked). ``gebied`` and
``zorgaanbieders`` are lists separated by spaces, ``;`` or ``,`` (a PC6 written ``2011 AB``
is read as one postcode). Required columns: ``id, naam, gemeente, gebied``. Other columns
are ignored and listed as a note.

YAML: a mapping with ``wijkteams:`` (a list of mappings with the keys above; ``contact`` is
a mapping, or a list of them for several contacts) and optionally ``bron:`` and
``peildatum:`` for the whole file. Every value is read as text, so ``0235115000`` stays a
phone number and ``nee`` stays a word. Unknown keys are problems, because in a hand-written
file they are typos.

What the import makes: a ``Wijkteam`` node, ``WERKT_VOOR`` → its ``Gemeente``, ``BEDIENT`` →
each area (PC4, PC6, Wijk and Buurt nodes are created with just their id, since a wijkteam
may name areas that no other source has; the Gemeente must exist already), a ``Contact``
node per contact with ``HEEFT_CONTACT``, and ``WERKT_SAMEN_MET`` → each Zorgaanbieder. A
wijkteam with any problem is skipped whole, so that ``--skip-invalid`` never stores half a
team.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from graph.model import Provenance
from importers.base import Context, ParsedFile, latest_date, start_table
from importers.cells import EMPTY
from importers.report import FileReport
from importers.resolve import GemeenteResolver
from importers.tabular import header_of
from importers.wijkteam_records import CONTACT_FIELDS, SPLIT, Team, build, split_areas
from importers.yamlfile import compose, has_top_key

TEAM_KEYS = ("id", "naam", "gemeente", "soort", "gebied", "contact", "zorgaanbieders", "fictief")
CSV_REQUIRED = ("id", "naam", "gemeente", "gebied")
CSV_COLUMNS = (
    *CSV_REQUIRED,
    "soort",
    "zorgaanbieders",
    "fictief",
    "bron",
    "peildatum",
    *(f"contact_{f}" for f in CONTACT_FIELDS),
)
YAML_TOP_KEYS = ("wijkteams", "bron", "peildatum")


def _resolver(context: Context | None) -> GemeenteResolver:
    return context.gemeenten() if context is not None else GemeenteResolver({}, {})


def _provenance(source: str, date: str, path: Path, import_id: str) -> Provenance:
    return Provenance(
        source=source.strip() or f"wijkteams (eigen opgave): {path.name}",
        source_date=date.strip() or "onbekend",
        import_id=import_id,
    )


def _version(parsed: ParsedFile, path: Path, dates: list[str]) -> None:
    """The file's version: its latest peildatum, else the day the file last changed."""
    parsed.version = latest_date(path, dates)


def _no_date_note(parsed: ParsedFile, line: int | None, field_name: str) -> None:
    parsed.problem(
        line,
        field_name,
        "",
        "geen peildatum: zeg wanneer deze gegevens zijn nagegaan (bijv. 2025-09-01)",
        fatal=False,
    )


class WijkteamsCsv:
    """``id,naam,gemeente,soort,gebied,contact_rol,…``: one row per wijkteam (module docstring)."""

    NAME = "sociale-kaart wijkteams (CSV)"

    @staticmethod
    def sniff(path: Path) -> bool:
        """A ``gebied`` column plus two of the other wijkteam columns, so that a file missing a
        required column is still recognised and the missing column named."""
        cols = set(header_of(path) or [])
        return "gebied" in cols and len(cols & (set(CSV_COLUMNS) - {"gebied"})) >= 2

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """Each row as a team's fields; a row's own ``bron`` and ``peildatum`` are its
        provenance, since a spreadsheet gathers rows checked at different times."""
        parsed, rows = start_table(path, cls.NAME, CSV_REQUIRED)
        if not rows:
            return parsed
        extra = [c for c in header_of(path) or [] if c and c not in CSV_COLUMNS]
        if extra:
            parsed.problem(1, ", ".join(extra), "", "onbekende kolom(men) genegeerd", fatal=False)
        if "peildatum" not in (header_of(path) or []):
            _no_date_note(parsed, 1, "peildatum")
        resolver = _resolver(context)
        seen: dict[str, int] = {}
        _version(parsed, path, [row.get("peildatum", "") for _, row in rows])
        for line, row in rows:
            if "peildatum" in row and not row["peildatum"]:
                _no_date_note(parsed, line, "peildatum")
            prov = _provenance(row.get("bron", ""), row.get("peildatum", ""), path, import_id)
            team = Team(line, prov)
            team.values = {k: row.get(k, "") for k in ("id", "naam", "gemeente", "soort", "fictief")}
            team.gebied = split_areas(row.get("gebied", ""))
            team.zorgaanbieders = [t for t in SPLIT.split(row.get("zorgaanbieders", "")) if t]
            team.contacts = [("contact_", {f: row.get(f"contact_{f}", "") for f in CONTACT_FIELDS})]
            build(parsed, team, resolver, seen)
        return parsed


def _plain(node: yaml.Node, depth: int = 0) -> Any:
    """A composed YAML node as text, lists and dicts (every scalar stays text: no YAML 1.1
    surprises such as ``nee`` → False or ``0235115000`` → an octal number)."""
    if depth > 20:
        raise ValueError("te diep genest")
    if isinstance(node, yaml.MappingNode):
        return {str(_plain(k, depth + 1)): _plain(v, depth + 1) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(n, depth + 1) for n in node.value]
    return node.value


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


class WijkteamsYaml:
    """``wijkteams:`` followed by a list of mappings (module docstring, and the example file)."""

    NAME = "sociale-kaart wijkteams (YAML)"

    @staticmethod
    def sniff(path: Path) -> bool:
        """By the top key only, so that a file with a YAML error is still ours and the error
        is reported with its line."""
        return has_top_key(path, "wijkteams")

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """Each mapping as a team's fields, with the file's ``bron`` and ``peildatum``: a
        hand-written file is checked as a whole, so unknown keys are problems (typos)."""
        parsed = ParsedFile(FileReport(file=str(path), format=cls.NAME))
        root = compose(path, parsed)
        if root is None:
            return parsed
        if not isinstance(root, yaml.MappingNode):
            parsed.problem(1, "wijkteams", "", "het bestand moet een mapping met een lijst 'wijkteams:' zijn")
            return parsed
        top = {str(k.value): (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
        for name, (knode, _) in top.items():
            if name not in YAML_TOP_KEYS:
                parsed.problem(
                    _line(knode), name, "", f"onbekende sleutel; bekend: {', '.join(YAML_TOP_KEYS)}"
                )
        if "wijkteams" not in top or not isinstance(top["wijkteams"][1], yaml.SequenceNode):
            line = _line(top["wijkteams"][0]) if "wijkteams" in top else 1
            parsed.problem(line, "wijkteams", "", "'wijkteams:' moet een lijst van wijkteams zijn")
            return parsed
        source = _text(_plain(top["bron"][1])) if "bron" in top else ""
        date = _text(_plain(top["peildatum"][1])) if "peildatum" in top else ""
        if not date.strip():
            _no_date_note(parsed, _line(top["peildatum"][0]) if "peildatum" in top else 1, "peildatum")
        prov = _provenance(source, date, path, import_id)
        _version(parsed, path, [date])
        resolver = _resolver(context)
        seen: dict[str, int] = {}
        for item in top["wijkteams"][1].value:
            parsed.report.rows_read += 1
            team = cls._team(parsed, item, prov)
            if team is not None:
                build(parsed, team, resolver, seen)
        return parsed

    @staticmethod
    def _team(parsed: ParsedFile, node: yaml.Node, prov: Provenance) -> Team | None:
        line = _line(node)
        if not isinstance(node, yaml.MappingNode):
            parsed.problem(line, "wijkteams", "", "elk wijkteam moet een mapping zijn (id: …, naam: …)")
            return None
        try:
            data: dict[str, Any] = _plain(node)
        except ValueError as exc:
            parsed.problem(line, "", "", str(exc))
            return None
        team = Team(line, prov)
        bad = False

        def wrong(field_name: str, value: object, reason: str) -> None:
            nonlocal bad
            bad = True
            parsed.problem(line, field_name, value if isinstance(value, str) else "", reason)

        for key in data:
            if key not in TEAM_KEYS:
                wrong(key, "", f"onbekende sleutel; bekend: {', '.join(TEAM_KEYS)}")
        for key in ("id", "naam", "gemeente", "soort", "fictief"):
            value = data.get(key, "")
            if not isinstance(value, str):
                wrong(key, "", "moet één waarde zijn, geen lijst of mapping")
            else:
                team.values[key] = value
        team.gebied = _list(data.get("gebied", ""), "gebied", wrong, split=split_areas)
        team.zorgaanbieders = _list(data.get("zorgaanbieders", ""), "zorgaanbieders", wrong)
        contact = data.get("contact", "")
        contacts = contact if isinstance(contact, list) else [contact] if contact not in EMPTY else []
        for n, fields in enumerate(contacts, start=1):
            prefix = f"contact[{n}]." if isinstance(contact, list) else "contact."
            if not isinstance(fields, dict):
                wrong(prefix.rstrip("."), "", "een contact is een mapping van rol, email, telefoon, website")
                continue
            for key, value in fields.items():
                if key not in CONTACT_FIELDS:
                    wrong(prefix + key, "", f"onbekende sleutel; bekend: {', '.join(CONTACT_FIELDS)}")
                elif not isinstance(value, str):
                    wrong(prefix + key, "", "moet één waarde zijn")
            team.contacts.append((prefix, {k: v for k, v in fields.items() if isinstance(v, str)}))
        return None if bad else team


def _tokens(text: str) -> list[str]:
    return [token for token in SPLIT.split(text) if token]


def _list(
    value: Any,
    field_name: str,
    wrong: Callable[[str, object, str], None],
    split: Callable[[str], list[str]] = _tokens,
) -> list[str]:
    """A YAML list or one text, split the same way (``2011 AB`` stays one PC6 either way)."""
    if isinstance(value, str):
        return split(value) if value not in EMPTY else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [token for v in value if v.strip() not in EMPTY for token in split(v)]
    wrong(field_name, "", "moet een lijst van waarden zijn")
    return []
