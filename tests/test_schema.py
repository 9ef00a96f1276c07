"""One schema per table (data/csv-metadata.json, W3C CSV on the Web): the reader, the
workbook, the documentation and the published tables all follow it, and a CSVW processor
(the ``csvw`` library) validates what the release publishes."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import csvw
import openpyxl
import pytest

from kg.build.pipeline import build
from kg.config import ROOT
from kg.config import Config
from kg.mapping import MAPPERS
from kg.tables.read import DataError
from kg.tables.schema import load
from kg.tables.schema import project_schema
from kg.tables.schema import schema_for
from kg.tables.schema_docs import tables_markdown
from kg.tables.workbook_export import export
from tests.conftest import build_refused


def _validate(metadata: Path) -> list[str]:
    """What the csvw library finds wrong with the tables ``metadata`` describes: each
    cell's datatype, format and required-ness, primary keys and foreign keys."""
    group = csvw.TableGroup.from_file(metadata)
    found: list[str] = []
    for table in group.tables:
        try:
            for _ in table.iterdicts(strict=True):
                pass
        except ValueError as exc:
            found.append(f"{table.url}: {exc}")
        if not table.check_primary_key(log=None):
            found.append(f"{table.url}: duplicate primary key")
    try:
        group.check_referential_integrity(strict=False)
    except ValueError as exc:
        found.append(str(exc))
    return found


def test_the_published_tables_validate_against_their_metadata(built):
    metadata = built.release / "csv-metadata.json"
    assert _validate(metadata) == []
    described = json.loads(metadata.read_text(encoding="utf-8"))
    urls = {t["url"] for t in described["tables"]}
    assert urls == {f"table.{name}" for name in MAPPERS}
    assert all((built.release / url).is_file() for url in urls)
    status = next(
        c
        for t in described["tables"]
        if t["url"] == "table.measures.csv"
        for c in t["tableSchema"]["columns"]
        if c["name"] == "status"
    )
    assert "implemented" in status["datatype"]["format"].split("|")  # codes of concepts.csv


def test_a_wrong_code_in_a_published_table_is_found_by_csvw(built, tmp_path):
    copy = tmp_path / "release"
    shutil.copytree(built.release, copy)
    table = copy / "table.documents.csv"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace(",stated,", ",read-somewhere,", 1), encoding="utf-8")
    found = _validate(copy / "csv-metadata.json")
    assert any("read-somewhere" in f for f in found), found


def test_tables_are_served_with_their_metadata_linked(client, built):
    with client.get("/dumps/table.institutions.csv") as response:
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert 'rel="describedby"' in response.headers["Link"]
        header = response.get_data(as_text=True).splitlines()[0]
    assert header.split(",") == load(project_schema())["institutions.csv"].names
    with client.get("/dumps/csv-metadata.json") as response:
        assert response.mimetype == "application/csvm+json"
    listing = client.get("/dumps", headers={"Accept": "application/json"}).get_json()
    assert "table.institutions.csv" in {f["name"] for f in listing["files"]}
    assert client.get("/dumps/table.nothing.csv").status_code == 404


def test_every_table_the_build_maps_is_described():
    schema = load(project_schema())
    assert set(schema.tables) == set(MAPPERS)
    for table in schema:
        assert table.titled("lv") and table.titled("en") and table.described("lv")
        for column in table.columns:
            if column.refers:
                assert column.refers in schema.tables, (table.name, column.name)


def _append(path: Path, row: dict[str, str]) -> None:
    with path.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, header, restval="", lineterminator="\n").writerow(row)


def test_the_reader_checks_required_cells_and_code_lists(data_copy, tmp_path):
    shutil.copy(project_schema(), data_copy)
    _append(
        data_copy / "documents.csv",
        {"id": "x-plan", "class": "pamphlet", "title_lv": "X", "source": "km-2021-slides"},
    )
    _append(data_copy / "periods.csv", {"label_lv": "bez id"})
    text = build_refused(data_copy, tmp_path / "out")
    assert "documents.csv" in text and "column 'class': must be one of plan" in text
    assert "'pamphlet'" in text
    assert "column 'basis': a value is required" in text
    assert "periods.csv" in text and "column 'id': a value is required" in text


def _with_column(data: Path) -> None:
    """A copy's schema and table with one more column: institutions' website."""
    metadata = data / "csv-metadata.json"
    described = json.loads(metadata.read_text(encoding="utf-8"))
    table = next(t for t in described["tables"] if t["url"] == "institutions.csv")
    table["tableSchema"]["columns"].append(
        {
            "name": "website",
            "titles": "website",
            "dc:description": [
                {"@value": "tīmekļa vietne", "@language": "lv"},
                {"@value": "the institution's website", "@language": "en"},
            ],
        }
    )
    metadata.write_text(json.dumps(described, ensure_ascii=False, indent=2), encoding="utf-8")
    path = data / "institutions.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[0].append("website")
    for row in rows[1:]:
        row.append("https://www.km.gov.lv/" if row[0] == "kulturas-ministrija" else "")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_a_new_column_is_one_edit_to_the_schema(data_copy, tmp_path):
    """The guide's recipe (docs/extending.md), on a copy: the column goes into the
    schema and the table; the build reads it, the workbook offers it with its words, the
    documentation lists it and the release publishes it, valid CSVW."""
    shutil.copy(project_schema(), data_copy)
    _with_column(data_copy)
    schema = schema_for(data_copy)
    assert schema["institutions.csv"].names[-1] == "website"
    result = build(Config(out=tmp_path / "out", data=data_copy))
    published = (result.release / "table.institutions.csv").read_text(encoding="utf-8")
    assert published.splitlines()[0].endswith(",website")
    assert "https://www.km.gov.lv/" in published
    assert _validate(result.release / "csv-metadata.json") == []
    workbook = tmp_path / "tables.xlsx"
    export(data_copy, workbook)
    sheet = openpyxl.load_workbook(workbook)["institutions"]
    last = sheet.cell(row=1, column=sheet.max_column)
    assert last.value == "website" and "tīmekļa vietne" in last.comment.text
    assert "| `website` | text | the institution's website | tīmekļa vietne |" in (
        tables_markdown(schema)
    )


def test_a_table_without_the_new_column_is_refused_by_name(data_copy, tmp_path):
    shutil.copy(project_schema(), data_copy)
    _with_column(data_copy)
    shutil.copy(ROOT / "tests" / "fixtures" / "data" / "institutions.csv", data_copy)
    with pytest.raises(DataError) as caught:
        build(Config(out=tmp_path / "out", data=data_copy))
    assert "institutions.csv, row 1: header must be" in str(caught.value)
    assert "missing website" in str(caught.value)
