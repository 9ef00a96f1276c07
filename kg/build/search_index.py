"""The search index a release carries (``search-index.json``), written at build time from
the build's own store; the browser reads it (kg.explore.search.SearchIndex)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox

from kg.build.serialize import line_chunks
from kg.namespaces import PREFIXES
from kg.queries import query

# the predicates search-index.rq and search-words.rq read: the index's store holds only
# their statements (at 1M facts, 46 % of them: 3.3 s instead of 4.0 s; issue 23), and a
# test checks the index is the same as from the whole graph
READ = (
    "rdf:type",
    "skos:prefLabel",
    "skos:altLabel",
    "skos:notation",
    "eli:number",
    "lvp:reportedValue",
    "lvp:sourceText",
    "sdmx-measure:obsValue",
    "lvp:measureCount",
)
_READ_LINE = re.compile(
    rb"^[^ ]+ <(?:"
    + b"|".join(
        re.escape(PREFIXES[p.split(":")[0]].encode() + p.split(":")[1].encode()) for p in READ
    )
    + rb")> .*\n",
    re.M,
)


def index_store(ntriples: bytes | Path) -> ox.Store:
    """A store of the statements the index is made from, out of the build's N-Triples
    (the lines, or the file holding them)."""
    read = b"".join(line for chunk in line_chunks(ntriples) for line in _READ_LINE.findall(chunk))
    store = ox.Store()
    store.bulk_load(read, format=ox.RdfFormat.N_TRIPLES)
    return store


def build_index(store: ox.Store, base: str) -> list[dict]:
    """One entry per labelled thing of the main kinds, with its labels by language and the
    other words it may be found by (abbreviations, codes, numbers, a slide's text).

    Runs at build time on the build's own pyoxigraph store (terms stay pyoxigraph terms:
    at 1M triples converting them would cost seconds).
    """
    entries: dict[str, dict] = {}
    solutions = store.query(query("search-index", base))
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT
    for row in solutions:
        iri = row["s"].value
        entry = entries.setdefault(iri, {"iri": iri, "type": row["type"].value, "labels": {}})
        entry["labels"].setdefault(row["label"].language or "", row["label"].value)
    words = store.query(query("search-words", base))
    assert isinstance(words, ox.QuerySolutions)
    extra: dict[str, list[str]] = {}
    for row in words:
        if row["s"].value in entries:
            extra.setdefault(row["s"].value, []).extend(_spellings(row["text"]))
    for iri, found in extra.items():
        entries[iri]["words"] = " ".join(dict.fromkeys(found))
    return sorted(entries.values(), key=lambda e: e["iri"])


def _spellings(term: ox.Literal) -> list[str]:
    """A literal as it may be searched: a whole number also as lv and en write it
    (``491000``, ``491 000``, ``491,000``)."""
    text = term.value
    if text.isdigit() and len(text) > 3:
        grouped = f"{int(text):,}"
        return [text, grouped.replace(",", " "), grouped]
    return [text]


def write_index(entries: list[dict], path: Path) -> None:
    path.write_text(
        json.dumps(entries, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
