"""A broken table names the file, the row, the column and the problem, and publishes nothing."""

from __future__ import annotations

import os
import unicodedata

import pytest

from kg.build.pipeline import build
from kg.config import Config
from kg.tables.read import DataError
from tests.conftest import run_kg


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(data_copy, tmp_path) -> list[str]:
    with pytest.raises(DataError) as failure:
        build(Config(data=data_copy, out=tmp_path / "out"))
    assert not (tmp_path / "out" / "dist").exists(), "nothing may be published"
    return [str(p) for p in failure.value.problems]


def test_unknown_status_names_file_row_column(data_copy, tmp_path):
    _edit(
        data_copy / "results.csv",
        ",implemented,stated,2019-2020,inferred," + "km-2021-slides#slide=6,Goal 2.1",
        ",done,stated,2019-2020,inferred,km-2021-slides#slide=6,Goal 2.1",
    )
    problems = _problems(data_copy, tmp_path)
    assert any(
        p.startswith(
            "data/results.csv, row 8, column 'status': 'done' is not a code of the list "
            "'implementation-status' (concepts.csv): one of all, cancelled-covid19, implemented"
        )
        for p in problems
    ), problems


def test_bad_number_and_date_are_reported(data_copy, tmp_path):
    _edit(data_copy / "observations.csv", ",actual,763,", ",actual,763x,")
    _edit(data_copy / "periods.csv", "2020-01-01,2020-12-31", "2020-02-30,2020-12-31")
    problems = _problems(data_copy, tmp_path)
    assert any(
        "observations.csv, row 3, column 'value': '763x' is not a number: write 491000" in p
        for p in problems
    ), problems
    assert any(
        "periods.csv, row 4, column 'start': '2020-02-30' is not a valid calendar date" in p
        for p in problems
    ), problems


def test_unknown_source_in_citation(data_copy, tmp_path):
    _edit(data_copy / "structure.csv", "km-2021-slides#slide=2", "no-such-deck#slide=2")
    problems = _problems(data_copy, tmp_path)
    assert any(
        "structure.csv, row 2, column 'source': 'no-such-deck' is not a source (an id of "
        "sources.csv)" in p
        for p in problems
    ), problems


def test_malformed_citation(data_copy, tmp_path):
    _edit(data_copy / "structure.csv", "km-2021-slides#slide=2", "km-2021-slides#slide=zero")
    problems = _problems(data_copy, tmp_path)
    assert any("bad source citation 'km-2021-slides#slide=zero'" in p for p in problems)


def test_duplicate_id(data_copy, tmp_path):
    with (data_copy / "periods.csv").open("a", encoding="utf-8") as handle:
        handle.write("2019,vēlreiz,again,2019-01-01,2019-12-31\n")
    problems = _problems(data_copy, tmp_path)
    assert any(
        "periods.csv, row 11, column 'id': duplicate period id '2019'" in p for p in problems
    ), problems


def test_javascript_url_refused(data_copy, tmp_path):
    _edit(
        data_copy / "sources.csv",
        "https://www.km.gov.lv/lv/pazinojums-03052018",
        "javascript:alert(1)",
    )
    problems = _problems(data_copy, tmp_path)
    assert any("column 'url': not an http(s) URL: 'javascript:alert(1)'" in p for p in problems)


# ---- H49: hostile CSV files


def test_utf8_bom_header_is_read(data_copy, tmp_path):
    path = data_copy / "periods.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert build(Config(data=data_copy, out=tmp_path)).report.conforms


def test_nul_byte_rejected_with_row(data_copy, tmp_path):
    path = data_copy / "periods.csv"
    path.write_bytes(path.read_bytes().replace(b"2018. gads", b"2018.\x00gads"))
    assert "data/periods.csv, row 2: NUL byte" in _problems(data_copy, tmp_path)


def test_oversized_field_rejected_with_row(data_copy, tmp_path):
    with (data_copy / "periods.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"2021,{'x' * 200_000},y,2021,\n")
    problems = _problems(data_copy, tmp_path)
    assert any(
        p.startswith("data/periods.csv, row 11: CSV error: field larger than field limit")
        for p in problems
    ), problems


def test_duplicated_header_rejected(data_copy, tmp_path):
    _edit(
        data_copy / "periods.csv",
        "id,label_lv,label_en,start,end",
        "id,label_lv,label_lv,start,end",
    )
    problems = _problems(data_copy, tmp_path)
    assert "data/periods.csv, row 1: duplicated column(s) in header: label_lv" in problems


def test_missing_column_rejected(data_copy, tmp_path):
    _edit(data_copy / "periods.csv", "id,label_lv,label_en,start,end", "id,label_lv,start,end")
    problems = _problems(data_copy, tmp_path)
    assert any(
        "periods.csv, row 1: header must be" in p and "missing label_en" in p for p in problems
    )


def test_control_character_rejected(data_copy, tmp_path):
    _edit(data_copy / "periods.csv", "2018. gads", "2018.\x1bgads")
    problems = _problems(data_copy, tmp_path)
    assert "data/periods.csv, row 2, column 'label_lv': control character U+001B" in problems


def test_nfd_text_is_normalised_to_nfc(data_copy, tmp_path):
    _edit(
        data_copy / "institutions.csv",
        "Kultūras ministrija,Ministry",
        unicodedata.normalize("NFD", "Kultūras ministrija") + ",Ministry",
    )
    result = build(Config(data=data_copy, out=tmp_path))
    text = (result.release / "kg.nt").read_text(encoding="utf-8")
    assert '"Kultūras ministrija"@lv' in text
    assert unicodedata.normalize("NFD", "Kultūras") not in text


def test_source_file_outside_data_root_rejected(data_copy, tmp_path):
    _edit(data_copy / "sources.csv", "sources/km-2021-slides.txt", "../../etc/passwd")
    problems = _problems(data_copy, tmp_path)
    assert any(
        "column 'file': ../../etc/passwd: path is outside the source root" in p for p in problems
    ), problems


def test_symlink_out_of_data_root_rejected(data_copy, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    os.symlink(outside, data_copy / "sources" / "link.txt")
    _edit(data_copy / "sources.csv", "sources/km-2021-slides.txt", "sources/link.txt")
    problems = _problems(data_copy, tmp_path)
    assert any("path is outside the source root" in p for p in problems), problems


def test_cli_reports_broken_table_and_exits_2(data_copy, tmp_path):
    _edit(data_copy / "results.csv", "d2-lnb,nipsipp-2019-2020", "d2-lnb,no-such-plan")
    result = run_kg("build", "--data", str(data_copy), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Build failed; nothing published." in result.stderr
    assert (
        "data/results.csv, row 8, column 'plan': 'no-such-plan' is not a document of class "
        "'plan' (documents.csv)" in result.stderr
    )
    assert not (tmp_path / "out" / "dist").exists()
