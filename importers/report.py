"""What an import run tells its user: per file, counts and every problem, with file, line,
field, value and reason, so that a bad row can be found and fixed in the source."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import ValidationError

from graph.records import EdgeKey, NodeKey
from graph.text import visible


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, where it is (line, field, value) and why, so that it can be
    fixed in the source; a problem that is not ``fatal`` is a note and refuses nothing."""

    file: str
    line: int | None
    field: str
    value: str
    reason: str
    fatal: bool = True

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        what = f" veld {self.field!r}" if self.field else ""
        # escaped by visible() (idempotent), not by repr(): repr would double every backslash
        # of a value already shown escaped ('Haar\\x00lem' for 'Haar\x00lem')
        value = f" waarde '{visible(self.value)}'" if self.value else ""
        return f"{where}:{what}{value}: {self.reason}"


def problems_from_validation(
    exc: ValidationError,
    file: str,
    line: int | None,
    prefix: str = "",
    fields: Mapping[str, str] | None = None,
) -> list[Problem]:
    """One problem per pydantic error, with the field path and the offending value; ``fields``
    renames a model field to the file's own name for it."""
    out = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err.get("loc", ()))
        loc = (fields or {}).get(loc, loc)
        field_name = ".".join(p for p in (prefix, loc) if p)
        value = err.get("input")
        shown = "" if isinstance(value, dict) else _short(value)
        reason = err.get("msg", "ongeldig").removeprefix("Value error, ")
        out.append(Problem(file, line, field_name, shown, reason))
    return out


def _short(value: Any) -> str:
    text = "" if value is None else visible(str(value))
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass
class FileReport:
    """One file's outcome: what was read, what the store made of it, and its problems; the
    counts are what the store did, so a re-import of the same file shows all unchanged."""

    file: str
    format: str = ""
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: facts of this file's source that its older version stated and this one no longer does
    removed: int = 0
    skipped: int = 0
    #: records this file states that an earlier file of the import states too: counted there
    counted_before: int = 0
    #: the source this file is a version of, and that version's date
    scopes: list[str] = field(default_factory=list)
    version: str = ""
    problems: list[Problem] = field(default_factory=list)
    #: which records came from which line, to attribute store outcomes and store errors
    origins: dict[NodeKey | EdgeKey, int] = field(default_factory=dict, repr=False)


@dataclass
class ImportReport:
    """One run's outcome, file by file: what the CLI prints and the API returns."""

    import_id: str
    files: list[FileReport] = field(default_factory=list)
    applied: bool = False
    #: ``--dry-run``: everything was checked and counted, nothing written
    dry_run: bool = False

    @property
    def problems(self) -> list[Problem]:
        """Every file's problems in one list, in file order: a fatal one stops the run applying."""
        return [p for f in self.files for p in f.problems]

    @property
    def changed(self) -> bool:
        """Whether the store changed: a run that only repeats what the store holds did nothing."""
        return any(f.created or f.updated or f.removed for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON data, without ``origins``: those are record keys for attributing store
        outcomes, not something a user reads."""
        return {
            "import_id": self.import_id,
            "applied": self.applied,
            "dry_run": self.dry_run,
            "changed": self.changed,
            "files": [{k: v for k, v in asdict(f).items() if k != "origins"} for f in self.files],
        }

    def text(self) -> str:
        """The report for people: a line per file, its problems under it, and a last line saying why
        nothing was written or changed (a dry run, a refusal, or the store already holding it)."""
        lines = []
        for f in self.files:
            version = f", versie {f.version}" if f.version else ""
            lines.append(
                f"{f.file} ({f.format or 'onbekend formaat'}{version}): {f.rows_read} rijen gelezen, "
                f"{f.created} nieuw, {f.updated} bijgewerkt, {f.unchanged} ongewijzigd, "
                f"{f.removed} verwijderd, {f.skipped} overgeslagen, "
                f"{_plural(len(f.problems), 'probleem', 'problemen')}"
                + (
                    f" ({f.counted_before} records ook in een eerder bestand, daar geteld)"
                    if f.counted_before
                    else ""
                )
            )
            lines.extend(f"  {p}" for p in f.problems)
        if self.dry_run:
            lines.append(
                "Proefimport: er is niets geschreven; de aantallen hierboven zijn wat een import zou doen."
                if self.changed
                else "Proefimport: er zou niets veranderen, de opslag bevat dit al allemaal."
            )
        elif not self.applied:
            lines.append("Er is niets toegepast: los de problemen hierboven op, of gebruik --skip-invalid.")
        elif not self.changed:
            lines.append("Er is niets veranderd: de opslag bevatte dit al allemaal.")
        return "\n".join(lines)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many}"


class ImportFailed(Exception):
    """Raised when a run has fatal problems and nothing was applied."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        n = len(report.problems)
        super().__init__(f"import mislukt met {n} probleem/problemen; er is niets toegepast")
