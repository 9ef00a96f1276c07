"""What a reader sees of a page: its text without markup, scripts, code samples or IRIs shown as
IRIs, and the codes (local names, prefixed names, slugs) that must never be part of it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# elements whose text is not prose: code shown as code, the editor, scripts
SKIPPED = {"script", "style", "code", "pre", "textarea", "template", "svg:title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Text(HTMLParser):
    def __init__(self, skip_lang: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_lang = skip_lang
        self.stack: list[bool] = []  # per open element: is its text skipped?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        skipped = bool(self.stack and self.stack[-1]) or tag in SKIPPED or "code" in classes
        skipped = skipped or (
            self.skip_lang is not None and dict(attrs).get("lang") == self.skip_lang
        )
        self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str, skip_lang: str | None = None) -> str:
    """The page's prose: what a reader reads, not what a programmer reads (without the
    parts marked as written in ``skip_lang``)."""
    parser = _Text(skip_lang)
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


PREFIXED = re.compile(
    r"\b(?:lvp|skos|prov|org|dcat|dct|dcterms|rdf|rdfs|owl|foaf|qb|xsd|schema|sd|void|adms)"
    r":[A-Za-z_]"
)
CAMEL = re.compile(r"\b[a-z]+[A-Z][A-Za-z]*\b|\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
TOKEN = re.compile(r"[\w-]+")


def slugs(iris: list[str], base: str) -> set[str]:
    """The path segments of the graph's own IRIs that are codes, not words: those with a
    hyphen, an underscore or a digit beside letters (``kulturas-ministrija``, ``d2-lsm``)."""
    found = set()
    for iri in iris:
        if iri.startswith(base):
            for segment in re.split(r"[/#]", iri[len(base) :]):
                if re.search(r"[A-Za-z]", segment) and re.search(r"[-_\d]", segment):
                    found.add(segment)
    return found


def codes_in(text: str, codes: set[str], words: set[str], own_text: str = "") -> list[str]:
    """Everything in a page's text that a reader should not see: prefixed names
    (``skos:prefLabel``), local names (``wasDerivedFrom``, ``ReportedResult``), ISO dates,
    the graph's slugs; and in ``own_text`` (the page's text in its own language) ``words``,
    the codes that are words of another language."""
    found = PREFIXED.findall(text) + CAMEL.findall(text) + ISO_DATE.findall(text)
    found += [token for token in TOKEN.findall(text) if token in codes]
    found += [token for token in TOKEN.findall(own_text) if token in words]
    if "[?]" in text:
        found.append("[?]")
    return sorted(set(found))
