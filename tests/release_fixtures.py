"""A change between two releases, made as a clerk would: one cell of one table edited."""

from __future__ import annotations

import csv
from pathlib import Path


def rename_in_english(data: Path, institution: str, name: str) -> str:
    """Give ``institution`` the English ``name`` in ``data``'s institutions.csv; return the
    name it had."""
    table = data / "institutions.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("name_en")
    row = next(r for r in rows if r[0] == institution)
    old, row[column] = row[column], name
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return old
