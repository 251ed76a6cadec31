"""Hostile and broken input (issue 11): every way into an import is bounded.

Each class of input an attacker probe found is refused with a located problem (file, line
where there is one, field, a Dutch reason naming the limit and its variable), nothing of the
run is applied, no traceback is logged, and memory and time stay far below what reading the
input to its end would cost. Memory is measured with :mod:`tracemalloc` (every Python
allocation: the bytes read, the text, the parsed values), so a reader that expands, unpacks
or parses past the limit makes the peak assertion fail.
"""

from __future__ import annotations

import contextlib
import json
import logging
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.store import GraphStore
from importers.limits import KiB, Limits, MiB, current, env_name
from importers.report import ImportFailed, Problem
from importers.run import run_import

from .utils import REPO, build_graph, dump

GEMEENTEN_HEADER = "gm_code,gm_naam,jaar\n"
NATIVE_HEADER = '{"format": "sociale-kaart/1", "source": "test", "source_date": "2026-01-01"}\n'


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    """A store that holds something, so that 'unchanged' means more than 'still empty'."""
    build_graph(store, [("Gemeente", "GM0392", {"naam": "Haarlem"}), ("PC4", "2011", {})], [])
    return store


def refused(
    store: GraphStore, paths: list[Path], caplog: pytest.LogCaptureFixture
) -> tuple[list[Problem], int, float]:
    """Run an import that must fail; its fatal problems, the peak of memory it allocated and
    the seconds it took. Checks that the store is unchanged (the shipped reference data, which
    joins every run on a store that lacks it, was not applied either) and that no traceback
    was logged."""
    before = dump(store)
    caplog.set_level(logging.DEBUG)
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(ImportFailed) as failed:
            run_import(store, paths)
        seconds = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert dump(store) == before
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    return [p for p in failed.value.report.problems if p.fatal], peak, seconds


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- YAML: a billion laughs -------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    """The classic: nine lists of nine aliases of the level below, a billion strings."""
    lines = ["wijkteams:", '  - &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        below, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"  - &{name} [{', '.join([f'*{below}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_while_composing(
    seeded: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = billion_laughs()
    assert len(text) < 600
    path = write(tmp_path / "wijkteams.yaml", text)
    [problem], peak, seconds = refused(seeded, [path], caplog)
    assert problem.file == str(path)
    # 1 + 9 + 81 + ... nodes by level 7 (line 8) is past a million: refused at that alias
    assert problem.line == 8
    assert "te veel knopen" in problem.reason
    assert "1.000.000" in problem.reason and env_name("yaml_nodes") in problem.reason
    assert peak < 20 * MiB  # expanded, a million nodes alone would take far more
    assert seconds < 20


def test_yaml_alias_budget_follows_the_environment(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(env_name("yaml_nodes"), "50")
    path = write(tmp_path / "wijkteams.yaml", billion_laughs(levels=3))  # 1 + 9*9 + 81*9 nodes
    [problem], _, _ = refused(store, [path], caplog)
    assert problem.line == 3 and "grens van 50 " in problem.reason


def test_yaml_nested_deeper_than_the_limit(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path / "wijkteams.yaml", "bron: x\nwijkteams:\n  - " + "[" * 200_000 + "]" * 200_000)
    [problem], _, seconds = refused(store, [path], caplog)
    assert problem.line == 3 and env_name("depth") in problem.reason and "te diep genest" in problem.reason
    assert seconds < 30


def test_yaml_key_twice_is_refused(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(
        tmp_path / "wijkteams.yaml", "bron: x\nwijkteams:\n  - naam: A\n    gemeente: GM0392\n    naam: B\n"
    )
    [problem], _, _ = refused(store, [path], caplog)
    assert (problem.line, problem.field) == (5, "naam")
    assert "komt twee keer voor" in problem.reason


# -- zip: a bomb ------------------------------------------------------------------------------


def zip_bomb(path: Path, member: str, expanded: int, declared: int | None = None) -> Path:
    """A valid zip of ``expanded`` zero bytes in about a thousandth of that: one MiB deflated
    once and its blocks repeated (a full flush makes each copy independent of the one before),
    so the bomb is built in a second. ``declared``: the size the zip claims, when it lies."""
    chunk, count = bytes(MiB), expanded // MiB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    data = block * count + packer.flush()
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    size, name = count * MiB if declared is None else declared, member.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0)
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0, 0, 0, 0, 0, 0
    )
    offset = len(local) + len(name) + len(data)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name), offset, 0)
    path.write_bytes(local + name + data + central + name + end)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1.5 GiB of 'geojson' in a zip of about 1.5 MB, as the probe sent."""
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "scholen.geo.zip", "scholen.geo.json", 1536 * MiB)


def test_the_bomb_is_a_real_zip(bomb: Path) -> None:
    """The bomb is honest: a zip reader unpacks it to 1.5 GiB (the first MiB checked here)."""
    assert bomb.stat().st_size < 2 * MiB
    with zipfile.ZipFile(bomb) as zf:
        [info] = zf.infolist()
        assert info.file_size == 1536 * MiB
        with zf.open(info) as fh:
            assert fh.read(MiB) == bytes(MiB)


def test_zip_bomb_refused_from_its_directory(
    seeded: GraphStore, bomb: Path, caplog: pytest.LogCaptureFixture
) -> None:
    [problem], peak, seconds = refused(seeded, [bomb], caplog)
    assert problem.file == str(bomb) and problem.line is None
    assert "pakt uit tot 1.5 GiB" in problem.reason
    assert "grens van 512 MiB" in problem.reason and env_name("zip_bytes") in problem.reason
    assert peak < 16 * MiB  # unpacked, it would be 1.5 GiB
    assert seconds < 20


def test_zip_that_lies_about_its_size_is_not_unpacked_further(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The directory says 1 KiB; the data unpacks to 64 MiB. Nothing past the declared size
    is unpacked (the check sum then fails), so the zip is read as no format at all."""
    path = zip_bomb(tmp_path / "scholen.geo.zip", "scholen.geo.json", 64 * MiB, declared=KiB)
    [problem], peak, _ = refused(store, [path], caplog)
    assert problem.file == str(path) and "past bij geen formaat" in problem.reason
    assert peak < 8 * MiB


def test_zip_with_too_many_members(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "veel.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("scholen.geo.json", "{}")
        for n in range(1200):
            zf.writestr(f"leeg/{n}.txt", "")
    [problem], _, _ = refused(store, [path], caplog)
    assert "1201 bestanden" in problem.reason and env_name("zip_members") in problem.reason


# -- a file over the size limit ---------------------------------------------------------------


def test_file_over_the_limit_is_refused_unread(
    seeded: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a limit of 64 KiB, a table of 200 KiB is refused by its size alone: it is never
    opened (every ``open`` of the run is watched)."""
    path = write(tmp_path / "gemeenten.csv", GEMEENTEN_HEADER + "GM0392,Haarlem,2025\n" * 10_000)
    monkeypatch.setenv(env_name("file_bytes"), "64K")
    opened: list[str] = []
    real_open = open

    def watched(file: object, *args: object, **kwargs: object) -> object:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", watched)
    monkeypatch.setattr("io.open", watched)  # what pathlib opens with
    [problem], _, _ = refused(seeded, [path], caplog)
    assert problem.file == str(path) and problem.line is None
    assert problem.reason.startswith("het bestand is 195.3 KiB: meer dan de grens van 64 KiB")
    assert env_name("file_bytes") in problem.reason
    assert str(path) not in opened and opened  # the reference data was opened, the big file not


# -- JSON: deep, duplicate keys, long lines ---------------------------------------------------


DEEP = "[" * 200_000 + "]" * 200_000


@pytest.mark.parametrize(
    "name, text, line",
    [
        ("deep.json", '{"type": "FeatureCollection",\n "features": [\n' + DEEP + "]}", 3),
        (
            "deep.jsonl",
            NATIVE_HEADER + '{"kind": "PC4", "id": "2011"}\n{"kind": "PC4", "id": ' + DEEP + "}\n",
            3,
        ),
        ("hsds.json", '{"organizations": [\n  {"id": "o",\n   "x": ' + DEEP + "}]}", 3),
    ],
)
def test_json_200000_deep(
    seeded: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, text: str, line: int
) -> None:
    path = write(tmp_path / name, text)
    problems, _, seconds = refused(seeded, [path], caplog)
    deep = [p for p in problems if "te diep genest" in p.reason]
    assert [(p.file, p.line) for p in deep] == [(str(path), line)]
    assert "grens van 64 " in deep[0].reason and env_name("depth") in deep[0].reason
    assert seconds < 20


def geojson_with_duplicate() -> str:
    """A DUO location file, one feature per line, whose second feature has 'brin_nummer' twice."""
    props = '"naam": "School", "type": "basisschool", "vestigingscode": "00AA00", "postcode": "2011AA"'
    first = '{"type": "Feature", "properties": {"brin_nummer": "00AA", ' + props + "}}"
    second = (
        '{"type": "Feature", "properties": {"brin_nummer": "00AA", "brin_nummer": "99ZZ", ' + props + "}}"
    )
    return '{"type": "FeatureCollection", "features": [\n' + first + ",\n" + second + "\n]}\n"


def hsds_with_duplicate() -> str:
    document = {"organizations": [{"id": "org-1", "name": "Een"}, {"id": "org-2", "name": "Twee"}]}
    text = json.dumps(document, indent=2)
    return text.replace('"name": "Twee"', '"name": "Twee",\n      "name": "Drie"')


def zipped(path: Path, member: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, text)
    return path


@pytest.mark.parametrize(
    "make, field, line",
    [
        (
            lambda d: write(
                d / "g.jsonl", NATIVE_HEADER + '{"kind": "Gemeente", "id": "GM0392", "id": "GM0363"}\n'
            ),
            "id",
            2,
        ),
        (lambda d: write(d / "hsds.json", hsds_with_duplicate()), "name", 10),
        (lambda d: write(d / "scholen.geo.json", geojson_with_duplicate()), "brin_nummer", 3),
        (lambda d: zipped(d / "scholen.zip", "scholen.geo.json", geojson_with_duplicate()), "brin_nummer", 3),
    ],
    ids=["native", "hsds", "geojson", "zipped-geojson"],
)
def test_duplicate_json_key(
    seeded: GraphStore,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    make: Callable[[Path], Path],
    field: str,
    line: int,
) -> None:
    path = make(tmp_path)
    [problem], _, _ = refused(seeded, [path], caplog)
    assert (problem.file, problem.line, problem.field) == (str(path), line, field)
    assert f"sleutel '{field}' komt twee keer voor in één object" in problem.reason


def test_json_lines_line_over_the_limit_is_skipped_unread(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON Lines record of 32 MiB with a line limit of 1 MiB: refused, its line named, and
    never held whole in memory; the lines after it are still read."""
    monkeypatch.setenv(env_name("line_bytes"), "1M")
    huge = '{"kind": "PC4", "id": "2011", "x": "' + "a" * (32 * MiB) + '"}\n'
    # (the comment first: a file that starts with '{' is read whole by the Twente format's sniff)
    body = NATIVE_HEADER + huge + '{"kind": "PC4", "id": "2012"}\n'
    path = write(tmp_path / "lang.jsonl", "# een lange regel\n" + body)
    del huge, body
    problems, peak, _ = refused(store, [path], caplog)
    assert [(p.line, p.reason.split(":")[0]) for p in problems] == [(3, "de regel is te lang")]
    assert env_name("line_bytes") in problems[0].reason
    assert peak < 8 * MiB


# -- CSV: a big field, too many rows ----------------------------------------------------------


def test_csv_field_of_20_mb(seeded: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    big = "x" * (20 * 1000 * 1000)
    path = write(
        tmp_path / "gemeenten.csv", GEMEENTEN_HEADER + "GM0392,Haarlem,2025\nGM0363,A" + big + ",2025\n"
    )
    del big
    [problem], peak, seconds = refused(seeded, [path], caplog)
    assert (problem.file, problem.line, problem.field) == (str(path), 3, "gm_naam")
    assert problem.reason.startswith("een waarde is te lang: meer dan de grens van 64 KiB")
    assert env_name("field_bytes") in problem.reason
    # the table is held as bytes, text, lines and a StringIO (about 6x the file); a cell read to
    # its end would add as much again (csv builds it in 4 bytes a character, then copies it)
    assert peak < 7 * 20 * 1000 * 1000
    assert seconds < 20


def parse_peak(path: Path) -> int:
    """The memory peak of reading a CSV of gemeenten (the table's parse, not a whole run)."""
    from importers.cbs import Gemeenten
    from importers.limits import InputRefused

    tracemalloc.start()
    try:
        with contextlib.suppress(InputRefused):
            Gemeenten.parse(path, "t", None)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_csv_with_too_many_rows(
    seeded: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """200,000 rows with a limit of 1,000: refused at the first row over it, and the rows after
    it never become records (the peak is compared with reading all of them)."""
    path = write(tmp_path / "gemeenten.csv", GEMEENTEN_HEADER + "GM0392,Haarlem,2025\n" * 200_000)
    unlimited = parse_peak(path)
    monkeypatch.setenv(env_name("rows"), "1000")
    assert parse_peak(path) < unlimited / 3
    [problem], _, _ = refused(seeded, [path], caplog)
    assert (problem.file, problem.line) == (str(path), 1002)
    assert problem.reason.startswith("te veel rijen: meer dan de grens van 1.000 ")
    assert env_name("rows") in problem.reason


def test_json_lines_with_too_many_records(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(env_name("rows"), "100")
    path = write(tmp_path / "veel.jsonl", NATIVE_HEADER + '{"kind": "PC4", "id": "2011"}\n' * 5000)
    problems, _, _ = refused(store, [path], caplog)  # (the shipped reference data has more lines)
    [problem] = [p for p in problems if p.file == str(path)]
    assert problem.line == 102 and problem.reason.startswith("te veel regels: meer dan de grens van 100 ")


# -- the limits themselves --------------------------------------------------------------------


def test_limits_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(env_name("file_bytes"), "1G")
    monkeypatch.setenv(env_name("rows"), "5_000")
    monkeypatch.setenv(env_name("depth"), "veel")
    limits = current()
    assert (limits.file_bytes, limits.rows, limits.depth) == (1024**3, 5000, Limits().depth)
    assert "SOCIALE_KAART_MAX_DEPTH='veel' is geen positief getal" in caplog.text
    assert current(rows=7).rows == 7
    monkeypatch.delenv(env_name("rows"))
    assert current().rows == Limits().rows


def test_the_defaults_admit_the_real_data() -> None:
    """Every file the project ships or reads in its tests fits the default limits widely."""
    limits = Limits()
    shared = REPO.parent / "shared" / "data"
    files: Iterator[Path] = iter([*(REPO / "importers").rglob("*.*"), *shared.rglob("*")])
    largest = max((p.stat().st_size for p in files if p.is_file()), default=0)
    assert largest * 100 < limits.file_bytes


def test_every_limit_is_documented() -> None:
    """docs/grenzen.md names every limit, its variable and its default."""
    text = (REPO / "docs" / "grenzen.md").read_text(encoding="utf-8")
    for name, value in vars(Limits()).items():
        assert env_name(name) in text, name
        shown = f"{value:_}".replace("_", ".") if not name.endswith("_bytes") else None
        assert shown is None or shown in text, (name, shown)
