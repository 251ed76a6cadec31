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
import os
import re
import sys
import typing
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from graph.config import StoreTarget
from graph.dated import as_of
from graph.queries.names import named_in_text
from graph.store import GraphStore, StoreError, StoreUnavailable
from importers.report import ImportFailed
from importers.run import run_import

EXIT_IMPORT_FAILED = 1
EXIT_USAGE = 2
EXIT_STORE_UNAVAILABLE = 3


#: argparse's own complaints, in Dutch (names, choices and values stay as the user typed them)
_ARGPARSE_ERRORS = (
    (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
    (
        r"argument (.+?): invalid choice: (.*?) \(choose from (.*)\)",
        r"argument \1: onbekende keuze \2 (kies uit \3)",
    ),
    (r"argument (.+?): invalid \S+ value: (.*)", r"argument \1: ongeldige waarde \2"),
    (r"argument (.+?): expected one argument", r"argument \1: verwacht één waarde"),
    (r"argument (.+?): ignored explicit argument (.*)", r"argument \1: waarde \2 hoort hier niet"),
    (r"ambiguous option: (.*?) could match (.*)", r"optie \1 is niet eenduidig: \2"),
)


class _DutchHelp(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class _DutchParser(argparse.ArgumentParser):
    """argparse with its own words in Dutch too: the usage line, the headings, ``-h`` and the
    errors (exit code 2, as argparse's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _DutchHelp)
        super().__init__(*args, **{**kwargs, "add_help": False})
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="toon deze hulp")

    def error(self, message: str) -> typing.NoReturn:
        for pattern, dutch in _ARGPARSE_ERRORS:
            if found := re.fullmatch(pattern, message, flags=re.DOTALL):
                message = found.expand(dutch)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fout: {message}\n")


def _store_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--store",
        metavar="PATH_OR_BOLT_URI",
        help="bestand van de ingebouwde opslag, of bolt://host:port / neo4j://host:port "
        "(standaard: $SOCIALE_KAART_STORE, $NEO4J_URI, anders graph.json in de datamap)",
    )


def _serve_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren (standaard 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="poort (standaard 8000)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="aantal serverprocessen (standaard 1); elk houdt de ingebouwde opslag zelf in het geheugen",
    )


def build_parser() -> argparse.ArgumentParser:
    ap = _DutchParser(
        prog="sociale-kaart",
        description="Wie helpt een leerling die extra ondersteuning nodig heeft, en hoe overlappen regio's.",
    )
    sub = ap.add_subparsers(dest="command", required=True, metavar="OPDRACHT")

    p = sub.add_parser("serve", help="start de web-API")
    _store_option(p)
    _serve_options(p)

    p = sub.add_parser("import", help="importeer bestanden in de opslag (alles of niets)")
    _store_option(p)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="bestanden of mappen om te importeren")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="pas de geldige rijen toe en meld de ongeldige, in plaats van alles te weigeren",
    )
    p.add_argument("--json", action="store_true", help="toon het verslag als JSON")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="controleer en tel wat zou veranderen (ook wat vervalt), schrijf niets",
    )

    p = sub.add_parser("bronnen", help="de bronnen in de opslag en de versies die van elk zijn geïmporteerd")
    _store_option(p)
    p.add_argument("--json", action="store_true", help="toon JSON")

    p = sub.add_parser("demo", help="laad de demoregio en start dan de server")
    _store_option(p)
    _serve_options(p)
    p.add_argument("--no-serve", action="store_true", help="laad alleen de demogegevens")

    p = sub.add_parser("export-hsds", help="schrijf aanbieders, aanbod en locaties als Open Referral HSDS 3")
    _store_option(p)
    p.add_argument("out", type=Path, metavar="OUT", help="een .json-bestand, of een map met --datapackage")
    p.add_argument(
        "--datapackage", action="store_true", help="schrijf een tabular data package (CSV + datapackage.json)"
    )

    p = sub.add_parser("stats", help="aantallen per soort knoop en relatie")
    _store_option(p)
    p.add_argument("--json", action="store_true", help="toon JSON")

    _export_parser(
        sub.add_parser("export", help="schrijf een netwerktekening als HTML (op zichzelf staand) of JSON")
    )
    return ap


def _export_parser(export: argparse.ArgumentParser) -> None:
    """``export {who-serves,swv,overlap,mismatch} … --out FILE.html|FILE.json``."""
    pictures = export.add_subparsers(dest="picture", required=True, metavar="TEKENING")

    def picture(name: str, help: str) -> argparse.ArgumentParser:
        p = pictures.add_parser(name, help=help)
        _store_option(p)
        p.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.html of FILE.json")
        p.add_argument(
            "--date", type=date.fromisoformat, help="zoals op deze dag, JJJJ-MM-DD (standaard vandaag)"
        )
        return p

    p = picture("who-serves", help="wie helpt deze leerling (de postcode wordt alleen als PC4 getekend)")
    p.add_argument("--school", required=True, help="BRIN + vestigingscode, bijv. 15UJ00")
    p.add_argument("--postcode", required=True, help="postcode van thuis, PC6 of PC4")
    p.add_argument("--need", required=True, help="iJw-categorie (45) of onderwijsbehoefte (dyslexie)")
    p.add_argument(
        "--enrolled",
        action=argparse.BooleanOptionalAction,
        help="ingeschreven op een reguliere school (standaard: volgt uit de soort school)",
    )
    p = picture("swv", help="een SWV met zijn gemeenten, jeugdregio's, wijkteams, besturen en scholen")
    p.add_argument("swv", metavar="SWV", help="SWV-code, bijv. PO2704")
    p = picture("overlap", help="twee regio's en de gemeenten die ze delen")
    p.add_argument("a", metavar="A", help="regiocode: PO2704, GM0392, JZ11, PV27 of wijkteam:<id>")
    p.add_argument("b", metavar="B", help="regiocode")
    picture("mismatch", help="alle SWV's en de jeugdregio's waarin ze liggen")


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
    print(f"{args.out} geschreven ({fmt}): {len(network.nodes)} knopen, {len(network.edges)} verbindingen")
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
    for section, heading in (("nodes", "knopen"), ("edges", "verbindingen")):
        print(f"{heading}:")
        for name, n in counts[section].items():
            print(f"  {name:<20} {n:>8}")
    return 0


def serve(target: StoreTarget, host: str, port: int, workers: int = 1) -> int:
    from api.serve import serve as run

    return run(target, host, port, workers)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    target = StoreTarget.resolve(args.store)
    try:
        if args.command == "serve":
            with target.open() as store:
                store.ping()  # a clear message now beats a traceback from the server's startup
            return serve(target, args.host, args.port, args.workers)
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
                print(f"{args.out} geschreven: " + ", ".join(f"{n} {table}" for table, n in written.items()))
                return 0
            if args.command == "demo":
                report = run_import(store, demo_files())
                print(report.text())
                print(f"demogegevens geladen in {store.info()}")
        if args.command == "demo" and not args.no_serve:
            print(f"bereikbaar op http://{args.host}:{args.port}/ (webpagina's; Ctrl-C stopt)")
            return serve(target, args.host, args.port, args.workers)
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
