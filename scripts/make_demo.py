#!/usr/bin/env python3
"""Write the Kennemerland demo region into ``importers/demo/`` from the real open data.

The demo must work on a fresh clone without ``../shared``, so its facts are written into the
project in the importers' own format: one JSON Lines file per version of each source (scope),
each naming the source, its scope (``demo:`` + the source's, so that the demo never replaces
what a national import says) and its version, so every demo fact still says where it came from
and which versions stated it: the demo keeps the history (Zeewolde's jeugdregio of 2016 and of
2025). Run it again after an importer changes; review the diff like any other change.

    .venv/bin/python scripts/make_demo.py [--shared ../shared/data]

Selection: the 13 gemeenten of the DUO Kennemerland files; their PC4 areas, schools and
boards; the PC4 areas their pupils live in (and those areas' gemeenten, so that pupils from
outside the region show as grensverkeer); the SWVs and regions of all of these; the
gemeenten that merged into them; and every other gemeente of today with its outline and
regions, so that the map and the national pictures show the whole country. The fictional
wijkteams, providers, contracts and organisations' contacts are written by hand next to it
(``*-fictief.*``) and are not touched by this script.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graph.embedded import EmbeddedStore  # noqa: E402
from graph.lifecycle import LIFECYCLE_KEYS, VERMELD, Run, members  # noqa: E402
from graph.model import ENTITY_TYPES  # noqa: E402
from graph.records import NodeKey  # noqa: E402
from importers.demo_region import KENNEMERLAND  # noqa: E402
from importers.run import run_import  # noqa: E402

PROVENANCE = ("source", "source_date", "import_id")
#: The files of ../shared/data under CC BY-NC-SA (its README): nothing of them is shipped.
NON_COMMERCIAL = ("pc4-gemeente-2024.csv", "pc4-wijk-2024.csv", "gemeente-grenswijzigingen-2018-2024.csv")
SKIPPED = (*PROVENANCE, *LIFECYCLE_KEYS)


def select(store: EmbeddedStore) -> set[NodeKey]:
    gemeenten = {NodeKey("Gemeente", g) for g in KENNEMERLAND}
    into = defaultdict(set)  # dst -> src for each relation
    out = defaultdict(set)
    for e in store.edges():
        into[(e.rel, e.dst)].add(e.src)
        out[(e.rel, e.src)].add(e.dst)
    pc4 = {s for g in gemeenten for s in into[("LIGT_IN", g)] if s.kind == "PC4"}
    schools = {s for g in gemeenten for s in into[("LIGT_IN", g)] if s.kind == "School"}
    boards = {b for s in schools for b in into[("BESTUURT", s)]}
    homes = {p for s in schools for p in out[("LEERLINGEN_UIT", s)]}
    around = {g for p in homes for g in out[("LIGT_IN", p)] if g.kind == "Gemeente"}
    places = {p for s in schools for p in out[("LIGT_IN", s)] if p.kind == "PC4"}
    all_pc4 = pc4 | homes | places
    # every gemeente of today, with its outline and regions: the map shows the whole country,
    # the demo region's facts coloured and the rest as 'no data'
    today = {
        NodeKey("Gemeente", n.id)
        for n in store.nodes("Gemeente")
        if n.props.get("naam") and not n.props.get("opgeheven")
    }
    all_gm = gemeenten | around | today
    swv = {s for p in all_pc4 for s in out[("IN_WERKGEBIED", p)]} | {
        s for g in all_gm for s in out[("IN_WERKGEBIED", g)]
    }
    regions = {r for g in all_gm for rel in ("HOORT_BIJ", "LIGT_IN") for r in out[(rel, g)]}
    history = {o for g in all_gm for o in into[("OPGEGAAN_IN", g)]}
    return gemeenten | all_pc4 | schools | boards | all_gm | swv | regions | history


def _stated(props: dict[str, object], versions: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The (scope, version) of every version that stated a record, from its runs; the
    project's own reference data is left out (every import brings it along)."""
    runs = props.get(VERMELD)
    found = []
    for run in (Run.parse(str(r)) for r in runs) if isinstance(runs, list) else ():
        if run.scope.startswith("referentie:"):
            continue
        known = versions.get(run.scope, [])
        found += [(run.scope, v) for v in sorted(members([run], run.scope, known))]
    return found


def _place(
    by_version: dict[tuple[str, str], list[tuple[str, dict[str, object]]]],
    key: dict[str, object],
    props: dict[str, object],
    versions: dict[str, list[str]],
) -> None:
    """A record in the file of every version that stated it: with its values in the newest
    one's, by key only in the others (the import merges them), so that a gemeente's outline is
    written once."""
    stated = _stated(props, versions)
    if not stated:
        return
    home = max(stated, key=lambda s: (s[1], s[0]))
    values = {k: v for k, v in props.items() if k not in SKIPPED}
    kind = ENTITY_TYPES.get(str(key.get("kind")))
    required = [n for n, f in kind.model_fields.items() if f.is_required()] if kind else []
    least = {**key, **{k: values[k] for k in required if k in values}}
    for where in stated:
        row = {**key, **values} if where == home else least
        by_version[where].append((str(props["source"]), row))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=REPO / "importers" / "demo", help="folder to write to")
    args = ap.parse_args()
    shared: Path = args.shared
    files = sorted(p for p in shared.rglob("*") if p.is_file() and p.suffix != ".md")
    files = [p for p in files if "twente" not in p.name]  # providers of Twente are not Kennemerland's
    # licensed for tests and benchmarks only (CC BY-NC-SA): never in what the project ships
    files = [p for p in files if p.name not in NON_COMMERCIAL]
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "graph.json")
        run_import(store, files)
        keep = select(store)
        versions = {n.id: [str(v) for v in n.props.get("versies", [])] for n in store.nodes("Bron")}
        names = {n.id: str(n.props.get("naam") or n.id) for n in store.nodes("Bron")}
        by_version: dict[tuple[str, str], list[tuple[str, dict[str, object]]]] = defaultdict(list)
        for kind in sorted({k.kind for k in keep}):
            for n in store.nodes(kind, [k.id for k in keep if k.kind == kind]):
                _place(by_version, {"kind": n.kind, "id": n.id}, n.props, versions)
        for e in store.edges():
            if e.src in keep and e.dst in keep:
                _place(by_version, {"rel": e.rel, "van": str(e.src), "naar": str(e.dst)}, e.props, versions)
    for old in out_dir.glob("kennemerland-*.jsonl"):
        old.unlink()
    for (scope, version), rows in sorted(by_version.items()):
        path = out_dir / f"kennemerland-{scope.replace(':', '-')}-{version[:4]}.jsonl"
        source = Counter(src for src, _ in rows).most_common(1)[0][0]
        header = {
            "format": "sociale-kaart/1",
            "source": source,
            "source_date": version,
            "scope": f"demo:{scope}",
            "naam": f"{names.get(scope, scope)} (demo Kennemerland)",
            "version": version,
        }
        lines = [
            f"# Kennemerland demo: {names.get(scope, scope)} ({scope}), version {version}; "
            "written by scripts/make_demo.py",
            json.dumps(header, ensure_ascii=False),
        ]
        nodes = [r for _, r in rows if "kind" in r]
        edges = [r for _, r in rows if "rel" in r]
        lines += [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in nodes + edges]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{path.name}: {len(nodes)} nodes, {len(edges)} edges from {scope} {version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
