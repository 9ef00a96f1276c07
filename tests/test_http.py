"""HTTP as linked-data clients and crawlers use it: CORS on every GET, a strong ETag from
the content with 304, cache headers, gzip and brotli, alternates, schema.org, sitemap."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import brotli

PAGES = ["/", "/plans", "/doc/org/kulturas-ministrija", "/def", "/catalog", "/dumps"]


def test_every_get_allows_other_origins(client):
    for path in [*PAGES, "/doc/org/kulturas-ministrija.ttl", "/def.nt", "/catalog.jsonld"]:
        with client.get(path) as response:
            assert response.headers["Access-Control-Allow-Origin"] == "*", path


def test_a_strong_etag_from_the_content_gives_304(client):
    for path in [*PAGES, "/doc/org/kulturas-ministrija.ttl"]:
        first = client.get(path)
        tag = first.headers["ETag"]
        assert tag.startswith('"') and not tag.startswith("W/"), path
        assert hashlib.sha256(first.data).hexdigest().startswith(tag.strip('"')), path
        assert "max-age" in first.headers["Cache-Control"]
        again = client.get(path, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag


def test_a_dump_is_tagged_by_its_checksum(client, built):
    sums = dict(
        reversed(line.split("  "))
        for line in (built.release / "SHA256SUMS").read_text().splitlines()
    )
    with client.get("/dumps/kg.ttl") as response:
        assert response.headers["ETag"] == f'"{sums["kg.ttl"][:32]}"'
    with client.get("/dumps/kg.ttl", headers={"If-None-Match": response.headers["ETag"]}) as again:
        assert again.status_code == 304


def test_pages_and_rdf_are_compressed_when_asked(client):
    for path in ("/doc/org/kulturas-ministrija", "/def.ttl"):
        plain = client.get(path).data
        packed = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert (
            packed.headers["Content-Encoding"] == "gzip" and gzip.decompress(packed.data) == plain
        )
        squeezed = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert squeezed.headers["Content-Encoding"] == "br"
        assert brotli.decompress(squeezed.data) == plain and len(squeezed.data) < len(plain)
        assert "Accept-Encoding" in squeezed.headers["Vary"]


def test_pages_link_their_rdf_forms_licence_and_dataset(client):
    html = client.get("/doc/org/kulturas-ministrija").get_data(as_text=True)
    for suffix in ("ttl", "nt", "jsonld", "rdf"):
        assert '<link rel="alternate" type="' in html and f'kulturas-ministrija.{suffix}"' in html
    assert '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">' in html
    home = client.get("/").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', home, re.S)
    dataset = json.loads(block.group(1))
    assert dataset["@type"] == "Dataset" and dataset["license"].startswith(
        "https://creativecommons"
    )
    assert {d["contentUrl"].rsplit("/", 1)[1] for d in dataset["distribution"]} >= {"kg.ttl"}


def test_robots_and_sitemap(client):
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: https://w3id.org/lvpolicy/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    assert b"<loc>https://w3id.org/lvpolicy/doc/org/kulturas-ministrija</loc>" in sitemap.data


def _quads(data: bytes, fmt) -> list:
    import pyoxigraph as ox

    return list(ox.parse(data, format=fmt))


def test_resources_and_graphs_come_as_quads_too(client, store):
    """One IRI, one content: a quad format holds the document's triples in the default
    graph (what Turtle holds, what a client reading the default graph gets) and each
    statement in the named graph it comes from."""
    import pyoxigraph as ox

    base = "https://w3id.org/lvpolicy/"
    org = ox.NamedNode(f"{base}id/org/kulturas-ministrija")
    expected = {
        q for q in store.quads_for_pattern(org, None, None) if q.graph_name != ox.DefaultGraph()
    }
    got = set(_quads(client.get("/doc/org/kulturas-ministrija.nq").data, ox.RdfFormat.N_QUADS))
    named = {q for q in got if q.graph_name != ox.DefaultGraph()}
    assert named == expected and named
    trig = client.get("/doc/org/kulturas-ministrija", headers={"Accept": "application/trig"})
    assert set(_quads(trig.data, ox.RdfFormat.TRIG)) == got
    graph = ox.NamedNode(f"{base}graph/km-2021-slides/slide-7/stated")
    own = {q for q in store.quads_for_pattern(None, None, None, graph)}
    quads = set(
        _quads(client.get("/graph/km-2021-slides/slide-7/stated.nq").data, ox.RdfFormat.N_QUADS)
    )
    named = {q for q in quads if q.graph_name != ox.DefaultGraph()}
    assert own <= named
    assert {q for q in named - own} == {
        q for q in store.quads_for_pattern(graph, None, None, ox.NamedNode(f"{base}graph/meta"))
    }
    for path in ("/doc/org/kulturas-ministrija", "/graph/km-2021-slides/slide-7/stated"):
        turtle = set(_quads(client.get(f"{path}.ttl").data, ox.RdfFormat.TURTLE))
        in_default = {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in _quads(client.get(f"{path}.nq").data, ox.RdfFormat.N_QUADS)
            if q.graph_name == ox.DefaultGraph()
        }
        turtle_triples = {ox.Triple(q.subject, q.predicate, q.object) for q in turtle}
        assert in_default == turtle_triples and len(turtle_triples) > 5, path


def test_an_unsupported_accept_is_a_406_listing_the_types(client):
    for path in ("/doc/org/kulturas-ministrija", "/def", "/catalog", "/.well-known/void"):
        response = client.get(path, headers={"Accept": "image/png"})
        assert response.status_code == 406, path
        assert "text/turtle" in response.get_json()["offered"]


def test_void_describes_the_dataset_for_a_first_look(client, store):
    import pyoxigraph as ox

    void = "http://rdfs.org/ns/void#"
    data = client.get("/.well-known/void")
    assert data.mimetype == "text/turtle"
    triples = {q.triple for q in ox.parse(data.data, format=ox.RdfFormat.TURTLE)}
    dataset = ox.NamedNode("https://w3id.org/lvpolicy/id/dataset/kg")

    def values(predicate):
        return [
            t.object
            for t in triples
            if t.subject == dataset and t.predicate == ox.NamedNode(void + predicate)
        ]

    total = next(iter(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))["n"].value
    assert [v.value for v in values("triples")] == [total]
    graphs = {
        q.graph_name
        for q in store.quads_for_pattern(None, None, None)
        if q.graph_name != ox.DefaultGraph()
    }
    assert set(values("subset")) == graphs
    assert values("classPartition") and values("propertyPartition") and values("exampleResource")
    assert values("sparqlEndpoint") == [ox.NamedNode("https://w3id.org/lvpolicy/sparql")]


def test_the_service_description_states_the_union_default_graph_and_links_void(client):
    described = client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert "UnionDefaultGraph" in described and "/.well-known/void" in described


def test_dumps_are_precompressed_and_sent_gzipped_when_accepted(client, built):
    plain = (built.release / "kg.nt").read_bytes()
    packed = (built.release / "kg.nt.gz").read_bytes()
    assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 4
    with client.get("/dumps/kg.nt", headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["Content-Encoding"] == "gzip" and response.data == packed
        assert response.mimetype == "application/n-triples"
    with client.get("/dumps/kg.nt") as response:
        assert "Content-Encoding" not in response.headers and response.data == plain
    with client.get("/dumps/kg.nt.gz") as response:
        assert response.mimetype == "application/gzip" and response.data == packed


# Paths that answer a GET with a cacheable body, one of each kind: a page, an RDF form, the
# catalogue, VoID, a dump, a held source, a SPARQL result and the service description.
CACHED = [
    "/doc/org/kulturas-ministrija",
    "/doc/org/kulturas-ministrija.ttl",
    "/catalog.jsonld",
    "/.well-known/void",
    "/dumps/kg.ttl",
    "/dumps/source.km-2021-slides.txt",
    "/sparql?query=ASK%7B%7D",
    "/sparql",
]


def test_every_cached_path_is_tagged_varied_and_answers_304(client):
    for path in CACHED:
        accept = {"Accept": "text/turtle"} if path == "/sparql" else {}
        with client.get(path, headers=accept) as first:
            assert first.status_code == 200, path
            tag = first.headers["ETag"]
            assert tag.startswith('"') and first.headers["Cache-Control"], path
            # a dump is checked each time (no-cache): a release switch changes it
            assert {"Accept", "Accept-Encoding"} <= set(first.vary), path
        with client.get(path, headers={**accept, "If-None-Match": f'"other", {tag}'}) as again:
            assert again.status_code == 304 and again.data == b"", path
            assert again.headers["ETag"] == tag and "Content-Type" not in again.headers, path
        with client.get(path, headers={**accept, "If-None-Match": '"other"'}) as changed:
            assert changed.status_code == 200, path


def test_q_zero_refuses_a_coding(client):
    """RFC 9110: q=0 means "not acceptable", whatever its place in the header."""
    path = "/doc/org/kulturas-ministrija"
    plain = client.get(path).data
    cases = {
        "br;q=0, gzip": "gzip",
        "gzip;q=0": None,
        "gzip;q=0, br;q=0": None,
        "br;q=0.5, gzip": "gzip",
        "*;q=0.5, br;q=0": "gzip",
        "identity": None,
    }
    for header, expected in cases.items():
        response = client.get(path, headers={"Accept-Encoding": header})
        assert response.headers.get("Content-Encoding") == expected, header
        unpacked = {"gzip": gzip.decompress, "br": brotli.decompress, None: bytes}[expected]
        assert unpacked(response.data) == plain, header


def test_q_zero_on_a_dump_sends_it_as_it_is(client, built):
    plain = (built.release / "kg.nt").read_bytes()
    for header in ("gzip;q=0", "gzip;q=0, br", "br"):
        with client.get("/dumps/kg.nt", headers={"Accept-Encoding": header}) as response:
            assert "Content-Encoding" not in response.headers, header
            assert response.data == plain, header
    with client.get("/dumps/kg.nt", headers={"Accept-Encoding": "br, gzip;q=0.1"}) as response:
        assert response.headers["Content-Encoding"] == "gzip"  # the only coding held
        packed_tag = response.headers["ETag"]
    with client.get("/dumps/kg.nt") as response:
        assert response.headers["ETag"] != packed_tag  # two encodings, two representations


def test_q_zero_refuses_a_media_type(client):
    path = "/doc/org/kulturas-ministrija"
    refused = client.get(path, headers={"Accept": "text/html;q=0, */*"})
    assert refused.status_code == 200 and refused.mimetype != "text/html"
    none = client.get(path, headers={"Accept": "text/html;q=0, application/json;q=0"})
    assert none.status_code == 406
    # the most specific range wins: text/* at 0.2 beats */* for Turtle
    turtle = client.get(path, headers={"Accept": "text/turtle;q=0.2, */*;q=0.5"})
    assert turtle.mimetype == "text/html"
    specific = client.get(path, headers={"Accept": "text/turtle, text/*;q=0.1, */*;q=0.1"})
    assert specific.mimetype == "text/turtle"


def test_a_json_ld_profile_still_gets_json_ld(client):
    accept = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"'
    response = client.get("/doc/org/kulturas-ministrija", headers={"Accept": accept})
    assert response.mimetype == "application/ld+json"
    json.loads(response.data)
