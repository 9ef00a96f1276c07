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


def canonical_lines(groups: dict[str, Iterable[ox.Quad]]) -> tuple[bytes, bytes]:
    """(N-Quads of the union then the named graphs, N-Triples of the union), both sorted.

    ``groups`` maps each graph IRI to its quads. Every sort is a plain sort of byte strings
    (no key function), which keeps this to seconds at a million statements.
    """
    named: list[bytes] = []
    triples: set[bytes] = set()
    for graph in sorted(groups):
        lines = ox.serialize(list(groups[graph]), format=ox.RdfFormat.N_QUADS).split(b"\n")
        lines.sort()
        if lines and not lines[0]:
            del lines[0]
        named.extend(lines)
        # each line ends "<graph> .": dropping the last two tokens leaves the triple
        triples.update(line.rsplit(b" ", 2)[0] for line in lines)
    union = b" .\n".join(sorted(triples)) + b" .\n"
    return union + b"\n".join(named) + b"\n", union


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
