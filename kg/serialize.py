"""Write the six dumps deterministically: sorted statements, no blank nodes, fixed prefixes.

pyoxigraph serialises statements in the order given, so sorting them first makes the same
input give byte-identical files, whatever Python's hash seed. TriG and N-Quads keep the named
graphs (the source of every fact) and add the default graph as their union, each triple
once, so any SPARQL store answers plain queries without duplicates and ``GRAPH ?g`` queries
with provenance. Turtle, N-Triples, JSON-LD and RDF/XML carry that union.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import PREFIXES

QUAD_FORMATS = {"kg.trig": ox.RdfFormat.TRIG, "kg.nq": ox.RdfFormat.N_QUADS}
TRIPLE_FORMATS = {
    "kg.ttl": ox.RdfFormat.TURTLE,
    "kg.nt": ox.RdfFormat.N_TRIPLES,
    "kg.jsonld": ox.RdfFormat.JSON_LD,
    "kg.rdf": ox.RdfFormat.RDF_XML,
}
_PREFIXED = {ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML}


def _key(term: ox.Term) -> str:
    return "" if isinstance(term, ox.DefaultGraph) else str(term)


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    return sorted(
        quads,
        key=lambda q: (_key(q.graph_name), _key(q.subject), _key(q.predicate), _key(q.object)),
    )


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (_key(t.subject), _key(t.predicate), _key(t.object)))


def write_dumps(quads: Iterable[ox.Quad], folder: Path, base: str) -> list[Path]:
    """Write every dump into ``folder``; return the paths written.

    Instance IRIs are written relative to ``base`` (``<id/org/…>``) in the formats that allow
    it; vocabulary IRIs use the usual prefixes.
    """
    named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
    triples = union_triples(named)
    default = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    ordered = default + sorted_quads(named)
    written = []
    for name, fmt in QUAD_FORMATS.items():
        written.append(_write(folder / name, ordered, fmt, base))
    for name, fmt in TRIPLE_FORMATS.items():
        written.append(_write(folder / name, triples, fmt, base))
    return written


def _write(path: Path, items: list, fmt: ox.RdfFormat, base: str) -> Path:
    kwargs = {"prefixes": PREFIXES, "base_iri": base} if fmt in _PREFIXED else {}
    with path.open("wb") as out:
        ox.serialize(items, out, format=fmt, **kwargs)
    return path
