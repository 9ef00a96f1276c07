"""One data function, several renderings: HTML, JSON, or RDF, by Accept or by suffix."""

from __future__ import annotations

from flask import Request
from flask import Response
from flask import jsonify
from flask import render_template

RDF_TYPES = {
    "text/turtle": ("turtle", "ttl"),
    "application/ld+json": ("json-ld", "jsonld"),
    "application/rdf+xml": ("xml", "rdf"),
    "application/n-triples": ("nt", "nt"),
}
SUFFIXES = {suffix: media for media, (_, suffix) in RDF_TYPES.items()}
SUFFIXES.update({"html": "text/html", "json": "application/json"})
OFFERED = ["text/html", "application/json", *RDF_TYPES]


def choose(request: Request, suffix: str | None = None) -> str:
    """The media type to answer with: the suffix wins, then Accept, then HTML."""
    if suffix:
        return SUFFIXES[suffix]
    best = request.accept_mimetypes.best_match(OFFERED, default="text/html")
    if (
        best == "application/json"
        and request.accept_mimetypes["text/html"] >= request.accept_mimetypes["application/json"]
    ):
        return "text/html"
    return best or "text/html"


def wants_json(request: Request) -> bool:
    if request.path.endswith(".json"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes["application/json"] > request.accept_mimetypes["text/html"]
    )


def page(request: Request, template: str, data: dict, json_suffix: bool = False) -> Response:
    """Render ``data`` as HTML, or as JSON when asked by suffix or Accept."""
    if json_suffix or wants_json(request):
        response = jsonify(data)
    else:
        response = Response(render_template(template, **data))
    response.headers["Vary"] = "Accept"
    return response
