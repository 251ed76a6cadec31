"""One wijkteam's records, from its fields as text, whichever format they were written in.

The CSV and YAML forms of the wijkteams format (:mod:`importers.wijkteams`) differ only in
how they hold a team's fields; what the fields mean (an area, a gemeente, a contact that
must be a role's) is read here once, so that both forms accept and refuse the same teams.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from pydantic import ValidationError

from graph import ids
from graph.model import Provenance, entity
from graph.records import NodeKey
from importers.base import ParsedFile
from importers.cells import EMPTY, slug, yes_no
from importers.report import problems_from_validation
from importers.resolve import GemeenteResolver
from importers.units import start_unit

SOORTEN = ("wijkteam", "jeugdteam", "gebiedsteam", "buurtteam", "cjg", "loket")
#: A longer PC4 range is more likely a typo (``2011-2105``) than an area one team serves;
#: a whole gemeente is written ``gemeente``.
MAX_RANGE = 100
CONTACT_FIELDS = ("rol", "email", "telefoon", "website")

SPLIT = re.compile(r"[\s;,]+")
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
    """A mobile number is often a person's, which we do not store: a note, never a refusal."""
    digits = re.sub(r"\D", "", phone)
    return digits.startswith("06") or digits.startswith("316")


class Team:
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


def split_areas(text: str) -> list[str]:
    """Split a CSV list; ``2011 AB`` is one PC6, not a PC4 and a stray word."""
    out: list[str] = []
    for token in (t for t in SPLIT.split(text) if t):
        if re.fullmatch(r"[A-Za-z]{2}", token) and out and re.fullmatch(r"\d{4}", out[-1]):
            out[-1] += token
        else:
            out.append(token)
    return out


def _gemeente(team: Team, parsed: ParsedFile, resolver: GemeenteResolver) -> str | None:
    raw = team.values.get("gemeente", "").strip()
    if not raw:
        parsed.problem(team.line, "gemeente", "", "verplicht: een GM-code of de naam van een gemeente")
        return None
    if re.fullmatch(r"(?i)(GM)?\s*\d{1,4}", raw):
        code = ids.gemeente_code(raw)
        now, _ = resolver.by_code(code)
        if now is not None and now != code:
            parsed.problem(
                team.line,
                "gemeente",
                raw,
                f"{code} is opgegaan in {now} (herindeling): {now} gebruikt",
                fatal=False,
            )
            return now
        return code  # an unknown code is reported by the store as a missing node, with this line
    found, how = resolver.by_name(raw)
    if found is None:
        parsed.problem(team.line, "gemeente", raw, f"niet gevonden: {how}")
    return found


def _areas(token: str, gm: str | None) -> list[tuple[str, str]]:
    """The (kind, id) of the areas one ``gebied`` entry names; raises ValueError with the reason."""
    if token.lower() == "gemeente":
        if gm is None:
            raise ValueError("'gemeente' vraagt om een geldige gemeente")
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
            raise ValueError(f"het bereik loopt achteruit: schrijf {high}-{low}")
        if int(high) - int(low) + 1 > MAX_RANGE:
            raise ValueError(
                f"het bereik omvat {int(high) - int(low) + 1} PC4's, meer dan {MAX_RANGE}: "
                "splits het, of schrijf 'gemeente' voor de hele gemeente"
            )
        return [("PC4", str(n)) for n in range(int(low), int(high) + 1)]
    if re.fullmatch(r"\d{4}", text):
        return [("PC4", ids.pc4(text))]
    if re.fullmatch(r"\d{4}\s?[A-Za-z]{2}", text):
        return [("PC6", ids.pc6(text))]
    raise ValueError(
        "geen gebied: verwacht een PC4 (2011), PC6 (2011AB), PC4-bereik (2011-2015), "
        "wijk (WK039201), buurt (BU03920101) of het woord 'gemeente'"
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
    parsed: ParsedFile, team: Team, team_id: str | None, prefix: str, fields: dict[str, str]
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
            "een contact heeft een rol nodig: de functie die het vervult (bijv. 'toegang jeugdhulp'), "
            "nooit de naam van een persoon",
        )
        return
    if not any(data.get(k) for k in ("email", "telefoon", "website")):
        parsed.problem(
            line, f"{prefix}rol", data["rol"], "een contact heeft een email, telefoon of website nodig"
        )
        return
    if data.get("email") and looks_personal(data["email"]):
        parsed.problem(
            line,
            f"{prefix}email",
            data["email"],
            "lijkt het adres van een persoon: geaccepteerd als contact voor deze rol, "
            "maar liever een functiemailbox (we slaan organisaties op, geen personen)",
            fatal=False,
        )
    if data.get("telefoon") and looks_mobile(data["telefoon"]):
        parsed.problem(
            line,
            f"{prefix}telefoon",
            data["telefoon"],
            "een mobiel nummer is vaak van een persoon: geaccepteerd, maar liever het eigen nummer van "
            "het team",
            fatal=False,
        )
    # Validated even when the team itself is not, so that every problem shows at once; the
    # records of a team with problems are dropped by build.
    contact_id = f"{team_id or 'wijkteam'}-{slug(data['rol']) or 'contact'}"[:120].rstrip("-._")
    key = _entity(parsed, line, "Contact", {"id": contact_id, **data}, prov, prefix)
    if key is not None and team_id is not None:
        parsed.add_relation(line, "HEEFT_CONTACT", NodeKey("Wijkteam", team_id), key, prov)


def build(parsed: ParsedFile, team: Team, resolver: GemeenteResolver, seen: dict[str, int]) -> None:
    """All records of one wijkteam, or none of them when it has a problem: a wijkteam is one
    unit (:mod:`importers.units`), so that ``--skip-invalid`` never stores half a team."""
    line, prov, values = team.line, team.provenance, team.values
    unit = start_unit(parsed)
    since = parsed.mark()

    data: dict[str, Any] = {"id": values.get("id", ""), "naam": values.get("naam", "")}
    soort = values.get("soort", "").strip().lower()
    if soort in SOORTEN:
        data["soort"] = soort
    elif soort not in EMPTY:
        parsed.problem(line, "soort", values["soort"], f"verwacht een van: {', '.join(SOORTEN)}")
    try:
        data["fictief"] = yes_no(values.get("fictief", ""))
    except ValueError as exc:
        parsed.problem(line, "fictief", values["fictief"], str(exc))
    team_key = _entity(parsed, line, "Wijkteam", data, prov)
    team_id = team_key.id if team_key else None
    if team_id is not None and team_id in seen:
        parsed.problem(line, "id", team_id, f"dit wijkteam-id staat ook op regel {seen[team_id]}")
        team_id = team_key = None
    elif team_id is not None:
        seen[team_id] = line

    gm = _gemeente(team, parsed, resolver)
    if team_key and gm:
        parsed.add_relation(line, "WERKT_VOOR", team_key, NodeKey("Gemeente", gm), prov)
    _serves(parsed, team, team_key, gm)
    _contacts(parsed, team, team_id)
    for raw in team.zorgaanbieders:
        try:
            provider = ids.eigen_id(raw, "zorgaanbieders")
        except ids.IdentifierError as exc:
            parsed.problem(line, "zorgaanbieders", raw, str(exc))
            continue
        if team_key:
            parsed.add_relation(line, "WERKT_SAMEN_MET", team_key, NodeKey("Zorgaanbieder", provider), prov)

    if unit.close() and gm:
        # a file of wijkteams is a version of each of its gemeenten's list of teams
        parsed.tag(since, f"wijkteams:{gm.lower()}", f"wijkteams van {gm}")


def _serves(parsed: ParsedFile, team: Team, team_key: NodeKey | None, gm: str | None) -> None:
    """The areas the team serves, each once however it was written (a PC4 also in a range)."""
    line, prov = team.line, team.provenance
    if not team.gebied:
        parsed.problem(
            line,
            "gebied",
            "",
            "verplicht: de gebieden die het team bedient, of 'gemeente' voor de hele gemeente",
        )
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
                    f"deze {kind.lower()}code is van gemeente GM{area_id[2:6]}, niet van {gm} "
                    "(goed voor een team over de grens, of een code van vóór een herindeling)",
                    fatal=False,
                )
            served.add((kind, area_id))
    for kind, area_id in sorted(served):
        if kind != "Gemeente":
            _entity(parsed, line, kind, {"id": area_id}, prov)
        if team_key:
            parsed.add_relation(line, "BEDIENT", team_key, NodeKey(kind, area_id), prov)


def _contacts(parsed: ParsedFile, team: Team, team_id: str | None) -> None:
    """The team's contacts: one per rol, since a contact's id is made from its rol."""
    seen_roles: set[str] = set()
    for prefix, fields in team.contacts:
        rol = slug(fields.get("rol", ""))
        if rol and rol in seen_roles:
            why = "twee contacten van één team met dezelfde rol"
            parsed.problem(team.line, f"{prefix}rol", fields["rol"], why)
            continue
        seen_roles.add(rol)
        _contact(parsed, team, team_id, prefix, fields)
