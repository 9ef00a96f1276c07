"""Write the six dumps deterministically: sorted statements, no random blank nodes.

The facts are serialised once to N-Quads (one canonical line per statement) and the lines
are sorted as bytes, so the same input gives byte-identical files whatever Python's hash
seed, and no Python object is made per statement. TriG and N-Quads keep the named graphs
(the source of every fact) and add the default graph as their union, each triple once, so
any SPARQL store answers plain queries without duplicates and ``GRAPH ?g`` queries with
provenance. Turtle, N-Triples, JSON-LD and RDF/XML carry that union. The other formats are
written by re-reading the sorted lines, so they follow the same order.
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


def _graph_then_line(line: bytes) -> tuple[bytes, bytes]:
    return line.rsplit(b" ", 2)[1], line


def canonical_lines(quads: Iterable[ox.Quad]) -> tuple[bytes, bytes]:
    """(N-Quads of the union then the named graphs, N-Triples of the union), both sorted.

    Every quad must be in a named graph: each line then ends ``<graph> .``, so dropping
    the last two tokens gives the triple.
    """
    text = ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS)
    lines = [line for line in text.split(b"\n") if line]
    named = sorted(lines, key=_graph_then_line)
    union = sorted({line.rsplit(b" ", 2)[0] + b" ." for line in lines})
    triples = b"\n".join(union) + b"\n"
    return triples + b"\n".join(named) + b"\n", triples


def write_dumps(nquads: bytes, ntriples: bytes, folder: Path, base: str) -> list[Path]:
    """Write every dump into ``folder`` from the sorted lines; return the paths written.

    Instance IRIs are written relative to ``base`` (``<id/org/…>``) in the formats that allow
    it; vocabulary IRIs use the usual prefixes.
    """
    (folder / "kg.nq").write_bytes(nquads)
    (folder / "kg.nt").write_bytes(ntriples)
    written = [folder / "kg.nq", folder / "kg.nt"]
    for name, fmt, source, source_fmt in (
        ("kg.trig", ox.RdfFormat.TRIG, nquads, ox.RdfFormat.N_QUADS),
        ("kg.ttl", ox.RdfFormat.TURTLE, ntriples, ox.RdfFormat.N_TRIPLES),
        ("kg.jsonld", ox.RdfFormat.JSON_LD, ntriples, ox.RdfFormat.N_TRIPLES),
        ("kg.rdf", ox.RdfFormat.RDF_XML, ntriples, ox.RdfFormat.N_TRIPLES),
    ):
        statements = ox.parse(source, format=source_fmt)
        kwargs = {"prefixes": PREFIXES, "base_iri": base} if fmt in _PREFIXED else {}
        with (folder / name).open("wb") as out:
            ox.serialize(statements, out, format=fmt, **kwargs)
        written.append(folder / name)
    return written
