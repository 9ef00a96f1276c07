"""``kg build``: tables → facts → validation → dumps, published only if the graph conforms."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.build.publish import locked
from kg.build.publish import publish
from kg.build.search_index import build_index
from kg.build.search_index import write_index
from kg.build.serialize import canonical_lines
from kg.build.serialize import write_dumps
from kg.build.tables import write_tables
from kg.build.validate import Report
from kg.build.validate import load_shapes
from kg.build.validate import report_json
from kg.build.validate import validate_store
from kg.config import Config
from kg.mapping import map_tables
from kg.mapping.facts import FactSet
from kg.namespaces import LVP
from kg.rdfio import read_quads
from kg.release import INFO
from kg.release import LOAD_FILE
from kg.release import REPORT
from kg.release import SEARCH_INDEX
from kg.release import held_source_name
from kg.terms import Ids

ONTOLOGY_GRAPH = str(LVP._NS).rstrip("#")  # the ontology's own IRI names its graph


class NotConformingError(Exception):
    """The graph has SHACL violations; nothing was published."""

    def __init__(self, report: Report, origin=None):
        self.report = report
        self.origin = origin  # (focus, path) -> the table cell it comes from, or None
        super().__init__(f"{report.counts()['Violation']} SHACL violation(s); nothing published")


@dataclass
class Checked:
    """A mapped and validated graph, with the sorted lines its dumps are written from."""

    facts: FactSet
    report: Report
    nquads: bytes
    ntriples: bytes
    store: ox.Store


@dataclass
class BuildResult:
    release: Path
    report: Report
    quads: int
    graphs: int


def check(config: Config, engine: str | None = None) -> Checked:
    """Map the tables and validate what would be published (the ontology included).

    Raises DataError on a broken table.
    """
    facts = map_tables(config.data, Ids(config.base))
    groups: dict[str, Iterable[ox.Quad]] = {
        **facts.by_graph,
        ONTOLOGY_GRAPH: ontology_quads(config.ontology),
    }
    nquads, ntriples = canonical_lines(groups)
    store = ox.Store()
    store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    shapes = load_shapes(config.shapes, config.base)
    report = validate_store(store, shapes, engine or config.shacl_engine)
    return Checked(facts, report, nquads, ntriples, store)


def build(config: Config, engine: str | None = None) -> BuildResult:
    """Check and publish; one build at a time per output folder (BusyError)."""
    with locked(config.out):
        checked = check(config, engine)
        if not checked.report.conforms:
            raise NotConformingError(checked.report, checked.facts.origin)
        return publish_release(config, checked)


def publish_release(config: Config, checked: Checked) -> BuildResult:
    """Write the dumps and reports of a conforming graph and swap them in."""
    facts, report = checked.facts, checked.report

    def write(folder: Path) -> None:
        write_dumps(checked.nquads, checked.ntriples, folder, config.base)
        (folder / REPORT).write_text(report_json(report), encoding="utf-8")
        (folder / INFO).write_text(_info(facts, config), encoding="utf-8")
        write_index(build_index(checked.store, config.base), folder / SEARCH_INDEX)
        _copy_held_sources(facts, folder)
        if facts.schema is not None:  # the tables, as CSV on the Web
            write_tables(facts.schema, facts.tables, folder)

    release = publish(config.out, write)
    quads = sum(len(group) for group in facts.by_graph.values())
    return BuildResult(release, report, quads, len(facts.by_graph))


def _copy_held_sources(facts: FactSet, folder: Path) -> None:
    """The source documents the project holds, as ``source.<id><suffix>`` beside the dumps
    (and in SHA256SUMS): a reader can read the text a slide's facts were read from."""
    for source, path in sorted(facts.held_files.items()):
        shutil.copyfile(path, folder / held_source_name(source, path))


def ontology_quads(folder: Path) -> set[ox.Quad]:
    """The ontology, published with the data in its own named graph (its IRI), so that
    queries can follow the property hierarchy and read the labels of classes and roles."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term):  # blank nodes (OWL lists) get labels in file order: same bytes each build
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term, ox.BlankNode(f"ontology{len(labels) + 1}"))
        return term

    quads = {
        ox.Quad(stable(q.subject), q.predicate, stable(q.object), graph)
        for q in read_quads(folder / "lvp.ttl", publishable=True)
    }
    # every term says which vocabulary defines it (what OOPS! and FOOPS! check)
    defined_by = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#isDefinedBy")
    terms = {
        q.subject
        for q in quads
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(f"{ONTOLOGY_GRAPH}#")
    }
    return quads | {ox.Quad(term, defined_by, graph, graph) for term in terms}


def _info(facts: FactSet, config: Config) -> str:
    """What a server needs to know about the release, without timestamps (builds repeat)."""
    info = {
        "version": __version__,
        "base": config.base,
        "facts": sum(len(group) for group in facts.by_graph.values()),
        "graphs": len(facts.by_graph),
        "load_file": LOAD_FILE,
        # the dataset's own graphs: a SPARQL server may hold others (Virtuoso's system graphs)
        "named_graphs": sorted({*facts.by_graph, ONTOLOGY_GRAPH}),
    }
    return json.dumps(info, indent=2, sort_keys=True) + "\n"
