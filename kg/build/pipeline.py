"""``kg build``: tables → facts → validation → dumps, published only if the graph conforms."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.build.publish import locked
from kg.build.publish import publish
from kg.build.search_index import build_index
from kg.build.search_index import index_store
from kg.build.search_index import write_index
from kg.build.serialize import canonical_lines
from kg.build.serialize import write_dumps
from kg.build.serialize import write_lines
from kg.build.tables import write_tables
from kg.build.validate import Report
from kg.build.validate import load_shapes
from kg.build.validate import report_json
from kg.build.validate import validate_lines
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
class Prepared:
    """Mapped facts, as the sorted lines their dumps are written from (the facts' quads
    themselves are let go once they are lines), with how many there were."""

    facts: FactSet
    nquads: bytes
    ntriples: bytes
    quads: int  # the facts', without the ontology
    graphs: tuple[str, ...]  # the facts' named graphs


@dataclass
class Checked(Prepared):
    """A mapped and validated graph."""

    report: Report


@dataclass
class BuildResult:
    release: Path
    report: Report
    quads: int
    graphs: int


def prepare(config: Config) -> Prepared:
    """Map the tables, and write what would be published (the ontology included) as
    sorted lines. Raises DataError on a broken table."""
    facts = map_tables(config.data, Ids(config.base))
    quads = sum(len(group) for group in facts.by_graph.values())
    graphs = tuple(sorted(facts.by_graph))
    groups: dict[str, Iterable[str]] = dict(facts.by_graph)
    facts.by_graph.clear()  # canonical_lines lets each graph's facts go once written
    groups[ONTOLOGY_GRAPH] = {
        f"{q.subject} {q.predicate} {q.object}" for q in ontology_quads(config.ontology)
    }
    nquads, ntriples = canonical_lines(groups)
    return Prepared(facts, nquads, ntriples, quads, graphs)


def validate(config: Config, ntriples: bytes | Path, engine: str | None = None) -> Report:
    """Validate the N-Triples lines (or the file holding them) against the shapes."""
    shapes = load_shapes(config.shapes, config.base)
    return validate_lines(ntriples, shapes, engine or config.shacl_engine)


def check(config: Config, engine: str | None = None) -> Checked:
    """Map the tables and validate what would be published (``kg validate``)."""
    prepared = prepare(config)
    report = validate(config, prepared.ntriples, engine)
    return Checked(**vars(prepared), report=report)


def build(config: Config, engine: str | None = None) -> BuildResult:
    """Map, validate and publish; one build at a time per output folder (BusyError).
    Raises NotConformingError, and publishes nothing, when the graph has violations."""
    with locked(config.out):
        return publish_release(config, prepare(config), engine)


def publish_release(config: Config, prepared: Prepared, engine: str | None = None) -> BuildResult:
    """Validate the graph while its dumps are written into the staging folder, then, if it
    conforms, write the reports and swap the release in (nothing is published if not).

    Why at once: the SHACL engine (Rust) and the dumps' writers (pyoxigraph, zlib) let go
    of the GIL, so on two cores the validation costs almost no wall time (issue 23).

    Takes ``prepared``'s lines: once written as the N-Quads and N-Triples dumps they are
    let go, and everything else reads those files (at 1M facts, 504 MB less held while
    the graph is validated; issue 23).
    """
    facts = prepared.facts
    report: Report | None = None

    def write(folder: Path) -> None:
        nonlocal report
        _, ntriples = write_lines(prepared.nquads, prepared.ntriples, folder)
        prepared.nquads = prepared.ntriples = b""
        with ThreadPoolExecutor(max_workers=1) as pool:
            checking = pool.submit(validate, config, ntriples, engine)
            # one thread for the dumps, the other core for the validation, the longest
            # single task: at 1M two threads for the dumps left the main thread waiting 5 s
            # for a validation slowed down by them (issue 23)
            dumps_threads = (os.cpu_count() or 1) - 1
            write_dumps(folder, config.base, dumps_threads)
            store = index_store(ntriples)
            write_index(build_index(store, config.base), folder / SEARCH_INDEX)
            del store
            (folder / INFO).write_text(_info(prepared, config), encoding="utf-8")
            _copy_held_sources(facts, folder)
            if facts.schema is not None:  # the tables, as CSV on the Web
                write_tables(facts.schema, facts.tables, folder)
            report = checking.result()
        if not report.conforms:
            raise NotConformingError(report, facts.origin)
        (folder / REPORT).write_text(report_json(report), encoding="utf-8")

    release = publish(config.out, write)
    assert report is not None
    return BuildResult(release, report, prepared.quads, len(prepared.graphs))


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


def _info(prepared: Prepared, config: Config) -> str:
    """What a server needs to know about the release, without timestamps (builds repeat)."""
    info = {
        "version": __version__,
        "base": config.base,
        "facts": prepared.quads,
        "graphs": len(prepared.graphs),
        "load_file": LOAD_FILE,
        # the dataset's own graphs: a SPARQL server may hold others (Virtuoso's system graphs)
        "named_graphs": sorted({*prepared.graphs, ONTOLOGY_GRAPH}),
    }
    return json.dumps(info, indent=2, sort_keys=True) + "\n"
