"""The tables as a clerk's spreadsheet writes them: the same graph, byte for byte, or a
refusal that names the sheet or file, the row, the column, the value and the fix.

LibreOffice (Debian's, headless) is the independent producer: it re-saves the exported
workbook, converts it to ODS, and writes Latvian-locale CSV (``;``) of every sheet.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from kg.build.pipeline import build
from kg.config import ROOT
from kg.config import Config
from kg.mapping import MAPPERS as TABLES
from kg.tables.read import DataError
from kg.tables.workbook_export import export
from tests.conftest import run_kg

DATA = ROOT / "data"
DUMPS = ("kg.nq", "kg.nt", "kg.trig", "kg.ttl", "kg.jsonld", "kg.rdf")


def _dumps(release: Path) -> dict[str, bytes]:
    return {name: (release / name).read_bytes() for name in DUMPS}


def _built(data: Path, out: Path) -> dict[str, bytes]:
    return _dumps(build(Config(out=out, data=data)).release)


@pytest.fixture(scope="module")
def expected(real_built):
    return _dumps(real_built.release)


def _folder_with_sources(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(DATA / "sources", folder / "sources", dirs_exist_ok=True)
    return folder


def _soffice(tmp: Path, *args: str) -> None:
    binary = shutil.which("soffice") or pytest.fail(
        "LibreOffice is needed (libreoffice-calc-nogui)"
    )
    profile = tmp / "lo-profile"
    command = [binary, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}"]
    subprocess.run([*command, *args], check=True, capture_output=True, timeout=180)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    folder = _folder_with_sources(tmp_path_factory.mktemp("workbook"))
    target = folder / "tables.xlsx"
    export(DATA, target)
    return target


def _rewrite_tables(target: Path, delimiter: str, encoding: str, change=None) -> list[str]:
    """The real tables as a spreadsheet would save them: another separator and encoding (a
    table that encoding cannot hold stays UTF-8); returns the tables written in it."""
    _folder_with_sources(target)
    shutil.copy(DATA / "README.md", target / "README.md")
    written: list[str] = []
    for table in TABLES:
        with (DATA / table).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        if change is not None:
            rows = change(table, rows)
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        try:
            (target / table).write_bytes(buffer.getvalue().encode(encoding))
            written.append(table)
        except UnicodeEncodeError:
            (target / table).write_bytes(buffer.getvalue().encode("utf-8"))
    return written


def test_exported_workbook_resaved_by_libreoffice_builds_the_same_dumps(
    workbook, tmp_path, expected
):
    """The real data, exported, opened and saved again by LibreOffice, built again."""
    resaved = _folder_with_sources(tmp_path / "resaved")
    _soffice(tmp_path, "--convert-to", "xlsx", "--outdir", str(resaved), str(workbook))
    assert (resaved / "tables.xlsx").read_bytes() != workbook.read_bytes()  # LibreOffice's own
    assert _built(resaved / "tables.xlsx", tmp_path / "out") == expected


def test_libreoffice_ods_builds_the_same_dumps(workbook, tmp_path, expected):
    folder = _folder_with_sources(tmp_path / "ods")
    _soffice(tmp_path, "--convert-to", "ods", "--outdir", str(folder), str(workbook))
    assert _built(folder / "tables.ods", tmp_path / "out") == expected


def test_libreoffice_latvian_csv_of_every_sheet_builds_the_same_dumps(workbook, tmp_path, expected):
    """LibreOffice's CSV filter with ';' between fields, UTF-8, every sheet a file."""
    out = tmp_path / "csv"
    out.mkdir()
    options = "csv:Text - txt - csv (StarCalc):59,34,76,1,,1062,false,true,false,false,false,-1"
    _soffice(tmp_path, "--convert-to", options, "--outdir", str(out), str(workbook))
    data = _folder_with_sources(tmp_path / "data")
    for table in TABLES:
        produced = out / f"tables-{Path(table).stem}.csv"
        assert produced.read_bytes().split(b"\n", 1)[0].count(b";") > 0
        shutil.copy(produced, data / table)
    assert _built(data, tmp_path / "out") == expected


def test_kg_tables_import_gives_the_tables_back(workbook, tmp_path):
    result = run_kg("tables", "import", str(workbook), str(tmp_path / "back"))
    assert result.returncode == 0, result.stderr
    for table in TABLES:
        assert (tmp_path / "back" / table).read_bytes() == (DATA / table).read_bytes(), table


def test_workbook_is_made_for_a_clerk(workbook):
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    sheet = book["results"]
    assert sheet.freeze_panes == "A2"
    assert "statuss" in sheet["J1"].comment.text or sheet["A1"].comment is not None
    status = next(c for c in sheet[1] if c.value == "status")
    lists = [
        v for v in sheet.data_validations.dataValidation if status.column_letter in str(v.sqref)
    ]
    assert lists and "saraksti-lists" in lists[0].formula1
    plan = next(c for c in sheet[1] if c.value == "plan")
    refers = [
        v for v in sheet.data_validations.dataValidation if plan.column_letter in str(v.sqref)
    ]
    assert refers and "'documents'!$A$2" in refers[0].formula1
    assert all(
        cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value
    )
    assert "palīdzība-help" in book.sheetnames


def test_semicolons_and_a_byte_order_mark_build_the_same_dumps(tmp_path, expected):
    _rewrite_tables(tmp_path / "data", ";", "utf-8-sig")
    assert _built(tmp_path / "data", tmp_path / "out") == expected


def test_windows_1257_builds_the_same_dumps(tmp_path, expected):
    """Every table Windows-1257 can hold (the names of institutions, the structure) in it;
    the others (a '≥', a '≈') stay UTF-8, as a clerk's mixed folder would."""
    written = _rewrite_tables(tmp_path / "data", ";", "cp1257")
    assert {"institutions.csv", "structure.csv", "results.csv"} <= set(written)
    raw = (tmp_path / "data" / "institutions.csv").read_bytes()
    assert "Kultūras".encode("cp1257") in raw and "Kultūras".encode() not in raw
    assert _built(tmp_path / "data", tmp_path / "out") == expected


def test_latvian_numbers_and_dates_build_the_same_dumps(tmp_path, expected):
    """``491 000``, ``491000,0`` and ``31.03.2021`` as a Latvian sheet writes them."""

    def latvian(table: str, rows: list[list[str]]) -> list[list[str]]:
        header = rows[0]
        for row in rows[1:]:
            for i, name in enumerate(header):
                value = row[i]
                if table == "observations.csv" and name == "value" and value.isdigit():
                    row[i] = f"{int(value):,}".replace(",", "\u00a0")
                if name in ("date", "publication_date", "due") and len(value) == 10:
                    year, month, day = value.split("-")
                    row[i] = f"{day}.{month}.{year}."
        return rows

    _rewrite_tables(tmp_path / "data", ";", "utf-8", latvian)
    observations = (tmp_path / "data" / "observations.csv").read_text(encoding="utf-8")
    assert "491\u00a0000" in observations
    assert _built(tmp_path / "data", tmp_path / "out") == expected


def test_a_file_that_is_neither_utf8_nor_latvian_is_refused_with_the_fix(data_copy, tmp_path):
    table = data_copy / "periods.csv"
    table.write_bytes(table.read_bytes() + "x,Straße,Straße,2020,\n".encode("cp1252"))
    with pytest.raises(DataError) as caught:
        build(Config(out=tmp_path / "out", data=data_copy))
    message = str(caught.value)
    assert "periods.csv" in message and "row" in message and "CSV UTF-8" in message


def test_a_comma_number_in_a_comma_file_is_refused_with_the_forms(data_copy, tmp_path):
    table = data_copy / "observations.csv"
    text = table.read_text(encoding="utf-8").replace(",491000,", ',"491000,5",', 1)
    table.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build(Config(out=tmp_path / "out", data=data_copy))
    message = str(caught.value)
    assert "column 'value'" in message and "'491000,5'" in message and "491 000" in message


def _edited(workbook: Path, target: Path, edit) -> Path:
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    edit(book)
    book.save(target)
    _folder_with_sources(target.parent)
    return target


def test_a_wrong_code_names_sheet_row_column_value_and_choices(workbook, tmp_path):
    def wrong(book):
        sheet = book["results"]
        column = next(c.column for c in sheet[1] if c.value == "status")
        sheet.cell(row=3, column=column, value="done")

    broken = _edited(workbook, tmp_path / "broken.xlsx", wrong)
    result = run_kg("build", "--data", str(broken), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "broken.xlsx sheet results, row 3, column 'status'" in result.stderr
    assert "'done'" in result.stderr and "implemented" in result.stderr


def test_a_formula_is_refused_never_evaluated(workbook, tmp_path):
    def formula(book):
        sheet = book["observations"]
        column = next(c.column for c in sheet[1] if c.value == "value")
        sheet.cell(row=2, column=column, value="=1+1")

    broken = _edited(workbook, tmp_path / "formula.xlsx", formula)
    with pytest.raises(DataError) as caught:
        build(Config(out=tmp_path / "out", data=broken))
    message = str(caught.value)
    assert "sheet observations, row 2, column 'value'" in message and "formula" in message


def test_validate_names_the_sheet_and_row_of_a_finding(workbook, tmp_path):
    def without_goal(book):  # a direction of its own, with no goal: a warning
        sheet = book["structure"]
        slide = "km-2021-slides#slide=2"
        sheet.append(["9", "nipsipp-2019-2020", "direction", "", "Jauns", "", slide, "inferred"])

    edited = _edited(workbook, tmp_path / "edited.xlsx", without_goal)
    result = run_kg("validate", "--data", str(edited), "--report", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if "direction/9" in line)
    after = result.stdout.split(row, 1)[1].splitlines()[1]
    assert "edited.xlsx sheet structure, row" in after


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    with pytest.raises(DataError) as caught:
        build(Config(out=tmp_path / "out", data=bomb))
    assert "unpacks" in str(caught.value)


def test_a_million_rows_are_refused_by_the_sheets_size(workbook, tmp_path):
    def huge(book):
        book["periods"].cell(row=1_000_001, column=1, value="x")

    big = _edited(workbook, tmp_path / "big.xlsx", huge)
    with pytest.raises(DataError) as caught:
        build(Config(out=tmp_path / "out", data=big))
    assert "sheet periods" in str(caught.value) and "rows" in str(caught.value)


def test_macros_and_external_links_are_never_read(workbook, tmp_path, expected):
    """A workbook carrying a macro project and an external link builds as without them."""
    carrying = _folder_with_sources(tmp_path / "macros") / "tables.xlsx"
    shutil.copy(workbook, carrying)
    with zipfile.ZipFile(carrying, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b'\xd0\xcf\x11\xe0 Sub AutoOpen() Shell "x"')
        archive.writestr(
            "xl/externalLinks/externalLink1.xml",
            '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<externalBook r:id="rId1" xmlns:r="http://x"/></externalLink>',
        )
    assert _built(carrying, tmp_path / "out") == expected


def _rewritten(workbook: Path, target: Path, part: str, change) -> Path:
    """A copy of ``workbook`` whose XML ``part`` is ``change(text)``."""
    _folder_with_sources(target.parent)
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            copy.writestr(item, data, zipfile.ZIP_DEFLATED)
    return target


def _sheet_part(workbook: Path, sheet: str) -> str:
    import openpyxl

    names = openpyxl.load_workbook(workbook, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


def test_a_cell_longer_than_a_csv_field_is_refused_before_it_is_read(workbook, tmp_path):
    """5 M characters in one cell: refused by the cap of a CSV field, naming the cell."""
    import random

    def long_cell(book):
        column = next(c.column for c in book["results"][1] if c.value == "note")
        letters = random.Random(1).choices("abcdefghij ", k=5_000_000)
        book["results"].cell(row=2, column=column, value="".join(letters))

    long = _edited(workbook, tmp_path / "long.xlsx", long_cell)
    with pytest.raises(DataError) as caught:
        build(Config(out=tmp_path / "out", data=long))
    message = str(caught.value)
    assert "more than 20000 characters" in message and "long.xlsx" in message


def test_a_long_ods_cell_is_refused_before_it_is_read(tmp_path):
    import random

    text = "".join(random.Random(2).choices("abcdefghij ", k=300_000))
    content = (
        '<?xml version="1.0"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="periods"><table:table-row>'
        f"<table:table-cell><text:p>{text}</text:p></table:table-cell>"
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    ods = _folder_with_sources(tmp_path / "ods") / "tables.ods"
    with zipfile.ZipFile(ods, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", content)
    with pytest.raises(DataError) as caught:
        build(Config(out=tmp_path / "out", data=ods))
    assert "more than 20000 characters (part content.xml" in str(caught.value)


def test_an_entity_declaration_is_refused_with_a_clear_error(workbook, tmp_path):
    part = _sheet_part(workbook, "periods")

    def declared(xml: str) -> str:
        return f'<!DOCTYPE x [<!ENTITY e "entity">]>{xml}'

    broken = _rewritten(workbook, tmp_path / "doctype" / "tables.xlsx", part, declared)
    result = run_kg("build", "--data", str(broken), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "declares a document type" in result.stderr and "Traceback" not in result.stderr


def test_rows_past_the_declared_size_are_read(workbook, tmp_path, expected):
    """A sheet that says it ends at row 2 but holds more: every row is read."""
    import re

    part = _sheet_part(workbook, "results")

    def understated(xml: str) -> str:
        return re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:B2"', xml, count=1)

    short = _rewritten(workbook, tmp_path / "short" / "tables.xlsx", part, understated)
    assert b'<dimension ref="A1:B2"' in zipfile.ZipFile(short).read(part)
    assert _built(short, tmp_path / "out") == expected
