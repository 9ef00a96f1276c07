"""Unicode and text in queries (hostile-inputs.md D), and costly patterns that stay bounded."""

from __future__ import annotations

import unicodedata
import urllib.parse

BASE = "https://w3id.org/lvpolicy/"


def rows(sparql, query: str) -> list[dict]:
    response = sparql.post("/sparql", data={"query": query})
    assert response.status_code == 200, response.data
    return response.get_json()["results"]["bindings"]


def test_h35_no_normalisation_in_queries(sparql):
    nfc = "Kultūras ministrija"
    nfd = unicodedata.normalize("NFD", nfc)
    query = 'SELECT ?s WHERE {{ ?s <http://www.w3.org/2004/02/skos/core#prefLabel> "{}"@{} }}'
    assert len(rows(sparql, query.format(nfc, "lv"))) == 1
    assert rows(sparql, query.format(nfd, "lv")) == []
    assert len(rows(sparql, query.format(nfc, "LV"))) == 1


def test_h36_latvian_case_functions(sparql):
    result = rows(
        sparql,
        'SELECT (UCASE("ģērbšanās ķēķis ļoti ņemt") AS ?u) (LCASE("RĪGA") AS ?l) '
        '(STRLEN("Rīga") AS ?n) WHERE {}',
    )[0]
    assert result["u"]["value"] == "ĢĒRBŠANĀS ĶĒĶIS ĻOTI ŅEMT"
    assert result["l"]["value"] == "rīga"
    assert result["n"]["value"] == "4"


def test_h37_invisible_characters_are_data(sparql):
    result = rows(sparql, 'SELECT (CONTAINS("Rī\u200bga", "Rīga") AS ?c) WHERE {}')[0]
    assert result["c"]["value"] == "false"


def test_h30_property_path_blowup_is_bounded(sparql):
    response = sparql.post(
        "/sparql",
        data={"query": "SELECT (COUNT(*) AS ?n) { ?s (<http://ex/p>|!<http://ex/p>)* ?o }"},
    )
    assert response.status_code in (200, 503)  # answered, or stopped at the time limit
    if response.status_code == 503:
        assert response.get_json()["error"] in ("timeout", "resource_limit")


def test_h27_cost_in_serialisation_is_bounded(sparql):
    response = sparql.get(
        "/sparql?"
        + urllib.parse.urlencode(
            {"query": "SELECT * { ?a ?b ?c1 . ?d ?e ?f } ORDER BY ?f LIMIT 1"}
        ),
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code in (200, 503)  # answered, or stopped at the time limit
    if response.status_code == 503:
        assert response.get_json()["error"] in ("timeout", "resource_limit")
