"""Push a release into a SPARQL server through the Graph Store Protocol (SPARQL 1.1 GSP).

Each named graph is sent with ``PUT ?graph=<iri>`` and the union with ``PUT ?default``, as
N-Triples, so loading twice gives the same store. Graphs of an older release that are no
longer in the new one are left alone (drop them, or start from an empty store).
"""

from __future__ import annotations

import itertools
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.terms import serialized


def graphs_of(nquads: Path) -> Iterator[tuple[ox.NamedNode | ox.DefaultGraph, bytes]]:
    """(graph, N-Triples) per graph of the load file, which the build groups by graph."""
    quads = ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    for graph, group in itertools.groupby(quads, key=lambda q: q.graph_name):
        yield graph, serialized([q.triple for q in group], ox.RdfFormat.N_TRIPLES)


def load(release: Path, store_url: str, timeout: float = 300) -> dict[str, int]:
    """PUT every graph of ``release`` to the GSP endpoint ``store_url``; return triples sent."""
    if not store_url.startswith(("http://", "https://")):
        raise ValueError(f"the store URL must be http(s): {store_url!r}")
    sent: dict[str, int] = {}
    for graph, data in graphs_of(release / "kg.nq"):
        if isinstance(graph, ox.DefaultGraph):
            name, query = "(default)", "default"
        else:
            name, query = graph.value, urllib.parse.urlencode({"graph": graph.value})
        request = urllib.request.Request(
            f"{store_url}?{query}",
            data=data,
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
        sent[name] = sent.get(name, 0) + data.count(b"\n")
    return sent
