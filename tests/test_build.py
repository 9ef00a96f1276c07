"""kg build: all six dumps and checksums, byte-identical rebuilds, atomic publication."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.build.pipeline import NotConformingError
from kg.build.pipeline import build
from kg.build.publish import publish
from kg.build.serialize import QUAD_FORMATS
from kg.build.serialize import TRIPLE_FORMATS
from kg.config import Config
from tests.conftest import run_kg

DUMPS = [*QUAD_FORMATS, *TRIPLE_FORMATS]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_build_publishes_six_dumps_and_checksums(built):
    names = {p.name for p in built.release.iterdir()}
    assert set(DUMPS) <= names
    assert "SHA256SUMS" in names
    for line in (built.release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((built.release / name).read_bytes()).hexdigest() == digest
    listed = {
        line.split("  ")[1] for line in (built.release / "SHA256SUMS").read_text().splitlines()
    }
    assert listed == names - {"SHA256SUMS"}


def test_dist_points_at_the_release(built):
    dist = built.release.parent.parent / "dist"
    assert dist.is_symlink() and dist.resolve() == built.release.resolve()


def _canonical(quads) -> set[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


@pytest.mark.parametrize("name", list(QUAD_FORMATS))
def test_quad_dumps_reparse_to_the_same_dataset(built, name):
    """Both quad dumps hold the same dataset: every named graph plus the union."""
    fmt = QUAD_FORMATS[name]
    reference = _canonical(ox.parse(path=str(built.release / "kg.nq"), format=ox.RdfFormat.N_QUADS))
    parsed = _canonical(ox.parse(path=str(built.release / name), format=fmt))
    assert parsed == reference
    assert any("/graph/km-2021-slides/slide-4/stated>" in q for q in parsed)


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("name", list(TRIPLE_FORMATS))
def test_triple_dumps_reparse_to_the_union(built, name):
    """An independent parser (rdflib) reads each triple dump back as the same graph."""
    fmt = {"kg.ttl": "turtle", "kg.nt": "nt", "kg.jsonld": "json-ld", "kg.rdf": "xml"}[name]
    reference = rdflib.Graph().parse(built.release / "kg.nt", format="nt")
    parsed = rdflib.Graph().parse(built.release / name, format=fmt)
    assert isomorphic(parsed, reference)
    assert len(reference) > 2000


def test_union_in_quad_dumps_equals_triple_dumps(built):
    union = {
        str(q.triple)
        for q in ox.parse(path=str(built.release / "kg.nq"), format=ox.RdfFormat.N_QUADS)
        if isinstance(q.graph_name, ox.DefaultGraph)
    }
    triples = {
        str(t) for t in ox.parse(path=str(built.release / "kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    }
    assert union == triples


def test_union_default_graph_holds_each_fact_once(store):
    """A fact stated on two sources sits in two named graphs but once in the default graph."""
    fact = """<https://w3id.org/lvpolicy/id/org/sabiedribas-integracijas-fonds>
        <http://www.w3.org/2004/02/skos/core#prefLabel> "Sabiedrības integrācijas fonds"@lv"""
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {fact} }}"))
    assert rows[0]["n"].value == "1"
    graphs = list(store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {fact} }} }}"))
    assert len(graphs) == 2


def test_two_builds_give_identical_bytes_whatever_the_hash_seed(tmp_path):
    outs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out-{seed}"
        result = run_kg("build", "--out", str(out), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outs.append(_files(out / "dist"))
    assert outs[0] == outs[1]


def test_base_iri_is_configurable(tmp_path):
    result = build(Config(out=tmp_path, base="http://localhost:5000/"))
    text = (result.release / "kg.nt").read_text(encoding="utf-8")
    assert "<http://localhost:5000/id/org/kulturas-ministrija>" in text
    assert "w3id.org/lvpolicy/id/" not in text
    assert result.report.conforms


def test_violation_refuses_to_publish_and_keeps_last_release(tmp_path, data_copy):
    good = build(Config(out=tmp_path))
    before = _files(tmp_path / "dist")
    counts = data_copy / "reported-counts.csv"
    # an inferred count (a stated one must match its quote: kg.mapping.quotes) that
    # breaks the sum
    counts.write_text(
        counts.read_text().replace(
            ",10,Netika piešķirts finansējums 10 pasākumiem,km-2021-slides#slide=4,stated",
            ",11,,km-2021-slides#slide=4,inferred",
        ),
        encoding="utf-8",
    )
    with pytest.raises(NotConformingError) as failure:
        build(Config(out=tmp_path, data=data_copy))
    messages = [f.message_en for f in failure.value.report.findings if f.severity == "Violation"]
    assert any("add up to 50, not to the reported total 49" in m for m in messages)
    assert _files(tmp_path / "dist") == before
    assert (tmp_path / "dist").resolve() == good.release.resolve()


def _die_while_writing(out: Path) -> None:
    def write(folder: Path) -> None:
        (folder / "kg.nq").write_bytes(b"<http://a> <http://b> <http://c> .\n" * 1000)
        (folder / "kg.ttl").write_bytes(b"@prefix")  # half a file
        os._exit(9)  # as abrupt as SIGKILL: no cleanup runs

    publish(out, write)


def test_killed_build_leaves_the_last_release_and_is_cleaned_up(tmp_path):
    build(Config(out=tmp_path))
    before = _files(tmp_path / "dist")
    child = multiprocessing.get_context("fork").Process(target=_die_while_writing, args=(tmp_path,))
    child.start()
    child.join(30)
    assert child.exitcode == 9
    assert _files(tmp_path / "dist") == before
    assert list((tmp_path / "releases").glob(".tmp-*")), "the killed build left its staging folder"
    build(Config(out=tmp_path))
    assert not list((tmp_path / "releases").glob(".tmp-*"))
    assert _files(tmp_path / "dist") == before


def test_release_is_readable_by_others(built):
    assert built.release.stat().st_mode & 0o005 == 0o005


def test_generated_tables_build_and_conform(tmp_path):
    """The benchmarks' synthetic tables keep the shape of data/: they build and conform, and
    `--triples N` means about N facts (a benchmark's "1M" is a million)."""
    from kg.build.generate import generate

    counts = generate(tmp_path / "data", 10_000)
    result = build(Config(out=tmp_path / "out", data=tmp_path / "data"))
    assert result.report.conforms and counts["measures"] >= 100
    assert 8_000 <= result.quads <= 12_500


def test_coded_dimensions_name_their_code_lists_and_keep_to_them(store):
    """Data Cube integrity constraint IC-5: a coded dimension's values are in its list."""
    prologue = (
        "PREFIX qb: <http://purl.org/linked-data/cube#> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    )
    coded = list(
        store.query(prologue + "SELECT ?d WHERE { ?d a qb:CodedProperty ; qb:codeList ?l }")
    )
    assert len(coded) == 3
    outside = (
        prologue
        + """SELECT ?obs WHERE {
        ?dim a qb:CodedProperty ; qb:codeList ?list . ?obs a qb:Observation ; ?dim ?v .
        FILTER NOT EXISTS { ?v skos:inScheme ?list } }"""
    )
    assert list(store.query(outside)) == []


def test_the_search_index_reads_every_statement_it_needs(built):
    """The index's store holds only the predicates its queries read (kg.build.search_index
    READ): made from the whole published graph, the index is the same, entry for entry."""
    import pyoxigraph as ox

    from kg.build.search_index import build_index
    from kg.build.search_index import index_store
    from kg.config import DEFAULT_BASE

    ntriples = (built.release / "kg.nt").read_bytes()
    whole = ox.Store()
    whole.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    index = build_index(index_store(ntriples), DEFAULT_BASE)
    assert index == build_index(whole, DEFAULT_BASE)
    assert any("words" in entry for entry in index) and len(index) > 100
    published = json.loads((built.release / "search-index.json").read_text(encoding="utf-8"))
    assert published == index


@pytest.mark.parametrize("size", [1, 7, 64, 10_000])
def test_line_chunks_cut_at_line_ends(tmp_path, size):
    """The build reads its lines back in chunks (validation, search index): from bytes or
    a file, every chunk ends a line and together they are the whole."""
    from kg.build.serialize import line_chunks

    data = b"".join(b'<s> <p> "%d" .\n' % i for i in range(300)) + b'<s> <p> "last" .'
    path = tmp_path / "lines.nt"
    path.write_bytes(data)
    for source in (data, path):
        chunks = list(line_chunks(source, size))
        assert b"".join(chunks) == data
        assert all(chunk.endswith(b"\n") for chunk in chunks[:-1])


def test_a_mapping_folder_left_by_a_killed_build_is_removed(tmp_path):
    """The mapping writes its files in OUT/.mapping-*; a build killed while mapping leaves
    the folder, and the next build removes it (and its own) and publishes the same bytes."""
    build(Config(out=tmp_path))
    before = _files(tmp_path / "dist")
    left = tmp_path / ".mapping-killed"
    left.mkdir()
    (left / "kg.nt").write_bytes(b"<s> <p> ")  # half a line
    build(Config(out=tmp_path))
    assert not list(tmp_path.glob(".mapping-*"))
    assert _files(tmp_path / "dist") == before


@pytest.mark.parametrize("bad", ["kulturas ministrija", "kultūras-ministrija", "a<b>"])
def test_an_id_that_cannot_be_an_iri_is_refused_with_its_cell(data_copy, tmp_path, bad):
    """An id is part of an IRI: one with a space or a letter outside ASCII used to end the
    build in a traceback (pyoxigraph's "Invalid IRI code point"); it is a problem naming
    the file, row and column, and nothing is published."""
    from tests.conftest import build_refused

    path = data_copy / "institutions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first_id = lines[1].split(",", 1)[0]
    lines[1] = bad + lines[1][len(first_id) :]
    path.write_text("".join(lines), encoding="utf-8")
    text = build_refused(data_copy, tmp_path / "out")
    assert f"institutions.csv, row 2, column 'id': id {bad!r}" in text
    assert not (tmp_path / "out" / "dist").exists()
