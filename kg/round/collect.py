"""``kg round collect``: check each returned workbook against what its round issued, write
each institution its problems, and merge the valid returns into the tables.

A return is merged whole or not at all: one error (a changed grey cell, a row that was not
issued, a status not on the list, a figure that is not a number) refuses it, and its
report says where (sheet, row, column), what was there and what is accepted. Warnings (a
status without evidence, more spent than granted) are reported and do not refuse it.

A merged return becomes a source of its own (``sources.csv``, kind ``institution-return``,
published by the institution, dated the day it was collected) with a held text: one line
per returned row, in the return's words. Each merged fact cites that source and quotes its
line (``quotes.csv``), so the graph says who reported what, when, and in which words. A
return collected again replaces the rows the earlier one gave.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from pathlib import Path

from kg.round.issue import Issue
from kg.round.issue import Sheet
from kg.round.issue import issues
from kg.round.issue import read
from kg.round.issue import status_choices
from kg.round.tables import Additions
from kg.round.tables import merge
from kg.round.words import ACCEPTED
from kg.round.words import PROBLEMS
from kg.round.workbook import read_meta
from kg.round.workbook import read_sheet
from kg.spreadsheet_text import inert
from kg.tables.cells import normalise_number
from kg.tables.read import Problems

RETURNS = "sources/returns"  # where the held texts of returns go, under the data folder


@dataclass
class Finding:
    sheet: str
    row: int | None
    column: str | None
    value: str
    key: str  # a message of kg.round.words
    error: bool = True
    values: dict[str, str] = field(default_factory=dict)

    def says(self, lang: int) -> tuple[str, str]:
        """(problem, what is accepted) in Latvian (0) or English (1)."""
        values = {"value": self.value, **self.values}
        return PROBLEMS[self.key][lang].format(**values), ACCEPTED[self.key][lang].format(**values)


@dataclass
class Outcome:
    """What became of one returned workbook."""

    path: Path
    institution: str | None
    findings: list[Finding] = field(default_factory=list)
    merged: bool = False
    facts: int = 0  # rows merged into the tables
    report: Path | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.error]


def collect(data: Path, folder: Path, reports: Path, on: date) -> list[Outcome]:
    """Check every ``*.xlsx`` in ``folder``; write a report per return into ``reports``;
    merge the valid ones into the tables of ``data`` (a folder of CSV files)."""
    tables = read(data)
    choices = status_choices(tables)
    reports.mkdir(parents=True, exist_ok=True)
    outcomes: list[Outcome] = []
    merged: list[Additions] = []
    issued: dict[tuple[str, str], dict[str, Issue]] = {}  # what each round asks, made once

    def round_of(plan: str, period: str) -> dict[str, Issue]:
        if (plan, period) not in issued:
            try:
                issued[plan, period] = issues(tables, plan, period)
            except ValueError:
                issued[plan, period] = {}
        return issued[plan, period]

    for path in sorted(folder.glob("*.xlsx")):
        outcome, additions = _check(path, round_of, choices, on)
        if not outcome.errors and additions is not None:
            outcome.merged = True
            outcome.facts = sum(len(r) for t, r in additions.rows.items() if t != "quotes.csv")
            merged.append(additions)
        outcome.report = _report(reports, outcome)
        outcomes.append(outcome)
    if merged:
        merge(data, merged)
    return outcomes


def _check(path: Path, round_of, choices, on: date) -> tuple[Outcome, Additions | None]:
    problems = Problems()
    outcome = Outcome(path, None)
    meta = read_meta(path, problems)
    if meta is None:
        detail = "; ".join(p.message for p in problems.items) or path.name
        outcome.findings.append(Finding("", None, None, detail, "unreadable"))
        return outcome, None
    outcome.institution = meta["institution"]
    issue = round_of(meta["plan"], meta["period"]).get(meta["institution"])
    if issue is None:
        outcome.findings.append(Finding("", None, None, path.name, "unknown_round"))
        return outcome, None
    returned: dict[str, dict[str, tuple[int, dict[str, str]]]] = {}
    for sheet in issue.sheets:
        rows = read_sheet(path, sheet, problems)
        if rows is None or problems.items:
            detail = "; ".join(str(p) for p in problems.items) or sheet.name
            outcome.findings.append(Finding(sheet.name, None, None, detail, "unreadable"))
            return outcome, None
        returned[sheet.name] = _compare(sheet, rows, outcome.findings)
    additions = _additions(issue, returned, choices, on, outcome.findings)
    return outcome, additions


def _compare(
    sheet: Sheet, rows: list[tuple[int, list[str]]], findings: list[Finding]
) -> dict[str, tuple[int, dict[str, str]]]:
    """The returned rows by key; every change to what the round issued is an error."""
    issued = {row[sheet.key()]: row for row in sheet.rows}
    headings = [c.heading for c in sheet.columns]
    found: dict[str, tuple[int, dict[str, str]]] = {}
    for number, cells in rows:
        cells = (cells + [""] * len(headings))[: len(headings)]
        if number == 1:
            if cells != headings:
                findings.append(Finding(sheet.name, 1, None, " | ".join(cells), "header"))
            continue
        if not any(c.strip() for c in cells):
            continue
        values = {c.key: cells[i].strip() for i, c in enumerate(sheet.columns)}
        key = values[sheet.key()]
        if key not in issued or key in found:
            findings.append(Finding(sheet.name, number, sheet.columns[0].heading, key, "not_yours"))
            continue
        for column in sheet.columns:
            if not column.fill and values[column.key] != issued[key][column.key]:
                findings.append(
                    Finding(
                        sheet.name,
                        number,
                        column.heading,
                        values[column.key],
                        "locked",
                        values={"issued": issued[key][column.key]},
                    )
                )
        found[key] = (number, values)
    return found


def _number(
    sheet: str, number: int, heading: str, text: str, findings: list[Finding]
) -> str | None:
    if not text:
        return None
    try:
        value = normalise_number(text, decimal_comma=True)
    except ValueError:
        findings.append(Finding(sheet, number, heading, text, "number"))
        return None
    if value.startswith("-"):
        findings.append(Finding(sheet, number, heading, text, "negative"))
        return None
    return value.removesuffix(".0")


def _additions(
    issue: Issue, returned, choices: dict[str, str], on: date, findings: list[Finding]
) -> Additions:
    source = f"return-{issue.plan}-{issue.period}-{issue.institution}"
    add = Additions()
    add.lines.append(
        f"{issue.name_lv}: atskaite par periodu {issue.period} ({issue.plan}), saņemta {on}"
    )
    codes = {**choices, **{code: code for code in choices.values()}}
    words = {code: label for label, code in choices.items()}

    def cite(table: str, key: str, line: str) -> None:
        """The row's fact quotes its line of the return's held text."""
        if not add.lines or add.lines[-1] != line:
            add.lines.append(line)
        add.add("quotes.csv", {"table": table, "row": key, "source": source, "quote": line})

    for number, row in returned["Statusi"].values():
        if not row["status"]:
            continue
        code = codes.get(row["status"])
        if code is None:
            findings.append(
                Finding(
                    "Statusi",
                    number,
                    "Statuss / Status",
                    row["status"],
                    "status",
                    values={"choices": ", ".join(choices)},
                )
            )
            continue
        if not row["evidence"]:
            findings.append(
                Finding("Statusi", number, "Pamatojums / Evidence", "", "no_evidence", False)
            )
        line = (
            f"Statusi, {number}. rinda: pasākums {row['measure']}; statuss: {words[code]}; "
            f"pamatojums: {row['evidence'] or '—'}; iesniegts {on}"
        )
        add.add(
            "measure-statuses.csv",
            {
                "plan": issue.plan,
                "measure": row["measure"],
                "period": issue.period,
                "status": code,
                "evidence_lv": row["evidence"],
                "reported_by": issue.institution,
                "reported_on": on.isoformat(),
                "source": source,
                "basis": "stated",
            },
        )
        cite("measure-statuses", f"{issue.plan}/{row['measure']}/{issue.period}", line)
    for number, row in returned["Rādītāji"].values():
        value = _number(
            "Rādītāji", number, "Faktiskā vērtība / Actual value", row["actual"], findings
        )
        if value is None:
            continue
        key = f"{row['indicator']}-actual-{issue.period}"
        add.add(
            "observations.csv", _observation(key, row["indicator"], "actual", value, issue, source)
        )
        cite(
            "observations",
            key,
            f"Rādītāji, {number}. rinda: {row['indicator']} (pasākums {row['measure']}); "
            f"faktiskā vērtība {issue.period}: {value}",
        )
    for number, row in returned["Finansējums"].values():
        granted = _number("Finansējums", number, "Piešķirts / Granted", row["granted"], findings)
        spent = _number("Finansējums", number, "Izlietots / Spent", row["spent"], findings)
        if granted is not None and spent is not None and float(spent) > float(granted):
            findings.append(
                Finding("Finansējums", number, "Izlietots / Spent", spent, "spent_over", False)
            )
        parts = [("granted", "piešķirts", granted), ("spent", "izlietots", spent)]
        given = [(kind, word, v) for kind, word, v in parts if v is not None]
        if not given:
            continue
        line = (
            f"Finansējums, {number}. rinda: {row['line']} (pasākums {row['measure']}); "
            + "; ".join(f"{word} {issue.period}: {v}" for _, word, v in given)
        )
        for kind, _, v in given:
            key = f"{row['line']}-{kind}-{issue.period}"
            add.add("observations.csv", _observation(key, row["line"], kind, v, issue, source))
            cite("observations", key, line)
    add.add(
        "sources.csv",
        {
            "id": source,
            "kind": "institution-return",
            "title_lv": f"{issue.name_lv}: atskaite par periodu {issue.period}",
            "title_en": f"{issue.name_en}: return for the period {issue.period}",
            "publisher": issue.institution,
            "date": on.isoformat(),
            "file": f"{RETURNS}/{source}.txt",
            "read": on.isoformat(),
        },
    )
    return add


def _observation(key: str, indicator: str, kind: str, value: str, issue: Issue, source: str):
    return {
        "id": key,
        "indicator": indicator,
        "value_type": kind,
        "value": value,
        "period": issue.period,
        "estimated": "no",
        "source": source,
        "basis": "stated",
    }


REPORT_COLUMNS = (
    "lapa / sheet",
    "rinda / row",
    "kolonna / column",
    "vērtība / value",
    "smagums / severity",
    "problēma",
    "problem",
    "pieņemams",
    "accepted",
)


def _report(reports: Path, outcome: Outcome) -> Path:
    """The institution's report: one row per finding, in Latvian and English, as CSV that
    a spreadsheet set to Latvian opens in columns (``sep=;``, UTF-8 with a BOM); every
    cell inert (kg.spreadsheet_text)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write("sep=;\r\n")
    writer.writerow(REPORT_COLUMNS)
    for f in outcome.findings:
        problem_lv, accepted_lv = f.says(0)
        problem_en, accepted_en = f.says(1)
        severity = "kļūda / error" if f.error else "brīdinājums / warning"
        cells = [f.sheet, "" if f.row is None else str(f.row), f.column or "", f.value, severity]
        writer.writerow(
            [inert(c) for c in [*cells, problem_lv, problem_en, accepted_lv, accepted_en]]
        )
    path = reports / f"{outcome.institution or outcome.path.stem}.csv"
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    return path
