"""``kg query``: run SPARQL over a published release and print the answer."""

from __future__ import annotations

import pyoxigraph as ox

from kg.backends.base import Backend
from kg.backends.base import Result
from kg.backends.base import solution_variables
from kg.backends.base import solutions
from kg.backends.base import triples
from kg.endpoint.results import write_select
from kg.namespaces import PREFIXES
from kg.namespaces import with_prefixes
from kg.terms import Term
from kg.terms import serialized


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
