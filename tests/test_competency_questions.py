"""The competency questions (kg/queries/cq/*.rq) give the answers the sources support.

Each expected answer in tests/cq/ was checked by hand against the sources
(shared/reference and the slides); IRIs are written relative to the base, ontology terms as
lvp:Name. Row order matters only where the query has ORDER BY.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.backends.base import solution_variables
from kg.backends.base import solutions
from kg.backends.local import LocalBackend
from kg.config import DEFAULT_BASE
from kg.config import ROOT
from kg.namespaces import LVP
from kg.query import run

QUERIES = sorted((ROOT / "kg" / "queries" / "cq").glob("*.rq"))
EXPECTED = Path(__file__).parent / "cq"


def cell(term: ox.Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value.replace(str(LVP._NS), "lvp:").replace(DEFAULT_BASE, "")
    return term.value


def answer(store: ox.Store, query_file: Path) -> list[list[str]]:
    result = run(LocalBackend(store), query_file.read_text(encoding="utf-8"), DEFAULT_BASE)
    names = [v.value for v in solution_variables(result) or []]
    return [names] + [[cell(row[n]) for n in names] for row in solutions(result)]


def test_every_question_has_titles_in_both_languages():
    for query in QUERIES:
        header = query.read_text(encoding="utf-8").splitlines()[:3]
        assert header[0].startswith("# title@lv: ") and header[1].startswith("# title@en: ")


@pytest.mark.parametrize("query_file", QUERIES, ids=lambda p: p.stem)
def test_question_gives_expected_answer(store, query_file):
    expected_file = EXPECTED / f"{query_file.stem}.csv"
    with expected_file.open(encoding="utf-8", newline="") as handle:
        expected = list(csv.reader(handle))
    got = answer(store, query_file)
    assert got[0] == expected[0]
    if "ORDER BY" in query_file.read_text(encoding="utf-8"):
        assert got[1:] == expected[1:]
    else:
        assert sorted(got[1:]) == sorted(expected[1:])
