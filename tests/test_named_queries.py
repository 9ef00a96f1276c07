"""Named queries take values only as checked terms, single (``# values ?x``) or in rows
(``# values (?x ?y)``): no text reaches a query that is not an IRI or a literal."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from kg.config import DEFAULT_BASE
from kg.queries import query
from kg.queries import rows_block

A = rdflib.URIRef("https://example.org/a")
ROLE = rdflib.URIRef("https://w3id.org/lvpolicy/def#implementer")


def test_rows_fill_a_values_block_the_engine_reads():
    text = query(
        "institution-links",
        DEFAULT_BASE,
        rows={("activity", "role"): [(A, ROLE), (rdflib.URIRef("https://example.org/b"), ROLE)]},
        institution=[rdflib.URIRef("https://example.org/i")],
    )
    assert "# values" not in text
    store = ox.Store()
    answer = store.query(text)
    assert isinstance(answer, ox.QuerySolutions)
    assert sorted(row["activity"].value for row in answer) == [
        "https://example.org/a",
        "https://example.org/b",
    ]


@pytest.mark.parametrize(
    "row",
    [
        (rdflib.URIRef("https://example.org/x> } ; DROP ALL ; #"), ROLE),
        (rdflib.URIRef("file:///etc/passwd"), ROLE),
        (rdflib.BNode("b"), ROLE),
        (A,),
    ],
    ids=["iri-breaking-out", "not-http", "blank-node", "short-row"],
)
def test_a_row_that_is_not_checked_terms_is_refused(row):
    with pytest.raises(ValueError):
        rows_block(("activity", "role"), [row])


def test_a_query_without_its_rows_is_an_error():
    with pytest.raises(KeyError):
        query("institution-links", DEFAULT_BASE, institution=[A])
    with pytest.raises(ValueError):
        rows_block(("activity", "a role"), [(A, ROLE)])
