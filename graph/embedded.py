"""The embedded backend: a NetworkX graph in memory, persisted to one JSON file.

No server is needed, which makes it the default for a laptop, a demo and the tests. The
file is replaced atomically (write a temporary file, fsync, rename, fsync the folder), so a
crash or a kill in the middle of a save leaves the previous file intact; the temporary file
such a kill leaves behind is removed the next time the store is opened. A lock file keeps
two processes from writing at once, and a reader notices a newer file written by another
process (an ``import`` next to a running ``serve``) and loads it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import networkx as nx

from graph.lifecycle import GELDIG, VERMELD
from graph.neighbourhood import BULKY, Holds, Hop, Neighbourhood, Seed, walk
from graph.props import shared
from graph.records import (
    ApplyResult,
    Batch,
    Counts,
    EdgeKey,
    EdgeRecord,
    NodeKey,
    NodeRecord,
    PropValue,
)
from graph.store import (
    BackendInfo,
    GraphStore,
    StoreError,
    edge_sort_key,
    known_kind,
    known_rel,
    prepare,
)


class _SavedButNotSynced(StoreError):
    """The new file replaced the old one, but its folder entry may not be on disk yet."""


FILE_FORMAT = "sociale-kaart-graph"
FILE_VERSION = 1


def _copy(props: dict[str, PropValue]) -> dict[str, PropValue]:
    """Hand out copies, so that a caller changing a returned list cannot change the store."""
    return {k: list(v) if isinstance(v, list) else v for k, v in props.items()}


T = TypeVar("T")


def _consumed(records: list[T]) -> Iterator[T]:
    """The records in order, each removed from the list as it is handed out."""
    records.reverse()
    while records:
        yield records.pop()


#: records per piece of the file written at once: small enough that a save never holds the
#: whole file as text (a national graph is about 50 MB of JSON, twice that as str and bytes)
SAVE_CHUNK = 5000


def file_chunks(g: nx.MultiDiGraph) -> Iterator[bytes]:
    """The graph file, piece by piece: byte for byte what one ``json.dumps`` of the whole
    would write (``{"format":…,"version":…,"nodes":[…],"edges":[…]}``), each piece encoded
    by the same C encoder."""

    def pieces(rows: Iterable[list[Any]]) -> Iterator[bytes]:
        chunk: list[list[Any]] = []
        first = True
        for row in rows:
            chunk.append(row)
            if len(chunk) == SAVE_CHUNK:
                yield (b"" if first else b",") + _compact(chunk)[1:-1]
                chunk, first = [], False
        if chunk:
            yield (b"" if first else b",") + _compact(chunk)[1:-1]

    yield b'{"format":' + _compact(FILE_FORMAT) + b',"version":' + _compact(FILE_VERSION) + b',"nodes":['
    yield from pieces([k.kind, k.id, props] for k, props in g.nodes(data=True))
    yield b'],"edges":['
    yield from pieces(
        [s.kind, s.id, rel, d.kind, d.id, props] for s, d, rel, props in g.edges(keys=True, data=True)
    )
    yield b"]}"


def _compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


class EmbeddedStore(GraphStore):
    """Graph nodes are :class:`NodeKey` tuples whose attribute dict is the node's properties;
    edges are keyed by relation name, so one pair of nodes has at most one edge per relation.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser().resolve()
        self._lock = threading.RLock()
        self._graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._by_kind: dict[str, set[str]] = {}
        self._stamp: tuple[int, int, int] | None = None
        self._writing = False
        with self._lock:
            self._remove_leftovers()
            self._load()

    # -- GraphStore -----------------------------------------------------------------------

    def info(self) -> BackendInfo:
        return BackendInfo("embedded", str(self.path), f"networkx {nx.__version__}")

    def ping(self) -> None:
        self._refresh()

    def quick(self) -> bool:
        # Neither a write under way (in this process) nor a newer file to load. A write that
        # starts right after this check makes that one read wait for it: rare, and correct.
        return not self._writing and self._file_stamp() == self._stamp

    def apply(self, batch: Batch, *, dry_run: bool = False) -> ApplyResult:
        with self._lock, self._writing_flag(), self._file_lock():
            self._refresh()
            g = self._graph

            def read_nodes(keys: list[NodeKey]) -> dict[NodeKey, Mapping[str, PropValue]]:
                return {k: g._node[k] for k in keys if k in g._node}

            def read_edges(keys: list[EdgeKey], _new: object) -> dict[EdgeKey, Mapping[str, PropValue]]:
                return {k: g.edges[k.src, k.dst, k.rel] for k in keys if g.has_edge(k.src, k.dst, k.rel)}

            todo = prepare(batch, read_nodes, read_edges, self._stated_by)
            if dry_run or not (todo.nodes or todo.edges):
                return todo.result
            undo = self._write(todo.nodes, todo.edges)
            try:
                self._save()
            except _SavedButNotSynced:
                raise  # the new file is in place: memory already matches it
            except BaseException:
                self._undo(undo)
                raise
            return todo.result

    def _stated_by(
        self, scopes: list[str]
    ) -> tuple[Mapping[NodeKey, Mapping[str, PropValue]], Mapping[EdgeKey, Mapping[str, PropValue]]]:
        """Every record an imported version of one of the scopes stated (see graph.settle)."""
        wanted = set(scopes)

        def ours(props: Mapping[str, PropValue]) -> bool:
            runs = props.get(VERMELD)
            return isinstance(runs, list) and any(str(r).partition("@")[0] in wanted for r in runs)

        g = self._graph
        # read-only views, not copies: settling reads them and writes what changes (merged, as
        # the Neo4j backend, which reads only the runs, periods and provenance, writes it too)
        nodes = {k: MappingProxyType(p) for k, p in g._node.items() if ours(p)}
        edges = {
            EdgeKey(s, r, d): MappingProxyType(p) for s, d, r, p in g.edges(keys=True, data=True) if ours(p)
        }
        return nodes, edges

    def node(self, key: NodeKey) -> NodeRecord | None:
        with self._lock:
            known_kind(key.kind)
            self._refresh()
            if key not in self._graph:
                return None
            return NodeRecord(key.kind, key.id, _copy(self._graph.nodes[key]))

    def nodes(self, kind: str, ids: Iterable[str] | None = None) -> list[NodeRecord]:
        with self._lock:
            known_kind(kind)
            self._refresh()
            have = self._by_kind.get(kind, set())
            chosen = have if ids is None else have.intersection(ids)
            g = self._graph
            return [NodeRecord(kind, i, _copy(g.nodes[NodeKey(kind, i)])) for i in sorted(chosen)]

    def edges(
        self, rel: str | None = None, src: NodeKey | None = None, dst: NodeKey | None = None
    ) -> list[EdgeRecord]:
        for k in (src, dst):
            if k is not None:
                known_kind(k.kind)
        if rel is not None:
            known_rel(rel)
        with self._lock:
            self._refresh()
            out = [
                EdgeRecord(s, r, d, _copy(props))
                for s, d, r, props in self._candidate_edges(src, dst)
                if (rel is None or r == rel) and (src is None or s == src) and (dst is None or d == dst)
            ]
        return sorted(out, key=edge_sort_key)

    def neighbourhood(self, seeds: Sequence[Seed], holds: Holds = None) -> Neighbourhood:
        """The walk straight over the in-memory graph: one lock, one freshness check.

        Properties come as read-only views, not copies: a question reads a few dozen records
        and copying them was most of its time."""
        with self._lock:
            self._refresh()
            # NetworkX's own dicts, not its views: a gemeente has hundreds of PC4 neighbours,
            # and the views cost a function call per neighbour.
            nodes, succ, pred = self._graph._node, self._graph._succ, self._graph._pred

            def node(key: NodeKey) -> NodeRecord | None:
                props = nodes.get(key)
                if props is None:
                    return None
                if BULKY.isdisjoint(props):
                    return NodeRecord(key.kind, key.id, MappingProxyType(props))
                return NodeRecord(key.kind, key.id, {k: v for k, v in props.items() if k not in BULKY})

            def edges(key: NodeKey, hop: Hop) -> Iterator[EdgeRecord]:
                rel, kind = hop.rel, hop.kind
                for other, by_rel in (pred if hop.inward else succ)[key].items():
                    if other.kind == kind and rel in by_rel:
                        src, dst = (other, key) if hop.inward else (key, other)
                        yield EdgeRecord(src, rel, dst, MappingProxyType(by_rel[rel]))

            return walk(seeds, node, edges, holds)

    def limited_nodes(self) -> dict[NodeKey, list[str]]:
        with self._lock:
            self._refresh()
            return {
                k: [str(s) for s in spans]
                for k, p in self._graph._node.items()
                if isinstance(spans := p.get(GELDIG), list) and spans != ["/"]
            }

    def data_version(self) -> Hashable:
        """The file's identity: every write replaces the file, ours or another process's."""
        with self._lock:
            self._refresh()
            return self._stamp

    def counts(self) -> Counts:
        with self._lock:
            self._refresh()
            nodes = {k: len(v) for k, v in self._by_kind.items() if v}
            edges: dict[str, int] = {}
            for _, _, rel in self._graph.edges(keys=True):
                edges[rel] = edges.get(rel, 0) + 1
            return Counts(nodes, edges)

    def clear(self) -> None:
        with self._lock, self._file_lock():
            self._graph = nx.MultiDiGraph()
            self._by_kind = {}
            self._save()

    # -- writing ----------------------------------------------------------------------------

    def _write(
        self, nodes: list[NodeRecord], edges: list[EdgeRecord]
    ) -> list[tuple[Any, dict[str, PropValue] | None]]:
        """Apply in memory and return what is needed to undo it if the save fails.

        A record's property dict is replaced, never changed in place, so that a question
        being answered from read-only views of the old dicts (see :meth:`neighbourhood`)
        sees each record whole, before or after, never half-written.

        The plan's lists are emptied as they are written: each record's plan is dropped once
        the graph holds it, so that a national import never holds the plan and the graph's
        copy of it at once (about 150 MB)."""
        g = self._graph
        pool: dict[tuple[Any, ...], dict[str, Any]] = {}
        undo: list[tuple[Any, dict[str, PropValue] | None]] = []
        for n in _consumed(nodes):
            key = n.key
            old = g._node.get(key)
            undo.append((key, old))
            g.add_node(key)
            g._node[key] = {**(old or {}), **_copy(dict(n.props))}
            self._by_kind.setdefault(key.kind, set()).add(key.id)
        for e in _consumed(edges):
            k = e.key
            had = g.has_edge(k.src, k.dst, k.rel)
            old = g._succ[k.src][k.dst][k.rel] if had else None
            undo.append((k, old))
            if not had:
                g.add_edge(k.src, k.dst, key=k.rel)
            # _succ[src][dst] and _pred[dst][src] are one dict in NetworkX: one assignment
            g._succ[k.src][k.dst][k.rel] = shared({**(old or {}), **_copy(dict(e.props))}, pool)
        return undo

    def _undo(self, undo: list[tuple[Any, dict[str, PropValue] | None]]) -> None:
        g = self._graph
        for key, old in reversed(undo):
            if isinstance(key, EdgeKey):
                if old is None:
                    g.remove_edge(key.src, key.dst, key.rel)
                else:
                    g._succ[key.src][key.dst][key.rel] = old
            elif old is None:
                g.remove_node(key)
                self._by_kind[key.kind].discard(key.id)
            else:
                g._node[key] = old

    def _candidate_edges(
        self, src: NodeKey | None, dst: NodeKey | None
    ) -> Iterator[tuple[NodeKey, NodeKey, str, dict[str, PropValue]]]:
        g = self._graph
        if src is not None:
            return g.out_edges(src, keys=True, data=True) if src in g else iter(())
        if dst is not None:
            return g.in_edges(dst, keys=True, data=True) if dst in g else iter(())
        return g.edges(keys=True, data=True)

    # -- the file ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing_flag(self) -> Iterator[None]:
        self._writing = True
        try:
            yield
        finally:
            self._writing = False

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Serialise writers across processes; readers never wait for it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _remove_leftovers(self) -> None:
        """Remove the temporary files of saves that were killed before their rename: each
        is a whole copy of the graph (hundreds of MB on national data), and a server that
        is killed and restarted now and then would fill the disk with them.

        Only while no one saves: every save holds the file lock from writing its temporary
        file to the rename, so with the lock in hand every temporary file is a leftover. If
        another process is saving right now, the lock is not waited for (an import may take
        minutes); the next start removes what is left."""
        leftovers = list(self.path.parent.glob(f".{self.path.name}.*.tmp"))
        if not leftovers:
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        # a folder we may only read (a read-only deployment) keeps its leftovers
        with contextlib.suppress(OSError), open(lock_path, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError: someone saves
            try:
                for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                    leftover.unlink(missing_ok=True)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _refresh(self) -> None:
        """Load the file again if another process replaced it since we read it."""
        if self._file_stamp() != self._stamp:
            self._load()

    def _load(self) -> None:
        stamp = self._file_stamp()
        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        by_kind: dict[str, set[str]] = {}
        if stamp is not None:
            try:
                with open(self.path, "rb") as fh:
                    data = json.load(fh)
            except (OSError, ValueError) as exc:
                raise StoreError(f"{self.path}: cannot read the graph file: {exc}") from exc
            if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
                raise StoreError(f"{self.path}: not a sociale-kaart graph file")
            if data.get("version") != FILE_VERSION:
                raise StoreError(
                    f"{self.path}: graph file version {data.get('version')!r}; "
                    f"this program reads version {FILE_VERSION}"
                )
            try:
                for kind, ident, props in data["nodes"]:
                    graph.add_node(NodeKey(kind, ident), **props)
                    by_kind.setdefault(kind, set()).add(ident)
                pool: dict[tuple[Any, ...], dict[str, Any]] = {}
                succ = graph._succ
                for sk, si, rel, dk, di, props in data["edges"]:
                    src, dst = NodeKey(sk, si), NodeKey(dk, di)
                    if not isinstance(props, dict):
                        raise TypeError(f"edge {src} {rel} {dst}: properties are no object")
                    graph.add_edge(src, dst, key=rel)
                    succ[src][dst][rel] = shared(props, pool)
            except (KeyError, TypeError, ValueError) as exc:
                raise StoreError(f"{self.path}: the graph file is damaged ({exc!r})") from exc
        self._graph, self._by_kind, self._stamp = graph, by_kind, stamp

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.writelines(file_chunks(self._graph))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._stamp = self._file_stamp()
        try:
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as exc:
            raise _SavedButNotSynced(
                f"{self.path}: saved, but the folder could not be synced: {exc}"
            ) from exc
