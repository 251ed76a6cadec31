"""Reading HSDS: a JSON file or a Tabular Data Package into :class:`~importers.hsds.tables.Row`s.

Directories publish HSDS in several shapes (flat arrays linked by id, objects nested as HSDS 3
compiles them, CSV files described by a ``datapackage.json``, HSDS 2 names). All of them are
read here into one shape, so that the builder has one thing to understand, and every row
keeps its file and line, so that every problem names file, line, field and reason.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from importers import jsonfile
from importers.base import ParsedFile
from importers.formats import head_text
from importers.hsds.tables import ALIAS, TABLES, Row, Tables
from importers.limits import InputRefused, read_bounded
from importers.tabular import from_formula_safe, read_table

_MANY, _ONE = "many", "one"
#: Objects nested in others, as HSDS 3 compiles them: (key, child table, how, link field).
#: ``many``: a list of children that get the parent's id in the link field; ``one``: a single
#: child whose id the parent keeps in the link field.
NESTED: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "organization": (
        ("services", "service", _MANY, "organization_id"),
        ("locations", "location", _MANY, "organization_id"),
        ("contacts", "contact", _MANY, "organization_id"),
        ("phones", "phone", _MANY, "organization_id"),
        ("organization_identifiers", "organization_identifier", _MANY, "organization_id"),
        ("funding", "funding", _MANY, "organization_id"),
        ("fundings", "funding", _MANY, "organization_id"),
        ("attributes", "attribute", _MANY, "link_id"),
    ),
    "service": (
        ("organization", "organization", _ONE, "organization_id"),
        ("service_at_locations", "service_at_location", _MANY, "service_id"),
        ("service_areas", "service_area", _MANY, "service_id"),
        ("contacts", "contact", _MANY, "service_id"),
        ("phones", "phone", _MANY, "service_id"),
        ("funding", "funding", _MANY, "service_id"),
        ("fundings", "funding", _MANY, "service_id"),
        ("attributes", "attribute", _MANY, "link_id"),
    ),
    "service_at_location": (
        ("service", "service", _ONE, "service_id"),
        ("location", "location", _ONE, "location_id"),
        ("contacts", "contact", _MANY, "service_at_location_id"),
        ("phones", "phone", _MANY, "service_at_location_id"),
    ),
    "location": (
        ("addresses", "address", _MANY, "location_id"),
        ("addresss", "address", _MANY, "location_id"),
        ("contacts", "contact", _MANY, "location_id"),
        ("phones", "phone", _MANY, "location_id"),
        ("attributes", "attribute", _MANY, "link_id"),
    ),
    "contact": (("phones", "phone", _MANY, "contact_id"),),
    "attribute": (("taxonomy_term", "taxonomy_term", _ONE, "taxonomy_term_id"),),
    "taxonomy_term": (
        ("taxonomy_detail", "taxonomy", _ONE, "taxonomy_id"),
        ("taxonomy", "taxonomy", _ONE, "taxonomy_id"),  # an object in early 3.0 drafts
    ),
}


def sniff(path: Path) -> bool:
    """A JSON object with HSDS arrays, or a data package descriptor naming HSDS CSV files.

    Files are recognised by content, not by name: a directory's export is called whatever its
    publisher chose, and only the head is read, because :mod:`importers.run` asks every format
    about every file."""
    head = head_text(path, 65536)
    if head is None or not head.lstrip().startswith("{"):
        return False
    if re.search(r'"resources"\s*:', head):
        return bool(re.search(r"(organizations|services|taxonomy_terms)\.csv", head))
    keys = "|".join(a for t in ("organization", "service", "location", "taxonomy_term") for a in TABLES[t])
    return bool(re.search(rf'"(?:{keys}|service_at_locations|service_areas)"\s*:\s*\[', head))


def load(path: Path, parsed: ParsedFile) -> tuple[Tables, dict[str, Any]] | None:
    """The rows of a file or folder, and the top-level fields that say whose data it is; None
    when nothing can be read, the reason recorded in ``parsed``, so that one unreadable file
    is reported and not mistaken for an empty directory."""
    if path.is_dir():
        descriptor = path / "datapackage.json"
        if descriptor.is_file():
            path = descriptor
        else:
            return load_package(path, {}, parsed), {}
    try:
        document = load_json(read_bounded(path).decode("utf-8-sig"))
    except InputRefused as exc:
        parsed.report.problems.append(exc.problem(str(path)))
        return None
    except UnicodeDecodeError as exc:
        parsed.problem(None, "", "", f"geen geldige UTF-8: {exc.reason}")
        return None
    except json.JSONDecodeError as exc:
        parsed.problem(exc.lineno, "", "", f"geen geldige JSON: {exc.msg}")
        return None
    if not isinstance(document, dict):
        parsed.problem(1, "", "", "een HSDS-bestand moet één JSON-object bevatten")
        return None
    if isinstance(document.get("resources"), list):
        return load_package(path.parent, document, parsed), document
    return flatten(document, str(path), parsed), document


def load_json(text: str) -> Any:
    """``json.loads``, but every object knows its line: an HSDS file is often one long
    document, and a problem that names no line would leave the user searching it. Nesting
    and duplicate keys are checked as for every JSON an import reads
    (:func:`importers.jsonfile.load_json`)."""
    return jsonfile.load_json(text, located=True)


def flatten(document: dict[str, Any], file: str, parsed: ParsedFile) -> Tables:
    """Every object of the document in its own table, nested ones linked by id: HSDS 3
    compiles objects into their parents, other publishers keep them flat, and the builder
    should see one form only."""
    tables: Tables = defaultdict(list)
    for key, value in document.items():
        table = ALIAS.get(key)
        if table is None:
            continue
        if not isinstance(value, list):
            parsed.problem(_line(document), key, "", f"'{key}' moet een array van {table}-objecten zijn")
            continue
        for item in value:
            _collect(table, item, {}, file, tables, parsed)
    return tables


def _collect(
    table: str, obj: object, links: dict[str, Any], file: str, tables: Tables, parsed: ParsedFile
) -> Row | None:
    if not isinstance(obj, dict):
        parsed.problem(None, table, str(obj)[:40], f"een {table} moet een JSON-object zijn")
        return None
    nested = NESTED.get(table, ())
    data = {k: v for k, v in obj.items() if k not in {n[0] for n in nested} or not _is_nested(v)}
    for k, v in links.items():
        data.setdefault(k, v)
    row = Row(table, file, _line(obj), data)
    tables[table].append(row)
    for key, child, how, link in nested:
        value = obj.get(key)
        if not _is_nested(value):
            continue
        if how == _ONE:
            kid = _collect(child, value, {}, file, tables, parsed)
            if kid is not None and kid.data.get("id") is not None:
                data.setdefault(link, kid.data["id"])
            continue
        if not isinstance(value, list):
            parsed.problem(row.line, f"{table}.{key}", "", f"'{key}' moet een array zijn")
            continue
        extra: dict[str, Any] = {link: data.get("id")}
        if child == "attribute":
            extra["link_entity"] = table
        for item in value:
            _collect(child, item, extra, file, tables, parsed)
    return row


def _is_nested(value: object) -> bool:
    return isinstance(value, (dict, list))


def _line(obj: object) -> int:
    return getattr(obj, "line", 1)


def load_package(folder: Path, descriptor: dict[str, Any], parsed: ParsedFile) -> Tables:
    """The CSV resources of a data package; without a descriptor, the HSDS file names.

    Only files inside the package folder are read, so that a descriptor cannot make an import
    read (or fetch) anything else; resources we have no graph counterpart for are named in a
    note rather than silently skipped."""
    tables: Tables = defaultdict(list)
    resources: list[tuple[str, str]] = []
    for res in descriptor.get("resources", []):
        if isinstance(res, dict) and isinstance(res.get("path"), str):
            resources.append((str(res.get("name", "")), res["path"]))
    if not descriptor:
        resources = [(p.stem, p.name) for p in sorted(folder.glob("*.csv"))]
    ignored = []
    for name, rel in resources:
        table = ALIAS.get(name.lower()) or ALIAS.get(Path(rel).stem.lower())
        if table is None:
            ignored.append(rel)
            continue
        target = (folder / rel).resolve()
        if re.match(r"^[a-z]+://", rel) or not target.is_relative_to(folder.resolve()):
            parsed.problem(
                None, "resources.path", rel, "alleen CSV-bestanden in de map van het pakket worden gelezen"
            )
            continue
        if not target.is_file():
            parsed.problem(None, "resources.path", rel, "het pakket noemt dit bestand, maar het ontbreekt")
            continue
        kind = next((k for k in ("physical", "postal") if Path(rel).stem.lower().startswith(k)), None)
        for line, values in read_table(target).rows:
            data = {k: from_formula_safe(v) for k, v in values.items() if v != ""}
            if table == "address" and kind:  # HSDS 2 kept the kind of address in the file name
                data.setdefault("address_type", kind)
            tables[table].append(Row(table, str(target), line, data))
    if ignored:
        parsed.problem(
            None,
            "resources",
            ", ".join(ignored),
            "resources zonder tegenhanger in de graaf, niet gelezen",
            fatal=False,
        )
    return tables
