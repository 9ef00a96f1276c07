"""Named SPARQL queries (``*.rq`` beside this file), with values bound through VALUES.

A query marks where values go with a line ``# values ?var``; :func:`query` replaces it by a
VALUES block built from checked terms (see :func:`values_block`). User text is never
pasted into query text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path

import rdflib
from rdflib.term import Identifier

from kg.namespaces import PREFIXES

HERE = Path(__file__).parent
_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_MARK = re.compile(r"^\s*# values \?(\w+)\s*$", re.M)
_ROWS_MARK = re.compile(r"^\s*# values \(\?(\w+(?: \?\w+)+)\)\s*$", re.M)  # (?a ?b)
_PAGE = re.compile(r"\bLIMIT [0-9]+ OFFSET 0\b")


@functools.cache
def _text(name: str) -> str:
    path = HERE / f"{name}.rq"
    if path.parent != HERE or not path.is_file():
        raise KeyError(f"no query named {name!r}")
    header = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    return header + path.read_text(encoding="utf-8")


def query(
    name: str,
    base: str,
    *,
    rows: Mapping[tuple[str, ...], Sequence[Sequence[Identifier]]] | None = None,
    **values: Sequence[Identifier],
) -> str:
    """The text of query ``name`` with its VALUES blocks filled and ``<base:…>`` resolved:
    ``# values ?x`` from ``x=[…]``, ``# values (?x ?y)`` from ``rows={("x", "y"): […]}``."""

    def fill(match: re.Match[str]) -> str:
        var = match.group(1)
        if var not in values:
            raise KeyError(f"query {name!r} needs values for ?{var}")
        return values_block(var, values[var])

    given = rows or {}

    def fill_rows(match: re.Match[str]) -> str:
        variables = tuple(match.group(1).split(" ?"))
        if variables not in given:
            raise KeyError(f"query {name!r} needs rows for {variables}")
        return rows_block(variables, given[variables])

    text = _ROWS_MARK.sub(fill_rows, _MARK.sub(fill, _text(name)))
    return text.replace("<base:", f"<{base}")


def paged(text: str, limit: int, offset: int) -> str:
    """Set the one ``LIMIT … OFFSET 0`` of a paged query (it may sit in a sub-select, so
    that labels are joined to the page's rows only); both are ints, never text."""
    marks = _PAGE.findall(text)
    if len(marks) != 1:
        raise ValueError("a paged query has one 'LIMIT n OFFSET 0'")
    return _PAGE.sub(f"LIMIT {int(limit)} OFFSET {max(int(offset), 0)}", text)


def checked_iri(value: str) -> rdflib.URIRef:
    """An http(s) IRI safe to place in a query; raise ValueError otherwise."""
    if not _SAFE_IRI.match(value):
        raise ValueError(f"not a safe http(s) IRI: {value!r}")
    return rdflib.URIRef(value)


def values_block(variable: str, terms: Sequence[Identifier]) -> str:
    """``VALUES ?var { … }`` from terms already checked (IRIs) or made by rdflib (literals).

    A literal's ``n3()`` escapes quotes and backslashes, so user text cannot leave the
    literal; IRIs must have passed :func:`checked_iri`.
    """
    _check_name(variable)
    return f"VALUES ?{variable} {{ {' '.join(_cell(term) for term in terms)} }}"


def rows_block(variables: Sequence[str], rows: Sequence[Sequence[Identifier]]) -> str:
    """``VALUES (?a ?b) { (… …) … }``: one row of terms per solution, checked as
    :func:`values_block` checks them."""
    for variable in variables:
        _check_name(variable)
    lines = []
    for row in rows:
        if len(row) != len(variables):
            raise ValueError(f"a row of {len(row)} terms for {len(variables)} variables")
        lines.append(f"({' '.join(_cell(term) for term in row)})")
    names = " ".join(f"?{v}" for v in variables)
    return f"VALUES ({names}) {{ {' '.join(lines)} }}"


def _check_name(variable: str) -> None:
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", variable):
        raise ValueError(f"bad variable name {variable!r}")


def _cell(term: Identifier) -> str:
    if isinstance(term, rdflib.URIRef):
        checked_iri(str(term))
    elif not isinstance(term, rdflib.Literal):
        raise ValueError(f"only IRIs and literals may be bound, not {term!r}")
    return term.n3()
