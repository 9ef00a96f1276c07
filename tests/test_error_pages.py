"""Error pages speak the reader's language and offer a way on: the nearest page that
exists, a search for the words of the address, the methods an address takes."""

from __future__ import annotations

from tests.page_text import visible_text


def _a_thing(client) -> tuple[str, str]:
    """A plan's page path and its English label."""
    doc = client.get("/plans.json?lang=en").get_json()["documents"][0]["ref"]
    return "/doc/" + doc["iri"].split("/id/", 1)[1], doc["label"]


def test_a_missing_page_under_a_thing_leads_to_it_and_to_a_search(client):
    path, label = _a_thing(client)
    for lang, nearest, search in (
        ("en", "The nearest page that exists:", "Search for “annual report”"),
        ("lv", "Tuvākā lapa, kas ir:", "Meklēt “annual report”"),
    ):
        response = client.get(f"{path}/annual-report?lang={lang}")
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        text = visible_text(html)
        assert nearest in text and search in text
        assert f'href="{path}"' in html
        assert 'value="annual report"' in html  # the header's search box, filled in
    assert label in visible_text(client.get(f"{path}/annual-report?lang=en").get_data(True))


def test_a_hostile_missing_address_is_shown_as_text(client):
    response = client.get("/doc/x/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E?lang=en")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html


def test_a_method_not_allowed_says_which_are(client):
    response = client.delete("/plans?lang=lv")
    assert response.status_code == 405
    text = visible_text(response.get_data(as_text=True))
    assert "Šī adrese atbild tikai uz šiem pieprasījumu veidiem: GET, HEAD." in text
    assert "Method Not Allowed" not in text
