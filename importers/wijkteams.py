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

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from graph import ids
from graph.model import Provenance, entity
from graph.records import NodeKey
from importers.base import Context, ParsedFile, latest_date, start_table
from importers.cells import EMPTY, yes_no
from importers.report import FileReport, problems_from_validation
from importers.resolve import GemeenteResolver
from importers.tabular import header_of
from importers.yamlfile import compose, has_top_key

SOORTEN = ("wijkteam", "jeugdteam", "gebiedsteam", "buurtteam", "cjg", "loket")
#: A longer PC4 range is more likely a typo (``2011-2105``) than an area one team serves;
#: a whole gemeente is written ``gemeente``.
MAX_RANGE = 100
CONTACT_FIELDS = ("rol", "email", "telefoon", "website")
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

_SPLIT = re.compile(r"[\s;,]+")
_RANGE = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")
#: Words that make a mailbox a role's, not a person's (compared with the parts of the local
#: part, e.g. ``toegang.jeugd`` → ``toegang``, ``jeugd``).
_ROLE_WORDS = (
    "info",
    "team",
    "jeugd",
    "toegang",
    "loket",
    "cjg",
    "contact",
    "aanmeld",
    "secretariaat",
    "zorg",
    "wijk",
    "buurt",
    "gebied",
    "gemeente",
    "wmo",
    "sociaal",
    "welzijn",
    "balie",
    "jgz",
    "school",
    "leerplicht",
    "rmc",
    "ggd",
    "swv",
    "intake",
    "office",
    "helpdesk",
    "servicedesk",
    "vragen",
    "post",
    "mail",
    "planning",
    "noord",
    "zuid",
    "oost",
    "west",
    "centrum",
)


def slug(text: str) -> str:
    """``'Toegang jeugdhulp (fictief)'`` → ``'toegang-jeugdhulp-fictief'``: ids made from names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def looks_personal(email: str) -> bool:
    """A heuristic, so only ever a note: ``j.jansen@`` or ``jan.de.vries@`` look like a person,
    ``wijkteam-noord@`` or ``toegang.jeugd@`` like a role. A single word (``jansen@``) cannot
    be told apart and is not flagged."""
    local, at, _ = email.lower().partition("@")
    if not at:
        return False  # not an address at all: the model says so
    parts = [p for p in re.split(r"[._+-]+", local) if p]
    if any(word in part for part in parts for word in _ROLE_WORDS):
        return False
    return len(parts) >= 2 and all(p.isalpha() for p in parts)


def looks_mobile(phone: str) -> bool:
    digits = re.sub(r"\D", "", phone)
    return digits.startswith("06") or digits.startswith("316")




class _Team:
    """One wijkteam's fields as text, from a CSV row or a YAML mapping, with the field names
    the source uses (``contact_email`` or ``contact.email``) so that problems name them."""

    def __init__(self, line: int, provenance: Provenance) -> None:
        self.line = line
        self.provenance = provenance
        self.values: dict[str, str] = {}
        self.gebied: list[str] = []
        self.zorgaanbieders: list[str] = []
        #: (field-name prefix, fields) per contact
        self.contacts: list[tuple[str, dict[str, str]]] = []


def _split_areas(text: str) -> list[str]:
    """Split a CSV list; ``2011 AB`` is one PC6, not a PC4 and a stray word."""
    out: list[str] = []
    for token in (t for t in _SPLIT.split(text) if t):
        if re.fullmatch(r"[A-Za-z]{2}", token) and out and re.fullmatch(r"\d{4}", out[-1]):
            out[-1] += token
        else:
            out.append(token)
    return out


def _gemeente(team: _Team, parsed: ParsedFile, resolver: GemeenteResolver) -> str | None:
    raw = team.values.get("gemeente", "").strip()
    if not raw:
        parsed.problem(team.line, "gemeente", "", "required: a GM code or the name of a gemeente")
        return None
    if re.fullmatch(r"(?i)(GM)?\s*\d{1,4}", raw):
        code = ids.gemeente_code(raw)
        now, _ = resolver.by_code(code)
        if now is not None and now != code:
            parsed.problem(
                team.line, "gemeente", raw, f"{code} merged into {now} (herindeling): {now} used", fatal=False
            )
            return now
        return code  # an unknown code is reported by the store as a missing node, with this line
    found, how = resolver.by_name(raw)
    if found is None:
        parsed.problem(team.line, "gemeente", raw, f"unresolved: {how}")
    return found


def _areas(token: str, gm: str | None) -> list[tuple[str, str]]:
    """The (kind, id) of the areas one ``gebied`` entry names; raises ValueError with the reason."""
    if token.lower() == "gemeente":
        if gm is None:
            raise ValueError("'gemeente' needs a valid gemeente")
        return [("Gemeente", gm)]
    text = token.strip()
    upper = text.upper()
    if upper.startswith("WK"):
        return [("Wijk", ids.wijk_code(text))]
    if upper.startswith("BU"):
        return [("Buurt", ids.buurt_code(text))]
    m = _RANGE.match(text)
    if m:
        low, high = ids.pc4(m.group(1)), ids.pc4(m.group(2))
        if int(low) > int(high):
            raise ValueError(f"the range runs backwards: write {high}-{low}")
        if int(high) - int(low) + 1 > MAX_RANGE:
            raise ValueError(
                f"the range holds {int(high) - int(low) + 1} PC4s, more than {MAX_RANGE}: "
                "split it, or write 'gemeente' for the whole gemeente"
            )
        return [("PC4", str(n)) for n in range(int(low), int(high) + 1)]
    if re.fullmatch(r"\d{4}", text):
        return [("PC4", ids.pc4(text))]
    if re.fullmatch(r"\d{4}\s?[A-Za-z]{2}", text):
        return [("PC6", ids.pc6(text))]
    raise ValueError(
        "not an area: expected a PC4 (2011), PC6 (2011AB), PC4 range (2011-2015), "
        "wijk (WK039201), buurt (BU03920101) or the word 'gemeente'"
    )


def _entity(
    parsed: ParsedFile, line: int, kind: str, data: dict[str, Any], prov: Provenance, prefix: str = ""
) -> NodeKey | None:
    """Like :meth:`ParsedFile.add_entity`, but problems carry the source's field name
    (``contact_email`` in CSV, ``contact.email`` in YAML)."""
    try:
        record = entity(kind, {**data, "provenance": prov}).to_record()
    except ValidationError as exc:
        problems = problems_from_validation(exc, parsed.report.file, line)
        parsed.report.problems.extend(dataclasses.replace(p, field=prefix + p.field) for p in problems)
        return None
    parsed.nodes.append((line, record))
    return record.key


def _contact(
    parsed: ParsedFile, team: _Team, team_id: str | None, prefix: str, fields: dict[str, str]
) -> None:
    line, prov = team.line, team.provenance
    data = {k: v.strip() for k, v in fields.items() if v.strip() not in EMPTY}
    if not data:
        return
    if not data.get("rol"):
        parsed.problem(
            line,
            f"{prefix}rol",
            "",
            "a contact needs a rol: the function it serves (e.g. 'toegang jeugdhulp'), never a person's name",
        )
        return
    if not any(data.get(k) for k in ("email", "telefoon", "website")):
        parsed.problem(line, f"{prefix}rol", data["rol"], "a contact needs an email, telefoon or website")
        return
    if data.get("email") and looks_personal(data["email"]):
        parsed.problem(
            line,
            f"{prefix}email",
            data["email"],
            "looks like a person's address: accepted as the contact for this rol, "
            "but prefer a role mailbox (we store organisations, not people)",
            fatal=False,
        )
    if data.get("telefoon") and looks_mobile(data["telefoon"]):
        parsed.problem(
            line,
            f"{prefix}telefoon",
            data["telefoon"],
            "a mobile number often belongs to a person: accepted, but prefer the team's own number",
            fatal=False,
        )
    # Validated even when the team itself is not, so that every problem shows at once; the
    # records of a team with problems are dropped by _build.
    contact_id = f"{team_id or 'wijkteam'}-{slug(data['rol']) or 'contact'}"[:120].rstrip("-._")
    key = _entity(parsed, line, "Contact", {"id": contact_id, **data}, prov, prefix)
    if key is not None and team_id is not None:
        parsed.add_relation(line, "HEEFT_CONTACT", NodeKey("Wijkteam", team_id), key, prov)


def _build(parsed: ParsedFile, team: _Team, resolver: GemeenteResolver, seen: dict[str, int]) -> None:
    """All records of one wijkteam, or none of them when it has a problem."""
    line, prov, values = team.line, team.provenance, team.values
    start = (len(parsed.nodes), len(parsed.edges), sum(p.fatal for p in parsed.report.problems))
    since = parsed.mark()

    data: dict[str, Any] = {"id": values.get("id", ""), "naam": values.get("naam", "")}
    soort = values.get("soort", "").strip().lower()
    if soort in SOORTEN:
        data["soort"] = soort
    elif soort not in EMPTY:
        parsed.problem(line, "soort", values["soort"], f"expected one of: {', '.join(SOORTEN)}")
    try:
        data["fictief"] = yes_no(values.get("fictief", ""))
    except ValueError as exc:
        parsed.problem(line, "fictief", values["fictief"], str(exc))
    team_key = _entity(parsed, line, "Wijkteam", data, prov)
    team_id = team_key.id if team_key else None
    if team_id is not None and team_id in seen:
        parsed.problem(line, "id", team_id, f"this wijkteam id is also used on line {seen[team_id]}")
        team_id = team_key = None
    elif team_id is not None:
        seen[team_id] = line

    gm = _gemeente(team, parsed, resolver)
    if team_key and gm:
        parsed.add_relation(line, "WERKT_VOOR", team_key, NodeKey("Gemeente", gm), prov)

    if not team.gebied:
        parsed.problem(line, "gebied", "", "required: the areas served, or 'gemeente' for the whole gemeente")
    served: set[tuple[str, str]] = set()
    for token in team.gebied:
        try:
            areas = _areas(token, gm)
        except ValueError as exc:  # IdentifierError included
            parsed.problem(line, "gebied", token, str(exc))
            continue
        for kind, area_id in areas:
            if kind in ("Wijk", "Buurt") and gm and area_id[2:6] != gm[2:]:
                parsed.problem(
                    line,
                    "gebied",
                    token,
                    f"this {kind.lower()} code is of gemeente GM{area_id[2:6]}, not of {gm} "
                    "(fine for a team across the border, or a code from before a herindeling)",
                    fatal=False,
                )
            served.add((kind, area_id))
    for kind, area_id in sorted(served):
        if kind != "Gemeente":
            _entity(parsed, line, kind, {"id": area_id}, prov)
        if team_key:
            parsed.add_relation(line, "BEDIENT", team_key, NodeKey(kind, area_id), prov)

    seen_roles: set[str] = set()
    for prefix, fields in team.contacts:
        rol = slug(fields.get("rol", ""))
        if rol and rol in seen_roles:
            parsed.problem(line, f"{prefix}rol", fields["rol"], "two contacts of one team with the same rol")
            continue
        seen_roles.add(rol)
        _contact(parsed, team, team_id, prefix, fields)

    for raw in team.zorgaanbieders:
        try:
            provider = ids.eigen_id(raw, "zorgaanbieders")
        except ids.IdentifierError as exc:
            parsed.problem(line, "zorgaanbieders", raw, str(exc))
            continue
        if team_key:
            parsed.add_relation(line, "WERKT_SAMEN_MET", team_key, NodeKey("Zorgaanbieder", provider), prov)

    if sum(p.fatal for p in parsed.report.problems) > start[2]:
        del parsed.nodes[start[0] :]
        del parsed.edges[start[1] :]
    elif gm:
        # a file of wijkteams is a version of each of its gemeenten's list of teams
        parsed.tag(since, f"wijkteams:{gm.lower()}", f"wijkteams van {gm}")


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
        line, field_name, "", "no peildatum: say when these facts were checked (e.g. 2025-09-01)", fatal=False
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
        parsed, rows = start_table(path, cls.NAME, CSV_REQUIRED)
        if not rows:
            return parsed
        extra = [c for c in header_of(path) or [] if c and c not in CSV_COLUMNS]
        if extra:
            parsed.problem(1, ", ".join(extra), "", "unknown column(s) ignored", fatal=False)
        if "peildatum" not in (header_of(path) or []):
            _no_date_note(parsed, 1, "peildatum")
        resolver = _resolver(context)
        seen: dict[str, int] = {}
        _version(parsed, path, [row.get("peildatum", "") for _, row in rows])
        for line, row in rows:
            if "peildatum" in row and not row["peildatum"]:
                _no_date_note(parsed, line, "peildatum")
            prov = _provenance(row.get("bron", ""), row.get("peildatum", ""), path, import_id)
            team = _Team(line, prov)
            team.values = {k: row.get(k, "") for k in ("id", "naam", "gemeente", "soort", "fictief")}
            team.gebied = _split_areas(row.get("gebied", ""))
            team.zorgaanbieders = [t for t in _SPLIT.split(row.get("zorgaanbieders", "")) if t]
            team.contacts = [("contact_", {f: row.get(f"contact_{f}", "") for f in CONTACT_FIELDS})]
            _build(parsed, team, resolver, seen)
        return parsed


def _plain(node: yaml.Node, depth: int = 0) -> Any:
    """A composed YAML node as text, lists and dicts (every scalar stays text: no YAML 1.1
    surprises such as ``nee`` → False or ``0235115000`` → an octal number)."""
    if depth > 20:
        raise ValueError("nested too deeply")
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
        return has_top_key(path, "wijkteams")

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        parsed = ParsedFile(FileReport(file=str(path), format=cls.NAME))
        root = compose(path, parsed)
        if root is None:
            return parsed
        if not isinstance(root, yaml.MappingNode):
            parsed.problem(1, "wijkteams", "", "the file must be a mapping with a 'wijkteams:' list")
            return parsed
        top = {str(k.value): (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
        for name, (knode, _) in top.items():
            if name not in YAML_TOP_KEYS:
                parsed.problem(_line(knode), name, "", f"unknown key; known: {', '.join(YAML_TOP_KEYS)}")
        if "wijkteams" not in top or not isinstance(top["wijkteams"][1], yaml.SequenceNode):
            line = _line(top["wijkteams"][0]) if "wijkteams" in top else 1
            parsed.problem(line, "wijkteams", "", "'wijkteams:' must be a list of wijkteams")
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
                _build(parsed, team, resolver, seen)
        return parsed

    @staticmethod
    def _team(parsed: ParsedFile, node: yaml.Node, prov: Provenance) -> _Team | None:
        line = _line(node)
        if not isinstance(node, yaml.MappingNode):
            parsed.problem(line, "wijkteams", "", "each wijkteam must be a mapping (id: …, naam: …)")
            return None
        try:
            data: dict[str, Any] = _plain(node)
        except ValueError as exc:
            parsed.problem(line, "", "", str(exc))
            return None
        team = _Team(line, prov)
        bad = False

        def wrong(field_name: str, value: object, reason: str) -> None:
            nonlocal bad
            bad = True
            parsed.problem(line, field_name, value if isinstance(value, str) else "", reason)

        for key in data:
            if key not in TEAM_KEYS:
                wrong(key, "", f"unknown key; known: {', '.join(TEAM_KEYS)}")
        for key in ("id", "naam", "gemeente", "soort", "fictief"):
            value = data.get(key, "")
            if not isinstance(value, str):
                wrong(key, "", "must be a single value, not a list or mapping")
            else:
                team.values[key] = value
        team.gebied = _list(data.get("gebied", ""), "gebied", wrong, split=_split_areas)
        team.zorgaanbieders = _list(data.get("zorgaanbieders", ""), "zorgaanbieders", wrong)
        contact = data.get("contact", "")
        contacts = contact if isinstance(contact, list) else [contact] if contact not in EMPTY else []
        for n, fields in enumerate(contacts, start=1):
            prefix = f"contact[{n}]." if isinstance(contact, list) else "contact."
            if not isinstance(fields, dict):
                wrong(prefix.rstrip("."), "", "a contact is a mapping of rol, email, telefoon, website")
                continue
            for key, value in fields.items():
                if key not in CONTACT_FIELDS:
                    wrong(prefix + key, "", f"unknown key; known: {', '.join(CONTACT_FIELDS)}")
                elif not isinstance(value, str):
                    wrong(prefix + key, "", "must be a single value")
            team.contacts.append((prefix, {k: v for k, v in fields.items() if isinstance(v, str)}))
        return None if bad else team


def _tokens(text: str) -> list[str]:
    return [token for token in _SPLIT.split(text) if token]


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
    wrong(field_name, "", "must be a list of values")
    return []
