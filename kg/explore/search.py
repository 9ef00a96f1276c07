"""Label search, diacritic-insensitive, from an index the build writes (search-index.json).

The index file lists every labelled thing of the main kinds; at start-up it becomes an
inverted index from folded words to entries, so a query costs the size of its answer, not
of the graph. Every word of the query must begin a word of a label ("kult minis" finds
"Kultūras ministrija").
"""

from __future__ import annotations

import bisect
import heapq
import json
import re
import unicodedata
from pathlib import Path

import pyoxigraph as ox

from kg.queries import query

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without diacritics: "Kultūras" and "kulturas" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def build_index(store: ox.Store, base: str) -> list[dict]:
    """One entry per labelled thing of the main kinds, with its labels by language and the
    other words it may be found by (abbreviations, codes, numbers, a slide's text).

    Runs at build time on the build's own pyoxigraph store (terms stay pyoxigraph terms:
    at 1M triples converting them would cost seconds).
    """
    entries: dict[str, dict] = {}
    solutions = store.query(query("search-index", base))
    assert isinstance(solutions, ox.QuerySolutions)  # a SELECT
    for row in solutions:
        iri = row["s"].value
        entry = entries.setdefault(iri, {"iri": iri, "type": row["type"].value, "labels": {}})
        entry["labels"].setdefault(row["label"].language or "", row["label"].value)
    words = store.query(query("search-words", base))
    assert isinstance(words, ox.QuerySolutions)
    extra: dict[str, list[str]] = {}
    for row in words:
        if row["s"].value in entries:
            extra.setdefault(row["s"].value, []).extend(_spellings(row["text"]))
    for iri, found in extra.items():
        entries[iri]["words"] = " ".join(dict.fromkeys(found))
    return sorted(entries.values(), key=lambda e: e["iri"])


def _spellings(term: ox.Literal) -> list[str]:
    """A literal as it may be searched: a whole number also as lv and en write it
    (``491000``, ``491 000``, ``491,000``)."""
    text = term.value
    if text.isdigit() and len(text) > 3:
        grouped = f"{int(text):,}"
        return [text, grouped.replace(",", " "), grouped]
    return [text]


def write_index(entries: list[dict], path: Path) -> None:
    path.write_text(
        json.dumps(entries, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )


class SearchIndex:
    def __init__(self, entries: list[dict]):
        self.entries = entries
        postings: dict[str, set[int]] = {}
        self.folded: list[dict[str, str]] = []
        for number, entry in enumerate(entries):
            folded = {lang: fold(label) for lang, label in entry["labels"].items()}
            self.folded.append(folded)
            for label in [*folded.values(), fold(entry.get("words", ""))]:
                for word in _WORD.findall(label):
                    postings.setdefault(word, set()).add(number)
        self.words = sorted(postings)
        self.postings = postings

    @classmethod
    def load(cls, path: Path) -> SearchIndex:
        return cls(json.loads(path.read_text(encoding="utf-8")) if path.is_file() else [])

    def _starting_with(self, prefix: str) -> set[int]:
        found: set[int] = set()
        start = bisect.bisect_left(self.words, prefix)
        for word in self.words[start:]:
            if not word.startswith(prefix):
                break
            found |= self.postings[word]
        return found

    def search(self, text: str, lang: str = "lv", limit: int = 20) -> list[dict]:
        """Entries with a label word starting with every query word; shortest labels first."""
        words = _WORD.findall(fold(unicodedata.normalize("NFC", text)))[:10]
        if not words:
            return []
        candidates: set[int] | None = None
        for word in sorted(words, key=len, reverse=True):  # longest (rarest) first
            matches = self._starting_with(word)
            candidates = matches if candidates is None else candidates & matches
            if not candidates:
                return []
        hits = []
        for number in candidates or ():
            entry = self.entries[number]
            label = (
                entry["labels"].get(lang)
                or entry["labels"].get("lv")
                or next(iter(entry["labels"].values()))
            )
            hits.append((not fold(label).startswith(words[0]), len(label), label, number))
        best = heapq.nsmallest(limit, hits)
        return [
            {
                "iri": self.entries[n]["iri"],
                "type": self.entries[n]["type"],
                "label": label,
                "fallback": lang not in self.entries[n]["labels"],
            }
            for _, _, label, n in best
        ]
