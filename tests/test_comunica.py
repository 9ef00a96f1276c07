"""Comunica (the common JavaScript Linked Data engine, from the npm registry) reads our
documents as any Linked Data client would: it asks for N-Quads first, and reads the
default graph. Dereferencing a document and traversing links from it must give what the
same document as Turtle gives. The release is built with a loopback base, so every IRI
Comunica follows is ours; tests/browser/comunica.mjs refuses any other fetch."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading

import pyoxigraph as ox
import pytest

from kg.build.pipeline import build
from kg.config import ROOT
from kg.config import Config
from kg.release import Release
from tests.conftest import FIXTURE_DATA
from tests.web_fixtures import free_port
from web import create_app

SCRIPT = ROOT / "tests" / "browser" / "comunica.mjs"
MODULES = ROOT / "tests" / "browser" / "node_modules" / "@comunica"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The code tests' data, built with base http://127.0.0.1:PORT/ and served there:
    (base, release)."""
    from werkzeug.serving import make_server

    if not MODULES.is_dir() or not shutil.which("node"):
        pytest.fail("Comunica is needed: make test installs it (npm ci --prefix tests/browser)")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    built = build(Config(out=tmp_path_factory.mktemp("loopback"), data=FIXTURE_DATA, base=base))
    app = create_app({"TESTING": True, "RELEASE": str(built.release), "BASE": base})
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, built.release
    finally:
        server.shutdown()
        server.server_close()
        app.extensions["kg"]["pool"].close()


def comunica(mode: str, source: str, query: str) -> dict:
    result = subprocess.run(
        ["node", str(SCRIPT), mode, source, query],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=SCRIPT.parent,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def _turtle_objects(base: str, path: str, subject: str, predicate: str) -> set[str]:
    import urllib.request

    with urllib.request.urlopen(f"{base}{path}.ttl", timeout=30) as response:
        triples = ox.parse(response.read(), format=ox.RdfFormat.TURTLE)
        return {
            t.object.value
            for t in triples
            if t.subject.value == subject and t.predicate.value == predicate
        }


def test_dereferencing_a_document_gives_what_turtle_gives(site):
    site, _ = site
    iri = f"{site}id/org/kulturas-ministrija"
    query = f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
    found = comunica("dereference", f"{site}doc/org/kulturas-ministrija", query)
    assert found["refused"] == []
    pairs = {(row["p"], row["o"]) for row in found["rows"]}
    names = _turtle_objects(site, "doc/org/kulturas-ministrija", iri, f"{SKOS}prefLabel")
    assert names and {(f"{SKOS}prefLabel", name) for name in names} <= pairs
    assert len(pairs) >= 5


def test_a_graph_document_reads_the_same_in_every_format(site):
    site, _ = site
    graph = f"{site}graph/km-2021-slides/slide-4/stated"
    found = comunica("dereference", graph, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    import urllib.request

    with urllib.request.urlopen(f"{graph}.ttl", timeout=30) as response:
        turtle = {
            (t.subject.value, t.predicate.value, t.object.value)
            for t in ox.parse(response.read(), format=ox.RdfFormat.TURTLE)
        }
    assert {(r["s"], r["p"], r["o"]) for r in found["rows"]} == turtle and turtle


def test_link_traversal_reaches_what_the_documents_say(site):
    """From the ministry's document, follow its links to the things it names and read
    their types, which only their own documents give: what the release holds."""
    site, release = site
    ministry = f"{site}id/org/kulturas-ministrija"
    query = f"SELECT DISTINCT ?o ?type WHERE {{ <{ministry}> ?p ?o . ?o a ?type }}"
    found = comunica("traverse", f"{site}doc/org/kulturas-ministrija", query)
    got = {(row["o"], row["type"]) for row in found["rows"]}
    store = Release(release).load_store()
    expected = {
        (row["o"].value, row["type"].value)
        for row in store.query(query)
        if row["o"].value.startswith(site)  # what traversal may reach: our documents
    }
    assert expected and expected <= got
    assert all(url.startswith(site) for url in found["fetched"])
    assert len(found["fetched"]) > 1  # it followed links
