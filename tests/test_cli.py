"""The ``sociale-kaart`` command as a user runs it: a real process on a real store."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from importers.native import parse
from importers.run import reference_files

from .utils import DEMO, REPO


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command with a clean store configuration plus ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "SOCIALE_KAART_STORE")}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=120,
    )


def target_of(store: GraphStore) -> str:
    return store.path.as_posix() if isinstance(store, EmbeddedStore) else store.info().location  # type: ignore[attr-defined]


def test_import_then_stats_json(store: GraphStore) -> None:
    target = target_of(store)
    done = cli("import", str(DEMO), "--store", target)
    assert done.returncode == 0, done.stderr
    assert "96 nieuw" in done.stdout
    stats = cli("stats", "--json", "--store", target)
    assert stats.returncode == 0, stats.stderr
    data = json.loads(stats.stdout)
    # the stub's gemeenten, and those of the herindelingen every import brings along
    gemeenten = {
        n.id for f in (DEMO, *reference_files()) for _, n in parse(f, "t").nodes if n.kind == "Gemeente"
    }
    assert data["nodes"] == store.counts().nodes and data["nodes"]["Gemeente"] == len(gemeenten) > 6
    assert data["edges"]["IN_WERKGEBIED"] == 18
    assert data["backend"].startswith(store.info().kind)
    text = cli("stats", "--store", target)
    assert text.returncode == 0 and "knopen:\n" in text.stdout and "verbindingen:\n" in text.stdout
    again = cli("import", str(DEMO), "--store", target)
    assert "Er is niets veranderd" in again.stdout


def test_failed_import_exits_1_and_applies_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"format": "sociale-kaart/1", "source": "t", "source_date": "2025-01-01"}\n'
        '{"kind": "PC4", "id": "2011"}\n{"kind": "PC6", "id": "2011SS"}\n'
    )
    store_file = tmp_path / "g.json"
    done = cli("import", str(bad), "--store", str(store_file), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["applied"] is False
    [problem] = report["files"][0]["problems"]
    assert problem["line"] == 3 and problem["field"] == "id" and "SA, SD of SS" in problem["reason"]
    assert EmbeddedStore(store_file).counts().nodes == {}


def test_store_from_environment_and_data_dir(tmp_path: Path) -> None:
    done = cli("demo", "--no-serve", env={"SOCIALE_KAART_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "graph.json").exists()
    assert EmbeddedStore(tmp_path / "graph.json").counts().nodes["School"] > 300


def test_unreachable_neo4j_exits_3_with_a_clear_message() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = cli("stats", "--store", f"bolt://127.0.0.1:{port}")
    assert done.returncode == 3
    assert "not reachable" in done.stderr and "Traceback" not in done.stderr


def test_bad_store_targets_give_a_message_not_a_traceback(tmp_path: Path) -> None:
    for target in ("bolt://127.0.0.1:notaport", "/proc/no/such/place/g.json"):
        done = cli("import", str(DEMO), "--store", target)
        assert done.returncode == 3, (target, done.stderr)
        assert "Traceback" not in done.stderr and done.stderr.startswith("sociale-kaart:")
    damaged = tmp_path / "g.json"
    damaged.write_text("{")
    done = cli("serve", "--store", str(damaged), "--port", str(free_port()))
    assert done.returncode == 3 and str(damaged) in done.stderr and "Traceback" not in done.stderr


def test_usage_errors_and_help_are_dutch() -> None:
    done = cli("export", "swv")
    assert done.returncode == 2 and done.stderr.startswith("gebruik: sociale-kaart export swv")
    assert "sociale-kaart export swv: fout: deze argumenten ontbreken: --out, SWV" in done.stderr
    done = cli("frob")
    assert (
        done.returncode == 2 and "argument OPDRACHT: onbekende keuze 'frob' (kies uit 'serve'" in done.stderr
    )
    done = cli("import", "--help")
    assert done.returncode == 0 and "toon deze hulp" in done.stdout and "alles te weigeren" in done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_serves_health(tmp_path: Path) -> None:
    """README command 1 in miniature: demo loads and serves /api/v1/health."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "demo", "--port", str(port), "--store", str(tmp_path / "g.json")],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/v1/health?postcode=2011AB", timeout=2)
                body = r.json()
            except httpx.TransportError:
                if proc.poll() is not None:
                    pytest.fail(f"demo exited: {proc.stdout.read() if proc.stdout else ''}")
                time.sleep(0.3)
        assert body is not None, "the demo never answered"
        assert r.status_code == 200
        assert body["backend"]["kind"] == "embedded"
        assert body["nodes"] == EmbeddedStore(tmp_path / "g.json").counts().nodes
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "GET /api/v1/health 200" in out
    assert "2011AB" not in out  # query strings are never logged


def test_export_hsds_then_import_changes_nothing(tmp_path: Path) -> None:
    store_file = str(tmp_path / "g.json")
    assert cli("demo", "--no-serve", "--store", store_file).returncode == 0
    for args in (
        ["export-hsds", str(tmp_path / "out" / "kaart.json")],
        ["export-hsds", str(tmp_path / "pkg"), "--datapackage"],
    ):
        done = cli(*args, "--store", store_file)
        assert done.returncode == 0, done.stderr
        assert "organization" in done.stdout
    for exported in (tmp_path / "out" / "kaart.json", tmp_path / "pkg" / "datapackage.json"):
        again = cli("import", str(exported), "--store", store_file)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Er is niets veranderd" in again.stdout
