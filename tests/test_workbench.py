"""The workbench: examples run, results get labels, downloads and a permalink, a chart for
two-column numeric results; also without scripts; examples are in the service description."""

from __future__ import annotations

import re
import urllib.parse

import pytest
import rdflib

from kg.examples import examples


@pytest.mark.parametrize("key", [e.key for e in examples()])
def test_every_example_runs(sparql, key):
    html = sparql.get(f"/workbench?example={key}").get_data(as_text=True)
    assert 'id="error"' not in html
    assert 'id="results"' in html


def test_results_have_labels_downloads_and_permalink(sparql):
    html = sparql.get("/workbench?example=10-several-institutions").get_data(as_text=True)
    assert "Diskusiju cikls par Saliedētas" in html  # a label, not just the IRI
    assert '<svg class="chart"' in html
    for fmt in ("json", "xml", "csv", "tsv"):
        assert f"format={fmt}" in html
    assert 'id="permalink" href="/workbench?query=' in html or 'href="/workbench?query=' in html


def test_permalink_carries_the_query(sparql):
    query = "ASK { ?s ?p ?o }"
    html = sparql.get("/workbench?" + urllib.parse.urlencode({"query": query})).get_data(
        as_text=True
    )
    assert 'id="boolean">jā' in html
    assert "/workbench?query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D" in html.replace("&amp;", "&")


def test_download_links_serve_each_format(sparql):
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/lvpolicy/def#Goal> } ORDER BY ?s"
    for fmt, media in (
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
    ):
        response = sparql.get("/sparql?" + urllib.parse.urlencode({"query": query, "format": fmt}))
        assert response.status_code == 200 and response.mimetype == media
    wrong = sparql.get("/sparql?" + urllib.parse.urlencode({"query": query, "format": "ttl"}))
    assert wrong.status_code == 406


def test_errors_are_shown_escaped(sparql):
    html = sparql.get(
        "/workbench?query=" + urllib.parse.quote("SELECT <img src=x onerror=1> {")
    ).get_data(as_text=True)
    assert 'id="error"' in html and "<img src=x" not in html


def test_works_without_scripts(sparql):
    html = sparql.get("/workbench").get_data(as_text=True)
    assert '<form method="get" action="/workbench#results"' in html and "<textarea" in html


def test_examples_are_in_the_service_description(sparql):
    response = sparql.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    executables = set(graph.subjects(sh.select, None))
    assert len(executables) == len(examples())
    titles = {
        (str(o), o.language) for s in executables for o in graph.objects(s, rdflib.RDFS.label)
    }
    assert (
        "Which legal act approved the plan, when, passed by whom, and who coordinates the plan?",
        "en",
    ) in titles


def test_project_prefixes_are_declared_for_a_query(sparql):
    query = "SELECT ?m WHERE { ?m a lvp:Measure } LIMIT 1"
    page = sparql.get("/workbench?" + urllib.parse.urlencode({"query": query}))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="error"' not in text
    assert "PREFIX lvp: &lt;https://w3id.org/lvpolicy/def#&gt;" in text
    assert "PREFIX skos:" not in text.split("</textarea>")[0]  # only what the query uses
    assert 'id="prefixes"' in text  # the list, readable without scripts


def test_downloads_are_only_the_formats_of_the_query_form(sparql):
    """A SELECT offers the result formats, a CONSTRUCT the RDF ones: no link gives a 406."""
    select = "SELECT ?s WHERE { ?s a <https://w3id.org/lvpolicy/def#Goal> } LIMIT 2"
    construct = "CONSTRUCT WHERE { ?s a <https://w3id.org/lvpolicy/def#Goal> } LIMIT 2"
    for query, names in ((select, {"CSV", "TSV"}), (construct, {"Turtle", "N-Triples"})):
        html = sparql.get("/workbench", query_string={"query": query, "lang": "en"}).get_data(
            as_text=True
        )
        links = re.findall(r'<a href="([^"]+)" class="download">([^<]+)</a>', html)
        assert links and names <= {name for _, name in links}, query
        for href, _ in links:
            assert sparql.get(href.replace("&amp;", "&")).status_code == 200, href


def test_an_empty_result_says_so(sparql):
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/lvpolicy/def#NoSuchClass> }"
    html = sparql.get("/workbench", query_string={"query": query, "lang": "en"}).get_data(
        as_text=True
    )
    assert 'id="empty-result"' in html and "0 rows" in html and '<table class="results"' not in html


def test_the_chart_draws_counts_as_whole_numbers_and_keeps_labels_whole(sparql):
    query = (
        "SELECT ?label (COUNT(*) AS ?n) WHERE { VALUES (?label ?x) { "
        '("a label long enough to need more than one line of the chart" 1) ("b" 2) ("b" 3) } } '
        "GROUP BY ?label ORDER BY ?label"
    )
    html = sparql.get("/workbench", query_string={"query": query, "lang": "en"}).get_data(
        as_text=True
    )
    chart = html.split('<svg class="chart"', 1)[1].split("</svg>", 1)[0]
    assert ">2.0<" not in chart and ">2<" in chart and ">1<" in chart
    assert "<tspan" in chart and "a label long enough to need" in chart.replace("</tspan>", "")
    assert "…" not in chart


def test_a_result_names_its_release_time_and_reusable_names(sparql):
    listed = sparql.get("/releases.json").get_json()["releases"][0]
    query = "SELECT ?class (COUNT(*) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
    page = sparql.get("/workbench", query_string={"query": query, "lang": "en"})
    html = page.get_data(as_text=True)
    answered = re.search(r'<p class="answered" id="answered"[^>]*>(.*?)</p>', html, re.S)
    assert answered is not None
    assert "Answered by the release published" in answered.group(1)
    assert f"(version {listed['version']})" in answered.group(1)
    assert re.search(r"in [\d.,]+ ms\.", answered.group(1))
    assert '<code class="short">lvp:PolicyPlan</code>' in html  # a name to paste into a query
    construct = sparql.get(
        "/workbench",
        query_string={"query": "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 2", "lang": "en"},
    )
    assert "2 triples" in construct.get_data(as_text=True)


def test_the_python_snippet_runs_as_given(sparql, live_endpoint, tmp_path):
    """The page's SPARQLWrapper program, pointed at a live server, prints the rows."""
    import html as html_lib
    import subprocess
    import sys

    query = "SELECT ?s WHERE { ?s a <https://w3id.org/lvpolicy/def#PolicyPlan> } LIMIT 1"
    page = sparql.get("/workbench", query_string={"query": query, "lang": "en"})
    snippets = re.findall(r"<pre><code>(.*?)</code></pre>", page.get_data(as_text=True), re.S)
    python = next(html_lib.unescape(s) for s in snippets if "SPARQLWrapper" in s)
    program = tmp_path / "snippet.py"
    program.write_text(
        python.replace('"https://w3id.org/lvpolicy/sparql"', repr(live_endpoint)), "utf-8"
    )
    done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "https://w3id.org/lvpolicy/id/" in done.stdout


def test_a_result_can_be_embedded_by_any_site_and_nothing_else_can(sparql):
    """The embeddable view may be framed by any site; it runs no script and opens links in
    a new tab; every other page refuses framing."""
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/lvpolicy/def#PolicyPlan> } LIMIT 2"
    embedded = sparql.get("/workbench/embed", query_string={"query": query, "lang": "en"})
    html = embedded.get_data(as_text=True)
    assert embedded.status_code == 200
    assert "frame-ancestors *" in embedded.headers["Content-Security-Policy"]
    assert "script-src 'none'" in embedded.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embedded.headers
    assert "<script" not in html and '<base target="_blank">' in html
    assert 'class="results"' in html and "Open the query in the workbench" in html
    page = sparql.get("/workbench", query_string={"query": query, "lang": "en"})
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    code = page.get_data(as_text=True)
    assert "&lt;iframe src=&#34;https://w3id.org/lvpolicy/workbench/embed?query=" in code or (
        "&lt;iframe src=" in code and "workbench/embed?query=" in code
    )
    refused = sparql.get("/workbench/embed", query_string={"query": "SELECT nonsense"})
    assert refused.status_code == 400 and 'role="alert"' in refused.get_data(as_text=True)
