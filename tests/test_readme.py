"""README.md promises a curl example for every endpoint of the API: an endpoint added
without one fails here."""

from __future__ import annotations

import re

from api.app import create_app
from graph.store import GraphStore

from .utils import REPO


def test_every_endpoint_has_a_curl_example(embedded_store: GraphStore) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    text = readme.replace("\\\n", " ")  # a command continued on the next line
    curls = [line for line in text.splitlines() if line.lstrip().startswith("curl ")]
    urls = [u for line in curls for u in re.findall(r"http://127\.0\.0\.1:8000(/[^\s\"?]*)", line)]
    spec = create_app(embedded_store).openapi()
    paths = [p for p in spec["paths"] if p.startswith("/api/v1/")]
    assert len(paths) >= 15
    undocumented = []
    for path in paths:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"
        if not any(re.match(pattern, u) for u in urls):
            undocumented.append(path)
    assert undocumented == [], f"endpoints without a curl example in README.md: {undocumented}"
