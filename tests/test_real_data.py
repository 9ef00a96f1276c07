"""The real data (data/): it says what the sources say, keeps inferences apart, invents
nothing, and builds. The code tests use their own tables (tests/fixtures/data)."""

from __future__ import annotations

import csv
import re

from kg.config import ROOT

DATA = ROOT / "data"
SLIDES = (DATA / "sources" / "km-2021-slides.txt").read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_quotation_from_the_slides_is_verbatim_there():
    slides = _flat(SLIDES)
    quoted = [r for r in _rows("outcomes.csv") if r["source"].startswith("km-2021-slides")]
    assert len(quoted) >= 10
    for row in quoted:
        assert _flat(row["quote_lv"]) in slides, row["id"]


def test_cited_slides_exist():
    # the footer line that starts every slide
    count = sum(1 for line in SLIDES.splitlines() if line.strip() == "Kultūras ministrija")
    assert count == 11
    for name in [p.name for p in DATA.glob("*.csv")]:
        for row in _rows(name):
            for number in re.findall(r"km-2021-slides#slide=(\d+)", row.get("source", "")):
                assert 1 <= int(number) <= count, (name, row)


def test_reported_counts_are_those_of_slide_4():
    counts = {r["status"]: int(r["value"]) for r in _rows("reported-counts.csv")}
    assert counts == {"all": 49, "implemented": 38, "not-funded": 10, "cancelled-covid19": 1}
    slide = _flat(SLIDES)
    for row in _rows("reported-counts.csv"):
        assert row["printed"].replace("**", "") in slide.replace("**", ""), row


def test_lsm_figure_is_stored_in_units_with_its_printed_form():
    row = next(
        r
        for r in _rows("observations.csv")
        if r["indicator"] == "lsm-lv-avg-monthly-unique-visitors"
    )
    assert (row["value"], row["precision"], row["printed"]) == (
        "491000",
        "1000",
        "vidēji 491 tūkstoši",
    )
    assert row["printed"] in _flat(SLIDES)


def test_no_measure_is_invented():
    """The plan's 49-row measure table was not retrieved: no measure may be enumerated
    until a source for it is added (its rows must then cite that source)."""
    sources = {r["id"] for r in _rows("sources.csv")}
    for row in _rows("measures.csv"):
        assert row["source"].split("#")[0] in sources
        assert not row["source"].startswith("km-2021-slides"), "the slides number no measure"


def test_results_do_not_carry_measure_numbers():
    for row in _rows("results.csv"):
        assert not re.search(r"\b\d+\.\d+\.\d+\b", row["title_lv"]), row["id"]


def test_english_renderings_never_sit_in_stated_or_inferred_graphs(store):
    rows = store.query("""
        PREFIX lvp: <https://w3id.org/lvpolicy/def#>
        SELECT ?g ?s WHERE {
          GRAPH ?g { ?s ?p ?o FILTER (isLiteral(?o) && lang(?o) = "en") }
          ?g lvp:basis ?b FILTER (?b != <https://w3id.org/lvpolicy/id/concept/basis/editorial>)
        }""")
    assert list(rows) == []


def test_every_goal_link_of_a_result_is_marked_inferred(store):
    """The slides give only the direction of a result, never its goal."""
    rows = store.query("""
        PREFIX lvp: <https://w3id.org/lvpolicy/def#>
        SELECT ?r WHERE { GRAPH ?g { ?r lvp:contributesToGoal ?goal } ?g lvp:basis ?b
          FILTER (?b != <https://w3id.org/lvpolicy/id/concept/basis/inferred>) }""")
    assert list(rows) == []


def test_the_real_data_builds_and_conforms(real_built):
    """data/ itself: it builds, conforms, and carries the counts its report states."""
    from kg.release import Release

    assert real_built.report.conforms
    store = Release(real_built.release).load_store()
    query = (
        "SELECT ?status ?n WHERE { ?c a <https://w3id.org/lvpolicy/def#ReportedCount> ; "
        "<https://w3id.org/lvpolicy/def#refStatus> ?status ; "
        "<http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?n }"
    )
    counts = sorted(int(row["n"].value) for row in store.query(query))
    assert counts == [1, 10, 38, 49]


def test_a_period_the_slides_do_not_give_is_inferred(real_built):
    """Eleven results' period 2019–2020 is the plan's, not the slides' words: it sits in
    an inferred graph; the four periods the slides print sit in their stated graphs."""
    import pyoxigraph as ox

    from kg.release import Release

    store = Release(real_built.release).load_store()

    temporal = ox.NamedNode("http://purl.org/dc/terms/temporal")
    base = "https://w3id.org/lvpolicy/id/plan/nipsipp-2019-2020/result/"
    graphs = {
        q.subject.value.removeprefix(base): q.graph_name.value.rsplit("/", 1)[-1]
        for q in store.quads_for_pattern(None, temporal, None)
        if q.subject.value.startswith(base) and q.graph_name != ox.DefaultGraph()
    }
    stated = {"d2-lsm", "d2-latgale-media", "d3-pmlp", "d3-biss"}
    assert {r for r, basis in graphs.items() if basis == "stated"} == stated
    assert sum(basis == "inferred" for basis in graphs.values()) == 11


def test_every_stated_graph_carries_words_a_machine_can_find(real_built):
    """From the published RDF alone: every stated graph names the passages its facts were
    read from, and every passage's exact words occur in the text held for its slide or page
    (whitespace aside), with its prefix and suffix around them."""
    from kg.release import Release

    store = Release(real_built.release).load_store()
    bare = (
        "SELECT ?g WHERE { ?g lvp:basis <https://w3id.org/lvpolicy/id/concept/basis/stated> "
        "FILTER NOT EXISTS { ?g prov:hadPrimarySource ?p } }"
    )
    prefixes = (
        "PREFIX lvp: <https://w3id.org/lvpolicy/def#>\n"
        "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
        "PREFIX oa: <http://www.w3.org/ns/oa#>\n"
    )
    assert [row["g"].value for row in store.query(prefixes + bare)] == []
    passages = list(
        store.query(
            prefixes
            + """SELECT ?exact ?prefix ?suffix ?text WHERE {
                ?p a lvp:Passage ; oa:hasSource ?where ; oa:hasSelector ?s .
                ?s oa:exact ?exact .
                OPTIONAL { ?s oa:prefix ?prefix } OPTIONAL { ?s oa:suffix ?suffix }
                ?where lvp:sourceText ?text }"""
        )
    )
    quoted = {(r["source"], _flat(r["quote"])) for r in _rows("quotes.csv")}
    assert len(passages) == len(quoted)  # one passage per source and words, each with text
    for row in passages:
        held = _flat(row["text"].value.replace("**", ""))
        words = "".join(
            row[name].value if row[name] is not None else ""
            for name in ("prefix", "exact", "suffix")
        )
        assert _flat(row["exact"].value) in held, row["exact"].value
        assert _flat(words) in held, words
