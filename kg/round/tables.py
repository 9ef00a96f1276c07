"""Rows a round adds to the tables, and the one way they are written: every file staged
beside its target, then each moved into place; a row replaces the one its key names."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from kg.tables.schema import schema_for


@dataclass
class Additions:
    """The rows one return adds, by table, and the held text they quote."""

    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def add(self, table: str, row: dict[str, str]) -> None:
        self.rows.setdefault(table, []).append(row)


# a row's identity in each table a round writes to: a new row replaces the one it names
KEYS = {
    "deadlines.csv": ("id",),
    "measure-statuses.csv": ("plan", "measure", "period"),
    "observations.csv": ("id",),
    "sources.csv": ("id",),
    "quotes.csv": ("table", "row", "source"),
}


def merge(data: Path, merged: list[Additions]) -> None:
    """Write ``merged`` (returns, a round's notice) into the tables of ``data`` and their
    held texts: every file is written beside its target first, then each moved into place."""
    schema = schema_for(data)
    staged: list[tuple[Path, Path]] = []
    for table, key in KEYS.items():
        columns = list(schema[table].names)
        path = data / table
        rows = _rows(path)
        new = [r for add in merged for r in add.rows.get(table, [])]
        if not new:
            continue
        replaced = {tuple(r.get(k, "") for k in key) for r in new}
        if table == "quotes.csv":  # a return collected again: its old quotes go
            sources = {r["source"] for r in new}
            rows = [r for r in rows if r["source"] not in sources]
        rows = [r for r in rows if tuple(r.get(k, "") for k in key) not in replaced]
        rows += [{c: r.get(c, "") for c in columns} for r in new]
        staged.append((_stage(path, _csv(columns, rows)), path))
    for add in merged:
        source = add.rows["sources.csv"][0]
        target = data / source["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        staged.append((_stage(target, "\n".join(add.lines) + "\n"), target))
    for temporary, target in staged:
        os.replace(temporary, target)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _stage(target: Path, text: str) -> Path:
    temporary = target.with_name(f".{target.name}.new")
    temporary.write_text(text, encoding="utf-8")
    return temporary
