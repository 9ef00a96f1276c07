"""Source documents (sources.csv) and the slides and pages that facts cite: graph/meta."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.mapping import predicates as P
from kg.mapping.context import Context
from kg.mapping.facts import Citation
from kg.mapping.predicates import lvp
from kg.printed import language_of
from kg.release import sha256_file
from kg.tables.read import Row
from kg.tables.read import resolve_inside
from kg.terms import date_like
from kg.terms import integer
from kg.terms import text
from kg.terms import web_url

KINDS = ("slide-deck", "web-page", "report", "institution-return", "round-notice")


def map_sources(ctx: Context, rows: list[Row], data_root: Path) -> None:
    """Register the sources first: every other table cites them. Publishers are checked later."""
    for row in rows:
        node = ctx.ids.source(row["id"])
        if not ctx.register(row, "source", row["id"], node):
            continue
        ctx.choice(row, "kind", {k: k for k in KINDS})
        ctx.source_titles[row["id"]] = (row["title_lv"], row["title_en"] or row["title_lv"])
        meta = ctx.facts.meta
        meta(node, P.TYPE, lvp("SourceDocument"))
        meta(node, P.DCT_TITLE, text(row["title_lv"], "lv"))
        meta(node, P.PREF, text(row["title_lv"], "lv"))
        if row["title_en"]:
            meta(node, P.PREF, text(row["title_en"], "en"))
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
        if row["read"]:  # when the held words were read from the page
            value = ctx.convert(row, "read", date_like)
            if value is not None:
                meta(node, lvp("dateRead"), value)
        if not row["url"] and not row["file"]:
            ctx.problem(row, "url", "a source needs a url or a file")
        if row["note"]:
            meta(node, P.EDNOTE, text(row["note"], "en"))
        if row["note_lv"]:
            meta(node, P.EDNOTE, text(row["note_lv"], "lv"))


def _local_copy(ctx: Context, row: Row, node: ox.NamedNode, data_root: Path) -> None:
    try:
        path = resolve_inside(data_root, row["file"])
    except ValueError as exc:
        ctx.problem(row, "file", str(exc))
        return
    if not path.is_file():
        ctx.problem(row, "file", f"file not found: {row['file']}")
        return
    ctx.facts.held_files[row["id"]] = path
    if row["kind"] == "web-page":  # the page's passages the project holds: shown, quoted
        words = path.read_text(encoding="utf-8").strip()
        ctx.facts.meta(node, lvp("sourceText"), text(words, language_of(words)))
    digest = sha256_file(path)  # in blocks: a source file may be large
    hex_type = ox.NamedNode("http://www.w3.org/2001/XMLSchema#hexBinary")
    ctx.facts.meta(node, lvp("sha256"), ox.Literal(digest, datatype=hex_type))


def map_publishers(ctx: Context, rows: list[Row]) -> None:
    """Second pass, once institutions and code lists are known: who published each source,
    and what kind of source it is."""
    for row in rows:
        if row["kind"] in KINDS and row["id"] in ctx.known["source"]:
            kind = ctx.ids.concept("source-kind", row["kind"])
            ctx.facts.meta(ctx.known["source"][row["id"]], P.DCT_TYPE, kind)
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
        title_lv, title_en = ctx.source_titles.get(citation.source, (citation.source,) * 2)
        place_lv, place_en = _place_words(citation)
        meta(graph, P.PREF, text(f"{title_lv}{place_lv} ({basis_lv})", "lv"))
        meta(graph, P.PREF, text(f"{title_en}{place_en} ({basis_en})", "en"))
    describe_slide_texts(ctx)


def _place_words(citation: Citation) -> tuple[str, str]:
    """``, 10. slaids`` / ``, slide 10``; nothing for a whole document."""
    if not citation.kind:
        return "", ""
    lv_word = "slaids" if citation.kind == "slide" else "lappuse"
    return f", {citation.number}. {lv_word}", f", {citation.kind} {citation.number}"


def slide_texts(path: Path) -> list[str]:
    """The text layer of a slide deck, one string per slide: each slide begins with the
    deck's footer line, the first non-empty line of the file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    footer = next((line.strip() for line in lines if line.strip()), "")
    slides: list[list[str]] = []
    for line in lines:
        if line.strip() == footer:
            slides.append([])
        elif slides:
            slides[-1].append(line)
    return ["\n".join(slide).strip() for slide in slides]


def describe_slide_texts(ctx: Context) -> None:
    """Each cited slide of a deck the project holds gets the slide's own text, so that a
    reader can check a fact against its words."""
    decks: dict[str, list[str]] = {}  # each held deck read and split once
    for key, node in sorted(ctx.known["location"].items()):
        source, _, place = key.partition("#")
        kind, _, number = place.partition("=")
        path = ctx.facts.held_files.get(source)
        if kind != "slide" or path is None or path.suffix != ".txt":
            continue
        if source not in decks:
            decks[source] = slide_texts(path)
        texts = decks[source]
        index = int(number) - 1
        if 0 <= index < len(texts) and texts[index]:
            ctx.facts.meta(node, lvp("sourceText"), text(texts[index], "lv"))


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
    title_lv, title_en = ctx.source_titles.get(citation.source, (citation.source,) * 2)
    place_lv, place_en = _place_words(citation)
    meta(node, P.PREF, text(f"{title_lv}{place_lv}", "lv"))
    meta(node, P.PREF, text(f"{title_en}{place_en}", "en"))
    return node


def derived_from(ctx: Context, node: ox.NamedNode, cites: list[Citation], basis: str) -> None:
    """``prov:wasDerivedFrom`` each cited location, as a fact of the same graphs."""
    for citation in cites:
        ctx.facts.fact(node, P.DERIVED_FROM, location_node(ctx, citation), [citation], basis)
