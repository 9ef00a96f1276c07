"""An institution's page names every role the graph gives it, not only its roles in
activities: the plan it coordinates, the guidelines it leads, the sources it published."""

from __future__ import annotations

import re

import pytest

from kg.explore.roles import role_iris
from kg.namespaces import LVP
from kg.queries import HERE
from web import create_app


@pytest.mark.parametrize("name", ["named-by", "structure-institutions"])
def test_queries_that_write_the_roles_out_name_exactly_the_activity_roles(name):
    """named-by leaves the roles out, structure-institutions keeps them (a FILTER … IN,
    which every engine runs well); either way they must be kg.explore.roles' list."""
    text = (HERE / f"{name}.rq").read_text(encoding="utf-8")
    written = re.search(r"IN \(([^)]*)\)", text, re.S)
    assert written is not None
    names = [n.strip().removeprefix("lvp:") for n in written.group(1).split(",")]
    assert [str(LVP[n]) for n in names] == [str(r) for r in role_iris()]


def test_the_ministry_of_cultures_page_names_all_it_did(real_built):
    app = create_app({"TESTING": True, "RELEASE": str(real_built.release)})
    try:
        client = app.test_client()
        page = client.get("/doc/org/kulturas-ministrija.json?lang=en").get_json()
        named = {
            g["property"]["iri"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]: g for g in page["named_by"]
        }
        coordinated = [i["ref"]["iri"] for i in named["coordinatingInstitution"]["items"]]
        assert coordinated == ["https://w3id.org/lvpolicy/id/plan/nipsipp-2019-2020"]
        led = [i["ref"]["iri"] for i in named["leadInstitution"]["items"]]
        assert led == ["https://w3id.org/lvpolicy/id/guidelines/saliedetas-sabiedribas-2021-2027"]
        assert named["publisher"]["count"] >= 9  # the report and the sources it published
        html = client.get("/doc/org/kulturas-ministrija?lang=lv").get_data(as_text=True)
        assert "Kur vēl grafs to nosauc" in html and "koordinējošā institūcija" in html
    finally:
        app.extensions["kg"]["pool"].close()


def test_a_goal_page_shows_where_it_sits_and_its_institutions(client):
    tree = client.get("/plan.json?lang=en").get_json()
    direction = next(d for d in tree["directions"] if any(g["items"] for g in d["goals"]))
    goal = next(g for g in direction["goals"] if g["items"])
    path = "/doc/" + goal["ref"]["iri"].split("/id/", 1)[1]
    html = client.get(f"{path}?lang=en").get_data(as_text=True)
    crumbs = re.search(r'<nav aria-label="Where it is" class="breadcrumb">(.*?)</nav>', html, re.S)
    assert crumbs is not None
    assert tree["plan"]["iri"].split("/id/", 1)[1] in crumbs.group(1)
    assert direction["ref"]["iri"].split("/id/", 1)[1] in crumbs.group(1)
    assert "Institutions in its measures and results" in html


def test_the_query_behind_a_page_opens_in_the_workbench_and_answers(client):
    """Each thing's page links its query to the workbench; the query runs on /sparql and
    answers with the page's thing."""
    import html as html_lib
    from urllib.parse import parse_qs
    from urllib.parse import urlsplit

    doc = client.get("/plans.json?lang=en").get_json()["documents"][0]["ref"]
    path = "/doc/" + doc["iri"].split("/id/", 1)[1]
    page = client.get(f"{path}?lang=lv").get_data(as_text=True)
    found = re.search(r'<p class="behind"><a href="([^"]+)">([^<]+)</a>', page)
    assert found is not None and found.group(2) == "Rādīt šīs lapas vaicājumu (darbvietā)"
    link = urlsplit(html_lib.unescape(found.group(1)))
    assert link.path == "/workbench"
    text = parse_qs(link.query)["query"][0]
    assert doc["iri"] in text
    assert client.get(html_lib.unescape(found.group(1))).status_code == 200
    answer = client.get(
        "/sparql",
        query_string={"query": text},
        headers={"Accept": "application/sparql-results+json"},
    )
    rows = answer.get_json()["results"]["bindings"]
    assert rows and all(doc["iri"] in (r["subject"]["value"], r["object"]["value"]) for r in rows)
