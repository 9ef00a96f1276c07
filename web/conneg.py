"""One data function, several renderings: HTML, JSON, or RDF, by Accept or by suffix."""

from __future__ import annotations

from flask import Request
from flask import Response
from flask import jsonify
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg.formats import RDF_FORMATS

# the triple formats a resource page is offered in: media type -> (rdflib writer, suffix)
RDF_TYPES = {f.media: (f.rdflib, f.suffix) for f in RDF_FORMATS if not f.quads}
SUFFIXES = {suffix: media for media, (_, suffix) in RDF_TYPES.items()}
SUFFIXES.update({"html": "text/html", "json": "application/json"})
OFFERED = ["text/html", "application/json", *RDF_TYPES]
# what a resource's or graph's document adds: its statements with their named graphs
QUAD_TYPES = {f.media: f.suffix for f in RDF_FORMATS if f.quads}
QUAD_SUFFIXES = {suffix: media for media, suffix in QUAD_TYPES.items()}


def choose(request: Request, suffix: str | None = None, quads: bool = False) -> str | None:
    """The media type to answer with: the suffix wins, then Accept, then HTML; None when
    Accept refuses everything on offer (a 406). ``quads``: N-Quads and TriG are offered."""
    if suffix:
        return SUFFIXES.get(suffix) or (QUAD_SUFFIXES.get(suffix) if quads else None)
    offered = OFFERED + (list(QUAD_TYPES) if quads else [])
    return negotiate(request.headers.get("Accept"), offered, "text/html")


def offered(quads: bool = False) -> list[str]:
    return OFFERED + (list(QUAD_TYPES) if quads else [])


def coding(request: Request, offered: list[str]) -> str | None:
    """The content coding of ``offered`` the client prefers (Werkzeug's Accept-Encoding
    parser: q=0 refuses); None for none: the bytes as they are."""
    return request.accept_encodings.best_match(offered)


def wants_json(request: Request) -> bool:
    """JSON only when asked for more than HTML (a browser's ``*/*`` gets the page)."""
    if request.path.endswith(".json"):
        return True
    accept = accepted(request.headers.get("Accept"))
    return quality(accept, "application/json") > quality(accept, "text/html")


def not_acceptable(offered: list[str]) -> Response:
    """406 with the types on offer, as JSON: a client that asked for none of them learns
    which to ask for."""
    response = jsonify(
        {
            "error": "not_acceptable",
            "message": "None of the types in Accept is offered here.",
            "offered": offered,
        }
    )
    response.status_code = 406
    return response


def rdf_response(statements: list, media: str) -> Response:
    """Triples in the RDF format of ``media``, written by pyoxigraph from a sorted list:
    the same bytes for the same facts, whatever the engine (a strong ETag can rest on it)."""
    from kg.formats import RDF_BY_MEDIA
    from kg.namespaces import PREFIXES
    from kg.terms import serialized

    fmt = RDF_BY_MEDIA[media]
    prefixes = dict(PREFIXES) if fmt.prefixed else None
    body = serialized(statements, fmt.engine, prefixes)
    return Response(body, mimetype=media)


def accepted(header: str | None) -> MIMEAccept:
    """An Accept header read by Werkzeug's parser (q values, their order and RFC 9110's
    most-specific-range rule are Werkzeug's), with parameters other than q dropped: a
    ``charset`` or a JSON-LD ``profile`` does not change which format is meant, and Werkzeug
    would match a range with parameters only to an offer with the same ones. Entries that
    are not ``type/subtype`` are skipped."""
    ranges: list[tuple[str, float]] = []
    for value, q in parse_accept_header(header, MIMEAccept):
        media = value.split(";", 1)[0].strip().lower()
        kind, slash, sub = media.partition("/")
        if slash and kind and sub and (kind != "*" or sub == "*"):
            ranges.append((media, q))
    return MIMEAccept(ranges)


def quality(accept: MIMEAccept, media: str) -> float:
    """The q of the most specific range that matches ``media`` (0 where none does)."""
    return accept.quality(media) if accept else 0.0


def negotiate(header: str | None, choices: list[str], default: str) -> str | None:
    """The offered type the client prefers, ``default`` first among equals; ``default``
    when the header is missing or says nothing readable; None when every offered type is
    refused (a 406: q=0 refuses)."""
    accept = accepted(header)
    if not accept:
        return default
    return accept.best_match([default] + [c for c in choices if c != default])
