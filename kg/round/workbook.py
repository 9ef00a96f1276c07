"""A round's workbook (openpyxl): written for one institution, read back safely.

Written: a sheet per part (statuses, indicators, funding), a bold, frozen header in Latvian
and English, the round's columns locked and grey, the institution's columns unlocked and
white, a drop-down of the statuses and a number check on figures, the sheets protected
against accidental edits (no password: protection is a help, not the check; collect
compares every locked cell with what was issued), and a hidden sheet naming the plan,
period and institution. Read: through kg.tables.workbook, which refuses oversized archives
and formulas before anything is read.
"""

from __future__ import annotations

from pathlib import Path

from kg.round.issue import Issue
from kg.round.issue import Sheet
from kg.tables.read import Problems
from kg.tables.workbook import sheet_records

META = "kg"  # the hidden sheet: which round and institution the workbook belongs to
ABOUT = "Par atskaiti"
LOCKED_FILL = "EEEEEE"


def write(issue: Issue, statuses: list[str], path: Path) -> None:
    """The workbook of ``issue`` at ``path``; ``statuses`` are the drop-down's words."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.styles import PatternFill
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    about = book.active
    about.title = ABOUT
    for line in _about(issue):
        about.append(line)
    about["A1"].font = Font(bold=True, size=13)
    about.column_dimensions["A"].width = 100
    grey = PatternFill("solid", fgColor=LOCKED_FILL)
    for sheet in issue.sheets:
        ws = book.create_sheet(sheet.name)
        ws.append([c.heading for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for row in sheet.rows:
            ws.append([row[c.key] for c in sheet.columns])
        last = len(sheet.rows) + 1
        for index, column in enumerate(sheet.columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            wide = column.key in ("title", "label", "evidence")
            ws.column_dimensions[letter].width = 48 if wide else 18
            for number in range(2, last + 1):
                cell = ws.cell(row=number, column=index)
                if column.fill:
                    cell.protection = Protection(locked=False)
                else:
                    cell.fill = grey
            if column.fill and last >= 2:
                rule = _rule(column.kind, statuses, DataValidation)
                if rule is not None:
                    rule.add(f"{letter}2:{letter}{last}")
                    ws.add_data_validation(rule)
        ws.protection.sheet = True
    meta = book.create_sheet(META)
    for key, value in (
        ("plan", issue.plan),
        ("period", issue.period),
        ("institution", issue.institution),
    ):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    book.save(path)


def _rule(kind: str, statuses: list[str], DataValidation):  # noqa: N803 (openpyxl's class)
    if kind == "status":
        listed = '"' + ",".join(statuses) + '"'
        rule = DataValidation(type="list", formula1=listed, allow_blank=True)
        rule.errorStyle = "stop"
        rule.error = "Izvēlieties statusu no saraksta / choose a status from the list"
        return rule
    if kind == "number":
        rule = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        rule.errorStyle = "warning"
        rule.error = "Ierakstiet skaitli (0 vai vairāk) / write a number (0 or more)"
        return rule
    return None


def _about(issue: Issue) -> list[list[str]]:
    previous = issue.previous or "—"
    return [
        [f"Atskaite par periodu {issue.period} / Return for the period {issue.period}"],
        [f"Plāns / plan: {issue.plan}"],
        [f"Institūcija / institution: {issue.name_lv} ({issue.institution})"],
        [f"Iepriekšējais periods / previous period: {previous}"],
        [""],
        ["Aizpildiet baltās šūnas lapās Statusi, Rādītāji un Finansējums; pelēkās ir plāna dati."],
        ["Fill in the white cells of Statusi, Rādītāji and Finansējums; grey ones are the plan's."],
        ["Nepievienojiet un nedzēsiet rindas, nemainiet pelēkās šūnas: tādu atskaiti nepieņem."],
        ["Do not add or delete rows or change grey cells: such a return is refused."],
        ["Skaitļus rakstiet bez vienībām (10000 vai 10 000); statusu izvēlieties no saraksta."],
        ["Write numbers without units (10000 or 10 000); choose the status from the list."],
    ]


def read_meta(path: Path, problems: Problems) -> dict[str, str] | None:
    """The plan, period and institution the workbook names, or None (with a problem)."""
    records = sheet_records(path, META, f"{path.name} sheet {META}", problems)
    if records is None:
        return None
    found = {cells[0]: cells[1] for _, cells in _pairs(records)}
    if not {"plan", "period", "institution"} <= set(found):
        problems.add(path.name, None, None, "not a workbook of a reporting round (kg round open)")
        return None
    return found


def _pairs(records):
    """Each row of the two-column meta sheet (its first row is data, not a header)."""
    for number, cells in records:
        if len(cells) >= 2 and cells[0]:
            yield number, cells


def read_sheet(path: Path, sheet: Sheet, problems: Problems) -> list[tuple[int, list[str]]] | None:
    """The rows (number, cells) of ``sheet`` as returned, header first, or None."""
    records = sheet_records(path, sheet.name, f"{path.name} sheet {sheet.name}", problems)
    return None if records is None else list(records)
