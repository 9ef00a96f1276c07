"""The endpoint's service description (SPARQL 1.1 Service Description), as RDF.

Node IRIs are fragments of the endpoint's URL, and a named graph's node is named by a hash
of the graph's IRI, so the description is the same on every start of the server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import rdflib

from kg.endpoint.results import GRAPH_ORDER
from kg.examples import Example
from kg.formats import RDF_BY_SUFFIX
from kg.formats import RESULT_FORMATS
from kg.formats import W3C_FORMATS
from kg.namespaces import with_prefixes

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
FORMATS = rdflib.Namespace(W3C_FORMATS)


def service_description(
    endpoint: str, root: str, graphs: Iterable[str], examples: Iterable[Example], base: str
) -> rdflib.Graph:
    """``endpoint``: the URL of /sparql; ``root``: the site's, for the example links."""
    graph = rdflib.Graph()
    graph.bind("sd", SD)
    graph.bind("sh", SH)
    service = rdflib.URIRef(endpoint + "#service")
    graph.add((service, rdflib.RDF.type, SD.Service))
    graph.add((service, SD.endpoint, rdflib.URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    # the default graph is the union of the named graphs; VoID describes the dataset
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, rdflib.RDFS.seeAlso, rdflib.URIRef(f"{root}/.well-known/void")))
    for name in [f.w3c for f in RESULT_FORMATS] + [RDF_BY_SUFFIX[s].w3c for s in GRAPH_ORDER]:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset = rdflib.URIRef(endpoint + "#dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, rdflib.RDF.type, SD.Dataset))
    default = rdflib.URIRef(endpoint + "#default-graph")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, rdflib.RDF.type, SD.Graph))
    for name in sorted(graphs):
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
        named = rdflib.URIRef(f"{endpoint}#graph-{digest}")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, rdflib.RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, rdflib.URIRef(name)))
    for example in examples:
        _example(graph, service, root, example, base)
    return graph


def _example(
    graph: rdflib.Graph, service: rdflib.URIRef, root: str, example: Example, base: str
) -> None:
    """An example query, as a SHACL SPARQL executable with Latvian and English titles."""
    node = rdflib.URIRef(f"{root}/workbench?example={example.key}")
    construct = "CONSTRUCT" in example.query
    kind = SH.SPARQLConstructExecutable if construct else SH.SPARQLSelectExecutable
    graph.add((service, rdflib.RDFS.seeAlso, node))
    graph.add((node, rdflib.RDF.type, kind))
    graph.add((node, rdflib.RDFS.label, rdflib.Literal(example.title_lv, lang="lv")))
    graph.add((node, rdflib.RDFS.label, rdflib.Literal(example.title_en, lang="en")))
    graph.add((node, SH.select, rdflib.Literal(with_prefixes(example.query, base))))
