"""Who-serves over HTTP, against a bare FastAPI route measured in the same run.

Four targets on loopback, one after the other, each under the same load (a fixed number of
keep-alive connections, each sending its next request as soon as the answer is in, for a
fixed time): (a) a bare FastAPI route (:mod:`bench.bare_server`, the same uvicorn settings
in its own process; once more on uvloop, uvicorn's default), (b) ``/api/v1/ready`` and
(c) ``/api/v1/who-serves`` of the real server (``sociale-kaart serve``, embedded store
with all of ../shared/data and the demo's providers). Questions are real (school, home
PC4) pairs and random national ones, as in :mod:`bench.queries`. Any status but 200 counts as an error.

On a shared machine absolute figures are noise; the ratios to the bare route are the
measurement. Goal (issue 11): who-serves ≥ 40% of the bare route's req/s, p99 ≤ 4× p50,
0 errors, at 50 connections.

The load comes from ``wrk`` (Debian's package) when it is installed: a C client leaves the
CPU to the servers. Without it a small asyncio client in this process does the same, but
takes a core's share from the servers.

    .venv/bin/python -m bench.http_load [--seconds 10] [--connections 50] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from api.cli import demo_files
from bench.common import machine, shared_files
from bench.queries import questions
from graph.embedded import EmbeddedStore
from importers.run import run_import

DAY = "2025-10-01"


@dataclass
class Result:
    """One target's run: requests, errors and latencies in milliseconds."""

    name: str
    requests: int
    seconds: float
    errors: int
    p50: float
    p99: float
    max: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not come up")


@contextmanager
def server(command: list[str], ready: str) -> Iterator[subprocess.Popen[bytes]]:
    """A server process for the length of the block, stopped (SIGTERM) after it."""
    proc = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        wait_until_up(ready)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


WRK_SCRIPT = """
local paths = {%s}
local n = 0
setup = function(thread) thread:set("offset", n * 997); n = n + 1 end
init = function(args) counter = offset or 0 end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def wrk_load(name: str, port: int, paths: list[str], seconds: float, connections: int) -> Result:
    """``wrk`` with a Lua script that cycles through the paths; latencies come back in µs."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % ",".join(f'"{p}"' for p in paths))
    try:
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds:.0f}s", "--timeout", "10s",
             "-s", fh.name, f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(fh.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    requests, duration, errors, p50, p99, most = (int(v) for v in line.split()[1:])
    return Result(name, requests, duration / 1e6, errors, p50 / 1000, p99 / 1000, most / 1000)


async def _connection(port: int, paths: list[str], stop_at: float, latencies: list[float]) -> int:
    """One keep-alive connection asking until ``stop_at``; returns its count of non-200s."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    errors, i = 0, 0
    try:
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            path = paths[i % len(paths)].encode()
            i += 1
            writer.write(b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            errors += int((await reader.readline()).split()[1]) != 200
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
    finally:
        writer.close()
    return errors


def python_load(name: str, port: int, paths: list[str], seconds: float, connections: int) -> Result:
    """The fallback without ``wrk``: the same load from asyncio in this process."""

    async def run() -> tuple[list[float], int]:
        latencies: list[float] = []
        stop_at = time.perf_counter() + seconds
        step = max(1, len(paths) // connections)  # each connection starts elsewhere in the list
        errors = await asyncio.gather(
            *(
                _connection(port, paths[k * step :] + paths[: k * step], stop_at, latencies)
                for k in range(connections)
            )
        )
        return latencies, sum(errors)

    latencies, errors = asyncio.run(run())
    latencies.sort()
    n = len(latencies)
    ms = [x * 1000 for x in (latencies[n // 2], latencies[max(0, int(n * 0.99) - 1)], latencies[-1])]
    return Result(name, n, seconds, errors, *ms)


def measure(name: str, port: int, paths: list[str], seconds: float, connections: int) -> Result:
    """A short warm-up (imports, caches, the allocator), then the measured run."""
    load = wrk_load if shutil.which("wrk") else python_load
    load(name, port, paths, min(3.0, seconds), connections)
    return load(name, port, paths, seconds, connections)


def question_paths() -> tuple[Path, list[str]]:
    """A fresh store file with everything in it, and the who-serves requests to ask of it."""
    tmp = Path(tempfile.mkdtemp(prefix="http_load_"))
    path = tmp / "graph.json"
    with EmbeddedStore(path) as store:
        run_import(store, shared_files() + demo_files())
        asked = questions(store, 2000)
    paths = [
        "/api/v1/who-serves?"
        + urllib.parse.urlencode({"school": s, "postcode": pc, "need": need, "date": DAY})
        for s, pc, need in asked
    ]
    return path, paths


def report(results: list[Result], args: argparse.Namespace) -> None:
    bare = results[0]
    client = "wrk, 2 threads" if shutil.which("wrk") else "asyncio client in this process"
    print(f"machine: {machine()}")
    print(
        f"servers: uvicorn as api.serve.settings (asyncio loop, httptools; 'bare uvloop': uvicorn's "
        f"default loop), sociale-kaart serve --workers {args.workers}, "
        f"embedded store; {args.connections} keep-alive connections, {args.seconds:.0f} s each; "
        f"load: {client} on the same cores"
    )
    print(f"{'target':<12} {'req/s':>8} {'of bare':>8} {'p50 ms':>8} {'p99 ms':>8} {'p99/p50':>8} "
          f"{'max ms':>8} {'errors':>7}")  # fmt: skip
    for r in results:
        print(
            f"{r.name:<12} {r.rate:>8.0f} {r.rate / bare.rate:>8.0%} {r.p50:>8.1f} {r.p99:>8.1f} "
            f"{r.p99 / r.p50 if r.p50 else 0:>8.1f} {r.max:>8.1f} {r.errors:>7}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="worker processes of sociale-kaart serve")
    args = parser.parse_args()
    store, paths = question_paths()
    bin_dir = Path(sys.executable).parent
    bare_port, port = free_port(), free_port()
    bare = [sys.executable, "-m", "bench.bare_server", "--port", str(bare_port)]
    uv_port = free_port()
    uv = [sys.executable, "-m", "bench.bare_server", "--port", str(uv_port), "--loop", "uvloop"]
    real = [str(bin_dir / "sociale-kaart"), "serve", "--store", str(store), "--port", str(port)]
    if args.workers != 1:
        real += ["--workers", str(args.workers)]
    try:
        with (
            server(bare, f"http://127.0.0.1:{bare_port}/"),
            server(uv, f"http://127.0.0.1:{uv_port}/"),
            server(real, f"http://127.0.0.1:{port}/api/v1/ready"),
        ):
            results = [
                measure("bare", bare_port, ["/"], args.seconds, args.connections),
                measure("bare uvloop", uv_port, ["/"], args.seconds, args.connections),
                measure("ready", port, ["/api/v1/ready"], args.seconds, args.connections),
                measure("who-serves", port, paths, args.seconds, args.connections),
            ]
    finally:
        shutil.rmtree(store.parent, ignore_errors=True)
    report(results, args)
    return 0 if all(r.errors == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
