"""The report written from the graph (kg.report): every number it prints is a fact of the
graph with a note naming its source and words; it states nothing else; bad requests get a
clear error. On the code tests' tables; tests/test_report_real.py holds the plan's facts."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pyoxigraph as ox
import pytest

from kg.backends import make_backend
from kg.build.pipeline import build
from kg.config import LANGUAGES
from kg.config import Config
from kg.explore.plan import by_slug
from kg.report.make import report
from kg.report.text import FOLDER
from kg.words import Words
from tests.conftest import run_kg
from tests.report_reading import cited
from tests.report_reading import docx_contents
from tests.report_reading import notes
from tests.report_reading import numbers
from tests.report_reading import pdf_contents
from tests.report_reading import read
from tests.report_reading import shown_value

BASE = "https://w3id.org/lvpolicy/"
PLAN = "nipsipp-2019-2020"
OBS_VALUE = "<http://purl.org/linked-data/sdmx/2009/measure#obsValue>"


def _out(built) -> Path:
    """The build folder whose dist the fixture's release is."""
    return built.release.parent.parent


def _write(built, lang: str = "lv", fmt: str = "html", period: str | None = None) -> bytes:
    backend = make_backend(built.release)
    plan = by_slug(backend, BASE)[PLAN]
    return report(backend, BASE, plan, lang=lang, fmt=fmt, period=period, release="r1", when="")


def _value(store: ox.Store, node: str) -> Decimal | None:
    rows = list(store.query(f"SELECT ?v WHERE {{ <{node}> {OBS_VALUE} ?v }}"))
    return Decimal(rows[0]["v"].value) if rows else None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_number_is_the_graphs_value_of_the_fact_its_note_names(built, store, lang):
    doc = read(_write(built, lang))
    printed, found = numbers(doc), notes(doc)
    assert len(printed) >= 10
    for number in printed:
        note = found[number.note]
        assert _value(store, note.fact) == number.value, (number, note.fact)
        assert shown_value(number, lang) == number.value, number.shown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_note_names_a_fact_and_where_it_comes_from(built, store, lang):
    doc = read(_write(built, lang))
    found = notes(doc)
    assert sorted(found) == list(range(1, len(found) + 1))
    # notes are numbered in the order the text first cites them, and each is cited
    first = list(dict.fromkeys(cited(doc)))
    assert first == sorted(found)
    for note in found.values():
        assert list(store.quads_for_pattern(ox.NamedNode(note.fact), None, None)), note.fact
        assert note.places, note
        for place in note.places:
            assert list(store.quads_for_pattern(ox.NamedNode(place), None, None)), place


def test_stated_numbers_give_the_words_they_were_read_from(built, store):
    doc = read(_write(built))
    found = notes(doc)
    stated = 0
    for number in numbers(doc):
        note = found[number.note]
        bases = store.query(
            f"SELECT ?b WHERE {{ GRAPH ?g {{ <{note.fact}> {OBS_VALUE} ?v }} "
            f"?g <https://w3id.org/lvpolicy/def#basis> ?b }}"
        )
        if any(str(r["b"].value).endswith("/stated") for r in bases):
            stated += 1
            assert note.quotes, note
            assert "stated in the source" in note.text or "nolasīts avotā" in note.text
    assert stated >= 4


def test_counts_table_agrees_with_the_graph_and_shows_missing_as_words(built):
    doc = read(_write(built, "en"))
    table = doc.xpath("//table[@id='counts']")[0]
    for row in table.xpath(".//tbody/tr"):
        cells = [c.text_content().strip() for c in row.xpath("./td")]
        # a status no source reports says so in words, never 0
        assert cells[0] == "not reported" or cells[0][0].isdigit(), cells
    indicators = doc.xpath("//table[@id='indicators']//td[contains(@class, 'num')]")
    shown = [c.text_content().strip() for c in indicators]
    assert "not in the graph" in shown  # a target with no actual (or the reverse) says so
    assert "0" not in shown


def test_a_period_keeps_only_the_figures_and_results_that_overlap_it(built):
    everything = numbers(read(_write(built, "en")))
    only_2019 = read(_write(built, "en", period=f"{BASE}id/period/2019"))
    kept = numbers(only_2019)
    assert 0 < len(kept) < len(everything)
    for item in only_2019.xpath("//ul[@class='figures']/li"):
        assert not item.text_content().rstrip("]0123456789[").endswith("(2020)"), item
    assert "Reporting period: 2019" in only_2019.text_content()


def test_the_command_writes_html_to_stdout_or_a_file(built, tmp_path):
    out = _out(built)
    shown = run_kg("report", PLAN, "--lang", "en", "--build", str(out))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in shown.stdout
    target = tmp_path / "r.html"
    written = run_kg("report", PLAN, "--build", str(out), "--out", str(target))
    assert written.returncode == 0, written.stderr
    assert '<html lang="lv">' in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("no-such-plan",), "No plan 'no-such-plan'; the graph has:"),
        ((PLAN, "--period", "1999"), "no period '1999'"),
        ((PLAN, "--release", "feedbeef"), "No release 'feedbeef'"),
    ],
)
def test_bad_requests_are_one_clear_line(built, args, words):
    result = run_kg("report", *args, "--build", str(_out(built)))
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_both_catalogues_hold_every_key():
    words = Words(LANGUAGES, FOLDER)
    assert words.keys["lv"] == words.keys["en"]


def test_hostile_text_in_the_tables_is_text_in_the_report(data_copy, tmp_path):
    path = data_copy / "results.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["title_en"] = '<script>alert(1)</script> & "quoted"'
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = build(Config(out=tmp_path / "out", data=data_copy))
    html = _write(result, "en").decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.slow
def test_docx_and_pdf_carry_the_same_numbers_notes_and_links(built):
    html = read(_write(built, "en"))
    printed = numbers(html)
    places = {p for n in notes(html).values() for p in n.places}

    made = _write(built, "en", "docx")
    assert zipfile.is_zipfile(io.BytesIO(made))
    assert docx.Document(io.BytesIO(made)).paragraphs[0].style.name.startswith("Heading")
    text, links = docx_contents(made)
    for number in printed:
        assert number.shown in text
        assert f"[{number.note}]" in text
    assert places <= links

    pdf_text, pdf_links = pdf_contents(_write(built, "en", "pdf"))
    for number in printed:
        assert f"[{number.note}]" in pdf_text
    assert places <= pdf_links
