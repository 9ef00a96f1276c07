"""The W3C SPARQL 1.1 query tests (tests/w3c/, from shared/conformance), read from
their manifests: each test's kind, query file, and default and named data files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib import Namespace
from rdflib import URIRef
from rdflib.collection import Collection

from kg.config import ROOT

SUITE = ROOT / "tests" / "w3c" / "w3c-sparql11-query"  # copied from shared/conformance
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
KINDS = {
    MF.PositiveSyntaxTest11: "positive",
    MF.NegativeSyntaxTest11: "negative",
    MF.QueryEvaluationTest: "evaluation",
    MF.CSVResultFormatTest: "evaluation",
}


@dataclass(frozen=True)
class QueryTest:
    name: str  # folder/test
    kind: str  # positive, negative, evaluation
    query: Path
    data: tuple[Path, ...] = ()
    named: tuple[Path, ...] = ()

    @property
    def base(self) -> str:
        """The IRI of the query file, against which its relative IRIs resolve."""
        return self.query.as_uri()

    def text(self) -> str:
        return self.query.read_bytes().decode("utf-8")


def query_tests() -> list[QueryTest]:
    """Every test of the suite's manifests whose query is a file we hold."""
    top = Graph().parse(SUITE / "manifest-sparql11-query.ttl", format="turtle")
    found: list[QueryTest] = []
    for manifest in _includes(top):
        found.extend(_tests(SUITE / manifest))
    return found


def _includes(top: Graph) -> list[str]:
    include = next(top.objects(predicate=MF.include))
    return [Path(str(iri)).parent.name + "/manifest.ttl" for iri in Collection(top, include)]


def _tests(path: Path) -> list[QueryTest]:
    graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
    folder = path.parent.name
    tests = []
    for subject, kind in graph.subject_objects(RDF_TYPE):
        if kind not in KINDS:
            continue
        action = graph.value(subject, MF.action)
        query = graph.value(action, QT.query) if kind == MF.QueryEvaluationTest else action
        if query is None and kind == MF.CSVResultFormatTest:
            query = graph.value(action, QT.query)
        if query is None:
            continue
        data = tuple(_local(d) for d in graph.objects(action, QT.data))
        named = tuple(_local(d) for d in graph.objects(action, QT.graphData))
        local = _local(query)
        if local.is_file():
            name = f"{folder}/{str(subject).rsplit('#', 1)[-1]}"
            tests.append(QueryTest(name, KINDS[kind], local, data, named))
    return sorted(tests, key=lambda t: t.name)


def _local(iri) -> Path:
    return Path(str(iri).removeprefix("file://"))
