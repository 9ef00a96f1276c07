"""The words each stated fact was read from (quotes.csv), checked against the held text.

A row of a fact table that states something (its ``basis``, or one of its ``*_basis``
columns, is ``stated``) must have, for each source it cites, at least one quote: words
copied from that source. The build finds every quote in the text the project holds of the
source (the slide's text for ``#slide=N``; whitespace normalised, and the text layer's ``**``
bold marks dropped; nothing else), checks
that each stated date and figure of the row can be read from its quotes, and publishes each
quote as a W3C Web Annotation ``oa:TextQuoteSelector`` on the slide or document, linked
from the fact's node and graph with ``prov:hadPrimarySource`` (a kind of
``prov:wasDerivedFrom``). So a reader, and a machine,
can check a fact against the words it came from.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path

from kg.mapping import predicates as P
from kg.mapping.context import Context
from kg.mapping.context import Quotable
from kg.mapping.facts import Citation
from kg.mapping.facts import parse_citations
from kg.mapping.predicates import lvp
from kg.mapping.sources import location_node
from kg.mapping.sources import slide_texts
from kg.printed import dates_in
from kg.printed import reads_as
from kg.tables.read import Row
from kg.tables.schema import Schema
from kg.terms import plain
from kg.terms import text

CONTEXT_CHARS = 32  # prefix and suffix of a selector: enough to tell two occurrences apart

FIGURES = ("observations", "reported-counts")  # their stated value must be in the words


def normalise(text: str) -> str:
    """Whitespace collapsed to single spaces: the only difference a quote may have."""
    return re.sub(r"\s+", " ", text).strip()


def row_key(row: Row, schema: Schema) -> str:
    """How quotes.csv names a row: its table's primary key (kg.tables.schema), the parts joined
    by ``/`` (``plan/id`` for measures: two plans may both number a measure 1.1.1)."""
    key = schema[f"{row.table}.csv"].key or ("id",)
    return "/".join(row.values.get(column, "") for column in key)


def date_columns(row: Row, schema: Schema) -> list[str]:
    """The date columns of a row's table: a stated row's quotes must give each date."""
    return [c.name for c in schema[f"{row.table}.csv"].columns if c.kind == "date"]


def is_stated(row: Row) -> bool:
    values = row.values
    return values.get("basis") == "stated" or any(
        v == "stated" for k, v in values.items() if k.endswith("_basis")
    )


class HeldTexts:
    """The normalised text the project holds for each citation: a slide of a held deck, or
    a held file whole (a web page's quoted passages). Each file is read once, and each
    text's lines are indexed, so that a quote that is a whole line is found at once even
    in a large generated deck."""

    def __init__(self, files: dict[str, Path]):
        self.files = files
        # (source, read as slides?) -> each part's text and where each of its lines starts
        self._cache: dict[tuple[str, bool], list[tuple[str, dict[str, int]]]] = {}

    @staticmethod
    def _read(path: Path, slides: bool) -> list[tuple[str, dict[str, int]]]:
        found = []
        for part in slide_texts(path) if slides else [path.read_text(encoding="utf-8")]:
            # "**" marks bold in the deck's text layer: emphasis, not words of the source
            lines = [normalise(line.replace("**", "")) for line in part.splitlines()]
            kept: list[str] = []
            offsets: dict[str, int] = {}
            at = 0
            for line in filter(None, lines):
                offsets.setdefault(line, at)
                kept.append(line)
                at += len(line) + 1  # the space that joins it to the next
            found.append((" ".join(kept), offsets))
        return found

    def find(self, citation: Citation, words: str) -> tuple[str, int] | None:
        """The held text of ``citation`` and where ``words`` start in it (-1: not there);
        None where the project holds no text of it."""
        path = self.files.get(citation.source)
        if path is None:
            return None
        slides = citation.kind == "slide"
        key = (citation.source, slides)
        if key not in self._cache:
            self._cache[key] = self._read(path, slides)
        parts = self._cache[key]
        index = citation.number - 1 if slides else 0
        if not 0 <= index < len(parts):
            return None
        text, offsets = parts[index]
        start = offsets.get(words)
        return text, (start if start is not None else text.find(words) if words else -1)


def map_quotes(ctx: Context, rows: list[Row]) -> None:
    """Check and publish quotes.csv; then require a quote for every stated citation."""
    held = HeldTexts(ctx.facts.held_files)
    schema = ctx.facts.schema
    assert schema is not None  # set by kg.mapping.map_tables
    by_key = {(q.row.table, row_key(q.row, schema)): q for q in ctx.quotable.values()}
    quoted: dict[tuple[str, int], dict[Citation, list[str]]] = defaultdict(dict)
    for row in rows:
        found = _quote(ctx, row, by_key, held)
        if found is not None:
            target, citation, words = found
            quoted[(target.row.file, target.row.line)].setdefault(citation, []).append(words)
    for key, target in sorted(ctx.quotable.items()):
        if is_stated(target.row):
            _check_row(ctx, target, quoted.get(key, {}), schema)


def _quote(
    ctx: Context, row: Row, by_key: dict[tuple[str, str], Quotable], held: HeldTexts
) -> tuple[Quotable, Citation, str] | None:
    target = by_key.get((row["table"], row["row"]))
    if target is None:
        known = sorted({t for t, _ in by_key})
        if row["table"] not in known:
            ctx.problem(
                row,
                "table",
                f"{row['table']!r} is not a table with sources: one of {', '.join(known)}",
            )
        else:
            ctx.problem(row, "row", f"{row['table']}.csv has no row {row['row']!r}")
        return None
    try:
        (citation,) = parse_citations(row["source"])
    except ValueError as exc:
        ctx.problem(row, "source", f"name one source the row cites ({exc})")
        return None
    if citation not in target.cites:
        cited = " ; ".join(
            f"{c.source}#{c.kind}={c.number}" if c.kind else c.source for c in target.cites
        )
        ctx.problem(row, "source", f"{row['source']!r} is not a source that row cites ({cited})")
        return None
    words = normalise(row["quote"])
    found = held.find(citation, words)
    if found is None:
        ctx.problem(
            row,
            "source",
            f"the project holds no text of {row['source']!r}: hold the words read (a file "
            "under sources/ named in sources.csv's file column)",
        )
        return None
    source_text, start = found
    if start < 0:
        ctx.problem(
            row,
            "quote",
            f"{words!r} does not occur in the held text of {row['source']}: copy the words "
            "exactly as the source prints them (only spacing may differ)",
        )
        return None
    _publish(ctx, target, citation, source_text, start, words)
    return target, citation, words


def _publish(
    ctx: Context, target: Quotable, citation: Citation, source_text: str, start: int, words: str
) -> None:
    """The passage as a Web Annotation specific resource of the slide or document."""
    digest = hashlib.sha256(f"{citation.graph_path}\n{words}".encode()).hexdigest()[:16]
    passage = ctx.ids.id(f"passage/{digest}")
    selector = ctx.ids.id(f"passage/{digest}/selector")
    meta = ctx.facts.meta
    meta(passage, P.TYPE, lvp("Passage"))
    meta(passage, P.TYPE, P.OA_SPECIFIC_RESOURCE)
    meta(passage, P.OA_HAS_SOURCE, location_node(ctx, citation))
    meta(passage, P.OA_HAS_SELECTOR, selector)
    # labels for readers: the words, framed in each interface language
    meta(passage, P.PREF, text(f"citāts „{words}”", "lv"))
    meta(passage, P.PREF, text(f"quotation „{words}”", "en"))
    meta(selector, P.PREF, text("teksta citāta atlasītājs", "lv"))
    meta(selector, P.PREF, text("text quote selector", "en"))
    meta(selector, P.TYPE, P.OA_TEXT_QUOTE_SELECTOR)
    meta(selector, P.OA_EXACT, plain(words))
    before = source_text[max(0, start - CONTEXT_CHARS) : start]
    after = source_text[start + len(words) : start + len(words) + CONTEXT_CHARS]
    if before:
        meta(selector, P.OA_PREFIX, plain(before))
    if after:
        meta(selector, P.OA_SUFFIX, plain(after))
    if is_stated(target.row):
        ctx.facts.fact(target.node, P.PRIMARY_SOURCE, passage, [citation], "stated")
        meta(ctx.facts.graph_for(citation, "stated"), P.PRIMARY_SOURCE, passage)


def _check_row(
    ctx: Context, target: Quotable, quotes: dict[Citation, list[str]], schema: Schema
) -> None:
    row = target.row
    for citation in target.cites:
        if citation not in quotes:
            name = (
                f"{citation.source}#{citation.kind}={citation.number}"
                if citation.kind
                else citation.source
            )
            ctx.problem(
                row,
                "source",
                f"the row is stated by {name} but quotes.csv gives no words read from it: add "
                f"a row (table {row.table}, row {row_key(row, schema)}, source {name}, quote: the "
                "words) or make the basis inferred",
            )
    words = " … ".join(w for ws in quotes.values() for w in ws)
    if not words:
        return
    given = sorted(d.isoformat() for d in dates_in(words))
    for column in date_columns(row, schema):
        value = row[column]
        if value and value not in given:
            shown = ", ".join(given) or "no date"
            ctx.problem(
                row,
                column,
                f"{value} is not a date the row's quotes give (they give {shown}): correct "
                "the date or quote the words that state it",
            )
    if row.table in FIGURES and row["value"]:
        _check_figure(ctx, row, words)


def _check_figure(ctx: Context, row: Row, words: str) -> None:
    """The printed form is in the quotes (each part, where ``…`` leaves words out), and the
    value is a number the printed form (or, without one, the quotes) gives."""
    printed = row["printed"]
    if printed:
        for part in (normalise(p) for p in printed.split("…")):
            if part and part not in words:
                ctx.problem(
                    row,
                    "printed",
                    f"{part!r} is not in the row's quotes: the printed form must be the "
                    "source's own words",
                )
        return
    if not reads_as(row["value"], words):
        ctx.problem(
            row,
            "value",
            f"{row['value']} is not a number the row's quotes give: correct the value, or "
            "add the printed form and a quote that gives it",
        )
