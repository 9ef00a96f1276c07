"""Every page type has a title of its own and a description: a reader with many tabs, a
search engine's result and a bookmark tell them apart."""

from __future__ import annotations

import html as html_lib
import re

from kg.export_site import AGGREGATES

OTHERS = ["/releases", "/workbench", "/sparql", "/search?q=kult", "/doc/no/such/thing"]


def _head(client, path: str) -> tuple[str, str]:
    url = f"{path}{'&' if '?' in path else '?'}lang=en"
    page = client.get(url, headers={"Accept": "text/html"}).get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    description = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert title and description, path
    return html_lib.unescape(title.group(1).strip()), html_lib.unescape(description.group(1))


def test_every_page_type_has_a_title_of_its_own_and_a_description(client):
    seen: dict[str, str] = {}
    for path in [*AGGREGATES, *OTHERS]:
        title, description = _head(client, path)
        assert title not in seen, (path, seen.get(title))
        seen[title] = path
        assert description.startswith(title) and len(description) > len(title) + 40, path


def test_a_things_page_is_titled_by_its_name(client):
    doc = client.get("/plans.json?lang=en").get_json()["documents"][0]["ref"]
    title, _ = _head(client, "/doc/" + doc["iri"].split("/id/", 1)[1])
    assert title.startswith(doc["label"] + " · ")
