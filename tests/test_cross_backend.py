"""Every page of the real data, and every example query, answer the same on every engine:
the embedded store, an Oxigraph server and Virtuoso (and, if ``KG_TEST_ENDPOINT`` names a
SPARQL endpoint that holds the real release, that server too: see docs/endpoint.md)."""

from __future__ import annotations

import json
import os
import re

import pyoxigraph as ox
import pytest

from kg.examples import examples
from kg.namespaces import with_prefixes
from kg.release import Release
from tests.page_text import visible_text
from tests.virtuoso import UNION
from tests.virtuoso import virtuoso_serving
from tests.web_fixtures import oxigraph_serving
from web import create_app

BASE = "https://w3id.org/lvpolicy/"
AGGREGATES = ["/index.json", "/plans.json", "/plan.json", "/dashboard.json", "/matrix.json"]
AGGREGATES += ["/figures.json", "/sources.json"]
LANGS = ("lv", "en")


@pytest.fixture(scope="module")
def engines(real_built, tmp_path_factory):
    """name -> test client of the browser on that engine, all over the real release."""
    release = real_built.release
    clients = {"embedded": create_app({"TESTING": True, "RELEASE": str(release)}).test_client()}

    def remote(endpoint: str, default_graph: str | None = None):
        settings = {"RELEASE": str(release), "SPARQL_ENDPOINT": endpoint}
        app = create_app({"TESTING": True, **settings, "SPARQL_DEFAULT_GRAPH": default_graph})
        return app.test_client()

    with (
        oxigraph_serving(release) as oxigraph,
        virtuoso_serving(release, tmp_path_factory.mktemp("virtuoso-real"), cap=10_000) as vt,
    ):
        clients["oxigraph"] = remote(f"{oxigraph}/query")
        clients["virtuoso"] = remote(vt, UNION)
        if os.environ.get("KG_TEST_ENDPOINT"):
            yours = os.environ["KG_TEST_ENDPOINT"], os.environ.get("KG_TEST_DEFAULT_GRAPH")
            clients["yours"] = remote(*yours)
        yield clients


def _pages(release) -> list[str]:
    """Every page type: the aggregates, each plan's pages, every resource and graph."""
    store = Release(release).load_store()
    found = store.query("SELECT DISTINCT ?s WHERE { { ?s ?p ?o } UNION { ?x ?p ?s } }")
    iris = {row["s"].value for row in found if isinstance(row["s"], ox.NamedNode)}
    pages = list(AGGREGATES)
    for iri in sorted(iris):
        if iri.startswith(f"{BASE}id/"):
            pages.append(f"/doc/{iri.removeprefix(BASE + 'id/')}.json")
        elif iri.startswith(f"{BASE}graph/"):
            pages.append(f"/graph/{iri.removeprefix(BASE + 'graph/')}.json")
        if iri.startswith((f"{BASE}id/plan/", f"{BASE}id/guidelines/")) and iri.count("/") == 6:
            slug = iri.rsplit("/", 1)[-1]
            pages += [f"/plans/{slug}.json", f"/plans/{slug}/tree.json"]
            pages.append(f"/plans/{slug}/dashboard.json")
    return pages


def _differences(engines: dict, paths: list[str], fetch) -> list[str]:
    found = []
    for path in paths:
        answers = {name: fetch(client, path) for name, client in engines.items()}
        expected = answers.pop("embedded")
        for name, got in answers.items():
            if got != expected:
                found.append(f"{name} {path}: {_first_difference(got, expected)}")
    print("\n".join(found))  # the whole list, shown when the test fails
    return found


def _first_difference(got, expected, where: str = "") -> str:
    """Where two answers first differ, as a path into them, for a readable failure."""
    if isinstance(got, dict) and isinstance(expected, dict):
        for key in sorted(set(got) | set(expected), key=str):
            if got.get(key) != expected.get(key):
                return _first_difference(got.get(key), expected.get(key), f"{where}.{key}")
    if isinstance(got, list | tuple) and isinstance(expected, list | tuple):
        if len(got) == len(expected):
            for i, (a, b) in enumerate(zip(got, expected, strict=True)):
                if a != b:
                    return _first_difference(a, b, f"{where}[{i}]")
        sizes = f"{len(got)} items != {len(expected)}"
        return f"{where}: {sizes}: {str(got)[:400]} != {str(expected)[:400]}"
    return f"{where}: {str(got)[:400]} != {str(expected)[:400]}"


def test_every_page_is_the_same_on_every_engine(engines, real_built):
    paths = _pages(real_built.release)
    assert len(paths) > 400  # every resource of the real data, not a sample

    def fetch(client, path):
        accept = {"Accept": "application/json"}  # an overview page's JSON, not its HTML
        response = client.get(f"{path}?lang={LANGS[len(path) % 2]}", headers=accept)
        assert response.is_json, path
        return response.status_code, response.get_json()

    assert _differences(engines, paths, fetch) == []


def test_every_overview_page_reads_the_same_on_every_engine(engines):
    """What a reader reads of the overview pages, the search and the workbench, in both
    languages, as HTML (the catalogue, /about and /def included)."""
    paths = [
        f"{path}{'&' if '?' in path else '?'}lang={lang}"
        for path in (*AGGREGATES, "/search?q=kult", "/workbench?example=15-lsm-visitors")
        for lang in ("lv", "en")
    ]

    def fetch(client, path):
        response = client.get(path, headers={"Accept": "text/html"})
        # the time a query took is the one figure that differs from run to run
        text = re.sub(r"[\d,. ]+ ms", " … ms", visible_text(response.get_data(as_text=True)))
        return response.status_code, text

    assert _differences(engines, paths, fetch) == []


def test_every_rdf_form_is_the_same_on_every_engine(engines, real_built):
    paths = [p.removesuffix(".json") for p in _pages(real_built.release) if p.startswith("/doc/")]

    def fetch(client, path):
        response = client.get(path, headers={"Accept": "application/n-triples"})
        return response.status_code, sorted(response.get_data(as_text=True).splitlines())

    assert _differences(engines, paths, fetch) == []


def test_every_example_query_gives_the_same_answer(engines):
    def fetch(client, key):
        # as the workbench sends it: the project's prefixes that the example uses
        query = with_prefixes(next(e.query for e in examples() if e.key == key), BASE)
        response = client.post(
            "/sparql",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        if response.status_code != 200:
            return response.status_code, response.get_data(as_text=True)[:300]
        rows = response.get_json()["results"]["bindings"]
        if "ORDER BY" not in query:
            rows = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
        return 200, rows

    assert _differences(engines, [e.key for e in examples()], fetch) == []


def test_blank_nodes_come_back_as_blank_nodes_on_every_engine(engines):
    """Servers label blank nodes their own way (Virtuoso: ``nodeID://…``): an answer with
    them is a 200 with blank nodes, the same number on every engine, never a 400."""
    query = (
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
        "SELECT ?class ?list WHERE { ?class owl:propertyChainAxiom ?list } ORDER BY ?class"
    )
    answers = {}
    for name, client in engines.items():
        response = client.post(
            "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        assert response.status_code == 200, (name, response.get_data(as_text=True)[:300])
        rows = response.get_json()["results"]["bindings"]
        assert rows and all(r["list"]["type"] == "bnode" for r in rows), name
        answers[name] = [r["class"]["value"] for r in rows]
    assert len(set(map(tuple, answers.values()))) == 1, answers


def test_a_servers_blank_node_labels_are_read_in_xml_too():
    """What Virtuoso writes in the XML results format parses, labels equal where equal."""
    from kg.backends.remote import relabel_blank_nodes

    xml = (
        b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        b'<head><variable name="a"/><variable name="b"/></head><results>'
        b"<result><binding name='a'><bnode>nodeID://b1</bnode></binding>"
        b"<binding name='b'><bnode>nodeID://b1</bnode></binding></result>"
        b"</results></sparql>"
    )
    media = "application/sparql-results+xml"
    [row] = ox.parse_query_results(
        relabel_blank_nodes(xml, media), format=ox.QueryResultsFormat.XML
    )
    assert isinstance(row["a"], ox.BlankNode) and row["a"] == row["b"]
