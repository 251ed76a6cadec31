"""Which characters a stored text may hold: none that hides, reorders or breaks what a reader
sees.

Every text an importer stores passes the domain model (:mod:`graph.model`), which checks it
here, so that a NUL (which ends a string in C tools and some Neo4j clients), another control
character (a terminal escape in a name printed by the CLI, a form feed in a CSV export) or a
bidirectional override (``U+202E`` makes ``exe.txt`` read as ``txt.exe``: the "Trojan
Source" trick) is refused at import, with the file, line and field, instead of reaching a
page, a map label or an export. Tab, line feed and carriage return are text in a description
or an address; in a name, code or contact they are a mistake and are refused too.

>>> check("Haarlem", multiline=False)
'Haarlem'
>>> check("regel 1\\nregel 2", multiline=True)
'regel 1\\nregel 2'
>>> check("Haar\\x00lem", multiline=False)
Traceback (most recent call last):
...
ValueError: bevat een stuurteken (U+0000, NUL) op positie 5: niet toegestaan in opgeslagen tekst
>>> visible("a\\u202eb\\x00")
'a\\\\u202eb\\\\x00'
"""

from __future__ import annotations

import re

#: C0 controls but tab, line feed and carriage return; DEL; the bidi embeddings, overrides and
#: isolates (U+202A-U+202E, U+2066-U+2069)
_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069"
#: in a one-line text (a name, a code, a contact) also tab, line feed and carriage return
_LINE_BREAKS = "\t\n\r"
_REFUSED = re.compile(f"[{_ALWAYS}]")
_REFUSED_IN_LINE = re.compile(f"[{_ALWAYS}{_LINE_BREAKS}]")
_NAMES = {0x00: "NUL", 0x09: "tab", 0x0A: "regeleinde", 0x0D: "regelterugloop", 0x1B: "escape", 0x7F: "DEL"}
#: what a text is allowed to start and end with: surrounding space is stripped by the model
_SPACE = " \t\n\r"


def check(text: str, *, multiline: bool) -> str:
    """The text, or ``ValueError`` (in Dutch) naming the first character it may not hold and
    where. Line breaks and tabs at the start or end are surrounding space (the model strips
    them), not content, so a YAML block's last line break is no refusal."""
    pattern = _REFUSED if multiline else _REFUSED_IN_LINE
    found = pattern.search(text.strip(_SPACE))
    if found is None:
        return text
    char = found.group()
    position = text.index(char) + 1
    what = "een richtingsteken" if "\u202a" <= char <= "\u2069" else "een stuurteken"
    name = _NAMES.get(ord(char))
    code = f"U+{ord(char):04X}" + (f", {name}" if name else "")
    if char in _LINE_BREAKS:
        where = "een veld van één regel (alleen een beschrijving, omschrijving of adres mag regels hebben)"
    else:
        where = "opgeslagen tekst"
    raise ValueError(f"bevat {what} ({code}) op positie {position}: niet toegestaan in {where}")


def visible(text: str) -> str:
    """The text with every character :func:`check` refuses written as an escape (``\\x00``,
    ``\\u202e``), so that a problem that shows the refused value cannot itself hide or reorder
    what the user reads in a terminal or a page."""
    return _REFUSED_IN_LINE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
