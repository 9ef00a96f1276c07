"""Ontology checks: labels and comments in lv and en, metadata, OOPS!-style pitfalls, and
no term used anywhere that is not declared (ours in lvp.ttl, others in reused-terms.ttl)."""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib.namespace import OWL
from rdflib.namespace import RDF
from rdflib.namespace import RDFS
from rdflib.namespace import SH

from kg.config import ROOT
from kg.namespaces import LVP

NS = str(LVP._NS)
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
VANN = rdflib.Namespace("http://purl.org/vocab/vann/")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ROOT / "ontology" / "lvp.ttl")


@pytest.fixture(scope="module")
def declared(ontology) -> set[str]:
    reused = rdflib.Graph().parse(ROOT / "ontology" / "reused-terms.ttl")
    return {str(s) for s in set(ontology.subjects()) | set(reused.subjects())}


def _own_terms(ontology) -> dict[str, rdflib.URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        str(s).removeprefix(NS): s
        for k in kinds
        for s in ontology.subjects(RDF.type, k)
        if str(s).startswith(NS)
    }


def test_every_term_has_lv_and_en_label_and_comment(ontology):
    for name, term in _own_terms(ontology).items():
        for predicate in (RDFS.label, RDFS.comment):
            langs = sorted(o.language for o in ontology.objects(term, predicate))
            assert langs == ["en", "lv"], f"{name} {predicate}: {langs}"


def test_namespace_class_matches_the_ontology(ontology):
    in_code = {str(term).removeprefix(NS) for term in dir(LVP) if str(term).startswith(NS)}
    assert in_code == set(_own_terms(ontology))


def test_ontology_metadata(ontology):
    onto = rdflib.URIRef(NS.rstrip("#"))
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert {t.language for t in ontology.objects(onto, DCT.title)} == {"lv", "en"}
    assert ontology.value(onto, OWL.versionIRI) is not None
    assert ontology.value(onto, DCT.license) is not None
    assert str(ontology.value(onto, VANN.preferredNamespacePrefix)) == "lvp"
    assert str(ontology.value(onto, VANN.preferredNamespaceUri)) == NS


def test_no_class_cycles_p06(ontology):
    rows = ontology.query("SELECT ?c WHERE { ?c rdfs:subClassOf+ ?c }")
    assert list(rows) == []


def test_at_most_one_domain_and_range_p19(ontology):
    for name, term in _own_terms(ontology).items():
        assert len(list(ontology.objects(term, RDFS.domain))) <= 1, name
        assert len(list(ontology.objects(term, RDFS.range))) <= 1, name


def test_inverses_agree_on_domain_and_range_p05(ontology):
    for p, q in ontology.subject_objects(OWL.inverseOf):
        assert ontology.value(p, RDFS.domain) == ontology.value(q, RDFS.range), (p, q)
        assert ontology.value(p, RDFS.range) == ontology.value(q, RDFS.domain), (p, q)


def test_naming_conventions_p22_and_no_is_property_p03(ontology):
    for name, term in _own_terms(ontology).items():
        if (term, RDF.type, OWL.Class) in ontology:
            assert re.match(r"^[A-Z][A-Za-z]+$", name), name
        else:
            assert re.match(r"^[a-z][A-Za-z0-9]+$", name), name
            assert name not in ("is", "isA", "is_a"), name


def test_class_labels_are_unique_p32(ontology):
    seen: set[tuple[str, str]] = set()
    for term in ontology.subjects(RDF.type, OWL.Class):
        for label in ontology.objects(term, RDFS.label):
            key = (str(label).lower(), label.language)
            assert key not in seen, key
            seen.add(key)


def test_plan_components_are_disjoint_p10(ontology):
    direction, goal, measure = LVP.ActionDirection, LVP.Goal, LVP.Measure
    assert (direction, OWL.disjointWith, goal) in ontology
    assert (direction, OWL.disjointWith, measure) in ontology
    assert (goal, OWL.disjointWith, measure) in ontology


def test_every_class_is_covered_by_a_shape(ontology, shapes):
    targeted = {str(c) for c in shapes.objects(None, SH.targetClass)}
    for name, term in _own_terms(ontology).items():
        if (term, RDF.type, OWL.Class) not in ontology:
            continue
        subclasses = {str(s) for s in ontology.subjects(RDFS.subClassOf, term)}
        assert str(term) in targeted or (subclasses and subclasses <= targeted), name


def test_every_target_class_and_shape_term_is_declared(shapes, declared):
    for predicate in (SH.targetClass, SH.path, SH["class"], SH.targetSubjectsOf):
        for term in shapes.objects(None, predicate):
            if isinstance(term, rdflib.URIRef):
                assert str(term) in declared, f"{predicate}: {term}"


def test_no_term_used_in_the_data_is_undeclared(store, declared):
    used = {
        r["t"].value
        for r in store.query("SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }")
    }
    assert used - declared == set()


def test_hermit_accepts_the_ontology_as_published(built, tmp_path):
    """The ontology /def serves, as RDF/XML, loaded by owlready2 and classified by HermiT
    (an OWL 2 DL reasoner): every IRI declared, only OWL 2 datatypes as ranges."""
    import owlready2

    from web import create_app

    app = create_app({"TESTING": True, "RELEASE": str(built.release)})
    response = app.test_client().get("/def", headers={"Accept": "application/rdf+xml"})
    app.extensions["kg"]["pool"].close()
    assert response.status_code == 200
    published = tmp_path / "lvp.owl"
    published.write_bytes(response.data)
    world = owlready2.World()
    ontology = world.get_ontology(published.as_uri()).load()
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert not list(world.inconsistent_classes())
    assert len(list(ontology.classes())) > 10
