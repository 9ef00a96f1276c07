"""Indicators, observations (Data Cube) and outcome statements with their quotations."""

from __future__ import annotations

import pyoxigraph as ox

from kg.mapping import predicates as P
from kg.mapping.context import Context
from kg.mapping.predicates import lvp
from kg.tables.cells import written_number
from kg.tables.read import Row
from kg.terms import decimal
from kg.terms import latvian
from kg.terms import text


def map_indicators(ctx: Context, rows: list[Row]) -> None:
    scheme = ctx.ids.concept("indicator")
    ctx.facts.meta(scheme, P.TYPE, P.SCHEME)
    ctx.facts.meta(scheme, P.PREF, text("Rādītāji", "lv"))
    ctx.facts.meta(scheme, P.PREF, text("Indicators", "en"))
    ctx.facts.meta(scheme, P.DCT_TITLE, text("Rādītāji", "lv"))
    ctx.facts.meta(scheme, P.DCT_TITLE, text("Indicators", "en"))
    for row in rows:
        node = ctx.ids.id(f"indicator/{row['id']}")
        if ctx.register(row, "indicator", row["id"], node):
            _indicator(ctx, row, node, scheme)


def _indicator(ctx: Context, row: Row, node: ox.NamedNode, scheme: ox.NamedNode) -> None:
    cites, basis = ctx.cites(row), ctx.basis(row)
    unit = ctx.ref(row, "unit", "concept:unit")
    label_basis = ctx.basis(row, "label_basis", ("stated", "inferred", "editorial"))
    if not cites or basis is None or unit is None or label_basis is None:
        return
    fact = ctx.facts.fact
    fact(node, P.TYPE, lvp("Indicator"), cites, basis)
    fact(node, P.TYPE, P.CONCEPT, cites, basis)
    fact(node, P.IN_SCHEME, scheme, cites, basis)
    fact(node, P.PREF, text(row["label_lv"], "lv"), cites, label_basis)
    fact(node, P.UNIT_MEASURE, unit, cites, basis)
    ctx.known["indicator-unit"][row["id"]] = unit
    ctx.labels[node.value] = (row["label_lv"], row["label_en"] or row["label_lv"])
    indicator = ctx.about(row, node, cites, basis)
    indicator.english("label_en", P.PREF)
    indicator.english("definition_en", P.DEFINITION)
    if row["plan"] or row["about"]:
        about = ctx.in_plan(row, "about")
        about_basis = ctx.basis(row, "about_basis")
        if about is not None and about_basis is not None:
            indicator.fact(lvp("indicatorFor"), about, about_basis)
    indicator.sourced()


def map_observations(ctx: Context, rows: list[Row]) -> None:
    dataset = ctx.ids.id("dataset/outcomes")
    for row in rows:
        node = ctx.ids.id(f"observation/{row['id']}")
        if ctx.register(row, "observation", row["id"], node):
            _observation(ctx, row, node, dataset)


def _observation(ctx: Context, row: Row, node: ox.NamedNode, dataset: ox.NamedNode) -> None:
    indicator = ctx.ref(row, "indicator", "indicator")
    value_type = ctx.ref(row, "value_type", "concept:value-type")
    period = ctx.ref(row, "period", "period")
    value = ctx.convert(row, "value", decimal)
    ctx.check_printed(row)
    estimated = ctx.choice(row, "estimated", {"yes": "E", "no": "A"})
    cites, basis = ctx.cites(row), ctx.basis(row)
    if not cites or basis is None or estimated is None:
        return
    if indicator is None or value_type is None or period is None or value is None:
        return
    fact = ctx.facts.fact
    fact(node, P.TYPE, P.QB_OBSERVATION, cites, basis)
    fact(node, P.QB_DATASET, dataset, cites, basis)
    fact(node, lvp("indicator"), indicator, cites, basis)
    fact(node, lvp("valueType"), value_type, cites, basis)
    fact(node, P.REF_PERIOD, period, cites, basis)
    fact(node, P.OBS_VALUE, value, cites, basis)
    fact(node, P.OBS_STATUS, ox.NamedNode(f"{P.SDMX_CODE}obsStatus-{estimated}"), cites, basis)
    unit = ctx.known["indicator-unit"].get(row["indicator"])
    if unit is not None:
        fact(node, P.UNIT_MEASURE, unit, cites, basis)
    _observation_label(ctx, node, indicator, period, row)
    observation = ctx.about(row, node, cites, basis)
    observation.converted("printed", lvp("reportedValue"), latvian)
    observation.converted("precision", lvp("valuePrecision"), decimal)
    observation.note()
    observation.sourced()


def _observation_label(
    ctx: Context, node: ox.NamedNode, indicator: ox.NamedNode, period: ox.NamedNode, row: Row
) -> None:
    """An editorial label from the indicator's and the period's: "LR4 … (2019): 191 000"."""
    indicator_lv, indicator_en = ctx.labels.get(indicator.value, (row["indicator"],) * 2)
    period_lv, period_en = ctx.labels.get(period.value, (row["period"],) * 2)
    value_lv, value_en = _written(row["value"])
    ctx.facts.editorial(node, P.PREF, text(f"{indicator_lv} ({period_lv}): {value_lv}", "lv"))
    ctx.facts.editorial(node, P.PREF, text(f"{indicator_en} ({period_en}): {value_en}", "en"))


def _written(value: str) -> tuple[str, str]:
    """A figure as Latvian and English write it: ``491 000`` and ``491,000`` (the fraction
    kept as the table gives it)."""
    whole, _, fraction = value.partition(".")
    if not whole.lstrip("-").isdigit():
        return value, value
    lv, en = (written_number(int(whole), lang) for lang in ("lv", "en"))
    return lv + (f",{fraction}" if fraction else ""), en + (f".{fraction}" if fraction else "")


def _short(sentence: str, limit: int = 90) -> str:
    """A label from a sentence: cut at a word boundary, marked with an ellipsis."""
    sentence = sentence.strip().rstrip(";.")
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + " …"


def map_outcomes(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        node = ctx.ids.id(f"outcome/{row['id']}")
        if ctx.register(row, "outcome", row["id"], node):
            _outcome(ctx, row, node)


def _outcome(ctx: Context, row: Row, node: ox.NamedNode) -> None:
    about = ctx.in_plan(row, "about")
    cites, basis = ctx.cites(row), ctx.basis(row)
    if not cites or about is None or basis is None:
        return
    fact = ctx.facts.fact
    fact(node, P.TYPE, lvp("Outcome"), cites, basis)
    fact(node, lvp("outcomeOf"), about, cites, basis)
    if not row["quote_lv"]:
        ctx.problem(row, "quote_lv", "the quotation from the source is required")
    else:
        fact(node, lvp("quotedText"), text(row["quote_lv"], "lv"), cites, basis)
    if row["quote_lv"]:
        ctx.facts.editorial(node, P.PREF, text(_short(row["quote_lv"]), "lv"))
    if row["text_en"]:
        ctx.facts.editorial(node, P.PREF, text(_short(row["text_en"]), "en"))
    outcome = ctx.about(row, node, cites, basis)
    outcome.english("text_en", P.DCT_DESCRIPTION)
    outcome.listed("observations", lvp("hasObservation"), "observation")
    outcome.sourced()
