"""The ``sociale-kaart`` command: serve, import, demo, stats, export (network pictures) and
export-hsds.

Every command takes ``--store``: an embedded store file or a ``bolt://``/``neo4j://`` URI
(default: ``SOCIALE_KAART_STORE``, then ``NEO4J_URI``, then the embedded file in the data
folder). Exit codes: 0 done, 1 import refused (nothing applied), 2 usage, 3 store not
reachable.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import date
from importlib import resources
from pathlib import Path

from graph.config import StoreTarget
from graph.dated import as_of
from graph.queries.names import named_in_text
from graph.store import GraphStore, StoreError, StoreUnavailable
from importers.report import ImportFailed
from importers.run import run_import

EXIT_IMPORT_FAILED = 1
EXIT_USAGE = 2
EXIT_STORE_UNAVAILABLE = 3


def _store_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        metavar="PATH_OR_BOLT_URI",
        help="embedded store file, or bolt://host:port / neo4j://host:port "
        "(default: $SOCIALE_KAART_STORE, $NEO4J_URI, else the data folder's graph.json)",
    )


def _serve_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="sociale-kaart",
        description="Who serves a pupil who needs extra support, and how regions overlap.",
    )
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the web API")
    _store_option(p)
    _serve_options(p)

    p = sub.add_parser("import", help="import files into the store (all or nothing)")
    _store_option(p)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="apply the valid rows and report the invalid ones, instead of refusing all",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="check and count what would change (removed too), write nothing",
    )

    p = sub.add_parser("bronnen", help="the sources in the store and the versions of each that were imported")
    _store_option(p)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("demo", help="load the demo region, then serve it")
    _store_option(p)
    _serve_options(p)
    p.add_argument("--no-serve", action="store_true", help="only load the demo data")

    p = sub.add_parser("export-hsds", help="write providers, offers and locations as Open Referral HSDS 3")
    _store_option(p)
    p.add_argument("out", type=Path, metavar="OUT", help="a .json file, or a folder with --datapackage")
    p.add_argument(
        "--datapackage", action="store_true", help="write a tabular data package (CSV + datapackage.json)"
    )

    p = sub.add_parser("stats", help="counts per node kind and relation")
    _store_option(p)
    p.add_argument("--json", action="store_true", help="print JSON")

    _export_parser(sub.add_parser("export", help="write a network picture as HTML (self-contained) or JSON"))
    return ap


def _export_parser(export: argparse.ArgumentParser) -> None:
    """``export {who-serves,swv,overlap,mismatch} … --out FILE.html|FILE.json``."""
    pictures = export.add_subparsers(dest="picture", required=True)

    def picture(name: str, help: str) -> argparse.ArgumentParser:
        p = pictures.add_parser(name, help=help)
        _store_option(p)
        p.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.html or FILE.json")
        p.add_argument("--date", type=date.fromisoformat, help="as on this day, YYYY-MM-DD (default today)")
        return p

    p = picture("who-serves", help="who serves this pupil (the postcode is drawn as PC4 only)")
    p.add_argument("--school", required=True, help="BRIN + vestigingscode, e.g. 15UJ00")
    p.add_argument("--postcode", required=True, help="home postcode, PC6 or PC4")
    p.add_argument("--need", required=True, help="iJw category (45) or education need (dyslexie)")
    p.add_argument(
        "--enrolled",
        action=argparse.BooleanOptionalAction,
        help="enrolled at a regular school (default: from the school's kind)",
    )
    p = picture("swv", help="an SWV with its gemeenten, jeugdregio's, wijkteams, besturen and schools")
    p.add_argument("swv", metavar="SWV", help="SWV code, e.g. PO2704")
    p = picture("overlap", help="two regions and the gemeenten they share")
    p.add_argument("a", metavar="A", help="region code: PO2704, GM0392, JZ11, PV27 or wijkteam:<id>")
    p.add_argument("b", metavar="B", help="region code")
    picture("mismatch", help="all SWVs and the jeugdregio's they lie in")


def cmd_export(store: GraphStore, args: argparse.Namespace) -> int:
    from graph.queries.errors import QuestionError
    from graph.queries.partners import swv_partners
    from graph.queries.pictures import mismatch_picture, overlap_picture
    from graph.queries.who_serves import who_serves
    from viz.export import network_format, write_network
    from viz.network import mismatch_network, overlap_network, swv_network, who_serves_network

    store = as_of(store, args.date)
    try:
        network_format(args.out)  # refuse a wrong extension before any work
        if args.picture == "who-serves":
            answer = who_serves(store, args.school, args.postcode, args.need, store.day, args.enrolled)
            network = who_serves_network(answer)
        elif args.picture == "swv":
            network = swv_network(swv_partners(store, args.swv, on=store.day))
        elif args.picture == "overlap":
            network = overlap_network(overlap_picture(store, args.a, args.b))
        else:
            network = mismatch_network(mismatch_picture(store))
    except (QuestionError, ValueError) as exc:
        print(f"sociale-kaart export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    fmt = write_network(network, args.out)
    print(f"wrote {args.out} ({fmt}): {len(network.nodes)} nodes, {len(network.edges)} edges")
    if network.note:
        print(network.note)
    return 0


def demo_files() -> list[Path]:
    """The demo region shipped inside the package (works without ../shared); the reference
    data it refers to (the need taxonomy, the herindelingen) joins every import by itself."""
    root = resources.files("importers") / "demo"
    return sorted(Path(str(f)) for f in root.iterdir() if f.name.endswith((".jsonl", ".csv", ".yaml")))


def cmd_import(store: GraphStore, args: argparse.Namespace) -> int:
    try:
        report = run_import(store, args.paths, skip_invalid=args.skip_invalid, dry_run=args.dry_run)
    except ImportFailed as exc:
        report = exc.report
        print(json.dumps(report.as_dict(), indent=2, default=str) if args.json else report.text())
        print(f"sociale-kaart import: {exc}", file=sys.stderr)
        return EXIT_IMPORT_FAILED
    print(json.dumps(report.as_dict(), indent=2, default=str) if args.json else report.text())
    return 0


def cmd_bronnen(store: GraphStore, args: argparse.Namespace) -> int:
    """Which sources the store holds, and which versions of each: the history a newer version
    was laid over."""
    rows = []
    for n in store.nodes("Bron"):
        versions = n.props.get("versies")
        rows.append(
            {
                "scope": n.id,
                "naam": named_in_text(str(n.props.get("naam") or n.id), store.node),
                "versies": [str(v) for v in versions] if isinstance(versions, list) else [],
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        print(f"{r['scope']:<45} {', '.join(r['versies']):<35} {r['naam']}")
    return 0


def cmd_stats(store: GraphStore, args: argparse.Namespace) -> int:
    counts = store.counts().as_dict()
    if args.json:
        print(json.dumps({"backend": str(store.info()), **counts}, indent=2))
        return 0
    print(store.info())
    for section in ("nodes", "edges"):
        print(f"{section}:")
        for name, n in counts[section].items():
            print(f"  {name:<20} {n:>8}")
    return 0


def serve(target: StoreTarget, host: str, port: int) -> int:
    import uvicorn

    from api.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # uvicorn's own access log would print query strings (pupil data): ours logs paths only.
    uvicorn.run(create_app(target.location), host=host, port=port, access_log=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    target = StoreTarget.resolve(args.store)
    try:
        if args.command == "serve":
            with target.open() as store:
                store.ping()  # a clear message now beats a traceback from the server's startup
            return serve(target, args.host, args.port)
        with target.open() as store:
            if args.command == "import":
                return cmd_import(store, args)
            if args.command == "stats":
                return cmd_stats(store, args)
            if args.command == "bronnen":
                return cmd_bronnen(store, args)
            if args.command == "export":
                return cmd_export(store, args)
            if args.command == "export-hsds":
                from importers.hsds import export_datapackage, export_hsds

                (args.out if args.datapackage else args.out.parent).mkdir(parents=True, exist_ok=True)
                written = (export_datapackage if args.datapackage else export_hsds)(store, args.out)
                print(f"wrote {args.out}: " + ", ".join(f"{n} {table}" for table, n in written.items()))
                return 0
            if args.command == "demo":
                report = run_import(store, demo_files())
                print(report.text())
                print(f"demo data loaded into {store.info()}")
        if args.command == "demo" and not args.no_serve:
            print(f"serving on http://{args.host}:{args.port}/ (web pages; Ctrl-C stops)")
            return serve(target, args.host, args.port)
        return 0
    except StoreUnavailable as exc:
        print(f"sociale-kaart: {exc}", file=sys.stderr)
        return EXIT_STORE_UNAVAILABLE
    except ImportFailed as exc:
        print(exc.report.text(), file=sys.stderr)
        return EXIT_IMPORT_FAILED
    except BrokenPipeError:
        # the reader stopped reading (``| head``): what the command did is done; the rest of
        # its output goes nowhere, and Python's flush at exit must not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (StoreError, OSError) as exc:
        print(f"sociale-kaart: {exc}", file=sys.stderr)
        return EXIT_STORE_UNAVAILABLE


if __name__ == "__main__":
    raise SystemExit(main())
