"""Overview pages: home, plan tree, dashboard, matrix, figures, sources, search."""

from __future__ import annotations

import dataclasses
from datetime import date

from flask import Blueprint
from flask import Response
from flask import g
from flask import jsonify
from flask import request

from kg.explore import about as about_data
from kg.explore import figures as figures_data
from kg.explore import institutions
from kg.explore import plan as plan_data
from kg.explore import rounds
from kg.explore.search import document_of
from kg.report import content as report_content
from kg.report import html as report_html
from kg.report import text as report_text
from web.charts import network_svg
from web.charts import status_bars
from web.charts import timeline
from web.conneg import wants_json
from web.errors import missing
from web.i18n import t
from web.linking import href
from web.tables import Column
from web.tables import arrange
from web.tables import as_table_asks
from web.tables import csv_response
from web.tables import figure_columns
from web.tables import one_page
from web.tables import page_asked
from web.tables import wants_csv
from web.views._shared import backend
from web.views._shared import base
from web.views._shared import kg
from web.views._shared import labeller
from web.views._shared import memo
from web.views._shared import page
from web.views._shared import pages
from web.views._shared import resolve_labels
from web.views.dumps import checksums
from web.views.dumps import held_sources
from web.views.dumps import release_facts

bp = Blueprint("browse", __name__)


def _plan(slug: str | None) -> str:
    """The plan or guidelines at ``/plans/<slug>/…``; without a slug, the one the data names
    as the site's focus (today's URLs)."""
    if slug is None:
        plan = kg()["site"]["focus"]
    else:
        index = kg()["overview_memo"].get(
            ("documents-by-slug",), lambda: plan_data.by_slug(backend(), base())
        )
        plan = index.get(slug)
    if plan is None:
        missing("no_such_plan")
    return plan


def plan_pages(rule: str, plan_rule: str, endpoint: str):
    """A page of the focus plan at ``rule`` and of any plan at ``plan_rule`` (each with its
    JSON twin)."""

    def decorator(view):
        pages(bp, rule, endpoint)(view)
        pages(bp, plan_rule, f"{endpoint}_of")(view)
        return view

    return decorator


def cached(name: str, template: str, compute, as_json: bool, extra=None, key: object = None):
    """An aggregate page, computed and rendered once per language, filter, format and key."""
    json_wanted = as_json or wants_json(request)

    def render() -> tuple[bytes, str]:
        data = compute()
        resolve_labels()  # the pictures read the labels
        if extra is not None and not json_wanted:
            data = {**data, **extra(data)}
        response = page(request, template, data, json_wanted)
        return response.get_data(), response.mimetype or "text/html"

    body, mimetype = memo(name, render, json_wanted, key)
    response = Response(body, mimetype=mimetype)
    response.headers["Vary"] = "Accept"
    return response


@plan_pages("/", "/plans/<slug>", "home")
def home(as_json: bool, slug: str | None = None):
    plan = _plan(slug)

    def compute() -> dict:
        return {**plan_data.home(backend(), base(), labeller(), plan), "slug": slug}

    if wants_csv("statuses"):
        table = status_table(memo("home-data", compute, plan))
        if not table["rows"]:
            missing("no_status_table")
        return csv_response(table)
    return cached(
        "home", "home.html", compute, as_json, lambda data: {"chart": status_bars(data)}, plan
    )


def status_table(home: dict) -> dict:
    """Home's table: per status, what the source reports, what the graph enumerates."""
    iris = {s["iri"].rsplit("/", 1)[-1]: s["iri"] for s in home["statuses"] if s}
    rows = [
        {
            "status": {"iri": iris.get(r["code"], ""), "label": r["label"]},
            "reported": t("not_given") if r["reported"] is None else r["reported"],
            "measures": r["enumerated"],
            "results": home["enumerated"].get("result", {}).get(r["code"], 0),
        }
        for r in status_bars(home)["rows"]
    ]
    columns = [
        Column("status", t("status")),
        Column("reported", t("reported"), True),
        Column("measures", t("measures_enumerated"), True),
        Column("results", t("results_cap"), True),
    ]
    return arrange("statuses", rows, columns)


@plan_pages("/plan", "/plans/<slug>/tree", "plan")
def plan(as_json: bool, slug: str | None = None):
    iri = _plan(slug)

    def compute() -> dict:
        return plan_data.tree(backend(), base(), labeller(), iri, g.inferred)

    return cached("plan", "plan.html", compute, as_json, key=iri)


@plan_pages("/dashboard", "/plans/<slug>/dashboard", "dashboard")
def dashboard(as_json: bool, slug: str | None = None):
    iri = _plan(slug)

    def compute() -> dict:
        labels = labeller()
        data = plan_data.dashboard(backend(), base(), labels, iri)
        data["by_institution"] = institutions.top_institutions(backend(), base(), labels)
        return data

    data = memo("dashboard", compute, iri)
    if as_json or wants_json(request):
        return page(request, "dashboard.html", data, True)
    if not as_table_asks():  # as it is: rendered once
        return cached(
            "dashboard",
            "dashboard.html",
            lambda: data,
            False,
            lambda d: {"tables": dashboard_tables(d)},
            iri,
        )
    tables = dashboard_tables(data)
    for table in tables.values():
        if wants_csv(table["name"]):
            return csv_response(table)
    return page(request, "dashboard.html", {**data, "tables": tables}, False)


def dashboard_tables(data: dict) -> dict[str, dict]:
    """The dashboard's four tables, each sortable, filterable and downloadable: per direction
    and per goal the measures the graph enumerates and the results reported per status."""
    statuses = [s for s in data["statuses"] if s["code"] != "all"]
    used = {code for r in data["by_direction"] for code in r.get("result", {})}
    shown = [s for s in statuses if s["code"] in used] or statuses[:1]

    def counts(rows: list[dict]) -> list[dict]:
        return [
            {
                "ref": r["ref"],
                "measures": sum(r.get("measure", {}).values()),
                **{f"r_{s['code']}": r.get("result", {}).get(s["code"], 0) for s in shown},
                "results": sum(r.get("result", {}).values()),
            }
            for r in rows
        ]

    def columns(first: str) -> list[Column]:
        return [
            Column("ref", t(first)),
            Column("measures", t("measures_enumerated"), numeric=True),
            *[Column(f"r_{s['code']}", f"{t('results_cap')}: {s['label']}", True) for s in shown],
            Column("results", f"{t('results_cap')}: {t('total').lower()}", numeric=True),
        ]

    institutions_rows = [
        {"ref": r["ref"], "activities": r["activities"]} for r in data["by_institution"]
    ]
    return {
        "directions": arrange("directions", counts(data["by_direction"]), columns("direction")),
        "goals": arrange("goals", counts(data["by_goal"]), columns("goal")),
        "institutions": arrange(
            "institutions",
            institutions_rows,
            [Column("ref", t("institution")), Column("activities", t("activities"), True)],
        ),
        "types": arrange(
            "types",
            data["by_type"],
            [
                Column("type", t("type")),
                Column("institutions", t("institutions"), True),
                Column("activities", t("activities"), True),
            ],
        ),
    }


@pages(bp, "/about", "about")
def about(as_json: bool):
    def compute() -> dict:
        labels = labeller()
        data = about_data.about(backend(), base(), labels, g.lang)
        data["sources"] = len(figures_data.all_sources(backend(), base(), labels))
        data["release"] = kg()["release"].resolve().name
        return data

    return cached("about", "about.html", compute, as_json)


@pages(bp, "/plans", "plans")
def plans(as_json: bool):
    def compute() -> dict:
        documents = plan_data.documents(backend(), base(), labeller())
        return {"documents": documents, "focus": kg()["site"]["focus"]}

    return cached(
        "plans",
        "plans.html",
        compute,
        as_json,
        lambda data: {"timeline": timeline(data["documents"])},
    )


@pages(bp, "/institutions", "institutions_az")
def institutions_az(as_json: bool):
    def compute() -> dict:
        return {"letters": institutions.a_to_z(backend(), base(), labeller())}

    return cached("institutions-az", "institutions.html", compute, as_json)


@pages(bp, "/matrix", "matrix")
def matrix(as_json: bool):
    def compute() -> dict:
        return institutions.matrix(backend(), base(), labeller(), g.inferred)

    def picture(data: dict) -> dict:
        labels = labeller()
        statuses = [labels.ref(s) or {} for s in plan_data.statuses(backend(), base())]
        return {"network": network_svg(data, statuses)}

    if wants_csv("matrix"):  # one row per institution, activity and role
        return csv_response(matrix_table(memo("matrix-data", compute)))
    return cached("matrix", "matrix.html", compute, as_json, picture)


def matrix_table(data: dict) -> dict:
    """The matrix as a long table: which institution had which role in which activity."""
    names = {i["iri"]: i for i in data["institutions"]}
    activities = {a["iri"]: a for a in data["activities"]}
    rows = [
        {
            "institution": names[cell["institution"]],
            "activity": activities[cell["activity"]],
            "role": role.get("name"),
            "basis": t(role["basis"]),
        }
        for cell in data["cells"]
        for role in cell["roles"]
    ]
    columns = [
        Column("institution", t("institution")),
        Column("activity", t("activity")),
        Column("role", t("role")),
        Column("basis", t("basis")),
    ]
    return arrange("matrix", rows, columns)


FIGURES_PAGE = 500  # rows a page of /figures shows (13,000 figures at 1M facts made 2.5 MB)


@pages(bp, "/figures", "figures")
def figures(as_json: bool):
    rows = memo("figures", lambda: figures_data.all_figures(backend(), base(), labeller()))

    def compute() -> dict:
        table = arrange("figures", rows, figure_columns())
        shown = one_page(table, FIGURES_PAGE)
        table = {**table, "rows": shown["rows"], "matched": shown["count"]}
        return {"figures": shown["rows"], "paging": {**shown, "rows": None}, "table": table}

    if wants_csv("figures"):  # every row, sorted and filtered as asked
        return csv_response(arrange("figures", rows, figure_columns()))
    if as_table_asks():  # sorted, filtered or paged: arranged for this request
        return page(request, "figures.html", compute(), as_json)
    return cached("figures-page", "figures.html", compute, as_json)  # as built: rendered once


@pages(bp, "/sources", "sources")
def sources(as_json: bool):
    def compute() -> dict:
        held = held_sources(checksums())
        found = figures_data.all_sources(backend(), base(), labeller())
        for source in found:
            source["held"] = held.get(source["ref"]["iri"].rsplit("/", 1)[-1])
            source["facts"] = sum(gr["facts"] or 0 for gr in source["graphs"])
        resolve_labels()  # the groups sort by name: the names, not the slugs they start as
        return {"sources": found, "groups": source_groups(found)}

    return cached("sources", "sources.html", compute, as_json)


KIND_ORDER = ("report", "slide-deck")  # the report and its presentation first, then the rest


def source_groups(sources: list[dict]) -> list[dict]:
    """The sources by kind (report, slide deck, web page, …), the report first; in each,
    the sources that support most facts first, then by name."""
    groups: dict[str, dict] = {}
    for source in sources:
        kind = source.get("kind") or {}
        group = groups.setdefault(
            kind.get("iri", ""), {"kind": kind or None, "sources": [], "facts": 0}
        )
        group["sources"].append(source)
        group["facts"] += source["facts"]

    def rank(item: tuple[str, dict]) -> tuple:
        code = item[0].rsplit("/", 1)[-1]
        first = KIND_ORDER.index(code) if code in KIND_ORDER else len(KIND_ORDER)
        return (first, -item[1]["facts"], item[0])

    ordered = [group for _, group in sorted(groups.items(), key=rank)]
    for group in ordered:
        group["sources"].sort(key=lambda s: (-s["facts"], (s["ref"] or {}).get("label", "")))
    return ordered


HITS_PAGE = 20  # hits a page of search results shows


@pages(bp, "/search", "search")
def search(as_json: bool):
    text = request.args.get("q", "")[:200]
    kind = request.args.get("kind") or None
    plan = request.args.get("plan") or None
    found, kinds, plans = (
        kg()["search"].find(text, g.lang, kind, plan=plan) if text.strip() else ([], {}, {})
    )
    number, pages = page_asked("page", len(found), HITS_PAGE)
    hits = found[(number - 1) * HITS_PAGE : number * HITS_PAGE]
    labels = labeller()
    for hit in hits:
        hit["kind"] = labels.ref(hit["type"])
    facets = [
        {"ref": labels.ref(iri), "iri": iri, "count": n, "chosen": iri == kind}
        for iri, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    plan_facets = [
        {"ref": labels.ref(iri), "iri": iri, "count": n, "chosen": iri == plan}
        for iri, n in sorted(plans.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    data = {
        "q": text,
        "hits": hits,
        "count": len(found),
        "total": sum(kinds.values()),
        "kind": kind,
        "facets": facets,
        "plan": plan,
        "plan_facets": plan_facets,
        "page": number,
        "pages": pages,
        "first": (number - 1) * HITS_PAGE + 1,
    }
    return page(request, "search.html", data, as_json)


@bp.route("/search/suggest")
def suggest():
    """Typeahead: a short JSON list for the search box (the page works without it)."""
    text = request.args.get("q", "")[:200]
    hits = kg()["search"].search(text, g.lang, limit=8) if len(text.strip()) >= 2 else []
    labels = labeller()
    kinds = [labels.ref(hit["type"]) or {} for hit in hits]
    # a part of a plan names its plan: two plans' direction 1 may bear the same name
    plans = [labels.ref(document_of(hit["iri"])) for hit in hits]
    resolve_labels()
    return jsonify(
        [
            {
                **hit,
                "href": href(hit["iri"]),
                "kind": kind.get("label", "") + (f" · {plan['label']}" if plan else ""),
            }
            for hit, kind, plan in zip(hits, kinds, plans, strict=True)
        ]
    )


@pages(bp, "/plans/<slug>/report", "report")
def report(as_json: bool, slug: str):
    """The informative report on a plan, written from the graph (kg.report): the page the
    command ``kg report`` writes as a file, in the site's frame."""
    iri = _plan(slug)

    def compute() -> dict:
        labels = labeller()
        content = report_content.gather(backend(), base(), labels, iri)
        report_text.prepare(content, labels)
        if as_json or wants_json(request):
            return {"report": dataclasses.asdict(content)}
        say = report_text.Say(g.lang, labels, markup=True)
        statuses = plan_data.statuses(backend(), base())
        body = report_html.body(content, say, lambda i: href(i) or i, statuses)
        served = release_facts()
        words = say.t("written_from", release=served["id"], when=say.moment(served["published"]))
        return {
            "plan": labels.ref(iri),
            "title": say.t("title", plan=say.label(iri)["label"]),
            "written": str(words),
            "body": str(body),
            "slug": slug,
            "rounds": rounds.periods(backend(), base(), labels, iri),
        }

    data = memo("report", compute, iri, as_json or wants_json(request))
    if as_json or wants_json(request):
        return jsonify(data)
    return page(request, "report.html", data, False)


@pages(bp, "/plans/<slug>/round/<period>", "round_state")
def round_state(as_json: bool, slug: str, period: str):
    """A reporting round's state: who has returned their measures' statuses for the period,
    when, and who is still awaited."""
    iri = _plan(slug)
    if not period.replace("-", "").isalnum():
        missing("no_such_round")
    period_iri = f"{base()}id/period/{period}"

    def compute() -> dict:
        labels = labeller()
        known = rounds.periods(backend(), base(), labels, iri)
        if not any(p["id"] == period for p in known):
            return {}
        return {
            "plan": labels.ref(iri),
            "slug": slug,
            "period": labels.ref(period_iri),
            "periods": known,
            "due": (due := rounds.due(backend(), base(), iri, period_iri)),
            # the day the states were judged on: the page is kept while the release is served
            "as_of": (today := date.today()).isoformat(),
            "institutions": rounds.state(backend(), base(), labels, iri, period_iri, due, today),
        }

    data = memo("round", compute, iri, period)
    if not data:
        missing("no_such_round")
    return page(request, "round.html", data, as_json)
