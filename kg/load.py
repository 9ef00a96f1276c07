"""Push a release into a SPARQL server through the Graph Store Protocol (SPARQL 1.1 GSP).

Each named graph is sent with ``PUT ?graph=<iri>`` and the union with ``PUT ?default`` (or,
for a server whose default graph is the union of all its graphs, as Virtuoso's is, into a
graph of its own: ``union_graph``), as N-Triples, so loading twice gives the same store.
Graphs of an older release that are no longer in the new one are left alone (drop them, or
start from an empty store). A server that wants a login (Virtuoso's
``/sparql-graph-crud-auth``) gets it by HTTP digest or basic authentication.
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


def _opener(store_url: str, user: str | None, password: str | None):
    """urllib's opener, with the login for ``store_url`` if one is given."""
    if not user:
        return urllib.request.build_opener()
    logins = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    logins.add_password(None, store_url, user, password or "")
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(logins), urllib.request.HTTPBasicAuthHandler(logins)
    )


def load(
    release: Path,
    store_url: str,
    timeout: float = 300,
    union_graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> dict[str, int]:
    """PUT every graph of ``release`` to the GSP endpoint ``store_url``; return triples sent."""
    if not store_url.startswith(("http://", "https://")):
        raise ValueError(f"the store URL must be http(s): {store_url!r}")
    if union_graph is not None and not union_graph.startswith(("http://", "https://", "urn:")):
        raise ValueError(f"the union graph must be an IRI: {union_graph!r}")
    opener = _opener(store_url, user, password)
    sent: dict[str, int] = {}
    for graph, data in graphs_of(release / "kg.nq"):
        if not isinstance(graph, ox.DefaultGraph):
            name, query = graph.value, urllib.parse.urlencode({"graph": graph.value})
        elif union_graph is not None:
            name, query = union_graph, urllib.parse.urlencode({"graph": union_graph})
        else:
            name, query = "(default)", "default"
        request = urllib.request.Request(
            f"{store_url}?{query}",
            data=data,
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        with opener.open(request, timeout=timeout) as response:
            response.read()
        sent[name] = sent.get(name, 0) + data.count(b"\n")
    return sent
