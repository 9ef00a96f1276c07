"""Every stated fact carries the words it was read from: quotes.csv, checked against the held
text at build, published as Web Annotation selectors and marked on the source's page."""

from __future__ import annotations

import csv
import io

import pytest

from kg.explore.passages import marked
from kg.printed import dates_in
from tests.conftest import build_refused

OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _fails(data, tmp_path) -> str:
    message = build_refused(data, tmp_path / "out")
    assert not (tmp_path / "out" / "dist").exists()
    return message


def test_a_changed_date_fails_the_build_naming_the_row(data_copy, tmp_path):
    """The plan's date changed by a day: no quote of the row gives it."""
    table = data_copy / "documents.csv"
    text = table.read_text(encoding="utf-8")
    line = _line_of(text, "nipsipp-2019-2020,plan,")
    table.write_text(text.replace(",2018-07-18,", ",2018-07-19,", 1), encoding="utf-8")
    message = _fails(data_copy, tmp_path)
    assert f"documents.csv, row {line}, column 'date': 2018-07-19 is not a date" in message
    assert "2018-07-18" in message  # what the quotes do give


def test_a_figure_changed_with_its_printed_form_fails_on_the_quote(data_copy, tmp_path):
    """173 changed to 174 on both sides of observations.csv: the slide's words still say 173."""
    table = data_copy / "observations.csv"
    text = table.read_text(encoding="utf-8")
    line = _line_of(text, ",173,173 rakstus")
    table.write_text(text.replace(",173,173 rakstus", ",174,174 rakstus"), encoding="utf-8")
    message = _fails(data_copy, tmp_path)
    assert f"observations.csv, row {line}, column 'printed': '174 rakstus" in message


def test_a_quote_not_in_the_held_text_is_refused(data_copy, tmp_path):
    table = data_copy / "quotes.csv"
    text = table.read_text(encoding="utf-8")
    assert "vidēji 491 tūkstoši" in text
    line = _line_of(text, "vidēji 491 tūkstoši")
    table.write_text(
        text.replace("vidēji 491 tūkstoši", "vidēji 492 tūkstoši", 1), encoding="utf-8"
    )
    message = _fails(data_copy, tmp_path)
    assert (
        f"quotes.csv, row {line}, column 'quote': 'vidēji 492 tūkstoši' does not occur" in message
    )


def test_a_stated_row_without_words_is_refused(data_copy, tmp_path):
    """Delete the quotes of one stated row: the build names the row and says what to add."""
    table = data_copy / "quotes.csv"
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    kept = [r for r in rows if r[1] != "lsm-lv-articles-en-2019-2020"]
    assert len(kept) < len(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    table.write_text(out.getvalue(), encoding="utf-8")
    observations = (data_copy / "observations.csv").read_text(encoding="utf-8")
    line = _line_of(observations, "lsm-lv-articles-en-2019-2020,")
    message = _fails(data_copy, tmp_path)
    assert f"observations.csv, row {line}, column 'source'" in message
    assert "quotes.csv gives no words read from it" in message
    assert "or make the basis inferred" in message


def test_quotes_are_web_annotation_selectors_linked_from_the_fact(store):
    """The machine-readable form: a passage with an oa:TextQuoteSelector on slide 7, and the
    observation's node has it as prov:hadPrimarySource in the slide's stated graph."""
    found = list(
        store.query(
            f"""SELECT ?g ?prefix ?suffix ?where WHERE {{
              GRAPH ?g {{ ?obs <{PROV}hadPrimarySource> ?passage }}
              FILTER (STRENDS(STR(?obs), "/lsm-lv-avg-monthly-unique-visitors-2019-2020"))
              ?passage a <{OA}SpecificResource> ; <{OA}hasSource> ?where ;
                       <{OA}hasSelector> ?sel .
              ?sel a <{OA}TextQuoteSelector> ; <{OA}exact> "vidēji 491 tūkstoši" ;
                   <{OA}prefix> ?prefix ; <{OA}suffix> ?suffix .
            }}""",
            use_default_graph_as_union=True,
        )
    )
    assert found, "no selector for the 491 thousand figure"
    graph, prefix, suffix, where = found[0]
    assert graph.value.endswith("/km-2021-slides/slide-7/stated")
    assert where.value.endswith("/slide/7")
    assert prefix.value.endswith("LSM.LV saturs sasniedza ")
    assert suffix.value.startswith(" unikālo apmeklētāju")


def test_marked_text_gives_every_passage_an_anchor():
    """A passage inside a longer one is marked at the longer one, so each link lands."""
    text = "Kopā **paredzēti 49 pasākumi:**\n- Īstenoti **38 pasākumi**"
    pieces = marked(text, [("q-a", "Īstenoti 38 pasākumi"), ("q-b", "38"), ("q-c", "nav")])
    marks = [p for p in pieces if "anchor" in p]
    assert [(p["anchor"], p["also"]) for p in marks] == [("q-a", ["q-b"])]
    assert marks[0]["text"] == "Īstenoti **38 pasākumi"
    assert "".join(p["text"] for p in pieces) == text  # nothing lost, nothing added


@pytest.mark.parametrize(
    ("words", "iso"),
    [
        ("Rīgā 2018. gada 18. jūlijā (prot. Nr. 33 49. §)", "2018-07-18"),
        ("ar Ministru kabineta 2011.gada 20.oktobra rīkojumu Nr.542", "2011-10-20"),
        ('"Latvijas Vēstnesis", 2.06.2017., Nr. 108', "2017-06-02"),
        ("adopted by the Government on 11 October 2011", "2011-10-11"),
        ("līdz 2023. gada 31. maijam", "2023-05-31"),
    ],
)
def test_latvian_and_english_dates_are_read(words, iso):
    assert iso in {d.isoformat() for d in dates_in(words)}


def test_impossible_dates_are_not_read():
    assert dates_in("31.02.2020 un 2020. gada 30. februārī") == set()
