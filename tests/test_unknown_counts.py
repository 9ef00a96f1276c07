"""Unknown is not zero: a count no source gives is said to be not given, never shown as 0,
and a plan with nothing counted has no empty table or CSV."""

from __future__ import annotations

import csv
import re

import pytest

from tests.conftest import FIXTURE_DATA
from tests.page_text import visible_text
from web import create_app

NOT_GIVEN = {"lv": "nav norādīts avotos, kas mums ir", "en": "not given in the sources we hold"}


@pytest.fixture(scope="module")
def reader(built):
    app = create_app({"TESTING": True, "RELEASE": str(built.release)})
    yield app.test_client()
    app.extensions["kg"]["pool"].close()


def _plans(reader) -> dict[str, bool]:
    """Each plan and guidelines document of the tables, and whether a source gives its
    number of measures."""
    with (FIXTURE_DATA / "documents.csv").open(encoding="utf-8", newline="") as handle:
        slugs = [r["id"] for r in csv.DictReader(handle) if r["class"] in ("plan", "guidelines")]
    return {s: "all" in reader.get(f"/plans/{s}.json").get_json()["reported"] for s in slugs}


def test_a_plan_with_no_count_says_so_and_shows_no_zero(reader):
    plans = _plans(reader)
    uncounted = [slug for slug, counted in plans.items() if not counted]
    assert uncounted and any(plans.values())
    for slug in uncounted:
        for lang in ("lv", "en"):
            html = reader.get(f"/plans/{slug}?lang={lang}").get_data(as_text=True)
            text = visible_text(html)
            assert NOT_GIVEN[lang] in text, (slug, lang)
            assert not re.search(r"(?<![\d,.])0 (pasākum|measure)", text), (slug, lang)
            assert "csv=statuses" not in html and "<table" not in html.split("<main", 1)[1]
        assert reader.get(f"/plans/{slug}?csv=statuses").status_code == 404
        dashboard = visible_text(reader.get(f"/plans/{slug}/dashboard?lang=en").get_data(True))
        assert "not given" in dashboard


def test_a_counted_plan_keeps_its_numbers(reader):
    counted = [slug for slug, known in _plans(reader).items() if known]
    for slug in counted:
        text = visible_text(reader.get(f"/plans/{slug}?lang=en").get_data(as_text=True))
        assert "as the source reports" in text and NOT_GIVEN["en"] not in text
        csv = reader.get(f"/plans/{slug}?csv=statuses")
        assert csv.status_code == 200 and csv.mimetype == "text/csv"


def test_unidentified_measures_explain_themselves_in_both_languages_and_cite(reader):
    """The measures a source counts but no table names: a page in each language that says
    so in that language and links the slide (or page) the count comes from."""
    say = {"lv": "Avots ar šo statusu saskaita", "en": "The source counts"}
    plan = next(slug for slug, counted in _plans(reader).items() if counted)
    page = f"/doc/plan/{plan}/unidentified/not-funded"
    for lang, words in say.items():
        html = reader.get(f"{page}?lang={lang}").get_data(as_text=True)
        assert words in visible_text(html, skip_lang="en" if lang == "lv" else "lv"), lang
        assert re.search(r'href="/doc/source/[^"]+/slide/\d+"', html), lang
