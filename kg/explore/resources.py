"""Any IRI: does it exist, what it is, and its facts grouped by property (paged)."""

from __future__ import annotations

from collections import OrderedDict

import rdflib

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.explore.common import basis_of
from kg.explore.common import visible
from kg.explore.graphs import bases_and_sources
from kg.explore.graphs import fact_graphs
from kg.queries import checked_iri
from kg.queries import query

PAGE_SIZE = 50


def exists(backend: Backend, base: str, iri: str) -> bool:
    return backend.ask(query("exists", base, s=[checked_iri(iri)]))


def types(backend: Backend, base: str, iri: str) -> list[str]:
    return [str(r["type"]) for r in backend.select(query("types", base, s=[checked_iri(iri)]))]


def term(labels: Labeller, node: rdflib.term.Identifier) -> dict:
    if isinstance(node, rdflib.URIRef):
        ref = labels.ref(node) or {}  # filled in place when labels resolve: not copied
        ref["kind"] = "iri"
        return ref
    if isinstance(node, rdflib.Literal):
        return {
            "kind": "literal",
            "value": str(node),
            "lang": node.language,
            "datatype": str(node.datatype) if node.datatype else None,
        }
    return {"kind": "blank", "value": str(node)}


def outbound(
    backend: Backend, base: str, labels: Labeller, iri: str, inferred: bool, page: int = 1
) -> dict:
    rows = backend.select(query("facts-out", base, s=[checked_iri(iri)]))
    table = fact_graphs(backend, base)
    for row in rows:
        bases, sources = bases_and_sources(table, row.get("graphs"))
        row["bases"], row["sources"] = rdflib.Literal(bases), rdflib.Literal(sources)
    return _grouped(labels, rows, "o", inferred, page)


def inbound(
    backend: Backend, base: str, labels: Labeller, iri: str, inferred: bool, page: int = 1
) -> dict:
    rows = backend.select(query("facts-in", base, o=[checked_iri(iri)]))
    table = fact_graphs(backend, base)
    for row in rows:
        row["bases"] = rdflib.Literal(bases_and_sources(table, row.get("graphs"))[0])
    return _grouped(labels, rows, "s", inferred, page)


def _order(row: dict, other: str) -> tuple:
    """A total order of facts, the same whatever the engine: SPARQL leaves the order of
    literals that differ only in language or datatype to the engine."""
    node = row[other]
    return (
        str(row["p"]),
        type(node).__name__,
        str(node),
        getattr(node, "language", None) or "",
        str(getattr(node, "datatype", None) or ""),
    )


def _grouped(labels: Labeller, rows: list[dict], other: str, inferred: bool, page: int) -> dict:
    facts = []
    for row in sorted(rows, key=lambda r: _order(r, other)):
        basis = basis_of(row.get("bases"))
        if visible(basis, inferred):
            facts.append((row, basis))
    total = len(facts)
    start = (max(page, 1) - 1) * PAGE_SIZE
    shown = facts[start : start + PAGE_SIZE]
    groups: OrderedDict[str, dict] = OrderedDict()
    for row, basis in shown:
        group = groups.setdefault(str(row["p"]), {"property": labels.ref(row["p"]), "values": []})
        sources = sorted(str(row.get("sources") or "").split())
        shown_value = term(labels, row[other])
        shown_value.update(basis=basis, sources=sources)
        group["values"].append(shown_value)
    return {
        "groups": list(groups.values()),
        "total": total,
        "page": max(page, 1),
        "pages": max(1, -(-total // PAGE_SIZE)),
    }
