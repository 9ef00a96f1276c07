"""IRIs minted under the configured base, and typed literals, as pyoxigraph terms."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple  # pyoxigraph names no union


def serialized(
    statements: Iterable[ox.Triple] | Iterable[ox.Quad],
    fmt: ox.RdfFormat,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """pyoxigraph's writer into bytes (its stub allows None, which comes only when an
    output file is given)."""
    if prefixes:
        return ox.serialize(statements, format=fmt, prefixes=prefixes) or b""
    return ox.serialize(statements, format=fmt) or b""


RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(str(value))


def text(value: str, lang: str) -> ox.Literal:
    return ox.Literal(value, language=lang)


def latvian(value: str) -> ox.Literal:
    return text(value, "lv")


def plain(value: str) -> ox.Literal:
    return ox.Literal(value)


def integer(value: str) -> ox.Literal:
    if not _INTEGER.match(value):
        raise ValueError(f"not an integer: {value!r}")
    return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))


def decimal(value: str) -> ox.Literal:
    if not _DECIMAL.match(value):
        raise ValueError(f"not a decimal number: {value!r}")
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))


def date_like(value: str) -> ox.Literal:
    """A calendar date, year-month or year, typed xsd:date, xsd:gYearMonth or xsd:gYear."""
    if _DATE.match(value):
        kind = "date"
        _check_date(value)
    elif _YEAR_MONTH.match(value):
        kind = "gYearMonth"
        _check_date(value + "-01")
    elif _YEAR.match(value):
        kind = "gYear"
    else:
        raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    return ox.Literal(value, datatype=ox.NamedNode(XSD + kind))


def _check_date(value: str) -> None:
    import datetime

    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a valid calendar date: {value!r}") from None


def web_url(value: str) -> ox.NamedNode:
    """Only http(s) URLs become links; anything else (javascript:, file:) is refused."""
    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
        raise ValueError(f"not an http(s) URL: {value!r}")
    return ox.NamedNode(value)


@dataclass(frozen=True)
class Ids:
    """Mints every IRI of the dataset from the base, so one setting moves them all."""

    base: str

    def id(self, path: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}id/{path}")

    def plan(self, plan: str) -> ox.NamedNode:
        return self.id(f"plan/{plan}")

    def document(self, kind: str, slug: str) -> ox.NamedNode:
        return self.id(f"{kind}/{slug}")

    def part(self, document: ox.NamedNode, kind: str, key: str) -> ox.NamedNode:
        """A direction, goal, measure or result, under the IRI of its planning document:
        ``…/id/plan/<plan>/measure/1-1-1``, ``…/id/guidelines/<slug>/direction/2``."""
        return ox.NamedNode(f"{document.value}/{kind}/{key.replace('.', '-')}")

    def org(self, slug: str) -> ox.NamedNode:
        return self.id(f"org/{slug}")

    def concept(self, scheme: str, code: str = "") -> ox.NamedNode:
        return self.id(f"concept/{scheme}/{code}" if code else f"concept/{scheme}")

    def source(self, slug: str) -> ox.NamedNode:
        return self.id(f"source/{slug}")

    def location(self, slug: str, kind: str, number: int) -> ox.NamedNode:
        return self.id(f"source/{slug}/{kind}/{number}")

    def graph(self, path: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}graph/{path}")
