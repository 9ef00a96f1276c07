"""Stated figures are checked against the words they were read from (kg.printed)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.printed import numbers_in
from kg.printed import reads_as
from tests.conftest import build_refused


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("vidēji 491 tūkstoši", "491000"),
        ("aptuveni 191 000 eiro", "191000"),
        ("1,4 milj. eiro", "1400000"),
        ("≥150", "150"),
        ("71144 (35572 + 35572)", "71144"),
        ("3x3 dalībnieki … 1 300", "1300"),
        ("Īstenošana atcelta 1 pasākumam, Covid-19 ierobežojumu dēļ", "1"),
        ("491,5 thousand", "491500"),
    ],
)
def test_latvian_printed_forms_read_as_their_values(printed, value):
    assert reads_as(value, printed)


def test_a_number_not_printed_is_not_read():
    assert not reads_as("174", "173 rakstus angļu valodā")
    assert not reads_as("300", "1 300")  # the group belongs to a larger number
    assert numbers_in("no number here") == set()
    assert Decimal("2019") in numbers_in("Covid-19, 2019")


def test_a_changed_figure_fails_the_build_naming_the_row(data_copy, tmp_path):
    """173 changed to 174 in observations.csv while its printed form still says 173."""
    text = _replace(data_copy / "observations.csv", ",173,173 rakstus", ",174,173 rakstus")
    message = build_refused(data_copy, tmp_path / "out")
    line = text.splitlines().index(next(x for x in text.splitlines() if ",173,173" in x)) + 1
    assert f"observations.csv, row {line}, column 'value'" in message
    assert "174" in message and "173 rakstus angļu valodā" in message
    assert not (tmp_path / "out" / "dist").exists()


def test_a_changed_reported_count_fails_the_build(data_copy, tmp_path):
    _replace(data_copy / "reported-counts.csv", ",10,Netika", ",11,Netika")
    message = build_refused(data_copy, tmp_path / "out")
    assert "reported-counts.csv" in message and "11 is not a number" in message


def _replace(table, old: str, new: str) -> str:
    """Change ``old`` to ``new`` in a table of the copy; the table's text before it."""
    text = table.read_text(encoding="utf-8")
    assert old in text
    table.write_text(text.replace(old, new), encoding="utf-8")
    return text
