"""Synthetic tables of the same shape as data/, for benchmarks and scale tests.

Deterministic for a seed. The generated plan has measures (with statuses, responsible and
co-implementing institutions), reported results, figures and outcomes; the reported counts
match the measures, so the graph conforms unless ``violations`` plants some (measures
without a responsible institution).
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

from kg.config import ROOT
from kg.mapping import MAPPERS
from kg.mapping.quotes import is_stated
from kg.mapping.quotes import row_key
from kg.tables.read import Row
from kg.tables.schema import load
from kg.tables.schema import project_schema

SCHEMA = load(project_schema())  # the tables' columns and keys (data/csv-metadata.json)
# Roughly the facts one measure brings with it: its row, roles, figures and results, and
# the quotes and provenance of each (measured: 2.77M facts from 52,600 measures).
FACTS_PER_MEASURE = 53
STATUSES = ["implemented"] * 7 + ["not-funded", "cancelled-covid19"]
PLACES = [
    "Rīga",
    "Daugavpils",
    "Liepāja",
    "Jelgava",
    "Jūrmala",
    "Ventspils",
    "Rēzekne",
    "Valmiera",
    "Ogre",
    "Cēsis",
    "Kuldīga",
    "Ludza",
    "Smiltene",
    "Līvāni",
    "Ķekava",
]
KINDS = [
    ("biedrība", "ngo"),
    ("nodibinājums", "foundation"),
    ("pārvalde", "state-agency"),
    ("bibliotēka", "library"),
    ("muzejs", "ngo"),
]
SLIDE = "deck#slide=1"  # every row cites it; _quotes then spreads the rows over slides
ROWS_PER_SLIDE = 25
FOOTER = "Synthetic slide deck"  # the line each slide of the deck's text begins with


def generate(folder: Path, triples: int, seed: int = 42, violations: int = 0) -> dict[str, int]:
    """Write a full set of tables for about ``triples`` facts into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    measures = max(10, triples // FACTS_PER_MEASURE)
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in MAPPERS}
    for name in ("concepts.csv", "periods.csv"):
        shutil.copy(ROOT / "data" / name, folder / name)
    (folder / "sources").mkdir(exist_ok=True)
    tables["sources.csv"] = [
        {
            "id": "deck",
            "kind": "slide-deck",
            "title_lv": "Sintētiska prezentācija",
            "title_en": "Synthetic deck",
            "date": "2021-03-31",
            "file": "sources/deck.txt",
        },
        {
            "id": "web",
            "kind": "web-page",
            "title_lv": "Sintētiska lapa",
            "title_en": "Synthetic page",
            "url": "https://example.org/",
        },
    ]
    orgs = _institutions(rng, max(20, measures // 20), tables)
    tables["documents.csv"] = [
        {
            "id": "plan",
            "class": "plan",
            "title_lv": "Sintētisks plāns",
            "title_en": "Synthetic plan",
            "date": "2018-07-18",
            "period": "2019-2020",
            "source": SLIDE,
            "basis": "stated",
        }
    ]
    counts = _structure(rng, measures, orgs, violations, tables)
    tables["dataset.csv"] = [
        {
            "id": "kg",
            "title_lv": "Sintētisks plāns: zināšanu grafs",
            "title_en": "Synthetic plan: knowledge graph",
            "site_title_lv": "Sintētisks plāns",
            "site_title_en": "Synthetic plan",
            "description_lv": "Ģenerētas tabulas etalonuzdevumiem.",
            "description_en": "Tables generated for benchmarks.",
            "focus": "plan",
            "publisher_lv": "Sintētisko datu ģenerators",
            "publisher_en": "The synthetic data generator",
            "keywords_lv": "sintētiski dati",
            "keywords_en": "synthetic data",
            "issued": "2026-01-01",
            "modified": "2026-01-01",
            "temporal_start": "2019-01-01",
            "temporal_end": "2020-12-31",
        }
    ]
    tables["reported-counts.csv"] = [
        {"plan": "plan", "status": s, "value": str(n), "source": SLIDE, "basis": "stated"}
        for s, n in sorted(counts.items())
    ]
    deck, tables["quotes.csv"] = _quotes(tables)
    (folder / "sources" / "deck.txt").write_text(deck, encoding="utf-8")
    for name, rows in tables.items():
        if name not in ("concepts.csv", "periods.csv"):
            _write(folder / name, SCHEMA[name].names, rows)
    return {"measures": measures, "institutions": len(orgs)}


def _institutions(rng: random.Random, count: int, tables: dict) -> list[str]:
    orgs = []
    for i in range(count):
        place = rng.choice(PLACES)
        word, kind = rng.choice(KINDS)
        slug = f"org-{i}"
        tables["institutions.csv"].append(
            {
                "id": slug,
                "name_lv": f"{place} {word} Nr. {i}",
                "name_en": f"{kind} {i}",
                "type": kind,
                "source": SLIDE,
                "basis": "stated",
            }
        )
        orgs.append(slug)
    return orgs


def _structure(
    rng: random.Random, measures: int, orgs: list[str], violations: int, tables: dict
) -> dict[str, int]:
    goals_per_direction, per_goal = 5, 40
    goals = max(1, measures // per_goal)
    counts = {"all": 0, **{s: 0 for s in set(STATUSES)}}
    for g in range(goals):
        d, k = g // goals_per_direction + 1, g % goals_per_direction + 1
        if k == 1:
            tables["structure.csv"].append(
                {
                    "id": str(d),
                    "plan": "plan",
                    "level": "direction",
                    "title_lv": f"Virziens {d}",
                    "title_en": f"Direction {d}",
                    "source": SLIDE,
                    "basis": "stated",
                }
            )
        tables["structure.csv"].append(
            {
                "id": f"{d}.{k}",
                "plan": "plan",
                "level": "goal",
                "parent": str(d),
                "title_lv": f"Mērķis {d}.{k}",
                "title_en": f"Goal {d}.{k}",
                "source": SLIDE,
                "basis": "stated",
            }
        )
        for m in range(1, per_goal + 1):
            number = f"{d}.{k}.{m}"
            status = rng.choice(STATUSES)
            counts[status] += 1
            counts["all"] += 1
            responsible = "" if violations > 0 else _zipf(rng, orgs)
            violations -= 1
            partners = " ; ".join(sorted({_zipf(rng, orgs) for _ in range(rng.randint(0, 2))}))
            tables["measures.csv"].append(
                {
                    "id": number,
                    "plan": "plan",
                    "goal": f"{d}.{k}",
                    "title_lv": f"Pasākums {number} ({rng.choice(PLACES)})",
                    "title_en": f"Measure {number}",
                    "status": status,
                    "responsible": responsible,
                    "co_implementers": partners,
                    "deadline": "2020-12-31",
                    "source": SLIDE,
                    "basis": "stated",
                }
            )
            if m % 4 == 0:
                _result(rng, number, d, k, orgs, tables)
    return counts


def _result(rng: random.Random, number: str, d: int, k: int, orgs: list[str], tables: dict) -> None:
    rid = f"r-{number.replace('.', '-')}"
    tables["results.csv"].append(
        {
            "id": rid,
            "plan": "plan",
            "title_lv": f"Rezultāts {number}",
            "title_basis": "stated",
            "title_en": f"Result {number}",
            "direction": str(d),
            "direction_basis": "stated",
            "goal": f"{d}.{k}",
            "goal_basis": "inferred",
            "status": "implemented",
            "status_basis": "stated",
            "period": "2019-2020",
            "period_basis": "inferred",
            "source": SLIDE,
        }
    )
    implementer = {
        "plan": "plan",
        "subject": rid,
        "role": "implementer",
        "institution": _zipf(rng, orgs),
        "source": SLIDE,
        "basis": "stated",
    }
    tables["involvements.csv"].append(implementer)
    tables["involvements.csv"].append(
        {
            "plan": "plan",
            "subject": rid,
            "role": "partner",
            "institution": _zipf(rng, orgs),
            "source": "web",
            "basis": "inferred",
        }
    )
    indicator = f"i-{rid}"
    tables["indicators.csv"].append(
        {
            "id": indicator,
            "label_lv": f"Rādītājs {number}",
            "label_basis": "stated",
            "label_en": f"Indicator {number}",
            "unit": "persons",
            "plan": "plan",
            "about": rid,
            "about_basis": "stated",
            "source": SLIDE,
            "basis": "stated",
        }
    )
    observation = f"{indicator}-2020"
    tables["observations.csv"].append(
        {
            "id": observation,
            "indicator": indicator,
            "value_type": "actual",
            "value": str(rng.randint(1, 10**6)),
            "period": "2020",
            "estimated": "no",
            "source": SLIDE,
            "basis": "stated",
        }
    )
    tables["outcomes.csv"].append(
        {
            "id": f"o-{rid}",
            "plan": "plan",
            "about": rid,
            "quote_lv": f"Sasniegts rezultāts {number}.",
            "text_en": f"Outcome {number}.",
            "observations": observation,
            "source": SLIDE,
            "basis": "stated",
        }
    )


def _quotes(tables: dict) -> tuple[str, list[dict[str, str]]]:
    """The synthetic deck's text and quotes.csv: one line of words for each stated row, with
    its date or figure, so that the generated tables build as the real ones do. The rows are
    spread over slides of ROWS_PER_SLIDE each, as a real deck's are (one slide holding every
    fact made a page of a million facts)."""
    slides: list[list[str]] = []
    quotes: list[dict[str, str]] = []
    for name, rows in tables.items():
        if name == "quotes.csv":
            continue
        for number, cells in enumerate(rows, 2):
            row = Row(name, number, cells)
            if not is_stated(row) or SLIDE not in row.values.get("source", ""):
                continue
            if len(quotes) % ROWS_PER_SLIDE == 0:
                slides.append([])
            source = f"deck#slide={len(slides)}"
            cells["source"] = cells["source"].replace(SLIDE, source)
            key = row_key(row, SCHEMA)
            figures = [row.values.get(c, "") for c in ("value", "date", "due", "deadline")]
            words = "; ".join(filter(None, [*figures, f"Fakts {row.table} {key}"]))
            slides[-1].append(words)
            quotes.append({"table": row.table, "row": key, "source": source, "quote": words})
    text = "".join(f"{FOOTER}\n" + "\n".join(lines) + "\n" for lines in slides)
    return text, quotes


_WEIGHTS: dict[int, list[float]] = {}


def _zipf(rng: random.Random, items: list[str]) -> str:
    """A popular few and a long tail, as institutions in real plans (Zipf, exponent 0.9)."""
    weights = _WEIGHTS.get(len(items))
    if weights is None:
        total, weights = 0.0, []
        for rank in range(1, len(items) + 1):
            total += rank**-0.9
            weights.append(total)
        _WEIGHTS[len(items)] = weights
    return rng.choices(items, cum_weights=weights)[0]


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    """Rows by column name, in the schema's order; a column a row leaves out is empty, and
    a name the schema does not know is an error (csv.DictWriter's extrasaction)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
