"""A reporting round on the fictional worked example (examples/fictional-plan): open →
three institutions' returns (one with errors) → collect → build → report. The refused
return's problems are reported where they are; the others are merged whole, each fact
citing its return; nothing of the refused one enters the tables."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kg.config import ROOT
from tests.conftest import run_kg
from tests.report_reading import notes
from tests.report_reading import numbers
from tests.report_reading import read

EXAMPLE = ROOT / "examples" / "fictional-plan"
RETURNS = EXAMPLE / "returns-2026"
PLAN = "izdomats-plans-2025-2026"
BASE = "https://example.org/lvpolicy-example/"
WRONG = "izdomata-biedriba"
MERGED = ("izdomata-ministrija", "izdomatais-fonds")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _report_rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "sep=;"
    return list(csv.reader(lines[1:], delimiter=";"))


@pytest.fixture
def data(tmp_path) -> Path:
    """A private copy of the example's tables, as a ministry would keep them."""
    target = tmp_path / "data"
    shutil.copytree(EXAMPLE / "data", target)
    return target


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """The 2026 round collected into a copy of the example, built, and its report."""
    root = tmp_path_factory.mktemp("cycle")
    data = root / "data"
    shutil.copytree(EXAMPLE / "data", data)
    before = {name: _rows(data / name) for name in ("measure-statuses.csv", "observations.csv")}
    collected = run_kg(
        "round", "collect", str(RETURNS), "--data", str(data), "--on", "2027-01-20",
        "--reports", str(root / "reports"),
    )  # fmt: skip
    built = run_kg("build", "--data", str(data), "--base", BASE, "--out", str(root / "out"))
    report = run_kg(
        "report", PLAN, "--period", "2026", "--lang", "en", "--build", str(root / "out"),
        env={"KG_BASE": BASE},
    )  # fmt: skip
    return {
        "root": root,
        "data": data,
        "before": before,
        "collected": collected,
        "built": built,
        "report": report,
    }


def test_open_writes_one_workbook_per_responsible_institution(data, tmp_path):
    result = run_kg(
        "round", "open", PLAN, "2026", "--data", str(data), "--out", str(tmp_path / "o")
    )
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in (tmp_path / "o").glob("*.xlsx"))
    assert made == sorted(p.name for p in RETURNS.glob("*.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "o" / "2026-izdomata-ministrija.xlsx")
    statuses = book["Statusi"]
    assert statuses.protection.sheet
    measures = [r[0].value for r in statuses.iter_rows(min_row=2)]
    owned = [
        r["id"] for r in _rows(data / "measures.csv") if r["responsible"] == "izdomata-ministrija"
    ]
    assert measures == owned  # only its own measures
    row = next(statuses.iter_rows(min_row=2))
    assert row[0].protection.locked and not row[3].protection.locked  # grey vs. to fill
    assert row[2].value  # the 2025 status, shown read-only
    listed = [v for v in statuses.data_validations.dataValidation if v.type == "list"]
    assert listed and "īstenots" in listed[0].formula1
    assert book["kg"].sheet_state == "hidden"
    indicators = book["Rādītāji"]
    target = next(indicators.iter_rows(min_row=2))
    assert target[5].value and target[6].value  # the 2026 target, the 2025 actual


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("no-such-plan", "2026"), "no plan 'no-such-plan'"),
        ((PLAN, "2099"), "no period '2099'"),
    ],
)
def test_open_refuses_an_unknown_plan_or_period(data, args, words):
    result = run_kg("round", "open", *args, "--data", str(data))
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr


def test_collect_refuses_the_erroneous_return_and_merges_the_others(cycle):
    collected = cycle["collected"]
    assert collected.returncode == 1, collected.stderr  # one return refused
    assert f"refused  {WRONG}" in collected.stdout
    for name in MERGED:
        assert f"merged   {name}" in collected.stdout


def test_the_refused_return_gets_each_problem_where_it_is_in_both_languages(cycle):
    rows = _report_rows(cycle["root"] / "reports" / f"{WRONG}.csv")
    header, found = rows[0], rows[1:]
    assert header[:5] == ["lapa / sheet", "rinda / row", "kolonna / column", "vērtība / value",
                          "smagums / severity"]  # fmt: skip
    errors = {(r[0], r[1], r[3]) for r in found if r[4].endswith("error")}
    assert errors == {
        ("Statusi", "2", "gandrīz gatavs"),  # not a status
        ("Rādītāji", "2", "daudz"),  # not a number
        ("Finansējums", "2", "1"),  # a grey cell changed
        ("Statusi", "4", "9.9.9"),  # a row never issued
    }
    for row in found:
        problem_lv, problem_en, accepted_lv, accepted_en = row[5:9]
        assert problem_lv and problem_en and accepted_lv and accepted_en
        assert problem_lv != problem_en


def test_all_or_none_per_institution(cycle):
    data, before = cycle["data"], cycle["before"]
    measures = {r["id"]: r["responsible"] for r in _rows(data / "measures.csv")}
    new = [r for r in _rows(data / "measure-statuses.csv") if r["period"] == "2026"]
    assert {measures[r["measure"]] for r in new} == set(MERGED)
    assert len(new) == sum(1 for owner in measures.values() if owner in MERGED)
    for row in new:
        assert row["reported_by"] == measures[row["measure"]]
        assert row["reported_on"] == "2027-01-20" and row["evidence_lv"]
    added = [r for r in _rows(data / "observations.csv") if r not in before["observations.csv"]]
    assert added and all(r["period"] == "2026" for r in added)
    assert not any(WRONG in r["source"] for r in added)


def test_each_merged_fact_cites_its_return_and_quotes_its_words(cycle):
    data = cycle["data"]
    sources = {r["id"]: r for r in _rows(data / "sources.csv")}
    held = {}
    for name in MERGED:
        source = sources[f"return-{PLAN}-2026-{name}"]
        assert source["kind"] == "institution-return" and source["publisher"] == name
        held[source["id"]] = (data / source["file"]).read_text(encoding="utf-8")
    quotes = [q for q in _rows(data / "quotes.csv") if q["source"] in held]
    assert quotes
    for quote in quotes:
        assert quote["quote"] in held[quote["source"]].splitlines()


def test_the_cycle_builds_and_reports_what_was_returned(cycle):
    assert cycle["built"].returncode == 0, cycle["built"].stderr
    report = cycle["report"]
    assert report.returncode == 0, report.stderr
    doc = read(report.stdout)
    found = notes(doc)
    returns = {f"{BASE}id/source/return-{PLAN}-2026-{name}" for name in MERGED}
    cited = {p for n in found.values() for p in n.places}
    assert returns <= cited  # statuses and actuals cite the returns they were read from
    assert not any(WRONG in p and "2026" in p for p in cited)
    actuals = _rows(cycle["data"] / "observations.csv")
    returned = {
        r["id"]: r["value"]
        for r in actuals
        if r["source"].startswith("return-") and r["period"] == "2026"
    }
    shown = {found[n.note].fact.rsplit("/", 1)[-1]: n.value for n in numbers(doc)}
    for key, value in returned.items():
        assert shown[key] == Decimal(value), key
    # the association's measures have no 2026 status: said, never guessed
    items = doc.xpath("//li[contains(@class, 'activity')]")
    unknown = [i for i in items if "Status: unknown" in i.text_content()]
    owned = [r["id"] for r in _rows(cycle["data"] / "measures.csv") if r["responsible"] == WRONG]
    assert len(unknown) == len(owned)


def test_collecting_again_replaces_rather_than_repeats(data, tmp_path):
    for _ in range(2):
        result = run_kg("round", "collect", str(RETURNS), "--data", str(data), "--on", "2027-01-20",
                        "--reports", str(tmp_path / "r"))  # fmt: skip
        assert result.returncode == 1
    statuses = [r for r in _rows(data / "measure-statuses.csv") if r["period"] == "2026"]
    assert len(statuses) == len({(r["measure"], r["period"]) for r in statuses})
    ids = [r["id"] for r in _rows(data / "observations.csv")]
    assert len(ids) == len(set(ids))


def test_a_formula_is_refused_never_evaluated(data, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RETURNS / "2026-izdomata-ministrija.xlsx", folder)
    book = openpyxl.load_workbook(folder / "2026-izdomata-ministrija.xlsx")
    book["Rādītāji"].cell(row=2, column=8).value = '=HYPERLINK("http://evil.example","x")'
    book.save(folder / "2026-izdomata-ministrija.xlsx")
    result = run_kg(
        "round", "collect", str(folder), "--data", str(data), "--reports", str(tmp_path / "r")
    )
    assert result.returncode == 1 and "refused  izdomata-ministrija" in result.stdout
    [row] = _report_rows(tmp_path / "r" / "izdomata-ministrija.csv")[1:]
    assert "formula" in row[3] and row[3].startswith("2026-")  # where, and why


def test_a_workbook_not_from_a_round_is_refused_with_a_reason(data, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    book = openpyxl.Workbook()
    book.active["A1"] = "=1+1"
    book.save(folder / "stray.xlsx")
    result = run_kg(
        "round", "collect", str(folder), "--data", str(data), "--reports", str(tmp_path / "r")
    )
    assert result.returncode == 1 and "refused" in result.stdout
    [row] = _report_rows(tmp_path / "r" / "stray.csv")[1:]
    assert "cannot be read" in row[6] or "not a workbook of a reporting round" in row[3]


def test_hostile_values_stay_text_in_the_problem_report(data, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RETURNS / "2026-izdomata-ministrija.xlsx", folder)
    book = openpyxl.load_workbook(folder / "2026-izdomata-ministrija.xlsx")
    book["Rādītāji"].cell(row=2, column=8).value = "@SUM(1+1)*cmd"  # text a sheet would run
    book.save(folder / "2026-izdomata-ministrija.xlsx")
    result = run_kg(
        "round", "collect", str(folder), "--data", str(data), "--reports", str(tmp_path / "r")
    )
    assert result.returncode == 1
    rows = _report_rows(tmp_path / "r" / "izdomata-ministrija.csv")[1:]
    values = [r[3] for r in rows]
    assert "'@SUM(1+1)*cmd" in values
    assert not any(c.startswith(("=", "+", "@")) for r in rows for c in r)


def test_the_round_page_says_who_returned_and_who_is_awaited(cycle):
    from web import create_app

    app = create_app({"RELEASE": str(cycle["root"] / "out" / "dist"), "BASE": BASE})
    client = app.test_client()
    page = client.get(f"/plans/{PLAN}/round/2026.json").get_json()
    states = {i["ref"]["iri"].rsplit("/", 1)[-1]: i["state"] for i in page["institutions"]}
    # judged on the day the page says, not on this machine's clock (due 2027-01-31)
    awaited = "late" if page["as_of"] > "2027-01-31" else "awaited"
    assert states == {WRONG: awaited, **dict.fromkeys(MERGED, "returned")}  # due 2027-01-31
    assert client.get(f"/plans/{PLAN}/round/1999").status_code == 404
    html = client.get(f"/plans/{PLAN}/report?lang=en").get_data(as_text=True)
    assert f"/plans/{PLAN}/round/2026" in html and "FICTIONAL EXAMPLE" in html


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_examples_pages_pass_the_browser_checks(cycle, browser, lang):
    """The report and round pages, at a phone's and a desktop's width: axe (WCAG 2.2 AA and
    best practices), no code in the text, nothing sideways; the fictional mark on each."""
    from tests.test_pages_in_chromium import AXE
    from tests.test_pages_in_chromium import WIDTHS
    from tests.test_pages_in_chromium import _codes_shown
    from tests.test_pages_in_chromium import _open
    from tests.test_pages_in_chromium import _sideways
    from tests.test_pages_in_chromium import _violations
    from tests.web_fixtures import serving
    from web import create_app

    axe = AXE.read_text(encoding="utf-8")
    app = create_app({"RELEASE": str(cycle["root"] / "out" / "dist"), "BASE": BASE})
    problems: dict[str, list[str]] = {}
    mark = "IZDOMĀTS PIEMĒRS" if lang == "lv" else "FICTIONAL EXAMPLE"
    with serving(app) as site:
        for width in WIDTHS:
            browser.set_window_size(width, 900)
            for path in (f"/plans/{PLAN}/report", f"/plans/{PLAN}/round/2026", "/"):
                _open(browser, site, path, lang)
                found = [f"axe {v}" for v in _violations(browser, axe)]
                found += [f"code in the text: {c}" for c in _codes_shown(browser)]
                if browser.execute_script(
                    "return document.documentElement.scrollWidth"
                    " > document.documentElement.clientWidth"
                ):
                    found += [f"sideways {e}" for e in _sideways(browser)]
                if mark not in browser.find_element("tag name", "header").text:
                    found.append("no fictional mark in the header")
                if found:
                    problems[f"{path} {width}px"] = found
    assert problems == {}


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        ("2027-01-31", "2027-01-25", {WRONG: "awaited", **dict.fromkeys(MERGED, "returned")}),
        ("2027-01-10", "2027-02-01", {WRONG: "late", **dict.fromkeys(MERGED, "returned_late")}),
    ],
)
def test_who_is_late_follows_the_due_date(cycle, due, today, expected):
    import datetime

    from kg.backends import make_backend
    from kg.explore.common import Labeller
    from kg.explore.rounds import state

    backend = make_backend(cycle["root"] / "out" / "dist")
    plan, period = f"{BASE}id/plan/{PLAN}", f"{BASE}id/period/2026"
    found = state(
        backend, BASE, Labeller(backend, BASE), plan, period, due,
        datetime.date.fromisoformat(today),
    )  # fmt: skip
    assert {i["ref"]["iri"].rsplit("/", 1)[-1]: i["state"] for i in found} == expected


def test_open_with_a_due_date_records_the_round_in_the_tables(data, tmp_path):
    result = run_kg(
        "round", "open", PLAN, "2027", "--data", str(data), "--out", str(tmp_path / "o"),
        "--due", "2028-01-31", "--on", "2027-12-01",
    )  # fmt: skip
    assert result.returncode == 2 and "no period '2027'" in result.stderr  # no such period
    deadlines = [r for r in _rows(data / "deadlines.csv") if r["id"].endswith("-2026")]
    assert deadlines and deadlines[0]["due"] == "2027-01-31"  # the example's own round
    built = run_kg("build", "--data", str(data), "--base", BASE, "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
