"""Each shape has a conforming example and a violating one; three engines agree on them:
pyshacl, pyshacl-turbo (the build's) and shacl-engine (JavaScript)."""

from __future__ import annotations

import dataclasses
import re
import subprocess

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF
from rdflib.namespace import SH

from kg.build.validate import report_findings
from kg.build.validate import union_store
from kg.build.validate import validate_store
from kg.config import ROOT
from kg.rdfio import read_quads
from tests.conftest import FIXTURES

NODE_TOOLS = ROOT / "tests" / "browser"
SHACL_ENGINE = NODE_TOOLS / "node_modules" / "shacl-engine" / "package.json"

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


# shacl-engine (JavaScript, from the npm registry) is the third engine: it writes a filled-in
# message's values in N-Triples ("2"^^<…#integer>, <iri>) where the others write them bare.
_NT_TERM = re.compile(r'"((?:[^"\\]|\\.)*)"(?:\^\^<[^>]*>|@[A-Za-z-]+)?|<([^>\s]*)>')


def _as_the_others_write(finding):
    def bare(text: str) -> str:
        return _NT_TERM.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)

    return dataclasses.replace(
        finding, message_lv=bare(finding.message_lv), message_en=bare(finding.message_en)
    )


def _cases():
    yield "conforming", union_store(read_quads(FIXTURES / "conforming.ttl"))
    for update in VIOLATIONS:
        yield update.stem, _mutated(update)


@pytest.fixture(scope="module")
def shacl_engine_reports(tmp_path_factory, built):
    """Every case, and the code tests' release, validated in one run of shacl-engine."""
    if not SHACL_ENGINE.is_file():
        pytest.fail(
            "shacl-engine is missing: `make test` installs it (npm ci --prefix tests/browser)"
        )
    folder = tmp_path_factory.mktemp("shacl-engine")
    cases = [*_cases(), ("release", union_store(read_quads(built.release / "kg.nq")))]
    for name, store in cases:
        with (folder / f"{name}.nt").open("wb") as handle:
            store.dump(handle, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    shapes = sorted(str(p) for p in (ROOT / "shapes").glob("*.ttl"))
    data = [str(folder / f"{name}.nt") for name, _ in cases]
    subprocess.run(
        ["node", str(NODE_TOOLS / "shacl-engine.mjs"), str(folder), *shapes, "--", *data],
        check=True,
        cwd=NODE_TOOLS,
        timeout=600,
    )
    return folder, dict(cases)


@pytest.mark.parametrize("name", ["conforming", *(p.stem for p in VIOLATIONS), "release"])
def test_shacl_engine_agrees_with_pyshacl(shapes, shacl_engine_reports, name):
    """Every result, core and SPARQL-based: focus, shape, severity, path, value, messages."""
    folder, stores = shacl_engine_reports
    report = rdflib.Graph().parse(folder / f"{name}.report.nt", format="nt")
    theirs = sorted(_as_the_others_write(f) for f in report_findings(report, shapes))
    assert theirs == validate_store(stores[name], shapes, "pyshacl").findings


def test_ascii_lines_are_the_same_triples(tmp_path):
    """The validator is handed N-Triples with every non-ASCII character escaped: the text
    must read back as the very same triples (Latvian letters, a character past U+FFFF,
    Latin-1 letters that Python would write as ``\\xe9``, and text with backslashes)."""
    from kg.build import validate

    text = (
        '<http://e/s> <http://e/p> "Kultūras ministrija"@lv .\n'
        '<http://e/s> <http://e/p> "café «x» \\\\xe9 \\\\u0041 \U0001f600" .\n'
        "<http://e/ā> <http://e/p> <http://e/š> .\n"
    ) * 3
    data = text.encode()

    def parsed(lines: bytes) -> set:
        return set(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES))

    path = tmp_path / "lines.nt"
    path.write_bytes(data)
    for source in (data, path):  # the lines, or their file; several chunks, cut at lines
        escaped = validate.ascii_lines(source, size=40)
        assert escaped.isascii()
        assert parsed(escaped.encode()) == parsed(data)
    assert len(parsed(data)) == 3
