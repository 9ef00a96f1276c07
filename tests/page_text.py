"""What a reader sees of a page: its text without markup, scripts, code samples or IRIs shown as
IRIs, and the codes (local names, prefixed names, slugs) that must never be part of it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# elements whose text is not prose: code shown as code, the editor, scripts
SKIPPED = {"script", "style", "code", "pre", "textarea", "template", "svg:title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its text skipped?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        skipped = bool(self.stack and self.stack[-1]) or tag in SKIPPED or "code" in classes
        self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's prose: what a reader reads, not what a programmer reads."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


PREFIXED = re.compile(
    r"\b(?:lvp|skos|prov|org|dcat|dct|dcterms|rdf|rdfs|owl|foaf|qb|xsd|schema|sd|void|adms)"
    r":[A-Za-z_]"
)
CAMEL = re.compile(r"\b[a-z]+[A-Z][A-Za-z]*\b|\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")
