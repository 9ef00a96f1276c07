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
from kg.mapping import TABLES
from kg.mapping.quotes import is_stated
from kg.mapping.quotes import row_key
from kg.tables import Row

# Roughly the facts one measure brings with it (its row, roles, figures and results).
FACTS_PER_MEASURE = 19
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
SLIDE = "deck#slide=1"


def generate(folder: Path, triples: int, seed: int = 42, violations: int = 0) -> dict[str, int]:
    """Write a full set of tables for about ``triples`` facts into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    measures = max(10, triples // FACTS_PER_MEASURE)
    tables: dict[str, list[list[str]]] = {name: [] for name in TABLES}
    for name in ("concepts.csv", "periods.csv"):
        shutil.copy(ROOT / "data" / name, folder / name)
    (folder / "sources").mkdir(exist_ok=True)
    tables["sources.csv"] = [
        [
            "deck",
            "slide-deck",
            "Sintētiska prezentācija",
            "Synthetic deck",
            "",
            "2021-03-31",
            "",
            "sources/deck.txt",
            "",
            "",
        ],
        [
            "web",
            "web-page",
            "Sintētiska lapa",
            "Synthetic page",
            "",
            "",
            "https://example.org/",
            "",
            "",
            "",
        ],
    ]
    orgs = _institutions(rng, max(20, measures // 20), tables)
    tables["documents.csv"] = [
        [
            "plan",
            "plan",
            "Sintētisks plāns",
            "Synthetic plan",
            "2018-07-18",
            "2019-2020",
            "",
            SLIDE,
            "stated",
            "",
        ]
    ]
    counts = _structure(rng, measures, orgs, violations, tables)
    tables["dataset.csv"] = [
        [
            "kg",
            "Sintētisks plāns: zināšanu grafs",
            "Synthetic plan: knowledge graph",
            "Sintētisks plāns",
            "Synthetic plan",
            "Ģenerētas tabulas etalonuzdevumiem.",
            "Tables generated for benchmarks.",
            "plan",
            "Sintētisko datu ģenerators",
            "The synthetic data generator",
            "sintētiski dati",
            "synthetic data",
            "2026-01-01",
            "2026-01-01",
            "2019-01-01",
            "2020-12-31",
        ]
    ]
    tables["reported-counts.csv"] = [
        ["plan", s, str(n), "", SLIDE, "stated"] for s, n in sorted(counts.items())
    ]
    deck, tables["quotes.csv"] = _quotes(tables)
    (folder / "sources" / "deck.txt").write_text(deck, encoding="utf-8")
    for name, rows in tables.items():
        if name not in ("concepts.csv", "periods.csv"):
            _write(folder / name, TABLES[name][0], rows)
    return {"measures": measures, "institutions": len(orgs)}


def _institutions(rng: random.Random, count: int, tables: dict) -> list[str]:
    orgs = []
    for i in range(count):
        place = rng.choice(PLACES)
        word, kind = rng.choice(KINDS)
        slug = f"org-{i}"
        tables["institutions.csv"].append(
            [slug, f"{place} {word} Nr. {i}", f"{kind} {i}", "", kind, "", "", SLIDE, "stated", ""]
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
                [
                    str(d),
                    "plan",
                    "direction",
                    "",
                    f"Virziens {d}",
                    f"Direction {d}",
                    SLIDE,
                    "stated",
                ]
            )
        tables["structure.csv"].append(
            [
                f"{d}.{k}",
                "plan",
                "goal",
                str(d),
                f"Mērķis {d}.{k}",
                f"Goal {d}.{k}",
                SLIDE,
                "stated",
            ]
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
                [
                    number,
                    "plan",
                    f"{d}.{k}",
                    f"Pasākums {number} ({rng.choice(PLACES)})",
                    f"Measure {number}",
                    status,
                    responsible,
                    partners,
                    "2020-12-31",
                    SLIDE,
                    "stated",
                    "",
                ]
            )
            if m % 4 == 0:
                _result(rng, number, d, k, orgs, tables)
    return counts


def _result(rng: random.Random, number: str, d: int, k: int, orgs: list[str], tables: dict) -> None:
    rid = f"r-{number.replace('.', '-')}"
    tables["results.csv"].append(
        [
            rid,
            "plan",
            f"Rezultāts {number}",
            "stated",
            f"Result {number}",
            "",
            "",
            str(d),
            "stated",
            f"{d}.{k}",
            "inferred",
            "implemented",
            "stated",
            "2019-2020",
            "inferred",
            SLIDE,
            "",
        ]
    )
    implementer = ["plan", rid, "implementer", _zipf(rng, orgs), SLIDE, "stated", ""]
    tables["involvements.csv"].append(implementer)
    tables["involvements.csv"].append(
        ["plan", rid, "partner", _zipf(rng, orgs), "web", "inferred", ""]
    )
    indicator = f"i-{rid}"
    tables["indicators.csv"].append(
        [
            indicator,
            f"Rādītājs {number}",
            "stated",
            f"Indicator {number}",
            "persons",
            "",
            "plan",
            rid,
            "stated",
            SLIDE,
            "stated",
        ]
    )
    observation = f"{indicator}-2020"
    tables["observations.csv"].append(
        [
            observation,
            indicator,
            "actual",
            str(rng.randint(1, 10**6)),
            "",
            "",
            "2020",
            "no",
            SLIDE,
            "stated",
            "",
        ]
    )
    tables["outcomes.csv"].append(
        [
            f"o-{rid}",
            "plan",
            rid,
            f"Sasniegts rezultāts {number}.",
            f"Outcome {number}.",
            observation,
            SLIDE,
            "stated",
        ]
    )


def _quotes(tables: dict) -> tuple[str, list[list[str]]]:
    """The synthetic deck's text and quotes.csv: one line of words for each stated row, with
    its date or figure, so that the generated tables build as the real ones do."""
    lines, quotes = ["Synthetic slide deck"], []
    for name, rows in tables.items():
        header = TABLES[name][0]
        if "source" not in header or name == "quotes.csv":
            continue
        for number, cells in enumerate(rows, 2):
            row = Row(name, number, dict(zip(header, cells + [""] * len(header), strict=False)))
            if not is_stated(row) or SLIDE not in row["source"]:
                continue
            key = row_key(row)
            figures = [row.values.get(c, "") for c in ("value", "date", "due", "deadline")]
            words = "; ".join(filter(None, [*figures, f"Fakts {row.table} {key}"]))
            lines.append(words)
            quotes.append([row.table, key, SLIDE, words])
    return "\n".join(lines) + "\n", quotes


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


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        # columns a generated row leaves out at its end (a Latvian note) are empty
        writer.writerows(row + [""] * (len(header) - len(row)) for row in rows)
