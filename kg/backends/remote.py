"""The remote backend: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso)."""

from __future__ import annotations

from typing import Any

import rdflib
from rdflib.term import Identifier
from SPARQLWrapper import JSON
from SPARQLWrapper import N3
from SPARQLWrapper import POST
from SPARQLWrapper import SPARQLWrapper

from kg.backends.base import Row


def from_json(cell: dict[str, str]) -> Identifier:
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return rdflib.URIRef(value)
    if kind == "bnode":
        return rdflib.BNode(value)
    if "xml:lang" in cell:
        return rdflib.Literal(value, lang=cell["xml:lang"])
    datatype = cell.get("datatype")
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None
    return rdflib.Literal(value, datatype=datatype)


class RemoteBackend:
    name = "remote"

    def __init__(self, endpoint: str, timeout: int = 30):
        self.endpoint = endpoint
        self.timeout = timeout

    def _client(self, query: str, fmt: str) -> SPARQLWrapper:
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)  # long VALUES blocks do not fit in a URL
        client.setTimeout(self.timeout)
        client.setQuery(query)
        client.setReturnFormat(fmt)
        return client

    def _json(self, query: str) -> dict[str, Any]:
        result = self._client(query, JSON).queryAndConvert()
        if not isinstance(result, dict):
            raise ValueError("the SPARQL server did not answer with JSON results")
        return result

    def select(self, query: str) -> list[Row]:
        return [
            {name: from_json(cell) for name, cell in binding.items()}
            for binding in self._json(query)["results"]["bindings"]
        ]

    def ask(self, query: str) -> bool:
        return bool(self._json(query)["boolean"])

    def construct(self, query: str) -> rdflib.Graph:
        client = self._client(query, N3)
        client.addCustomHttpHeader("Accept", "application/n-triples")
        data = client.query().response.read()
        return rdflib.Graph().parse(data=data, format="nt")
