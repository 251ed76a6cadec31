"""Settling a batch's statements against what the store holds: the history of every fact.

A batch that states version ``v`` of scope ``S`` (:class:`~graph.records.Statement`) says:
these are all of ``S``'s facts as of ``v``. Both backends call :func:`settle` inside their
write transaction, with the stored records the batch names and every stored record an earlier
version of ``S`` stated; it returns the batch to write, in which each of those records carries
its new runs and periods (:mod:`graph.lifecycle`), and the ``Bron`` node of each scope its
list of versions. A fact ``S`` no longer states ends on ``v``; one stated again begins anew.
An older version than the newest known only fills in history: the values of what is stored
stay as they are.

>>> from graph.records import Batch, NodeRecord, Statement
>>> prov = {"source": "CBS", "source_date": "2025", "import_id": "i2"}
>>> b = Batch(); b.state(Statement("cbs:jz", "2025-01-01"))
>>> jz40 = {"soort": "jeugdregio", "vermeld": ["cbs:jz@/"], "geldig": ["/"], **prov}
>>> stored = {NodeKey("Regio", "JZ40"): jz40}
>>> bron = {NodeKey("Bron", "cbs:jz"): {"versies": ["2016-01-01"], **prov}}
>>> out = settle(b, {}, {}, bron, stored, {})
>>> out.batch.nodes[NodeKey("Regio", "JZ40")].props["geldig"], sorted(out.removed)
(['/2025-01-01'], [NodeKey(kind='Regio', id='JZ40')])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.lifecycle import GELDIG, VERMELD, Run, compress, is_current, members, periods, runs_of
from graph.props import shared
from graph.records import (
    Batch,
    EdgeKey,
    EdgeRecord,
    NodeKey,
    NodeRecord,
    PropValue,
    Stated,
    Statement,
)

Key = NodeKey | EdgeKey
Props = Mapping[str, PropValue]


@dataclass
class Settled:
    """A batch with the history it makes: what it ends and the notes for the report."""

    batch: Batch
    #: current facts that ended now, with the scope whose newer version ended them
    removed: dict[Key, str] = field(default_factory=dict)
    #: what a statement did beyond the facts, for the report of the file that made it
    notes: list[tuple[Stated, str]] = field(default_factory=list)


def bron_keys(batch: Batch) -> list[NodeKey]:
    """The ``Bron`` nodes a batch's statements touch: read them before :func:`settle`."""
    return sorted({NodeKey("Bron", scope) for scope, _ in batch.statements})


def known_scopes(bronnen: Mapping[NodeKey, Props]) -> list[str]:
    """Scopes with stored versions: only their records need reading for :func:`settle`."""
    return sorted(k.id for k in bronnen)


def _versions(bron: Props | None) -> list[str]:
    value = (bron or {}).get("versies")
    return sorted(str(v) for v in value) if isinstance(value, list) else []


def settle(
    batch: Batch,
    stored_nodes: Mapping[NodeKey, Props],
    stored_edges: Mapping[EdgeKey, Props],
    bronnen: Mapping[NodeKey, Props],
    stated_nodes: Mapping[NodeKey, Props],
    stated_edges: Mapping[EdgeKey, Props],
) -> Settled:
    """The batch to write, given the stored records the batch names (``stored_*``), the stored
    ``Bron`` nodes of its scopes, and every stored record of those scopes (``stated_*``)."""
    if not batch.statements:
        return Settled(batch)
    scopes = sorted({s for s, _ in batch.statements})
    old = {s: _versions(bronnen.get(NodeKey("Bron", s))) for s in scopes}
    new = {s: sorted(set(old[s]) | {v for t, v in batch.statements if t == s}) for s in scopes}
    out = Settled(Batch(statements=dict(batch.statements), stated=dict(batch.stated)))
    for (scope, version), st in sorted(batch.statements.items()):
        if old[scope] and version < old[scope][-1]:
            out.notes.append(
                (
                    (scope, version),
                    f"version {version} of {st.naam or scope} is older than the stored {old[scope][-1]}: "
                    "nothing current changes, it is added to the history",
                )
            )
    stored: dict[Key, Props] = {}
    for part in (stated_nodes, stated_edges, stored_nodes, stored_edges):
        stored.update(part)  # type: ignore[arg-type]
    keys: list[Key] = [*batch.nodes, *batch.edges]
    keys += [k for k in stated_nodes if k not in batch.nodes]
    keys += [k for k in stated_edges if k not in batch.edges]
    by_scope: dict[str, list[tuple[str, Statement]]] = {s: [] for s in scopes}
    for (scope, version), st in sorted(batch.statements.items()):
        by_scope[scope].append((version, st))
    history = _History(batch.stated, old, new, by_scope)
    pool: dict[tuple[Any, ...], dict[str, Any]] = {}  # edges of one source: few distinct ones
    for key in keys:
        record = batch.nodes.get(key) if isinstance(key, NodeKey) else batch.edges.get(key)
        props = history.settle_one(key, record, stored.get(key), out)
        if props is None:
            continue
        if isinstance(key, NodeKey):
            out.batch.nodes[key] = NodeRecord(key.kind, key.id, props)
        else:
            out.batch.edges[key] = EdgeRecord(key.src, key.rel, key.dst, shared(props, pool))
    for scope in scopes:
        out.batch.nodes[NodeKey("Bron", scope)] = _bron(scope, new[scope], batch, bronnen)
    return out


@dataclass
class _History:
    """What :func:`settle` needs for each record: the batch's statements by scope, and the
    versions of each scope before and after."""

    stated: Mapping[Key, set[Stated]]
    old: Mapping[str, list[str]]
    new: Mapping[str, list[str]]
    by_scope: Mapping[str, list[tuple[str, Statement]]]

    def runs(self, runs: list[Run], said: set[Stated]) -> list[Run]:
        """The record's runs after this batch: those of other scopes as they were, those of
        the batch's scopes recomputed over the new list of versions."""
        if not runs and len(said) == 1:
            # the common case of a first import: a new fact, stated by one version only (of
            # complete statements: a partial one would carry it over to its later versions)
            ((scope, version),) = said
            if all(st.complete for _, st in self.by_scope[scope]):
                return compress({version}, self.new[scope], scope)
        kept = [r for r in runs if r.scope not in self.new]
        for scope in sorted({r.scope for r in runs} | {s for s, _ in said}):
            if scope not in self.new:
                continue
            stated = members(runs, scope, self.old[scope])
            for version, st in self.by_scope[scope]:
                if (scope, version) in said:
                    stated.add(version)
                elif st.complete:
                    stated.discard(version)
                elif version not in self.old[scope] and _member_before(version, stated, self.new[scope]):
                    stated.add(version)  # a partial statement leaves what it does not name as it was
            kept += compress(stated, self.new[scope], scope)
        return kept

    def settle_one(
        self, key: Key, record: NodeRecord | EdgeRecord | None, before: Props | None, out: Settled
    ) -> dict[str, PropValue] | None:
        """The props to write for one record, or ``None`` when nothing of it changes."""
        said = self.stated.get(key, set())
        runs = runs_of(before or {})
        if record is not None and not said and not any(r.scope in self.new for r in runs):
            return dict(record.props)  # an unversioned write (an edit, a test): as it is
        kept = self.runs(runs, said)
        vermeld, geldig = sorted(str(r) for r in kept), periods(kept)
        if (
            record is None
            and before is not None
            and before.get(VERMELD) == vermeld
            and before.get(GELDIG) == geldig
        ):
            return None
        if before is not None and is_current(before) and not is_current({GELDIG: geldig}):
            out.removed[key] = _ending_scope(runs, kept)
        base: dict[str, PropValue] = dict(before or {})
        if record is not None and (before is None or _newest(said, self.new)):
            base.update(record.props)
        elif record is not None:
            base.update({k: v for k, v in record.props.items() if k not in base})
        base[VERMELD] = vermeld  # type: ignore[assignment]
        base[GELDIG] = geldig  # type: ignore[assignment]
        return base


def _member_before(version: str, stated: set[str], versions: list[str]) -> bool:
    earlier = [v for v in versions if v < version]
    return bool(earlier) and earlier[-1] in stated


def _newest(said: set[Stated], new: Mapping[str, list[str]]) -> bool:
    """Whether the batch states a record in the newest version of one of its scopes: only
    then may its values replace what is stored."""
    return any(v == new[s][-1] for s, v in said if s in new)


def _ending_scope(before: list[Run], after: list[Run]) -> str:
    open_before = {r.scope for r in before if not r.end}
    open_after = {r.scope for r in after if not r.end}
    ended = sorted(open_before - open_after)
    return ended[0] if ended else (sorted(open_before)[0] if open_before else "")


def _bron(scope: str, versions: list[str], batch: Batch, bronnen: Mapping[NodeKey, Props]) -> NodeRecord:
    """The registry node of a scope: its versions, newest last, and the name people know it by."""
    stored = dict(bronnen.get(NodeKey("Bron", scope)) or {})
    names = [st.naam for (s, _), st in sorted(batch.statements.items()) if s == scope and st.naam]
    naam = names[-1] if names else str(stored.get("naam") or scope)
    props: dict[str, PropValue] = {
        **stored,
        "naam": naam,
        "versies": versions,  # type: ignore[dict-item]
        "laatste": versions[-1],
        "source": naam,
        "source_date": versions[-1],
        "import_id": _import_id(batch) or str(stored.get("import_id") or "onbekend"),
    }
    return NodeRecord("Bron", scope, props)


def _import_id(batch: Batch) -> str:
    for node in batch.nodes.values():
        return str(node.props.get("import_id") or "")
    for edge in batch.edges.values():
        return str(edge.props.get("import_id") or "")
    return ""


def statement_of(scope: str, version: str, naam: str = "", complete: bool = True) -> Statement:
    """A statement that a batch is version ``version`` of ``scope`` (complete: what it does
    not state has ended; incomplete: it only adds)."""
    return Statement(scope, version, naam, complete)
