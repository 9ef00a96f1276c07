"""Every word a reader sees comes from a catalogue or from the data.

A pseudo-language, ``qps``, is made from the English catalogue with every message wrapped in
⟦ ⟧, and configured beside lv and en as a third language would be (one catalogue, one line
of configuration). On every kind of page, in that language, any text outside ⟦ ⟧ must be
the data's own words (a literal or an IRI of the release), a label of another vocabulary's
term (web/labels/vocabularies.ttl, the catalogue of those), a number or punctuation, a file
name, or a name that is the same in every language (a file format, the licence); or be
marked as written in another language (``lang``), as a label shown in the language it has."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from babel.messages.pofile import read_po
from babel.messages.pofile import write_po

from kg.export_site import AGGREGATES
from kg.formats import RDF_FORMATS
from kg.formats import RESULT_FORMATS
from tests.test_words import one_of_each_kind
from tests.web_fixtures import close_app
from web import create_app
from web.words import FOLDER

LABELS = Path(__file__).resolve().parent.parent / "web" / "labels" / "vocabularies.ttl"

PSEUDO = "qps"
WRAPPED = re.compile(r"⟦[^⟦⟧]*⟧")  # innermost first: a date's month is wrapped in the date
# what is not a word: digits, punctuation, symbols, spaces (a number as any language writes it)
NOT_WORDS = re.compile(r"[\W\d_]*")
NAMES = {f.label for f in (*RDF_FORMATS, *RESULT_FORMATS)}
NAMES |= {"CSV", "CSVW", "JSON", "gzip", "CC BY 4.0"}
FILE = re.compile(r"[\w.-]+\.(csv|json|txt|nq|nt|ttl|trig|jsonld|rdf|gz)|SHA256SUMS")
# where one piece of text joins several: a label and its comment, a title and its year
JOINS = re.compile(r"\s*(?:[·:;()|…]|\s[–—-]\s)\s*")
SKIPPED = {"script", "style", "code", "pre", "textarea", "template"}
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def _pseudo_catalogue(folder) -> None:
    """``qps`` from the English catalogue: every message wrapped, placeholders kept."""
    with (FOLDER / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, tuple):
            message.string = tuple(f"⟦{form}⟧" for form in message.string)
        else:
            message.string = f"⟦{message.string}⟧"
    target = folder / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    text = (target / "messages.po").read_text(encoding="utf-8")
    (target / "messages.po").write_text(
        text.replace('"Language: en\\n"', f'"Language: {PSEUDO}\\n"'), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def pseudo(built, tmp_path_factory):
    folder = tmp_path_factory.mktemp("translations")
    for lang in ("lv", "en"):
        shutil.copytree(FOLDER / lang, folder / lang)
    _pseudo_catalogue(folder)
    app = create_app(
        {
            "TESTING": True,
            "RELEASE": str(built.release),
            "LANGUAGES": ("lv", "en", PSEUDO),
            "TRANSLATIONS": str(folder),
        }
    )
    yield app.test_client()
    close_app(app)


@pytest.fixture(scope="module")
def data_words(built) -> str:
    """Every literal and IRI of the release and every label of web/labels, one per line."""
    words = set()
    for source, fmt in (
        (built.release / "kg.nq", ox.RdfFormat.N_QUADS),
        (LABELS, ox.RdfFormat.TURTLE),
    ):
        for quad in ox.parse(path=str(source), format=fmt):
            for term in (quad.subject, quad.object):
                if isinstance(term, ox.Literal | ox.NamedNode):
                    words.add(re.sub(r"\s+", " ", term.value))
    return "\n".join(sorted(words))


class _Shown(HTMLParser):
    """The pieces of text a reader sees, each on its own: text and the shown attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[bool] = []
        self.pieces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = bool(self.skipping and self.skipping[-1]) or tag in SKIPPED
        skipped = skipped or "code" in (values.get("class") or "").split()
        skipped = skipped or (tag != "html" and values.get("lang") not in (None, PSEUDO))
        if not skipped:
            self.pieces += [values[a] or "" for a in SHOWN_ATTRIBUTES if values.get(a)]
        if tag not in ("br", "img", "input", "link", "meta", "hr", "wbr", "source"):
            self.skipping.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag not in ("br", "img", "input", "link", "meta", "hr", "wbr"):
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not (self.skipping and self.skipping[-1]):
            self.pieces.append(data)


def _foreign(html: str, data: str) -> list[str]:
    """The pieces of a page that are neither wrapped words, nor data, nor not words."""
    parser = _Shown()
    parser.feed(html)
    found = []
    for piece in parser.pieces:
        text = re.sub(r"\s+", " ", piece)
        while WRAPPED.search(text):
            text = WRAPPED.sub("\x00", text)
        for rest in (r for part in text.split("\x00") for r in JOINS.split(part)):
            rest = rest.strip(" ,.[]/–—-×%\u00a0…“”„\"'")
            if not rest or NOT_WORDS.fullmatch(rest) or rest in NAMES or FILE.fullmatch(rest):
                continue
            if rest not in data:
                found.append(rest)
    return found


def _pages(client) -> list[str]:
    """The overview pages, and one page of each kind of thing in the graph."""
    extra = ["/releases", "/workbench", "/sparql", "/search?q=kult", "/search?q=zzzqqq"]
    return [*AGGREGATES, *extra, "/doc/no/such/thing", *one_of_each_kind(client)]


def test_every_word_of_every_page_comes_from_a_catalogue_or_the_data(pseudo, data_words):
    foreign: dict[str, list[str]] = {}
    pages = _pages(pseudo)
    assert len(pages) > 30
    for path in pages:
        joiner = "&" if "?" in path else "?"
        response = pseudo.get(f"{path}{joiner}lang={PSEUDO}", headers={"Accept": "text/html"})
        assert response.status_code in (200, 404), path
        html = response.get_data(as_text=True)
        assert f'lang="{PSEUDO}"' in html and "⟦" in html, path
        asked = path.partition("q=")[2]  # the reader's own words, shown back
        found = [f for f in _foreign(html, data_words) if not asked or f != asked]
        if found:
            foreign[path] = sorted(set(found))
    assert foreign == {}


def test_a_third_language_is_offered_by_the_switch(pseudo):
    html = pseudo.get("/plans?lang=lv").get_data(as_text=True)
    assert f'hreflang="{PSEUDO}"' in html and "⟦English⟧" in html
    assert 'hreflang="en"' in html and ">English<" in html


def test_every_catalogue_has_every_message():
    keys = {}
    for folder in sorted(p for p in FOLDER.iterdir() if p.is_dir()):
        with (folder / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        keys[folder.name] = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        assert all(m.string for m in catalog if m.id), folder.name  # nothing left blank
    assert keys["lv"] == keys["en"]
