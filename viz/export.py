"""Write a network to a file, as JSON or as an HTML page, chosen by the file's extension."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from viz.html import render_html
from viz.model import Network

FORMATS = {".html": "html", ".htm": "html", ".json": "json"}


def network_format(path: Path) -> str:
    """``html`` or ``json`` from the extension; anything else is refused, not guessed."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path}: geef een bestand dat eindigt op .html of .json") from None


def network_json(network: Network) -> str:
    return network.model_dump_json(by_alias=True, indent=2)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_network(network: Network, path: Path) -> str:
    """Write ``network`` to ``path`` (via a temporary file, so a reader never sees half a
    page); returns the format written."""
    fmt = network_format(path)
    text = render_html(network) if fmt == "html" else network_json(network)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a picture is a normal file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return fmt
