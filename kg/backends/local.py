"""The embedded backend: a pyoxigraph store in memory, loaded from the build's N-Quads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.backends.base import QueryOptions
from kg.backends.base import Result
from kg.backends.base import TermsAsRdflib
from kg.backends.base import to_rdflib

__all__ = ["LocalBackend", "to_rdflib"]


class LocalBackend(TermsAsRdflib):
    name = "local"

    def __init__(self, store: ox.Store):
        self.store = store

    @classmethod
    def from_release(cls, release: Path) -> LocalBackend:
        from kg.release import Release

        return cls(Release(release).load_store())

    def execute(
        self, query: str, options: QueryOptions | None = None, deadline: float | None = None
    ) -> Result:
        """Evaluate on the store; FROM and named graphs are graphs of the store only. The
        deadline is the caller's to keep: a worker is killed past it."""
        options = options or QueryOptions()
        kwargs: dict[str, Any] = {}
        if options.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in options.default_graphs]
        if options.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in options.named_graphs]
        if options.unbound_functions:  # an unknown function is an expression error: unbound
            kwargs["custom_functions"] = {
                ox.NamedNode(iri): _unbound for iri in options.unbound_functions
            }
        if options.base_iri:
            kwargs["base_iri"] = options.base_iri
        return self.store.query(query, **kwargs)


def _unbound(*_args: object) -> None:
    return None
