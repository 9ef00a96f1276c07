"""The backend seam: one way to run SPARQL, on the embedded store or on a SPARQL server.

``execute`` runs any query and answers with pyoxigraph terms: solutions (with their
variables), a boolean, or triples. The pages' ``select``, ``ask`` and ``construct`` (rdflib
terms) are made from it once, here, for both backends; ``/sparql`` (its workers, or the
server process for a remote server) and ``kg query`` call ``execute`` itself. Values enter
a query only as a VALUES block of checked terms.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from typing import Protocol

import pyoxigraph as ox
import rdflib
from rdflib.term import Identifier

from kg.terms import Term
from kg.terms import serialized

Row = dict[str, Identifier]
Solution = dict[str, "Term | None"]  # a solution sent from a worker: terms by variable name
Solutions = Iterable[ox.QuerySolution]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# What an IRI may contain to be written between <> without escaping anything.


@dataclass(frozen=True)
class QueryOptions:
    """The dataset and context of one query (the SPARQL protocol's parameters)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    unbound_functions: tuple[str, ...] = ()  # the embedded store answers them unbound
    base_iri: str | None = None


class Answer:
    """A remote server's answer, read whole: solutions (``variables`` set) or triples, and
    the row count at which the server says it cut it (``cut_at``), if it did."""

    def __init__(
        self,
        items: Sequence[ox.QuerySolution] | Sequence[Solution] | Sequence[ox.Triple],
        variables: Sequence[ox.Variable] | None = None,
        cut_at: str | None = None,
    ) -> None:
        self.items: list[ox.QuerySolution | Solution | ox.Triple] = list(items)
        self.variables = list(variables) if variables is not None else None
        self.cut_at = cut_at

    def __iter__(self) -> Iterator[ox.QuerySolution | Solution | ox.Triple]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


Cell = str | tuple[str, str, str] | tuple[str, str] | None  # IRI, literal, blank node, unbound


class PlainRows:
    """A SELECT answer sent from a query worker as plain values: an IRI as its string, a
    literal as (value, language, datatype), a blank node as ("_:", id). Pickling these
    takes a fraction of what pyoxigraph terms take (each is rebuilt by a call when
    unpickled): the plan tree's 23,550 rows at a million facts crossed in 1.04 s as terms
    and 0.31 s as plain values (issue 23)."""

    def __init__(self, names: list[str], rows: list[tuple[Cell, ...]]) -> None:
        self.names = names
        self.rows = rows

    @classmethod
    def of(cls, names: list[str], found: Iterable[ox.QuerySolution]) -> PlainRows:
        return cls(names, [tuple(_plain(s[n]) for n in names) for s in found])

    def rdflib_rows(self) -> list[Row]:
        return [
            {n: _rdflib_cell(c) for n, c in zip(self.names, row, strict=True) if c is not None}
            for row in self.rows
        ]

    def ox_solutions(self) -> Iterator[Solution]:
        for row in self.rows:
            yield {n: _ox_cell(c) for n, c in zip(self.names, row, strict=True)}


def _plain(term: object) -> Cell:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return (term.value, term.language or "", term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return ("_:", term.value)
    raise TypeError(f"a page query answered a {type(term).__name__}")


@functools.lru_cache(maxsize=1 << 16)
def _rdflib_cell(cell: str | tuple[str, ...]) -> Identifier:
    """Kept, as pages read the same IRIs, codes and labels again and again."""
    if isinstance(cell, str):
        return rdflib.URIRef(cell)
    if len(cell) == 2:
        return rdflib.BNode(cell[1])
    value, language, datatype = cell
    if language:
        return rdflib.Literal(value, lang=language)
    return rdflib.Literal(value, datatype=None if datatype == XSD_STRING else datatype)


def _ox_cell(cell: Cell) -> Term | None:
    if cell is None:
        return None
    if isinstance(cell, str):
        return ox.NamedNode(cell)
    if len(cell) == 2:
        return ox.BlankNode(cell[1])
    value, language, datatype = cell
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Answer | PlainRows | bool


class Backend(Protocol):
    name: str

    def execute(
        self, query: str, options: QueryOptions | None = None, deadline: float | None = None
    ) -> Result: ...

    def select(self, query: str) -> list[Row]: ...

    def ask(self, query: str) -> bool: ...

    def construct(self, query: str) -> rdflib.Graph: ...

    def construct_triples(self, query: str) -> list[ox.Triple]: ...


class CutAnswerError(Exception):
    """A SPARQL server cut a page query's answer at its own row cap (Virtuoso's
    ResultSetMaxRows): a page drawn from part of an answer would be wrong, so none is."""

    def __init__(self, cut_at: str):
        self.cut_at = cut_at
        super().__init__(
            f"The SPARQL server cut a page's answer at {cut_at} rows (its own row cap: "
            "Virtuoso's ResultSetMaxRows); raise it above the release's largest answer."
        )


def whole(result: Result) -> Result:
    """``result``, unless the server says it cut it (CutAnswerError)."""
    cut_at = getattr(result, "cut_at", None)
    if cut_at:
        raise CutAnswerError(str(cut_at))
    return result


class TermsAsRdflib:
    """``select`` / ``ask`` / ``construct`` over ``execute``, in rdflib terms, for the pages;
    an answer the server cut is never drawn (CutAnswerError)."""

    def execute(
        self, query: str, options: QueryOptions | None = None, deadline: float | None = None
    ) -> Result:
        raise NotImplementedError

    def select(self, query: str) -> list[Row]:
        result = whole(self.execute(query))
        if isinstance(result, PlainRows):
            return result.rdflib_rows()
        variables = solution_variables(result)
        if variables is None:
            raise ValueError("not a SELECT query")
        names = [v.value for v in variables]
        rows = []
        for solution in solutions(result):
            values = {name: solution[name] for name in names}
            rows.append({n: to_rdflib(t) for n, t in values.items() if t is not None})
        return rows

    def ask(self, query: str) -> bool:
        return as_boolean(self.execute(query))

    def construct_triples(self, query: str) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE, sorted: written the same every time."""
        result = whole(self.execute(query))
        if solution_variables(result) is not None or isinstance(result, ox.QueryBoolean | bool):
            raise ValueError("not a CONSTRUCT or DESCRIBE query")
        return canonical_triples(list(triples(result)))

    def construct(self, query: str) -> rdflib.Graph:
        result = whole(self.execute(query))
        if solution_variables(result) is not None or isinstance(result, ox.QueryBoolean | bool):
            raise ValueError("not a CONSTRUCT or DESCRIBE query")
        data = serialized(list(triples(result)), ox.RdfFormat.N_TRIPLES)
        return rdflib.Graph().parse(data=data, format="nt")


def canonical_triples(found: list[ox.Triple]) -> list[ox.Triple]:
    """Sorted, with blank nodes relabelled b1, b2… in that order: a store names its blank
    nodes anew each time it loads, a page must read the same each time."""

    def shape(t: ox.Triple) -> str:
        return " ".join("_:" if isinstance(x, ox.BlankNode) else str(x) for x in t)

    ordered = sorted(found, key=lambda t: (shape(t), str(t)))
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def label(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term, ox.BlankNode(f"b{len(labels) + 1}"))
        return term

    relabelled = [ox.Triple(label(t.subject), t.predicate, label(t.object)) for t in ordered]
    return sorted(relabelled, key=str) if labels else relabelled


def solution_variables(result: Result) -> list[ox.Variable] | None:
    """The variables of a SELECT answer; None for a boolean or triples."""
    if isinstance(result, ox.QuerySolutions):
        return list(result.variables)
    if isinstance(result, Answer):
        return result.variables
    if isinstance(result, PlainRows):
        return [ox.Variable(n) for n in result.names]
    return None


def solutions(result: Result) -> Iterator[ox.QuerySolution | Solution]:
    """The solutions of a SELECT answer, each indexable by variable name (nothing for
    another kind)."""
    if isinstance(result, PlainRows):
        yield from result.ox_solutions()
    if isinstance(result, ox.QuerySolutions | Answer):
        for item in result:
            if isinstance(item, ox.QuerySolution | dict):
                yield item


def triples(result: Result) -> Iterator[ox.Triple]:
    """The triples of a CONSTRUCT or DESCRIBE answer (nothing for another kind)."""
    if isinstance(result, ox.QueryTriples | Answer):
        for item in result:
            if isinstance(item, ox.Triple):
                yield item


def as_boolean(result: Result) -> bool:
    """An ASK answer. Virtuoso answers ASK as a table: one row for true, none for false."""
    if isinstance(result, ox.QueryBoolean | bool):
        return bool(result)
    if isinstance(result, Answer):
        return len(result) > 0
    raise ValueError("not an ASK query")


@functools.lru_cache(maxsize=1 << 16)
def to_rdflib(term: Term) -> Identifier:
    """The rdflib twin of a pyoxigraph term; kept, as pages convert the same IRIs, labels and
    codes again and again (rdflib's Literal is slow to make, and immutable)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return rdflib.Literal(term.value, datatype=None if datatype == XSD_STRING else datatype)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    raise TypeError(f"unexpected term {term!r}")
