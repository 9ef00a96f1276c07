"""The backend protocol, and how values enter a query: a VALUES block of checked terms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import rdflib
from rdflib.term import Identifier

Row = dict[str, Identifier]

# What an IRI may contain to be written between <> without escaping anything.
_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class Backend(Protocol):
    name: str

    def select(self, query: str) -> list[Row]: ...

    def ask(self, query: str) -> bool: ...

    def construct(self, query: str) -> rdflib.Graph: ...


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
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", variable):
        raise ValueError(f"bad variable name {variable!r}")
    cells = []
    for term in terms:
        if isinstance(term, rdflib.URIRef):
            checked_iri(str(term))
        elif not isinstance(term, rdflib.Literal):
            raise ValueError(f"only IRIs and literals may be bound, not {term!r}")
        cells.append(term.n3())
    return f"VALUES ?{variable} {{ {' '.join(cells)} }}"
