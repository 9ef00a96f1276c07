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

# the kinds of thing the index holds, the first listed naming a thing that has several
RANKED = (
    "lvp:PolicyPlan",
    "lvp:PolicyGuidelines",
    "lvp:ImplementationReport",
    "lvp:ActionDirection",
    "lvp:Goal",
    "lvp:Measure",
    "lvp:ReportedResult",
    "lvp:UnidentifiedMeasures",
    "lvp:Programme",
    "org:Organization",
    "lvp:Indicator",
    "lvp:ReportedCount",
    "qb:Observation",
    "lvp:Outcome",
    "eli:LegalResource",
    "lvp:FollowUpDeadline",
    "lvp:SourceLocation",
    "lvp:SourceDocument",
    "skos:Concept",
)
_RANKED_MARK = re.compile(r"^\s*# ranked \?(\w+) \?(\w+)\s*$", re.M)

# the predicates search-index.rq and search-words.rq read: the index's store holds only
# their statements, about things of a RANKED kind (at 1M facts, 13 % of the graph, where
# all statements of these predicates were 46 % and held 300 MB while the graph was
# validated; issue 23), and a test checks the index is the same as from the whole graph
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


def _iri(prefixed: str) -> str:
    prefix, local = prefixed.split(":")
    return PREFIXES[prefix] + local


_READ_LINE = re.compile(
    rb"^[^ ]+ <(?:" + b"|".join(re.escape(_iri(p).encode()) for p in READ) + rb")> .*\n", re.M
)
_TYPE = b"<" + _iri("rdf:type").encode() + b">"
_RANKED_OBJECTS = {b"<" + _iri(kind).encode() + b">" for kind in RANKED}


def index_store(ntriples: bytes | Path) -> ox.Store:
    """A store of the statements the index is made from, out of the build's N-Triples
    (the lines, or the file holding them): those of the predicates its queries read, about
    things of a RANKED kind, and of their types only the RANKED ones."""
    read = [line for chunk in line_chunks(ntriples) for line in _READ_LINE.findall(chunk)]
    ranked: set[bytes] = set()
    for line in read:
        subject, predicate, rest = line.split(b" ", 2)
        if predicate == _TYPE and rest[: rest.rfind(b" ")] in _RANKED_OBJECTS:
            ranked.add(subject)
    kept = b"".join(
        line
        for line in read
        if (parts := line.split(b" ", 3))[0] in ranked
        and (parts[1] != _TYPE or parts[2] in _RANKED_OBJECTS)
    )
    del read
    store = ox.Store()
    store.bulk_load(kept, format=ox.RdfFormat.N_TRIPLES)
    return store


def ranked_values(subject: str, rank: str) -> str:
    """``VALUES (?subject ?rank) { (<kind> 1) … }`` of the RANKED kinds."""
    rows = " ".join(f"(<{_iri(kind)}> {n})" for n, kind in enumerate(RANKED, start=1))
    return f"VALUES (?{subject} ?{rank}) {{ {rows} }}"


def build_index(store: ox.Store, base: str) -> list[dict]:
    """One entry per labelled thing of the main kinds, with its labels by language and the
    other words it may be found by (abbreviations, codes, numbers, a slide's text).

    Runs at build time on the build's own pyoxigraph store (terms stay pyoxigraph terms:
    at 1M triples converting them would cost seconds).
    """
    entries: dict[str, dict] = {}
    text = _RANKED_MARK.sub(lambda m: ranked_values(m[1], m[2]), query("search-index", base))
    solutions = store.query(text)
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
