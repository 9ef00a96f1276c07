"""The report as HTML: a standalone document (``kg report --format html``) or the body of
the site's page (``/plans/<id>/report``), from one template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2

from kg.report.content import Report
from kg.report.text import Say
from kg.report.text import figure_type_iri
from kg.report.text import missing
from kg.report.text import status_iri

TEMPLATES = Path(__file__).parent / "templates"
ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)


def context(report: Report, say: Say, href: Callable[[str], str], statuses: list[str]) -> dict:
    """What the report's template reads. ``statuses`` are the code list's status IRIs in
    order; a status shows where a source reports it or the graph enumerates it."""
    base = say.labels.base
    codes = [iri.rsplit("/", 1)[-1] for iri in statuses]
    shown = {c.status for c in report.counts}
    for by_status in report.enumerated.values():
        shown.update(by_status)
    order = [c for c in codes if c in shown or c == "all"]
    order += sorted(shown - set(order))

    def enumerated(kind: str, code: str) -> int:
        found = report.enumerated.get(kind, {})
        return sum(found.values()) if code == "all" else found.get(code, 0)

    return {
        "r": report,
        "s": say,
        "href": href,
        "status_order": order,
        "status_iris": {c: status_iri(base, c) for c in {*order, "unknown"}},
        "type_iris": {
            f.value_type: figure_type_iri(base, f.value_type) for f in report.all_figures()
        },
        "enumerated": enumerated,
        "missing": missing(report, say),
    }


def body(report: Report, say: Say, href: Callable[[str], str], statuses: list[str]) -> str:
    """The report's sections, for a page that gives its own frame."""
    return ENV.get_template("report-body.html").render(context(report, say, href, statuses))


def document(report: Report, say: Say, statuses: list[str], written_from: str) -> str:
    """The whole report as one HTML file: links go to the IRIs themselves."""
    values = context(report, say, lambda iri: iri, statuses)
    return ENV.get_template("report.html").render(values, written_from=written_from)
