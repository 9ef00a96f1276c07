"""A query on any kept release, through /sparql (``release=ID``) and the workbench's release
selector: the answer is the old release's, and says which release answered; a researcher
can so reproduce a cited result from the browser, not only with kg query --release."""

from __future__ import annotations

import json

import pytest
from SPARQLWrapper import JSON
from SPARQLWrapper import SPARQLWrapper

from kg.build.pipeline import build
from kg.config import Config
from tests.release_fixtures import rename_in_english
from tests.web_fixtures import close_app
from tests.web_fixtures import serving
from web import create_app

LPA = "https://w3id.org/lvpolicy/id/org/latvijas-pilsoniska-alianse"
QUERY = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    f'SELECT ?name WHERE {{ <{LPA}> skos:prefLabel ?name FILTER (lang(?name) = "en") }}'
)
NEW_NAME = "Civic Alliance – Latvia (renamed)"


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """A build folder with two releases: the second renames one institution in English."""
    import shutil

    from tests.conftest import FIXTURE_DATA

    root = tmp_path_factory.mktemp("two")
    data = root / "data"
    shutil.copytree(FIXTURE_DATA, data)
    out = root / "out"
    first = build(Config(out=out, data=data)).release
    old_name = rename_in_english(data, "latvijas-pilsoniska-alianse", NEW_NAME)
    second = build(Config(out=out, data=data)).release
    app = create_app({"TESTING": True, "RELEASE": str(out / "dist")})
    yield {"app": app, "old": first.name, "new": second.name, "old_name": old_name}
    close_app(app)


def _names(response) -> list[str]:
    return [b["name"]["value"] for b in response.get_json()["results"]["bindings"]]


def test_a_query_names_the_release_it_runs_on(two):
    client = two["app"].test_client()
    accept = {"Accept": "application/sparql-results+json"}
    current = client.get("/sparql", query_string={"query": QUERY}, headers=accept)
    assert _names(current) == [NEW_NAME] and current.headers["KG-Release"] == two["new"]
    old = client.get(
        "/sparql", query_string={"query": QUERY, "release": two["old"]}, headers=accept
    )
    assert _names(old) == [two["old_name"]] and old.headers["KG-Release"] == two["old"]
    posted = client.post("/sparql", data={"query": QUERY, "release": two["old"]}, headers=accept)
    assert _names(posted) == [two["old_name"]] and posted.headers["KG-Release"] == two["old"]
    direct = client.post(
        f"/sparql?release={two['old']}",
        data=QUERY.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    assert _names(direct) == [two["old_name"]]
    # remembered answers are kept per release: the current one is still the current one
    again = client.get("/sparql", query_string={"query": QUERY}, headers=accept)
    assert _names(again) == [NEW_NAME] and again.headers["X-Cache"] == "HIT"


@pytest.mark.parametrize(
    ("release", "code"),
    [("feedbeeffeedbeef", "unknown_release"), (["a", "b"], "duplicate_parameter")],
)
def test_an_unknown_or_doubled_release_is_a_clear_400(two, release, code):
    client = two["app"].test_client()
    answer = client.get("/sparql", query_string={"query": QUERY, "release": release})
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["error"] == code
    if code == "unknown_release":
        assert two["old"] in body["message"] and two["new"] in body["message"]


def test_the_workbench_runs_a_query_on_the_release_chosen(two):
    client = two["app"].test_client()
    page = client.get(
        "/workbench", query_string={"query": QUERY, "release": two["old"], "lang": "en"}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-release="{two["old"]}"' in html and two["old_name"] in html
    assert f'<option value="{two["old"]}" selected>' in html
    assert f"release={two['old']}" in html  # permalink, downloads and snippets keep it
    current = client.get("/workbench", query_string={"query": QUERY}).get_data(as_text=True)
    assert f'data-release="{two["new"]}"' in current and NEW_NAME in current


def test_sparqlwrapper_reproduces_an_old_answer(two):
    """A real client, over HTTP, with the release as one more parameter."""
    with serving(two["app"]) as url:
        client = SPARQLWrapper(f"{url}/sparql")
        client.addParameter("release", two["old"])
        client.setQuery(QUERY)
        client.setReturnFormat(JSON)
        found = client.queryAndConvert()
    names = [b["name"]["value"] for b in found["results"]["bindings"]]  # type: ignore[index]
    assert names == [two["old_name"]], json.dumps(found)[:300]


def test_the_python_snippet_keeps_the_release_and_runs(two, tmp_path):
    """The workbench's SPARQLWrapper program for a kept release prints that release's rows;
    curl's and fetch's send the release in the URL."""
    import html as html_lib
    import re
    import subprocess
    import sys

    client = two["app"].test_client()
    page = client.get("/workbench", query_string={"query": QUERY, "release": two["old"]})
    found = re.findall(r"<pre><code>(.*?)</code></pre>", page.get_data(as_text=True), re.S)
    programs = [html_lib.unescape(s) for s in found]
    python = next(p for p in programs if "SPARQLWrapper" in p)
    assert f'addParameter("release", "{two["old"]}")' in python
    assert all(f"release={two['old']}" in p for p in programs if "SPARQLWrapper" not in p)
    with serving(two["app"]) as url:
        program = tmp_path / "snippet.py"
        program.write_text(
            python.replace('"https://w3id.org/lvpolicy/sparql"', repr(f"{url}/sparql")), "utf-8"
        )
        done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert two["old_name"] in done.stdout and NEW_NAME not in done.stdout


def test_tasks_with_two_releases_take_at_most_three_clicks(two, browser):
    """Issue 21's tasks, in Chromium: run an example on the previous release and cite it;
    see what changed in the last release; everything the Ministry of Culture did."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    from tests.test_pages_in_chromium import Clicks
    from tests.test_pages_in_chromium import wait

    with serving(two["app"]) as site:
        browser.delete_all_cookies()
        browser.set_window_size(1300, 900)
        # 1. an example on the previous release, and the link that cites it
        browser.get(f"{site}/workbench?lang=en")
        clicks = Clicks(browser)
        clicks.on(browser.find_elements(By.CSS_SELECTOR, "a.example")[0], "example=")
        clicks.count += 1  # choosing from the list is one click
        Select(browser.find_element(By.ID, "release")).select_by_value(two["old"])
        clicks.on(browser.find_element(By.ID, "run"), f"release={two['old']}")
        wait(browser, ec.presence_of_element_located((By.ID, "answered")))
        answered = browser.find_element(By.ID, "answered")
        assert answered.get_attribute("data-release") == two["old"]
        permalink = browser.find_element(By.ID, "permalink").get_attribute("href")
        assert f"release={two['old']}" in permalink and "query=" in permalink
        assert clicks.count <= 3
        # 2. what changed in the last release
        browser.get(f"{site}/?lang=en")
        clicks = Clicks(browser)
        clicks.on(browser.find_element(By.LINK_TEXT, "Downloads"), "/dumps")
        clicks.on(browser.find_element(By.LINK_TEXT, "Releases"), "/releases")
        clicks.on(browser.find_element(By.LINK_TEXT, "compare with the current one"), "/diff/")
        changes = browser.find_element(By.TAG_NAME, "main").text
        assert NEW_NAME in changes and clicks.count <= 3
        # 3. everything the Ministry of Culture did
        browser.get(f"{site}/?lang=en")
        clicks = Clicks(browser)
        clicks.on(browser.find_element(By.LINK_TEXT, "Institutions"), "/institutions")
        clicks.on(browser.find_element(By.LINK_TEXT, "Ministry of Culture"), "/doc/org/")
        page = browser.find_element(By.TAG_NAME, "main").text
        assert "Activities" in page and "Where else the graph names it" in page
        assert clicks.count <= 3


def test_a_short_link_keeps_the_query_and_its_release(two):
    """/q/<12 hex>: the same query on the same release, the same link; it opens the workbench
    on that release; an unknown or malformed link is a 404."""
    client = two["app"].test_client()
    asked = {"query": QUERY, "release": two["old"], "lang": "en"}
    html = client.get("/workbench", query_string=asked).get_data(as_text=True)
    import re

    [link] = re.findall(r'id="short-link">[^<]*</a> <code>(/q/[0-9a-f]{12})</code>', html)
    again = client.get("/workbench", query_string=asked).get_data(as_text=True)
    assert link in again
    opened = client.get(link)
    assert opened.status_code == 303
    assert f"release={two['old']}" in opened.headers["Location"]
    followed = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert f'data-release="{two["old"]}"' in followed and two["old_name"] in followed
    current = client.get("/workbench", query_string={"query": QUERY}).get_data(as_text=True)
    assert link not in current  # another release, another link
    assert client.get("/q/000000000000").status_code == 404
    assert client.get("/q/..%2F..%2Fetc").status_code == 404
