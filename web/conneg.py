"""One data function, several renderings: HTML, JSON, or RDF, by Accept or by suffix."""

from __future__ import annotations

from flask import Request
from flask import Response
from flask import jsonify
from flask import render_template

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


def wants_json(request: Request) -> bool:
    """JSON only when asked for more than HTML (a browser's ``*/*`` gets the page)."""
    if request.path.endswith(".json"):
        return True
    ranges = accept_ranges(request.headers.get("Accept"))
    return quality(ranges, "application/json") > quality(ranges, "text/html")


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


def page(request: Request, template: str, data: dict, json_suffix: bool = False) -> Response:
    """Render ``data`` as HTML, or as JSON when asked by suffix or Accept."""
    from web.views._shared import resolve_labels

    resolve_labels()
    if json_suffix or wants_json(request):
        response = jsonify(data)
    else:
        response = Response(render_template(template, **data))
    response.headers["Vary"] = "Accept"
    return response


MAX_RANGES = 64  # media ranges read from one Accept header; the rest is ignored


def accept_ranges(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header, lower-cased, with their q values. Parameters
    other than q (``charset``, a JSON-LD ``profile``) are ignored, as they do not change
    which format is meant; entries that are not ``type/subtype`` are skipped."""
    ranges: list[tuple[str, float]] = []
    for entry in (header or "").split(",")[:MAX_RANGES]:
        media, *params = (part.strip() for part in entry.split(";"))
        media = media.lower()
        kind, slash, sub = media.partition("/")
        if not slash or not kind or not sub or " " in media or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 1.0  # an unreadable q says nothing: as if absent
        ranges.append((media, q))
    return ranges


def quality(ranges: list[tuple[str, float]], media: str) -> float:
    """The q of the most specific range that matches ``media`` (0 where none does)."""
    levels = {media: 2, media.split("/", 1)[0] + "/*": 1, "*/*": 0}
    best, specificity = 0.0, -1
    for pattern, q in ranges:
        level = levels.get(pattern, -1)
        if level > specificity:
            best, specificity = q, level
    return best


def negotiate(header: str | None, choices: list[str], default: str) -> str | None:
    """The offered type the client prefers; ``default`` when the header is missing, says
    nothing readable, or only ``*/*``; None when every offered type is refused (406)."""
    ranges = accept_ranges(header)
    if not ranges:
        return default
    ordered = [default] + [c for c in choices if c != default]
    scores = [quality(ranges, choice) for choice in ordered]
    top = max(scores)
    return ordered[scores.index(top)] if top > 0 else None
