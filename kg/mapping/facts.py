"""Facts grouped into named graphs by where they come from and how they are known.

Every fact of a source table lands in one named graph per cited source location, split by
basis: ``graph/{source}/{slide-N|page-N|all}/{stated|inferred}``. English renderings,
notes and classifications written by the project go to ``graph/editorial``; descriptions
of sources, graphs, code lists and the dataset go to ``graph/meta``. So a query can ask
where any triple comes from (``GRAPH ?g``), and a reader can drop inferred facts by
leaving out the graphs whose basis is ``inferred``. Named graphs were chosen over
qualified statements because they keep the facts themselves plain triples: every query
and shape sees the simple form, and provenance is one ``GRAPH`` pattern away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from kg.tables.read import Row
from kg.tables.schema import Schema
from kg.terms import Ids
from kg.terms import Term

BASES = ("stated", "inferred", "editorial")
_CITATION = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)(?:#(slide|page)=([1-9][0-9]{0,3}))?$")


@dataclass(frozen=True, order=True)
class Citation:
    """A source document, optionally narrowed to a slide or page."""

    source: str
    kind: str = ""  # "slide", "page" or "" for the whole document
    number: int = 0

    @property
    def graph_path(self) -> str:
        where = f"{self.kind}-{self.number}" if self.kind else "all"
        return f"{self.source}/{where}"


def parse_citations(value: str) -> list[Citation]:
    """Parse ``"doc#slide=7 ; other-doc"``; raise ValueError naming the bad part."""
    parts = [p.strip() for p in value.split(";")]
    if not value.strip() or not all(parts):
        raise ValueError("a source is required (e.g. 'km-2021-slides#slide=4')")
    citations = []
    for part in parts:
        match = _CITATION.match(part)
        if not match:
            raise ValueError(
                f"bad source citation {part!r} (expected 'doc-id' or 'doc-id#slide=N')"
            )
        source, kind, number = match.groups()
        citations.append(Citation(source, kind or "", int(number or 0)))
    return sorted(set(citations))


@dataclass
class FactSet:
    """Facts under construction, plus what the graphs they sit in are about.

    Each graph's facts are held as the N-Triples text of their triples (``<s> <p> "o"``,
    UTF-8), not as pyoxigraph quads: at a million facts the quad objects alone took
    970 MB and the text a fourth of that, and the dumps are written from that text
    (issue 23). Bytes, not str: Python holds a text with a Latvian letter at two bytes a
    character."""

    ids: Ids
    by_graph: dict[str, set[bytes]] = field(default_factory=dict)
    graphs: dict[ox.NamedNode, tuple[Citation | None, str]] = field(default_factory=dict)
    _graph_of: dict[tuple[Citation, str], ox.NamedNode] = field(default_factory=dict)
    # where a node was defined (table or sheet, row) and which column gave a (node,
    # predicate): a SHACL finding is shown at the cell a clerk can fix
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    # the source documents the project holds a copy of (source id -> file): published with
    # the release, so that a reader can download what a fact cites
    held_files: dict[str, Path] = field(default_factory=dict)
    # the tables as read (canonical numbers and dates) and their schema: published with the
    # release as CSV on the Web (kg.build.tables)
    tables: dict[str, list[Row]] = field(default_factory=dict)
    schema: Schema | None = None

    def origin(self, focus: str, path: str) -> str | None:
        """``sheet results, row 5, column 'status'`` for a finding, where known."""
        found = self.origins.get(focus)
        if found is None:
            return None
        where = f"{found[0]}, row {found[1]}"
        column = self.columns.get((focus, path))
        return f"{where}, column '{column}'" if column else where

    # made once: a million facts asked for them a million times (2 s at 1M; issue 23)
    @cached_property
    def editorial_graph(self) -> ox.NamedNode:
        return self.ids.graph("editorial")

    @cached_property
    def meta_graph(self) -> ox.NamedNode:
        return self.ids.graph("meta")

    def graph_for(self, citation: Citation, basis: str) -> ox.NamedNode:
        if basis == "editorial":
            return self.editorial_graph
        graph = self._graph_of.get((citation, basis))
        if graph is None:
            graph = self.ids.graph(f"{citation.graph_path}/{basis}")
            self._graph_of[(citation, basis)] = graph
            self.graphs[graph] = (citation, basis)
        return graph

    def fact(
        self, s: ox.NamedNode, p: ox.NamedNode, o: Term, cites: list[Citation], basis: str
    ) -> None:
        """Add a sourced fact: once per cited location, in the graph for its basis."""
        if basis not in BASES:
            raise ValueError(f"basis must be one of {', '.join(BASES)}, not {basis!r}")
        if basis == "editorial":
            self.editorial(s, p, o)
            return
        for citation in cites:
            self._add(self.graph_for(citation, basis), s, p, o)

    def editorial(self, s: ox.NamedNode, p: ox.NamedNode, o: Term) -> None:
        self.graphs[self.editorial_graph] = (None, "editorial")
        self._add(self.editorial_graph, s, p, o)

    def meta(self, s: ox.NamedNode, p: ox.NamedNode, o: Term) -> None:
        self._add(self.meta_graph, s, p, o)

    def _add(self, graph: ox.NamedNode, s: ox.NamedNode, p: ox.NamedNode, o: Term) -> None:
        group = self.by_graph.get(graph.value)
        if group is None:
            group = self.by_graph[graph.value] = set()
        group.add(f"{s} {p} {o}".encode())  # pyoxigraph writes a term as N-Triples does

    @property
    def quads(self) -> set[ox.Quad]:
        """Every fact as a quad (a new set: for tests and small graphs; the build writes
        ``by_graph``'s text)."""
        text = b"".join(
            b"%s <%s> .\n" % (triple, graph.encode())
            for graph, group in self.by_graph.items()
            for triple in group
        )
        return set(ox.parse(text, format=ox.RdfFormat.N_QUADS))
