#!/usr/bin/env python3
"""Write the Kennemerland demo region into ``importers/demo/`` from the real open data.

The demo must work on a fresh clone without ``../shared``, so its facts are written into the
project in the importers' own format: one JSON Lines file per source, each naming the source
and its date, so every demo fact still says where it came from. Run it again after an
importer changes; review the diff like any other change.

    .venv/bin/python scripts/make_demo.py [--shared ../shared/data]

Selection: the 13 gemeenten of the DUO Kennemerland files; their PC4 areas, schools and
boards; the PC4 areas their pupils live in (and those areas' gemeenten, so that pupils from
outside the region show as grensverkeer); the SWVs and regions of all of these; and the
gemeenten that merged into them. The fictional wijkteams, providers and contracts are
written by hand next to it (``*-fictief.*``) and are not touched by this script.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graph.embedded import EmbeddedStore  # noqa: E402
from graph.records import NodeKey  # noqa: E402
from importers.demo_region import KENNEMERLAND  # noqa: E402
from importers.run import run_import  # noqa: E402

PROVENANCE = ("source", "source_date", "import_id")


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
    all_gm = gemeenten | around
    swv = {s for p in all_pc4 for s in out[("IN_WERKGEBIED", p)]} | {
        s for g in all_gm for s in out[("IN_WERKGEBIED", g)]
    }
    regions = {r for g in all_gm for rel in ("HOORT_BIJ", "LIGT_IN") for r in out[(rel, g)]}
    history = {o for g in all_gm for o in into[("OPGEGAAN_IN", g)]}
    return gemeenten | all_pc4 | schools | boards | all_gm | swv | regions | history


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=REPO / "importers" / "demo", help="folder to write to")
    args = ap.parse_args()
    shared: Path = args.shared
    files = sorted(p for p in shared.rglob("*") if p.is_file() and p.suffix != ".md")
    files = [p for p in files if "twente" not in p.name]  # providers of Twente are not Kennemerland's
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    reference = sorted((REPO / "importers" / "reference").glob("*.jsonl"))
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "graph.json")
        run_import(store, [*files, *reference])
        keep = select(store)
        by_source: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
        for kind in sorted({k.kind for k in keep}):
            for n in store.nodes(kind, [k.id for k in keep if k.kind == kind]):
                row = {
                    "kind": n.kind,
                    "id": n.id,
                    **{k: v for k, v in n.props.items() if k not in PROVENANCE},
                }
                by_source[(str(n.props["source"]), str(n.props["source_date"]))].append(row)
        for e in store.edges():
            if e.src in keep and e.dst in keep:
                row = {
                    "rel": e.rel,
                    "van": str(e.src),
                    "naar": str(e.dst),
                    **{k: v for k, v in e.props.items() if k not in PROVENANCE},
                }
                by_source[(str(e.props["source"]), str(e.props["source_date"]))].append(row)
    for old in out_dir.glob("kennemerland-*.jsonl"):
        old.unlink()
    for number, ((source, date), rows) in enumerate(sorted(by_source.items()), start=1):
        path = out_dir / f"kennemerland-{number:02d}.jsonl"
        header = {"format": "sociale-kaart/1", "source": source, "source_date": date}
        lines = [
            f"# Kennemerland demo: facts from '{source}' ({date}), written by scripts/make_demo.py",
            json.dumps(header, ensure_ascii=False),
        ]
        nodes = [r for r in rows if "kind" in r]
        edges = [r for r in rows if "rel" in r]
        lines += [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in nodes + edges]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{path.name}: {len(nodes)} nodes, {len(edges)} edges from {source}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
