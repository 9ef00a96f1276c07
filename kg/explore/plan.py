"""The home page, the plan tree and the status dashboard."""

from __future__ import annotations

from collections import defaultdict

import rdflib

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.explore.common import basis_of
from kg.explore.common import count
from kg.explore.common import number
from kg.explore.common import value
from kg.explore.common import visible
from kg.explore.roles import role_iris
from kg.queries import checked_iri
from kg.queries import query

ITEMS_PER_GOAL = 100  # beyond this the goal's own page lists them all
# Beyond this many measures and results in a plan, its tree is an outline: directions and
# goals with their counts, each goal's page listing its items (a plan of 50,000 measures
# made a 4 MB page; issue 23).
TREE_ITEMS = 2000


def site(backend: Backend, base: str) -> dict:
    """What the data says about the site: its short title per language and the plan it opens
    on (the dataset's primary topic, else the first plan with a structure)."""
    titles: dict[str, str] = {}
    focus = None
    for row in backend.select(query("site", base)):
        if "title" in row:
            titles.setdefault(getattr(row["title"], "language", None) or "", str(row["title"]))
        if "focus" in row:
            focus = str(row["focus"])
    if focus is None:
        rows = backend.select(query("plans", base))
        focus = str(rows[0]["plan"]) if rows else None
    return {"titles": titles, "focus": focus}


def documents(backend: Backend, base: str, labels: Labeller) -> list[dict]:
    """The policy cycle: guidelines and plans in date order, with their acts."""
    found: dict[str, dict] = {}
    for row in backend.select(query("documents", base)):
        doc = found.setdefault(
            str(row["doc"]),
            {
                "ref": labels.ref(row["doc"]),
                "kind": "guidelines" if str(row["class"]).endswith("Guidelines") else "plan",
                "date": value(row.get("date")),
                "start": value(row.get("start")),
                "end": value(row.get("end")),
                "directions": count(row.get("directions")),
                "acts": [],
                "implements": [],
            },
        )
        for key, column in (("acts", "act"), ("implements", "implements")):
            if column in row and all(r["iri"] != str(row[column]) for r in doc[key]):
                ref = labels.ref(row[column]) or {}
                if column == "act":
                    ref["date"] = value(row.get("actDate"))
                doc[key].append(ref)
    for doc in found.values():
        doc["deadlines"] = []
    for row in backend.select(query("deadlines", base)):
        if str(row["doc"]) in found:
            found[str(row["doc"])]["deadlines"].append(
                {
                    "ref": labels.ref(row["deadline"]),
                    "due": value(row["due"]),
                    "expects": labels.ref(row.get("expects")),
                }
            )
    return sorted(found.values(), key=lambda d: (d["date"] or "9999", d["ref"]["iri"]))


def by_slug(backend: Backend, base: str) -> dict[str, str]:
    """Planning documents by the last segment of their IRI (the ``/plans/<slug>`` key)."""
    rows = backend.select(query("documents", base))
    return {str(row["doc"]).rsplit("/", 1)[-1]: str(row["doc"]) for row in rows}


def statuses(backend: Backend, base: str) -> list[str]:
    """The implementation statuses (IRIs) in the order of the data's code list."""
    return [str(row["status"]) for row in backend.select(query("statuses", base))]


def _with_code(ref: dict, iri: str) -> dict:
    """The status's ref with its code (the ref itself: its label is filled in later)."""
    ref["code"] = status_code(iri)
    return ref


def status_code(iri: str | None) -> str:
    return (iri or "unknown").rsplit("/", 1)[-1]


def home(backend: Backend, base: str, labels: Labeller, plan: str) -> dict:
    rows = backend.select(query("home", base, plan=[checked_iri(plan)]))
    first = rows[0] if rows else {}
    reported = {
        status_code(value(r.get("status"))): number(r["reported"]) for r in rows if "reported" in r
    }
    # each reported count: the count itself (a page) and the slides or pages it is read from
    counts: dict[str, dict] = {}
    for r in rows:
        if "count" in r:
            code = status_code(value(r.get("status")))
            found = counts.setdefault(code, {"ref": labels.ref(r["count"]), "sources": []})
            if "countSource" in r and all(
                s["iri"] != str(r["countSource"]) for s in found["sources"]
            ):
                found["sources"].append(labels.ref(r["countSource"]))
    enumerated: dict[str, dict[str, int]] = defaultdict(dict)
    for row in backend.select(query("enumerated", base, plan=[checked_iri(plan)])):
        enumerated[str(row["kind"])][status_code(value(row["status"]))] = count(row["n"])
    unidentified = [
        {
            "ref": labels.ref(r["group"]),
            "status": status_code(value(r["status"])),
            "n": count(r["n"]),
        }
        for r in backend.select(query("unidentified", base, plan=[checked_iri(plan)]))
    ]
    return {
        "plan": labels.ref(plan),
        "act": labels.ref(first.get("act")),
        "act_number": value(first.get("number")),
        "act_date": value(first.get("date")),
        "passed_by": labels.ref(first.get("passedBy")),
        "coordinator": labels.ref(first.get("coordinator")),
        "reported": reported,
        "reported_counts": counts,
        "enumerated": {kind: dict(counts) for kind, counts in enumerated.items()},
        "unidentified": unidentified,
        "statuses": [labels.ref(s) for s in statuses(backend, base)],
    }


def tree(backend: Backend, base: str, labels: Labeller, plan: str, inferred: bool) -> dict:
    """Directions → goals → measures and results; results without a (shown) goal sit
    directly under their direction. A plan with more than TREE_ITEMS items is outlined:
    its goals with their counts (``outline``)."""
    bound = [checked_iri(plan)]
    outline = backend.select(query("tree-outline", base, plan=bound))
    items = sum(int(r["items"]) for r in outline if "items" in r)
    if items > TREE_ITEMS:
        return _outline(labels, plan, outline, items)
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


def _outline(labels: Labeller, plan: str, rows: list, items: int) -> dict:
    """Directions and goals, each goal with the number of measures and results it links."""
    directions: dict[str, dict] = {}
    for row in rows:
        d = directions.setdefault(
            str(row["direction"]),
            {
                "ref": labels.ref(row["direction"]),
                "notation": str(row["dNotation"]),
                "goals": [],
                "results": [],
            },
        )
        if "goal" in row:
            d["goals"].append(
                {
                    "ref": labels.ref(row["goal"]),
                    "notation": str(row["gNotation"]),
                    "items": [],
                    "linked": number(row.get("items")) or 0,
                }
            )
    for d in directions.values():
        d["goals"].sort(key=lambda g: _notation_order(g["notation"]))
    return {
        "plan": labels.ref(plan),
        "directions": sorted(directions.values(), key=lambda d: _notation_order(d["notation"])),
        "outline": {"items": items, "limit": TREE_ITEMS},
    }


def _notation_order(notation: str) -> tuple:
    """ "1.10" after "1.9", as a plan numbers them."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in notation.split("."))


def _item(labels: Labeller, row: dict, basis: str) -> dict:
    return {
        "ref": labels.ref(row["activity"]),
        "kind": str(row.get("kind", "result")),
        "status": status_code(value(row.get("status"))),
        "basis": basis,
    }


def _notation_key(iri: str) -> tuple:
    """``…/goal/1.10`` after ``…/goal/1.9``: components in their plan's order."""
    tail = iri.rsplit("/", 1)[-1]
    return tuple(int(p) if p.isdigit() else 0 for p in tail.split(".")), iri


def _shown(code: str, overview: dict, by_direction: dict[str, dict]) -> bool:
    """A status has a row where a source reports it or the graph holds something with it
    (the total and "unknown" always: a status a return may add, such as "in progress",
    is no row of a plan that never had it)."""
    if code in ("all", "unknown") or code in overview["reported_counts"]:
        return True
    if any(code in counts for counts in overview["enumerated"].values()):
        return True
    if any(u["status"] == code for u in overview["unidentified"]):
        return True
    return any(place["counts"].get(code) for place in by_direction.values())


def dashboard(backend: Backend, base: str, labels: Labeller, plan: str) -> dict:
    """Per direction and per goal (every goal, also one with nothing in the graph): the
    measures the graph enumerates and the results reported, each per status."""
    bound = [checked_iri(plan)]

    def empty():
        return {
            "counts": defaultdict(int),
            "measure": defaultdict(int),
            "result": defaultdict(int),
        }

    by_direction: dict[str, dict] = {}
    by_goal: dict[str, dict] = {}
    for row in backend.select(query("plan-goals", base, plan=bound)):
        by_direction.setdefault(str(row["direction"]), empty())
        if "goal" in row:
            by_goal.setdefault(str(row["goal"]), empty())
    for row in backend.select(query("dashboard", base, plan=bound)):
        status, kind, n = status_code(value(row["status"])), str(row["kind"]), count(row["n"])
        places = [by_direction.setdefault(str(row["direction"]), empty())]
        if "goal" in row:
            places.append(by_goal.setdefault(str(row["goal"]), empty()))
        for place in places:
            place["counts"][status] += n
            place[kind][status] += n

    def rows(found: dict[str, dict]) -> list[dict]:
        return [
            {"ref": labels.ref(iri), **{k: dict(v) for k, v in counts.items()}}
            for iri, counts in sorted(found.items(), key=lambda kv: _notation_key(kv[0]))
        ]

    types = [
        {
            "type": labels.ref(r.get("type")),
            "institutions": number(r["institutions"]),
            "activities": number(r["activities"]),
        }
        for r in backend.select(query("institution-types", base, role=role_iris()))
    ]
    overview = home(backend, base, labels, plan)
    return {
        "plan": labels.ref(plan),
        "statuses": [
            _with_code(labels.ref(s) or {}, s)
            for s in statuses(backend, base)
            if _shown(status_code(s), overview, by_direction)
        ],
        "by_direction": rows(by_direction),
        "by_goal": rows(by_goal),
        "overview": overview,
        "by_type": types,
    }
