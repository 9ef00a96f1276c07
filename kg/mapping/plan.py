"""The plan's structure, its measures, the results reported for it, roles and counts."""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.mapping import predicates as P
from kg.mapping.context import Context
from kg.mapping.predicates import lvp
from kg.tables.cells import written_number
from kg.tables.read import Row
from kg.terms import date_like
from kg.terms import integer
from kg.terms import latvian
from kg.terms import plain
from kg.terms import text

# role -> property, for a measure or result (an activity) and for a planning document itself
ACTIVITY_ROLES = {
    "responsible": "responsibleInstitution",
    "implementer": "implementer",
    "co-implementer": "coImplementer",
    "partner": "partner",
    "commissioner": "commissioner",
    "funder": "funder",
    "involved": "involvedInstitution",
}
DOCUMENT_ROLES = {
    "coordinator": "coordinatingInstitution",
    "responsible": "leadInstitution",
    "co-responsible": "coResponsibleInstitution",
}
ROLES = {**ACTIVITY_ROLES, **DOCUMENT_ROLES}
# how an editorial note names a role, in English and Latvian
ROLE_WORDS = {
    "responsible": ("responsible institution", "atbildīgā institūcija"),
    "implementer": ("implementer", "īstenotājs"),
    "co-implementer": ("co-implementer", "līdzīstenotājs"),
    "partner": ("partner", "sadarbības partneris"),
    "commissioner": ("commissioner", "pasūtītājs"),
    "funder": ("funder", "finansētājs"),
    "involved": ("involved", "iesaistīta"),
    "coordinator": ("coordinator", "koordinators"),
    "co-responsible": ("co-responsible institution", "līdzatbildīgā institūcija"),
}
NOTATION = re.compile(r"^[1-9][0-9]*(\.[1-9][0-9]*)*$")


def map_structure(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        plan = ctx.ref(row, "plan", "doc:plan", "doc:guidelines")
        level = ctx.choice(row, "level", {"direction": 1, "goal": 2})
        if plan is None or level is None:
            continue
        if not NOTATION.match(row["id"]) or row["id"].count(".") + 1 != level:
            ctx.problem(
                row,
                "id",
                f"{row['level']} number must look like "
                f"{'1' if level == 1 else '1.2'}, not {row['id']!r}",
            )
            continue
        _component(ctx, row, plan, row["level"])


def _component(ctx: Context, row: Row, plan: ox.NamedNode, level: str) -> None:
    node = ctx.ids.part(plan, level, row["id"])
    if not ctx.register(row, f"{level}:{row['plan']}", row["id"], node):
        return
    cites, basis = ctx.cites(row), ctx.basis(row)
    if not cites or basis is None:
        return
    ctx.may_quote(row, node, cites)
    if level == "direction":
        ctx.facts.fact(plan, lvp("hasDirection"), node, cites, basis)
    else:
        parent = ctx.ref(row, "parent", f"direction:{row['plan']}")
        if parent is None:
            return
        if not row["id"].startswith(row["parent"] + "."):
            ctx.problem(
                row, "parent", f"goal {row['id']} is not numbered under direction {row['parent']}"
            )
        ctx.facts.fact(parent, lvp("hasGoal"), node, cites, basis)
    _labelled(ctx, row, node, "ActionDirection" if level == "direction" else "Goal", cites, basis)
    ctx.facts.fact(node, P.NOTATION, plain(row["id"]), cites, basis)


def _labelled(
    ctx: Context, row: Row, node: ox.NamedNode, cls: str, cites: list, basis: str
) -> None:
    ctx.facts.fact(node, P.TYPE, lvp(cls), cites, basis)
    if cls != "ReportedResult":
        _title(ctx, row, node, cites, basis)


def _title(ctx: Context, row: Row, node: ox.NamedNode, cites: list, basis: str) -> None:
    """The Latvian title under its own citations and basis; the English one is editorial."""
    if not row["title_lv"]:
        ctx.problem(row, "title_lv", "the Latvian title is required")
    else:
        ctx.facts.fact(node, P.PREF, text(row["title_lv"], "lv"), cites, basis)
    if row["title_en"]:
        ctx.facts.editorial(node, P.PREF, text(row["title_en"], "en"))


def map_measures(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        plan = ctx.ref(row, "plan", "doc:plan")
        goal = ctx.ref(row, "goal", f"goal:{row['plan']}") if plan is not None else None
        if plan is None or goal is None:
            continue
        if not NOTATION.match(row["id"]) or not row["id"].startswith(row["goal"] + "."):
            ctx.problem(row, "id", f"measure number must extend its goal's ({row['goal']}.N)")
            continue
        node = ctx.ids.part(plan, "measure", row["id"])
        if ctx.register(row, f"activity:{row['plan']}", row["id"], node):
            _measure(ctx, row, goal, node)
            if row["status"]:
                ctx.measures_by_status[row["plan"], row["status"]] += 1


def _measure(ctx: Context, row: Row, goal: ox.NamedNode, node: ox.NamedNode) -> None:
    cites, basis = ctx.cites(row), ctx.basis(row)
    if not cites or basis is None:
        return
    ctx.facts.fact(goal, lvp("hasMeasure"), node, cites, basis)
    _labelled(ctx, row, node, "Measure", cites, basis)
    activity = ctx.about(row, node, cites, basis)
    activity.fact(P.NOTATION, plain(row["id"]))
    activity.referenced("status", lvp("implementationStatus"), "concept:implementation-status")
    for column, role in (
        ("responsible", "responsibleInstitution"),
        ("co_implementers", "coImplementer"),
    ):
        activity.listed(column, lvp(role), "org")
    activity.converted("deadline", P.DCT_DATE, date_like)
    activity.note()
    activity.sourced()


def map_measure_statuses(ctx: Context, rows: list[Row]) -> None:
    """A measure's status in a reporting period, with its evidence and who reported it: one
    node per measure and period (``…/measure/1-1-1/status/2019``)."""
    for row in rows:
        plan = ctx.ref(row, "plan", "doc:plan")
        if plan is None:
            continue
        measure = ctx.known[f"activity:{row['plan']}"].get(row["measure"])
        if measure is None or "/measure/" not in measure.value:
            ctx.problem(row, "measure", f"{row['plan']} has no measure {row['measure']!r}")
            continue
        node = ox.NamedNode(f"{measure.value}/status/{row['period']}")
        key = f"{row['plan']}-{row['measure']}-{row['period']}"
        if ctx.register(row, "measure-status", key, node, "measure"):
            _measure_status(ctx, row, measure, node)


def _measure_status(ctx: Context, row: Row, measure: ox.NamedNode, node: ox.NamedNode) -> None:
    cites, basis = ctx.cites(row), ctx.basis(row)
    period = ctx.ref(row, "period", "period")
    status = ctx.ref(row, "status", "concept:implementation-status")
    if not cites or basis is None or period is None or status is None:
        return
    fact = ctx.facts.fact
    fact(node, P.TYPE, lvp("StatusReport"), cites, basis)
    fact(node, lvp("statusOf"), measure, cites, basis)
    fact(node, P.REF_PERIOD, period, cites, basis)
    fact(node, lvp("reportedStatus"), status, cites, basis)
    if row["evidence_lv"]:
        fact(node, lvp("evidence"), latvian(row["evidence_lv"]), cites, basis)
    number, period_id = row["measure"], row["period"]
    ctx.facts.editorial(node, P.PREF, text(f"{number}. pasākuma statuss: {period_id}", "lv"))
    ctx.facts.editorial(node, P.PREF, text(f"Status of measure {number}: {period_id}", "en"))
    report = ctx.about(row, node, cites, basis)
    report.english("evidence_en", lvp("evidence"))
    report.referenced("reported_by", P.ATTRIBUTED_TO, "org")
    report.converted("reported_on", P.DCT_ISSUED, date_like)
    report.note()
    report.sourced()


def map_results(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        plan = ctx.ref(row, "plan", "doc:plan")
        if plan is None:
            continue
        node = ctx.ids.part(plan, "result", row["id"])
        if ctx.register(row, f"activity:{row['plan']}", row["id"], node):
            _result(ctx, row, plan, node)


def _result(ctx: Context, row: Row, plan: ox.NamedNode, node: ox.NamedNode) -> None:
    cites = ctx.cites(row)
    title_cites = ctx.cites(row, "title_source") if row["title_source"] else cites
    title_basis = ctx.basis(row, "title_basis", ("stated", "inferred", "editorial"))
    if not cites or not title_cites or title_basis is None:
        return
    fact = ctx.facts.fact
    _labelled(ctx, row, node, "ReportedResult", cites, "stated")
    _title(ctx, row, node, title_cites, title_basis)
    fact(node, lvp("reportedFor"), plan, cites, "stated")
    links = (
        ("direction", "reportedUnderDirection", f"direction:{row['plan']}"),
        ("goal", "contributesToGoal", f"goal:{row['plan']}"),
        ("status", "implementationStatus", "concept:implementation-status"),
    )
    for column, predicate, kind in links:
        if not row[column]:
            if row[f"{column}_basis"]:
                ctx.problem(row, f"{column}_basis", f"a basis is given but no {column}")
            continue
        target = ctx.ref(row, column, kind)
        basis = ctx.basis(row, f"{column}_basis")
        if target is not None and basis is not None:
            fact(node, lvp(predicate), target, cites, basis)
    result = ctx.about(row, node, cites, "stated")
    result.referenced("programme", lvp("programme"), "programme")
    if row["period"]:  # the slides rarely say when: a period is often the plan's, inferred
        result.referenced("period", P.DCT_TEMPORAL, "period", basis=ctx.basis(row, "period_basis"))
    elif row["period_basis"]:
        ctx.problem(row, "period_basis", "a basis is given but no period")
    result.note()
    result.sourced()


def map_involvements(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        subject = ctx.in_plan(row, "subject")
        roles = ACTIVITY_ROLES if row["subject"] else DOCUMENT_ROLES
        role = ctx.choice(row, "role", roles)
        org = ctx.ref(row, "institution", "org")
        cites, basis = ctx.cites(row), ctx.basis(row)
        if None in (role, subject, org, basis) or not cites:
            continue
        ctx.facts.fact(subject, lvp(role), org, cites, basis)  # type: ignore[arg-type]
        ctx.may_quote(row, subject, cites)  # type: ignore[arg-type]
        role_en, role_lv = ROLE_WORDS[row["role"]]
        for column, lang, name, role_word in (
            ("note", "en", ctx.names[row["institution"]], role_en),
            ("note_lv", "lv", ctx.names_lv[row["institution"]], role_lv),
        ):
            if row[column]:
                note = text(f"{name} ({role_word}): {row[column]}", lang)
                ctx.facts.editorial(subject, P.EDNOTE, note)  # type: ignore[arg-type]


def map_reported_counts(ctx: Context, rows: list[Row]) -> None:
    dataset = ctx.ids.id("dataset/reported-status-counts")
    for row in rows:
        plan = ctx.ref(row, "plan", "doc:plan")
        status = ctx.ref(row, "status", "concept:implementation-status")
        value = ctx.convert(row, "value", integer)
        ctx.check_printed(row)
        cites, basis = ctx.cites(row), ctx.basis(row)
        if None in (plan, status, value, basis) or not cites:
            continue
        node = ctx.ids.id(f"observation/status-count/{row['plan']}/{row['status']}")
        if not ctx.register(
            row, "reported-count", f"{row['plan']}-{row['status']}", node, "status"
        ):
            continue
        fact = ctx.facts.fact
        fact(node, P.TYPE, lvp("ReportedCount"), cites, basis)  # type: ignore[arg-type]
        fact(node, P.TYPE, P.QB_OBSERVATION, cites, basis)  # type: ignore[arg-type]
        fact(node, P.QB_DATASET, dataset, cites, basis)  # type: ignore[arg-type]
        fact(node, lvp("countsMeasuresOf"), plan, cites, basis)  # type: ignore[arg-type]
        fact(node, lvp("refStatus"), status, cites, basis)  # type: ignore[arg-type]
        fact(node, P.OBS_VALUE, value, cites, basis)  # type: ignore[arg-type]
        status_lv, status_en = ctx.concept_labels[f"implementation-status/{row['status']}"]
        lv_figure, figure = (written_number(int(value.value), lang) for lang in ("lv", "en"))  # type: ignore[union-attr]
        ctx.facts.editorial(
            node, P.PREF, text(f"Ziņotais pasākumu skaits, {status_lv}: {lv_figure}", "lv")
        )
        ctx.facts.editorial(
            node, P.PREF, text(f"Reported number of measures, {status_en}: {figure}", "en")
        )
        count = ctx.about(row, node, cites, basis)  # type: ignore[arg-type]
        count.converted("printed", lvp("reportedValue"), latvian)
        count.sourced()
        if row["status"] != "all":
            _unidentified(ctx, row, plan, status, int(value.value), cites)  # type: ignore[arg-type, union-attr]


def _unidentified(
    ctx: Context, row: Row, plan: ox.NamedNode, status: ox.NamedNode, reported: int, cites: list
) -> None:
    """The measures a source counts under a status that no table enumerates: one node that
    says how many and that they are not identified, so that "which measure was cancelled?"
    is answered by an explicit unknown, not by nothing."""
    missing = reported - ctx.measures_by_status[row["plan"], row["status"]]
    if missing <= 0:
        return
    # the count is the source's when no measure is enumerated; a difference is arithmetic
    basis = "stated" if missing == reported else "inferred"
    node = ctx.ids.id(f"plan/{row['plan']}/unidentified/{row['status']}")
    group = ctx.about(row, node, cites, basis)
    group.fact(P.TYPE, lvp("UnidentifiedMeasures"))
    group.fact(lvp("unidentifiedMeasuresOf"), plan)
    group.fact(lvp("implementationStatus"), status)
    group.fact(lvp("measureCount"), integer(str(missing)))
    status_lv, status_en = ctx.concept_labels[f"implementation-status/{row['status']}"]
    one = missing % 10 == 1 and missing % 100 != 11  # Latvian takes the singular after 1, 21…
    lv = "neidentificēts pasākums" if one else "neidentificēti pasākumi"
    en = "unidentified measure" if missing == 1 else "unidentified measures"
    ctx.facts.editorial(node, P.PREF, text(f"{missing} {lv}: {status_lv}", "lv"))
    ctx.facts.editorial(node, P.PREF, text(f"{missing} {en}: {status_en}", "en"))
    enumerated = reported - missing
    ctx.facts.editorial(
        node,
        P.EDNOTE,
        text(
            f"The source counts {reported} measures of this plan under this status; "
            f"{enumerated} are enumerated in the graph, and no source reached "
            "identifies the others.",
            "en",
        ),
    )
    ctx.facts.editorial(
        node,
        P.EDNOTE,
        text(
            f"Avots ar šo statusu saskaita {reported} šī plāna pasākumus; grafā uzskaitīti "
            f"{enumerated}, un pārējos neviens mums pieejamais avots nenosauc.",
            "lv",
        ),
    )
    group.sourced()  # derived from the slide (or page) that gives the count
