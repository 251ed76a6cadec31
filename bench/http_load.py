"""Who-serves over HTTP: requests per second with zero errors, by a bounded load run on
loopback against the real server (``sociale-kaart serve``, one process, embedded store with
all of ../shared/data and the demo's providers).

The load comes from a small asyncio client in this process: a fixed number of keep-alive
connections, each sending the next question as soon as the answer is in, for a fixed time.
Questions are real (school, home PC4) pairs and random national ones, as in
:mod:`bench.queries`. Any status but 200 counts as an error. Goal (issue 4): ≥ 500 req/s on
2 cores, where server and client share the machine.

    .venv/bin/python -m bench.http_load [--seconds 20] [--connections 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from api.cli import demo_files
from bench.common import machine, shared_files
from bench.queries import questions
from graph.embedded import EmbeddedStore
from importers.run import run_import


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not come up")


async def connection(
    port: int, paths: list[bytes], stop_at: float, latencies: list[float], statuses: dict[int, int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    try:
        while time.perf_counter() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            writer.write(b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            status_line = await reader.readline()
            status = int(status_line.split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def load(port: int, paths: list[bytes], seconds: float, connections: int) -> tuple[list[float], dict]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stop_at = time.perf_counter() + seconds
    # each connection starts at another place in the list of questions
    step = max(1, len(paths) // connections)
    await asyncio.gather(
        *(
            connection(port, paths[k * step :] + paths[: k * step], stop_at, latencies, statuses)
            for k in range(connections)
        )
    )
    return latencies, statuses


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.json"
        with EmbeddedStore(path) as store:
            run_import(store, shared_files() + demo_files())
            asked = questions(store, 2000)
        day = "2025-10-01"
        paths = [
            b"/api/v1/who-serves?"
            + urllib.parse.urlencode({"school": s, "postcode": pc, "need": need, "date": day}).encode()
            for s, pc, need in asked
        ]
        port = free_port()
        cli = Path(sys.executable).with_name("sociale-kaart")
        server = subprocess.Popen(
            [str(cli), "serve", "--store", str(path), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/api/v1/ready")
            asyncio.run(load(port, paths, 3.0, args.connections))  # warm up
            latencies, statuses = asyncio.run(load(port, paths, args.seconds, args.connections))
        finally:
            server.terminate()
            server.wait(timeout=30)
    latencies.sort()
    total = len(latencies)
    errors = total - statuses.get(200, 0)
    print(f"machine: {machine()}")
    print(f"server: sociale-kaart serve (uvicorn, 1 process), embedded store; {args.connections} connections")
    print(
        f"who-serves: {total} requests in {args.seconds:.0f} s = {total / args.seconds:.0f} req/s; "
        f"errors: {errors} (statuses {dict(sorted(statuses.items()))})"
    )
    print(
        f"latency under load: p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {latencies[int(total * 0.99) - 1] * 1000:.1f} ms"
    )
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
