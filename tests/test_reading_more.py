"""What a reader can check and use (issue 12), on the real data: the About page, the
dashboard's reported against enumerated, a slide's own text, tables that sort, filter and
download, search by acts, statuses, slides, abbreviations and numbers, held sources."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.page_text import visible_text
from web import create_app


@pytest.fixture(scope="module")
def reader(real_built):
    return create_app({"RELEASE": str(real_built.release)}).test_client()


def _text(reader, path: str) -> str:
    return visible_text(reader.get(path).get_data(as_text=True))


def test_about_says_what_is_missing_for_every_plan_and_where_counts_come_from(reader):
    text = _text(reader, "/about?lang=en")
    for words in (
        "What the graph holds",
        "Stated, inferred, editorial",
        "How to cite",
        "A source reports 49 measures",
        "slide 4",
        "Enumerated in the graph: 0 measures, 16 reported results",
        "10 unidentified measures: not funded",
        "measure table",
    ):
        assert words in text, words
    plans = reader.get("/plans.json").get_json()["documents"]
    assert all(p["ref"]["label"] in text for p in plans)  # every planning document
    home = reader.get("/?lang=lv").get_data(as_text=True)
    assert '<a href="/about">Par datiem</a>' in home  # linked from every page


def test_the_dashboard_sets_reported_beside_enumerated_and_keeps_empty_goals(reader):
    html = reader.get("/dashboard?lang=en").get_data(as_text=True)
    table = html.split('id="reported-table"', 1)[1].split("</table>", 1)[0]
    row = visible_text(table.split("not funded", 1)[1].split("</tr>", 1)[0])
    # reported 10 (from slide 4), 0 measures enumerated, 10 not identified, 0 results
    assert re.search(r"10 .*slide 4 0 10 0", row), row
    goals = reader.get("/dashboard.json").get_json()["by_goal"]
    assert len(goals) == 9 and any(sum(g["counts"].values()) == 0 for g in goals)


def test_a_slide_shows_its_own_text_beside_the_facts_read_from_it(reader):
    html = reader.get("/doc/source/km-2021-slides/slide/7?lang=en").get_data(as_text=True)
    quote = html.split('<blockquote class="source-text" lang="lv">', 1)[1].split("</blockquote>")[0]
    assert "491 tūkstoši unikālo apmeklētāju mēnesī" in quote
    assert "Facts read from this slide" in html and "Latvian Radio 4" in html
    with reader.get("/dumps/source.km-2021-slides.txt") as held:
        assert held.status_code == 200 and held.mimetype == "text/plain"
        assert "491 tūkstoši" in held.get_data(as_text=True)
    assert reader.get("/dumps/source.nothing.txt").status_code == 404


def test_tables_sort_filter_and_download_as_csv(reader):
    path = "/figures?lang=en&figures.sort=value&figures.order=desc"
    values = [
        f["value"]
        for f in reader.get(path.replace("/figures", "/figures.json")).get_json()["figures"]
    ]
    assert values == sorted(values, reverse=True)
    filtered = reader.get("/figures?lang=en&figures.filter=LSM.LV").get_data(as_text=True)
    assert "contain “LSM.LV”" in filtered and "aria-sort" not in filtered
    response = reader.get("/figures?lang=en&figures.filter=LSM.LV&csv=figures")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Indicator", "Indicator (IRI)", "Value"]
    assert len(rows) > 1 and all("lsm.lv" in ",".join(r).lower() for r in rows[1:])
    sorted_page = reader.get(path).get_data(as_text=True)
    assert 'aria-sort="descending"' in sorted_page
    assert reader.get("/dashboard?csv=goals").mimetype == "text/csv"


@pytest.mark.parametrize(
    ("words", "finds"),
    [
        ("SIF", "Sabiedrības integrācijas fonds"),
        ("491", "LSM.LV unikālie apmeklētāji"),
        ("491 000", "LSM.LV unikālie apmeklētāji"),
        ("rīkojums 345", "Ministru kabineta rīkojums Nr. 345"),
        ("nav piešķirts", "nav piešķirts finansējums"),
        ("Kolnasāta", "7. slaids"),
    ],
)
def test_search_finds_acts_statuses_slides_abbreviations_and_numbers(reader, words, finds):
    text = _text(reader, f"/search?lang=lv&q={words}")
    assert finds in text, (words, text[-600:])


def test_a_hidden_filter_says_so_on_the_page_and_results_have_breadcrumbs(reader):
    html = reader.get("/doc/plan/nipsipp-2019-2020/result/d2-lsm?lang=en&inferred=0").get_data(
        as_text=True
    )
    assert 'id="inferred-hidden"' in html and "Inferred facts are hidden" in html
    crumbs = visible_text(
        html.split('<nav class="crumbs"', 1)[1].split(">", 1)[1].split("</nav>")[0]
    )
    assert (
        crumbs.startswith("Plans and guidelines › National Identity")
        and "language and cultural space" in crumbs
    )
    shown = reader.get("/doc/plan/nipsipp-2019-2020/result/d2-lsm?lang=en&inferred=1")
    assert 'id="inferred-hidden"' not in shown.get_data(as_text=True)


def test_the_plans_page_draws_the_policy_cycle_on_a_time_axis(reader):
    html = reader.get("/plans?lang=en").get_data(as_text=True)
    timeline = html.split('<svg class="timeline"', 1)[1].split("</svg>", 1)[0]
    assert timeline.count('<a href="/doc/') == len(
        reader.get("/plans.json").get_json()["documents"]
    )
    assert "18 July 2018" in timeline and "date not known in the graph" in timeline
    # a plan's period is a band from its first day to its last, not a point
    documents = reader.get("/plans.json").get_json()["documents"]
    spanned = [d for d in documents if d.get("start") and d.get("end")]
    assert spanned and timeline.count("<rect ") == len(spanned)
    assert "1 January 2019 – 31 December 2020" in timeline


@pytest.mark.parametrize(
    ("path", "header"),
    [
        ("/matrix?csv=matrix&lang=en", ["Institution", "Institution (IRI)", "Activity"]),
        ("/?csv=statuses&lang=lv", ["Statuss", "Statuss (IRI)", "Ziņots"]),
        ("/doc/plan/nipsipp-2019-2020/result/d2-lsm?csv=figures&lang=en", ["Indicator"]),
    ],
)
def test_the_other_tables_download_as_csv_too(reader, path, header):
    response = reader.get(path)
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][: len(header)] == header and len(rows) > 1
    assert not any("|" in cell for row in rows for cell in row)


def test_page_csv_never_carries_a_formula(data_copy, tmp_path):
    """An institution named like a formula: the matrix's CSV shows it as text (a leading
    apostrophe), and a negative number stays a number."""
    import csv
    import io

    from kg.build.pipeline import build
    from kg.config import Config
    from kg.spreadsheet_text import inert
    from web import create_app

    path = data_copy / "institutions.csv"
    text = path.read_text(encoding="utf-8")
    formula = '=HYPERLINK("http://127.0.0.1:9/x","klikšķini")'
    path.write_text(
        text.replace("Kultūras ministrija,", f'"{formula.replace(chr(34), 2 * chr(34))}",', 1),
        encoding="utf-8",
    )
    built = build(Config(out=tmp_path / "out", data=data_copy))
    reader = create_app({"TESTING": True, "RELEASE": str(built.release)}).test_client()
    body = reader.get("/matrix?csv=matrix&lang=lv").get_data(as_text=True).lstrip("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'" + formula in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert inert("-5") == "-5" and inert("@x") == "'@x" and inert("\t=1") == "'\t=1"
