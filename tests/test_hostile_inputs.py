"""Hostile RDF files (H44–H48, H50 imports): refused by mechanism, nothing fetched or read."""

from __future__ import annotations

import time

import pytest

from kg.config import ROOT
from kg.config import Config
from kg.rdfio import RdfInputError
from kg.rdfio import read_quads
from tests.conftest import run_kg

OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"
PREFIXES = """@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _refused(tmp_path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(RdfInputError) as failure:
        read_quads(path)
    assert name in str(failure.value)
    return str(failure.value)


def test_h44_doctype_with_external_entity_refused(tmp_path, canary):
    url, hits = canary
    xml = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd"> <!ENTITY y SYSTEM "{url}/dtd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="http://ex/a"><rdf:value>&x;&y;</rdf:value></rdf:Description>
</rdf:RDF>"""
    message = _refused(tmp_path, "evil.rdf", xml)
    assert "line 2: DOCTYPE not allowed" in message
    assert hits == []


def test_h45_billion_laughs_refused_quickly(tmp_path):
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 7)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE r [{entities}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="http://ex/a"><rdf:value>&a6;</rdf:value>'
        "</rdf:Description></rdf:RDF>"
    )
    start = time.process_time()  # CPU time: the refusal is work done here, not a wait
    assert "DOCTYPE not allowed" in _refused(tmp_path, "laughs.rdf", xml)
    assert time.process_time() - start < 1


def test_h45_many_character_references_finish_fast(tmp_path):
    xml = (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="http://ex/a"><rdf:value>'
        + "&#97;" * 400_000
        + "</rdf:value></rdf:Description></rdf:RDF>"
    )
    path = tmp_path / "refs.rdf"
    path.write_text(xml, encoding="utf-8")
    start = time.process_time()
    quads = read_quads(path)
    assert time.process_time() - start < 5  # CPU seconds: linear, not quadratic
    assert len(quads[0].object.value) == 400_000


@pytest.mark.parametrize("iri", ["http://ex/a b", 'http://ex/a"x'])
def test_h46_invalid_iris_refused_with_line(tmp_path, iri):
    message = _refused(
        tmp_path,
        "bad.ttl",
        f'{PREFIXES}\n<http://ex/s> skos:prefLabel "x"@lv .\n<{iri}> skos:prefLabel "y"@lv .\n',
    )
    assert "Parser error at line 7" in message


@pytest.mark.parametrize("escape", ["\\u0000", "\\uFFFE"])
def test_h46_control_characters_refused_at_ingest(tmp_path, escape):
    message = _refused(tmp_path, "ctl.ttl", f'<http://ex/s> <http://ex/p> "a{escape}b" .\n')
    assert "control character" in message


def test_h46_javascript_homepage_and_ill_typed_literals_violate(tmp_path):
    graph = (
        PREFIXES
        + """
<https://w3id.org/lvpolicy/id/org/x> a org:Organization ;
    skos:prefLabel "X"@lv ; foaf:homepage <javascript:alert(1)> .
<https://w3id.org/lvpolicy/id/observation/o> <https://w3id.org/lvpolicy/def#indicator>
    <https://w3id.org/lvpolicy/id/indicator/i> ;
    <http://purl.org/linked-data/sdmx/2009/measure#obsValue> "abc"^^xsd:integer .
"""
    )
    path = tmp_path / "h46.ttl"
    path.write_text(graph, encoding="utf-8")
    result = run_kg("validate", str(path), "--report", str(tmp_path / "r.json"))
    assert result.returncode == 1
    assert "A homepage must be an http(s) URL." in result.stdout
    assert "An observation needs one numeric value (xsd:decimal)." in result.stdout


@pytest.mark.parametrize(
    "context", ["{url}/ctx", "file:///etc/passwd", "/etc/hostname", {"@import": "{url}/ctx"}]
)
def test_h47_remote_or_local_jsonld_context_refused(tmp_path, canary, context):
    url, hits = canary
    import json

    context = json.loads(json.dumps(context).replace("{url}", url))
    document = {"@context": context, "@id": "http://ex/a", "http://ex/p": "x"}
    assert "remote context not allowed" in _refused(tmp_path, "x.jsonld", json.dumps(document))
    assert hits == []


def test_h48_yaml_is_not_an_accepted_format(tmp_path):
    path = tmp_path / "data.yaml"
    path.write_text('x: !!python/object/apply:os.system ["touch /tmp/pwned"]\n', encoding="utf-8")
    result = run_kg("validate", str(path))
    assert result.returncode == 2
    assert "unsupported format '.yaml'" in result.stderr


def test_h50_owl_imports_are_never_followed(tmp_path, canary):
    url, hits = canary
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    for path in (ROOT / "shapes").glob("*.ttl"):
        (shapes / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (shapes / "imports.ttl").write_text(
        f"<https://w3id.org/lvpolicy/shapes#> <{OWL_IMPORTS}> <{url}/s> .\n",
        encoding="utf-8",
    )
    data = tmp_path / "data.ttl"
    data.write_text(
        (ROOT / "tests/fixtures/conforming.ttl").read_text(encoding="utf-8")
        + f"\n<x> <http://www.w3.org/2002/07/owl#imports> <{url}/d> .\n",
        encoding="utf-8",
    )
    from kg.build.validate import load_shapes
    from kg.build.validate import union_store
    from kg.build.validate import validate_store

    for engine in ("pyshacl", "turbo"):
        report = validate_store(union_store(read_quads(data)), load_shapes(shapes), engine)
        assert report.conforms
    assert hits == []
    assert Config().shapes == ROOT / "shapes"
