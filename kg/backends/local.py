"""The embedded backend: a pyoxigraph store in memory, loaded from the build's N-Quads."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.term import Identifier

from kg.backends.base import Row
from kg.terms import Term
from kg.terms import serialized

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: Term) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return rdflib.Literal(term.value, datatype=None if datatype == XSD_STRING else datatype)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    raise TypeError(f"unexpected term {term!r}")


class LocalBackend:
    name = "local"

    def __init__(self, store: ox.Store):
        self.store = store

    @classmethod
    def from_release(cls, release: Path) -> LocalBackend:
        from kg.query import load_release

        return cls(load_release(release))

    def select(self, query: str) -> list[Row]:
        solutions = self.store.query(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("not a SELECT query")
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value)
            rows.append(row)
        return rows

    def ask(self, query: str) -> bool:
        return bool(self.store.query(query))

    def construct(self, query: str) -> rdflib.Graph:
        result = self.store.query(query)
        if not isinstance(result, ox.QueryTriples):
            raise ValueError("not a CONSTRUCT or DESCRIBE query")
        data = serialized(result, ox.RdfFormat.N_TRIPLES)
        return rdflib.Graph().parse(data=data, format="nt")
