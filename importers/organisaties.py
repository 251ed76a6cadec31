"""Organisaties: the project's own format for the names and functional contacts that open
data lacks, in CSV or YAML.

Open data names no SWV and no school board, and gives no desk of a GGD, an RMC or a
gemeente's leerplicht; the people who run them keep these facts themselves (an SWV its name
and office, a gemeente its leerplicht desk). One row is one organisation or desk:

``soort``
    ``swv``, ``schoolbestuur``, ``ggd``, ``rmc``, ``jeugdregio``, ``gemeente`` (its general
    contact) or ``leerplicht`` (the gemeente's leerplicht desk).
``code``
    its code: an SWV in any spelling (``PO 27-04``), a bevoegd-gezagnummer, a CBS region code
    (``GG3109``, ``MC25``, ``JZ11``), or for ``gemeente`` and ``leerplicht`` the gemeente(n) it
    serves (GM codes or names; a regional leerplicht desk lists all of them).
``naam``
    the name people use (an SWV's, a board's, a GGD's); for a desk of a gemeente the desk's
    own name (the gemeente's name stays CBS's). Write ``(fictief)`` in made-up names.
``adres``, ``website``
    optional.
``rol``, ``telefoon``, ``email``
    the functional contact: its function (default by ``soort``: "samenwerkingsverband: extra
    ondersteuning en TLV", "leerplichtambtenaar" …) and a role mailbox or phone, never a
    person's (an address that looks like one is accepted, with a note).
``bron``, ``peildatum``, ``fictief``
    where the facts come from, the day they were checked, ``ja`` for a made-up contact (the
    demo's: the organisation is real, its desk's phone and mailbox are not).

CSV: one row per organisation, columns as above (required: ``soort, code``). YAML: a mapping
with ``organisaties:`` (a list of mappings with these keys) and optionally ``bron`` and
``peildatum`` for the whole file. Each row is a version of that organisation's own facts
(scope ``organisaties:swv:po2704``): a newer file replaces its contacts. A row with a problem is
skipped whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph import ids
from graph.model import Provenance
from graph.records import NodeKey
from importers.base import Context, ParsedFile, latest_date, start_table
from importers.cells import slug, yes_no
from importers.report import FileReport
from importers.resolve import GemeenteResolver
from importers.tabular import header_of
from importers.wijkteam_records import looks_mobile, looks_personal
from importers.yamlfile import compose, has_top_key

#: soort → (node kind, the contact's function when the row does not say it)
SOORTEN: dict[str, tuple[str, str]] = {
    "swv": ("Swv", "samenwerkingsverband: extra ondersteuning en toelaatbaarheid (TLV)"),
    "schoolbestuur": ("Schoolbestuur", "bestuursbureau: zorgplicht en aanmelding"),
    "ggd": ("Regio", "jeugdgezondheidszorg (GGD)"),
    "rmc": ("Regio", "RMC: voortijdig schoolverlaten"),
    "jeugdregio": ("Regio", "jeugdregio: inkoop jeugdhulp"),
    "gemeente": ("Gemeente", "gemeente: algemeen"),
    "leerplicht": ("Gemeente", "leerplichtambtenaar"),
}
REGIO_PREFIX = {"ggd": "GG", "rmc": "MC", "jeugdregio": "JZ"}
KEYS = (
    "soort",
    "code",
    "naam",
    "adres",
    "website",
    "rol",
    "telefoon",
    "email",
    "bron",
    "peildatum",
    "fictief",
)
NAME = "sociale-kaart organisaties"


@dataclass
class _Row:
    line: int
    values: dict[str, str]


def _codes(row: _Row, resolver: GemeenteResolver) -> list[NodeKey]:
    """The nodes a row is about; raises ValueError with the reason."""
    soort, code = row.values["soort"], row.values["code"].strip()
    kind = SOORTEN[soort][0]
    if kind == "Swv":
        return [NodeKey(kind, ids.swv_code(code))]
    if kind == "Schoolbestuur":
        return [NodeKey(kind, ids.bevoegd_gezag(code))]
    if kind == "Regio":
        return [NodeKey(kind, ids.regio_code(code, REGIO_PREFIX[soort]))]
    found = []
    for part in (p.strip() for p in re.split(r"[;,]", code) if p.strip()):
        gm, how = (
            resolver.by_code(ids.gemeente_code(part))
            if re.fullmatch(r"(?i)(GM)?\s*\d{1,4}", part)
            else resolver.by_name(part)
        )
        if gm is None:
            raise ValueError(f"{part!r}: {how}")
        found.append(NodeKey("Gemeente", gm))
    if not found:
        raise ValueError("geef de gemeente(n): GM-codes of namen")
    return found


def _add(parsed: ParsedFile, row: _Row, resolver: GemeenteResolver, prov: Provenance) -> None:
    """The records of one row, or none when it has a problem."""
    line, v = row.line, row.values
    if v["soort"] not in SOORTEN:
        parsed.problem(line, "soort", v["soort"], f"verwacht een van: {', '.join(SOORTEN)}")
        return
    try:
        keys = _codes(row, resolver)
        fictief = yes_no(v.get("fictief", ""))
    except ValueError as exc:  # IdentifierError included
        parsed.problem(line, "code", v["code"], str(exc))
        return
    kind = keys[0].kind
    since, before = parsed.mark(), sum(p.fatal for p in parsed.report.problems)
    if kind != "Gemeente":
        data: dict[str, Any] = {
            "id": keys[0].id,
            "naam": v.get("naam") or None,
            "adres": v.get("adres") or None,
        }
        data["website"] = v.get("website") or None  # 'fictief' is the contact's: the organisation is real
        if kind == "Regio":
            data["soort"] = v["soort"]
        parsed.add_entity(line, kind, {k: x for k, x in data.items() if x is not None}, prov)
    _contact(parsed, row, keys, fictief, prov)
    if sum(p.fatal for p in parsed.report.problems) > before:
        del parsed.nodes[since[0] :]
        del parsed.edges[since[1] :]
        return
    who = v.get("naam") or keys[0].id
    parsed.tag(since, f"organisaties:{v['soort']}:{keys[0].id.lower()}", f"gegevens en contacten van {who}")


def _contact(
    parsed: ParsedFile, row: _Row, keys: list[NodeKey], fictief: bool | None, prov: Provenance
) -> None:
    line, v = row.line, row.values
    if not any(v.get(k) for k in ("telefoon", "email")) and not (
        keys[0].kind == "Gemeente" and v.get("website")
    ):
        if keys[0].kind == "Gemeente":
            parsed.problem(
                line, "telefoon", "", "een loket van een gemeente heeft een telefoon, email of website nodig"
            )
        return
    rol = v.get("rol") or SOORTEN[v["soort"]][1]
    for field, check, why in (
        ("email", looks_personal, "lijkt het adres van een persoon"),
        ("telefoon", looks_mobile, "een mobiel nummer is vaak van een persoon"),
    ):
        if v.get(field) and check(v[field]):
            parsed.problem(
                line,
                field,
                v[field],
                f"{why}: geaccepteerd, maar liever dat van het loket zelf (we slaan organisaties op, "
                "geen personen)",
                fatal=False,
            )
    data: dict[str, Any] = {
        "id": f"{v['soort']}-{keys[0].id}-{slug(rol)}"[:120].rstrip("-._").lower(),
        "rol": rol,
        **{k: v[k] for k in ("telefoon", "email", "website", "adres") if v.get(k)},
    }
    if keys[0].kind == "Gemeente" and v.get("naam"):
        data["naam"] = v["naam"]
    if fictief is not None:
        data["fictief"] = fictief
    contact = parsed.add_entity(line, "Contact", data, prov)
    if contact is not None:
        for key in keys:
            parsed.add_relation(line, "HEEFT_CONTACT", key, contact, prov)


def _parse_rows(
    parsed: ParsedFile,
    path: Path,
    rows: list[_Row],
    source: str,
    when: str,
    import_id: str,
    context: Context | None,
) -> ParsedFile:
    """The version of the file (its latest peildatum) and the records of every row."""
    parsed.version = latest_date(path, [r.values.get("peildatum", "") for r in rows] + [when])
    prov = Provenance(
        source=source or f"organisaties (eigen opgave): {path.name}",
        source_date=parsed.version,
        import_id=import_id,
    )
    resolver = context.gemeenten() if context else GemeenteResolver({}, {})
    for row in rows:
        _add(parsed, row, resolver, prov)
    return parsed


class OrganisatiesCsv:
    """The CSV form of the organisaties format: one row per organisation or desk."""

    NAME = f"{NAME} (CSV)"
    REQUIRED = ("soort", "code")

    @staticmethod
    def sniff(path: Path) -> bool:
        """By the header only: ``soort`` and ``code``, at least one of ``naam``/``telefoon``/``email``/
        ``rol`` (``soort,code`` alone says too little) and no column outside KEYS; the values are
        not looked at, so that a row with a wrong ``soort`` is reported rather than unrecognised."""
        cols = set(header_of(path) or [])
        return (
            {"soort", "code"} <= cols
            and bool(cols & {"naam", "telefoon", "email", "rol"})
            and cols <= set(KEYS)
        )

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """Each row an organisation's node (name, address, website) and its ``Contact`` with
        ``HEEFT_CONTACT``, in its own scope; version the latest ``peildatum``, source the first ``bron``."""
        parsed, rows = start_table(path, cls.NAME, cls.REQUIRED)
        items = [
            _Row(
                line,
                {k: row.get(k, "").strip() for k in KEYS} | {"soort": row.get("soort", "").strip().lower()},
            )
            for line, row in rows
        ]
        source = next((r.values["bron"] for r in items if r.values.get("bron")), "")
        return _parse_rows(parsed, path, items, source, "", import_id, context)


class OrganisatiesYaml:
    """The YAML form of the organisaties format: a list under ``organisaties:``, written by hand."""

    NAME = f"{NAME} (YAML)"

    @staticmethod
    def sniff(path: Path) -> bool:
        """By the top key ``organisaties`` only, so that a file with a YAML error is still ours and
        the error is reported with its line."""
        return has_top_key(path, "organisaties")

    @classmethod
    def parse(cls, path: Path, import_id: str, context: Context | None = None) -> ParsedFile:
        """As the CSV form, with the file's ``bron`` and ``peildatum``; an unknown key or a value that
        is not a single value refuses the organisation (a typo would otherwise be lost silently)."""
        parsed = ParsedFile(FileReport(file=str(path), format=cls.NAME))
        root = compose(path, parsed)
        if root is None:
            return parsed
        top = {str(k.value): v for k, v in (root.value if isinstance(root, yaml.MappingNode) else [])}
        listing = top.get("organisaties")
        if not isinstance(listing, yaml.SequenceNode):
            parsed.problem(1, "organisaties", "", "'organisaties:' moet een lijst van organisaties zijn")
            return parsed
        items = []
        for node in listing.value:
            parsed.report.rows_read += 1
            line = node.start_mark.line + 1
            if not isinstance(node, yaml.MappingNode):
                parsed.problem(
                    line, "organisaties", "", "elke organisatie is een mapping (soort: …, code: …)"
                )
                continue
            values = {
                str(k.value): v.value if isinstance(v, yaml.ScalarNode) else None for k, v in node.value
            }
            bad = [k for k in values if k not in KEYS] + [k for k, x in values.items() if x is None]
            if bad:
                parsed.problem(
                    line,
                    bad[0],
                    "",
                    f"onbekende sleutel of geen enkelvoudige waarde; bekend: {', '.join(KEYS)}",
                )
                continue
            items.append(
                _Row(
                    line,
                    {k: str(values.get(k) or "").strip() for k in KEYS}
                    | {"soort": str(values.get("soort") or "").strip().lower()},
                )
            )
        source = top["bron"].value if isinstance(top.get("bron"), yaml.ScalarNode) else ""
        when = top["peildatum"].value if isinstance(top.get("peildatum"), yaml.ScalarNode) else ""
        return _parse_rows(parsed, path, items, str(source), str(when), import_id, context)
