"""Hostile data and hostile paths (H24, H39–H43): escaped, never linked, 404, never 500."""

from __future__ import annotations

import re
import time

import pytest

from web import create_app
from web.security import CSP

BASE = "https://w3id.org/lvpolicy/"
EVIL = BASE + "id/org/evil"
LABEL = "<script>alert(1)</script>\"'&"
ESCAPED_LABEL = LABEL.replace('"', '\\"')
HOSTILE = f"""
<{EVIL}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Organization> .
<{EVIL}> <http://www.w3.org/2004/02/skos/core#prefLabel> "{ESCAPED_LABEL}"@lv .
<{EVIL}> <http://www.w3.org/2004/02/skos/core#altLabel> "a\u202eb"@lv .
<{EVIL}> <http://xmlns.com/foaf/0.1/homepage> <javascript:alert(1)> .
<{EVIL}> <http://xmlns.com/foaf/0.1/page> <JavaScript:alert(2)> .
<{EVIL}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <data:text/html,<b>x</b>> .
<{EVIL}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <https://example.org/ok> .
"""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    release = tmp_path_factory.mktemp("hostile")
    (release / "kg.nq").write_text(
        HOSTILE.replace("<data:text/html,<b>x</b>>", "<data:text/html,x>"), encoding="utf-8"
    )
    return create_app({"TESTING": True, "RELEASE": str(release)}).test_client()


def test_h39_literals_are_escaped(hostile_client):
    html = hostile_client.get("/doc/org/evil").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;&amp;" in html


def test_h37_labels_are_isolated_in_bdi(hostile_client):
    html = hostile_client.get("/doc/org/evil").get_data(as_text=True)
    assert '<bdi dir="auto">a\u202eb</bdi>' in html


def test_h40_only_http_iris_become_links(hostile_client):
    html = hostile_client.get("/doc/org/evil").get_data(as_text=True)
    lowered = html.lower()
    assert 'href="javascript:' not in lowered and 'href="data:' not in lowered
    assert "javascript:alert(1)" in html  # shown as text
    assert 'href="https://example.org/ok"' in html


def test_csp_and_nosniff_on_every_response(client):
    for path in ("/", "/doc/org/kulturas-ministrija", "/doc/org/nope", "/dumps/kg.ttl"):
        with client.get(path) as response:
            assert response.headers["Content-Security-Policy"] == CSP
            assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_in_pages(client):
    """Scripts come from files; the one inline block is schema.org JSON-LD, data that no
    browser runs (and the CSP would not let it)."""
    html = client.get("/").get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert re.search(r'src="/assets/[0-9a-f]{12}/search-1.2.js"', html)
    assert all("src=" in attrs or 'type="application/ld+json"' in attrs for attrs in scripts)


@pytest.mark.parametrize(
    "path",
    [
        "/doc/org/x%3E%20%7D%20SERVICE%20%3Chttp://127.0.0.1:9/%3E%20%7B%20?s%20?p%20?o%20%7D",
        "/doc/org/x%3E%20?p%20?o%20.%20FILTER(REGEX(STR(?o),%22(a+)+$%22))%20%7D%20%23",
        "/doc/org/kulturas-ministrija%3E",
        "/graph/a%3E%20%7B",
        "/id/org/x%22%3E",
    ],
)
def test_h24_crafted_segments_are_404_fast(client, path):
    start = time.process_time()  # CPU time of the app: refused cheaply, whatever the load
    response = client.get(path)
    assert response.status_code in (404, 303)
    if response.status_code == 303:
        assert client.get(response.headers["Location"]).status_code == 404
    assert time.process_time() - start < 1


@pytest.mark.parametrize(
    "path",
    [
        "/doc/..%2F..%2Fetc%2Fpasswd",
        "/dumps/..%2F..%2Fetc%2Fpasswd",
        "/dumps/%2e%2e/secret",
        "/doc/%FF%FE",
        "/dumps/kg.nq/../../x",
        "/graph/..%2Fetc",
    ],
)
def test_h42_traversal_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.data


def test_h43_error_pages_do_not_reflect_markup(client):
    response = client.get("/doc/<svg onload=alert(1)>", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert b"<svg onload" not in response.data
    data = client.get("/doc/org/nope.json").get_json()
    assert data["error"] == "not_found"


def test_data_cannot_end_or_hide_the_json_ld_block(data_copy, tmp_path):
    """A dataset title with ``<!--<script>``, ``</script>`` and U+2028: the JSON-LD block
    ends where it should, the page after it is whole, and the title reads back intact."""
    import csv
    import json

    from kg.build.pipeline import build
    from kg.config import Config

    title = "Plāns <!--<script> </script> & \u2028 beigas"
    path = data_copy / "dataset.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["title_en"] = title
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    built = build(Config(out=tmp_path / "out", data=data_copy))
    app = create_app({"TESTING": True, "RELEASE": str(built.release)})
    html = app.test_client().get("/").get_data(as_text=True)
    opening = '<script type="application/ld+json">'
    block = html.split(opening, 1)[1].split("</script>", 1)[0]
    assert "<" not in block and "\u2028" not in block
    assert json.loads(block)["name"] == title
    assert "<main" in html.split(opening, 1)[1] and html.rstrip().endswith("</html>")
