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

_WORD = re.compile(r"[^\W_]+")
_PART = re.compile(r"^(.*/id/(?:plan|guidelines)/[^/]+)/(?:direction|goal|measure|result)/")


def document_of(iri: str) -> str | None:
    """The plan or guidelines a direction, goal, measure or result belongs to (by its IRI,
    which names it: kg.terms.Ids.part)."""
    match = _PART.match(iri)
    return match.group(1) if match else None


def fold(text: str) -> str:
    """Lower case without diacritics: "Kultūras" and "kulturas" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
        return self.find(text, lang, limit=limit)[0]

    def find(
        self,
        text: str,
        lang: str = "lv",
        kind: str | None = None,
        limit: int | None = None,
        plan: str | None = None,
    ) -> tuple[list[dict], dict[str, int], dict[str, int]]:
        """The hits of ``text`` (of one ``kind`` of thing, and parts of one ``plan``, if
        given), best first, at most ``limit``; how many hits each kind has, whatever
        ``kind`` is; and how many are parts of each plan (the facets)."""
        words = _WORD.findall(fold(unicodedata.normalize("NFC", text)))[:10]
        whole = fold(unicodedata.normalize("NFC", text)).strip()
        coded = any(c.isdigit() for c in whole)
        if not words:
            return [], {}, {}
        candidates: set[int] | None = None
        for word in sorted(words, key=len, reverse=True):  # longest (rarest) first
            matches = self._starting_with(word)
            candidates = matches if candidates is None else candidates & matches
            if not candidates:
                return [], {}, {}
        hits = []
        kinds: dict[str, int] = {}
        plans: dict[str, int] = {}
        for number in candidates or ():
            entry = self.entries[number]
            document = document_of(entry["iri"])
            if plan is not None and document != plan:
                continue
            kinds[entry["type"]] = kinds.get(entry["type"], 0) + 1
            if kind is not None and entry["type"] != kind:
                continue
            if document is not None:
                plans[document] = plans.get(document, 0) + 1
            shown = next(
                (code for code in (lang, "lv") if entry["labels"].get(code)),
                next(iter(entry["labels"])),
            )
            label = entry["labels"][shown]
            # a code typed whole ("2.1", an act's number: it has a digit) first, then labels
            # that start with the first word, then the shortest
            exact = coded and whole in fold(entry.get("words", "")).split()
            key = (not exact, not fold(label).startswith(words[0]), len(label), label)
            hits.append((*key, number, shown))
        best = heapq.nsmallest(limit, hits) if limit is not None else sorted(hits)
        found = [
            {
                "iri": self.entries[n]["iri"],
                "type": self.entries[n]["type"],
                "label": label,
                "lang": shown,  # the label's language: a page marks it where it differs
                "fallback": lang not in self.entries[n]["labels"],
            }
            for _, _, _, label, n, shown in best
        ]
        return found, kinds, plans
