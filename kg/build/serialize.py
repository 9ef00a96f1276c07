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

import gzip
import os
import shutil
from collections.abc import Iterable
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.formats import RDF_FORMATS
from kg.namespaces import PREFIXES

QUAD_FORMATS = {f.dump: f.engine for f in RDF_FORMATS if f.quads}
TRIPLE_FORMATS = {f.dump: f.engine for f in RDF_FORMATS if not f.quads}
_PREFIXED = {f.engine for f in RDF_FORMATS if f.prefixed}


def canonical_lines(groups: dict[str, Iterable[bytes]]) -> tuple[bytes, list[bytes]]:
    """The sorted N-Triples of the union, and each named graph's sorted N-Quads (in the
    order of the graphs' IRIs): the N-Quads dump is the union then the named graphs.

    ``groups`` maps each graph IRI to the N-Triples text of its triples (``<s> <p> <o>``,
    as kg.mapping.facts holds them); it is emptied as its graphs are written, so that a
    graph's triples are let go once they are lines (issue 23). Every sort is a plain
    sort of byte strings (no key function), which keeps this to seconds at a million
    statements. Sorting the triples and then adding `` <graph> .`` gives the order of the
    whole lines: a triple that is the start of another ends where the other goes on with
    ``@`` or ``^``, both after the space.
    """
    named: list[bytes] = []
    triples: set[bytes] = set()
    for graph in sorted(groups):
        lines = sorted(groups.pop(graph))
        triples.update(lines)
        if lines:  # each line followed by its end: join with a last empty line
            named.append((b" <%s> .\n" % graph.encode()).join([*lines, b""]))
        del lines
    union = b" .\n".join([*sorted(triples), b""])
    del triples
    return union, named


LINES = {"kg.nq": ox.RdfFormat.N_QUADS, "kg.nt": ox.RdfFormat.N_TRIPLES}
CHUNK = 1 << 24  # bytes of whole lines read at a time


def write_lines(union: bytes, named: list[bytes], folder: Path) -> tuple[Path, Path]:
    """Write canonical_lines' lines as the N-Quads and N-Triples dumps; return their
    paths. The other dumps, the validation and the search index are made from these
    files, so the build need not hold the lines in memory meanwhile (issue 23)."""
    nq, nt = folder / "kg.nq", folder / "kg.nt"
    with nq.open("wb") as out:
        out.write(union)
        out.writelines(named)
    nt.write_bytes(union)
    return nq, nt


def line_chunks(source: bytes | Path, size: int = CHUNK) -> Iterator[bytes]:
    """``source``'s bytes (or a file's) about ``size`` at a time, each cut after a line."""
    if isinstance(source, bytes):
        start = 0
        while start < len(source):
            end = source.find(b"\n", start + size)
            end = len(source) if end < 0 else end + 1
            yield source[start:end]
            start = end
        return
    with source.open("rb") as lines:
        rest = b""
        while block := lines.read(size):
            cut = block.rfind(b"\n") + 1
            if cut:
                yield rest + block[:cut]
                rest = block[cut:]
            else:
                rest += block
        if rest:
            yield rest


def write_dumps(folder: Path, base: str, threads: int = 2) -> list[Path]:
    """Write every other dump into ``folder`` from the sorted lines written there
    (:func:`write_lines`), and compress them all; return the paths written.

    Instance IRIs are written relative to ``base`` (``<id/org/…>``) in the formats that allow
    it; vocabulary IRIs use the usual prefixes.
    """

    def dump(name: str, fmt: ox.RdfFormat) -> list[Path]:
        path = folder / name
        if name not in LINES:  # the sorted lines are those dumps already
            source = "kg.nq" if name in QUAD_FORMATS else "kg.nt"
            kwargs: dict[str, Any] = (
                {"prefixes": PREFIXES, "base_iri": base} if fmt in _PREFIXED else {}
            )
            # lenient: the lines are pyoxigraph's own, checked as they were written; not
            # checking every IRI again halves the parse (1M triples: 0.94 -> 0.54 s)
            statements = ox.parse(path=folder / source, format=LINES[source], lenient=True)
            with path.open("wb") as out:
                ox.serialize(statements, out, format=fmt, **kwargs)
        return [path, compress(path)]

    # Two at a time: pyoxigraph and zlib let go of the GIL while they work. At a million
    # facts the six dumps took 11.2-11.5 s one after another and 7.8-9.3 s two at a time
    # on this project's 2-core machines (issue 23).
    formats = {**QUAD_FORMATS, **TRIPLE_FORMATS}
    with ThreadPoolExecutor(max_workers=max(1, min(threads, os.cpu_count() or 1))) as pool:
        done = list(pool.map(dump, formats, formats.values()))
    return [path for paths in done for path in paths]


def compress(path: Path) -> Path:
    """``path.gz`` beside ``path``: gzip with no time or name in its header, so two builds
    give the same bytes; a server sends it to a client that accepts gzip. Level 5: on the
    six dumps of 1M generated facts it took 2.64 s of CPU against level 6's 3.92 s for
    4.5 % more bytes (47.9 against 45.8 MB), and level 9 is slower still (at 100k, 2.6x
    level 6's CPU for 4.3 % fewer bytes; docs/benchmarks.md)."""
    target = path.with_name(path.name + ".gz")
    with path.open("rb") as source, target.open("wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=5) as out:
            shutil.copyfileobj(source, out)
    return target
