"""The embedded store's file: atomic saves, crash safety, and sharing between processes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph import embedded
from graph.embedded import EmbeddedStore
from graph.records import Batch, NodeKey, NodeRecord
from graph.store import StoreError

REPO = Path(__file__).resolve().parent.parent
PROV = {"source": "test", "source_date": "2025", "import_id": "t1"}


def test_reopened_store_holds_the_same_graph(tmp_path: Path, demo_batch: Batch) -> None:
    path = tmp_path / "g.json"
    a = EmbeddedStore(path)
    a.apply(demo_batch)
    b = EmbeddedStore(path)
    assert b.counts() == a.counts()
    assert b.edges() == a.edges()
    assert not b.apply(demo_batch).changed


@pytest.mark.parametrize("chunk", [1, 2, 5000])
def test_the_file_is_written_in_pieces_as_one_json_text(
    tmp_path: Path, demo_batch: Batch, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """A save writes the file piece by piece (never the whole file as one text in memory);
    the bytes are those of one compact ``json.dumps`` of the whole, at any piece size."""
    monkeypatch.setattr(embedded, "SAVE_CHUNK", chunk)
    path = tmp_path / "g.json"
    store = EmbeddedStore(path)
    store.apply(demo_batch)
    g = store._graph
    whole = {
        "format": embedded.FILE_FORMAT,
        "version": embedded.FILE_VERSION,
        "nodes": [[k.kind, k.id, p] for k, p in g.nodes(data=True)],
        "edges": [[s.kind, s.id, r, d.kind, d.id, p] for s, d, r, p in g.edges(keys=True, data=True)],
    }
    assert path.read_bytes() == json.dumps(whole, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(list(embedded.file_chunks(g))) > 4 + (len(whole["nodes"]) // chunk if chunk < 5000 else 0)
    assert EmbeddedStore(path).edges() == store.edges()
    empty = EmbeddedStore(tmp_path / "leeg.json")
    empty.clear()
    assert json.loads((tmp_path / "leeg.json").read_bytes())["nodes"] == []


def test_a_reader_sees_another_process_writes(tmp_path: Path, demo_batch: Batch) -> None:
    path = tmp_path / "g.json"
    reader = EmbeddedStore(path)
    assert reader.counts().nodes == {}
    EmbeddedStore(path).apply(demo_batch)  # "another process": a second store on the file
    assert reader.counts().nodes["Gemeente"] == 6


def test_a_damaged_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text('{"format": "sociale-kaart-graph", "version": 1, "nodes": [')
    with pytest.raises(StoreError, match=str(path)):
        EmbeddedStore(path)
    path.write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(StoreError, match="not a sociale-kaart graph file"):
        EmbeddedStore(path)
    path.write_text(json.dumps({"format": "sociale-kaart-graph", "version": 1}))
    with pytest.raises(StoreError, match="damaged"):
        EmbeddedStore(path)


WRITER = textwrap.dedent(
    """
    import sys
    from graph.embedded import EmbeddedStore
    from graph.records import Batch, NodeRecord

    store = EmbeddedStore(sys.argv[1])
    PROV = {"source": "test", "source_date": "2025", "import_id": "t1"}
    round_ = 0
    while True:
        round_ += 1
        batch = Batch()
        for i in range(4000):
            batch.add_node(NodeRecord("PC4", str(1000 + i), {"ronde": round_, "tekst": "x" * 200, **PROV}))
        store.apply(batch)
        print(round_, flush=True)
    """
)


def test_sigkill_during_save_leaves_the_previous_file_loadable(tmp_path: Path) -> None:
    """A writer saves 4,000 nodes again and again; we SIGKILL it at moments that fall inside
    a save (a temporary file is on disk) and check the store file is whole every time."""
    path = tmp_path / "g.json"
    mid_save_kills = 0
    for attempt in range(40):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        proc.stdout.readline()  # at least one save completed
        deadline = time.monotonic() + 5
        while not list(tmp_path.glob(".g.json.*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.001 * (attempt % 5))
        in_save = bool(list(tmp_path.glob(".g.json.*.tmp")))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        mid_save_kills += in_save
        store = EmbeddedStore(path)  # must load: the old or the new file, never a torn one
        rounds = {n.props["ronde"] for n in store.nodes("PC4")}
        assert len(store.nodes("PC4")) == 4000 and len(rounds) == 1
        assert not list(tmp_path.glob(".g.json.*.tmp")), "the killed save's file was left"
        if mid_save_kills >= 3:
            break
    assert mid_save_kills >= 3, "never managed to kill the writer during a save"


def test_leftovers_are_removed_at_open_but_not_while_someone_saves(tmp_path: Path) -> None:
    """A temporary file of a killed save goes at the next open; while another process holds
    the writers' lock (it is saving), the open neither waits nor removes its file."""
    path = tmp_path / "g.json"
    EmbeddedStore(path).clear()
    leftover = tmp_path / ".g.json.4242.1.tmp"
    leftover.write_bytes(b'{"half": ')
    other = tmp_path / "other.json.1.1.tmp"  # not ours: another file's name
    other.write_bytes(b"x")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path) + ".lock"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    try:
        started = time.monotonic()
        EmbeddedStore(path)
        assert time.monotonic() - started < 5 and leftover.exists()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    EmbeddedStore(path)
    assert not leftover.exists() and other.exists()


HOLD_LOCK = textwrap.dedent(
    """
    import fcntl, sys, time
    fh = open(sys.argv[1], "a+b")
    fcntl.flock(fh, fcntl.LOCK_EX)
    print("locked", flush=True)
    time.sleep(60)
    """
)


def test_a_failed_save_keeps_memory_and_file_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "g.json"
    store = EmbeddedStore(path)
    b = Batch()
    b.add_node(NodeRecord("PC4", "2011", {"plaats": "Haarlem", **PROV}))
    store.apply(b)
    before = path.read_bytes()

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device (injected)")

    monkeypatch.setattr("graph.embedded.os.fsync", full_disk)
    b2 = Batch()
    b2.add_node(NodeRecord("PC4", "2011", {"plaats": "Elders", **PROV}))
    b2.add_node(NodeRecord("PC4", "2012", {"plaats": "Haarlem", **PROV}))
    with pytest.raises(OSError, match="injected"):
        store.apply(b2)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".g.json.*.tmp"))
    assert store.node(NodeKey("PC4", "2011")).props["plaats"] == "Haarlem"  # type: ignore[union-attr]
    assert store.node(NodeKey("PC4", "2012")) is None


def test_quick_only_when_nothing_is_being_written_or_waits_to_be_loaded(
    tmp_path: Path, demo_batch: Batch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API answers on its event loop only what the store can answer at once."""
    path = tmp_path / "graph.json"
    store = EmbeddedStore(path)
    assert store.quick()
    seen_while_writing = []
    save = store._save

    def spying_save() -> None:
        seen_while_writing.append(store.quick())
        save()

    monkeypatch.setattr(store, "_save", spying_save)
    store.apply(demo_batch)
    assert seen_while_writing == [False] and store.quick()
    other = EmbeddedStore(path)
    batch = Batch()
    batch.add_node(NodeRecord("PC4", "9999", {"plaats": "Nergens", **PROV}))
    time.sleep(0.01)  # a new modification time, whatever the file system's resolution
    other.apply(batch)
    assert not store.quick()  # another process wrote: the next read loads the file first
    assert store.node(NodeKey("PC4", "9999")) is not None
    assert store.quick()


def test_edges_with_the_same_properties_share_them_and_change_apart(tmp_path: Path) -> None:
    """Two edges stated alike hold one dict of properties once loaded (memory), yet changing
    one leaves the other as it was: a record's dict is replaced, never changed in place."""
    from graph.records import EdgeRecord

    path = tmp_path / "g.json"
    gm = [NodeRecord("Gemeente", f"GM{i:04d}", {"naam": f"G{i}", **PROV}) for i in (1, 2, 3)]
    alike = {"aandeel": 1.0, "geldig": ["/"], **PROV}
    edges = [
        EdgeRecord(
            NodeKey("Gemeente", f"GM{i:04d}"), "OPGEGAAN_IN", NodeKey("Gemeente", "GM0003"), dict(alike)
        )
        for i in (1, 2)
    ]
    EmbeddedStore(path).apply(Batch().extend(gm, edges))
    store = EmbeddedStore(path)  # loaded from the file
    succ = store._graph._succ
    one, two = (
        succ[NodeKey("Gemeente", f"GM{i:04d}")][NodeKey("Gemeente", "GM0003")]["OPGEGAAN_IN"] for i in (1, 2)
    )
    assert one is two
    changed = EdgeRecord(edges[0].src, "OPGEGAAN_IN", edges[0].dst, {**alike, "aandeel": 0.5})
    store.apply(Batch().extend(edges=[changed]))
    shares = {e.src.id: e.props["aandeel"] for e in store.edges(rel="OPGEGAAN_IN")}
    assert shares == {"GM0001": 0.5, "GM0002": 1.0}
    assert {e.src.id: e.props["aandeel"] for e in EmbeddedStore(path).edges(rel="OPGEGAAN_IN")} == shares
