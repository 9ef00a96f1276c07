"""Named programmes (programmes.csv) and follow-up deadlines (deadlines.csv)."""

from __future__ import annotations

import pyoxigraph as ox

from kg.mapping import predicates as P
from kg.mapping.context import Context
from kg.mapping.predicates import lvp
from kg.tables.read import Row
from kg.terms import date_like
from kg.terms import text


def map_programmes(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        node = ctx.ids.id(f"programme/{row['id']}")
        if ctx.register(row, "programme", row["id"], node):
            _programme(ctx, row, node)


def _programme(ctx: Context, row: Row, node: ox.NamedNode) -> None:
    cites, basis = ctx.cites(row), ctx.basis(row)
    kind = ctx.ref(row, "kind", "concept:programme-kind")
    if not cites or basis is None or kind is None:
        return
    programme = ctx.about(row, node, cites, basis)
    programme.fact(P.TYPE, lvp("Programme"))
    if not row["name_lv"]:
        ctx.problem(row, "name_lv", "the Latvian name is required")
    else:
        programme.fact(P.PREF, text(row["name_lv"], "lv"))
    programme.english("name_en", P.PREF)
    ctx.facts.editorial(node, P.DCT_TYPE, kind)
    programme.note()
    programme.sourced()


def map_deadlines(ctx: Context, rows: list[Row]) -> None:
    """Tasks with due dates that a document's approving act sets; the task's words are the
    project's (editorial), its date and what it expects are the source's."""
    for row in rows:
        document = ctx.ref(row, "document", "doc")
        if document is None:
            continue
        node = ox.NamedNode(f"{document.value}/deadline/{row['id']}")
        if not ctx.register(row, f"deadline:{row['document']}", row["id"], node):
            continue
        cites, basis = ctx.cites(row), ctx.basis(row)
        due = ctx.convert(row, "due", date_like)
        if not cites or basis is None or due is None:
            continue
        deadline = ctx.about(row, node, cites, basis)
        deadline.fact(P.TYPE, lvp("FollowUpDeadline"))
        deadline.fact(lvp("setBy"), document)
        deadline.fact(lvp("dueDate"), due)
        deadline.referenced("expects", lvp("expects"), "doc")
        for lang in ("lv", "en"):
            if not row[f"task_{lang}"]:
                ctx.problem(row, f"task_{lang}", "a value is required")
            else:
                ctx.facts.editorial(node, P.PREF, text(row[f"task_{lang}"], lang))
        deadline.sourced()
