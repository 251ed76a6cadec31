"""Bad input in the project's own format: clear problems, and nothing half-applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.records import NodeKey
from graph.store import GraphStore
from importers.report import ImportFailed
from importers.run import run_import

from .utils import DEMO

HEADER = '{"format": "sociale-kaart/1", "source": "test", "source_date": "2025"}\n'


def write(tmp_path: Path, body: str, name: str = "data.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_demo_imports_then_reimport_is_a_no_op(store: GraphStore) -> None:
    first = run_import(store, [DEMO])
    assert first.applied and first.changed
    f = first.files[0]
    assert f.rows_read == f.created > 0 and not f.problems
    second = run_import(store, [DEMO])
    assert not second.changed
    assert second.files[0].unchanged == f.rows_read
    assert "Er is niets veranderd" in second.text()


def test_problem_names_file_line_field_value_and_reason(store: GraphStore, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"kind": "Gemeente", "id": "GM0392", "naam": "Haarlem"}\n'
        '{"kind": "Gemeente", "id": "GM392x", "naam": "Fout"}\n',
    )
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    [problem] = err.value.report.problems
    assert (problem.file, problem.line, problem.field, problem.value) == (str(path), 3, "id", "GM392x")
    assert "GM met 4 cijfers" in problem.reason
    assert str(path) + ":3" in err.value.report.text()
    # all or nothing: the valid Haarlem row was not applied either
    assert store.node(NodeKey("Gemeente", "GM0392")) is None


def test_skip_invalid_applies_the_valid_rows(store: GraphStore, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"kind": "Gemeente", "id": "GM0392", "naam": "Haarlem"}\n'
        '{"kind": "PC4", "id": "0123"}\n'
        "not json\n"
        '{"kind": "Leerling", "id": "x"}\n'
        '{"rel": "LIGT_IN", "van": "PC4:2011", "naar": "Gemeente:392"}\n',
    )
    report = run_import(store, [path], skip_invalid=True)
    f = report.files[0]
    assert report.applied
    assert f.rows_read == 5 and f.created == 1 and f.skipped == 4
    lines = sorted(p.line for p in f.problems)
    assert lines == [3, 4, 5, 6]
    reasons = " | ".join(p.reason for p in f.problems)
    assert "geen geldige JSON" in reasons and "onbekende soort 'Leerling'" in reasons
    missing = next(p for p in f.problems if p.line == 6)
    assert missing.field == "van" and "deze knoop staat niet" in missing.reason
    assert store.node(NodeKey("Gemeente", "GM0392")) is not None


def test_edge_ids_are_normalised_like_nodes(store: GraphStore, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"kind": "Gemeente", "id": "392", "naam": "Haarlem"}\n'
        '{"kind": "Swv", "id": "PO 27-04"}\n'
        '{"kind": "PC4", "id": "2011"}\n'
        '{"rel": "IN_WERKGEBIED", "van": "PC4:2011", "naar": "Swv:PO2704"}\n'
        '{"rel": "LIGT_IN", "van": "PC4:2011", "naar": "Gemeente:0392", "aandeel": 1.0}\n',
    )
    run_import(store, [path])
    [edge] = store.edges(rel="LIGT_IN")
    assert str(edge.dst) == "Gemeente:GM0392" and edge.props["aandeel"] == 1.0


def test_unknown_format_and_missing_file(store: GraphStore, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(ImportFailed) as err:
        run_import(store, [other, tmp_path / "nope.jsonl"])
    reasons = {Path(p.file).name: p.reason for p in err.value.report.problems}
    assert reasons["other.csv"].startswith("past bij geen formaat dat deze versie leest (de kolommen: a, b)")
    assert reasons["nope.jsonl"] == "bestand bestaat niet"


def test_header_must_name_a_source(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"format": "sociale-kaart/1", "source_date": "2025"}\n{"kind": "PC4", "id": "2011"}\n')
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    [problem] = err.value.report.problems
    assert problem.line == 1 and problem.field == "source"


def test_invalid_utf8_is_a_problem_with_its_line(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(HEADER.encode() + b'{"kind": "PC4", "id": "2011"}\n{"kind": "PC4", "plaats": "\xff"}\n')
    with pytest.raises(ImportFailed) as err:
        run_import(store, [path])
    [problem] = err.value.report.problems
    assert problem.line == 3 and "geen geldige UTF-8" in problem.reason


def test_bom_and_comments_are_fine(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_text("# comment\n\n" + HEADER + '{"kind": "PC4", "id": "2011"}\n', encoding="utf-8-sig")
    report = run_import(store, [path])
    assert report.files[0].created == 1


def test_a_folder_is_read_whole_and_other_files_in_it_are_passed_over(
    store: GraphStore, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    write(folder, '{"kind": "PC4", "id": "2011"}\n', "a.jsonl")
    (folder / "README.md").write_text("# notes\n")
    report = run_import(store, [folder])
    assert report.files[-1].created == 1 or any(f.created == 1 for f in report.files)
    [note] = report.problems
    assert not note.fatal and "overgeslagen" in note.reason and note.file.endswith("README.md")
    named = folder / "README.md"
    with pytest.raises(ImportFailed):  # named explicitly, an unknown file is still an error
        run_import(store, [named])
