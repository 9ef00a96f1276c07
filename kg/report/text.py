"""The report's words in a reader's language: its catalogue (``translations/``), numbers and
dates by the CLDR (Babel), labels from the graph, and the numbered notes."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from pathlib import Path

from babel.dates import format_date
from babel.dates import format_datetime
from babel.numbers import format_decimal
from markupsafe import Markup
from markupsafe import escape

from kg.config import LANGUAGES
from kg.explore.common import Labeller
from kg.printed import language_of
from kg.report.content import Evidence
from kg.report.content import Report
from kg.words import Words

FOLDER = Path(__file__).parent / "translations"
WORDS = Words(LANGUAGES, FOLDER)


@dataclass
class Notes:
    """The report's notes, numbered in the order the text first cites them; a fact cited
    twice keeps its number."""

    items: list[Evidence] = field(default_factory=list)
    _numbers: dict[str, int] = field(default_factory=dict)

    def number(self, evidence: Evidence) -> int:
        key = evidence.node
        if key not in self._numbers:
            self.items.append(evidence)
            self._numbers[key] = len(self.items)
        return self._numbers[key]


@dataclass
class Say:
    """What a template calls to write words, numbers, dates and labels in ``lang``."""

    lang: str
    labels: Labeller
    notes: Notes = field(default_factory=Notes)
    markup: bool = False  # HTML: the words are escaped, values made as markup kept

    def t(self, key: str, **values: object) -> str:
        if not self.markup:
            return WORDS.text(self.lang, key, **values)
        return Markup(escape(WORDS.text(self.lang, key))).format(**values)

    def tn(self, key: str, n: int) -> str:
        return WORDS.plural(self.lang, key, n, n=self.num(n))

    def num(self, value: float | int | None) -> str:
        return "" if value is None else format_decimal(value, locale=self.lang)

    def date(self, iso: str | None) -> str:
        if not iso:
            return ""
        try:
            return format_date(date.fromisoformat(iso[:10]), "long", locale=self.lang)
        except ValueError:
            return iso

    def moment(self, iso: str) -> str:
        """A time such as a release's publication, in the reader's words, with its zone."""
        if not iso:
            return ""
        when = datetime.fromisoformat(iso)
        return format_datetime(when, "long", tzinfo=when.tzinfo, locale=self.lang)

    def label(self, iri: str | None) -> dict:
        """``{"iri", "label", "lang", "fallback"}``: the label in the reader's language, or
        another language's (then ``lang`` marks it for the page)."""
        return self.labels.ref(iri) or {"iri": "", "label": "", "lang": None}

    def lang_of(self, words: str) -> str:
        """The language of quoted words (a source may be in English)."""
        return language_of(words) or "lv"

    def joined(self, words: list[str]) -> str:
        if len(words) < 2:
            return "".join(words)
        return f"{', '.join(words[:-1])} {self.t('and')} {words[-1]}"


def prepare(report: Report, labels: Labeller) -> None:
    """Fetch, in one query, the labels of every IRI the report names."""
    iris = {report.plan, report.act, report.coordinator, report.period}
    for count in report.counts:
        iris.add(count.status_iri)
    for direction in report.directions:
        iris.add(direction.iri)
        iris.update(g.iri for g in direction.goals)
    for activity in report.activities:
        iris.update({activity.iri, activity.period, activity.status_period, activity.reported_by})
        iris.update(inst for _, inst in activity.institutions)
        if activity.status:
            iris.add(status_iri(labels.base, activity.status))
    for by_status in report.enumerated.values():
        iris.update(status_iri(labels.base, code) for code in by_status)
    for figure in report.all_figures():
        iris.update({figure.indicator, figure.about, figure.unit, figure.period})
        iris.add(figure_type_iri(labels.base, figure.value_type))
    for evidence in report.evidence():
        iris.update(evidence.places)
    for group, _, _ in report.unidentified:
        iris.add(group)
    iris.add(status_iri(labels.base, "unknown"))  # said where no source gives a status
    labels.fetch(sorted(i for i in iris if i))


def status_iri(base: str, code: str) -> str:
    return f"{base}id/concept/implementation-status/{code}"


def figure_type_iri(base: str, code: str) -> str:
    return f"{base}id/concept/value-type/{code}"


def missing(report: Report, say: Say) -> list[str]:
    """What the report would need and the graph does not hold, in plain words."""
    items: list[str] = []
    everything = report.count("all")
    measures = report.enumerated.get("measure", {})
    named = sum(measures.values())
    if everything and not named:
        items.append(say.t("missing_table", n=say.tn("n_measures", everything.value)))
    elif everything and named < everything.value:
        items.append(
            say.t(
                "missing_fewer",
                reported=say.tn("n_measures", everything.value),
                named=say.tn("n_measures", named),
            )
        )
    empty = [g for d in report.directions for g in d.goals if not g.activities]
    if empty:
        goals = [f"{g.notation} {say.label(g.iri)['label']}" for g in empty]
        items.append(say.t("missing_goals", goals="; ".join(goals)))
    without = [
        a
        for a in report.activities
        if a.kind == "result"
        and not any(role in ("implementer", "responsibleInstitution") for role, _ in a.institutions)
    ]
    if without:
        names = [say.label(a.iri)["label"] for a in without]
        items.append(say.t("missing_implementer", results="; ".join(names)))
    no_status = [a for a in report.activities if a.status is None]
    if no_status:
        items.append(
            say.t("missing_status", items="; ".join(say.label(a.iri)["label"] for a in no_status))
        )
    rows = report.indicator_rows()
    no_target = sum(1 for r in rows if r["actuals"] and not r["targets"])
    no_actual = sum(1 for r in rows if r["targets"] and not r["actuals"])
    if no_target:
        items.append(say.t("missing_targets", n=say.num(no_target)))
    if no_actual:
        items.append(say.t("missing_actuals", n=say.num(no_actual)))
    if not any(f.value_type in ("granted", "spent") for f in report.funding):
        items.append(say.t("missing_spent"))
    return items
