"""One seam over SPARQL stores: ``execute`` (pyoxigraph terms, for /sparql and kg query)
and, made from it, ``select`` / ``ask`` / ``construct`` (rdflib terms, for the pages).

``local`` answers from an embedded pyoxigraph store loaded from the build's load file;
``remote`` sends the same queries to any SPARQL 1.1 endpoint through SPARQLWrapper, the one
client that talks to a SPARQL server. Callers cannot tell which one answered. Chosen by one
setting, ``KG_SPARQL_ENDPOINT``.
"""

from __future__ import annotations

from pathlib import Path

from kg.backends.base import Backend
from kg.backends.local import LocalBackend
from kg.backends.remote import RemoteBackend

__all__ = ["Backend", "LocalBackend", "RemoteBackend", "make_backend"]


def make_backend(
    release: Path, endpoint: str | None = None, default_graph: str | None = None
) -> Backend:
    """The remote backend if an endpoint is set, else the embedded store of ``release``."""
    if endpoint:
        from kg.release import Release

        graphs = Release(release).named_graphs() if default_graph else frozenset()
        return RemoteBackend(endpoint, dataset=graphs, default_graph=default_graph)
    return LocalBackend.from_release(release)
