"""Write the tables as one workbook a clerk can edit (``kg tables export``); kg.tables.workbook
reads it back. Every cell is text, so that a spreadsheet never turns ``1.1`` into a number
or ``2019-2020`` into a date."""

from __future__ import annotations

from pathlib import Path

from kg.tables.read import Problems
from kg.tables.read import Row
from kg.tables.read import read_tables
from kg.tables.schema import Schema
from kg.tables.schema import Table
from kg.tables.schema import schema_for
from kg.tables.workbook import HELP_SHEET
from kg.tables.workbook import LISTS_SHEET


def sheet_name(table: str) -> str:
    return Path(table).stem


def export(data: Path, target: Path) -> dict[str, int]:
    """Write the tables of ``data`` (a folder or a workbook) to the workbook ``target``;
    return rows per sheet. The tables are read with the build's checks first."""
    import openpyxl

    problems = Problems()
    schema = schema_for(data)
    tables = read_tables(data, problems, schema)
    problems.raise_if_any()
    book = openpyxl.Workbook()
    book.remove(book.active)
    counts = {}
    for table in _tables(schema, tables):
        counts[sheet_name(table.name)] = _sheet(book, table, tables[table.name])
    _lists(book, schema, tables)
    for table in _tables(schema, tables):
        _validations(book, table, tables)
    _help_sheet(book, schema, tables)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    book.save(partial)
    partial.replace(target)  # a reader never sees half a workbook
    return counts


def _tables(schema: Schema, read: dict[str, list[Row]]) -> list[Table]:
    """The tables read, in the order they are mapped."""
    return [schema[name] for name in read]


def _sheet(book, table: Table, rows: list[Row]) -> int:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    sheet = book.create_sheet(sheet_name(table.name))
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = Font(bold=True)
        lv, en = column.described("lv"), column.described("en")
        cell.comment = Comment(f"{lv}\n{en}", "lvpolicy-kg")
        sheet.column_dimensions[cell.column_letter].width = (
            40 if column.name in ("note", "note_lv") else 14
        )
    for number, row in enumerate(rows, start=2):
        for index, name in enumerate(table.names, start=1):
            text = row.values[name]
            if text:
                cell = sheet.cell(row=number, column=index, value=text)
                cell.data_type = "s"  # text, even when it starts with '='
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    return len(rows)


def _list_name(table: Table, column) -> str | None:
    """The column of the lists sheet a column's drop-down takes its values from."""
    if column.scheme:
        return column.scheme
    if column.choices:
        return f"{sheet_name(table.name)}.{column.name}"
    return None


def _lists(book, schema: Schema, tables: dict[str, list[Row]]) -> None:
    """One column per code list or fixed choice, on a sheet the drop-downs refer to."""
    sheet = book.create_sheet(LISTS_SHEET)
    choices: dict[str, list[str]] = {}
    for table in _tables(schema, tables):
        for column in table.columns:
            name = _list_name(table, column)
            if column.scheme and name:
                concepts = tables["concepts.csv"]
                codes = [r["code"] for r in concepts if r["scheme"] == column.scheme]
                choices[name] = [code for code in codes if code]
            elif name:
                choices[name] = list(column.choices)
    for index, (name, values) in enumerate(sorted(choices.items()), start=1):
        sheet.cell(row=1, column=index, value=name)
        for number, value in enumerate(values, start=2):
            sheet.cell(row=number, column=index, value=value)
    sheet.sheet_state = "hidden"


def _validations(book, table: Table, tables: dict[str, list[Row]]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book[sheet_name(table.name)]
    lists = book[LISTS_SHEET]
    names = {lists.cell(row=1, column=c).value: c for c in range(1, lists.max_column + 1)}
    last = max(len(tables[table.name]) + 200, 1000)  # room for rows a clerk adds
    for index, column in enumerate(table.columns, start=1):
        key = _list_name(table, column)
        if key is not None:
            letter = get_column_letter(names[key])
            size = lists.max_row
            source, strict = f"'{LISTS_SHEET}'!${letter}$2:${letter}${size}", True
        elif column.refers in tables:
            target = column.refers
            rows = len(tables[target]) + 200
            source, strict = f"'{sheet_name(target)}'!$A$2:$A${rows}", False
        else:
            continue
        rule = DataValidation(type="list", formula1=source, allow_blank=True)
        rule.errorStyle = "stop" if strict else "warning"
        rule.error = "Izvēlieties no saraksta / choose from the list"
        letter = get_column_letter(index)
        rule.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(rule)


def _help_sheet(book, schema: Schema, tables: dict[str, list[Row]]) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(HELP_SHEET, 0)
    sheet.append(["lapa / sheet", "kolonna / column", "latviski", "in English"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for table in _tables(schema, tables):
        sheet.append([sheet_name(table.name), "", table.described("lv"), table.described("en")])
        for column in table.columns:
            sheet.append(
                [
                    sheet_name(table.name),
                    column.name,
                    column.described("lv"),
                    column.described("en"),
                ]
            )
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCD", (18, 18, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def write_tables(workbook: Path, folder: Path) -> list[Path]:
    """The sheets of ``workbook`` as CSV files in ``folder``, all or none: each is written
    beside its place and swapped in only when every sheet has been read without a problem."""
    import csv
    import io

    problems = Problems()
    schema = schema_for(workbook)
    tables = read_tables(workbook, problems, schema)
    problems.raise_if_any()
    folder.mkdir(parents=True, exist_ok=True)
    staged = []
    for table in _tables(schema, tables):
        columns = table.names
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row.values[c] for c in columns] for row in tables[table.name])
        partial = folder / f".{table.name}.partial"
        partial.write_text(buffer.getvalue(), encoding="utf-8")
        staged.append((partial, folder / table.name))
    for partial, final in staged:
        partial.replace(final)
    return [final for _, final in staged]
