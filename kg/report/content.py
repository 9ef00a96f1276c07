"""What the graph holds about a plan, for its report: counts, results, figures, funding,
what is missing, each fact with its evidence (basis, slides or pages, quoted words)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.explore.common import basis_of
from kg.explore.common import number
from kg.explore.common import value
from kg.explore.graphs import fact_graphs
from kg.explore.plan import home
from kg.explore.plan import status_code
from kg.explore.roles import ROLE_ORDER
from kg.explore.roles import role_iris
from kg.queries import checked_iri
from kg.queries import query

# Value types that are money a body asked for, planned, had or spent: the funding section.
FUNDING = ("requested", "planned", "granted", "available", "needed", "spent")
# Value types compared in the indicators' table: what was aimed at against what was achieved.
BASELINES = ("baseline",)
TARGETS = ("target", "target-minimum")
ACTUALS = ("actual", "actual-minimum")


@dataclass
class Evidence:
    """Where one fact comes from: its basis, the slides or pages, the words read there."""

    node: str
    basis: str = "stated"
    places: list[str] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (words, place)


@dataclass
class Count:
    status: str  # the status's code (``all`` for every measure)
    status_iri: str
    value: int
    printed: str | None
    evidence: Evidence


@dataclass
class Figure:
    node: str
    indicator: str
    about: str
    value_type: str  # the value type's code
    value: int | float
    unit: str | None
    period: str | None
    printed: str | None
    evidence: Evidence


@dataclass
class Outcome:
    node: str
    quote: str
    text_en: str | None
    evidence: Evidence


@dataclass
class Activity:
    iri: str
    kind: str  # measure | result
    status: str | None  # the status's code, None where no source gives it
    status_evidence: Evidence | None
    direction: str | None
    direction_basis: str | None
    goal: str | None
    goal_basis: str | None
    period: str | None
    institutions: list[tuple[str, str]] = field(default_factory=list)  # (role, institution)
    # where the status is a period's (a return): that period, its evidence, who reported it
    status_period: str | None = None
    evidence: str | None = None
    reported_by: str | None = None
    reported_on: str | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def roles(self) -> list[tuple[str, list[str]]]:
        """The institutions by role, the roles in the order pages list them."""
        grouped: dict[str, list[str]] = {}
        for role, institution in self.institutions:
            grouped.setdefault(role, []).append(institution)
        return sorted(grouped.items(), key=lambda item: ROLE_ORDER.index(item[0]))


@dataclass
class Goal:
    iri: str
    notation: str
    activities: list[Activity] = field(default_factory=list)


@dataclass
class Direction:
    iri: str
    notation: str
    goals: list[Goal] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)  # with no goal given


@dataclass
class Report:
    plan: str
    period: str | None
    act: str | None
    act_number: str | None
    act_date: str | None
    coordinator: str | None
    counts: list[Count]
    enumerated: dict[str, dict[str, int]]  # kind → status code → number in the graph
    unidentified: list[tuple[str, str, int]]  # (group, status code, number)
    directions: list[Direction]
    figures: list[Figure]  # about the plan itself, not one of its activities
    funding: list[Figure]
    activities: list[Activity]

    def count(self, status: str) -> Count | None:
        return next((c for c in self.counts if c.status == status), None)

    def indicator_rows(self) -> list[dict]:
        """Per indicator and period: its targets beside its actual values, and the
        indicator's baseline (either may be missing: then the row says so, never 0)."""
        rows: dict[tuple[str, str | None], dict] = {}
        baselines: dict[str, list[Figure]] = {}
        for figure in self.all_figures():
            if figure.value_type in BASELINES:
                baselines.setdefault(figure.indicator, []).append(figure)
                continue
            if figure.value_type not in TARGETS + ACTUALS:
                continue
            row = rows.setdefault(
                (figure.indicator, figure.period),
                {
                    "indicator": figure.indicator,
                    "about": figure.about,
                    "period": figure.period,
                    "unit": figure.unit,
                    "targets": [],
                    "actuals": [],
                },
            )
            row["targets" if figure.value_type in TARGETS else "actuals"].append(figure)
        for row in rows.values():
            row["baselines"] = baselines.get(row["indicator"], [])
        return list(rows.values())

    def funding_rows(self) -> tuple[list[str], list[dict]]:
        """The funding kinds the graph holds (in FUNDING's order) and, per line and period,
        each kind's figures side by side: planned against granted and spent."""
        rows: dict[tuple[str, str | None], dict] = {}
        for figure in self.funding:
            row = rows.setdefault(
                (figure.indicator, figure.period),
                {"indicator": figure.indicator, "about": figure.about, "period": figure.period},
            )
            row.setdefault(figure.value_type, []).append(figure)
        kinds = [k for k in FUNDING if any(k in row for row in rows.values())]
        return kinds, list(rows.values())

    def all_figures(self) -> list[Figure]:
        found = list(self.figures)
        for activity in self.activities:
            found += activity.figures
        return found

    def sources(self) -> list[str]:
        """Every slide, page or document a fact of the report cites, in first-cited order."""
        seen: dict[str, None] = {}
        for evidence in self.evidence():
            for place in evidence.places:
                seen.setdefault(place)
        return list(seen)

    def evidence(self) -> list[Evidence]:
        found = [c.evidence for c in self.counts]
        for activity in self.activities:
            if activity.status_evidence:
                found.append(activity.status_evidence)
            found += [o.evidence for o in activity.outcomes]
        found += [f.evidence for f in self.all_figures()]
        return found


def gather(
    backend: Backend, base: str, labels: Labeller, plan: str, period: str | None = None
) -> Report:
    """The report's facts for ``plan``; with ``period`` (a period IRI), only results and
    figures whose period overlaps it (the reported counts cover the whole plan)."""
    bound = [checked_iri(plan)]
    overview = home(backend, base, labels, plan)
    graphs = fact_graphs(backend, base)
    spans = _spans(backend, base)  # every period's days, read once
    keep = _overlapping(spans, period)

    counts_rows = backend.select(query("report-counts", base, plan=bound))
    activities = _activities(backend, base, plan, graphs, keep)
    reports = _status_reports(backend, base, plan, activities, period, spans)
    figures = [
        f for f in _figures(backend, base, plan) if keep(f.period) or f.value_type in BASELINES
    ]
    outcomes = _outcomes(backend, base, plan)
    nodes = [str(r["count"]) for r in counts_rows] + list(activities) + list(reports.values())
    nodes += [f.node for f in figures] + [o.node for items in outcomes.values() for o in items]
    evidence = _evidence(backend, base, graphs, nodes)

    counts = [
        Count(
            status=status_code(value(r["status"])),
            status_iri=str(r["status"]),
            value=int(str(r["value"])),
            printed=value(r.get("printed")),
            evidence=evidence[str(r["count"])],
        )
        for r in counts_rows
    ]
    for figure in figures:
        figure.evidence = evidence[figure.node]
    for activity in activities.values():
        if activity.iri in reports:
            activity.status_evidence = evidence[reports[activity.iri]]
        elif activity.status is not None:
            activity.status_evidence = evidence[activity.iri]
        for outcome in outcomes.get(activity.iri, []):
            outcome.evidence = evidence[outcome.node]
            activity.outcomes.append(outcome)
        activity.figures = [f for f in figures if f.about == activity.iri]
    _institutions(backend, base, plan, activities)
    enumerated: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for activity in activities.values():
        enumerated[activity.kind][activity.status or "unknown"] += 1
    return Report(
        plan=plan,
        period=period,
        act=(overview["act"] or {}).get("iri"),
        act_number=overview["act_number"],
        act_date=overview["act_date"],
        coordinator=(overview["coordinator"] or {}).get("iri"),
        counts=counts,
        enumerated={k: dict(v) for k, v in enumerated.items()},
        unidentified=[(u["ref"]["iri"], u["status"], u["n"]) for u in overview["unidentified"]],
        directions=_structure(backend, base, plan, list(activities.values())),
        figures=[f for f in figures if f.about == plan],
        funding=[f for f in figures if f.value_type in FUNDING],
        activities=sorted(activities.values(), key=lambda a: a.iri),
    )


def _spans(backend: Backend, base: str) -> dict[str, tuple[date, date]]:
    """Each period with dates: its first and last day."""
    return {
        str(row["period"]): (_day(str(row["start"])), _day(str(row["end"]), True))
        for row in backend.select(query("report-periods", base))
        if "start" in row and "end" in row
    }


def _overlapping(spans: dict[str, tuple[date, date]], period: str | None):
    """A test of a fact's period: None keeps all; else the periods overlapping ``period``."""
    if period is None:
        return lambda _: True
    if period not in spans:
        raise ValueError(f"no period {period.rsplit('/', 1)[-1]!r} with dates in the graph")
    start, end = spans[period]

    def keep(other: str | None) -> bool:
        span = spans.get(other or "")
        return span is not None and span[0] <= end and start <= span[1]

    return keep


def _day(text: str, last: bool = False) -> date:
    """The first (or ``last``) day of a date, month (``2019-10``) or year (``2019``)."""
    parts = [int(p) for p in text[:10].split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        if not last:
            return date(parts[0], parts[1], 1)
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date(parts[0], 12, 31) if last else date(parts[0], 1, 1)


def _activities(backend: Backend, base: str, plan: str, graphs, keep) -> dict[str, Activity]:
    found: dict[str, Activity] = {}
    for row in backend.select(query("report-activities", base, plan=[checked_iri(plan)])):
        period = value(row.get("period"))
        if row.get("kind") is not None and str(row["kind"]) == "result" and not keep(period):
            continue
        found[str(row["activity"])] = Activity(
            iri=str(row["activity"]),
            kind=str(row["kind"]),
            status=status_code(value(row["status"])) if "status" in row else None,
            status_evidence=None,
            direction=value(row.get("direction")),
            direction_basis=_basis(graphs, row.get("directionGraphs")),
            goal=value(row.get("goal")),
            goal_basis=_basis(graphs, row.get("goalGraphs")),
            period=period,
        )
    return found


def _status_reports(
    backend: Backend,
    base: str,
    plan: str,
    activities: dict[str, Activity],
    period: str | None,
    spans: dict[str, tuple[date, date]],
) -> dict[str, str]:
    """Each measure's status for ``period`` (else its latest period's) from the returns:
    set on the activity; the status report's IRI by measure (its evidence is the note's)."""

    def end(when: str) -> date:
        return spans.get(when, (date.min, date.min))[1]

    chosen: dict[str, dict] = {}
    for row in backend.select(query("report-status-reports", base, plan=[checked_iri(plan)])):
        measure, when = str(row["measure"]), str(row["period"])
        if measure not in activities or (period is not None and when != period):
            continue
        known = chosen.get(measure)
        if known is None or end(when) > end(str(known["period"])):
            chosen[measure] = row
    for measure, row in chosen.items():
        activity = activities[measure]
        activity.status = status_code(value(row["status"]))
        activity.status_period = str(row["period"])
        activity.evidence = value(row.get("evidence"))
        activity.reported_by = value(row.get("by"))
        activity.reported_on = value(row.get("on"))
    return {measure: str(row["report"]) for measure, row in chosen.items()}


def _basis(graphs, names) -> str | None:
    found = [graphs[g].basis for g in str(names or "").split() if g in graphs]
    return basis_of(" ".join(found)) if found else None


def _figures(backend: Backend, base: str, plan: str) -> list[Figure]:
    return [
        Figure(
            node=str(r["obs"]),
            indicator=str(r["indicator"]),
            about=str(r["about"]),
            value_type=status_code(value(r.get("valueType"))),
            value=number(r["value"]) or 0,
            unit=value(r.get("unit")),
            period=value(r.get("period")),
            printed=value(r.get("printed")),
            evidence=Evidence(str(r["obs"])),
        )
        for r in backend.select(query("report-figures", base, plan=[checked_iri(plan)]))
    ]


def _outcomes(backend: Backend, base: str, plan: str) -> dict[str, list[Outcome]]:
    found: dict[str, list[Outcome]] = defaultdict(list)
    for r in backend.select(query("report-outcomes", base, plan=[checked_iri(plan)])):
        found[str(r["activity"])].append(
            Outcome(str(r["outcome"]), str(r["quote"]), value(r.get("text")), Evidence(""))
        )
    return found


def _institutions(backend: Backend, base: str, plan: str, activities: dict[str, Activity]) -> None:
    """Each activity's institutions, each once, under its most specific role."""
    roles: dict[str, dict[str, str]] = defaultdict(dict)
    order = {name: i for i, name in enumerate(ROLE_ORDER)}
    rows = backend.select(query("report-roles", base, plan=[checked_iri(plan)], role=role_iris()))
    for r in rows:
        role = str(r["role"]).rsplit("#", 1)[-1]
        held = roles[str(r["activity"])]
        known = held.get(str(r["institution"]))
        if known is None or order[role] < order[known]:
            held[str(r["institution"])] = role
    for iri, held in roles.items():
        if iri in activities:
            activities[iri].institutions = sorted(
                ((role, inst) for inst, role in held.items()), key=lambda p: (order[p[0]], p[1])
            )


def _evidence(backend: Backend, base: str, graphs, nodes: list[str]) -> dict[str, Evidence]:
    found = {n: Evidence(n, basis="") for n in nodes}
    bases: dict[str, list[str]] = defaultdict(list)
    unique = sorted(set(nodes))
    for start in range(0, len(unique), 500):
        chunk = [checked_iri(n) for n in unique[start : start + 500]]
        for r in backend.select(query("report-evidence", base, node=chunk)):
            evidence = found[str(r["node"])]
            if "g" in r and str(r["g"]) in graphs:
                graph = graphs[str(r["g"])]
                bases[evidence.node].append(graph.basis)
                for place in graph.sources:
                    if place not in evidence.places:
                        evidence.places.append(place)
            if "exact" in r:
                quote = (str(r["exact"]), str(r["where"]))
                if quote not in evidence.quotes:
                    evidence.quotes.append(quote)
    for node, evidence in found.items():
        evidence.basis = basis_of(" ".join(bases[node]))
        evidence.quotes.sort()
    return found


def _structure(backend: Backend, base: str, plan: str, activities: list[Activity]):
    """Directions → goals, each with its activities; an activity with a direction but no
    goal sits under its direction."""
    directions: dict[str, Direction] = {}
    goals: dict[str, Goal] = {}
    for row in backend.select(query("report-structure", base, plan=[checked_iri(plan)])):
        d = directions.setdefault(
            str(row["direction"]), Direction(str(row["direction"]), str(row["dNotation"]))
        )
        if "goal" in row and str(row["goal"]) not in goals:
            goal = Goal(str(row["goal"]), str(row["gNotation"]))
            goals[goal.iri] = goal
            d.goals.append(goal)
    parent_of = {g.iri: d for d in directions.values() for g in d.goals}
    for activity in activities:
        if activity.goal in goals:
            goals[activity.goal].activities.append(activity)
            if activity.direction is None:
                activity.direction = parent_of[activity.goal].iri
        elif activity.direction in directions:
            directions[activity.direction].activities.append(activity)
    for d in directions.values():
        d.goals.sort(key=lambda g: _order(g.notation))
    return sorted(directions.values(), key=lambda d: _order(d.notation))


def _order(notation: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in notation.split("."))
