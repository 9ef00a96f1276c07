"""Words, never codes (issue 12): on every page type of the real data, in Latvian and in
English, the text a reader reads holds no prefixed name, local name, slug, ISO date or
code of the data, and a Latvian page no English status word."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from kg.export_site import AGGREGATES
from tests.page_text import codes_in
from tests.page_text import slugs
from tests.page_text import visible_text
from web import create_app

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    *AGGREGATES,  # the overview pages the static export holds
    "/releases",
    "/plans/nipsipp-2019-2020/report",
    "/workbench",
    "/sparql",
    "/search?q=LSM",
    "/search?q=491",
    "/search?q=nothing-here",
    "/doc/no/such/thing",
]


@pytest.fixture(scope="module")
def reader(real_built):
    app = create_app({"RELEASE": str(real_built.release)})
    return app.test_client()


def one_of_each_kind(reader) -> list[str]:
    """A page for one thing of every class in the graph, and one fact graph."""
    query = (
        "SELECT ?type (MIN(STR(?s)) AS ?one) WHERE { ?s a ?type FILTER isIRI(?s) } GROUP BY ?type"
    )
    rows = reader.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    ).get_json()
    paths = set()
    for row in rows["results"]["bindings"]:
        iri = row["one"]["value"]
        for prefix, route in (
            ("https://w3id.org/lvpolicy/id/", "/doc/"),
            ("https://w3id.org/lvpolicy/graph/", "/graph/"),
        ):
            if iri.startswith(prefix):
                paths.add(route + iri[len(prefix) :])
    return sorted(paths)


def _codes() -> tuple[set[str], set[str]]:
    """The data's ids and codes; and the English words of its code lists, which a Latvian
    page must not show."""
    ids: set[str] = set()
    words: set[str] = set()  # an id that is a word of the English labels reads as a word
    for table in (ROOT / "data").glob("*.csv"):
        with table.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column, value in row.items():
                    if column in ("id", "code") and re.search(r"[A-Za-z]", value or ""):
                        if re.search(r"[-_\d]", value):
                            ids.add(value)
                    elif column and column.endswith("_en") and value:
                        words |= set(re.findall(r"[\w-]+", value))
    ids -= words  # "non-citizens"
    english = {
        "implemented",
        "not-funded",
        "cancelled-covid19",
        "unknown",
        "stated",
        "inferred",
        "editorial",
    }
    return ids, english


@pytest.fixture(scope="module")
def every_page(reader) -> list[str]:
    return PAGES + one_of_each_kind(reader)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_no_code_reaches_the_text_of_any_page(reader, every_page, lang):
    ids, english = _codes()
    codes = ids | slugs(
        [f"https://w3id.org/lvpolicy/id/{p[5:]}" for p in every_page if p.startswith("/doc/")],
        "https://w3id.org/lvpolicy/",
    )
    problems = {}
    for path in every_page:
        separator = "&" if "?" in path else "?"
        response = reader.get(f"{path}{separator}lang={lang}", headers={"Accept": "text/html"})
        assert response.status_code == (404 if path == "/doc/no/such/thing" else 200), path
        html = response.get_data(as_text=True)
        found = codes_in(
            visible_text(html),
            codes,
            english if lang == "lv" else set(),
            visible_text(html, skip_lang="en"),
        )
        # a link that reads as its own slug: a thing with no label in the reader's language
        # (checked on Latvian pages: an English label may be spelt as its code, "ministry")
        if lang == "lv":
            link = (
                r'<a href="/(?:doc|graph)/(?:[^"]*/)?([^"/]*[a-z][^"/]*)"[^>]*>(?:<bdi[^>]*>)?\1<'
            )
            found += re.findall(link, html)
        if found:
            problems[path] = found
    assert problems == {}
    assert len(every_page) > 40  # every class of the graph has its page here
