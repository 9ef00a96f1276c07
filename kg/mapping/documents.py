"""Planning documents, the legal acts that approved them, and the links between them."""

from __future__ import annotations

import pyoxigraph as ox

from kg.mapping import predicates as P
from kg.mapping.context import Context
from kg.mapping.context import Subject
from kg.mapping.predicates import lvp
from kg.tables.cells import english_date
from kg.tables.read import Row
from kg.terms import date_like
from kg.terms import latvian
from kg.terms import plain
from kg.terms import text
from kg.terms import web_url

CLASSES = {"plan": "PolicyPlan", "guidelines": "PolicyGuidelines", "report": "ImplementationReport"}
# relation -> (predicate, subject kinds, object kinds)
RELATIONS = {
    "implements": ("implementsGuidelines", ("doc:plan",), ("doc:guidelines",)),
    "preceded-by": ("precededBy", ("doc:plan", "doc:guidelines"), ("doc:plan", "doc:guidelines")),
    "reports-on": ("reportsOn", ("doc:report",), ("doc:plan",)),
    "presents": ("presents", ("source",), ("doc:report",)),
    "presented-to": ("presentedTo", ("source",), ("org",)),
}

# how an editorial note names the relation it is about, in English and Latvian
RELATION_WORDS = {
    "implements": ("Implements", "Īsteno"),
    "preceded-by": ("Preceded by", "Iepriekšējais:"),
    "reports-on": ("Reports on", "Ziņo par"),
    "presents": ("Presents", "Prezentē"),
    "presented-to": ("Presented to", "Prezentēts:"),
}


def map_documents(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        cls = ctx.choice(row, "class", CLASSES)
        if cls is None:
            continue
        node = ctx.ids.document(row["class"], row["id"])
        if not ctx.register(row, "doc", row["id"], node):
            continue
        ctx.known[f"doc:{row['class']}"][row["id"]] = node
        ctx.names[row["id"]] = row["title_en"] or row["title_lv"]
        ctx.names_lv[row["id"]] = row["title_lv"]
        _document(ctx, row, node, cls)


def _document(ctx: Context, row: Row, node: ox.NamedNode, cls: str) -> None:
    cites, basis = ctx.cites(row), ctx.basis(row)
    if not cites or basis is None:
        return
    doc = ctx.about(row, node, cites, basis)
    doc.fact(P.TYPE, lvp(cls))
    doc.fact(P.PREF, text(row["title_lv"], "lv"))
    doc.english("title_en", P.PREF)
    doc.converted("date", P.DCT_DATE, date_like)
    doc.referenced("period", P.DCT_TEMPORAL, "period")
    doc.referenced("publisher", P.DCT_PUBLISHER, "org")
    doc.note()
    doc.sourced()


def map_legal_acts(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        node = ctx.ids.id(f"legal-act/{row['id']}")
        if ctx.register(row, "legal-act", row["id"], node):
            _legal_act(ctx, row, node)


def _legal_act(ctx: Context, row: Row, node: ox.NamedNode) -> None:
    cites, basis = ctx.cites(row), ctx.basis(row)
    kind = ctx.ref(row, "type", "concept:legal-act-type")
    issuer = ctx.ref(row, "issuer", "org")
    approves = ctx.ref(row, "approves", "doc")
    date = ctx.convert(row, "date", date_like)
    if not cites or basis is None or None in (kind, issuer, approves, date):
        return
    fact = ctx.facts.fact
    fact(node, P.TYPE, P.ELI_LEGAL_RESOURCE, cites, basis)
    fact(node, P.ELI_TYPE_DOCUMENT, kind, cites, basis)  # type: ignore[arg-type]
    fact(node, P.ELI_NUMBER, plain(row["number"]), cites, basis)
    fact(node, P.ELI_DATE_DOCUMENT, date, cites, basis)  # type: ignore[arg-type]
    fact(node, P.ELI_PASSED_BY, issuer, cites, basis)  # type: ignore[arg-type]
    fact(approves, lvp("approvedBy"), node, cites, basis)  # type: ignore[arg-type]
    day = "{2}.{1}.{0}.".format(*row["date"].split("-"))
    ctx.facts.editorial(
        node, P.PREF, text(f"Ministru kabineta rīkojums Nr. {row['number']} ({day})", "lv")
    )
    ctx.facts.editorial(
        node,
        P.PREF,
        text(f"Cabinet order No. {row['number']} of {english_date(row['date'])}", "en"),
    )
    act = ctx.about(row, node, cites, basis)
    _publication(act)
    act.sourced()


def _publication(act: Subject) -> None:
    act.converted("protocol", P.DCT_CITATION, latvian)
    act.converted("published_in", P.ELI_PUBLISHED_IN, latvian)
    act.converted("publication_date", P.ELI_DATE_PUBLICATION, date_like)
    act.converted("identifier", P.DCT_IDENTIFIER, plain)
    act.converted("url", P.SEE_ALSO, web_url)
    ctx, row, node, cites, basis = act.ctx, act.row, act.node, act.cites, act.basis
    fact = ctx.facts.fact
    if row["title_lv"]:
        expression = ctx.ids.id(f"legal-act/{row['id']}/lv")
        fact(node, P.ELI_REALIZED_BY, expression, cites, basis)
        fact(expression, P.TYPE, P.ELI_LEGAL_EXPRESSION, cites, basis)
        fact(expression, P.ELI_TITLE, text(row["title_lv"], "lv"), cites, basis)
        fact(expression, P.ELI_LANGUAGE, P.LANGUAGE_LAV, cites, basis)
        ctx.facts.editorial(
            expression, P.PREF, text(f"{row['title_lv']} (teksts latviešu valodā)", "lv")
        )
        ctx.facts.editorial(expression, P.PREF, text("The act's Latvian text", "en"))


def map_document_links(ctx: Context, rows: list[Row]) -> None:
    for row in rows:
        spec = ctx.choice(row, "relation", RELATIONS)
        if spec is None:
            continue
        predicate, subject_kinds, object_kinds = spec
        subject = ctx.ref(row, "subject", *subject_kinds)
        obj = ctx.ref(row, "object", *object_kinds)
        cites, basis = ctx.cites(row), ctx.basis(row)
        if subject is None or obj is None or not cites or basis is None:
            continue
        ctx.facts.fact(subject, lvp(predicate), obj, cites, basis)
        ctx.may_quote(row, subject, cites)
        words_en, words_lv = RELATION_WORDS[row["relation"]]
        name_en, name_lv = ctx.names[row["object"]], ctx.names_lv[row["object"]]
        if row["note"]:
            ctx.facts.editorial(
                subject, P.EDNOTE, text(f"{words_en} {name_en}: {row['note']}", "en")
            )
        if row["note_lv"]:
            note = f"{words_lv} {name_lv}: {row['note_lv']}"
            ctx.facts.editorial(subject, P.EDNOTE, text(note, "lv"))
