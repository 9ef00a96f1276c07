"""What a reader meets first (issue 12, the first steps): the switches keep the page, the
numbers read as the language writes them, and the keyboard can skip the navigation."""

from __future__ import annotations

import re


def test_the_language_switch_keeps_the_path_and_the_query(client):
    html = client.get("/search?q=LSM&lang=lv").get_data(as_text=True)
    switch = re.search(r'id="lang-switch"[^>]*|<a href="([^"]+)" id="lang-switch"', html)
    href = re.search(r'<a href="([^"]+)" id="lang-switch"', html).group(1)
    assert switch and href.replace("&amp;", "&") == "/search?q=LSM&lang=en"
    inferred = re.search(r'<a href="([^"]+)" id="inferred-switch"', html).group(1)
    assert inferred.replace("&amp;", "&").startswith("/search?q=LSM&lang=lv&inferred=")


def test_numbers_are_written_as_each_language_writes_them(client):
    latvian = client.get("/figures?lang=lv").get_data(as_text=True)
    english = client.get("/figures?lang=en").get_data(as_text=True)
    assert "491\u00a0000" in latvian and "491,000" not in latvian
    assert "491,000" in english


def test_a_skip_link_leads_past_the_navigation(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert re.search(r'<a href="#main" class="skip">Skip to content</a>', html)
    assert '<main>\n<div id="main" tabindex="-1">' in html
    assert html.index('class="skip"') < html.index("<nav")


def test_status_badges_are_words_in_the_readers_language(client):
    latvian = client.get("/plan?lang=lv").get_data(as_text=True)
    assert re.search(r'class="status status-1">īstenots<', latvian)
    english = client.get("/plan?lang=en").get_data(as_text=True)
    assert re.search(r'class="status status-1">implemented<', english)


def test_sources_list_slides_in_their_order_without_nested_links(client):
    html = client.get("/sources?lang=en").get_data(as_text=True)
    slides = [int(n) for n in re.findall(r'href="/doc/source/km-2021-slides/slide/(\d+)"', html)]
    assert slides == sorted(slides) and 10 in slides and 2 in slides
    assert not re.search(r"<a [^>]*>[^<]*<a ", html)


def test_the_workbench_counts_rows_in_words(client):
    one = "SELECT ?x WHERE { BIND (1 AS ?x) }"
    two = "SELECT ?x WHERE { VALUES ?x { 1 2 } }"
    for query, lang, words in (
        (one, "lv", "1 rinda"),
        (two, "lv", "2 rindas"),
        (one, "en", "1 row"),
    ):
        html = client.get("/workbench", query_string={"query": query, "lang": lang}).get_data(
            as_text=True
        )
        assert words in html, (query, lang)


def test_a_language_chosen_on_a_page_the_browser_has_is_still_remembered(client):
    """A 304 (the browser has the page) still sets the cookie ?lang= asks for, and a page
    that sets a reader's cookie is for that reader's cache only."""
    first = client.get("/?lang=en")
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get("/?lang=en", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert any(c.startswith("lang=en") for c in again.headers.getlist("Set-Cookie"))
    assert "public" in client.get("/").headers["Cache-Control"]  # no choice made: shared
