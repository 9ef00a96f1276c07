"""The DCAT-AP catalogue, checked as data portals check it: the official DCAT-AP 3.0.1 SHACL
shapes (tests/conformance/dcat-ap-3.0.1, mandatory, recommended, range, controlled
vocabularies, deprecated IRIs), and every IRI it gives for a download, an access or the
service resolving on the browser."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from kg.formats import RDF_FORMATS

SHAPES = Path(__file__).parent / "conformance" / "dcat-ap-3.0.1"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
BASE = "https://w3id.org/lvpolicy/"
# the warnings left, each explained in docs/publishing.md
EXPLAINED = {
    ("http://purl.org/dc/terms/publisher", "CorporateBodyRestriction"),  # not an EU body
    ("http://www.w3.org/ns/dcat#bbox", ""),  # Latvia named, not drawn
    ("http://www.w3.org/ns/dcat#centroid", ""),
}


@pytest.fixture
def catalog(client) -> rdflib.Graph:
    response = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    return rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")


def _results(graph: rdflib.Graph) -> list[tuple[str, str, str]]:
    shapes = rdflib.Graph()
    for name in sorted(SHAPES.glob("*.ttl")):
        shapes.parse(name)
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, advanced=True, inference="none")
    top = next(report.subjects(rdflib.RDF.type, SH.ValidationReport))
    found = []
    for result in report.objects(top, SH.result):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        path = str(report.value(result, SH.resultPath) or "")
        message = str(report.value(result, SH.resultMessage) or "")
        found.append((severity, path, message))
    return found


def test_the_catalogue_passes_the_official_dcat_ap_shapes(catalog):
    results = _results(catalog)
    assert [r for r in results if r[0] == "Violation"] == []
    for _, path, message in (r for r in results if r[0] == "Warning"):
        assert any(path == p and m in message for p, m in EXPLAINED), (path, message)
    kinds = {rdflib.URIRef(DCAT + k) for k in ("Catalog", "Dataset", "Distribution", "DataService")}
    assert kinds <= set(catalog.objects(None, rdflib.RDF.type))


def test_every_download_access_and_endpoint_iri_resolves(catalog, client):
    links = set()
    for predicate in (DCAT.downloadURL, DCAT.accessURL, DCAT.endpointURL, DCAT.landingPage):
        links |= {str(o) for o in catalog.objects(None, predicate)}
    assert len(links) >= 8
    for link in sorted(links):
        assert link.startswith(BASE), link
        # the endpoint answers its service description to a bare GET for RDF
        with client.get("/" + link.removeprefix(BASE), headers={"Accept": "text/turtle"}) as got:
            assert got.status_code == 200, link


def test_each_distribution_has_the_size_and_checksum_of_its_file(catalog, client):
    distributions = list(catalog.subjects(rdflib.RDF.type, DCAT.Distribution))
    assert len(distributions) == len(RDF_FORMATS) + 1  # each dump, and the tables (CSVW)
    for node in distributions:
        path = "/" + str(catalog.value(node, DCAT.downloadURL)).removeprefix(BASE)
        with client.get(path) as response:
            body = response.data
        assert int(catalog.value(node, DCAT.byteSize)) == len(body)
        checksum = catalog.value(node, SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()


def test_the_catalogue_is_served_in_every_format_and_as_a_page(client):
    catalogue = ox.Triple(
        ox.NamedNode(f"{BASE}id/catalog"),
        ox.NamedNode(str(rdflib.RDF.type)),
        ox.NamedNode(str(DCAT.Catalog)),
    )
    for fmt in RDF_FORMATS:
        if fmt.quads:
            continue
        response = client.get(f"/catalog.{fmt.suffix}")
        assert response.mimetype == fmt.media
        assert catalogue in {q.triple for q in ox.parse(response.data, format=fmt.engine)}
    html = client.get("/catalog?lang=en").get_data(as_text=True)
    assert "Data catalogue" in html and "/dumps/kg.ttl" in html


def test_the_catalogue_is_the_same_on_virtuoso(built, roomy_virtuoso):
    """Virtuoso answered the catalogue's query with nothing (VALUES in a UNION), and
    /catalog was an empty 200; every engine gives the same catalogue."""
    from tests.virtuoso import UNION
    from tests.web_fixtures import close_app
    from web import create_app

    graphs = []
    for extra in ({}, {"SPARQL_ENDPOINT": roomy_virtuoso, "SPARQL_DEFAULT_GRAPH": UNION}):
        app = create_app({"TESTING": True, "RELEASE": str(built.release), **extra})
        try:
            response = app.test_client().get("/catalog.nt")
            assert response.status_code == 200
            graphs.append(rdflib.Graph().parse(data=response.data, format="nt"))
        finally:
            close_app(app)
    embedded, virtuoso = graphs
    assert len(embedded) > 100
    assert set(embedded) == set(virtuoso)
