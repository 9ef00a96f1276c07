"""Overview pages: home, plan tree, dashboard, matrix, figures, sources, search."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import abort
from flask import g
from flask import jsonify
from flask import request

from kg.explore import figures as figures_data
from kg.explore import institutions
from kg.explore import plan as plan_data
from web.charts import network_svg
from web.charts import status_bars
from web.conneg import page
from web.conneg import wants_json
from web.i18n import t
from web.linking import href
from web.tables import Column
from web.tables import arrange
from web.tables import csv_response
from web.tables import wants_csv
from web.views._shared import backend
from web.views._shared import base
from web.views._shared import kg
from web.views._shared import labeller
from web.views._shared import memo
from web.views._shared import pages
from web.views._shared import resolve_labels

bp = Blueprint("browse", __name__)


def _plan(slug: str | None) -> str:
    """The plan or guidelines at ``/plans/<slug>/…``; without a slug, the one the data names
    as the site's focus (today's URLs)."""
    if slug is None:
        plan = kg()["site"]["focus"]
    else:
        index = kg()["memo"].get(
            ("documents-by-slug",), lambda: plan_data.by_slug(backend(), base())
        )
        plan = index.get(slug)
    if plan is None:
        abort(404, "No such plan in the graph.")
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

    return cached(
        "home", "home.html", compute, as_json, lambda data: {"chart": status_bars(data)}, plan
    )


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

    return cached("dashboard", "dashboard.html", compute, as_json, key=iri)


@pages(bp, "/plans", "plans")
def plans(as_json: bool):
    def compute() -> dict:
        documents = plan_data.documents(backend(), base(), labeller())
        return {"documents": documents, "focus": kg()["site"]["focus"]}

    return cached("plans", "plans.html", compute, as_json)


@pages(bp, "/matrix", "matrix")
def matrix(as_json: bool):
    def compute() -> dict:
        return institutions.matrix(backend(), base(), labeller(), g.inferred)

    def picture(data: dict) -> dict:
        labels = labeller()
        statuses = [labels.ref(s) or {} for s in plan_data.statuses(backend(), base())]
        return {"network": network_svg(data, statuses)}

    return cached("matrix", "matrix.html", compute, as_json, picture)


@pages(bp, "/figures", "figures")
def figures(as_json: bool):
    rows = memo("figures", lambda: figures_data.all_figures(backend(), base(), labeller()))
    table = arrange("figures", rows, FIGURE_COLUMNS())
    if wants_csv("figures"):
        return csv_response(table)
    return page(request, "figures.html", {"figures": table["rows"], "table": table}, as_json)


def FIGURE_COLUMNS() -> list[Column]:  # noqa: N802 (a table's fixed columns, in the reader's language)
    return [
        Column("indicator", t("indicator")),
        Column("value", t("value"), numeric=True),
        Column("unit", t("unit")),
        Column("period", t("period")),
        Column("value_type", t("type")),
        Column("printed", t("printed")),
        Column("about", t("about")),
        Column("sources", t("source_of")),
    ]


@pages(bp, "/sources", "sources")
def sources(as_json: bool):
    def compute() -> dict:
        return {"sources": figures_data.all_sources(backend(), base(), labeller())}

    return cached("sources", "sources.html", compute, as_json)


@pages(bp, "/search", "search")
def search(as_json: bool):
    text = request.args.get("q", "")[:200]
    hits = kg()["search"].search(text, g.lang) if text.strip() else []
    return page(request, "search.html", {"q": text, "hits": hits}, as_json)


@bp.route("/search/suggest")
def suggest():
    """Typeahead: a short JSON list for the search box (the page works without it)."""
    text = request.args.get("q", "")[:200]
    hits = kg()["search"].search(text, g.lang, limit=8) if len(text.strip()) >= 2 else []
    return jsonify([{**hit, "href": href(hit["iri"])} for hit in hits])
