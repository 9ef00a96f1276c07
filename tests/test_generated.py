"""Every page type answers on generated tables (kg generate): the shape the benchmarks
scale to 100k and 1M facts, here at a small size."""

from __future__ import annotations

import pytest

from kg.build.generate import generate
from kg.build.pipeline import build
from kg.config import Config
from kg.export_site import AGGREGATES
from tests.test_words import one_of_each_kind
from web import create_app


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    generate(folder / "data", 5000)
    return build(Config(out=folder / "out", data=folder / "data"))


def test_every_page_type_answers_on_generated_tables(generated):
    app = create_app({"TESTING": True, "RELEASE": str(generated.release)})
    try:
        client = app.test_client()
        kinds = one_of_each_kind(client)
        assert any("/measure/" in path for path in kinds)  # the generated plan has measures
        paths = [
            *AGGREGATES,
            *kinds,
            "/search?q=Pas%C4%81kums",
            "/workbench?example=03-structure-counts",
        ]
        failed = {}
        for path in paths:
            for lang in ("lv", "en"):
                joiner = "&" if "?" in path else "?"
                status = client.get(f"{path}{joiner}lang={lang}").status_code
                if status != 200:
                    failed[f"{path} ({lang})"] = status
        assert failed == {}
    finally:
        app.extensions["kg"]["pool"].close()


def test_a_plan_too_large_to_list_is_outlined(generated, monkeypatch):
    """Past TREE_ITEMS the plan tree lists directions and goals with their counts, and the
    counts add up to the plan's measures and results."""
    import re

    from kg.explore import plan as plan_data

    monkeypatch.setattr(plan_data, "TREE_ITEMS", 10)
    app = create_app({"TESTING": True, "RELEASE": str(generated.release)})
    try:
        client = app.test_client()
        full = client.get("/plan.json?lang=en").get_json()
        assert full["outline"]["items"] > 10
        goals = [g for d in full["directions"] for g in d["goals"]]
        assert all(g["items"] == [] for g in goals)  # no item listed: each goal's page does
        assert sum(g["linked"] for g in goals) == full["outline"]["items"]
        notations = [d["notation"] for d in full["directions"]]
        assert notations == sorted(notations, key=lambda n: [int(p) for p in n.split(".")])
        for lang, words in (("lv", "pasākumi un rezultāti"), ("en", "measures and results")):
            html = client.get(f"/plan?lang={lang}").get_data(as_text=True)
            assert re.search(r"\(\d+ " + words + r"\)", html)
    finally:
        app.extensions["kg"]["pool"].close()


def test_a_plan_within_the_limit_lists_its_items(generated):
    app = create_app({"TESTING": True, "RELEASE": str(generated.release)})
    try:
        tree = app.test_client().get("/plan.json?lang=en").get_json()
        assert "outline" not in tree
        assert any(g["items"] for d in tree["directions"] for g in d["goals"])
    finally:
        app.extensions["kg"]["pool"].close()


def test_figures_are_shown_a_page_at_a_time_and_downloaded_whole(generated, monkeypatch):
    import csv
    import io

    from web.views import browse

    monkeypatch.setattr(browse, "FIGURES_PAGE", 7)
    app = create_app({"TESTING": True, "RELEASE": str(generated.release)})
    try:
        client = app.test_client()
        first = client.get("/figures.json?lang=en").get_json()
        paging = first["paging"]
        assert paging["pages"] > 2 and len(first["figures"]) == 7
        seen = []
        for number in range(1, paging["pages"] + 1):
            page = client.get(f"/figures.json?lang=en&figures.page={number}").get_json()
            seen += [(f["indicator"]["iri"], f["period"]["iri"]) for f in page["figures"]]
        assert len(seen) == len(set(seen)) == paging["count"]
        rows = list(csv.reader(io.StringIO(client.get("/figures?csv=figures").get_data(True))))
        assert len(rows) - 1 == paging["count"]  # the download keeps every row
        html = client.get("/figures?lang=lv&figures.page=2").get_data(as_text=True)
        assert 'rel="next"' in html and 'rel="prev"' in html and "2. lapa no" in html
    finally:
        app.extensions["kg"]["pool"].close()


def test_the_institution_table_is_what_the_queries_answer(generated):
    """institutions.json, worked out at build time, holds for every institution what the
    store answers: its role links in the order of institution-roles.rq, and its partners
    as partners.rq gives them (the same partners, counts and order, ties by IRI)."""
    from rdflib import URIRef

    from kg.build.institutions import institution_table
    from kg.config import DEFAULT_BASE
    from kg.explore.institutions import InstitutionTable
    from kg.explore.institutions import Listed
    from kg.explore.roles import role_iris
    from kg.queries import query
    from kg.release import Release

    store = Release(generated.release).load_store()
    table = InstitutionTable.load(generated.release / "institutions.json")
    institutions = [
        row["i"].value
        for row in store.query(
            "SELECT DISTINCT ?i WHERE { ?i a <http://www.w3.org/ns/org#Organization> }"
        )
    ]
    roles = role_iris()
    partners, links, counts = {}, {}, {}
    for iri in institutions:
        bound = [URIRef(iri)]
        text = query("partners", DEFAULT_BASE, institution=bound, r1=roles, r2=roles)
        partners[iri] = [(r["other"].value, int(r["shared"].value)) for r in store.query(text)]
        text = query("institution-roles", DEFAULT_BASE, institution=bound, role=roles)
        text = text.replace("LIMIT 51 OFFSET 0", "")  # every link, in the page's order
        links[iri] = [(r["activity"].value, r["role"].value) for r in store.query(text)]
        text = query("institution-role-counts", DEFAULT_BASE, institution=bound, role=roles)
        counts[iri] = {r["role"].value: int(r["n"].value) for r in store.query(text)}
    rows = {iri: table.of(iri) or Listed() for iri in institutions}
    assert {iri: list(row.partners) for iri, row in rows.items()} == partners
    assert {iri: list(row.links) for iri, row in rows.items()} == links
    assert {iri: row.counts for iri, row in rows.items()} == counts
    assert max(len(found) for found in links.values()) > 50  # more than a page
    # the cut: the query's order is total (shared, then IRI), so the first few agree too
    few = institution_table(generated.release / "kg.nt", keep=5)
    assert {
        iri: [tuple(p) for p in few.get(iri, {}).get("partners", [])] for iri in institutions
    } == {iri: found[:5] for iri, found in partners.items()}
    assert max(len(found) for found in partners.values()) > 5
    shared = [n for found in partners.values() for _, n in found]
    assert len(shared) > len(set(shared))  # ties, ordered by IRI


@pytest.mark.parametrize("size", ["fifty", "one-past", "exact"])
def test_an_institution_page_is_the_same_from_the_table_or_the_store(generated, monkeypatch, size):
    """The institution with most roles, page by page: its roles, their counts, the links
    listed and whether there is more are the same read from institutions.json as asked
    of the store (a release built before the table, or a remote store's); with pages of
    fifty, of one link fewer than it has, and of exactly as many."""
    from kg.explore import institutions
    from kg.explore.institutions import InstitutionTable
    from web.cache import Memo

    app = create_app({"TESTING": True, "RELEASE": str(generated.release)})
    try:
        state = app.extensions["kg"]
        state["memo"] = Memo(0)
        client = app.test_client()
        listed = InstitutionTable.load(generated.release / "institutions.json")
        rows = listed.listed or {}
        hub = max(rows, key=lambda iri: len(rows[iri].links))
        links = len(rows[hub].links)
        page = {"fifty": 50, "one-past": links - 1, "exact": links}[size]
        monkeypatch.setattr(institutions, "PAGE", page)
        path = "/doc/" + hub.split("/id/", 1)[1]
        pages = -(-links // page)
        assert pages >= 2 or size == "exact"
        shown = {}
        for number in range(1, pages + 2):
            for inferred in ("1", "0"):
                url = f"{path}.json?page={number}&inferred={inferred}"
                state["institutions"] = listed
                from_table = client.get(url).get_json()
                state["institutions"] = InstitutionTable(None)
                asked = client.get(url).get_json()
                assert from_table["roles"] == asked["roles"]
                assert from_table["more"] == asked["more"]
                assert from_table["partners"] == asked["partners"]
                shown[number, inferred] = (from_table["more"], bool(from_table["roles"]))
        assert shown[pages, "1"] == (False, True)  # the last page has links, and no more
        assert all(shown[n, "1"] == (True, True) for n in range(1, pages))
    finally:
        app.extensions["kg"]["pool"].close()
