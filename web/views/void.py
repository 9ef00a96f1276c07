"""``/.well-known/void``: the dataset described in VoID, for a researcher's first look:
its size, class and property partitions, one subset per named graph with its size and its
source, the SPARQL endpoint, the dumps, example resources and the vocabulary."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from flask import Blueprint
from flask import request

from kg.formats import RDF_FORMATS
from kg.queries import query
from web.conneg import RDF_TYPES
from web.conneg import negotiate
from web.conneg import not_acceptable
from web.conneg import rdf_response
from web.views._shared import backend
from web.views._shared import base
from web.views._shared import kg

bp = Blueprint("void", __name__)
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
DCT_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")


def _v(name: str) -> ox.NamedNode:
    return ox.NamedNode(VOID + name)


def _count(value) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


def void_triples() -> list[ox.Triple]:
    root = base()
    dataset = ox.NamedNode(f"{root}id/dataset/kg")
    out: list[ox.Triple] = [ox.Triple(dataset, RDF_TYPE, _v("Dataset"))]

    def add(s, p, o) -> None:
        out.append(ox.Triple(s, p, o))

    [totals] = backend().select(query("void-counts", root))
    add(dataset, _v("triples"), _count(totals["triples"]))
    add(dataset, _v("entities"), _count(totals["entities"]))
    add(dataset, _v("properties"), _count(totals["properties"]))
    add(dataset, _v("sparqlEndpoint"), ox.NamedNode(f"{root}sparql"))
    add(dataset, _v("uriSpace"), ox.Literal(f"{root}id/"))
    add(dataset, _v("vocabulary"), ox.NamedNode("https://w3id.org/lvpolicy/def#"))
    classes = backend().select(query("void-classes", root))
    add(dataset, _v("classes"), _count(len(classes)))
    for row in classes:
        node = _part(dataset, "class", str(row["class"]))
        add(dataset, _v("classPartition"), node)
        add(node, _v("class"), ox.NamedNode(str(row["class"])))
        add(node, _v("entities"), _count(row["n"]))
    for row in backend().select(query("void-properties", root)):
        node = _part(dataset, "property", str(row["property"]))
        add(dataset, _v("propertyPartition"), node)
        add(node, _v("property"), ox.NamedNode(str(row["property"])))
        add(node, _v("triples"), _count(row["n"]))
    seen = set()
    for row in backend().select(query("void-graphs", root)):
        graph = ox.NamedNode(str(row["graph"]))
        if graph not in seen:
            seen.add(graph)
            add(dataset, _v("subset"), graph)
            add(graph, RDF_TYPE, _v("Dataset"))
            add(graph, _v("triples"), _count(row["n"]))
        if "source" in row:
            add(graph, DCT_SOURCE, ox.NamedNode(str(row["source"])))
    for fmt in RDF_FORMATS:
        add(dataset, _v("dataDump"), ox.NamedNode(f"{root}dumps/{fmt.dump}"))
    for example in _examples(root):
        add(dataset, _v("exampleResource"), ox.NamedNode(example))
    return sorted(out, key=str)


def _examples(root: str) -> list[str]:
    """The plan the site opens on, and the institution in most activities."""
    from kg.explore.institutions import role_iris
    from kg.queries import paged

    found = [kg()["site"]["focus"]] if kg()["site"]["focus"] else []
    top = backend().select(paged(query("top-institutions", root, role=role_iris()), 1, 0))
    return found + [str(row["institution"]) for row in top]


def _part(dataset: ox.NamedNode, kind: str, iri: str) -> ox.NamedNode:
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:12]
    return ox.NamedNode(f"{dataset.value}/void/{kind}/{digest}")


@bp.route("/.well-known/void")
def void():
    media = negotiate(request.headers.get("Accept"), list(RDF_TYPES), "text/turtle")
    if media is None:
        return not_acceptable(list(RDF_TYPES))
    triples = kg()["overview_memo"].get(("void",), void_triples)
    response = rdf_response(triples, media)
    response.headers["Vary"] = "Accept"
    return response
