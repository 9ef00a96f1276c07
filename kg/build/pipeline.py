"""``kg build``: tables → facts → validation → dumps, published only if the graph conforms."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.build.apart import run_apart
from kg.build.institutions import institution_table
from kg.build.institutions import write_institution_table
from kg.build.memory import give_back
from kg.build.publish import Settled
from kg.build.publish import locked
from kg.build.publish import publish
from kg.build.publish import settle
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
from kg.release import INSTITUTIONS
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
    ntriples: bytes  # the union's sorted N-Triples
    named: list[bytes]  # each named graph's sorted N-Quads: kg.nq is ntriples, then these
    quads: int  # the facts', without the ontology
    graphs: tuple[str, ...]  # the facts' named graphs


@dataclass
class Mapped:
    """Mapped facts whose sorted lines (``kg.nq``, ``kg.nt``) and tables are written in
    ``folder``; ``facts`` keeps what the release needs besides (its graphs,
    held sources, and where each fact came from), its lines and tables let go."""

    facts: FactSet
    folder: Path
    quads: int
    graphs: tuple[str, ...]


@dataclass
class Checked:
    """A mapped and validated graph: its report, and its facts to trace a problem to the
    table cell it comes from."""

    facts: FactSet
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
    groups: dict[str, Iterable[bytes]] = dict(facts.by_graph)
    facts.by_graph.clear()  # canonical_lines lets each graph's facts go once written
    groups[ONTOLOGY_GRAPH] = {
        f"{q.subject} {q.predicate} {q.object}".encode() for q in ontology_quads(config.ontology)
    }
    ntriples, named = canonical_lines(groups)
    return Prepared(facts, ntriples, named, quads, graphs)


def validate(config: Config, ntriples: bytes | Path, engine: str | None = None) -> Report:
    """Validate the N-Triples lines (or the file holding them) against the shapes."""
    shapes = load_shapes(config.shapes, config.base)
    return validate_lines(ntriples, shapes, engine or config.shacl_engine)


def check(config: Config, engine: str | None = None) -> Checked:
    """Map the tables and validate what would be published (``kg validate``); mapped in a
    child process, as :func:`build` does, so that its memory is not held meanwhile."""
    with tempfile.TemporaryDirectory(prefix="kg-validate-") as folder:
        mapped = run_apart(write_mapped, config, Path(folder))
        report = validate(config, Path(folder) / "kg.nt", engine)
    return Checked(mapped.facts, report)


def build(config: Config, engine: str | None = None) -> BuildResult:
    """Map, validate and publish; one build at a time per output folder (BusyError).
    Raises NotConformingError, and publishes nothing, when the graph has violations.

    The mapping runs in a child process (kg.build.apart) that writes the lines and the
    tables, and ends: the memory it took is not held while the graph is validated (at 1M
    facts, one process peaked at 1.33 GB, the two now at 0.9 GB; issue 23)."""
    with locked(config.out):
        for leftover in config.out.glob(f"{MAPPING}*"):  # a build killed while mapping
            shutil.rmtree(leftover, ignore_errors=True)
        folder = Path(tempfile.mkdtemp(prefix=MAPPING, dir=config.out))
        try:
            return publish_release(config, run_apart(write_mapped, config, folder), engine)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


MAPPING = ".mapping-"  # the mapping's folder in the output folder, while a build runs


def write_mapped(config: Config, folder: Path) -> Mapped:
    """Map the tables, and write into ``folder`` the sorted lines and the tables as CSV on
    the Web. Raises DataError on a broken table."""
    prepared = prepare(config)
    write_lines(prepared.ntriples, prepared.named, folder)
    facts = prepared.facts
    if facts.schema is not None:  # the tables, as CSV on the Web
        write_tables(facts.schema, facts.tables, folder)
    facts.tables = {}  # written: not sent back
    return Mapped(facts, folder, prepared.quads, prepared.graphs)


def publish_release(config: Config, mapped: Mapped, engine: str | None = None) -> BuildResult:
    """Move the mapping's files into the staging folder and validate the graph while the
    other dumps are written, then, if it conforms, write the reports and swap the release
    in (nothing is published if not).

    Why at once: the SHACL engine (Rust) and the dumps' writers (pyoxigraph, zlib) let go
    of the GIL, so on two cores the validation costs almost no wall time (issue 23).
    """
    facts = mapped.facts
    report: Report | None = None

    def write(folder: Path) -> Settled:
        nonlocal report
        for path in mapped.folder.iterdir():
            os.replace(path, folder / path.name)
        with ThreadPoolExecutor(max_workers=1) as pool:
            checking = pool.submit(validate, config, folder / "kg.nt", engine)
            # one thread for the dumps and the index, the other core for the validation,
            # the longest task: at 1M two threads for the dumps left the main thread
            # waiting 5 s for a validation slowed down by them (issue 23)
            store = index_store(folder / "kg.nt")
            write_index(build_index(store, config.base), folder / SEARCH_INDEX)
            del store
            give_back()
            write_dumps(folder, config.base, (os.cpu_count() or 1) - 1)
            # after the dumps, whose writing is the build's peak while the validator holds
            # the graph (at 1M, made before them it added about 50 MB to that peak)
            write_institution_table(institution_table(folder / "kg.nt"), folder / INSTITUTIONS)
            (folder / INFO).write_text(_info(mapped, config), encoding="utf-8")
            _copy_held_sources(facts, folder)
            settled = settle(folder)  # while the validation runs
            report = checking.result()
        if not report.conforms:
            raise NotConformingError(report, facts.origin)
        (folder / REPORT).write_text(report_json(report), encoding="utf-8")
        return settled

    release = publish(config.out, write)
    assert report is not None
    return BuildResult(release, report, mapped.quads, len(mapped.graphs))


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


def _info(mapped: Mapped, config: Config) -> str:
    """What a server needs to know about the release, without timestamps (builds repeat)."""
    info = {
        "version": __version__,
        "base": config.base,
        "facts": mapped.quads,
        "graphs": len(mapped.graphs),
        "load_file": LOAD_FILE,
        # the dataset's own graphs: a SPARQL server may hold others (Virtuoso's system graphs)
        "named_graphs": sorted({*mapped.graphs, ONTOLOGY_GRAPH}),
    }
    return json.dumps(info, indent=2, sort_keys=True) + "\n"
