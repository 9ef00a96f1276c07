"""A plan's reporting rounds: for a period, which institutions have returned their measures'
statuses, when, and which are still awaited (kg round collect writes what this reads)."""

from __future__ import annotations

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


def state(backend: Backend, base: str, labels: Labeller, plan: str, period: str) -> list[dict]:
    """Per responsible institution: its measures, how many have a status for ``period``,
    and the returns (sources) they came from, with the day each was issued."""
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
                "state": _state(measures, reported),
                "returns": [
                    {"ref": labels.ref(source), "on": on}
                    for source, on in sorted(entry["returns"].items())
                ],
            }
        )
    order = {"awaited": 0, "partly": 1, "returned": 2}
    return sorted(result, key=lambda e: (order[e["state"]], e["ref"]["iri"]))


def _state(measures: int, reported: int) -> str:
    if reported == measures:
        return "returned"
    return "partly" if reported else "awaited"
