"""The tables as one workbook (XLSX, with openpyxl): written for a clerk, read back safely.

Written: a sheet per table (named after it, without ``.csv``), every cell text, a frozen
and bold header row with each column's meaning in Latvian and English as its comment, a
``palīdzība-help`` sheet with the same, drop-down lists for coded columns (from the data's
own code lists) and for columns that name an id of another table.

Read: the sheet of each table, as a spreadsheet program saved it. A workbook is refused
before it is read whole when its unpacked size, its compression ratio or a sheet's rows
pass their limits (a zip bomb, a million rows), and when an XML part declares a document
type or holds a cell longer than a CSV field may be (kg.tables.workbook_scan, read as a stream);
rows past a sheet's declared size are read like the others; a formula is refused, never
evaluated (type the value itself); macros and external links are never read.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator
from pathlib import Path

from kg.tables.read import Problems
from kg.tables.workbook_scan import refused_part

MAX_UNPACKED_BYTES = 128 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed, per part of the workbook
MAX_ROWS = 100_000
MAX_COLUMNS = 64
HELP_SHEET = "palīdzība-help"
LISTS_SHEET = "saraksti-lists"


def check_archive(path: Path) -> str | None:
    """Why the workbook may not be opened, or None: sizes from the zip's directory, so
    nothing is unpacked to find out."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        return f"not a workbook (XLSX): {exc}"
    if len(parts) > 10_000:
        return f"{len(parts)} parts in the workbook: more than 10000"
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED_BYTES:
        return f"unpacks to {total} bytes: more than {MAX_UNPACKED_BYTES}"
    for part in parts:
        if part.file_size > 1_000_000 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            return f"part {part.filename} unpacks {part.file_size // max(part.compress_size, 1)}×"
    return None


def sheet_records(
    path: Path, sheet: str, label: str, problems: Problems
) -> Iterator[tuple[int, list[str]]] | None:
    """(row number, cells as text) of sheet ``sheet``, or None with a problem recorded."""
    import openpyxl

    refused = check_archive(path) or refused_part(path)
    if refused is not None:
        problems.add(path.name, None, None, refused)
        return None
    if path.suffix.lower() == ".ods":
        return _ods_records(path, sheet, label, problems)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        problems.add(path.name, None, None, f"cannot be read as a workbook: {str(exc)[:200]}")
        return None
    if sheet not in book.sheetnames:
        problems.add(label, None, None, f"no sheet named {sheet!r} in the workbook")
        book.close()
        return None
    worksheet = book[sheet]
    if (worksheet.max_row or 0) > MAX_ROWS + 1:
        problems.add(label, None, None, f"{worksheet.max_row} rows: more than {MAX_ROWS}")
        book.close()
        return None
    worksheet.reset_dimensions()  # every row the sheet holds, not only its declared size
    return _records(book, worksheet, label, problems)


def _records(book, worksheet, label: str, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    header: list[str] | None = None
    try:
        for number, row in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
            if number > MAX_ROWS + 1:
                problems.add(label, number, None, f"more than {MAX_ROWS} rows")
                return
            cells = []
            for index, cell in enumerate(row):
                if _is_formula(cell):
                    column = header[index] if header and index < len(header) else None
                    problems.add(
                        label,
                        number,
                        column,
                        f"a formula ({str(cell.value)[:60]}) is not read: type the value itself",
                    )
                    cells.append("")
                else:
                    cells.append(_text(cell.value))
            header, cells = _fit(header, cells)
            yield number, cells
    finally:
        book.close()


def _fit(header: list[str] | None, cells: list[str]) -> tuple[list[str], list[str]]:
    """The header (its last named column ends every row), and a row cut or padded to it
    when what lies past the header is empty (a spreadsheet's trailing cells, not data)."""
    if header is None:
        while cells and not cells[-1]:
            cells.pop()
        return cells, cells
    if not any(cells[len(header) :]):
        cells = (cells[: len(header)] + [""] * len(header))[: len(header)]
    return header, cells


def _is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"


def _text(value: object) -> str:
    """A cell as the text a CSV would hold: numbers without a trailing .0, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods_records(
    path: Path, sheet: str, label: str, problems: Problems
) -> Iterator[tuple[int, list[str]]] | None:
    """An OpenDocument sheet's rows (LibreOffice's own format), read from content.xml. Its
    repeated empty rows and columns (LibreOffice writes a million of them) are counted,
    never expanded."""
    import xml.etree.ElementTree as ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            content = archive.read("content.xml")
        root = ElementTree.fromstring(content)  # noqa: S314 (size checked; expat limits entities)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        problems.add(path.name, None, None, f"cannot be read as a workbook (ODS): {exc}")
        return None
    table = next((t for t in root.iter(f"{_T}table") if t.get(f"{_T}name") == sheet), None)
    if table is None:
        problems.add(label, None, None, f"no sheet named {sheet!r} in the workbook")
        return None
    return _ods_rows(table, label, problems)


def _ods_rows(table, label: str, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    header: list[str] | None = None
    number = 0
    for row in table.iter(f"{_T}table-row"):
        repeat = int(row.get(f"{_T}number-rows-repeated", "1"))
        cells: list[str] = []
        for cell in row:
            if cell.tag not in (f"{_T}table-cell", f"{_T}covered-table-cell"):
                continue
            width = min(int(cell.get(f"{_T}number-columns-repeated", "1")), MAX_COLUMNS)
            if cell.get(f"{_T}formula"):
                column = header[len(cells)] if header and len(cells) < len(header) else None
                problems.add(label, number + 1, column, "a formula is not read: type the value")
                text = ""
            else:
                text = _ods_text(cell)
            cells.extend([text] * min(width, MAX_COLUMNS - len(cells)))
        if not any(cells):
            number += repeat  # blank rows: counted, not expanded
            continue
        header, cells = _fit(header, cells)
        for _ in range(repeat):
            number += 1
            if number > MAX_ROWS + 1:
                problems.add(label, number, None, f"more than {MAX_ROWS} rows")
                return
            yield number, cells


def _ods_text(cell) -> str:
    """A cell's value: the number, date or boolean it holds, else its paragraphs' text
    (comments left out)."""
    kind = cell.get(f"{_O}value-type")
    if kind in ("float", "percentage", "currency"):
        return _text(float(cell.get(f"{_O}value", "0")))
    if kind == "date":
        return cell.get(f"{_O}date-value", "").split("T")[0]
    if kind == "boolean":
        return "yes" if cell.get(f"{_O}boolean-value") == "true" else "no"
    return "\n".join(_paragraph(p) for p in cell if p.tag == f"{_X}p")


def _paragraph(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_X}s":
            parts.append(" " * int(child.get(f"{_X}c", "1")))
        elif child.tag == f"{_X}tab":
            parts.append("\t")
        elif child.tag == f"{_X}line-break":
            parts.append("\n")
        elif child.tag != f"{_O}annotation":
            parts.append(_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)
