"""The tables' documentation, written from their schema (``kg tables docs``):
docs/tables.md is this module's output, and a test keeps it so."""

from __future__ import annotations

from kg.tables.schema import Column
from kg.tables.schema import Schema


def tables_markdown(schema: Schema) -> str:
    """Every table and column in Markdown, in English and in Latvian."""
    lines = [
        "# The source tables, column by column",
        "",
        "Written by `kg tables docs` from the tables' schema, `data/csv-metadata.json` (W3C",
        "CSV on the Web); edit the schema, not this page. `data/README.md` tells how the",
        "tables are edited and checked; `docs/extending.md` how to add a column or a table.",
        "",
        "Kinds: *text*; *number* (a spreadsheet's `491 000` and `491000,5` are read too);",
        "*date* (`2021-03-31`, `2021-03` or `2021`; `31.03.2021` is read too); *one of* a",
        "fixed list; *code* from a list of `concepts.csv`. *Required*: the cell may not be",
        "empty. *Refers to*: an id of that table. *Several*: values separated by ` ; `.",
        "",
    ]
    for table in schema:
        lines += [f"## `{table.name}`: {table.titled('en')} / {table.titled('lv')}", ""]
        lines += [f"{_sentence(table.described('en'))}.", ""]
        lines += [f"*{_sentence(table.described('lv'))}.*", ""]
        if table.key:
            lines += [f"A row is named by: {', '.join(f'`{k}`' for k in table.key)}.", ""]
        lines += ["| column | kind | holds | satur |", "|---|---|---|---|"]
        for column in table.columns:
            holds, satur = _cell(column.described("en")), _cell(column.described("lv"))
            lines.append(f"| `{column.name}` | {_cell(_kind(column))} | {holds} | {satur} |")
        lines.append("")
    return "\n".join(lines)


def _kind(column: Column) -> str:
    if column.choices:
        kind = "one of " + ", ".join(f"`{c}`" for c in column.choices)
    elif column.scheme:
        kind = f"code from `{column.scheme}`"
    else:
        kind = column.kind
    notes = [kind]
    if column.required:
        notes.append("required")
    if column.refers:
        notes.append(f"refers to `{column.refers}`")
    if column.separator:
        notes.append("several")
    return "; ".join(notes)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cell(text: str) -> str:
    """Text in a Markdown table cell: a ``|`` would end the cell."""
    return text.replace("|", "\\|")
