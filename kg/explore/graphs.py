"""The fact graphs of a release: each one's basis and sources, read once per backend.

A page's query asks which named graphs hold a fact (cheap: the fact is bound) and this
table says what those graphs are. Joining the graphs' descriptions inside the query made
the engine scan every graph (issue 23); a release does not change while it is served, so
the table is kept for the backend's life.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from dataclasses import field

from kg.backends.base import Backend
from kg.queries import query


@dataclass
class FactGraph:
    basis: str
    sources: list[str] = field(default_factory=list)


_tables: weakref.WeakKeyDictionary[Backend, dict[str, FactGraph]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def fact_graphs(backend: Backend, base: str) -> dict[str, FactGraph]:
    """graph IRI → its basis and sources; graphs without a basis (the ontology, the
    catalogue) are not fact graphs and are left out."""
    with _lock:
        table = _tables.get(backend)
    if table is not None:
        return table
    table = {}
    for row in backend.select(query("fact-graphs", base)):
        graph = table.setdefault(str(row["g"]), FactGraph(str(row["basisCode"])))
        if "src" in row and str(row["src"]) not in graph.sources:
            graph.sources.append(str(row["src"]))
    with _lock:
        _tables[backend] = table
    return table


def bases_and_sources(table: dict[str, FactGraph], graphs: object) -> tuple[str, str]:
    """The bases and the sources of the graphs named in ``graphs`` (space-separated), each
    space-separated, as the queries' GROUP_CONCATs gave them before."""
    bases: list[str] = []
    sources: list[str] = []
    for iri in str(graphs or "").split():
        graph = table.get(iri)
        if graph is None:
            continue
        if graph.basis not in bases:
            bases.append(graph.basis)
        sources += [s for s in graph.sources if s not in sources]
    return " ".join(bases), " ".join(sources)
