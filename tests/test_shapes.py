"""Each shape has a conforming example and a violating one; both engines agree on them."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib.namespace import RDF
from rdflib.namespace import SH

from kg.rdfio import read_quads
from kg.validate import union_store
from kg.validate import validate_store
from tests.conftest import FIXTURES

SHAPES_NS = "https://w3id.org/lvpolicy/shapes#"
VIOLATIONS = sorted((FIXTURES / "violations").glob("*.ru"))


def _mutated(update_file) -> ox.Store:
    store = union_store(read_quads(FIXTURES / "conforming.ttl"))
    store.update(update_file.read_text(encoding="utf-8"))
    return store


def _expected(update_file) -> tuple[set[str], set[str]]:
    lines = update_file.read_text(encoding="utf-8").splitlines()
    shapes = set(lines[0].removeprefix("# expect:").split())
    severities = set(lines[1].removeprefix("# severity:").split())
    return shapes, severities


@pytest.mark.parametrize("engine", ["pyshacl", "turbo"])
def test_conforming_fixture_has_no_findings(shapes, engine):
    report = validate_store(union_store(read_quads(FIXTURES / "conforming.ttl")), shapes, engine)
    assert report.findings == []


def test_conforming_fixture_is_a_focus_of_every_node_shape(shapes):
    """Otherwise a shape could 'pass' only because it never looks at anything."""
    store = union_store(read_quads(FIXTURES / "conforming.ttl"))
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        classes = list(shapes.objects(shape, SH.targetClass))
        subjects_of = list(shapes.objects(shape, SH.targetSubjectsOf))
        hits = [
            c
            for c in classes
            if list(
                store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(c)))
            )
        ]
        hits += [
            p
            for p in subjects_of
            if list(store.quads_for_pattern(None, ox.NamedNode(str(p)), None))
        ]
        assert hits, f"{shape} has no focus node in the conforming fixture"


@pytest.mark.parametrize("update_file", VIOLATIONS, ids=lambda p: p.stem)
def test_violating_fixture_fires_its_shape(shapes, update_file):
    expected_shapes, expected_severities = _expected(update_file)
    report = validate_store(_mutated(update_file), shapes, "pyshacl")
    fired = {f.shape.removeprefix(SHAPES_NS) for f in report.findings}
    assert fired == expected_shapes
    assert {f.severity for f in report.findings} == expected_severities
    assert all(f.message_lv and f.message_en for f in report.findings)
    assert report.conforms == ("Violation" not in expected_severities)


@pytest.mark.parametrize("update_file", VIOLATIONS, ids=lambda p: p.stem)
def test_turbo_engine_agrees_with_pyshacl(shapes, update_file):
    store = _mutated(update_file)
    assert (
        validate_store(store, shapes, "turbo").findings
        == validate_store(store, shapes, "pyshacl").findings
    )


def test_every_named_shape_has_a_violating_fixture(shapes):
    named = {
        str(s).removeprefix(SHAPES_NS)
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, kind)
        if str(s).startswith(SHAPES_NS)
    }
    covered = set().union(*(_expected(f)[0] for f in VIOLATIONS))
    assert named - covered == set()


def test_messages_are_bilingual(shapes):
    for node in set(shapes.subjects(SH.message, None)):
        langs = {m.language for m in shapes.objects(node, SH.message)}
        assert langs == {"lv", "en"}, node
