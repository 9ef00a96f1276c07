"""/sparql speaks the SPARQL 1.1 Protocol: methods, formats, negotiation, SD, CORS, read-only."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse

import pytest
import rdflib

SELECT = (
    "SELECT ?v WHERE { ?c <https://w3id.org/lvpolicy/def#refStatus> ?s ; "
    "<http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?v } ORDER BY ?v"
)
CONSTRUCT = (
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER (?s = "
    "<https://w3id.org/lvpolicy/id/org/kulturas-ministrija>) }"
)


def values(response) -> list[str]:
    return [b["v"]["value"] for b in response.get_json()["results"]["bindings"]]


def test_get_post_form_and_post_direct_agree(sparql):
    by_get = sparql.get("/sparql?" + urllib.parse.urlencode({"query": SELECT}))
    by_form = sparql.post("/sparql", data={"query": SELECT})
    by_direct = sparql.post("/sparql", data=SELECT, content_type="application/sparql-query")
    assert by_get.status_code == by_form.status_code == by_direct.status_code == 200
    assert values(by_get) == values(by_form) == values(by_direct) == ["1", "10", "38", "49"]
    assert by_get.mimetype == "application/sparql-results+json"


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
)
def test_select_formats(sparql, accept):
    response = sparql.post("/sparql", data={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    text = response.get_data(as_text=True)
    if accept == "text/csv":
        assert list(csv.reader(io.StringIO(text))) == [["v"], ["1"], ["10"], ["38"], ["49"]]
    elif accept == "text/tab-separated-values":
        assert text.splitlines()[0] == "?v"
        assert text.splitlines()[4] == '"49"^^<http://www.w3.org/2001/XMLSchema#integer>'
    else:
        assert text.count("<result>") == 4 and '<variable name="v"/>' in text


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "application/sparql-results+xml"]
)
def test_ask_formats(sparql, accept):
    response = sparql.get("/sparql?query=ASK%7B%7D", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert b"true" in response.data


def test_ask_as_csv_is_not_acceptable(sparql):
    response = sparql.get("/sparql?query=ASK%7B%7D", headers={"Accept": "text/csv"})
    assert response.status_code == 406 and response.get_json()["error"] == "not_acceptable"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(
    "accept,fmt",
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
    ],
)
def test_construct_formats(sparql, accept, fmt):
    response = sparql.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    graph = rdflib.Graph().parse(data=response.data, format=fmt)
    assert (None, rdflib.SKOS.prefLabel, rdflib.Literal("Kultūras ministrija", lang="lv")) in graph


def test_defaults_when_accept_is_missing_or_any(sparql):
    for headers in ({}, {"Accept": "*/*"}):
        select = sparql.post("/sparql", data={"query": SELECT}, headers=headers)
        assert select.mimetype == "application/sparql-results+json"
        graph = sparql.post("/sparql", data={"query": CONSTRUCT}, headers=headers)
        assert graph.mimetype == "text/turtle"


def test_service_description_on_bare_get(sparql):
    """Its URLs come from the configured base, never from Host: a caching proxy in front
    must not keep a description that names whatever host a client claimed."""
    response = sparql.get("/sparql", headers={"Accept": "text/turtle", "Host": "evil.example"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert b"evil.example" not in response.data
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = graph.value(predicate=rdflib.RDF.type, object=sd.Service)
    assert graph.value(service, sd.endpoint) == rdflib.URIRef("https://w3id.org/lvpolicy/sparql")
    names = set(graph.objects(None, sd.name))
    assert rdflib.URIRef("https://w3id.org/lvpolicy/graph/km-2021-slides/slide-4/stated") in names


def test_cors_is_open_for_reads(sparql):
    response = sparql.get("/sparql?query=ASK%7B%7D")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = sparql.options(
        "/sparql", headers={"Origin": "https://x.example", "Access-Control-Request-Method": "POST"}
    )
    assert (
        preflight.status_code == 204 and "POST" in preflight.headers["Access-Control-Allow-Methods"]
    )


def _count(sparql) -> str:
    response = sparql.get(
        "/sparql?query="
        + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        headers={"Cache-Control": "no-cache"},  # counted now, not remembered
    )
    return response.get_json()["results"]["bindings"][0]["n"]["value"]


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "POST", "data": {"update": "DROP ALL"}},
        {
            "method": "POST",
            "data": "LOAD <file:///etc/passwd>",
            "content_type": "application/sparql-update",
        },
        {"method": "POST", "data": "CLEAR DEFAULT", "content_type": "application/sparql-update"},
        {"method": "GET", "query_string": {"update": "DROP ALL"}},
    ],
)
def test_updates_are_refused_and_change_nothing(sparql, request_kwargs):
    before = _count(sparql)
    response = sparql.open("/sparql", **request_kwargs)
    assert response.status_code == 403
    assert response.get_json() == {
        "error": "read_only",
        "message": "This endpoint is read-only: updates are refused.",
    }
    assert _count(sparql) == before


def test_update_sent_as_query_is_malformed(sparql):
    response = sparql.post("/sparql", data={"query": "INSERT DATA { <a:b> <a:c> 1 }"})
    assert response.status_code == 400 and response.get_json()["error"] == "malformed_query"


def test_protocol_dataset_parameters_restrict_to_held_graphs(sparql):
    graph = "https://w3id.org/lvpolicy/graph/km-2021-slides/slide-4/stated"
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    restricted = sparql.get(
        "/sparql?" + urllib.parse.urlencode({"query": query, "default-graph-uri": graph})
    )
    assert restricted.status_code == 200
    n = int(restricted.get_json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < n < 100
    with_from = sparql.post(
        "/sparql", data={"query": f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"}
    )
    assert json.loads(with_from.data)["results"]["bindings"][0]["n"]["value"] == str(n)


def test_guard_and_limits_apply_on_the_remote_backend(built, oxigraph_server, canary):
    from web import create_app

    url, hits = canary
    app = create_app(
        {
            "TESTING": True,
            "RELEASE": str(built.release),
            "SPARQL_WORKERS": 1,
            "SPARQL_ENDPOINT": f"{oxigraph_server}/query",
            "SPARQL_MAX_ROWS": 1000,
        }
    )
    client = app.test_client()
    try:
        response = client.post("/sparql", data={"query": SELECT})
        assert response.status_code == 200 and values(response) == ["1", "10", "38", "49"]
        service = client.post(
            "/sparql", data={"query": f"SELECT * {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}"}
        )
        assert service.status_code == 400 and service.get_json()["error"] == "service_not_allowed"
        big = client.post("/sparql", data={"query": "SELECT * { ?s ?p ?o }"})
        assert big.status_code == 400 and big.get_json()["error"] == "too_many_results"
        graph = client.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
        assert graph.status_code == 200 and b"Kult\xc5\xabras ministrija" in graph.data
        assert hits == []
    finally:
        app.extensions["kg"]["pool"].close()


@pytest.mark.parametrize(
    "accept,fmt", [("application/n-quads", "nquads"), ("application/trig", "trig")]
)
def test_construct_as_quads(sparql, accept, fmt):
    response = sparql.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    import pyoxigraph as ox

    quads = list(
        ox.parse(
            response.data, format={"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[fmt]
        )
    )
    assert quads and all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)


def test_answers_are_remembered_per_query_and_format(sparql):
    query = "SELECT ?g WHERE { GRAPH ?g {} } LIMIT 3 # test_answers_are_remembered"
    url = "/sparql?" + urllib.parse.urlencode({"query": query})
    first, second = sparql.get(url), sparql.get(url)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")
    assert first.data == second.data
    csv = sparql.get(url, headers={"Accept": "text/csv"})
    assert csv.headers["X-Cache"] == "MISS" and csv.mimetype == "text/csv"
    fresh = sparql.get(url, headers={"Cache-Control": "no-cache"})
    assert fresh.headers["X-Cache"] == "MISS" and fresh.data == first.data


def test_errors_are_not_remembered(sparql):
    url = "/sparql?" + urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o } # too many"})
    for _ in range(2):
        response = sparql.get(url)
        assert response.status_code == 400
        assert "X-Cache" not in response.headers


def test_a_cache_of_zero_keeps_nothing(built):
    from web import create_app

    app = create_app({"TESTING": True, "RELEASE": str(built.release), "SPARQL_CACHE_MB": 0})
    try:
        client = app.test_client()
        statuses = [client.get("/sparql?query=ASK%7B%7D").headers["X-Cache"] for _ in range(2)]
        assert statuses == ["MISS", "MISS"]
    finally:
        app.extensions["kg"]["pool"].close()
