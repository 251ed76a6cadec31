"""The Neo4j backend: the same graph in a Neo4j server over Bolt, for shared and large
deployments (a Neo4j cluster or Aura when one machine is not enough).

Following the driver manual: one driver per process, managed transactions, ``UNWIND $rows``
batches, uniqueness constraints created before anything is loaded, and results consumed
inside the transaction. Labels and relationship types cannot be parameters, so they come
only from the whitelists in :mod:`graph.schema`; every value is a parameter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence, Set
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction, RoutingControl
from neo4j.exceptions import (
    AuthError,
    DatabaseUnavailable,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph.lifecycle import GELDIG, LIFECYCLE_KEYS, VERMELD
from graph.neighbourhood import Holds, Neighbourhood, Seed
from graph.neo4j_neighbourhood import neighbourhood_cypher, neighbourhood_of
from graph.records import (
    PROVENANCE_KEYS,
    ApplyResult,
    Batch,
    Counts,
    EdgeKey,
    EdgeRecord,
    NodeKey,
    NodeRecord,
    PropValue,
)
from graph.schema import NODE_KINDS, RELATIONS
from graph.store import (
    BackendInfo,
    GraphStore,
    StoreError,
    StoreUnavailable,
    edge_sort_key,
    known_kind,
    known_rel,
    prepare,
)

#: Rows per UNWIND statement: large enough to amortise round trips, small enough to keep
#: each statement's memory modest. All chunks of one batch share one transaction.
CHUNK = 5000

T = TypeVar("T")

#: The label of the one node that is not part of the graph: it holds the data version.
META = "SocialeKaart"


def _chunks(rows: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _props(raw: dict[str, Any]) -> dict[str, PropValue]:
    return {k: v for k, v in raw.items() if k != "id"}


class Neo4jStore(GraphStore):
    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> None:
        self.uri = uri
        self.database = database or None
        auth = (user, password or "") if user else None
        try:
            self._driver = self._make_driver(uri, auth)
        except (DriverError, ValueError) as exc:
            raise StoreError(f"cannot use Neo4j URI {uri!r}: {exc}") from exc
        self._version = ""
        self._schema_ready = False

    @staticmethod
    def _make_driver(uri: str, auth: tuple[str, str] | None) -> neo4j.Driver:
        return GraphDatabase.driver(
            uri,
            auth=auth,
            # While the server is down a request should fail fast with 503 and a retry hint,
            # not hang: a refused connection fails at once, an unanswered one after 3 s, and
            # a managed transaction retries for at most 3 s. A connection found dead is
            # replaced on the next request, so the service recovers by itself.
            connection_timeout=3.0,
            connection_acquisition_timeout=5.0,
            max_transaction_retry_time=3.0,
            liveness_check_timeout=30.0,
            # Our queries name every label and type in the schema, also those not yet in
            # use; the server's "unknown type" warnings would only be noise.
            notifications_min_severity="OFF",
        )

    # -- plumbing ---------------------------------------------------------------------------

    def _guard(self, fn: Callable[[], T]) -> T:
        """Run a driver call, turning 'server not there' into :class:`StoreUnavailable`.

        The schema is (re)created lazily, so that a store opened while Neo4j was down
        recovers by itself once the server is back.
        """
        try:
            if not self._schema_ready:
                self._ensure_schema()
            return fn()
        except (ServiceUnavailable, SessionExpired, DatabaseUnavailable) as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable: {exc}") from exc
        except AuthError as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} refused the credentials: {exc}") from exc
        except (DriverError, Neo4jError, ValueError) as exc:
            # ValueError: the driver's word for a malformed URI or an unsupported value.
            raise StoreError(f"Neo4j at {self.uri}: {exc}") from exc

    def _read(self, query: str, **params: Any) -> list[neo4j.Record]:
        result = self._driver.execute_query(
            query, params, routing_=RoutingControl.READ, database_=self.database
        )
        return list(result.records)

    def _ensure_schema(self) -> None:
        for kind in NODE_KINDS:
            self._driver.execute_query(
                f"CREATE CONSTRAINT sk_{kind.lower()}_id IF NOT EXISTS FOR (n:{kind}) REQUIRE n.id IS UNIQUE",
                database_=self.database,
            )
        self._driver.execute_query(
            f"CREATE CONSTRAINT sk_meta_id IF NOT EXISTS FOR (n:{META}) REQUIRE n.id IS UNIQUE",
            database_=self.database,
        )
        self._schema_ready = True

    # -- GraphStore -----------------------------------------------------------------------

    def info(self) -> BackendInfo:
        if not self._version:
            try:
                rec = self._guard(
                    lambda: self._read(
                        "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e"
                    )
                )
                self._version = f"{rec[0]['v']}" if rec else ""
            except StoreError:
                pass
        return BackendInfo("neo4j", self.uri, self._version)

    def ping(self) -> None:
        self._guard(lambda: self._driver.verify_connectivity())

    def apply(self, batch: Batch, *, dry_run: bool = False) -> ApplyResult:
        def work(tx: ManagedTransaction) -> ApplyResult:
            new_nodes: set[NodeKey] = set()

            def read_edges(keys: list[EdgeKey], new: Set[NodeKey]) -> dict[EdgeKey, dict[str, PropValue]]:
                # An edge touching a node this batch creates cannot exist yet: no need to look,
                # and CREATE is safe for it (the new node is locked by this transaction).
                new_nodes.update(new)
                return _read_edges(tx, [k for k in keys if k.src not in new and k.dst not in new])

            todo = prepare(
                batch, lambda keys: _read_nodes(tx, keys), read_edges, lambda scopes: _stated_by(tx, scopes)
            )
            if dry_run:
                return todo.result
            _write_nodes(tx, todo.nodes)
            _write_edges(tx, todo.edges, new_nodes)
            if todo.result.changed:
                _new_version(tx)
            return todo.result

        def run() -> ApplyResult:
            with self._driver.session(database=self.database) as session:
                return session.execute_write(work)

        return self._guard(run)

    def node(self, key: NodeKey) -> NodeRecord | None:
        label = known_kind(key.kind)
        recs = self._guard(
            lambda: self._read(f"MATCH (n:{label} {{id: $id}}) RETURN properties(n) AS p", id=key.id)
        )
        return NodeRecord(key.kind, key.id, _props(recs[0]["p"])) if recs else None

    def nodes(self, kind: str, ids: Iterable[str] | None = None) -> list[NodeRecord]:
        label = known_kind(kind)
        if ids is None:
            query = f"MATCH (n:{label}) RETURN n.id AS id, properties(n) AS p ORDER BY id"
            recs = self._guard(lambda: self._read(query))
        else:
            query = (
                f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) "
                "RETURN n.id AS id, properties(n) AS p ORDER BY id"
            )
            wanted = sorted(set(ids))
            recs = self._guard(lambda: self._read(query, ids=wanted))
        # Sorted here, not by Cypher: Neo4j orders strings by UTF-16, Python by code point.
        return sorted((NodeRecord(kind, r["id"], _props(r["p"])) for r in recs), key=lambda n: n.id)

    def edges(
        self, rel: str | None = None, src: NodeKey | None = None, dst: NodeKey | None = None
    ) -> list[EdgeRecord]:
        a = f"(a:{known_kind(src.kind)} {{id: $sid}})" if src else "(a)"
        b = f"(b:{known_kind(dst.kind)} {{id: $did}})" if dst else "(b)"
        r = f"[r:{known_rel(rel)}]" if rel else "[r]"
        query = (
            f"MATCH {a}-{r}->{b} RETURN labels(a)[0] AS sk, a.id AS si, type(r) AS rel, "
            "labels(b)[0] AS dk, b.id AS di, properties(r) AS p"
        )
        params = {"sid": src.id if src else None, "did": dst.id if dst else None}
        recs = self._guard(lambda: self._read(query, **params))
        out = [
            EdgeRecord(NodeKey(x["sk"], x["si"]), x["rel"], NodeKey(x["dk"], x["di"]), dict(x["p"]))
            for x in recs
        ]
        return sorted(out, key=edge_sort_key)

    def neighbourhood(self, seeds: Sequence[Seed], holds: Holds = None) -> Neighbourhood:
        """One statement, one round trip, one row: the tree of steps as nested subqueries
        (see :func:`neighbourhood_cypher`)."""
        query = neighbourhood_cypher(tuple((seed.key.kind, seed.steps) for seed in seeds))
        params = {f"s{i}": seed.key.id for i, seed in enumerate(seeds)}

        def once() -> list[list[Any]]:
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as s:
                record = s.run(query, params).single(strict=True)
                return record[0]

        def run() -> list[list[Any]]:
            # An auto-commit read: RUN and PULL go out together, so the question costs one
            # round trip (a managed transaction adds BEGIN and COMMIT). The driver does not
            # retry these; a read has nothing to undo, so one retry here covers a pooled
            # connection that died with a server restart.
            try:
                return once()
            except (ServiceUnavailable, SessionExpired):
                return once()

        return neighbourhood_of(self._guard(run), holds)

    def limited_nodes(self) -> dict[NodeKey, list[str]]:
        query = (
            f"MATCH (n) WHERE n.{GELDIG} IS NOT NULL AND n.{GELDIG} <> ['/'] "
            f"RETURN labels(n)[0] AS k, n.id AS id, n.{GELDIG} AS g"
        )
        return {NodeKey(r["k"], r["id"]): list(r["g"]) for r in self._guard(lambda: self._read(query))}

    def data_version(self) -> Hashable:
        """A token on one node of its own, renewed in every write transaction that changes
        something: one small read, and exact, also for writes by other processes of ours."""
        recs = self._guard(lambda: self._read(f"MATCH (m:{META} {{id: 'data'}}) RETURN m.version AS v"))
        return recs[0]["v"] if recs else None

    def counts(self) -> Counts:
        def work(tx: ManagedTransaction) -> Counts:
            counts = Counts()
            for kind in NODE_KINDS:
                n = tx.run(f"MATCH (n:{kind}) RETURN count(n) AS c").single(strict=True)["c"]
                if n:
                    counts.nodes[kind] = n
            for rel in RELATIONS:
                n = tx.run(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS c").single(strict=True)["c"]
                if n:
                    counts.edges[rel] = n
            return counts

        def run() -> Counts:
            with self._driver.session(database=self.database) as session:
                return session.execute_read(work)

        return self._guard(run)

    def clear(self) -> None:
        def run() -> None:
            with self._driver.session(database=self.database) as session:
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
                session.execute_write(_new_version)

        self._guard(run)

    def close(self) -> None:
        self._driver.close()


# -- statements run inside a write transaction ---------------------------------------------


def _new_version(tx: ManagedTransaction) -> None:
    tx.run(f"MERGE (m:{META} {{id: 'data'}}) SET m.version = randomUUID()").consume()


def _stated_by(
    tx: ManagedTransaction, scopes: list[str]
) -> tuple[dict[NodeKey, dict[str, PropValue]], dict[EdgeKey, dict[str, PropValue]]]:
    """Every record an imported version of one of the scopes stated (see graph.settle): a
    scan of the whole graph, once per import of a source already known. Only what settling
    reads and writes comes back (runs, periods, provenance), not the facts: a re-import of
    everything stays within a transaction's memory."""
    ours = f"any(v IN coalesce(x.{VERMELD}, []) WHERE split(v, '@')[0] IN $scopes)"
    keep = ", ".join(f".{k}" for k in (*LIFECYCLE_KEYS, *PROVENANCE_KEYS))
    nodes = {
        NodeKey(r["k"], r["id"]): _props(r["p"])
        for r in tx.run(
            f"MATCH (x) WHERE {ours} RETURN labels(x)[0] AS k, x.id AS id, x {{{keep}}} AS p",
            scopes=scopes,
        )
    }
    edges = {
        EdgeKey(NodeKey(r["sk"], r["si"]), r["rel"], NodeKey(r["dk"], r["di"])): dict(r["p"])
        for r in tx.run(
            f"MATCH (a)-[x]->(b) WHERE {ours} RETURN labels(a)[0] AS sk, a.id AS si, type(x) AS rel, "
            f"labels(b)[0] AS dk, b.id AS di, x {{{keep}}} AS p",
            scopes=scopes,
        )
    }
    return nodes, edges


def _read_nodes(tx: ManagedTransaction, keys: list[NodeKey]) -> dict[NodeKey, dict[str, PropValue]]:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        by_kind[k.kind].append(k.id)
    found: dict[NodeKey, dict[str, PropValue]] = {}
    for kind, ids in by_kind.items():
        for part in _chunks(ids):
            result = tx.run(
                f"UNWIND $ids AS i MATCH (n:{kind} {{id: i}}) RETURN n.id AS id, properties(n) AS p",
                ids=part,
            )
            for r in result:
                found[NodeKey(kind, r["id"])] = _props(r["p"])
    return found


def _edge_groups(keys: Iterable[EdgeKey]) -> dict[tuple[str, str, str], list[EdgeKey]]:
    groups: dict[tuple[str, str, str], list[EdgeKey]] = defaultdict(list)
    for k in keys:
        groups[(k.src.kind, k.rel, k.dst.kind)].append(k)
    return groups


def _read_edges(tx: ManagedTransaction, keys: list[EdgeKey]) -> dict[EdgeKey, dict[str, PropValue]]:
    found: dict[EdgeKey, dict[str, PropValue]] = {}
    for (sk, rel, dk), group in _edge_groups(keys).items():
        for part in _chunks(group):
            rows = [{"s": k.src.id, "d": k.dst.id} for k in part]
            result = tx.run(
                f"UNWIND $rows AS row MATCH (a:{sk} {{id: row.s}})-[r:{rel}]->(b:{dk} {{id: row.d}}) "
                "RETURN row.s AS s, row.d AS d, properties(r) AS p",
                rows=rows,
            )
            for r in result:
                found[EdgeKey(NodeKey(sk, r["s"]), rel, NodeKey(dk, r["d"]))] = dict(r["p"])
    return found


def _write_nodes(tx: ManagedTransaction, nodes: list[NodeRecord]) -> None:
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in nodes:
        by_kind[n.kind].append({"id": n.id, "props": dict(n.props)})
    for kind, rows in by_kind.items():
        for part in _chunks(rows):
            tx.run(
                f"UNWIND $rows AS row MERGE (n:{kind} {{id: row.id}}) SET n += row.props",
                rows=part,
            ).consume()


def _write_edges(
    tx: ManagedTransaction, edges: list[EdgeRecord], new_nodes: Set[NodeKey] = frozenset()
) -> None:
    """MERGE where the edge may exist; CREATE where an endpoint is new in this transaction."""
    props = {e.key: dict(e.props) for e in edges}
    for (sk, rel, dk), group in _edge_groups(e.key for e in edges).items():
        fresh = [k for k in group if k.src in new_nodes or k.dst in new_nodes]
        known = [k for k in group if k.src not in new_nodes and k.dst not in new_nodes]
        for verb, keys in (("CREATE", fresh), ("MERGE", known)):
            for part in _chunks(keys):
                rows = [{"s": k.src.id, "d": k.dst.id, "props": props[k]} for k in part]
                written = tx.run(
                    f"UNWIND $rows AS row MATCH (a:{sk} {{id: row.s}}) MATCH (b:{dk} {{id: row.d}}) "
                    f"{verb} (a)-[r:{rel}]->(b) SET r += row.props RETURN count(r) AS c",
                    rows=rows,
                ).single(strict=True)["c"]
                if written != len(rows):
                    # An endpoint vanished after it was read: abort the whole transaction.
                    raise StoreError(f"{rel}: wrote {written} of {len(rows)} edges; batch rolled back")
