"""The HSDS objects this sociale kaart reads and writes, and the names they go by.

Reading, building and exporting must agree on what a table is called, or an exported file
would not read back as the same graph; so the names live here, once, with :class:`Row`, the
one shape every reader hands to the builder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Our table names (HSDS object names) and every name a file, key or resource may use.
TABLES: dict[str, tuple[str, ...]] = {
    "organization": ("organizations", "organization"),
    "service": ("services", "service"),
    "location": ("locations", "location"),
    "service_at_location": (
        "service_at_locations",
        "service_at_location",
        "services_at_location",
        "services_at_locations",
    ),
    "service_area": ("service_areas", "service_area"),
    "taxonomy": ("taxonomies", "taxonomy"),
    "taxonomy_term": ("taxonomy_terms", "taxonomy_term"),
    "attribute": (
        "attributes",
        "attribute",
        "service_attributes",
        "service_attribute",
        "other_attributes",
        "other_attribute",
    ),
    "contact": ("contacts", "contact"),
    "phone": ("phones", "phone"),
    "address": (
        "addresses",
        "address",
        "addresss",
        "physical_addresses",
        "physical_address",
        "postal_addresses",
        "postal_address",
    ),
    "organization_identifier": ("organization_identifiers", "organization_identifier"),
    "funding": ("funding", "fundings"),
}
#: Every name a table may go by → our table name.
ALIAS = {alias: table for table, aliases in TABLES.items() for alias in aliases}

#: File names of the export's data package.
CSV_NAMES = {table: f"{aliases[0]}.csv" for table, aliases in TABLES.items()}


@dataclass
class Row:
    """One HSDS object, flat: its fields, and where it was read, so that a problem with it can
    name the file and line a person has to fix, whether it came from JSON or a CSV."""

    table: str
    file: str
    line: int
    data: dict[str, Any]

    def text(self, name: str) -> str:
        """A field as text, ``""`` when absent or nested: JSON and CSV give values of different
        types, and the builder should not have to care which it read."""
        value = self.data.get(name)
        if value is None or isinstance(value, (dict, list)):
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value).strip()


#: Rows per table (our HSDS object names).
Tables = dict[str, list[Row]]
