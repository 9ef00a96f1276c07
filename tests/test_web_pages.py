"""Every page works on both backends (embedded pyoxigraph and a real Oxigraph server)."""

from __future__ import annotations

import pytest

BASE = "https://w3id.org/lvpolicy/"
PAGES = [
    "/",
    "/plan",
    "/dashboard",
    "/plans/nipsipp-2019-2020/report",
    "/matrix",
    "/figures",
    "/sources",
    "/dumps",
    "/search?q=fonds",
    "/doc/org/kulturas-ministrija",
    "/doc/plan/nipsipp-2019-2020/result/d2-lsm",
    "/doc/plan/nipsipp-2019-2020",
    "/doc/concept/implementation-status/implemented",
    "/def",
    "/graph/km-2021-slides/slide-7/stated",
    "/doc/source/km-2021-slides/slide/7",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_html(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert b"<main>" in response.data


@pytest.mark.parametrize("path", [p for p in PAGES if "?" not in p])
def test_every_page_has_json(client, path):
    by_accept = client.get(path, headers={"Accept": "application/json"})
    assert by_accept.status_code == 200 and by_accept.mimetype == "application/json"
    suffix = "/index.json" if path == "/" else f"{path}.json"
    if path.startswith(("/doc/", "/graph/")) or path == "/def":
        suffix = f"{path}.json"
    by_suffix = client.get(suffix)
    assert by_suffix.status_code == 200 and by_suffix.get_json() == by_accept.get_json()


def test_home_shows_reported_and_enumerated_counts(client):
    data = client.get("/index.json").get_json()
    assert data["reported"] == {
        "all": 49,
        "implemented": 38,
        "not-funded": 10,
        "cancelled-covid19": 1,
    }
    assert data["enumerated"].get("measure", {}) == {}
    assert data["enumerated"]["result"] == {"implemented": 16}
    assert data["act"]["iri"] == BASE + "id/legal-act/mk-rikojums-2018-345"
    html = client.get("/").get_data(as_text=True)
    assert '<strong id="reported-total">49</strong>' in html
    assert "<svg" in html


def test_plan_tree_has_three_directions_and_nine_goals(client):
    data = client.get("/plan.json").get_json()
    assert [d["notation"] for d in data["directions"]] == ["1", "2", "3"]
    assert sum(len(d["goals"]) for d in data["directions"]) == 9
    goal_24 = next(g for d in data["directions"] for g in d["goals"] if g["notation"] == "2.4")
    assert {i["ref"]["iri"].rsplit("/", 1)[-1] for i in goal_24["items"]} == {
        "d2-lsm",
        "d2-latgale-media",
        "d2-lr4",
        "d2-kolnasata",
    }
    assert all(i["basis"] == "inferred" for i in goal_24["items"])


def test_hiding_inferred_moves_results_to_their_direction(client):
    data = client.get("/plan.json?inferred=0").get_json()
    assert all(not g["items"] for d in data["directions"] for g in d["goals"])
    assert sum(len(d["results"]) for d in data["directions"]) == 16


def test_result_page_groups_institutions_by_role_with_sources(client):
    data = client.get("/doc/plan/nipsipp-2019-2020/result/d3-lpa.json").get_json()
    roles = {r["role"]["iri"].rsplit("#", 1)[-1]: r["institutions"] for r in data["roles"]}
    assert len(roles["partner"]) == 5 and len(roles["implementer"]) == 1
    assert roles["implementer"][0]["sources"] == [BASE + "id/source/km-2021-slides/slide/8"]
    assert data["status"]["code"] == "implemented"
    assert data["goal"]["basis"] == "inferred"
    assert data["outcomes"][0]["quote"].startswith("Biedrība „Latvijas Pilsoniskā alianse”")


def test_result_page_shows_figures_with_unit_and_period(client):
    data = client.get("/doc/plan/nipsipp-2019-2020/result/d2-lsm.json").get_json()
    visitors = next(f for f in data["figures"] if f["value"] == 491000)
    assert visitors["printed"] == "vidēji 491 tūkstoši"
    assert visitors["period"]["iri"] == BASE + "id/period/2019-2020"


def test_institution_page_groups_by_role_and_lists_partners(client):
    data = client.get("/doc/org/kulturas-ministrija.json").get_json()
    roles = {r["role"]["iri"].rsplit("#", 1)[-1]: r["items"] for r in data["roles"]}
    assert {i["ref"]["iri"].rsplit("/", 1)[-1] for i in roles["funder"]} == {
        "d1-pdm",
        "d1-nvo-fonds",
    }
    assert all(i["basis"] == "inferred" for i in roles["funder"])
    assert roles["commissioner"][0]["basis"] == "stated"
    partners = {p["ref"]["iri"].rsplit("/", 1)[-1] for p in data["partners"]}
    assert {"baltic-institute-of-social-sciences", "patverums-drosa-maja"} <= partners
    hidden = client.get("/doc/org/kulturas-ministrija.json?inferred=0").get_json()
    assert "funder" not in {r["role"]["iri"].rsplit("#", 1)[-1] for r in hidden["roles"]}


def test_partners_come_from_the_release_table_or_else_the_store(app):
    """An institution's partners are read from the release's institutions.json; a release
    without one (built before it was added) is asked by SPARQL, with the same answer."""
    from kg.explore.institutions import InstitutionTable
    from web.cache import Memo

    state = app.extensions["kg"]
    state["memo"] = Memo(0)  # every request computes its page
    client, path = app.test_client(), "/doc/org/kulturas-ministrija.json"
    from_table = client.get(path).get_json()["partners"]
    state["institutions"] = InstitutionTable(None)
    assert client.get(path).get_json()["partners"] == from_table != []
    ministry = client.get(path).get_json()["ref"]["iri"]
    state["institutions"] = InstitutionTable(
        {ministry: {"links": [], "partners": [[from_table[0]["ref"]["iri"], 99]]}}
    )
    assert [p["shared"] for p in client.get(path).get_json()["partners"]] == [99]


def test_matrix_and_network(client):
    data = client.get("/matrix.json").get_json()
    assert len(data["activities"]) == 14 and len(data["institutions"]) == 22
    html = client.get("/matrix").get_data(as_text=True)
    assert html.count('<line x1="250"') == 26  # 27 involvements less the coordinator
    assert 'stroke-dasharray="5 3"' in html  # inferred roles are dashed
    # every node is a link; roles are named in the reader's language, never by local name
    assert html.count('<a href="/doc/') >= 14 + 22
    assert "involvedInstitution" not in html and ">īstenotājs<" in html
    # the table names its rows and columns: an activity per row, by its name, not a number
    table = html[html.index('<table class="matrix">') :]
    assert table.count('<th scope="row"><a href="/doc/') == 14
    assert '<th scope="col">' in table and '<th class="col">' not in table


def test_dashboard_counts(client):
    data = client.get("/dashboard.json").get_json()
    by_direction = {d["ref"]["iri"].rsplit("/", 1)[-1]: d["counts"] for d in data["by_direction"]}
    assert by_direction == {
        "1": {"implemented": 6},
        "2": {"implemented": 7},
        "3": {"implemented": 3},
    }
    most = {
        r["ref"]["iri"].rsplit("/", 1)[-1]
        for r in data["by_institution"]
        if r["activities"] == data["by_institution"][0]["activities"]
    }
    assert most == {"kulturas-ministrija", "sabiedribas-integracijas-fonds"}


def test_figures_page_lists_every_observation(client):
    figures = client.get("/figures.json").get_json()["figures"]
    assert len(figures) == 34
    estimated = [f for f in figures if f["estimated"]]
    assert [f["value"] for f in estimated] == [220]


def test_sources_page_lists_facts_per_graph(client):
    sources = client.get("/sources.json").get_json()["sources"]
    slides = next(s for s in sources if s["ref"]["iri"].endswith("/km-2021-slides"))
    slide_4 = next(g for g in slides["graphs"] if g["graph"].endswith("slide-4/stated"))
    assert slide_4["facts"] > 0 and slide_4["basis"] == "stated"
    assert any(g["basis"] == "inferred" for g in slides["graphs"])
    # a web page cited whole counts the facts of its own graphs too
    page = next(s for s in sources if s["ref"]["iri"].endswith("/source/likumi-300483"))
    assert page["facts"] > 0 and page["graphs"]
    assert page["facts"] == sum(g["facts"] for g in page["graphs"])


def test_generic_page_pages_long_lists(client):
    data = client.get("/doc/concept/institution-type/ngo.json").get_json()
    assert data["inbound"]["total"] >= 8
    vocabulary = client.get("/def.json").get_json()  # the vocabulary: one page of all terms
    assert vocabulary["count"] == sum(len(terms) for terms in vocabulary["terms"].values())


def test_sources_are_grouped_by_kind_the_presentation_first(client):
    data = client.get("/sources.json?lang=en").get_json()
    groups = data["groups"]
    kinds = [(g["kind"] or {}).get("iri", "").rsplit("/", 1)[-1] for g in groups]
    assert kinds[0] in ("report", "slide-deck") and "web-page" in kinds
    for group in groups:
        facts = [s["facts"] for s in group["sources"]]
        assert facts == sorted(facts, reverse=True)
        assert group["facts"] == sum(facts)
    assert sum(len(g["sources"]) for g in groups) == len(data["sources"])
    html = client.get("/sources?lang=en").get_data(as_text=True)
    assert '<nav aria-label="Kinds of sources">' in html


def test_the_home_chart_has_a_key(client):
    for lang, words in (("en", "Key: the light bar"), ("lv", "Skaidrojums: gaišā josla")):
        html = client.get(f"/?lang={lang}").get_data(as_text=True)
        if '<svg class="chart"' in html:
            assert words in html.split('<svg class="chart"', 1)[1]
        else:
            raise AssertionError("the fixture's home page draws its chart")


def test_search_counts_pages_and_narrows_by_kind(client):
    whole = client.get("/search.json?q=program&lang=en").get_json()
    assert whole["count"] == whole["total"] > 20 and whole["pages"] > 1
    assert len(whole["hits"]) == 20
    second = client.get("/search.json?q=program&lang=en&page=2").get_json()
    first_iris = {h["iri"] for h in whole["hits"]}
    assert not first_iris & {h["iri"] for h in second["hits"]}
    facet = whole["facets"][0]
    assert sum(f["count"] for f in whole["facets"]) == whole["count"]
    narrowed = client.get(
        "/search.json", query_string={"q": "program", "lang": "en", "kind": facet["iri"]}
    ).get_json()
    assert narrowed["count"] == facet["count"]
    assert {h["type"] for h in narrowed["hits"]} == {facet["iri"]}
    html = client.get("/search?q=program&lang=lv").get_data(as_text=True)
    assert f"Atrasts: {whole['count']}" in html and 'aria-label="Pēc lietas veida"' in html
    assert 'rel="next"' in html


def test_institutions_a_to_z_in_the_latvian_alphabets_order(client):
    from kg.explore.institutions import sort_key

    names = ["Čehija", "Ābele", "Zeme", "„Bite”", "Cēsis", "abols", "Šķūnis", "Saule"]
    assert sorted(names, key=sort_key) == [
        "abols",
        "Ābele",
        "„Bite”",
        "Cēsis",
        "Čehija",
        "Saule",
        "Šķūnis",
        "Zeme",
    ]
    letters = client.get("/institutions.json?lang=lv").get_json()["letters"]
    listed = [i["ref"]["iri"] for letter in letters for i in letter["institutions"]]
    every_query = "SELECT DISTINCT ?i { ?i a <http://www.w3.org/ns/org#Organization> }"
    every = client.get(
        "/sparql",
        query_string={"query": every_query},
        headers={"Accept": "application/sparql-results+json"},
    ).get_json()["results"]["bindings"]
    assert sorted(listed) == sorted(row["i"]["value"] for row in every)
    labels = [i["ref"]["label"] for letter in letters for i in letter["institutions"]]
    assert labels == sorted(labels, key=sort_key)


def test_a_search_hit_named_in_another_language_says_which(app):
    """WCAG 3.1.2: a Latvian name on an English page is marked as Latvian (a thing named
    only in Latvian: the index is the test's own)."""
    from kg.explore.search import SearchIndex

    state = app.extensions["kg"]
    iri = BASE + "id/org/only-latvian"
    entry = {"iri": iri, "type": "http://www.w3.org/ns/org#Organization"}
    kept = state["search"]
    state["search"] = SearchIndex([{**entry, "labels": {"lv": "Valsts valodas centrs"}}])
    try:
        client = app.test_client()
        found = client.get("/search.json", query_string={"q": "valodas", "lang": "en"})
        [hit] = found.get_json()["hits"]
        assert hit["lang"] == "lv" and hit["fallback"]
        html = client.get("/search", query_string={"q": "valodas", "lang": "en"}).get_data(True)
        assert '<bdi lang="lv">Valsts valodas centrs</bdi>' in html
        [offered] = client.get("/search/suggest?q=valodas&lang=en").get_json()
        assert offered["lang"] == "lv"  # the typeahead marks it too (search-1.2.js)
    finally:
        state["search"] = kept
