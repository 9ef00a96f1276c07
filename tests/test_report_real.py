"""The report on plan 2019–2020 from the real data (data/): it states exactly the counts,
results, implementers and figures the tables hold from the slide deck and the other
sources, each linked to its slide or page, in Latvian and English, as HTML, DOCX and PDF,
and no number the tables do not hold."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from kg.backends import make_backend
from kg.config import LANGUAGES
from kg.config import ROOT
from kg.report.make import report
from tests.report_reading import docx_contents
from tests.report_reading import notes
from tests.report_reading import numbers
from tests.report_reading import pdf_contents
from tests.report_reading import read

DATA = ROOT / "data"
BASE = "https://w3id.org/lvpolicy/"
PLAN = "nipsipp-2019-2020"
PLAN_IRI = f"{BASE}id/plan/{PLAN}"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _place(citation: str) -> str:
    """The IRI of a cited source (``km-2021-slides#slide=7`` → its slide 7)."""
    source, _, where = citation.strip().partition("#")
    if not where:
        return f"{BASE}id/source/{source}"
    kind, _, number = where.partition("=")
    return f"{BASE}id/source/{source}/{kind}/{number}"


@pytest.fixture(scope="module")
def written(real_built):
    """The report in each language and format, written once."""
    backend = make_backend(real_built.release)
    made = {}
    for lang in LANGUAGES:
        for fmt in ("html", "docx", "pdf"):
            made[lang, fmt] = report(
                backend, BASE, PLAN_IRI, lang=lang, fmt=fmt, release="r", when=""
            )
    return made


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_counts_are_slide_4s_with_its_words(written, lang):
    doc = read(written[lang, "html"])
    found = notes(doc)
    table = doc.xpath("//table[@id='counts']")[0]
    printed = {(n.value, n.note) for n in numbers(table)}
    for row in _rows("reported-counts.csv"):
        matches = [(v, n) for v, n in printed if v == Decimal(row["value"])]
        assert len(matches) == 1, row
        note = found[matches[0][1]]
        assert note.places == [_place(row["source"])]  # slide 4
        assert note.quotes == [row["printed"]]
    assert len(printed) == len(_rows("reported-counts.csv"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_result_and_its_implementers_and_nothing_else(written, lang):
    doc = read(written[lang, "html"])
    results = [r for r in _rows("results.csv") if r["plan"] == PLAN]
    implementers: dict[str, set[str]] = {}
    for row in _rows("involvements.csv"):
        if row["plan"] == PLAN and row["subject"] and row["role"] == "implementer":
            implementers.setdefault(row["subject"], set()).add(row["institution"])
    items = doc.xpath("//li[contains(@class, 'activity')]")
    assert len(items) == len(results)
    for row in results:
        [item] = [i for i in items if i.get("id") == f"a-{row['id']}"]
        links = item.xpath(".//a/@href")
        assert f"{PLAN_IRI}/result/{row['id']}" in links
        named = {h.rsplit("/", 1)[-1] for h in links if "/id/org/" in h}
        assert implementers.get(row["id"], set()) <= named, row["id"]
        # the status note cites the result's own slide
        status = item.xpath(".//sup[@class='note-ref']/a/@href")[0]
        note = notes(doc)[int(status.removeprefix("#note-"))]
        assert _place(row["source"]) in note.places


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_figure_with_its_source_and_no_other_number(written, lang):
    doc = read(written[lang, "html"])
    found = notes(doc)
    plan_indicators = {r["id"] for r in _rows("indicators.csv") if r["plan"] == PLAN}
    expected = [r for r in _rows("observations.csv") if r["indicator"] in plan_indicators]
    printed = numbers(doc)
    for row in expected:
        fact = f"{BASE}id/observation/{row['id']}"
        shown = [n for n in printed if found[n.note].fact == fact]
        assert shown, row["id"]
        for number in shown:
            assert number.value == Decimal(row["value"]), row["id"]
            for citation in row["source"].split(";"):
                assert _place(citation) in found[number.note].places, row["id"]
    counts = len(_rows("reported-counts.csv"))
    facts = {found[n.note].fact for n in printed}
    # every printed number is a count or one of the plan's figures: nothing else
    assert len(facts) == counts + len(expected)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lsm_visitors_read_from_slide_7(written, lang):
    doc = read(written[lang, "html"])
    found = notes(doc)
    shown = [n for n in numbers(doc) if found[n.note].fact.endswith("visitors-2019-2020")]
    assert len(shown) == 2  # under its result and in the indicators' table, one note
    lsm = shown[0]
    assert {(n.value, n.note) for n in shown} == {(491000, lsm.note)}
    assert found[lsm.note].places == [f"{BASE}id/source/km-2021-slides/slide/7"]
    assert found[lsm.note].quotes == ["vidēji 491 tūkstoši"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_missing_measure_table_is_said_not_filled(written, lang):
    doc = read(written[lang, "html"])
    missing = doc.xpath("//ul[@id='missing']")[0].text_content()
    assert ("49" in missing) and ("measure table" in missing or "pasākumu tabula" in missing)
    table = doc.xpath("//table[@id='counts']")[0]
    named = [r.xpath("./td")[1].text_content().strip() for r in table.xpath(".//tbody/tr")]
    assert set(named) == {"0"}  # the graph names no measure: counted, so 0 is true here


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_docx_and_pdf_state_the_counts_with_their_slide(written, lang):
    slide_4 = f"{BASE}id/source/km-2021-slides/slide/4"
    slide_7 = f"{BASE}id/source/km-2021-slides/slide/7"
    cells, links = docx_contents(written[lang, "docx"])
    text, pdf_links = pdf_contents(written[lang, "pdf"])
    html = read(written[lang, "html"])
    for number in numbers(html.xpath("//table[@id='counts']")[0]):
        marked = f"{number.shown}[{number.note}]"
        assert marked in cells.splitlines(), marked
        assert marked in text.replace("\n", ""), marked
    assert {slide_4, slide_7} <= links
    assert {slide_4, slide_7} <= pdf_links
