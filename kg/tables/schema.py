"""The tables' one schema: W3C CSV on the Web metadata, ``data/csv-metadata.json``.

Each table's columns in order, what each holds (in Latvian and English), its datatype,
whether it is required, its code list and the table whose ids it names. Everything that
knows a table's shape reads it from here: the reader and its messages (kg.tables.read), the
workbook's columns, comments and drop-downs (kg.tables.workbook_export), the generator
(kg.build.generate), the tables' documentation (``kg tables docs``) and the published metadata
that describes the release's CSV tables to any CSVW processor (``published``).

The file is standard CSVW, read here with the standard library rather than the ``csvw``
package: the build needs only the column descriptions, and ``csvw`` (used by the tests to
validate what is published) would add seven dependencies to every install. What CSVW has no
word for is said in its own terms: a fixed code list is a string ``format`` of alternatives
(``stated|inferred``), a code list kept in ``concepts.csv`` is the column's
``skos:inScheme``, and a date that may be a year or a month is a string of ``DATE_FORMAT``.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_NAME = "csv-metadata.json"  # CSVW's name for a folder's metadata (§5.3 of the spec)
DATE_FORMAT = r"\d{4}(-\d{2}(-\d{2})?)?"  # 2021, 2021-03, 2021-03-31
_CHOICES = re.compile(r"[\w-]+(\|[\w-]+)*")
_NUMBERS = {"decimal", "integer", "double", "float", "number"}


class SchemaError(ValueError):
    """The metadata file is not the CSVW this project writes: names file and place."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # "number", "date" or "text": how a spreadsheet's forms are read
    required: bool = False
    choices: tuple[str, ...] = ()  # a fixed code list
    scheme: str | None = None  # the concepts.csv list its codes come from
    refers: str | None = None  # the table whose ids it names
    separator: str | None = None  # several values in one cell, separated by this
    help: tuple[tuple[str, str], ...] = ()  # (language, what the column holds)

    def described(self, language: str) -> str:
        return dict(self.help).get(language, self.name)


@dataclass(frozen=True)
class Table:
    name: str  # the file: ``measures.csv``
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    title: tuple[tuple[str, str], ...] = ()
    description: tuple[tuple[str, str], ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def titled(self, language: str) -> str:
        return dict(self.title).get(language, self.name.removesuffix(".csv"))

    def described(self, language: str) -> str:
        return dict(self.description).get(language, "")


@dataclass(frozen=True)
class Schema:
    tables: dict[str, Table]
    document: dict[str, Any]  # the metadata as read, for publishing
    path: Path

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables.values())


def project_schema() -> Path:
    """The project's own metadata: beside the tables in a checkout, in the wheel's share
    folder once installed (kg.config.resource)."""
    from kg.config import ROOT

    beside = ROOT / "data" / FILE_NAME
    return beside if beside.is_file() else Path(sys.prefix) / "share" / "lvpolicy-kg" / FILE_NAME


def schema_for(root: Path) -> Schema:
    """The schema of the tables at ``root`` (a data folder, or a workbook): the folder's own
    ``csv-metadata.json`` where it has one, else the project's."""
    folder = root.parent if root.is_file() else root
    own = folder / FILE_NAME
    return load(own if own.is_file() else project_schema())


_CACHE: dict[tuple[Path, int, int], Schema] = {}


def load(path: Path) -> Schema:
    """Read and check a metadata file (once per version of the file)."""
    stat = path.stat()
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = _read(path)
    return _CACHE[key]


def _read(path: Path) -> Schema:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaError(f"{path}: not readable JSON: {exc}") from None
    tables: dict[str, Table] = {}
    for index, described in enumerate(document.get("tables", []), start=1):
        where = f"{path.name}, table {index}"
        name = described.get("url")
        if not isinstance(name, str) or not name.endswith(".csv"):
            raise SchemaError(f"{where}: 'url' must name a .csv file")
        schema = described.get("tableSchema", {})
        refers = {
            fk["columnReference"]: fk["reference"]["resource"]
            for fk in schema.get("foreignKeys", [])
        }
        columns = tuple(
            _column(column, refers, f"{where} ({name}), column {number}")
            for number, column in enumerate(schema.get("columns", []), start=1)
        )
        key = schema.get("primaryKey", [])
        tables[name] = Table(
            name,
            columns,
            tuple([key] if isinstance(key, str) else key),
            _languages(described.get("dc:title")),
            _languages(described.get("dc:description")),
        )
    if not tables:
        raise SchemaError(f"{path}: no tables described")
    return Schema(tables, document, path)


def _column(described: dict[str, Any], refers: dict[str, str], where: str) -> Column:
    name = described.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise SchemaError(f"{where}: 'name' must be lower-case letters, digits and _")
    datatype = described.get("datatype", "string")
    base = datatype if isinstance(datatype, str) else datatype.get("base", "string")
    fmt = "" if isinstance(datatype, str) else datatype.get("format", "")
    kind, choices = "text", ()
    if base in _NUMBERS:
        kind = "number"
    elif fmt == DATE_FORMAT:
        kind = "date"
    elif fmt and _CHOICES.fullmatch(fmt):
        choices = tuple(fmt.split("|"))
    elif fmt:
        raise SchemaError(f"{where} ({name}): a format must be choices (a|b) or DATE_FORMAT")
    return Column(
        name=name,
        kind=kind,
        required=bool(described.get("required", False)),
        choices=choices,
        scheme=described.get("skos:inScheme"),
        refers=refers.get(name),
        separator=described.get("separator"),
        help=_languages(described.get("dc:description")),
    )


def _languages(value: Any) -> tuple[tuple[str, str], ...]:
    """A CSVW natural-language property: a string, or language-tagged values."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (("en", value),)
    values = value if isinstance(value, list) else [value]
    return tuple(
        (v.get("@language", "en"), v["@value"])
        for v in values
        if isinstance(v, dict) and "@value" in v
    )


def published(schema: Schema, codes: dict[str, list[str]]) -> dict[str, Any]:
    """The metadata as the release publishes it beside its tables: a column coded from
    ``concepts.csv`` gets its codes as a ``format``, so that any CSVW processor checks
    them (``codes``: the codes of each list)."""
    document = copy.deepcopy(schema.document)
    for table in document["tables"]:
        for column in table["tableSchema"]["columns"]:
            scheme = column.get("skos:inScheme")
            if scheme and codes.get(scheme):
                alternatives = "|".join(re.escape(code) for code in codes[scheme])
                column["datatype"] = {"base": "string", "format": alternatives}
    return document
