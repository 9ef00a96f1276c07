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


def test_the_partner_table_is_what_the_partners_query_answers(generated):
    """partners.json, worked out at build time, holds for every institution what
    kg/queries/partners.rq answers: the same partners, counts and order (ties by IRI)."""
    from rdflib import URIRef

    from kg.build.partners import partner_table
    from kg.config import DEFAULT_BASE
    from kg.explore.institutions import PartnerTable
    from kg.explore.roles import role_iris
    from kg.queries import query
    from kg.release import Release

    store = Release(generated.release).load_store()
    table = PartnerTable.load(generated.release / "partners.json")
    institutions = [
        row["i"].value
        for row in store.query(
            "SELECT DISTINCT ?i WHERE { ?i a <http://www.w3.org/ns/org#Organization> }"
        )
    ]
    roles = role_iris()
    asked = {}
    for iri in institutions:
        text = query("partners", DEFAULT_BASE, institution=[URIRef(iri)], r1=roles, r2=roles)
        asked[iri] = [(r["other"].value, int(r["shared"].value)) for r in store.query(text)]
    assert {iri: table.of(iri) for iri in institutions} == asked
    # the cut: the query's order is total (shared, then IRI), so the first few agree too
    few = partner_table(generated.release / "kg.nt", keep=5)
    assert {iri: [tuple(p) for p in few.get(iri, [])] for iri in institutions} == {
        iri: found[:5] for iri, found in asked.items()
    }
    assert max(len(found) for found in asked.values()) > 5
    counts = [n for found in asked.values() for _, n in found]
    assert len(counts) > len(set(counts))  # ties, ordered by IRI
