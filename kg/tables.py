"""Read the source tables safely: every problem names the file, the row and the column.

A table is a UTF-8 CSV (a byte-order mark is accepted) whose header must match the
expected columns exactly. Text is normalised to Unicode NFC; control characters, NUL
bytes, over-long fields and paths that leave the data folder are refused.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

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


@dataclass
class Problems:
    """Collects problems so that one run reports all of them, not just the first."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.items.append(Problem(file, row, column, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise DataError(self.items)


@dataclass(frozen=True)
class Row:
    """A data row: its values by column and its line number in the file (header = 1)."""

    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]


def resolve_inside(root: Path, name: str) -> Path:
    """Resolve ``name`` under ``root``, refusing anything (``..``, symlinks) that leaves it."""
    root = root.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"{name}: path is outside the source root")
    return path


def read_table(root: Path, name: str, columns: list[str], problems: Problems) -> list[Row]:
    """Read ``root/name`` and return its rows; problems are collected, not raised."""
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
    raw = path.read_bytes()
    text = _decode(raw, label, problems)
    if text is None:
        return []
    return list(_rows(text, label, columns, problems))


def _decode(raw: bytes, label: str, problems: Problems) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(label, line, None, f"not valid UTF-8 (byte {exc.start})")
        return None


def _rows(text: str, label: str, columns: list[str], problems: Problems) -> Iterator[Row]:
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.add(label, line, None, "NUL byte")
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        header = next(reader, None)
        if header is None or not _header_ok(header, label, columns, problems):
            return
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problems.add(label, reader.line_num, None, f"CSV error: {exc}")
                return
            row = _row(cells, reader.line_num, label, header, problems)
            if row is not None:
                yield row
    finally:
        csv.field_size_limit(previous)


def _header_ok(header: list[str], label: str, columns: list[str], problems: Problems) -> bool:
    names = [h.strip() for h in header]
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
        values[name.strip()] = value
    return Row(label, line, values) if ok else None
