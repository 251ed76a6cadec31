"""One import run: recognise each file's format, parse and validate everything, then apply
it all as one batch, or nothing.

With ``skip_invalid`` the valid rows are applied and the invalid ones reported as skipped;
without it any problem means nothing is applied and :class:`ImportFailed` is raised. Each
file is a version of a source (its scopes, see :class:`~importers.base.ParsedFile`): the
batch states those versions, so that the store ends what a newer version no longer says
(:mod:`graph.settle`). The reference data the project ships (the need taxonomy, the
herindelingen it knows) joins every run in which the store lacks its version.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from graph.records import Batch, EdgeRecord, NodeKey, NodeRecord, SchemaError, Statement
from graph.store import GraphStore, MissingNodes
from importers import (
    cbs,
    duo,
    herindelingen,
    hsds,
    koppeling,
    leerlingen,
    native,
    organisaties,
    postcodes,
    regios,
    swv,
    twente,
    wijkteams,
    zorg,
)
from importers.base import Context, ParsedFile
from importers.formats import Format
from importers.limits import InputRefused, check_size
from importers.recognise import columns_of
from importers.report import FileReport, ImportFailed, ImportReport, Problem
from importers.tabular import forget_samples
from importers.units import Line, refuse, refused_lines, skipped

log = logging.getLogger("sociale_kaart.import")

#: Formats in the order they are tried, and in which files of one run are parsed:
#: reference tables first, so that later files can be resolved against them.
FORMATS: tuple[Format, ...] = (
    native,
    cbs.Gemeenten,
    cbs.Herindelingen,
    herindelingen.Grenswijzigingen,
    cbs.Provincies,
    cbs.Gebieden,
    regios.RegioNamen,
    regios.GemeenteRegio,
    regios.RegioGrenzen,
    cbs.Woonplaatsen,
    cbs.Gemeentegrenzen,
    postcodes.CbsPostcodes,
    postcodes.Pc4Gemeente,
    postcodes.Pc4Wijk,
    postcodes.Pc4Coordinaten,
    swv.SwvPc4,
    swv.SwvGemeenten2013,
    duo.Vestigingen,
    duo.PoBevoegdGezag,
    leerlingen.LeerlingenPostcode,
    # providers (zorg, HSDS)
    zorg.Aanbod,
    zorg.Contracten,
    hsds,
    # wijkteams, organisations and Twente
    wijkteams.WijkteamsCsv,
    wijkteams.WijkteamsYaml,
    organisaties.OrganisatiesCsv,
    organisaties.OrganisatiesYaml,
    twente.TwenteWachttijden,
)


def new_import_id() -> str:
    """A run's id, on every record it writes: by time first, so that ids sort as the runs
    happened, with a random tail so that two runs in one second never share one."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"imp-{stamp}-{secrets.token_hex(3)}"


def reference_files() -> list[Path]:
    """The reference data shipped inside the package (``importers/reference``)."""
    root = resources.files("importers") / "reference"
    return sorted(Path(str(f)) for f in root.iterdir() if f.name.endswith(".jsonl"))


def missing_reference(store: GraphStore) -> list[Path]:
    """Shipped reference files whose version the store does not hold yet: they join the run,
    so that every store has the project's own knowledge, and a newer shipped version
    replaces an older one."""
    wanted = []
    for path in reference_files():
        scope, version = native.declared_version(path)
        bron = store.node(NodeKey("Bron", scope)) if scope else None
        versions = bron.props.get("versies") if bron else None
        if not isinstance(versions, list) or version not in versions:
            wanted.append(path)
    return wanted


def run_import(
    store: GraphStore,
    paths: list[Path],
    *,
    skip_invalid: bool = False,
    import_id: str | None = None,
    dry_run: bool = False,
    reference: bool = True,
) -> ImportReport:
    """Import ``paths`` (files, or folders read whole) as one batch. ``dry_run``: check and
    count everything, write nothing. ``reference``: let the shipped reference data join."""
    report = ImportReport(import_id or new_import_id(), dry_run=dry_run)
    parsed_files = _parse(store, paths, report, reference)
    refused = refused_lines(report.problems)
    result = None
    while result is None:
        batch = _validate(report, parsed_files, refused, skip_invalid)
        result = _apply(store, report, batch, parsed_files, refused, skip_invalid, dry_run)
    _report(report, parsed_files, result)
    report.applied = not dry_run
    return report


def _parse(store: GraphStore, paths: list[Path], report: ImportReport, reference: bool) -> list[ParsedFile]:
    """Every file read, in the order of :data:`FORMATS` (and the records derived from them),
    each with its report: nothing is written yet, so that a run is all or nothing."""
    context = Context(store)
    forget_samples()
    files = _expand(paths)
    shipped: set[Path] = set()
    if reference:
        named = {p.resolve() for p in files}
        shipped = {p for p in missing_reference(store) if p.resolve() not in named}
        files.update(dict.fromkeys(sorted(shipped), False))
    parsed_files: list[ParsedFile] = []
    for path, fmt, why in sorted(((p, *_format_of(p)) for p in files), key=_parse_order):
        if fmt is None:
            report.files.append(_unread(path, why, from_folder=files[path]))
            continue
        try:
            parsed = fmt.parse(path, report.import_id, context)
        except InputRefused as exc:  # over a limit, or ambiguous (a key twice): refused whole
            parsed = ParsedFile(FileReport(file=str(path), format=fmt.NAME))
            parsed.report.problems.append(exc.problem(str(path)))
        except Exception as exc:
            log.exception("reading %s failed", path)
            parsed = ParsedFile(FileReport(file=str(path), format=fmt.NAME))
            parsed.problem(None, "", "", f"het bestand kon niet worden gelezen ({type(exc).__name__}: {exc})")
        parsed.report.scopes, parsed.report.version = list(parsed.scopes), parsed.version
        context.parsed.append(parsed)
        parsed_files.append(parsed)
        report.files.append(parsed.report)
    derived = koppeling.classify(context, parsed_files, report.import_id)
    if derived is not None:
        parsed_files.append(derived)
        report.files.append(derived.report)
    # the files asked for first; the reference data that joined by itself after them
    report.files.sort(key=lambda f: Path(f.file) in shipped)
    return parsed_files


def _validate(
    report: ImportReport, parsed_files: list[ParsedFile], refused: set[Line], skip_invalid: bool
) -> Batch:
    """The batch of every line not refused, once the records agree with each other; raises
    :class:`ImportFailed` when a line is refused and lines may not be skipped."""
    while True:
        batch, clashes = _build(parsed_files, refused)
        if not clashes:
            break
        refused |= clashes
    if any(p.fatal for p in report.problems) and not skip_invalid:
        raise ImportFailed(report)
    return batch


def _apply(
    store: GraphStore,
    report: ImportReport,
    batch: Batch,
    parsed_files: list[ParsedFile],
    refused: set[Line],
    skip_invalid: bool,
    dry_run: bool,
) -> Any:
    """The store's result of the batch, or ``None`` when lines naming a node neither the
    import nor the store has were refused, so that the batch is validated again without
    them (with ``skip_invalid``; otherwise :class:`ImportFailed`)."""
    try:
        return store.apply(batch, dry_run=dry_run)
    except MissingNodes as exc:
        before = len(refused)
        for edge_key, node_key in exc.missing:
            for f in parsed_files:
                line = f.report.origins.get(edge_key)
                if line is not None and (f.report.file, line) not in refused:
                    side = "naar" if node_key == edge_key.dst else "van"
                    why = "deze knoop staat niet in deze import en niet in de opslag"
                    refuse(f.report, line, side, str(node_key), why, refused)
        if not skip_invalid or len(refused) == before:
            raise ImportFailed(report) from exc
    return None


def _report(report: ImportReport, parsed_files: list[ParsedFile], result: Any) -> None:
    """Each file's counts from what the store did: a record named by several files is counted
    once, for the first; a fact that ended, for the newest file of the source that ended it."""
    counted: set[object] = set()
    for f in report.files:
        f.skipped += skipped(f)
        # by the file's keys, never ``keys() - counted``: that walks all of ``counted``, for
        # every one of a national import's hundreds of files
        before = 0
        for key in f.origins:
            if key in counted:
                before += 1
            elif status := result.outcomes.get(key):
                setattr(f, status, getattr(f, status) + 1)
        f.counted_before = before
        counted.update(f.origins)
    newest: dict[str, ParsedFile] = {}
    for parsed in parsed_files:
        for scope in parsed.scopes:
            if scope not in newest or parsed.version > newest[scope].version:
                newest[scope] = parsed
    for key, scope in result.removed_by.items():
        if scope in newest and key not in counted:
            newest[scope].report.removed += 1
    for (scope, version), note in result.notes:
        for parsed in parsed_files:
            if scope in parsed.scopes and parsed.version == version:
                parsed.problem(None, "version", version, note, fatal=False)


def _build(parsed_files: list[ParsedFile], refused: set[Line]) -> tuple[Batch, set[Line]]:
    """One batch of every record whose line is not refused, stating the version of each
    file's scopes; new clashes come back as lines."""
    batch = Batch()
    clashes: set[Line] = set()

    def add_checked_edge(record: EdgeRecord, stated: tuple[str, str] | None) -> None:
        batch.add_edge(record, stated, checked_already=True)  # every parsed edge was made by Relatie

    for parsed in parsed_files:
        report = parsed.report
        report.origins.clear()
        complete = not any(p.fatal for p in report.problems)
        if parsed.version:
            for scope, naam in parsed.scopes.items():
                batch.state(Statement(scope, parsed.version, naam, complete))
        records: list[tuple[int, Any, NodeRecord | EdgeRecord]] = [
            (line, batch.add_node, n) for line, n in parsed.nodes
        ]
        records += [(line, add_checked_edge, e) for line, e in parsed.edges]
        for line, add, record in records:
            if (report.file, line) in refused:
                continue
            of = parsed.scope_for(record.key) if parsed.version else None
            try:
                add(record, (of, parsed.version) if of else None)
            except SchemaError as exc:
                earlier = report.origins.get(record.key)
                also = f" (regel {earlier})" if earlier is not None else ""
                refuse(report, line, "", str(record.key), f"{exc}{also}", clashes)
                continue
            report.origins.setdefault(record.key, line)
    return batch, clashes


def _expand(paths: list[Path]) -> dict[Path, bool]:
    """Files to read, each with whether it came from a folder (rather than being named)."""
    files: dict[Path, bool] = {}
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                files.setdefault(found, True)
        else:
            files[path] = False
    return files


def _format_of(path: Path) -> tuple[Format | None, str | InputRefused]:
    """The one format the file fits, or ``None`` and why: none fits, or several do (a file
    must never be taken for another table), or it is refused before any format could say (too
    large, checked before it is read; a zip that unpacks too far; JSON nested too deep)."""
    if not path.exists():
        return None, "bestand bestaat niet"
    if not path.is_file():
        return None, "geen bestand"
    try:
        if check_size(path) == 0:
            return None, "het bestand is leeg: niets te importeren"
    except InputRefused as exc:
        return None, exc
    fits: list[Format] = []
    refused: InputRefused | None = None
    for fmt in FORMATS:
        try:
            if fmt.sniff(path):
                fits.append(fmt)
        except InputRefused as exc:
            refused = refused or exc
        except Exception:
            log.warning("%s: %s could not look at it", path, fmt.NAME)
    if len(fits) == 1:
        return fits[0], ""
    if refused and not fits:
        return None, refused
    if fits:
        return (
            None,
            f"past bij meerdere formaten ({', '.join(f.NAME for f in fits)}): geweigerd, voor de zekerheid",
        )
    columns = columns_of(path)
    shown = f" (de kolommen: {', '.join(columns[:12])})" if columns else ""
    names = "; ".join(f.NAME for f in FORMATS)
    return None, f"past bij geen formaat dat deze versie leest{shown}{_closest(columns)}; geprobeerd: {names}"


def _closest(columns: list[str]) -> str:
    """For a table that almost fits a format: which, and what is missing or unknown."""
    have = set(columns)
    best: tuple[int, str] | None = None
    for fmt in FORMATS:
        required = set(getattr(fmt, "REQUIRED", ()))
        if not required or len(required & have) * 2 < len(required):
            continue
        missing = sorted(required - have)
        unknown = sorted(have - required - set(getattr(fmt, "OPTIONAL", ())))
        parts = [f"ontbrekende kolom(men) {', '.join(missing)}"] if missing else []
        parts += [f"onbekende kolom(men) {', '.join(unknown)}"] if unknown else []
        # a column misnamed ('province_x' for 'province') counts towards its format
        alike = sum(1 for m in missing for u in unknown if m in u or u in m)
        score = len(required & have) * 10 + alike * 5 - len(missing) - len(unknown)
        if parts and (best is None or score > best[0]):
            best = (score, f"; het meest verwant: {fmt.NAME}, {'; '.join(parts)}")
    return best[1] if best else ""


def _unread(path: Path, why: str | InputRefused, from_folder: bool) -> FileReport:
    """The report of a file no format reads: a problem when it was named, a note when it was
    in a folder given whole (a README, a map) or empty (DUO publishes some gemeenten so); a
    refused file is a problem wherever it was, since it may well be data the run needs."""
    report = FileReport(file=str(path))
    if isinstance(why, InputRefused):
        report.problems.append(why.problem(str(path)))
        return report
    passed_over = from_folder and "meerdere" not in why
    if why.startswith("het bestand is leeg"):
        passed_over = True
    elif passed_over:
        why = (
            "geen formaat dat deze versie leest: overgeslagen (het stond in een map die als geheel is "
            "opgegeven)"
        )
    report.problems.append(Problem(str(path), None, "", "", why, fatal=not passed_over))
    return report


def _parse_order(item: tuple[Path, Format | None, str | InputRefused]) -> tuple[int, str]:
    fmt = item[1]
    return (FORMATS.index(fmt) if fmt in FORMATS else -1, str(item[0]))
