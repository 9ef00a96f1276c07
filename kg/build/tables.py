"""The source tables as a release publishes them: W3C CSV on the Web.

Beside the dumps, each table as it was read (numbers and dates in their canonical form,
UTF-8, comma-separated) as ``table.<name>.csv``, and ``csv-metadata.json``, the tables'
schema (kg.tables.schema) pointing at them, with the codes of each list of ``concepts.csv`` as the
column's format: any CSVW processor validates the tables against it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from kg.release import TABLES_METADATA as METADATA
from kg.release import table_name as release_name
from kg.tables.read import Row
from kg.tables.schema import Schema
from kg.tables.schema import published


def write_tables(schema: Schema, tables: dict[str, list[Row]], folder: Path) -> list[str]:
    """Write every table read and their metadata into ``folder``; return the file names."""
    names = []
    for name, rows in tables.items():
        columns = schema[name].names
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as CSVW expects
        writer.writerow(columns)
        writer.writerows([row.values.get(c, "") for c in columns] for row in rows)
        (folder / release_name(name)).write_text(buffer.getvalue(), encoding="utf-8")
        names.append(release_name(name))
    (folder / METADATA).write_text(_metadata(schema, tables), encoding="utf-8")
    return [*names, METADATA]


def _metadata(schema: Schema, tables: dict[str, list[Row]]) -> str:
    concepts = tables.get("concepts.csv", [])
    codes: dict[str, list[str]] = {}
    for row in concepts:
        if row.values.get("code"):
            codes.setdefault(row.values["scheme"], []).append(row.values["code"])
    document = published(schema, codes)
    document["tables"] = [t for t in document["tables"] if t["url"] in tables]
    for table in document["tables"]:
        table["url"] = release_name(table["url"])
        for key in table["tableSchema"].get("foreignKeys", []):
            key["reference"]["resource"] = release_name(key["reference"]["resource"])
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
