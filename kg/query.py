"""Run SPARQL over a published release, in an embedded pyoxigraph store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.backends.base import Backend
from kg.backends.base import Result
from kg.backends.base import solution_variables
from kg.backends.base import solutions
from kg.backends.base import triples
from kg.endpoint.results import write_select
from kg.namespaces import PREFIXES
from kg.namespaces import data_prefixes
from kg.terms import Term
from kg.terms import serialized


def load_file(release: Path) -> Path:
    """The release's load file (its N-Quads dump); FileNotFoundError if it was not built."""
    path = release / "kg.nq"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run 'kg build' first")
    return path


def load_release(release: Path) -> ox.Store:
    """Load the release's load file into an in-memory store."""
    path = load_file(release)
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


def release_graphs(release: Path) -> frozenset[str]:
    """The named graphs of a release, as its build recorded them (or, for a release made
    otherwise, as its load file holds them)."""
    import json

    info_file = release / "build-info.json"
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.is_file() else {}
    if "named_graphs" in info:
        return frozenset(info["named_graphs"])
    quads = ox.parse(path=str(load_file(release)), format=ox.RdfFormat.N_QUADS)
    return frozenset(q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode))


def with_prefixes(query: str, base: str) -> str:
    """Prepend the project's prefixes that the query uses but does not declare."""
    declared = {
        line.split()[1].rstrip(":").lower()
        for line in query.splitlines()
        if line.strip().upper().startswith("PREFIX") and len(line.split()) > 1
    }
    header = "".join(
        f"PREFIX {p}: <{iri}>\n"
        for p, iri in data_prefixes(base).items()
        if p not in declared and f"{p}:" in query
    )
    return header + query


def run(backend: Backend, query: str, base: str) -> Result:
    """Evaluate a query on the backend seam (the release's store, or a SPARQL server); the
    release's default graph is the union of its named graphs."""
    return backend.execute(with_prefixes(query, base))


def render(result: Result, fmt: str) -> str:
    """``kg query``'s output: a table or a results format for SELECT, true or false for
    ASK, Turtle for CONSTRUCT and DESCRIBE."""
    variables = solution_variables(result)
    if variables is None:
        if isinstance(result, ox.QueryBoolean):
            return "true\n" if bool(result) else "false\n"
        return serialized(list(triples(result)), ox.RdfFormat.TURTLE, PREFIXES).decode()
    names = [v.value for v in variables]
    rows = [[solution[n] for n in names] for solution in solutions(result)]
    if fmt == "table":
        return _table(names, rows)
    return write_select(names, rows, fmt, len(rows)).decode()  # fmt: a results suffix


def _table(names: list[str], terms: list[list[Term | None]]) -> str:
    rows = [[_cell(term) for term in row] for row in terms]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, "-" * len(line), *body, f"({len(rows)} rows)"]) + "\n"


def _cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return term.value if isinstance(term, ox.NamedNode) else str(term)
