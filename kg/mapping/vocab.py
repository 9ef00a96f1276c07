"""Code lists (concepts.csv) and periods (periods.csv): written by the project, in graph/meta."""

from __future__ import annotations

from collections import Counter

from kg.mapping import predicates as P
from kg.mapping.context import Context
from kg.mapping.predicates import lvp
from kg.tables.read import Row
from kg.terms import date_like
from kg.terms import integer
from kg.terms import plain
from kg.terms import text
from kg.terms import web_url


def map_concepts(ctx: Context, rows: list[Row]) -> None:
    """Concepts in the order of the table: a view lists a scheme's concepts in that order."""
    schemes = {r["scheme"] for r in rows if not r["code"]}
    has_total = {r["scheme"] for r in rows if r["code"] == "all"}
    positions: Counter[str] = Counter()
    for row in rows:
        if row["scheme"] not in schemes:
            ctx.problem(
                row, "scheme", f"scheme {row['scheme']!r} has no row of its own (empty code)"
            )
            continue
        if row["code"]:
            positions[row["scheme"]] += 1
        _concept(ctx, row, row["scheme"] in has_total, positions[row["scheme"]])


def _concept(ctx: Context, row: Row, under_total: bool, position: int) -> None:
    scheme_node = ctx.ids.concept(row["scheme"])
    code = row["code"]
    node = ctx.ids.concept(row["scheme"], code)
    kind = "scheme" if not code else f"concept:{row['scheme']}"
    if not ctx.register(row, kind, code or row["scheme"], node, "code" if code else "scheme"):
        return
    meta = ctx.facts.meta
    meta(node, P.TYPE, P.SCHEME if not code else P.CONCEPT)
    meta(node, P.PREF, text(row["label_lv"], "lv"))
    meta(node, P.PREF, text(row["label_en"], "en"))
    if not code:  # a code list is a catalogue's vocabulary too: DCAT-AP asks its title
        meta(node, P.DCT_TITLE, text(row["label_lv"], "lv"))
        meta(node, P.DCT_TITLE, text(row["label_en"], "en"))
    if row["definition_en"]:
        meta(node, P.DEFINITION, text(row["definition_en"], "en"))
    if not code:
        return
    ctx.concept_labels[f"{row['scheme']}/{code}"] = (row["label_lv"], row["label_en"])
    meta(node, P.IN_SCHEME, scheme_node)
    meta(node, lvp("position"), integer(str(position)))
    if row["notation"]:
        meta(node, P.NOTATION, plain(row["notation"]))
    if under_total and code != "all":
        meta(node, P.BROADER, ctx.ids.concept(row["scheme"], "all"))
    else:
        meta(node, P.TOP_CONCEPT_OF, scheme_node)
        meta(scheme_node, P.HAS_TOP_CONCEPT, node)
    if row["close_match"]:
        match = ctx.convert(row, "close_match", web_url)
        if match is not None:
            meta(node, P.CLOSE_MATCH, match)


def map_periods(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        node = ctx.ids.id(f"period/{row['id']}")
        if not ctx.register(row, "period", row["id"], node):
            continue
        ctx.facts.meta(node, P.TYPE, P.PERIOD_OF_TIME)
        ctx.facts.meta(node, P.PREF, text(row["label_lv"], "lv"))
        ctx.facts.meta(node, P.PREF, text(row["label_en"], "en"))
        ctx.labels[node.value] = (row["label_lv"], row["label_en"])
        if not row["start"] and not row["end"]:
            ctx.problem(row, "start", "a period needs a start or an end")
        for column, predicate in (("start", P.START_DATE), ("end", P.END_DATE)):
            if row[column]:
                value = ctx.convert(row, column, date_like)
                if value is not None:
                    ctx.facts.meta(node, predicate, value)
