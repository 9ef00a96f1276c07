"""What a round asks of each institution: its measures, their indicators and funding lines,
with the values the tables already hold (read-only) and the cells it fills in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta
from pathlib import Path

from kg.round.tables import Additions
from kg.tables.read import Problems
from kg.tables.read import Row
from kg.tables.read import read_tables
from kg.tables.schema import schema_for

MONEY = "eur"  # an indicator in this unit is a funding line: planned, granted, spent
TARGETS = ("target", "target-minimum")
# the statuses an institution may report for a period (implementation-status codes)
STATUSES = ("implemented", "in-progress", "not-started", "not-funded", "cancelled-covid19")


@dataclass(frozen=True)
class Column:
    key: str
    lv: str
    en: str
    fill: bool = False  # the institution fills it in; every other column is the round's
    kind: str = "text"  # text | number | status

    @property
    def heading(self) -> str:
        return f"{self.lv} / {self.en}"


@dataclass
class Sheet:
    name: str
    columns: tuple[Column, ...]
    rows: list[dict[str, str]] = field(default_factory=list)  # keyed by the first column

    def key(self) -> str:
        return self.columns[0].key


STATUS_SHEET = (
    Column("measure", "Pasākums", "Measure"),
    Column("title", "Nosaukums", "Title"),
    Column("previous", "Iepriekšējā perioda statuss", "Status in the previous period"),
    Column("status", "Statuss", "Status", True, "status"),
    Column("evidence", "Pamatojums", "Evidence", True),
)
INDICATOR_SHEET = (
    Column("indicator", "Rādītājs (id)", "Indicator (id)"),
    Column("measure", "Pasākums", "Measure"),
    Column("label", "Rādītājs", "Indicator"),
    Column("unit", "Mērvienība", "Unit"),
    Column("baseline", "Bāzes vērtība", "Baseline"),
    Column("target", "Mērķa vērtība periodā", "Target for the period"),
    Column("previous", "Iepriekšējā perioda vērtība", "Previous period's value"),
    Column("actual", "Faktiskā vērtība", "Actual value", True, "number"),
)
FUNDING_SHEET = (
    Column("line", "Finansējuma pozīcija (id)", "Funding line (id)"),
    Column("measure", "Pasākums", "Measure"),
    Column("label", "Pozīcija", "Line"),
    Column("planned", "Plānots periodā", "Planned for the period"),
    Column("granted", "Piešķirts", "Granted", True, "number"),
    Column("spent", "Izlietots", "Spent", True, "number"),
)
SHEETS = {"Statusi": STATUS_SHEET, "Rādītāji": INDICATOR_SHEET, "Finansējums": FUNDING_SHEET}


@dataclass
class Issue:
    """One institution's part of a round."""

    plan: str
    period: str
    previous: str | None
    institution: str
    name_lv: str
    name_en: str
    sheets: list[Sheet]

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)


class RoundError(ValueError):
    """A round cannot be opened or read: an unknown plan or period, broken tables."""


def read(data: Path) -> dict[str, list[Row]]:
    """The tables of ``data``, refusing them whole if any has a problem (as a build does)."""
    problems = Problems()
    tables = read_tables(data, problems, schema_for(data))
    problems.raise_if_any()
    return tables


def issues(tables: dict[str, list[Row]], plan: str, period: str) -> dict[str, Issue]:
    """Each responsible institution's part of the round of ``plan`` for ``period``."""
    measures = [r for r in tables["measures.csv"] if r["plan"] == plan]
    if not any(r["id"] == plan for r in tables["documents.csv"]):
        raise RoundError(f"no plan {plan!r} in documents.csv")
    periods = {r["id"]: r for r in tables["periods.csv"]}
    if period not in periods:
        raise RoundError(f"no period {period!r} in periods.csv")
    if not measures:
        raise RoundError(f"plan {plan!r} has no measures in measures.csv: nothing to report on")
    previous = previous_period(periods, period)
    labels = _status_labels(tables)
    statuses = {
        (r["measure"], r["period"]): r["status"]
        for r in tables["measure-statuses.csv"]
        if r["plan"] == plan
    }
    values = _values(tables)
    names = {
        r["id"]: (r["name_lv"], r["name_en"] or r["name_lv"]) for r in tables["institutions.csv"]
    }
    units = {r["code"]: r["label_lv"] for r in tables["concepts.csv"] if r["scheme"] == "unit"}
    by_measure = defaultdict(list)
    for indicator in tables["indicators.csv"]:
        if indicator["plan"] == plan and indicator["about"]:
            by_measure[indicator["about"]].append(indicator)
    found: dict[str, Issue] = {}
    for measure in sorted(measures, key=lambda r: _order(r["id"])):
        owner = measure["responsible"]
        if not owner:
            continue
        issue = found.setdefault(
            owner,
            Issue(
                plan,
                period,
                previous,
                owner,
                *names.get(owner, (owner, owner)),
                [Sheet(name, columns) for name, columns in SHEETS.items()],
            ),
        )
        number = measure["id"]
        issue.sheet("Statusi").rows.append(
            {
                "measure": number,
                "title": measure["title_lv"],
                "previous": labels.get(statuses.get((number, previous or ""), ""), ""),
                "status": "",
                "evidence": "",
            }
        )
        for indicator in by_measure.get(number, []):
            held = values.get(indicator["id"], {})
            if indicator["unit"] == MONEY:
                issue.sheet("Finansējums").rows.append(
                    {
                        "line": indicator["id"],
                        "measure": number,
                        "label": indicator["label_lv"],
                        "planned": held.get(("planned", period), ""),
                        "granted": "",
                        "spent": "",
                    }
                )
            else:
                target = next((held[t, period] for t in TARGETS if (t, period) in held), "")
                baseline = next((v for (t, _), v in sorted(held.items()) if t == "baseline"), "")
                issue.sheet("Rādītāji").rows.append(
                    {
                        "indicator": indicator["id"],
                        "measure": number,
                        "label": indicator["label_lv"],
                        "unit": units.get(indicator["unit"], indicator["unit"]),
                        "baseline": baseline,
                        "target": target,
                        "previous": held.get(("actual", previous or ""), ""),
                        "actual": "",
                    }
                )
    return found


def previous_period(periods: dict[str, Row], period: str) -> str | None:
    """The period that ends the day before ``period`` starts (the shortest, where several
    do: 2025 before 2026, not 2024–2025), if any."""
    first = date.fromisoformat(periods[period]["start"])
    before = (first - timedelta(days=1)).isoformat()
    ending = [p for p in periods.values() if p["end"] == before and len(p["start"]) == 10]
    return max(ending, key=lambda p: p["start"])["id"] if ending else None


def _status_labels(tables: dict[str, list[Row]]) -> dict[str, str]:
    return {
        r["code"]: r["label_lv"]
        for r in tables["concepts.csv"]
        if r["scheme"] == "implementation-status" and r["code"]
    }


def status_choices(tables: dict[str, list[Row]]) -> dict[str, str]:
    """What an institution may write in the status column: the Latvian label → the code."""
    labels = _status_labels(tables)
    return {labels[code]: code for code in STATUSES if code in labels}


def _values(tables: dict[str, list[Row]]) -> dict[str, dict[tuple[str, str], str]]:
    """indicator → (value type, period) → value, from observations.csv."""
    found: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for row in tables["observations.csv"]:
        found[row["indicator"]][row["value_type"], row["period"]] = row["value"]
    return found


def _order(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split(".") if p.isdigit())


def notice(tables: dict[str, list[Row]], issued: dict[str, Issue], on: str, due: str):
    """The round's notice as a source of its own, and its due date as a deadline of the
    plan that quotes it: the rows kg.round.collect.merge writes, and the notice's text."""
    first = next(iter(issued.values()))
    plan, period = first.plan, first.period
    source = f"round-{plan}-{period}"
    coordinator = next(
        (
            r["institution"]
            for r in tables["involvements.csv"]
            if r["plan"] == plan and not r["subject"] and r["role"] == "coordinator"
        ),
        "",
    )
    names = ", ".join(issue.name_lv for issue in issued.values())
    add = Additions()
    due_line = f"Atskaites par periodu {period} iesniedzamas līdz {due}"
    add.lines += [
        f"Atskaišu kārta: {plan}, periods {period}, izsludināta {on}",
        due_line,
        f"Atskaites sniedz: {names}",
    ]
    add.add(
        "sources.csv",
        {
            "id": source,
            "kind": "round-notice",
            "title_lv": f"Atskaišu kārta par periodu {period}",
            "title_en": f"Reporting round for the period {period}",
            "publisher": coordinator,
            "date": on,
            "file": f"sources/rounds/{source}.txt",
            "read": on,
        },
    )
    add.add(
        "deadlines.csv",
        {
            "id": source,
            "document": plan,
            "task_lv": f"Iesniegt atskaiti par periodu {period}",
            "task_en": f"Submit the return for the period {period}",
            "due": due,
            "source": source,
            "basis": "stated",
        },
    )
    add.add(
        "quotes.csv", {"table": "deadlines", "row": source, "source": source, "quote": due_line}
    )
    return add
