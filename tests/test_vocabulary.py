"""``/def``, the vocabulary: the whole ontology in every RDF format, a documentation page
with an anchor per term, the version IRI, and the metadata vocabulary checkers ask for."""

from __future__ import annotations

import re
from collections import Counter

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from kg.config import ROOT
from kg.formats import RDF_FORMATS
from kg.namespaces import LVP

ONTOLOGY = "https://w3id.org/lvpolicy/def"
DEFINED_BY = rdflib.RDFS.isDefinedBy


def test_def_serves_every_triple_of_the_ontology_in_every_format(client, store):
    expected = rdflib.Graph().parse(
        data="\n".join(
            str(q.triple) + " ."
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY))
        ),
        format="nt",
    )
    assert len(expected) > 500
    for fmt in RDF_FORMATS:
        if fmt.quads:
            continue
        response = client.get(f"/def.{fmt.suffix}")
        assert response.mimetype == fmt.media
        got = {q.triple for q in ox.parse(response.data, format=fmt.engine)}
        assert len(got) == len(expected), fmt.label
    turtle = client.get("/def", headers={"Accept": "text/turtle"})
    assert isomorphic(rdflib.Graph().parse(data=turtle.get_data(as_text=True)), expected)


def test_the_page_has_an_anchor_per_term_in_both_languages(client):
    declared = set(LVP.__annotations__)
    for lang, word in (("lv", "Klases"), ("en", "Classes")):
        html = client.get(f"/def?lang={lang}").get_data(as_text=True)
        anchors = set(re.findall(r'<section id="([A-Za-z0-9]+)" class="term">', html))
        assert anchors == declared, declared ^ anchors
        assert word in html and 'href="#Goal"' in html


def test_the_version_iri_resolves_and_another_version_does_not(client):
    assert client.get("/def/0.1.0", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/def/0.1.0.nt").mimetype == "application/n-triples"
    assert client.get("/def/0.0.9").status_code == 404


def test_every_term_is_defined_by_the_ontology_and_labels_do_not_clash(store):
    graph = ox.NamedNode(ONTOLOGY)
    defined = {
        q.subject.value
        for q in store.quads_for_pattern(None, ox.NamedNode(str(DEFINED_BY)), graph, graph)
    }
    assert {f"{ONTOLOGY}#{name}" for name in LVP.__annotations__} <= defined
    label = ox.NamedNode(str(rdflib.RDFS.label))
    seen = Counter(
        (q.object.value.lower(), q.object.language)
        for q in store.quads_for_pattern(None, label, None, graph)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ONTOLOGY + "#")
    )
    assert [k for k, n in seen.items() if n > 1] == []


def test_the_ontology_names_its_publisher_dates_status_and_citation(store):
    graph = ox.NamedNode(ONTOLOGY)
    predicates = {
        q.predicate.value
        for q in store.quads_for_pattern(ox.NamedNode(ONTOLOGY), None, None, graph)
    }
    dct = "http://purl.org/dc/terms/"
    for name in ("publisher", "contributor", "issued", "modified", "bibliographicCitation"):
        assert dct + name in predicates, name
    assert "http://purl.org/ontology/bibo/status" in predicates
    assert "http://www.w3.org/2002/07/owl#versionIRI" in predicates
    assert (ROOT / "ontology" / "lvp.ttl").is_file()
