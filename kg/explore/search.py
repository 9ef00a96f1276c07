"""Label search, diacritic-insensitive, from an index the build writes (search-index.json)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from kg.backends.base import Backend
from kg.queries import query


def fold(text: str) -> str:
    """Lower case without diacritics: "Kultūras" and "kulturas" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def build_index(backend: Backend, base: str) -> list[dict]:
    """One entry per labelled thing of the main kinds, with its folded labels."""
    entries: dict[str, dict] = {}
    for row in backend.select(query("search-index", base)):
        iri = str(row["s"])
        entry = entries.setdefault(
            iri,
            {
                "iri": iri,
                "type": str(row["type"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1],
                "labels": {},
            },
        )
        lang = getattr(row["label"], "language", None) or ""
        entry["labels"].setdefault(lang, str(row["label"]))
    return sorted(entries.values(), key=lambda e: e["iri"])


def write_index(entries: list[dict], path: Path) -> None:
    path.write_text(
        json.dumps(entries, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8"
    )


class SearchIndex:
    def __init__(self, entries: list[dict]):
        self.entries = entries
        self.keys = [fold(" ".join(e["labels"].values())) for e in entries]

    @classmethod
    def load(cls, path: Path) -> SearchIndex:
        return cls(json.loads(path.read_text(encoding="utf-8")) if path.is_file() else [])

    def search(self, text: str, lang: str = "lv", limit: int = 20) -> list[dict]:
        """Entries whose labels contain every word of ``text``; prefix matches first."""
        words = fold(unicodedata.normalize("NFC", text)).split()[:10]
        if not words:
            return []
        hits = []
        for entry, key in zip(self.entries, self.keys, strict=True):
            if all(w in key for w in words):
                label = (
                    entry["labels"].get(lang)
                    or entry["labels"].get("lv")
                    or next(iter(entry["labels"].values()))
                )
                starts = fold(label).startswith(words[0])
                hits.append((not starts, len(label), label, entry, lang not in entry["labels"]))
        hits.sort(key=lambda h: (h[0], h[1], h[2]))
        return [
            {"iri": e["iri"], "type": e["type"], "label": label, "fallback": fallback}
            for _, _, label, e, fallback in hits[:limit]
        ]
