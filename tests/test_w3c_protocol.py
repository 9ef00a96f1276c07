"""The W3C SPARQL 1.1 Protocol and Service Description tests, run against /sparql.

The endpoint is read-only: the query tests must pass as written; every update test must get a
clear 4xx and leave the data unchanged. The dataset holds the manifest's graphs (named by
their labels), plus ``data0.rdf``, which ``query_post_form`` names as its default graph.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
import rdflib
import rdflib.collection

from web import create_app

HERE = Path(__file__).parent / "w3c"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
MANIFEST = rdflib.Graph().parse(HERE / "w3c-sparql11-protocol" / "manifest.ttl")
TESTS = list(rdflib.collection.Collection(MANIFEST, next(MANIFEST.objects(None, MF.entries))))
FORMAT_TYPES = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json"),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    release = tmp_path_factory.mktemp("w3c")
    lines = [
        '<http://kasei.us/2009/09/sparql/data/data0.rdf> <http://example.org/p> "0" '
        "<http://kasei.us/2009/09/sparql/data/data0.rdf> .\n"
    ]
    for name in ("data1", "data2", "data3"):
        graph = f"http://kasei.us/2009/09/sparql/data/{name}.rdf"
        for line in (HERE / "w3c-sparql11-protocol" / f"{name}.nt").read_text().splitlines():
            if line.strip():
                lines.append(line.rstrip()[:-1].rstrip() + f" <{graph}> .\n")
    (release / "kg.nq").write_text("".join(lines), encoding="utf-8")
    app = create_app(
        {
            "TESTING": True,
            "RELEASE": str(release),
            "SPARQL_WORKERS": 1,
            "SPARQL_RATE": 1000,
            "SPARQL_BURST": 1000,
        }
    )
    yield app.test_client()
    app.extensions["kg"]["pool"].close()


def _requests(test):
    action = MANIFEST.value(test, MF.action)
    for request in rdflib.collection.Collection(MANIFEST, MANIFEST.value(action, HT.requests)):
        headers = {}
        header_list = MANIFEST.value(request, HT.headers)
        if header_list is not None:
            for header in rdflib.collection.Collection(MANIFEST, header_list):
                headers[str(MANIFEST.value(header, HT.fieldName))] = str(
                    MANIFEST.value(header, HT.fieldValue)
                )
        body = MANIFEST.value(request, HT.body)
        chars = MANIFEST.value(body, CNT.chars) if body is not None else None
        encoding = str(MANIFEST.value(body, CNT.characterEncoding) or "UTF-8") if body else "UTF-8"
        path = str(MANIFEST.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
        data = None if chars is None else str(chars).encode(encoding.lower())
        yield (
            str(MANIFEST.value(request, HT.methodName)),
            path,
            headers,
            data,
            MANIFEST.value(request, HT.resp),
        )


def _count(client) -> str:
    query = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    response = client.get(f"/sparql?query={query}", headers={"Cache-Control": "no-cache"})
    assert response.status_code == 200, response.data
    return response.get_json()["results"]["bindings"][0]["n"]["value"]


@pytest.mark.parametrize("test", TESTS, ids=lambda t: str(t).rsplit("#", 1)[-1])
def test_protocol(client, test):
    name = str(test).rsplit("#", 1)[-1]
    before = _count(client)
    refused = False  # once an update is refused, later checks of its effect do not apply
    for method, path, headers, data, expected in _requests(test):
        content_type = headers.pop("content-type", headers.pop("Content-Type", None))
        response = client.open(
            path, method=method, headers=headers, data=data, content_type=content_type
        )
        statuses = {
            str(s).rsplit("#", 1)[-1] for s in MANIFEST.objects(expected, MF.expectedStatus)
        }
        sends_update = (
            "update" in path.split("?", 1)[-1]
            or b"update=" in (data or b"")
            or "sparql-update" in (content_type or "")
        )
        if sends_update or name.startswith("bad_"):
            assert 400 <= response.status_code < 500, (name, response.status_code)
            assert response.mimetype == "application/json"
            refused = True
            continue
        assert f"StatusCode{str(response.status_code)[0]}xx" in statuses, (name, response.data)
        fmt = MANIFEST.value(expected, MF.expectedFormat)
        if fmt is not None:
            assert response.mimetype in FORMAT_TYPES[str(fmt)], (name, response.mimetype)
        boolean = MANIFEST.value(expected, MF.expectedBoolean)
        if boolean is not None and not refused:
            assert response.get_json()["boolean"] is boolean.toPython(), name
    assert _count(client) == before


def test_service_description_returns_rdf_with_endpoint(client):
    response = client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert response.status_code == 200 and response.mimetype == "application/rdf+xml"
    graph = rdflib.Graph().parse(data=response.data, format="xml")
    services = list(graph.subjects(rdflib.RDF.type, SD.Service))
    assert len(services) == 1
    endpoint = rdflib.URIRef("https://w3id.org/lvpolicy/sparql")  # KG_BASE's, not the Host's
    assert graph.value(services[0], SD.endpoint) == endpoint
    assert graph.value(services[0], SD.supportedLanguage) == SD.SPARQL11Query
    assert (None, SD.name, rdflib.URIRef("http://kasei.us/2009/09/sparql/data/data1.rdf")) in graph


def test_service_description_is_the_same_on_every_start():
    """Its node IRIs are made from the graphs' IRIs, not from Python's per-process hash."""
    import os
    import subprocess
    import sys

    from kg.config import ROOT

    code = (
        "from kg.endpoint.description import service_description\n"
        "g = service_description('http://x/sparql', 'http://x', "
        "['https://w3id.org/lvpolicy/graph/a', 'https://w3id.org/lvpolicy/graph/b'], [], "
        "'https://w3id.org/lvpolicy/')\n"
        "print(sorted(str(n) for n in g.all_nodes()))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and "#graph-" in outputs.pop()
