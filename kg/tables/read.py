"""Read the source tables safely: every problem names the file, the row and the column.

A table is a CSV file as spreadsheets write it, or a sheet of a workbook (kg.tables.workbook),
whose header must match the expected columns exactly. A CSV may separate its fields with
``,`` or ``;`` (Excel and LibreOffice in the Latvian locale write ``;``: told from the header
row, which is known), and be UTF-8 with or without a byte-order mark, or Windows-1257
(read when every character outside ASCII is one a Latvian text has; otherwise refused, with
the fix). Numbers and dates are read as a Latvian-locale sheet writes them too (kg.tables.cells).
Rows are numbered as the spreadsheet numbers them (the header is row 1). Text is
normalised to Unicode NFC; control characters, NUL bytes, over-long fields and paths that
leave the data folder are refused.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from kg.tables.schema import Schema
from kg.tables.schema import Table

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_FIELD_CHARS = 20_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataError(Exception):
    """One or more problems in the source tables; nothing is published."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self):  # pickled with its problems (a build maps in a child process)
        return (type(self), (self.problems,))


@dataclass
class Problems:
    """Collects problems so that one run reports all of them, not just the first."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.items.append(Problem(file, row, column, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)


@functools.lru_cache(maxsize=256)
def _table_of(file: str) -> str:
    """Once per file, not once per row asked (185,000 times at 1M facts; issue 23)."""
    if " sheet " in file:
        return file.rsplit(" sheet ", 1)[1]
    return Path(file).stem


@dataclass(frozen=True)
class Row:
    """A data row: its values by column and its line number in the file (header = 1)."""

    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    @property
    def table(self) -> str:
        """The table's name without its extension: ``observations`` for
        ``data/observations.csv`` and for ``tables.xlsx sheet observations``."""
        return _table_of(self.file)


def resolve_inside(root: Path, name: str) -> Path:
    """Resolve ``name`` under ``root``, refusing anything (``..``, symlinks) that leaves it."""
    root = root.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"{name}: path is outside the source root")
    return path


def read_table(root: Path, table: Table, problems: Problems) -> list[Row]:
    """Read ``table`` of ``root`` (a folder of CSV files, or a workbook) and return its rows
    as its schema describes them (kg.tables.schema): the header, numbers and dates in their
    canonical form, required cells and code lists checked. Problems are collected, not
    raised; a row with one is left out."""
    name, columns = table.name, table.names
    if is_workbook(root):
        from kg.tables.workbook import sheet_records

        label = f"{root.name} sheet {Path(name).stem}"
        found = sheet_records(root, Path(name).stem, label, problems)
        if found is None:
            return []
        return list(_rows(found, label, table, problems, decimal_comma=True))
    label = f"{root.name}/{name}"
    try:
        path = resolve_inside(root, name)
    except ValueError as exc:
        problems.add(label, None, None, str(exc))
        return []
    if not path.is_file():
        problems.add(label, None, None, "file not found")
        return []
    if path.stat().st_size > MAX_FILE_BYTES:  # before reading it whole
        problems.add(label, None, None, f"file larger than {MAX_FILE_BYTES} bytes")
        return []
    text = _decode(path.read_bytes(), label, problems)
    if text is None:
        return []
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.add(label, line, None, "NUL byte")
        return []
    delimiter = _delimiter(text, columns)
    records = _csv_records(text, delimiter, label, problems)
    return list(_rows(records, label, table, problems, delimiter == ";"))


def read_tables(root: Path, problems: Problems, schema: Schema) -> dict[str, list[Row]]:
    """Every table ``schema`` describes, read from ``root``, by file name in its order."""
    return {table.name: read_table(root, table, problems) for table in schema}


def is_workbook(root: Path) -> bool:
    """A workbook (XLSX, or LibreOffice's ODS) rather than a folder of CSV files."""
    return root.suffix.lower() in (".xlsx", ".ods") and root.is_file()


def source_root(root: Path) -> Path:
    """The folder that relative source files (``sources/…``) are found in: the data folder,
    or the folder that holds the workbook."""
    return root.parent if is_workbook(root) else root


# what a Latvian text has beyond ASCII: its letters, quotation marks, dashes, spaces, signs
_LATVIAN = set("āčēģīķļņōŗšūžĀČĒĢĪĶĻŅŌŖŠŪŽ„“”‘’«»–—…€§°±×·\u00a0")
_FIX = "save it as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8'; in LibreOffice: character set UTF-8)"


def _decode(raw: bytes, label: str, problems: Problems) -> str | None:
    """UTF-8 (with or without a BOM), or Windows-1257 when that reading gives Latvian text
    and nothing else; anything else is refused with the fix, never guessed."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        where = f"not valid UTF-8 (byte {exc.start})"
    try:
        text = raw.decode("cp1257")
    except UnicodeDecodeError:
        text = None
    if text is not None and all(ch in _LATVIAN for ch in text if ord(ch) > 127):
        return text
    problems.add(label, line, None, f"{where} and not Windows-1257 Latvian text: {_FIX}")
    return None


def _delimiter(text: str, columns: list[str]) -> str:
    """``;`` when the header row is the expected columns separated by ``;``, else ``,``."""
    first = text.split("\n", 1)[0].strip("\r").lstrip("\ufeff")
    names = [n.strip().strip('"') for n in first.split(";")]
    return ";" if names == columns else ","


def _csv_records(
    text: str, delimiter: str, label: str, problems: Problems
) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row, cells) of each record: a quoted cell over several lines is one row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous = csv.field_size_limit(MAX_FIELD_CHARS)
    number = 0
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problems.add(label, number + 1, None, f"CSV error: {exc}")
                return
            number += 1
            yield number, cells
    finally:
        csv.field_size_limit(previous)


def _rows(
    records: Iterator[tuple[int, list[str]]],
    label: str,
    table: Table,
    problems: Problems,
    decimal_comma: bool,
) -> Iterator[Row]:
    first = next(records, None)
    if first is None or not _header_ok(first[1], label, table.names, problems):
        return
    header = first[1]
    for number, cells in records:
        row = _row(cells, number, label, header, problems)
        if row is not None and _checked(row, table, decimal_comma, problems):
            yield row


def _checked(row: Row, table: Table, decimal_comma: bool, problems: Problems) -> bool:
    """Each cell as its column says: required ones filled, a code from the column's fixed
    list, numbers and dates in their canonical form (kg.tables.cells); or a problem naming it."""
    from kg.tables.cells import normalise_date
    from kg.tables.cells import normalise_number

    ok = True
    for column in table.columns:
        value = row.values.get(column.name, "")
        problem = None
        if not value:
            problem = "a value is required" if column.required else None
        elif column.choices and value not in column.choices:
            problem = f"must be one of {', '.join(column.choices)}, not {value!r}"
        else:
            try:
                if column.kind == "number":
                    row.values[column.name] = normalise_number(value, decimal_comma)
                elif column.kind == "date":
                    row.values[column.name] = normalise_date(value)
            except ValueError as exc:
                problem = str(exc)
        if problem is not None:
            problems.add(row.file, row.line, column.name, problem)
            ok = False
    return ok


def _header_ok(header: list[str], label: str, columns: list[str], problems: Problems) -> bool:
    names = [h.strip().lstrip("\ufeff") for h in header]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.add(label, 1, None, f"duplicated column(s) in header: {', '.join(duplicates)}")
        return False
    if names != columns:
        missing = [c for c in columns if c not in names]
        extra = [n for n in names if n not in columns]
        detail = []
        if missing:
            detail.append(f"missing {', '.join(missing)}")
        if extra:
            detail.append(f"unexpected {', '.join(extra)}")
        if not detail:
            detail.append("columns out of order")
        if len(names) == 1 and len(columns) > 1:
            detail.append("separate the fields with ',' or ';'")
        problems.add(label, 1, None, f"header must be {','.join(columns)} ({'; '.join(detail)})")
        return False
    return True


def _row(
    cells: list[str], line: int, label: str, header: list[str], problems: Problems
) -> Row | None:
    if not any(c.strip() for c in cells):
        return None  # blank lines are allowed, for readability in a spreadsheet
    if len(cells) != len(header):
        problems.add(label, line, None, f"has {len(cells)} fields, the header has {len(header)}")
        return None
    values: dict[str, str] = {}
    ok = True
    for name, cell in zip(header, cells, strict=True):
        value = unicodedata.normalize("NFC", cell.strip())
        bad = _CONTROL.search(value)
        if bad:
            problems.add(label, line, name, f"control character U+{ord(bad.group()):04X}")
            ok = False
        values[name.strip().lstrip("\ufeff")] = value
    return Row(label, line, values) if ok else None
