"""SPARQL results written by us, so the row cap is counted as rows are written.

SELECT: JSON, XML, CSV, TSV (W3C SPARQL 1.1 result formats); ASK: JSON, XML;
CONSTRUCT / DESCRIBE: Turtle, N-Triples, JSON-LD, RDF/XML (pyoxigraph's writers).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from kg.formats import RDF_BY_SUFFIX
from kg.formats import RESULT_FORMATS
from kg.formats import RESULTS_BY_MEDIA
from kg.formats import RESULTS_BY_SUFFIX
from kg.terms import Term
from kg.terms import serialized

# media type -> our writer's name for it (kg.formats), per query form
SELECT_TYPES = {media: f.suffix for media, f in RESULTS_BY_MEDIA.items()}
ASK_TYPES = {media: f.suffix for media, f in RESULTS_BY_MEDIA.items() if f.boolean}
# CONSTRUCT / DESCRIBE: the triple formats first (N-Quads and TriG carry the default graph)
GRAPH_ORDER = ("ttl", "nt", "jsonld", "rdf", "nq", "trig")
GRAPH_TYPES = {RDF_BY_SUFFIX[s].media: RDF_BY_SUFFIX[s].engine for s in GRAPH_ORDER}
DEFAULT_TYPE = {
    "SelectQuery": RESULTS_BY_SUFFIX["json"].media,
    "AskQuery": RESULTS_BY_SUFFIX["json"].media,
    "ConstructQuery": RDF_BY_SUFFIX["ttl"].media,
    "DescribeQuery": RDF_BY_SUFFIX["ttl"].media,
}
CONTENT_TYPE = {f.suffix: f.content_type for f in RESULT_FORMATS}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


# characters XML 1.0 cannot carry, not even as character references
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class TooManyResultsError(Exception):
    pass


class TooLargeAnswerError(Exception):
    """The answer as written passes the byte cap (args[0]: the cap in bytes)."""


class NotRepresentableError(Exception):
    """The answer holds a character the chosen format cannot carry (XML and U+0008)."""


def _xml_safe(text: str) -> str:
    bad = _NOT_XML.search(text)
    if bad:
        raise NotRepresentableError(f"U+{ord(bad.group()):04X}")
    return text


def offered(form: str) -> list[str]:
    if form == "SelectQuery":
        return list(SELECT_TYPES)
    if form == "AskQuery":
        return list(ASK_TYPES)
    return list(GRAPH_TYPES)


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):  # a triple term (SPARQL 1.2 results)
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _json_term(getattr(term, p)) for p in parts}}
    cell: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        cell["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        cell["datatype"] = term.datatype.value
    return cell


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        inner = "".join(f"<{p}>{_xml_term(getattr(term, p))}</{p}>" for p in parts)
        return f"<triple>{inner}</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    text = (
        f"_:{term.value}"
        if isinstance(term, ox.BlankNode)
        else str(term)
        if isinstance(term, ox.Triple)
        else term.value
    )
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _tsv_cell(term: Term | None) -> str:
    return "" if term is None else str(term)


def write_select(variables: list[str], rows, fmt: str, cap: int, max_bytes: int = 1 << 62) -> bytes:
    """``rows``: iterable of sequences of terms (None when unbound), in variable order.
    Past ``cap`` rows or about ``max_bytes`` (counted as characters, as written) the
    answer is refused, never cut."""
    out = io.StringIO()
    count = 0
    if fmt == "json":
        out.write('{"head":{"vars":' + json.dumps(variables) + '},"results":{"bindings":[')
    elif fmt == "xml":
        out.write(
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            "<head>"
            + "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
            + "</head><results>"
        )
    elif fmt == "csv":
        out.write(",".join(variables) + "\r\n")
    else:
        out.write("\t".join(f"?{v}" for v in variables) + "\n")
    for row in rows:
        count += 1
        if count > cap:
            raise TooManyResultsError(cap)
        if fmt == "json":
            cells = {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            out.write(("," if count > 1 else "") + json.dumps(cells, ensure_ascii=False))
        elif fmt == "xml":
            out.write(
                "<result>"
                + "".join(
                    f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(variables, row, strict=True)
                    if t is not None
                )
                + "</result>"
            )
        elif fmt == "csv":
            out.write(",".join(_csv_cell(t) for t in row) + "\r\n")
        else:
            out.write("\t".join(_tsv_cell(t) for t in row) + "\n")
        if out.tell() > max_bytes:
            raise TooLargeAnswerError(max_bytes)
    if fmt == "json":
        out.write("]}}")
    elif fmt == "xml":
        out.write("</results></sparql>")
        return _xml_safe(out.getvalue()).encode("utf-8")
    return out.getvalue().encode("utf-8")


def write_ask(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>"
        ).encode()
    return json.dumps({"head": {}, "boolean": bool(value)}).encode()


def write_graph(
    triples: Iterable[ox.Triple],
    fmt: ox.RdfFormat,
    cap: int,
    prefixes: dict[str, str],
    max_bytes: int = 1 << 62,
) -> bytes:
    kept: list[ox.Triple] = []
    size = 0
    for triple in triples:
        kept.append(triple)
        size += len(str(triple))  # N-Triples' length: near any format's
        if len(kept) > cap:
            raise TooManyResultsError(cap)
        if size > max_bytes:
            raise TooLargeAnswerError(max_bytes)
    statements: list[ox.Triple] | list[ox.Quad] = kept
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        statements = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in kept]
    prefixed = (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.TRIG)
    body = serialized(statements, fmt, prefixes if fmt in prefixed else None)
    if fmt == ox.RdfFormat.RDF_XML:
        _xml_safe(body.decode("utf-8"))
    return body
