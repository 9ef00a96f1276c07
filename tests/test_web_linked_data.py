"""Linked data: 303 from /id/ to /doc/, content negotiation, suffixes, 404, languages, search."""

from __future__ import annotations

import pytest
import rdflib

BASE = "https://w3id.org/lvpolicy/"
ORG = "org/kulturas-ministrija"


def test_id_redirects_303_to_doc(client):
    response = client.get(f"/id/{ORG}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/doc/{ORG}")
    assert "Accept" in response.headers["Vary"]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_doc_negotiates_html_and_rdf(client):
    html = client.get(f"/doc/{ORG}", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html" and "Accept" in html.headers["Vary"]
    assert 'rel="alternate"; type="text/turtle"' in html.headers["Link"]
    for media, fmt in (
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
    ):
        response = client.get(f"/doc/{ORG}", headers={"Accept": media})
        assert response.mimetype == media
        graph = rdflib.Graph().parse(data=response.data, format=fmt)
        label = rdflib.Literal("Kultūras ministrija", lang="lv")
        assert (rdflib.URIRef(BASE + "id/" + ORG), rdflib.SKOS.prefLabel, label) in graph


def test_suffix_links_serve_each_format(client):
    for suffix, media in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("nt", "application/n-triples"),
        ("html", "text/html"),
        ("json", "application/json"),
    ):
        response = client.get(f"/doc/{ORG}.{suffix}")
        assert response.status_code == 200 and response.mimetype == media


def test_browser_default_is_html(client):
    response = client.get(
        f"/doc/{ORG}",
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert response.mimetype == "text/html"
    assert client.get(f"/doc/{ORG}", headers={"Accept": "*/*"}).mimetype == "text/html"


def test_unknown_iri_is_404(client):
    assert client.get("/doc/org/no-such-institution").status_code == 404
    assert client.get("/id/org/no-such-institution").status_code == 303
    assert client.get("/graph/no/such/graph").status_code == 404
    assert client.get("/doc/org/no-such.ttl").status_code == 404


def test_latvian_by_default_english_on_request_and_remembered(client):
    lv = client.get(f"/doc/{ORG}.json").get_json()
    assert lv["ref"]["label"] == "Kultūras ministrija" and not lv["ref"]["fallback"]
    en = client.get(f"/doc/{ORG}.json?lang=en")
    assert en.get_json()["ref"]["label"] == "Ministry of Culture"
    assert "lang=en" in en.headers["Set-Cookie"]
    again = client.get(f"/doc/{ORG}.json").get_json()  # the test client keeps cookies
    assert again["ref"]["label"] == "Ministry of Culture"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Plan tree" in html


def test_label_fallback_is_marked(client):
    """A dump's distribution has only an English title: in Latvian it is shown with a
    marker that says so."""
    page = "/doc/dataset/kg/distribution/kg-ttl"
    data = client.get(f"{page}.json?lang=lv").get_json()
    assert data["ref"]["fallback"] is True and data["ref"]["lang"] == "en"
    assert '<small class="fallback"' in client.get(f"{page}?lang=lv").get_data(as_text=True)


def test_search_is_diacritic_insensitive(client):
    hits = client.get("/search.json?q=kulturas").get_json()["hits"]
    assert hits[0]["iri"] == BASE + "id/" + ORG
    upper = client.get("/search.json?q=KULTŪRAS%20ministrija").get_json()["hits"]
    assert upper[0]["iri"] == BASE + "id/" + ORG
    assert client.get("/search.json?q=zzzzqqq").get_json()["hits"] == []


def test_typeahead_returns_links(client):
    hits = client.get("/search/suggest?q=radio").get_json()
    assert hits and all(h["href"].startswith("/doc/") for h in hits)
    assert client.get("/search/suggest?q=r").get_json() == []


def test_dumps_page_lists_sizes_and_checksums_and_serves_files(client, built):
    files = {f["name"]: f for f in client.get("/dumps.json").get_json()["files"]}
    assert {"kg.trig", "kg.nq", "kg.ttl", "kg.nt", "kg.jsonld", "kg.rdf", "SHA256SUMS"} <= set(
        files
    )
    assert files["kg.ttl"]["bytes"] == (built.release / "kg.ttl").stat().st_size
    assert len(files["kg.ttl"]["sha256"]) == 64
    with client.get("/dumps/kg.ttl") as download:
        assert download.status_code == 200 and download.mimetype == "text/turtle"
        assert download.data == (built.release / "kg.ttl").read_bytes()


def test_base_iri_mapping_serves_localhost_iris(tmp_path):
    from kg.build.pipeline import build
    from kg.config import Config
    from web import create_app

    result = build(Config(out=tmp_path, base="http://localhost:5000/"))
    app = create_app(
        {"TESTING": True, "RELEASE": str(result.release), "BASE": "http://localhost:5000/"}
    )
    client = app.test_client()
    data = client.get(f"/doc/{ORG}.json").get_json()
    assert data["ref"]["iri"] == "http://localhost:5000/id/" + ORG
    assert f'href="/doc/{ORG}"' in client.get("/doc/plan/nipsipp-2019-2020").get_data(as_text=True)


def test_the_typeahead_puts_a_code_typed_whole_first_and_names_each_parts_plan(client):
    hits = client.get("/search/suggest?q=2.1&lang=en").get_json()
    assert hits[0]["iri"].endswith("/goal/2-1")  # the goal numbered 2.1, before figures
    directions = [
        h
        for h in client.get("/search/suggest?q=pilsonisk&lang=en").get_json()
        if "/direction/" in h["iri"]
    ]
    assert directions
    # a direction says whose it is: two documents' directions may bear one name
    assert all(" · " in h["kind"] for h in directions), directions
    assert all("2019–2020" in h["kind"] for h in directions if "nipsipp-2019-2020" in h["iri"])


def test_search_facets_by_plan_narrow_to_one_plans_parts(client):
    found = client.get("/search.json?q=integr&lang=en").get_json()
    plans = found["plan_facets"]
    assert plans and all(f["count"] > 0 for f in plans)
    chosen = plans[0]["iri"]
    narrowed = client.get("/search.json", query_string={"q": "integr", "plan": chosen}).get_json()
    assert narrowed["count"] == plans[0]["count"]
    assert all(h["iri"].startswith(chosen + "/") for h in narrowed["hits"])
    page = client.get("/search", query_string={"q": "integr", "plan": chosen, "lang": "en"})
    assert 'id="plan-facets"' in page.get_data(as_text=True)


def test_every_resource_page_links_its_data_forms_visibly(client):
    """Beside <link rel="alternate"> for machines, a line a reader sees: the page as Turtle,
    JSON-LD, N-Triples, RDF/XML, each a working link."""
    import re

    html = client.get("/doc/org/kulturas-ministrija?lang=en").get_data(as_text=True)
    line = html.split('id="formats"', 1)[1].split("</p>", 1)[0]
    links = re.findall(r'<a href="([^"]+)" type="([^"]+)">([^<]+)</a>', line)
    assert {name for _, _, name in links} >= {"Turtle", "JSON-LD"}
    for href, media, _ in links:
        answer = client.get(href)
        assert answer.status_code == 200 and answer.mimetype == media
    assert 'id="formats"' not in client.get("/search?q=x").get_data(as_text=True)
