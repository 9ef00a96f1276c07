"""``kg report``: a plan's report from a release, in one language and format."""

from __future__ import annotations

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.explore.plan import statuses
from kg.report import html
from kg.report.content import gather
from kg.report.office import convert
from kg.report.text import Say
from kg.report.text import prepare

FORMATS = ("html", "docx", "pdf")


def report(
    backend: Backend,
    base: str,
    plan: str,
    *,
    lang: str,
    fmt: str,
    period: str | None = None,
    release: str | None = None,
    when: str = "",
) -> bytes:
    """The report on ``plan`` (an IRI) as ``fmt``; ``release`` and ``when`` (ISO 8601) say
    which release of the graph it was written from and when that was published."""
    labels = Labeller(backend, base, lang)
    content = gather(backend, base, labels, plan, period)
    prepare(content, labels)
    say = Say(lang, labels, markup=True)
    key = "written_from" if release else "written_from_unreleased"
    written = say.t(key, release=release or "", when=say.moment(when))
    page = html.document(content, say, statuses(backend, base), written)
    if fmt == "html":
        return page.encode("utf-8")
    return convert(page, fmt)
