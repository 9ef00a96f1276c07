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
