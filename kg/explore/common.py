"""Labels with language fallback, and the basis (stated / inferred) of facts."""

from __future__ import annotations

import threading
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


class LabelStore:
    """The labels a process has fetched, shared by its requests.

    A label is known only once the query that fetches it has answered: a request that needs
    labels another request is fetching waits for that fetch rather than showing a local
    name, and a fetch that fails leaves nothing behind (the next request asks again). An
    IRI with no label is known too, as such.
    """

    WAIT_S = 60.0  # how long to wait for another request's fetch before asking itself

    def __init__(self, limit: int = 200_000):
        self.limit = limit
        self._known: dict[str, dict[str, str]] = {}
        self._fetching: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, iri: str) -> dict[str, str] | None:
        """The labels of ``iri`` by language, or None while they are not known."""
        return self._known.get(iri)

    def claim(self, iris: list[str]) -> tuple[list[str], list[threading.Event]]:
        """Of ``iris`` not yet known: those this caller is now to fetch, and the fetches in
        flight elsewhere that hold the others."""
        mine, theirs = [], set()
        with self._lock:
            for iri in iris:
                if iri in self._known:
                    continue
                event = self._fetching.get(iri)
                if event is None:
                    self._fetching[iri] = threading.Event()
                    mine.append(iri)
                else:
                    theirs.add(event)
        return mine, list(theirs)

    def settle(self, iris: list[str], fetched: dict[str, dict[str, str]]) -> None:
        """The claimed ``iris`` are fetched: each is known (with no label, if none came)."""
        with self._lock:
            if len(self._known) + len(iris) > self.limit:
                self._known.clear()
            for iri in iris:
                self._known[iri] = fetched.get(iri, {})
                self._fetching.pop(iri).set()

    def abandon(self, iris: list[str]) -> None:
        """The fetch of the claimed ``iris`` failed: nothing is known of them."""
        with self._lock:
            for iri in iris:
                self._fetching.pop(iri).set()

    def prime(self, iri: str, labels: dict[str, str]) -> None:
        """Labels a page's main query already gave: known, where nothing else is."""
        with self._lock:
            if iri not in self._known and iri not in self._fetching:
                self._known[iri] = dict(labels)


@dataclass
class Labeller:
    """Fetches labels in batches; picks the reader's language, then lv, en, any, local name.

    ``_labels`` may be shared between requests (a LabelStore: a release does not change
    while served).
    """

    backend: Backend
    base: str
    lang: str = "lv"
    _labels: LabelStore = field(default_factory=LabelStore)
    # refs handed out before their labels were fetched: filled in place by resolve()
    _pending: dict[str, list[dict]] = field(default_factory=dict)
    # what a reader calls the terms of other vocabularies, where the graph has no label
    known: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def fetch(self, iris: list[str]) -> None:
        """Make the labels of ``iris`` known: fetch those nobody is fetching, wait for the
        others (and fetch any whose fetch failed elsewhere)."""
        wanted = sorted({i for i in iris if i and _is_http(i) and self._labels.get(i) is None})
        for _ in range(2):  # a second round only for fetches that failed elsewhere
            mine, theirs = self._labels.claim(wanted)
            if mine:
                try:
                    fetched = self._query(mine)
                except BaseException:
                    self._labels.abandon(mine)
                    raise
                self._labels.settle(mine, fetched)
            for event in theirs:
                event.wait(LabelStore.WAIT_S)
            wanted = [i for i in wanted if self._labels.get(i) is None]
            if not wanted:
                return

    def _query(self, iris: list[str]) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for start in range(0, len(iris), 500):
            chunk = [checked_iri(i) for i in iris[start : start + 500]]
            for row in self.backend.select(query("labels", self.base, s=chunk)):
                label = row["label"]
                lang = label.language if isinstance(label, rdflib.Literal) else None
                found.setdefault(str(row["s"]), {}).setdefault(lang or "", str(label))
        return found

    def prime(self, iri: str, labels: dict[str, Identifier | None]) -> None:
        """Labels already fetched with a page's main query (saves a round trip)."""
        given = {lang: str(label) for lang, label in labels.items() if label is not None}
        if given:  # no label in the main query is no news: the IRI is fetched as any other
            self._labels.prime(str(iri), given)

    def ref(self, iri: Identifier | str | None) -> dict | None:
        """``{"iri", "label", "lang", "fallback"}`` for an IRI. An IRI whose labels are not
        known yet gets its local name for now, and is fetched with all the others at
        :meth:`resolve`: one query per page, not one per IRI."""
        if iri is None:
            return None
        iri = str(iri)
        labels = self._labels.get(iri)
        if labels is None and _is_http(iri):
            ref = self._choose(iri, {})
            self._pending.setdefault(iri, []).append(ref)
            return ref
        return self._choose(iri, labels or {})

    def resolve(self) -> None:
        """Fetch the labels of every ref handed out so far, and fill those refs in."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        self.fetch(list(pending))
        for iri, refs in pending.items():
            chosen = self._choose(iri, self._labels.get(iri) or {})
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
