"""Labels with language fallback, and the basis (stated / inferred) of facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlsplit

import rdflib
from rdflib.term import Identifier

from kg.backends.base import Backend
from kg.config import LANGUAGES
from kg.queries import checked_iri
from kg.queries import query

LANGS = LANGUAGES  # the interface languages (kg.config): a label falls back in this order


def local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def site_name(url: str) -> str:
    """``https://www.likumi.lv/ta/id/1`` → ``likumi.lv``: what a reader calls a web page's site."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def basis_of(bases: Identifier | str | None) -> str:
    """The strongest basis among a fact's graphs: stated > editorial > inferred.

    A fact with no graph basis (the ontology, dataset descriptions) counts as stated.
    """
    found = set(str(bases or "").split())
    for basis in ("stated", "editorial", "inferred"):
        if basis in found:
            return basis
    return "stated"


def in_language(values: list[dict], lang: str) -> list[dict]:
    """The values written in ``lang`` (the reader's language), or all where none is."""
    return [v for v in values if v.get("lang") == lang] or values


def visible(basis: str, inferred: bool) -> bool:
    """Whether a fact shows when the reader has chosen to hide inferred facts."""
    return inferred or basis != "inferred"


@dataclass
class Labeller:
    """Fetches labels in batches; picks the reader's language, then lv, en, any, local name.

    ``cache`` may be shared between requests: a release does not change while served.
    """

    backend: Backend
    base: str
    lang: str = "lv"
    _labels: dict[str, dict[str, str]] = field(default_factory=dict)
    cache_limit: int = 200_000
    # refs handed out before their labels were fetched: filled in place by resolve()
    _pending: dict[str, list[dict]] = field(default_factory=dict)
    # what a reader calls the terms of other vocabularies, where the graph has no label
    known: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self._labels) > self.cache_limit:
            self._labels.clear()

    def fetch(self, iris: list[str]) -> None:
        wanted = sorted({i for i in iris if i and i not in self._labels and _is_http(i)})
        for start in range(0, len(wanted), 500):
            chunk = [checked_iri(i) for i in wanted[start : start + 500]]
            for iri in chunk:
                self._labels.setdefault(str(iri), {})
            rows = self.backend.select(query("labels", self.base, s=chunk))
            for row in rows:
                label = row["label"]
                lang = label.language if isinstance(label, rdflib.Literal) else None
                self._labels[str(row["s"])].setdefault(lang or "", str(label))

    def prime(self, iri: str, labels: dict[str, Identifier | None]) -> None:
        """Labels already fetched with a page's main query (saves a round trip)."""
        known = self._labels.setdefault(str(iri), {})
        for lang, label in labels.items():
            if label is not None:
                known.setdefault(lang, str(label))

    def ref(self, iri: Identifier | str | None) -> dict | None:
        """``{"iri", "label", "lang", "fallback"}`` for an IRI. An IRI whose labels are not
        known yet gets its local name for now, and is fetched with all the others at
        :meth:`resolve`: one query per page, not one per IRI."""
        if iri is None:
            return None
        iri = str(iri)
        if iri not in self._labels and _is_http(iri):
            ref = self._choose(iri, {})
            self._pending.setdefault(iri, []).append(ref)
            return ref
        return self._choose(iri, self._labels.get(iri, {}))

    def resolve(self) -> None:
        """Fetch the labels of every ref handed out so far, and fill those refs in."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        self.fetch(list(pending))
        for iri, refs in pending.items():
            chosen = self._choose(iri, self._labels.get(iri, {}))
            for ref in refs:
                ref.update(chosen)

    def _choose(self, iri: str, labels: Mapping[str, str]) -> dict:
        labels = labels or self.known.get(iri, {})
        order = [self.lang] + [lang for lang in LANGS if lang != self.lang]
        for lang in order:
            if lang in labels:
                return {
                    "iri": iri,
                    "label": labels[lang],
                    "lang": lang,
                    "fallback": lang != self.lang,
                }
        if labels:
            lang, label = sorted(labels.items())[0]
            # a name with no language (an abbreviation, a title) is no fallback
            return {"iri": iri, "label": label, "lang": lang or None, "fallback": bool(lang)}
        if _is_http(iri) and not iri.startswith(self.base):
            # a web page with no title in the graph: its site's name, not its path
            return {"iri": iri, "label": site_name(iri), "lang": None, "fallback": False}
        return {"iri": iri, "label": local_name(iri), "lang": None, "fallback": True}


def _is_http(iri: str) -> bool:
    return iri.startswith(("http://", "https://"))


def value(term: Identifier | None) -> str | None:
    return None if term is None else str(term)


def count(term: Identifier | None) -> int:
    """A count from a query (0 where unbound)."""
    return int(str(term)) if term is not None else 0


def number(term: Identifier | None) -> float | int | None:
    if term is None:
        return None
    text = str(term)
    try:
        return int(text)
    except ValueError:
        return float(text)
