"""A process that sets up OpenTelemetry (an operator's tracing, say) must not get a pupil's
question in its spans: FastAPI's own telemetry would record the query string (school,
postcode, need) as ``url.query``. Run in a child process: a tracer provider is set once per
process, and the rest of the suite should not trace."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys
from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from api.app import create_app
from api.cli import demo_files
from graph.embedded import EmbeddedStore
from importers.run import run_import

spans = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(spans))
trace.set_tracer_provider(provider)

QUESTION = "/api/v1/who-serves?school=15UJ00&postcode=2011AB&need=45"
store = EmbeddedStore(sys.argv[1])
run_import(store, demo_files())

plain = FastAPI()  # FastAPI as it comes: the control, that spans are recorded at all
plain.get("/api/v1/who-serves")(lambda: {})
with TestClient(plain) as client:
    client.get(QUESTION)
control = [dict(s.attributes or {}) for s in spans.get_finished_spans()]
spans.clear()

with TestClient(create_app(store)) as client:
    status = client.get(QUESTION).status_code
ours = [dict(s.attributes or {}) for s in spans.get_finished_spans()]
print(json.dumps({"status": status, "control": control, "ours": ours}, default=str))
"""


def test_a_configured_tracer_gets_no_span_of_a_question(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "graph.json")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    # the tracer works: FastAPI left as it comes writes the question into a span
    assert any("2011AB" in str(attrs.get("url.query", "")) for attrs in seen["control"]), seen["control"]
    # the app records none, so nothing of the question can reach an exporter
    assert seen["ours"] == []
