"""Shared helpers for the benchmarks: which files make 'all of shared/data', and the machine."""

from __future__ import annotations

import os
import platform
from datetime import date
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def shared_files() -> list[Path]:
    """Every importable file in ../shared/data (the regulation text and the map are not data
    for the graph: the markdown is the source of the CSV, the GeoJSON is kept for maps)."""
    if not SHARED_DATA.is_dir():
        raise SystemExit(f"benchmark needs the open data in {SHARED_DATA}")
    files = [p for p in SHARED_DATA.rglob("*") if p.is_file()]
    return sorted(p for p in files if p.suffix != ".md")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, {date.today()}"
    )
