"""Tables a reader can sort and filter without JavaScript, and download as CSV.

Each table on a page has a name; its state is in the query: ``figures.sort=value``,
``figures.order=desc``, ``figures.filter=LSM``, and ``?csv=figures`` downloads what the
table shows (filtered and sorted) as CSV. The page's other parameters are kept.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flask import Response
from flask import request

from kg.explore.search import fold
from kg.spreadsheet_text import inert
from web.i18n import t


@dataclass(frozen=True)
class Column:
    key: str  # the row's field
    title: str  # the column's heading, in the reader's language
    numeric: bool = False


def figure_columns(about: bool = True) -> list[Column]:
    """The columns of a table of figures (all figures, or one activity's without ``about``),
    in the reader's language."""
    columns = [
        Column("indicator", t("indicator")),
        Column("value", t("value"), numeric=True),
        Column("unit", t("unit")),
        Column("period", t("period")),
        Column("value_type", t("type")),
        Column("printed", t("printed")),
        Column("about", t("about")),
        Column("sources", t("source_of")),
    ]
    return [c for c in columns if about or c.key != "about"]


def text_of(value: object) -> str:
    """What a cell says: a thing's label, a list's items, a number's digits."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("label") or value.get("value") or "")
    if isinstance(value, list | tuple):
        return "; ".join(text_of(v) for v in value)
    return str(value)


def iri_of(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("iri") or "")
    if isinstance(value, list | tuple):
        return " ".join(iri_of(v) for v in value if iri_of(v))
    return ""


def _sort_key(value: object, numeric: bool) -> tuple:
    if numeric:
        number = value if isinstance(value, int | float) else None
        return (number is None, number or 0)
    text = fold(text_of(value))
    return (text == "", text)


def arrange(name: str, rows: list[dict], columns: list[Column]) -> dict:
    """The rows as the query asks: filtered by a word anywhere in the row, sorted by one
    column (missing values last), with what the headings and controls need."""
    args = request.args
    keys = {c.key: c for c in columns}
    sort = args.get(f"{name}.sort")
    sort = sort if sort in keys else None
    descending = args.get(f"{name}.order") == "desc"
    wanted = fold(args.get(f"{name}.filter", "")[:100].strip())
    shown = [
        r for r in rows if not wanted or wanted in fold(" ".join(text_of(r.get(k)) for k in keys))
    ]
    if sort is not None:
        column = keys[sort]
        present = [r for r in shown if text_of(r.get(sort)) != ""]
        missing = [r for r in shown if text_of(r.get(sort)) == ""]
        present.sort(key=lambda r: _sort_key(r.get(sort), column.numeric), reverse=descending)
        shown = present + missing
    return {
        "name": name,
        "columns": columns,
        "rows": shown,
        "total": len(rows),
        "sort": sort,
        "order": "desc" if descending else "asc",
        "filter": args.get(f"{name}.filter", "")[:100],
    }


def as_table_asks() -> bool:
    """Whether the request sorts, filters, pages or downloads a table (else the page is as
    built)."""
    asks = (".sort", ".order", ".filter", ".page")
    return any(key == "csv" or key.endswith(asks) for key in request.args)


def page_asked(param: str, total: int, size: int) -> tuple[int, int]:
    """(the page number ``param`` asks for, the number of pages) for ``total`` items shown
    ``size`` at a time: page 1 unless asked, the last past the end."""
    pages = max(1, -(-total // size))
    asked = request.args.get(param, "1")
    page = min(int(asked), pages) if asked.isdigit() and 0 < len(asked) < 7 else 1
    return max(page, 1), pages


def one_page(table: dict, size: int) -> dict:
    """The page of ``table``'s rows that ``<name>.page`` asks for (the first by default;
    past the last, the last), with what a pager needs. A table of thousands of rows is
    shown a page at a time; its CSV keeps every row."""
    total = len(table["rows"])
    page, pages = page_asked(f"{table['name']}.page", total, size)
    start = (page - 1) * size
    return {
        "rows": table["rows"][start : start + size],
        "page": page,
        "pages": pages,
        "first": start + 1 if total else 0,
        "last": min(start + size, total),
        "count": total,
        "param": f"{table['name']}.page",
    }


def wants_csv(name: str) -> bool:
    return request.args.get("csv") == name


_DECIMAL = re.compile(r"-?\d+\.\d+")


def csv_response(table: dict) -> Response:
    """The table as shown, as CSV: a column of words, and beside each column of things a
    column of their IRIs (for joining with the graph). With ``sep=;`` the cells are
    separated by semicolons and decimals written with a comma, as a spreadsheet set to
    Latvian (or most of Europe) opens a CSV file; else commas, as RFC 4180 has it."""
    semicolon = request.args.get("sep") == ";"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if semicolon else ",", lineterminator="\r\n")
    columns = table["columns"]
    linked = [c for c in columns if any(iri_of(r.get(c.key)) for r in table["rows"])]
    header = []
    for column in columns:
        header.append(column.title)
        if column in linked:
            header.append(f"{column.title} ({t('iri_column')})")
    writer.writerow(header)
    for row in table["rows"]:
        cells = []
        for column in columns:
            text = text_of(row.get(column.key))
            if semicolon and column.numeric and _DECIMAL.fullmatch(text):
                text = text.replace(".", ",")
            cells.append(inert(text))
            if column in linked:
                cells.append(inert(iri_of(row.get(column.key))))
        writer.writerow(cells)
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    name = f"{table['name']}-semicolon" if semicolon else table["name"]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
