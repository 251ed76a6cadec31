"""The vis-network library as bytes, taken from the installed pyvis package.

pyvis 0.3.2 ships vis-network 9.1.2 in ``templates/lib/vis-9.1.2``; using that copy means no
second copy in this repository and no CDN: the HTML exports inline it, and the web pages can
serve it as static files from the same bytes.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

VIS_VERSION = "9.1.2"
_FOLDER = ("templates", "lib", f"vis-{VIS_VERSION}")

# The minified file ends with a pointer to a source map that pyvis does not ship; a browser
# with developer tools open would request it, so it is dropped.
_SOURCE_MAP = re.compile(rb"\n?//# sourceMappingURL=[^\n]*\n?")


def _read(filename: str) -> bytes:
    path = resources.files("pyvis").joinpath(*_FOLDER, filename)
    return path.read_bytes()


@cache
def vis_network_js() -> bytes:
    """``vis-network.min.js`` (UMD build: defines ``window.vis``), without its source-map line."""
    return _SOURCE_MAP.sub(b"\n", _read("vis-network.min.js"))


@cache
def vis_network_css() -> bytes:
    """``vis-network.css``: tooltips, navigation buttons; its images are inline data: URLs."""
    return _read("vis-network.css")
