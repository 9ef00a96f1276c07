"""Many plans in one graph: plan-qualified references, plan routes, words from the data."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from kg.build.pipeline import build
from kg.config import Config
from kg.release import Release
from kg.tables.read import DataError
from tests.conftest import FIXTURE_DATA
from tests.page_text import visible_text
from web import create_app

BASE = "https://w3id.org/lvpolicy/"
OLD, NEW = "nipsipp-2017-2018", "nipsipp-2019-2020"


def _append(table: Path, rows: list[dict[str, str]]) -> None:
    with table.open(encoding="utf-8", newline="") as handle:
        columns = next(csv.reader(handle))
    with table.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        for row in rows:
            writer.writerow(row)


def _rewrite(table: Path, change) -> None:
    with table.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, [change(r) for r in reader]
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")  # type: ignore[arg-type]
        writer.writeheader()
        writer.writerows(rows)


# A fictional measure table, a one-slide deck held and quoted as a real source is
# (kg.mapping.quotes): the rows below are test data, never attributed to a real document.
FICTION = "izdomata-pasakumu-tabula"
FICTION_WORDS = {
    ("structure", f"{OLD}/1"): "1. Virziens",
    ("structure", f"{OLD}/1.1"): "1.1. Mērķis",
    ("measures", f"{OLD}/1.1.1"): "1.1.1. Vecais pasākums, līdz 2018-12-31",
    ("measures", f"{NEW}/1.1.1"): "1.1.1. Jaunais pasākums",
    ("involvements", f"{OLD}/1.1.1/responsible/kulturas-ministrija"): "atbildīgā: KM",
    ("involvements", f"{NEW}/1.1.1/responsible/sabiedribas-integracijas-fonds"): "atbildīgā: SIF",
    ("involvements", f"{OLD}/1.1.1/co-implementer/latvijas-nacionala-biblioteka"): "līdz: LNB",
    ("indicators", "old-target"): "Mērķa skaits",
    ("observations", "old-target-2018"): "Mērķa skaits 2018. gadā: vismaz 120",
}


def _fiction(data: Path) -> None:
    (data / "sources" / f"{FICTION}.txt").write_text(
        "Izdomāta pasākumu tabula, tikai testiem\n\n" + "\n".join(FICTION_WORDS.values()) + "\n",
        encoding="utf-8",
    )
    _append(
        data / "sources.csv",
        [
            {"id": FICTION, "kind": "slide-deck", "title_lv": "Izdomāta pasākumu tabula (testiem)"}
            | {"title_en": "Fictional measure table (tests)", "file": f"sources/{FICTION}.txt"}
        ],
    )
    _append(
        data / "quotes.csv",
        [
            {"table": table, "row": row, "source": f"{FICTION}#slide=1", "quote": words}
            for (table, row), words in FICTION_WORDS.items()
        ],
    )


def _two_plans(data: Path) -> None:
    """The 2017–2018 plan gets a direction and goal; both plans get a measure 1.1.1."""
    _fiction(data)
    cite = {"source": f"{FICTION}#slide=1", "basis": "stated"}
    _append(
        data / "structure.csv",
        [
            {"id": "1", "plan": OLD, "level": "direction", "parent": "", "title_lv": "Virziens"}
            | cite,
            {"id": "1.1", "plan": OLD, "level": "goal", "parent": "1", "title_lv": "Mērķis"} | cite,
        ],
    )
    measure = {"id": "1.1.1", "goal": "1.1", "status": "implemented", "responsible": ""}
    _append(
        data / "measures.csv",
        [
            measure | {"plan": OLD, "title_lv": "Vecais pasākums", "deadline": "2018-12-31"} | cite,
            measure | {"plan": NEW, "title_lv": "Jaunais pasākums", "status": "not-funded"} | cite,
        ],
    )
    _append(
        data / "involvements.csv",
        [
            {"plan": OLD, "subject": "1.1.1", "role": "responsible"}
            | {"institution": "kulturas-ministrija"}
            | cite,
            {"plan": NEW, "subject": "1.1.1", "role": "responsible"}
            | {"institution": "sabiedribas-integracijas-fonds"}
            | cite,
            {"plan": OLD, "subject": "1.1.1", "role": "co-implementer"}
            | {"institution": "latvijas-nacionala-biblioteka"}
            | cite,
        ],
    )
    _append(
        data / "indicators.csv",
        [
            {"id": "old-target", "label_lv": "Mērķa skaits", "label_basis": "stated"}
            | {"unit": "persons", "plan": OLD, "about": "1.1.1", "about_basis": "stated"}
            | cite
        ],
    )
    _append(
        data / "observations.csv",
        [
            {"id": "old-target-2018", "indicator": "old-target", "value_type": "target-minimum"}
            | {"value": "120", "period": "2018", "estimated": "no"}
            | cite
        ],
    )


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory):
    data = tmp_path_factory.mktemp("two-plans") / "data"
    shutil.copytree(FIXTURE_DATA, data)
    _two_plans(data)
    # the data, not the code, orders and names the statuses
    _rewrite(
        data / "concepts.csv",
        lambda r: r | {"label_en": "no money"} if r["code"] == "not-funded" else r,
    )
    return build(Config(out=data.parent / "out", data=data))


def test_two_plans_may_number_a_measure_alike(two_plans):
    store = Release(two_plans.release).load_store()
    rows = store.query(
        f"""PREFIX lvp: <{BASE}def#>
        SELECT ?m ?org WHERE {{ ?g lvp:hasMeasure ?m . ?m lvp:responsibleInstitution ?org }}
        ORDER BY ?m"""
    )
    got = [(s["m"].value, s["org"].value) for s in rows]
    assert got == [
        (f"{BASE}id/plan/{OLD}/measure/1-1-1", f"{BASE}id/org/kulturas-ministrija"),
        (f"{BASE}id/plan/{NEW}/measure/1-1-1", f"{BASE}id/org/sabiedribas-integracijas-fonds"),
    ]


def test_a_bare_reference_is_refused_with_its_row(data_copy, tmp_path):
    _append(
        data_copy / "involvements.csv",
        [
            {"plan": "", "subject": "d1-ekl", "role": "implementer"}
            | {"institution": "kulturas-ministrija", "source": "km-2021-slides", "basis": "stated"}
        ],
    )
    with pytest.raises(DataError) as caught:
        build(Config(out=tmp_path / "out", data=data_copy))
    text = str(caught.value)
    assert "involvements.csv" in text and "plan" in text and "d1-ekl" in text


def test_unidentified_measures_answer_which_was_cancelled(store, two_plans):
    """'Which measure was cancelled?' gets an explicit unknown, with its count; a status with
    an enumerated measure counts only the rest (and is an inference, not the source's)."""
    question = f"""PREFIX lvp: <{BASE}def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?m ?n ?label WHERE {{
          ?m lvp:implementationStatus <{BASE}id/concept/implementation-status/STATUS> ;
             lvp:measureCount ?n ; skos:prefLabel ?label FILTER (lang(?label) = "en") }}"""
    rows = list(store.query(question.replace("STATUS", "cancelled-covid19")))
    assert [(r["n"].value, r["label"].value) for r in rows] == [
        ("1", "1 unidentified measure: cancelled because of Covid-19 restrictions")
    ]
    two = Release(two_plans.release).load_store()
    rows = list(two.query(question.replace("STATUS", "not-funded")))
    assert [(r["n"].value, r["label"].value) for r in rows] == [
        ("9", "9 unidentified measures: no money")
    ]


def _pages(release: Path):
    app = create_app({"TESTING": True, "RELEASE": str(release)})
    return app.test_client()


def test_plan_routes_show_each_plan_and_keep_todays_urls(two_plans):
    client = _pages(two_plans.release)
    old = client.get(f"/plans/{OLD}/tree?lang=lv").get_data(as_text=True)
    assert "Vecais pasākums" in old and "Jaunais pasākums" not in old
    today = client.get("/plan?lang=lv").get_data(as_text=True)
    assert "Jaunais pasākums" in today and "Vecais pasākums" not in today
    tree = client.get(f"/plans/{NEW}/tree?lang=lv").get_data(as_text=True)
    assert visible_text(tree) == visible_text(today)  # the same plan; each links to itself
    assert f'href="/plans/{NEW}/tree?lang=en"' in tree and 'href="/plan?lang=en"' in today
    assert client.get("/plans/no-such-plan/tree").status_code == 404
    listing = client.get("/plans.json").get_json()["documents"]
    assert [d["ref"]["iri"].rsplit("/", 1)[-1] for d in listing][:2] == [
        "nipsipp-2012-2018",
        OLD,
    ]


def test_statuses_and_titles_come_from_the_data(two_plans):
    client = _pages(two_plans.release)
    dashboard = client.get("/dashboard?lang=en").get_data(as_text=True)
    assert ">no money<" in dashboard and "not-funded" not in visible_text(dashboard)
    home = client.get("/?lang=en").get_data(as_text=True)
    # the site title comes from the data
    assert re.search(r"<title>[^<]* · Integration policy plans</title>", home)
    # a plan with a measure enumerated gets no note about missing ones
    assert 'id="missing-measures"' not in home
    old_home = client.get(f"/plans/{OLD}?lang=en").get_data(as_text=True)
    assert "Vecais pasākums" not in old_home and 'id="missing-measures"' not in old_home


def test_a_measure_page_shows_its_place_roles_deadline_and_targets(two_plans):
    client = _pages(two_plans.release)
    page = client.get(f"/doc/plan/{OLD}/measure/1-1-1.json?lang=en").get_json()
    assert page["plan"]["iri"] == f"{BASE}id/plan/{OLD}"
    assert page["direction"]["iri"] == f"{BASE}id/plan/{OLD}/direction/1"
    assert page["goal"]["iri"] == f"{BASE}id/plan/{OLD}/goal/1-1"
    assert page["deadline"]["value"] == "2018-12-31"
    roles = {r["role"]["iri"].rsplit("#", 1)[-1]: r["institutions"] for r in page["roles"]}
    assert [i["iri"].rsplit("/", 1)[-1] for i in roles["responsibleInstitution"]] == [
        "kulturas-ministrija"
    ]
    assert [i["iri"].rsplit("/", 1)[-1] for i in roles["coImplementer"]] == [
        "latvijas-nacionala-biblioteka"
    ]
    [target] = page["figures"]
    assert target["value"] == 120 and target["value_type"]["label"] == "minimum target"
    html = client.get(f"/doc/plan/{OLD}/measure/1-1-1?lang=en").get_data(as_text=True)
    for words in ("Deadline", "31 December 2018", "minimum target", "Ministry of Culture"):
        assert words in html
