"""What every view needs: the backend, the base, the plan, a labeller in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint
from flask import Request
from flask import Response
from flask import current_app
from flask import g
from flask import has_request_context
from flask import jsonify
from flask import render_template
from flask import request

from kg.backends import Backend
from kg.explore.common import Labeller
from web.conneg import wants_json
from web.labels import vocabulary_labels


def kg() -> dict:
    return current_app.extensions["kg"]


def backend() -> Backend:
    return kg()["backend"]


def base() -> str:
    return current_app.config["BASE"]


def labeller() -> Labeller:
    """The request's labeller, in the reader's language, sharing the process's label cache:
    one per request, so that the labels a page needs are fetched together (resolve_labels)."""
    if "labeller" not in g:
        g.labeller = Labeller(
            backend(), base(), g.get("lang", "lv"), kg()["labels"], known=vocabulary_labels()
        )
    return g.labeller


def resolve_labels() -> None:
    """Fetch, in one query, the labels of every ref the request's views handed out."""
    if "labeller" in g:
        g.labeller.resolve()


def pages(bp: Blueprint, rule: str, endpoint: str) -> Callable:
    """Register a page at ``rule`` and at ``rule.json`` (its JSON twin)."""

    def decorator(view: Callable) -> Callable:
        bp.add_url_rule(rule, endpoint, view, defaults={"as_json": False})
        bp.add_url_rule(
            f"{rule.rstrip('/') or '/index'}.json",
            f"{endpoint}_json",
            view,
            defaults={"as_json": True},
        )
        return view

    return decorator


def memo(name: str, compute: Callable, *key: object):
    """``compute()`` once per (page, language, inferred filter, key, URL) while the release
    is served; what is kept has its labels filled in. The URL is part of the key: a page
    links to itself (the language switch keeps its path and query), so ``/plan`` and
    ``/plans/<focus>/tree`` are two pages, and each URL gives the same bytes, and ETag, in
    every process, whichever was asked first."""

    def computed():
        value = compute()
        resolve_labels()
        return value

    where = request.full_path if has_request_context() else ""
    # a page per thing (thousands of them) has a memo of its own: a crawl of institutions
    # never evicts the overview pages, the dearest to compute
    store = kg()["memo"] if name in PER_THING else kg()["overview_memo"]
    return store.get((name, g.get("lang"), g.get("inferred"), *key, where), computed)


PER_THING = {"slide", "institution", "partners", "diff"}


def page(request: Request, template: str, data: dict, json_suffix: bool = False) -> Response:
    """Render ``data`` as HTML, or as JSON when asked by suffix or Accept."""
    resolve_labels()
    if json_suffix or wants_json(request):
        response = jsonify(data)
    else:
        response = Response(render_template(template, **data))
    response.headers["Vary"] = "Accept"
    return response
