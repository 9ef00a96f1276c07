"""A plan's reporting rounds: for a period, which institutions have returned their measures'
statuses, when, and which are still awaited (kg round collect writes what this reads)."""

from __future__ import annotations

from datetime import date

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.explore.common import value
from kg.queries import checked_iri
from kg.queries import query


def periods(backend: Backend, base: str, labels: Labeller, plan: str) -> list[dict]:
    """The periods the plan's measures have statuses for, oldest first."""
    rows = backend.select(query("round-periods", base, plan=[checked_iri(plan)]))
    return [
        {"ref": labels.ref(r["period"]), "id": str(r["period"]).rsplit("/", 1)[-1]} for r in rows
    ]


def due(backend: Backend, base: str, plan: str, period: str) -> str | None:
    """The day the round's returns are due, where kg round open --due recorded one."""
    slug, period_id = plan.rsplit("/", 1)[-1], period.rsplit("/", 1)[-1]
    deadline = checked_iri(f"{plan}/deadline/round-{slug}-{period_id}")
    rows = backend.select(query("round-due", base, deadline=[deadline]))
    return value(rows[0]["due"]) if rows else None


def state(
    backend: Backend,
    base: str,
    labels: Labeller,
    plan: str,
    period: str,
    due_on: str | None = None,
    today: date | None = None,
) -> list[dict]:
    """Per responsible institution: its measures, how many have a status for ``period``,
    the returns (sources) they came from with the day each was issued, and its state:
    returned (late, if after ``due_on``), partly returned, awaited, or late once ``today``
    is past ``due_on``."""
    rows = backend.select(
        query("round-state", base, plan=[checked_iri(plan)], period=[checked_iri(period)])
    )
    found: dict[str, dict] = {}
    for row in rows:
        institution = str(row["institution"])
        entry = found.setdefault(
            institution,
            {"ref": labels.ref(institution), "measures": set(), "reported": set(), "returns": {}},
        )
        entry["measures"].add(str(row["measure"]))
        if "report" in row:
            entry["reported"].add(str(row["measure"]))
            if "source" in row:
                entry["returns"][str(row["source"])] = value(row.get("on"))
    result = []
    for entry in found.values():
        measures, reported = len(entry["measures"]), len(entry["reported"])
        result.append(
            {
                "ref": entry["ref"],
                "measures": measures,
                "reported": reported,
                "state": _state(
                    measures, reported, entry["returns"], due_on, today or date.today()
                ),
                "returns": [
                    {"ref": labels.ref(source), "on": on}
                    for source, on in sorted(entry["returns"].items())
                ],
            }
        )
    order = {"late": 0, "awaited": 1, "partly": 2, "returned_late": 3, "returned": 4}
    return sorted(result, key=lambda e: (order[e["state"]], e["ref"]["iri"]))


def _state(measures: int, reported: int, returns: dict, due_on: str | None, today: date) -> str:
    if reported == measures:
        after = due_on is not None and any(on and on[:10] > due_on for on in returns.values())
        return "returned_late" if after else "returned"
    if due_on is not None and today.isoformat() > due_on:
        return "late"
    return "partly" if reported else "awaited"
