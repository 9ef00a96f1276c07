"""The home page, the plan tree and the status dashboard."""

from __future__ import annotations

from collections import defaultdict

import rdflib

from kg.backends.base import Backend
from kg.backends.base import checked_iri
from kg.explore.common import Labeller
from kg.explore.common import basis_of
from kg.explore.common import count
from kg.explore.common import number
from kg.explore.common import value
from kg.explore.common import visible
from kg.queries import query

ITEMS_PER_GOAL = 100  # beyond this the goal's own page lists them all
STATUS_ORDER = ("implemented", "not-funded", "cancelled-covid19", "unknown")


def main_plan(backend: Backend, base: str) -> str | None:
    """The plan that has a structure (the one the site is about)."""
    rows = backend.select(query("plans", base))
    return str(rows[0]["plan"]) if rows else None


def status_code(iri: str | None) -> str:
    return (iri or "unknown").rsplit("/", 1)[-1]


def home(backend: Backend, base: str, labels: Labeller, plan: str) -> dict:
    rows = backend.select(query("home", base, plan=[checked_iri(plan)]))
    first = rows[0] if rows else {}
    reported = {
        status_code(value(r.get("status"))): number(r["reported"]) for r in rows if "reported" in r
    }
    enumerated: dict[str, dict[str, int]] = defaultdict(dict)
    for row in backend.select(query("enumerated", base, plan=[checked_iri(plan)])):
        enumerated[str(row["kind"])][status_code(value(row["status"]))] = count(row["n"])
    return {
        "plan": labels.ref(plan),
        "act": labels.ref(first.get("act")),
        "act_number": value(first.get("number")),
        "act_date": value(first.get("date")),
        "passed_by": labels.ref(first.get("passedBy")),
        "coordinator": labels.ref(first.get("coordinator")),
        "reported": reported,
        "enumerated": {kind: dict(counts) for kind, counts in enumerated.items()},
        "statuses": [
            labels.ref(f"{base}id/concept/implementation-status/{s}") for s in STATUS_ORDER
        ],
    }


def tree(backend: Backend, base: str, labels: Labeller, plan: str, inferred: bool) -> dict:
    """Directions → goals → measures and results; results without a (shown) goal sit
    directly under their direction."""
    bound = [checked_iri(plan)]
    rows = backend.select(query("tree", base, plan=bound))
    directions: dict[str, dict] = {}
    placed: set[str] = set()
    for row in rows:
        d = directions.setdefault(
            str(row["direction"]),
            {
                "ref": labels.ref(row["direction"]),
                "notation": str(row["dNotation"]),
                "goals": {},
                "results": [],
            },
        )
        if "goal" not in row:
            continue
        g = d["goals"].setdefault(
            str(row["goal"]),
            {"ref": labels.ref(row["goal"]), "notation": str(row["gNotation"]), "items": []},
        )
        if "activity" in row:
            basis = basis_of(row.get("bases"))
            if visible(basis, inferred):
                placed.add(str(row["activity"]))
                g["total"] = g.get("total", 0) + 1
                if len(g["items"]) < ITEMS_PER_GOAL:
                    labels.prime(str(row["activity"]), {"lv": row.get("lv"), "en": row.get("en")})
                    g["items"].append(_item(labels, row, basis))
    for row in backend.select(query("direction-results", base, plan=bound)):
        if str(row["activity"]) not in placed:
            row["kind"] = rdflib.Literal("result")
            directions[str(row["direction"])]["results"].append(
                _item(labels, row, basis_of(row.get("bases")))
            )
    return {
        "plan": labels.ref(plan),
        "directions": [{**d, "goals": list(d["goals"].values())} for d in directions.values()],
    }


def _item(labels: Labeller, row: dict, basis: str) -> dict:
    return {
        "ref": labels.ref(row["activity"]),
        "kind": str(row.get("kind", "result")),
        "status": status_code(value(row.get("status"))),
        "basis": basis,
    }


def dashboard(backend: Backend, base: str, labels: Labeller, plan: str) -> dict:
    by_direction: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_goal: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in backend.select(query("dashboard", base, plan=[checked_iri(plan)])):
        status = status_code(value(row["status"]))
        if "goal" in row:
            by_goal[str(row["goal"])][status] += count(row["n"])
        by_direction[str(row["direction"])][status] += count(row["n"])
    types = [
        {
            "type": labels.ref(r.get("type")),
            "institutions": number(r["institutions"]),
            "activities": number(r["activities"]),
        }
        for r in backend.select(query("institution-types", base))
    ]
    return {
        "by_direction": [
            {"ref": labels.ref(d), "counts": dict(c)} for d, c in by_direction.items()
        ],
        "by_goal": [{"ref": labels.ref(g), "counts": dict(c)} for g, c in sorted(by_goal.items())],
        "by_type": types,
    }
