"""Quoted passages: the words a stated fact was read from, and the same words marked in
their slide's or document's text (kg.mapping.quotes publishes them)."""

from __future__ import annotations

import re

from kg.backends.base import Backend
from kg.explore.common import Labeller
from kg.printed import language_of
from kg.queries import checked_iri
from kg.queries import query


def anchor(passage: str) -> str:
    """The fragment id of a passage on its source's page: ``q-`` and its digest."""
    return "q-" + passage.rstrip("/").rsplit("/", 1)[-1]


def passages_of(backend: Backend, base: str, labels: Labeller, iri: str) -> list[dict]:
    """Each passage that ``iri``'s stated facts were read from: its words and where."""
    rows = backend.select(query("passages", base, node=[checked_iri(iri)]))
    found = [
        {
            "exact": str(r["exact"]),
            "lang": str(r.get("lang") or "") or language_of(str(r["exact"])),
            "where": labels.ref(r["where"]),
            "anchor": anchor(str(r["passage"])),
        }
        for r in rows
    ]
    return sorted(found, key=lambda p: (p["where"]["iri"], p["exact"]))


def passages_on(backend: Backend, base: str, iri: str) -> list[tuple[str, str]]:
    """(anchor, words) of each passage quoted from the slide, page or document ``iri``."""
    rows = backend.select(query("passages-on", base, where=[checked_iri(iri)]))
    return sorted((anchor(str(r["passage"])), str(r["exact"])) for r in rows)


def marked(text: str, passages: list[tuple[str, str]]) -> list[dict]:
    """``text`` cut into pieces, each passage's first occurrence marked with its anchor. A
    passage's words match across any run of spaces, line breaks and the text layer's ``**``
    bold marks (what the build ignored when it found them). Longer passages are marked
    first; a passage inside one already marked gets its anchor there (``also``), so every
    link to a passage lands on its words."""
    spans: list[list] = []  # [start, end, anchor, also]
    found = []
    for name, words in passages:
        pattern = r"(?:\s|\*\*)+".join(re.escape(w) for w in words.split())
        match = re.search(pattern, text) if words.split() else None
        if match:
            found.append((match.start() - match.end(), match.start(), match.end(), name))
    for _, start, end, name in sorted(found):
        cover = next((s for s in spans if s[0] < end and start < s[1]), None)
        if cover is None:
            spans.append([start, end, name, []])
        else:
            cover[3].append(name)
    pieces: list[dict] = []
    at = 0
    for start, end, name, also in sorted(spans):
        if start > at:
            pieces.append({"text": text[at:start]})
        pieces.append({"text": text[start:end], "anchor": name, "also": sorted(also)})
        at = end
    if at < len(text):
        pieces.append({"text": text[at:]})
    return pieces
