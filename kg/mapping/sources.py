"""Source documents (sources.csv) and the slides and pages that facts cite: graph/meta."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.facts import Citation
from kg.mapping import predicates as P
from kg.mapping.context import Context
from kg.mapping.predicates import lvp
from kg.publish import sha256_file
from kg.tables import Row
from kg.tables import resolve_inside
from kg.terms import date_like
from kg.terms import integer
from kg.terms import plain
from kg.terms import text
from kg.terms import web_url

SOURCES = ["id", "kind", "title_lv", "title_en", "publisher", "date", "url", "file", "note"]
KINDS = ("slide-deck", "web-page", "report")


def map_sources(ctx: Context, rows: list[Row], data_root: Path) -> None:
    """Register the sources first: every other table cites them. Publishers are checked later."""
    for row in rows:
        node = ctx.ids.source(row["id"])
        if not ctx.register(row, "source", row["id"], node):
            continue
        ctx.choice(row, "kind", {k: k for k in KINDS})
        meta = ctx.facts.meta
        meta(node, P.TYPE, lvp("SourceDocument"))
        meta(node, P.DCT_TITLE, text(row["title_lv"], "lv"))
        meta(node, P.PREF, text(row["title_lv"], "lv"))
        if row["title_en"]:
            meta(node, P.PREF, text(row["title_en"], "en"))
        meta(node, P.DCT_FORMAT, plain(row["kind"]))
        if row["date"]:
            value = ctx.convert(row, "date", date_like)
            if value is not None:
                meta(node, P.DCT_ISSUED, value)
        if row["url"]:
            url = ctx.convert(row, "url", web_url)
            if url is not None:
                meta(node, P.FOAF_PAGE, url)
        if row["file"]:
            _local_copy(ctx, row, node, data_root)
        if not row["url"] and not row["file"]:
            ctx.problem(row, "url", "a source needs a url or a file")
        if row["note"]:
            meta(node, P.EDNOTE, text(row["note"], "en"))


def _local_copy(ctx: Context, row: Row, node: ox.NamedNode, data_root: Path) -> None:
    try:
        path = resolve_inside(data_root, row["file"])
    except ValueError as exc:
        ctx.problem(row, "file", str(exc))
        return
    if not path.is_file():
        ctx.problem(row, "file", f"file not found: {row['file']}")
        return
    digest = sha256_file(path)  # in blocks: a source file may be large
    hex_type = ox.NamedNode("http://www.w3.org/2001/XMLSchema#hexBinary")
    ctx.facts.meta(node, lvp("sha256"), ox.Literal(digest, datatype=hex_type))


def map_publishers(ctx: Context, rows: list[Row]) -> None:
    """Second pass, once institutions are known: who published each source."""
    for row in rows:
        if row["publisher"] and row["id"] in ctx.known["source"]:
            org = ctx.ref(row, "publisher", "org")
            if org is not None:
                ctx.facts.meta(ctx.known["source"][row["id"]], P.DCT_PUBLISHER, org)


def describe_locations(ctx: Context) -> None:
    """Describe each cited slide or page, and each fact graph, once all facts are in."""
    for graph, (citation, basis) in sorted(ctx.facts.graphs.items(), key=lambda kv: kv[0].value):
        meta = ctx.facts.meta
        meta(graph, P.TYPE, lvp("FactGraph"))
        meta(graph, lvp("basis"), ctx.ids.concept("basis", basis))
        if citation is None:
            meta(graph, P.PREF, text("Projekta redakcionālais teksts", "lv"))
            meta(graph, P.PREF, text("Editorial text of the project", "en"))
            continue
        where = location_node(ctx, citation)
        meta(graph, P.DERIVED_FROM, where)
        basis_lv, basis_en = ctx.concept_labels.get(f"basis/{basis}", (basis, basis))
        meta(graph, P.PREF, text(f"{citation.graph_path} ({basis_lv})", "lv"))
        meta(graph, P.PREF, text(f"{citation.graph_path} ({basis_en})", "en"))


def location_node(ctx: Context, citation: Citation) -> ox.NamedNode:
    """The slide or page node (described in graph/meta once), or the whole document."""
    document = ctx.ids.source(citation.source)
    if not citation.kind:
        return document
    key = f"{citation.source}#{citation.kind}={citation.number}"
    known = ctx.known["location"].get(key)
    if known is not None:
        return known
    node = ctx.ids.location(citation.source, citation.kind, citation.number)
    ctx.known["location"][key] = node
    meta = ctx.facts.meta
    meta(node, P.TYPE, lvp("SourceLocation"))
    meta(node, P.DCT_IS_PART_OF, document)
    predicate = lvp("slideNumber") if citation.kind == "slide" else lvp("pageNumber")
    meta(node, predicate, integer(str(citation.number)))
    lv_word = "slaids" if citation.kind == "slide" else "lappuse"
    meta(node, P.PREF, text(f"{citation.number}. {lv_word}", "lv"))
    meta(node, P.PREF, text(f"{citation.kind} {citation.number}", "en"))
    return node


def derived_from(ctx: Context, node: ox.NamedNode, cites: list[Citation], basis: str) -> None:
    """``prov:wasDerivedFrom`` each cited location, as a fact of the same graphs."""
    for citation in cites:
        ctx.facts.fact(node, P.DERIVED_FROM, location_node(ctx, citation), [citation], basis)
