"""Write the tables as one workbook a clerk can edit (``kg tables export``); kg.workbook
reads it back. Every cell is text, so that a spreadsheet never turns ``1.1`` into a number
or ``2019-2020`` into a date."""

from __future__ import annotations

from pathlib import Path

from kg.mapping import TABLES
from kg.mapping import read_tables
from kg.mapping.documents import CLASSES
from kg.mapping.documents import RELATIONS
from kg.mapping.plan import ROLES
from kg.mapping.sources import KINDS
from kg.tables import Problems
from kg.tables import Row
from kg.workbook import HELP_SHEET
from kg.workbook import LISTS_SHEET

# what the columns hold, in Latvian and English (a name used by several tables means the
# same in each)
HELP: dict[str, tuple[str, str]] = {
    "id": (
        "identifikators: ASCII mazie burti un defises, nemainās",
        "id: lower-case ASCII and hyphens, never changed",
    ),
    "plan": ("plāna vai pamatnostādņu id (documents)", "id of the plan or guidelines (documents)"),
    "source": (
        "avots: sources id, var ar #slide=N; vairākus atdala ar ' ; '",
        "source: a sources id, optionally #slide=N; several separated by ' ; '",
    ),
    "basis": (
        "stated (nolasīts avotā) vai inferred (secināts)",
        "stated (read in the source) or inferred",
    ),
    "note": ("piezīme angliski (projekta teksts)", "note in English (the project's text)"),
    "note_lv": ("piezīme latviski (projekta teksts)", "note in Latvian (the project's text)"),
    "title_lv": ("nosaukums latviski, kā avotā", "title in Latvian, as in the source"),
    "title_en": (
        "nosaukums angliski (projekta tulkojums)",
        "title in English (the project's rendering)",
    ),
    "name_lv": ("nosaukums latviski, kā avotā", "name in Latvian, as in the source"),
    "name_en": (
        "nosaukums angliski (projekta tulkojums)",
        "name in English (the project's rendering)",
    ),
    "label_lv": ("nosaukums latviski", "label in Latvian"),
    "label_en": ("nosaukums angliski", "label in English"),
    "status": ("izpildes statuss (saraksts)", "implementation status (list)"),
    "date": ("datums: 2021-03-31 vai 31.03.2021", "date: 2021-03-31 or 31.03.2021"),
    "value": ("skaitlis: 491000, 491 000 vai 491000,5", "number: 491000, 491 000 or 491000,5"),
    "printed": ("kā skaitlis drukāts avotā", "the number as the source prints it"),
    "period": ("perioda id (periods)", "id of a period (periods)"),
    "institution": ("institūcijas id (institutions)", "id of an institution (institutions)"),
    "role": ("loma (saraksts)", "role (list)"),
    "subject": (
        "pasākuma numurs vai rezultāta id plānā; tukšs: pats plāns",
        "measure number or result id in the plan; empty: the plan itself",
    ),
    "about": (
        "pasākuma numurs vai rezultāta id plānā; tukšs: pats plāns",
        "measure number or result id in the plan; empty: the plan itself",
    ),
    "quote": (
        "vārdi, kas precīzi nokopēti no avota (tikai atstarpes var atšķirties)",
        "the words, copied exactly from the source (only spacing may differ)",
    ),
    "table": ("tabulas nosaukums bez .csv", "the table's name without .csv"),
    "row": (
        "rindas id (structure: plan/id; involvements: plan/subject/role/institution)",
        "the row's id (structure: plan/id; involvements: plan/subject/role/institution)",
    ),
    "read": (
        "datums, kad glabātie lapas vārdi izlasīti (tukšs: nav zināms)",
        "the date the held words of the page were read (empty: not known)",
    ),
}


def _help(column: str) -> tuple[str, str]:
    if column in HELP:
        return HELP[column]
    if column.endswith("_basis"):
        of = column.removesuffix("_basis")
        return (
            f"kā zināms '{of}': stated vai inferred",
            f"how '{of}' is known: stated or inferred",
        )
    if column.endswith("_lv"):
        return ("teksts latviski", "text in Latvian")
    if column.endswith("_en"):
        return ("teksts angliski (projekta teksts)", "text in English (the project's text)")
    return (column.replace("_", " "), column.replace("_", " "))


# (table, column) -> the code list (concepts.csv scheme) its values come from
CODED = {
    ("measures.csv", "status"): "implementation-status",
    ("results.csv", "status"): "implementation-status",
    ("reported-counts.csv", "status"): "implementation-status",
    ("institutions.csv", "type"): "institution-type",
    ("indicators.csv", "unit"): "unit",
    ("observations.csv", "value_type"): "value-type",
    ("legal-acts.csv", "type"): "legal-act-type",
    ("programmes.csv", "kind"): "programme-kind",
}
FIXED = {
    ("involvements.csv", "role"): list(ROLES),
    ("document-links.csv", "relation"): list(RELATIONS),
    ("documents.csv", "class"): list(CLASSES),
    ("structure.csv", "level"): ["direction", "goal"],
    ("observations.csv", "estimated"): ["yes", "no"],
    ("sources.csv", "kind"): list(KINDS),
}
# (table, column) -> the table whose ids it names
REFERS = {
    **{(t, "plan"): "documents.csv" for t in ("structure.csv", "measures.csv", "results.csv")},
    **{(t, "plan"): "documents.csv" for t in ("involvements.csv", "indicators.csv")},
    **{(t, "plan"): "documents.csv" for t in ("outcomes.csv", "reported-counts.csv")},
    ("deadlines.csv", "document"): "documents.csv",
    ("deadlines.csv", "expects"): "documents.csv",
    ("legal-acts.csv", "approves"): "documents.csv",
    ("dataset.csv", "focus"): "documents.csv",
    ("involvements.csv", "institution"): "institutions.csv",
    ("institutions.csv", "parent"): "institutions.csv",
    ("legal-acts.csv", "issuer"): "institutions.csv",
    ("documents.csv", "publisher"): "institutions.csv",
    ("sources.csv", "publisher"): "institutions.csv",
    ("observations.csv", "indicator"): "indicators.csv",
    ("observations.csv", "period"): "periods.csv",
    ("results.csv", "period"): "periods.csv",
    ("documents.csv", "period"): "periods.csv",
    ("results.csv", "programme"): "programmes.csv",
}


def sheet_name(table: str) -> str:
    return Path(table).stem


def export(data: Path, target: Path) -> dict[str, int]:
    """Write the tables of ``data`` (a folder or a workbook) to the workbook ``target``;
    return rows per sheet. The tables are read with the build's checks first."""
    import openpyxl

    problems = Problems()
    tables = read_tables(data, problems)
    problems.raise_if_any()
    book = openpyxl.Workbook()
    book.remove(book.active)
    counts = {}
    for table, (columns, _) in TABLES.items():
        counts[sheet_name(table)] = _sheet(book, table, columns, tables[table])
    _lists(book, tables)
    for table, (columns, _) in TABLES.items():
        _validations(book, table, columns, tables)
    _help_sheet(book)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    book.save(partial)
    partial.replace(target)  # a reader never sees half a workbook
    return counts


def _sheet(book, table: str, columns: list[str], rows: list[Row]) -> int:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    sheet = book.create_sheet(sheet_name(table))
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column)
        cell.font = Font(bold=True)
        lv, en = _help(column)
        cell.comment = Comment(f"{lv}\n{en}", "lvpolicy-kg")
        sheet.column_dimensions[cell.column_letter].width = (
            40 if column in ("note", "note_lv") else 14
        )
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            text = row.values[column]
            if text:
                cell = sheet.cell(row=number, column=index, value=text)
                cell.data_type = "s"  # text, even when it starts with '='
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    return len(rows)


def _lists(book, tables: dict[str, list[Row]]) -> None:
    """One column per code list or fixed choice, on a sheet the drop-downs refer to."""
    sheet = book.create_sheet(LISTS_SHEET)
    schemes = sorted(set(CODED.values()))
    choices = {
        scheme: [r["code"] for r in tables["concepts.csv"] if r["scheme"] == scheme and r["code"]]
        for scheme in schemes
    }
    for (table, column), values in FIXED.items():
        choices[f"{sheet_name(table)}.{column}"] = values
    for index, (name, values) in enumerate(sorted(choices.items()), start=1):
        sheet.cell(row=1, column=index, value=name)
        for number, value in enumerate(values, start=2):
            sheet.cell(row=number, column=index, value=value)
    sheet.sheet_state = "hidden"


def _validations(book, table: str, columns: list[str], tables: dict[str, list[Row]]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book[sheet_name(table)]
    lists = book[LISTS_SHEET]
    names = {lists.cell(row=1, column=c).value: c for c in range(1, lists.max_column + 1)}
    last = max(len(tables[table]) + 200, 1000)  # room for rows a clerk adds
    for index, column in enumerate(columns, start=1):
        key = CODED.get((table, column)) or (
            f"{sheet_name(table)}.{column}" if (table, column) in FIXED else None
        )
        if column.endswith("basis") and key is None:
            continue
        if key is not None:
            letter = get_column_letter(names[key])
            size = lists.max_row
            source, strict = f"'{LISTS_SHEET}'!${letter}$2:${letter}${size}", True
        elif (table, column) in REFERS:
            target = REFERS[table, column]
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


def _help_sheet(book) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(HELP_SHEET, 0)
    sheet.append(["lapa / sheet", "kolonna / column", "latviski", "in English"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for table, (columns, _) in TABLES.items():
        for column in columns:
            lv, en = _help(column)
            sheet.append([sheet_name(table), column, lv, en])
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCD", (18, 18, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def write_tables(workbook: Path, folder: Path) -> list[Path]:
    """The sheets of ``workbook`` as CSV files in ``folder``, all or none: each is written
    beside its place and swapped in only when every sheet has been read without a problem."""
    import csv
    import io

    problems = Problems()
    tables = read_tables(workbook, problems)
    problems.raise_if_any()
    folder.mkdir(parents=True, exist_ok=True)
    staged = []
    for table, (columns, _) in TABLES.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row.values[c] for c in columns] for row in tables[table])
        partial = folder / f".{table}.partial"
        partial.write_text(buffer.getvalue(), encoding="utf-8")
        staged.append((partial, folder / table))
    for partial, final in staged:
        partial.replace(final)
    return [final for _, final in staged]
