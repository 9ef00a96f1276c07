"""Hostile requests to /sparql, section A of hostile-inputs.md (H09–H18): the HTTP layer.

Together with test_sparql_hostile.py (H01–H08, H19–H33) and test_sparql_text.py (D).
H14's and H16's server-layer limits (431, 414) and H34 are tested against `kg serve`
in test_serve.py.
"""

from __future__ import annotations

import time
import urllib.parse

import pytest

from tests.test_sparql_hostile import assert_error

SELECT_ONE = "SELECT * { ?s ?p ?o } LIMIT 1"


def get(sparql, query: str, **headers):
    return sparql.get("/sparql?" + urllib.parse.urlencode({"query": query}), headers=headers)


def test_h09_preflight_is_open_and_runs_nothing(sparql):
    response = sparql.options(
        "/sparql",
        headers={  # what a browser sends before a POST of application/sparql-query
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    assert response.status_code == 204
    assert response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    methods = response.headers["Access-Control-Allow-Methods"]
    assert "GET" in methods and "POST" in methods
    allowed = {
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    }
    assert {"content-type", "accept"} <= allowed
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Set-Cookie" not in response.headers


def test_h10_cross_origin_read_without_credentials(sparql):
    response = get(sparql, "ASK {}", Origin="https://evil.example")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Set-Cookie" not in response.headers


def test_h11_head_answers_like_get_without_a_body(sparql):
    url = "/sparql?" + urllib.parse.urlencode({"query": SELECT_ONE})
    head, full = sparql.head(url), sparql.get(url)
    assert head.status_code == full.status_code == 200
    assert head.content_type == full.content_type
    assert head.data == b""
    bad = sparql.head("/sparql?" + urllib.parse.urlencode({"query": "SELECT * {"}))
    assert bad.status_code == 400
    assert bad.data == b""


def test_h11_head_is_under_the_time_limit(sparql):
    query = "SELECT (COUNT(*) AS ?c) { ?a ?b ?c1 . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    response = sparql.head("/sparql?" + urllib.parse.urlencode({"query": query}))
    assert response.status_code == 503  # stopped by the time limit, not run to its end
    assert response.data == b""


def test_h12_unacceptable_type(sparql):
    response = get(sparql, SELECT_ONE, Accept="application/foo")
    assert_error(response, 406, "not_acceptable", "application/sparql-results+json")


@pytest.mark.parametrize("accept", [None, "*/*"])
def test_h13_defaults(sparql, accept):
    headers = {"Accept": accept} if accept else {}
    assert get(sparql, SELECT_ONE, **headers).mimetype == "application/sparql-results+json"
    assert get(sparql, "ASK {}", **headers).mimetype == "application/sparql-results+json"
    construct = get(sparql, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", **headers)
    assert construct.mimetype == "text/turtle"


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("application/sparql-results+json;q=abc", "application/sparql-results+json"),
        ("\x00;;;q=abc", "application/sparql-results+json"),
        (", ".join(f"text/x-{i}" for i in range(5000)), None),  # ≈ 60 KB
        ("TEXT/CSV", "text/csv"),
    ],
)
def test_h14_malformed_accept_headers(sparql, accept, mimetype):
    start = time.process_time()  # CPU time of the app: reading Accept stays linear
    response = get(sparql, SELECT_ONE, Accept=accept)
    assert time.process_time() - start < 1
    if mimetype is None:  # 5,000 media ranges, none offered: a clear 406, never a 500
        assert_error(response, 406, "not_acceptable")
    else:
        assert response.status_code == 200
        assert response.mimetype == mimetype


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("application/json", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
    ],
)
def test_h15_each_results_format(sparql, accept, mimetype):
    response = get(sparql, SELECT_ONE, Accept=accept)
    assert response.status_code == 200
    assert response.mimetype == mimetype


def test_h15_csv_formula_stays_data(sparql):
    response = get(sparql, "SELECT ?x { BIND(\"=cmd|' /C calc'!A0\" AS ?x) }", Accept="text/csv")
    assert response.get_data(as_text=True).splitlines()[1] == "=cmd|' /C calc'!A0"


def test_h16_large_bodies_refused_before_parsing(sparql):
    padded = "ASK {}\n#" + "x" * (2 * 1024 * 1024)
    for kwargs in (
        {"data": padded, "content_type": "application/sparql-query"},
        {"data": {"query": padded[: 1024 * 1024]}},
    ):
        start = time.process_time()  # CPU time: refused before a parser reads it
        response = sparql.post("/sparql", **kwargs)
        assert time.process_time() - start < 0.5
        assert_error(response, 413, "query_too_large")


@pytest.mark.parametrize(
    "url",
    [
        "/sparql?query=SELECT%20%FF%FE%20%7B%7D",
        "/sparql?query=ASK%20%7B%20FILTER(%22%ED%A0%80%22)%20%7D",
    ],
)
def test_h17_invalid_utf8_in_the_url(sparql, url):
    assert_error(sparql.get(url), 400, "bad_encoding", "UTF-8")


def test_h17_invalid_utf8_in_a_body(sparql):
    body = b'ASK { FILTER("\xc0\xaf") }'
    response = sparql.post("/sparql", data=body, content_type="application/sparql-query")
    assert_error(response, 400, "bad_encoding", "UTF-8")
    form = b"query=ASK%20%7B%20FILTER(%22%C0%AF%22)%20%7D"
    response = sparql.post("/sparql", data=form, content_type="application/x-www-form-urlencoded")
    assert_error(response, 400, "bad_encoding", "UTF-8")


def test_h18_protocol_graphs_not_held_are_refused(sparql, canary):
    url, hits = canary
    for key, graph in (("default-graph-uri", "file:///etc/passwd"), ("named-graph-uri", url)):
        response = sparql.get("/sparql?" + urllib.parse.urlencode({"query": "ASK {}", key: graph}))
        assert_error(response, 400, "dataset_not_allowed", key)
    assert hits == []
