"""Reading a report as its reader would: the numbers it prints, the note each carries, and
what each note says (tests/test_report.py, tests/test_report_real.py)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

import lxml.html
from babel.numbers import parse_decimal


@dataclass
class Note:
    number: int
    fact: str
    places: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class Printed:
    """A number as printed (``shown``, in the reader's locale) and as data (``value``)."""

    value: Decimal
    shown: str
    note: int


def read(html: str | bytes) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html)


def numbers(doc: lxml.html.HtmlElement) -> list[Printed]:
    return [
        Printed(Decimal(d.get("value")), d.text_content(), int(d.get("data-note")))
        for d in doc.xpath(".//data[contains(@class, 'figure')]")
    ]


def shown_value(printed: Printed, lang: str) -> Decimal:
    """What a reader reads the printed number as, by the language's own number format."""
    return Decimal(str(parse_decimal(printed.shown.replace("\u202f", "\xa0"), locale=lang)))


def notes(doc: lxml.html.HtmlElement) -> dict[int, Note]:
    found: dict[int, Note] = {}
    for item in doc.xpath("//ol[@id='notes']/li"):
        number = int(item.get("id").removeprefix("note-"))
        links = item.xpath(".//a/@href")
        fact = item.xpath(".//a[contains(@class, 'fact')]/@href")[0]
        found[number] = Note(
            number,
            fact,
            [link for link in links if link != fact],
            [q.text_content() for q in item.xpath(".//q")],
            item.text_content(),
        )
    return found


def cited(doc: lxml.html.HtmlElement) -> list[int]:
    """The note numbers the text cites, in the order it cites them."""
    return [int(h.removeprefix("#note-")) for h in doc.xpath("//sup[@class='note-ref']/a/@href")]


def docx_contents(made: bytes) -> tuple[str, set[str]]:
    """A DOCX report's text (paragraphs, then table cells, one per line) and its links."""
    import io

    import docx

    document = docx.Document(io.BytesIO(made))
    lines = [p.text for p in document.paragraphs]
    lines += [c.text for t in document.tables for r in t.rows for c in r.cells]
    links = {r.target_ref for r in document.part.rels.values() if "hyperlink" in r.reltype}
    return "\n".join(lines), links


def pdf_contents(made: bytes) -> tuple[str, set[str]]:
    """A PDF report's text (as a reader extracts it) and the links it holds."""
    import io

    import pypdf

    pdf = pypdf.PdfReader(io.BytesIO(made))
    text = "".join(page.extract_text() for page in pdf.pages)
    links = {
        a.get_object()["/A"].get("/URI")
        for page in pdf.pages
        for a in page.get("/Annots") or []
        if "/A" in a.get_object()
    }
    return text, links
