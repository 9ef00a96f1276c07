"""Writes the FICTIONAL worked example of a monitoring cycle (examples/fictional-plan/).

Everything here is invented: the plan, its institutions, measures, figures and returns.
It never enters data/ or the real release. Run from the repository's root:

    python examples/fictional-plan/make_example.py

It writes ``data/`` (the plan's tables and its held text, with the 2025 round already
collected) and ``returns-2026/`` (three institutions' returned workbooks for 2026, one
with errors), which ``make example`` then collects, builds and serves.
"""

# ruff: noqa: E501  (the example's tables, one row to a line)

from __future__ import annotations

import csv
import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = HERE / "data"
PLAN = "izdomats-plans-2025-2026"
MARK_LV = "IZDOMĀTS PIEMĒRS"
MARK_EN = "FICTIONAL EXAMPLE"
SOURCE = "izdomata-plana-teksts"
CITE = SOURCE

INSTITUTIONS = [
    ("izdomata-ministrija", "Izdomātā ministrija", "Fictional Ministry", "ministry"),
    ("izdomatais-fonds", "Izdomātais fonds", "Fictional Foundation", "foundation"),
    ("izdomata-biedriba", "Izdomātā biedrība", "Fictional Association", "ngo"),
]
STRUCTURE = [
    ("1", "direction", "", "Līdzdalība (izdomāts)", "Participation (fictional)"),
    ("1.1", "goal", "1", "Vairāk iedzīvotāju brīvprātīgajā darbā", "More residents volunteer"),
    ("1.2", "goal", "1", "Stiprākas kopienu organizācijas", "Stronger community organisations"),
    ("2", "direction", "", "Valoda (izdomāts)", "Language (fictional)"),
    ("2.1", "goal", "2", "Vairāk pieaugušo apgūst valodu", "More adults learn the language"),
]
# number, title lv, title en, responsible, co-implementers, participants baseline, targets
MEASURES = [
    ("1.1.1", "Brīvprātīgo nedēļa novados", "Volunteer week in the municipalities",
     "izdomata-ministrija", "izdomata-biedriba", 400, (500, 600), (20000, 22000)),
    ("1.1.2", "Brīvprātīgo darba granti", "Volunteering grants",
     "izdomatais-fonds", "", 0, (30, 40), (150000, 160000)),
    ("1.2.1", "Kopienu organizāciju mācības", "Training for community organisations",
     "izdomata-biedriba", "", 50, (80, 100), (12000, 12000)),
    ("1.2.2", "Kopienu centru atbalsts", "Support for community centres",
     "izdomatais-fonds", "izdomata-ministrija", 10, (12, 15), (90000, 95000)),
    ("2.1.1", "Valodas kursi pieaugušajiem", "Language courses for adults",
     "izdomata-ministrija", "", 1000, (1200, 1500), (60000, 65000)),
    ("2.1.2", "Valodas klubi bibliotēkās", "Language clubs in libraries",
     "izdomata-biedriba", "izdomatais-fonds", 20, (25, 30), (8000, 8000)),
]  # fmt: skip
PERIODS = [
    ("2024", "2024. gads", "2024", "2024-01-01", "2024-12-31"),
    ("2025", "2025. gads", "2025", "2025-01-01", "2025-12-31"),
    ("2026", "2026. gads", "2026", "2026-01-01", "2026-12-31"),
    ("2025-2026", "2025.–2026. gads", "2025–2026", "2025-01-01", "2026-12-31"),
]


def write(name: str, header: list[str], rows: list[dict]) -> None:
    with (DATA / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows([{k: r.get(k, "") for k in header} for r in rows])


def header(name: str) -> list[str]:
    with (ROOT / "data" / name).open(encoding="utf-8") as handle:
        return next(csv.reader(handle))


def tables() -> None:
    """The plan's tables and the text they quote; every stated row quotes a line of it."""
    if DATA.exists():
        shutil.rmtree(DATA)
    (DATA / "sources").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "concepts.csv", DATA / "concepts.csv")
    lines = [f"{MARK_LV}: izdomāta plāna teksts / {MARK_EN}: the text of a fictional plan"]
    quotes: list[dict] = []

    def quote(table: str, row: str, words: str) -> None:
        lines.append(words)
        quotes.append({"table": table, "row": row, "source": CITE, "quote": words})

    stated = {"source": CITE, "basis": "stated"}
    write(
        "periods.csv",
        header("periods.csv"),
        [dict(zip(header("periods.csv"), p, strict=True)) for p in PERIODS],
    )
    write(
        "sources.csv",
        header("sources.csv"),
        [{
            "id": SOURCE, "kind": "report",
            "title_lv": f"{MARK_LV}: Kopienu saliedētības plāns 2025.–2026. gadam (teksts)",
            "title_en": f"{MARK_EN}: Community cohesion plan 2025–2026 (text)",
            "publisher": "izdomata-ministrija", "date": "2024-12-10",
            "file": f"sources/{SOURCE}.txt", "read": "2024-12-10",
            "note": "Invented for the worked example; not a real document.",
            "note_lv": "Izdomāts darba piemēram; nav īsts dokuments.",
        }],
    )  # fmt: skip
    institutions = []
    for slug, lv, en, kind in INSTITUTIONS:
        institutions.append({"id": slug, "name_lv": lv, "name_en": en, "type": kind, **stated,
                             "note": "Fictional.", "note_lv": "Izdomāta."})  # fmt: skip
        quote("institutions", slug, f"Institūcija: {lv} ({MARK_LV})")
    write("institutions.csv", header("institutions.csv"), institutions)
    write(
        "documents.csv",
        header("documents.csv"),
        [{
            "id": PLAN, "class": "plan",
            "title_lv": f"{MARK_LV}: Kopienu saliedētības plāns 2025.–2026. gadam",
            "title_en": f"{MARK_EN}: Community cohesion plan 2025–2026",
            "date": "2024-12-10", "period": "2025-2026", "publisher": "izdomata-ministrija",
            **stated, "note": "A fictional plan for trying the monitoring cycle.",
            "note_lv": "Izdomāts plāns uzraudzības cikla izmēģināšanai.",
        }],
    )  # fmt: skip
    quote(
        "documents",
        PLAN,
        f"Kopienu saliedētības plāns 2025.–2026. gadam, pieņemts 2024-12-10 ({MARK_LV})",
    )
    structure = []
    for number, level, parent, lv, en in STRUCTURE:
        structure.append({"id": number, "plan": PLAN, "level": level, "parent": parent,
                          "title_lv": lv, "title_en": en, **stated})  # fmt: skip
        quote("structure", f"{PLAN}/{number}", f"{number}. {lv}")
    write("structure.csv", header("structure.csv"), structure)
    measures, indicators, observations = [], [], []
    for number, lv, en, owner, partners, base, targets, money in MEASURES:
        goal = number.rsplit(".", 1)[0]
        measures.append({"id": number, "plan": PLAN, "goal": goal, "title_lv": lv, "title_en": en,
                         "responsible": owner, "co_implementers": partners.replace(" ", ""),
                         "deadline": "2026-12-31", **stated})  # fmt: skip
        quote(
            "measures",
            f"{PLAN}/{number}",
            f"{number}. {lv}; atbildīgā: {owner}; termiņš 2026-12-31",
        )
        slug = number.replace(".", "-")
        people, funds = f"m-{slug}-dalibnieki", f"m-{slug}-finansejums"
        indicators.append({"id": people, "label_lv": f"{number}. pasākuma dalībnieki",
                           "label_basis": "stated", "label_en": f"Participants of measure {number}",
                           "unit": "persons", "plan": PLAN, "about": number,
                           "about_basis": "stated", **stated})  # fmt: skip
        quote("indicators", people, f"{number}. pasākuma dalībnieki")
        indicators.append({"id": funds, "label_lv": f"{number}. pasākuma finansējums: valsts budžets",
                           "label_basis": "stated",
                           "label_en": f"Funding of measure {number}: state budget",
                           "unit": "eur", "plan": PLAN, "about": number,
                           "about_basis": "stated", **stated})  # fmt: skip
        quote("indicators", funds, f"{number}. pasākuma finansējums: valsts budžets")
        rows = [(f"{people}-baseline-2024", people, "baseline", base, "2024")]
        rows += [
            (f"{people}-target-{y}", people, "target", t, y)
            for y, t in zip(("2025", "2026"), targets, strict=True)
        ]
        rows += [
            (f"{funds}-planned-{y}", funds, "planned", m, y)
            for y, m in zip(("2025", "2026"), money, strict=True)
        ]
        for key, indicator, kind, value, period in rows:
            observations.append({"id": key, "indicator": indicator, "value_type": kind,
                                 "value": str(value), "period": period, "estimated": "no", **stated})  # fmt: skip
            quote("observations", key, f"{indicator}: {kind} {period}: {value}")
    write("measures.csv", header("measures.csv"), measures)
    write("indicators.csv", header("indicators.csv"), indicators)
    write("observations.csv", header("observations.csv"), observations)
    write(
        "involvements.csv",
        header("involvements.csv"),
        [{"plan": PLAN, "role": "coordinator", "institution": "izdomata-ministrija", **stated}],
    )
    quote(
        "involvements",
        f"{PLAN}//coordinator/izdomata-ministrija",
        "Plāna īstenošanu koordinē Izdomātā ministrija",
    )
    write("quotes.csv", header("quotes.csv"), quotes)
    for name in (
        "legal-acts.csv",
        "document-links.csv",
        "deadlines.csv",
        "programmes.csv",
        "results.csv",
        "reported-counts.csv",
        "outcomes.csv",
        "measure-statuses.csv",
    ):
        write(name, header(name), [])  # fmt: skip
    write(
        "dataset.csv",
        header("dataset.csv"),
        [{
            "id": "kg",
            "title_lv": f"{MARK_LV}: uzraudzības cikla darba piemērs",
            "title_en": f"{MARK_EN}: a worked example of the monitoring cycle",
            "site_title_lv": f"{MARK_LV}: uzraudzības cikls",
            "site_title_en": f"{MARK_EN}: monitoring cycle",
            "description_lv": "Izdomāts plāns, iestādes, skaitļi un atskaites, lai izmēģinātu uzraudzības ciklu. Nekas no tā nav īsts.",
            "description_en": "An invented plan, institutions, figures and returns for trying the monitoring cycle. None of it is real.",
            "focus": PLAN, "publisher_lv": "Darba piemērs", "publisher_en": "Worked example",
            "keywords_lv": "izdomāts piemērs", "keywords_en": "fictional example",
            "issued": "2026-12-07", "modified": "2026-12-07",
            "temporal_start": "2025-01-01", "temporal_end": "2026-12-31",
        }],
    )  # fmt: skip
    (DATA / "sources" / f"{SOURCE}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def kg(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "kg", *args], check=True, cwd=ROOT)


# what each institution reports: measure -> (status, evidence, participants, granted, spent)
RETURNS = {
    "2025": {
        "1.1.1": ("tiek īstenots", "Nedēļa notika 12 novados", 520, 20000, 19500),
        "1.1.2": ("tiek īstenots", "Izsludināts 1 konkurss", 28, 150000, 140000),
        "1.2.1": ("tiek īstenots", "Notikušas 4 mācību dienas", 85, 12000, 11800),
        "1.2.2": ("nav uzsākts", "Konkurss pārcelts uz 2026. gadu", 0, 0, 0),
        "2.1.1": ("tiek īstenots", "Kursi 30 grupās", 1250, 60000, 60000),
        "2.1.2": ("tiek īstenots", "Klubi 22 bibliotēkās", 22, 8000, 7900),
    },
    "2026": {
        "1.1.1": ("īstenots", "Nedēļa notika 15 novados", 640, 22000, 21000),
        "1.1.2": ("īstenots", "Atbalstīti 41 projekti", 41, 160000, 158000),
        "1.2.1": ("īstenots", "Notikušas 6 mācību dienas", 104, 12000, 12000),
        "1.2.2": ("īstenots", "Atbalstīti 14 centri", 14, 95000, 93000),
        "2.1.1": ("īstenots", "Kursi 36 grupās", 1480, 65000, 66000),
        "2.1.2": ("īstenots", "Klubi 29 bibliotēkās", 29, 8000, 8200),
    },
}
# the association's 2026 return breaks the rules: a status off the list, a figure that is
# not a number, a grey cell changed and a row it was not issued
WRONG = "izdomata-biedriba"


def fill(folder: Path, period: str, wrong: bool) -> None:
    """Fill the issued workbooks of ``folder`` as each institution would."""
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        mistakes = wrong and path.stem.endswith(WRONG)
        answers = RETURNS[period]
        statuses, indicators, funding = book["Statusi"], book["Rādītāji"], book["Finansējums"]
        for row in statuses.iter_rows(min_row=2):
            status, evidence, *_ = answers[row[0].value]
            row[3].value, row[4].value = status, evidence
        for row in indicators.iter_rows(min_row=2):
            row[7].value = answers[row[1].value][2]
        for row in funding.iter_rows(min_row=2):
            row[4].value, row[5].value = answers[row[1].value][3:5]
        if mistakes:
            statuses.cell(row=2, column=4).value = "gandrīz gatavs"  # not a status
            indicators.cell(row=2, column=8).value = "daudz"  # not a number
            funding.cell(row=2, column=4).value = "1"  # the plan's figure, changed
            statuses.append(["9.9.9", "Pasākums, kura nav", "", "īstenots", "—"])
        book.save(path)


def main() -> None:
    tables()
    work = HERE / ".work"
    shutil.rmtree(work, ignore_errors=True)
    env_data = ["--data", str(DATA)]
    kg("round", "open", PLAN, "2025", *env_data, "--out", str(work / "2025"),
       "--due", "2026-01-31", "--on", "2025-12-01")  # fmt: skip
    fill(work / "2025", "2025", wrong=False)
    kg(
        "round",
        "collect",
        str(work / "2025"),
        *env_data,
        "--on",
        "2026-01-20",
        "--reports",
        str(work / "r"),
    )
    returns = HERE / "returns-2026"
    shutil.rmtree(returns, ignore_errors=True)
    kg("round", "open", PLAN, "2026", *env_data, "--out", str(returns),
       "--due", "2027-01-31", "--on", "2026-12-01")  # fmt: skip
    fill(returns, "2026", wrong=True)
    shutil.rmtree(work)
    print(f"wrote {DATA} and {returns} ({datetime.date.today()})")


if __name__ == "__main__":
    main()
