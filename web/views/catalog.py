"""``/catalog``: the DCAT-AP catalogue that data portals harvest, in every RDF format and as
a page. The dumps' sizes and checksums are added here from the release's SHA256SUMS: a dump
cannot hold its own checksum."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from flask import Blueprint
from flask import abort
from flask import request

from kg.queries import query
from web.conneg import RDF_TYPES
from web.conneg import SUFFIXES
from web.conneg import choose
from web.conneg import not_acceptable
from web.conneg import offered
from web.conneg import rdf_response
from web.views._shared import backend
from web.views._shared import base
from web.views._shared import kg
from web.views._shared import labeller
from web.views._shared import memo
from web.views._shared import page
from web.views.dumps import checksums
from web.views.dumps import release_facts

bp = Blueprint("catalog", __name__)
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
# as the official DCAT-AP 3.0.1 shapes want it written (their pattern asks for https)
SHA256 = rdflib.URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")


def catalog_graph() -> rdflib.Graph:
    """The catalogue, each distribution with the byte size and SHA-256 of its file."""
    graph = backend().construct(query("catalog", base()))
    release = kg()["release"]
    sums = checksums()
    for distribution in sorted(graph.subjects(rdflib.RDF.type, DCAT.Distribution), key=str):
        url = graph.value(distribution, DCAT.downloadURL)
        name = str(url).rsplit("/", 1)[-1] if url else ""
        path = release / name
        if not name or not path.is_file():
            continue
        size = rdflib.Literal(path.stat().st_size, datatype=rdflib.XSD.nonNegativeInteger)
        graph.add((distribution, DCAT.byteSize, size))
        if name in sums:
            checksum = rdflib.URIRef(f"{distribution}#sha256")
            graph.add((distribution, SPDX.checksum, checksum))
            graph.add((checksum, rdflib.RDF.type, SPDX.Checksum))
            graph.add((checksum, SPDX.algorithm, SHA256))
            graph.add((SHA256, rdflib.RDF.type, SPDX.ChecksumAlgorithm))
            value = rdflib.Literal(sums[name], datatype=rdflib.XSD.hexBinary)
            graph.add((checksum, SPDX.checksumValue, value))
    for prefix, namespace in (("dcat", DCAT), ("dct", DCT), ("spdx", SPDX)):
        graph.bind(prefix, namespace)
    return graph


@bp.route("/catalog")
@bp.route("/catalog.<suffix>")
def catalog(suffix: str | None = None):
    if suffix is not None and suffix not in SUFFIXES:
        abort(404)
    media = choose(request, suffix)
    if media is None:
        return not_acceptable(offered())
    graph = memo("catalog-graph", catalog_graph)  # the release's: computed once (0.6 s at 1M)
    if media in RDF_TYPES:
        data = graph.serialize(format="nt", encoding="utf-8")
        triples = sorted(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), key=str)
        response = rdf_response([t.triple for t in triples], media)
    else:
        response = page(request, "catalog.html", _summary(graph), media == "application/json")
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'</catalog.{ext}>; rel="alternate"; type="{media_type}"'
        for media_type, (_, ext) in RDF_TYPES.items()
    )
    return response


def _summary(graph: rdflib.Graph) -> dict:
    """What the page shows: the dataset's distributions and the service, with links."""
    labels = labeller()
    distributions = []
    for node in sorted(graph.subjects(rdflib.RDF.type, DCAT.Distribution), key=str):
        media = str(graph.value(node, DCAT.mediaType) or "")
        checksum = graph.value(node, SPDX.checksum)
        distributions.append(
            {
                "title": str(graph.value(node, DCT.title) or ""),
                "url": str(graph.value(node, DCAT.downloadURL) or ""),
                "media_type": media.removeprefix("https://www.iana.org/assignments/media-types/"),
                "bytes": int(str(graph.value(node, DCAT.byteSize) or 0)),
                "sha256": str(graph.value(checksum, SPDX.checksumValue) or "") if checksum else "",
            }
        )
    dataset = rdflib.URIRef(f"{base()}id/dataset/kg")
    return {
        "dataset": labels.ref(dataset),
        "catalog": labels.ref(f"{base()}id/catalog"),
        "distributions": distributions,
        "endpoint": f"{base()}sparql",
        "release": release_facts(),
    }
