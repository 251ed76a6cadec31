"""Real ``sociale-kaart serve`` processes for the tests that need the whole server: its own
middleware order, its own event loop, a real socket. Each one's log goes to a file (a pipe
nobody reads would stop a server once full), and a server that dies is reported with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.store import GraphStore

from .utils import TEST_URI


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def target_of(store: GraphStore) -> str:
    """What ``serve --store`` is given to open the same data as the test's store."""
    return str(store.path) if isinstance(store, EmbeddedStore) else os.environ[TEST_URI]


def wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve stopped with {process.returncode}: {log.read_text()}")
        with contextlib.suppress(OSError):
            if get_json(f"{base}/api/v1/ready")[0] == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"{base} did not become ready")


@contextlib.contextmanager
def serving(target: str, log: Path, env: dict[str, str]) -> Iterator[str]:
    """One ``serve`` process on ``target``, ready; yields its base address."""
    port = free_port()
    script = Path(sys.executable).with_name("sociale-kaart")
    command = [str(script), "serve", "--store", target, "--port", str(port)]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
