#!/usr/bin/env python3
"""Start and stop a real Neo4j Community server for development and CI, without Docker.

The server's jars come from Maven Central through ``mvn`` (see ``scripts/neo4j/pom.xml``)
and are cached in ``~/.cache/sociale-kaart/neo4j-VERSION`` so later runs start fast. The
server listens on 127.0.0.1 only, on a free port, with authentication off: it is a
throwaway server for tests. A real deployment keeps authentication on (see README).

    python3 scripts/neo4j.py start   # prints NEO4J_URI=bolt://127.0.0.1:PORT
    python3 scripts/neo4j.py stop
    python3 scripts/neo4j.py status

Only the standard library is used, so it runs before any virtualenv exists.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
POM = HERE / "neo4j" / "pom.xml"
DEFAULT_VERSION = "5.26.12"
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"


def cache_dir(version: str) -> Path:
    base = os.environ.get("SOCIALE_KAART_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    if not os.environ.get("SOCIALE_KAART_CACHE"):
        base = Path(base) / "sociale-kaart"
    return Path(base) / f"neo4j-{version}"


def fetch(version: str) -> Path:
    """Resolve the server's jars once; a marker file says the copy is complete."""
    lib = cache_dir(version) / "lib"
    marker = lib / ".complete"
    if marker.exists():
        return lib
    if shutil.which("mvn") is None:
        sys.exit("neo4j: 'mvn' is not installed; it is needed to fetch Neo4j from Maven Central")
    if shutil.which("java") is None:
        sys.exit("neo4j: 'java' (17 or later) is not installed; Neo4j 5.26 needs it")
    tmp = lib.with_name("lib.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"neo4j: fetching Neo4j Community {version} jars with mvn (once) ...", file=sys.stderr)
    cmd = [
        "mvn",
        "-B",
        "-q",
        "-f",
        str(POM),
        f"-Dneo4j.version={version}",
        "dependency:copy-dependencies",
        f"-DoutputDirectory={tmp}",
        "-DincludeScope=runtime",
    ]
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    if not any(tmp.glob("neo4j-*.jar")):
        sys.exit(f"neo4j: mvn finished but {tmp} holds no Neo4j jars")
    shutil.rmtree(lib, ignore_errors=True)
    tmp.rename(lib)
    marker.write_text(version)
    return lib


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bolt_ready(port: int) -> bool:
    """A Bolt handshake: the server answers with the protocol version it agrees to."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(bytes.fromhex("6060B017") + bytes.fromhex("00000805000000040000000300000000"))
            answer = s.recv(4)
            return len(answer) == 4 and answer != b"\x00\x00\x00\x00"
    except OSError:
        return False


def write_conf(home: Path, port: int) -> Path:
    conf = home / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    for sub in ("data", "logs", "run", "import", "plugins"):
        (home / sub).mkdir(exist_ok=True)
    (conf / "neo4j.conf").write_text(
        "\n".join(
            [
                "# Throwaway test server: loopback only, no authentication.",
                f"server.bolt.listen_address=127.0.0.1:{port}",
                f"server.bolt.advertised_address=127.0.0.1:{port}",
                "server.http.enabled=false",
                "server.https.enabled=false",
                "dbms.security.auth_enabled=false",
                "dbms.usage_report.enabled=false",
                "server.memory.pagecache.size=256m",
                "db.tx_log.rotation.retention_policy=1 files",
                f"server.directories.data={home / 'data'}",
                f"server.directories.logs={home / 'logs'}",
                f"server.directories.run={home / 'run'}",
                f"server.directories.import={home / 'import'}",
                f"server.directories.plugins={home / 'plugins'}",
                "",
            ]
        )
    )
    return conf


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def read_state(home: Path) -> tuple[int, int] | None:
    state = home / "run" / "sociale-kaart.state"
    if not state.exists():
        return None
    pid, port = (int(x) for x in state.read_text().split())
    return (pid, port) if pid_alive(pid) else None


def start(home: Path, version: str, port: int | None, timeout: float) -> int:
    running = read_state(home)
    if running:
        print(f"NEO4J_URI=bolt://127.0.0.1:{running[1]}")
        return 0
    lib = fetch(version)
    port = port or free_port()
    conf = write_conf(home, port)
    java = [
        "java",
        "-Xms256m",
        # An import is all or nothing: one transaction. All of ../shared/data needs ~400 MiB of
        # transaction memory, with a national set of DUO pupil files ~1 GiB (70% of the heap).
        "-Xmx2g",
        "-XX:+UseG1GC",
        "-Dfile.encoding=UTF-8",
        "-cp",
        f"{lib}/*",
        MAIN_CLASS,
        f"--home-dir={home}",
        f"--config-dir={conf}",
    ]
    with open(home / "logs" / "console.log", "ab") as log:
        proc = subprocess.Popen(java, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    (home / "run" / "sociale-kaart.state").write_text(f"{proc.pid} {port}\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = (home / "logs" / "console.log").read_text(errors="replace")[-3000:]
            sys.exit(f"neo4j: the server exited with code {proc.returncode}:\n{tail}")
        if bolt_ready(port):
            print(f"neo4j: Neo4j {version} accepts Bolt on 127.0.0.1:{port} (home {home})", file=sys.stderr)
            print(f"NEO4J_URI=bolt://127.0.0.1:{port}")
            return 0
        time.sleep(0.5)
    stop(home)
    sys.exit(f"neo4j: Bolt did not answer within {timeout:.0f} s; see {home / 'logs'}")


def stop(home: Path, timeout: float = 60) -> int:
    running = read_state(home)
    if not running:
        print("neo4j: not running", file=sys.stderr)
        return 0
    pid, _ = running
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.3)
    if pid_alive(pid):
        os.kill(pid, signal.SIGKILL)
    (home / "run" / "sociale-kaart.state").unlink(missing_ok=True)
    print("neo4j: stopped", file=sys.stderr)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["start", "stop", "status", "fetch"])
    ap.add_argument(
        "--home", type=Path, default=Path(os.environ.get("SOCIALE_KAART_NEO4J_HOME", REPO / ".neo4j"))
    )
    ap.add_argument("--version", default=os.environ.get("SOCIALE_KAART_NEO4J_VERSION", DEFAULT_VERSION))
    ap.add_argument("--port", type=int, default=None, help="default: a free port")
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for Bolt")
    args = ap.parse_args()
    home = args.home.resolve()
    if args.command == "fetch":
        print(fetch(args.version))
        return 0
    if args.command == "start":
        home.mkdir(parents=True, exist_ok=True)
        return start(home, args.version, args.port, args.timeout)
    if args.command == "stop":
        return stop(home)
    running = read_state(home)
    print(f"NEO4J_URI=bolt://127.0.0.1:{running[1]}" if running else "neo4j: not running")
    return 0 if running else 1


if __name__ == "__main__":
    raise SystemExit(main())
