"""Reading the project's own YAML formats (wijkteams, organisaties) alike: recognised by a
top-level key, composed without YAML 1.1's guesses, with a located problem when unreadable."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from importers.base import ParsedFile
from importers.formats import head_text


def has_top_key(path: Path, key: str) -> bool:
    """A ``.yaml``/``.yml`` file with a top-level ``key:`` line. The YAML itself is only
    checked when it is parsed, so that a syntax error is reported with its line instead of
    'format not recognised'."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    head = head_text(path)
    return head is not None and re.search(rf"""(?m)^["']?{re.escape(key)}["']?\s*:""", head) is not None


def compose(path: Path, parsed: ParsedFile) -> yaml.Node | None:
    """The file as YAML nodes (every scalar stays text: no ``nee`` → False, no octal phone
    numbers), or ``None`` with the problem, and its line, in ``parsed``."""
    try:
        return yaml.compose(path.read_bytes().decode("utf-8-sig"), Loader=yaml.BaseLoader)
    except UnicodeDecodeError as exc:
        parsed.problem(None, "", "", f"geen geldige UTF-8: {exc.reason}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        parsed.problem(mark.line + 1 if mark else None, "", "", f"geen geldige YAML: {exc}")
    return None
